"""`GET /api/v1/changes`: a ward's change feed, for city systems that mirror a ward."""

from flask_smorest import Blueprint

from app.events import service
from app.events.models import Event
from app.events.schemas import ChangesArgsSchema, ChangesSchema
from app.fields import local_isoformat
from app.identity import auth, policy
from app.pagination import decode_cursor, encode_cursor
from app.wards import service as wards

blp = Blueprint("changes", __name__, description="Dòng thay đổi / Change feed")


def event_out(event: Event) -> dict:
    """Return an event as outside systems see it (the change feed and webhook bodies)."""
    return {
        "id": event.msg_id,
        "type": event.type,
        "timestamp": local_isoformat(event.occurred_at),
        "ward": event.ward_code,
        "data": event.data,
    }


@blp.get("/api/v1/changes")
@blp.arguments(ChangesArgsSchema, location="query")
@blp.response(200, ChangesSchema)
def list_changes(args):
    """Read a ward's changes after a cursor: notices, polls and results, reports, merchants,
    indicators, miniapp versions, bookings (the ward's staff, city admins, API clients)."""
    user = auth.require_user()
    ward = wards.get(args["ward"])
    policy.require(
        policy.is_ward_staff(user, ward.code),
        "Chỉ cán bộ của phường, xã này, quản trị thành phố hoặc ứng dụng được cấp quyền "
        "đọc dòng thay đổi.",
    )
    since = decode_cursor(args["since"], (int,))
    position = since[0] if since else 0
    rows = service.changes(service.ward_feed(ward.code), since=position, limit=args["limit"] + 1)
    has_more = len(rows) > args["limit"]
    rows = rows[: args["limit"]]
    if rows:
        position = rows[-1].seq
    return {
        "items": [event_out(row) for row in rows],
        "next": encode_cursor([position]),
        "has_more": has_more,
    }
