"""`GET /api/v1/wards/{ward}/audit` and `GET /api/v1/audit`: reading the audit log."""

from flask_smorest import Blueprint

from app.audit import service
from app.audit.actions import ACTIONS
from app.audit.schemas import AuditLogArgsSchema, AuditLogPageSchema, CityAuditLogArgsSchema
from app.fields import local_isoformat
from app.identity import auth, policy
from app.pagination import decode_id_cursor, encode_cursor
from app.wards import service as wards

blp = Blueprint("audit", __name__, description="Nhật ký thao tác / Audit log")

WARD_ADMINS_ONLY = "Chỉ quản trị của phường, xã này và quản trị thành phố xem nhật ký thao tác."
CITY_ADMINS_ONLY = "Chỉ quản trị thành phố xem nhật ký thao tác của cả thành phố."
NO_STORE = {"Cache-Control": "no-store"}


def entry_out(row: service.Row) -> dict:
    """Return an entry as the API shows it."""
    entry = row.entry
    return {
        "id": entry.id,
        "at": local_isoformat(entry.at),
        "actor": {"kind": entry.actor_kind, "name": row.actor_name},
        "action": entry.action,
        "action_label": ACTIONS.get(entry.action, entry.action),
        "object": {"type": entry.object_type, "id": entry.object_id, "label": entry.label},
        "ward": entry.ward_code,
    }


def _page(args, *, ward_code: str | None) -> dict:
    found = service.read(
        ward_code=ward_code,
        action=args["action"] or None,
        before=decode_id_cursor(args["cursor"]),
        limit=args["limit"],
    )
    return {
        "items": [entry_out(row) for row in found.rows],
        "next": None if found.next_before is None else encode_cursor([found.next_before]),
        "has_more": found.next_before is not None,
    }


@blp.get("/api/v1/wards/<ward>/audit")
@blp.arguments(AuditLogArgsSchema, location="query")
@blp.response(200, AuditLogPageSchema)
@blp.alt_response(401, description="Not signed in")
@blp.alt_response(403, description="Not an admin of this ward nor a city admin")
@blp.alt_response(404, description="No such ward")
def ward_audit(args, ward):
    """Xem nhật ký thao tác của phường, xã (mới nhất trước).

    Every privileged act on the ward's objects: publishing and withdrawing, roles, merchants,
    polls, reports, the miniapp config, members. For the ward's admins and city admins.
    """
    user = auth.require_user()
    code = wards.get(ward).code
    policy.require(policy.is_ward_admin(user, code), WARD_ADMINS_ONLY)
    return _page(args, ward_code=code), 200, NO_STORE


@blp.get("/api/v1/audit")
@blp.arguments(CityAuditLogArgsSchema, location="query")
@blp.response(200, AuditLogPageSchema)
@blp.alt_response(401, description="Not signed in")
@blp.alt_response(403, description="Not a city admin")
@blp.alt_response(404, description="No such ward")
def city_audit(args):
    """Xem nhật ký thao tác của cả thành phố (mới nhất trước).

    Every entry, including the city's own acts (a city-wide broadcast has no ward); `ward`
    narrows it to one ward. For city admins.
    """
    user = auth.require_user()
    policy.require(policy.is_city_admin(user), CITY_ADMINS_ONLY)
    code = wards.get(args["ward"]).code if args["ward"] else None
    return _page(args, ward_code=code), 200, NO_STORE
