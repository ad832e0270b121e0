"""`GET /api/v1/changes`: a ward's (or a department's) change feed, for systems that mirror it.

Who reads what:
- a person: the ward's staff and city admins read every event of a ward's feed; a
  department's staff and city admins read every event of the department's feed;
- an API client (a token with scopes and wards, policy.client_grant): a ward its grant
  covers, or a department's feed when its grant covers every ward; it sees only the events
  whose type's `scope` it holds (a type without a scope is for staff only). Skipped events
  still move its cursor (service.read), so it never reads them again.
"""

import sqlalchemy as sa
from flask_smorest import Blueprint

from app.errors import Forbidden, NotFound, ValidationFailed
from app.events import service
from app.events.models import Event
from app.events.schemas import ChangesArgsSchema, ChangesSchema
from app.extensions import db
from app.fields import local_isoformat
from app.identity import auth, policy
from app.pagination import decode_cursor, encode_cursor
from app.wards import service as wards

blp = Blueprint("changes", __name__, description="Dòng thay đổi / Change feed")

STAFF_ONLY = (
    "Chỉ cán bộ của phường, xã này, quản trị thành phố hoặc ứng dụng được cấp quyền "
    "đọc dòng thay đổi."
)
DEPARTMENT_STAFF_ONLY = (
    "Chỉ cán bộ của sở, ban, ngành này, quản trị thành phố hoặc ứng dụng được cấp quyền "
    "trên mọi phường, xã đọc dòng thay đổi này."
)
OUTSIDE_GRANT = "Ứng dụng chưa được cấp quyền đọc dữ liệu của đơn vị này."


def event_out(event: Event) -> dict:
    """Return an event as outside systems see it (the change feed and webhook bodies)."""
    return {
        "id": event.msg_id,
        "type": event.type,
        "timestamp": local_isoformat(event.occurred_at),
        "ward": event.ward_code,
        "data": event.data,
    }


def _department_code(key: str) -> str:
    """Return the code of a department named by its code or slug, or raise 404."""
    from app.departments.models import Department  # the departments package is optional

    found = db.session.scalar(
        sa.select(Department.code).where(
            sa.or_(Department.code == key.strip().upper(), Department.slug == key.strip().lower())
        )
    )
    if found is None:
        raise NotFound("Không tìm thấy sở, ban, ngành này.")
    return found


def _visible_types(grant: policy.ClientGrant) -> frozenset[str]:
    """Return the event types a client's scopes let it read (types without a scope: none)."""
    return frozenset(
        name
        for name, kind in service.event_types().items()
        if kind.scope is not None and kind.scope in grant.scopes
    )


def _reader(args) -> tuple[str, frozenset[str] | None]:
    """Return the feed asked for and the types the caller sees in it (None: every type)."""
    user = auth.require_user()
    grant = policy.client_grant()
    if args["ward"] is not None:
        ward = wards.get(args["ward"])
        feed = service.ward_feed(ward.code)
        if grant is not None:
            if not grant.covers(ward.code):
                raise Forbidden(OUTSIDE_GRANT, code="insufficient_scope")
            return feed, _visible_types(grant)
        policy.require(policy.is_ward_staff(user, ward.code), STAFF_ONLY)
        return feed, None
    code = _department_code(args["department"])
    feed = service.department_feed(code)
    if grant is not None:
        if grant.wards is not None:
            raise Forbidden(OUTSIDE_GRANT, code="insufficient_scope")
        return feed, _visible_types(grant)
    policy.require(policy.is_department_staff(user, code), DEPARTMENT_STAFF_ONLY)
    return feed, None


def _since(cursor: str | None) -> int:
    """Decode `since` (0 when absent), refusing one this endpoint did not hand out (422)."""
    try:
        values = decode_cursor(cursor, (int,))
    except ValidationFailed:
        raise service.invalid_cursor() from None
    position = values[0] if values else 0
    if position < 0:
        raise service.invalid_cursor()
    return position


@blp.get("/api/v1/changes")
@blp.arguments(ChangesArgsSchema, location="query")
@blp.response(200, ChangesSchema)
@blp.alt_response(401, description="Not signed in (no valid token)")
@blp.alt_response(403, description="Not staff of the unit, or a client outside its grant")
@blp.alt_response(404, description="No such ward or department")
@blp.alt_response(422, description="Bad arguments, or a `since` this feed did not hand out")
def list_changes(args):
    """Read a ward's (or a department's) changes after a cursor, oldest first.

    Notices, polls and results, reports, merchants, indicators, miniapp versions, bookings:
    the unit's staff and city admins see every event; an API client sees the events of the
    types its scopes cover. Loop: send `next` as `since` until `has_more` is false, then poll.
    """
    feed, types = _reader(args)
    since = _since(args["since"])
    page = service.read(feed, since=since, limit=args["limit"], types=types)
    return {
        "items": [event_out(event) for event in page.events],
        "next": encode_cursor([page.position]),
        "has_more": page.has_more,
    }
