"""Endpoints of the registry of residential groups: a public list, kept by the ward's staff."""

from app.idempotency import idempotent_create
from app.identity import auth
from app.identity.policy import is_ward_staff, require
from app.pagination import PageArgsSchema, decode_id_cursor, page
from app.wards import service as wards
from community.groups import registry
from community.groups.models import KIND_LABELS
from community.groups.registry_schemas import (
    ResidentialGroupCreateSchema,
    ResidentialGroupImportResultSchema,
    ResidentialGroupImportSchema,
    ResidentialGroupListSchema,
    ResidentialGroupSchema,
    ResidentialGroupUpdateSchema,
)
from community.groups.views import blp

STAFF_ONLY = "Chỉ cán bộ của phường, xã mới sửa được danh sách tổ dân phố, thôn."


def _require_staff(ward_code: str) -> None:
    """Refuse anyone but the ward's staff (401 when not signed in)."""
    require(is_ward_staff(auth.require_user(), ward_code), STAFF_ONLY)


def _group_out(view: registry.GroupView) -> dict:
    group, community = view.group, view.community
    return {
        "id": group.id,
        "ward": group.ward_code,
        "name": group.name,
        "kind": group.kind,
        "kind_label": KIND_LABELS[group.kind],
        "households": group.households,
        "community": (
            {"id": community.id, "name": community.name, "active": view.active}
            if community is not None
            else None
        ),
    }


def _one(group) -> dict:
    (view,) = registry.views_of([group])
    return _group_out(view)


@blp.get("/api/v1/wards/<ward>/residential-groups")
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, ResidentialGroupListSchema)
def list_residential_groups(args, ward):
    """List the ward's tổ dân phố and thôn, each with its digital community and whether it runs.

    The registry is the denominator of the indicator `residential_groups_active`; a community
    counts as active with a leader and at least three active members.
    """
    found = wards.get(ward)
    rows = registry.list_for_ward(
        ward_code=found.code, limit=args["limit"], after_id=decode_id_cursor(args["cursor"])
    )
    result = page(rows, limit=args["limit"], key=lambda view: [view.group.id])
    result["items"] = [_group_out(view) for view in result["items"]]
    return result


@blp.post("/api/v1/wards/<ward>/residential-groups")
@idempotent_create(blp)
@blp.arguments(ResidentialGroupCreateSchema)
@blp.response(201, ResidentialGroupSchema)
def create_residential_group(args, ward):
    """Add a tổ dân phố or thôn to the ward's registry (ward staff).

    A name the registry already has, compared without case or diacritics, is 409.
    """
    found = wards.get(ward)
    _require_staff(found.code)
    return _one(registry.create(ward_code=found.code, **args))


@blp.post("/api/v1/wards/<ward>/residential-groups/import")
@idempotent_create(blp)
@blp.arguments(ResidentialGroupImportSchema, location="files")
@blp.response(200, ResidentialGroupImportResultSchema)
def import_residential_groups(files, ward):
    """Import the ward's registry from a CSV file (ward staff): every line, or none.

    Header `name,kind,households`; `kind` is `to_dan_pho` or `thon`, or "Tổ dân phố" / "Thôn"
    with or without diacritics; UTF-8 with or without a byte-order mark (Excel's "CSV UTF-8");
    at most 2,000 lines and 1 MB. The whole file is checked first: any bad line is 422 with
    `details.errors[{field: "file", label: "Dòng N", message}]` for every bad line, and
    nothing is written. A name already in the registry (without case or diacritics) updates
    that group.
    """
    found = wards.get(ward)
    _require_staff(found.code)
    upload = files["file"]
    try:
        raw = upload.read(registry.MAX_IMPORT_BYTES + 1)
    finally:
        upload.close()  # a large upload is spooled to a temporary file
    result = registry.import_csv(ward_code=found.code, raw=raw)
    return {
        "created": result.created,
        "updated": result.updated,
        "items": [_group_out(view) for view in registry.views_of(result.groups)],
    }


@blp.patch("/api/v1/residential-groups/<int:group_id>")
@blp.arguments(ResidentialGroupUpdateSchema)
@blp.response(200, ResidentialGroupSchema)
def update_residential_group(args, group_id):
    """Change a group, or link its digital community (`community_id`; null unlinks) (ward staff).

    The community must be of the group's ward and kind, and not linked to another group.
    """
    auth.require_user()
    group = registry.get(group_id)
    _require_staff(group.ward_code)
    return _one(registry.update(group, args))


@blp.delete("/api/v1/residential-groups/<int:group_id>")
@blp.response(204)
def delete_residential_group(group_id):
    """Remove a group from the registry (ward staff); its community stays, unlinked."""
    auth.require_user()
    group = registry.get(group_id)
    _require_staff(group.ward_code)
    registry.delete(group)
