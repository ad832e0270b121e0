"""Miniapp config endpoints: the public read, staff drafts and versions, city templates.

A department's config has the same endpoints as a ward's, under /api/v1/departments/{dept};
both sets call the same service functions.
"""

from typing import Any

from flask import Flask, Response, request
from flask_smorest import Blueprint
from werkzeug.http import unquote_etag

from app.departments import service as departments
from app.departments.models import Department
from app.extensions import api
from app.idempotency import idempotent_create
from app.identity import auth, policy
from app.identity.models import User
from app.pagination import PageArgsSchema, decode_id_cursor, page
from app.wards import service as wards
from app.wards.models import Ward
from miniapps.config import document, service
from miniapps.config.schemas import (
    MiniappAuditListSchema,
    MiniappPublishSchema,
    MiniappTemplateReachSchema,
    MiniappTemplateSchema,
    MiniappTemplateUpdateSchema,
    MiniappVersionDetailSchema,
    MiniappVersionListSchema,
    MiniappVersionSchema,
)

blp = Blueprint(
    "miniapp_config",
    __name__,
    description="Cấu hình miniapp của phường, xã và sở, ngành / Ward and department miniapps",
)

# Clients may keep the bytes but must revalidate every time: a publish is visible at once.
CACHE_CONTROL = "public, no-cache"

# The document's schemas, registered under prefixed names (plain "Ward" is the ward record's).
_COMPONENTS = {  # leaves first: a schema must be named before a parent refers to it
    "MiniappConfigWard": document.WardSchema,
    "MiniappConfigColours": document.ColoursSchema,
    "MiniappConfigTheme": document.ThemeSchema,
    "MiniappConfigApp": document.AppSchema,
    "MiniappConfigModule": document.ModuleSchema,
    "MiniappConfigContacts": document.ContactsSchema,
    "MiniappConfig": document.MiniappConfigSchema,
}
_DOCUMENT_BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/MiniappConfig"}}},
    }
}
_TEMPLATE_BODY = {
    "requestBody": {
        "required": True,
        "description": "Mẫu chung: tài liệu cấu hình không có mục ward / a config without ward",
        "content": {"application/json": {"schema": {"type": "object"}}},
    }
}
_ETAG_HEADERS = {
    "ETag": {"description": "Strong ETag of the bytes", "schema": {"type": "string"}},
    "Cache-Control": {"description": CACHE_CONTROL, "schema": {"type": "string"}},
    "X-Miniapp-Version": {"description": "Published version number", "schema": {"type": "integer"}},
}
MSG_NOT_WARD_ADMIN = (
    "Chỉ quản trị viên của phường, xã này hoặc quản trị viên thành phố được quản lý cấu hình "
    "miniapp."
)
MSG_NOT_DEPARTMENT_ADMIN = (
    "Chỉ quản trị viên của sở, ngành này hoặc quản trị viên thành phố được quản lý cấu hình "
    "miniapp."
)
MSG_NOT_CITY_ADMIN = "Chỉ quản trị viên thành phố được sửa mẫu chung."


def init_app(app: Flask) -> None:
    """Register the document's schemas for OpenAPI; publish version 1 of each synced unit."""
    for name, schema in _COMPONENTS.items():
        api.spec.components.schema(name, schema=schema)
    wards.wards_synced.connect(service.on_wards_synced, sender=app)
    departments.departments_synced.connect(service.on_departments_synced, sender=app)


def _ward_admin(ward_key: str) -> tuple[User, Ward]:
    """Return the caller and the ward, or refuse: 401 anonymous, 403 not its admin."""
    user = auth.require_user()
    ward = wards.get(ward_key)
    policy.require(policy.is_ward_admin(user, ward.code), MSG_NOT_WARD_ADMIN)
    return user, ward


def _department_admin(department_key: str) -> tuple[User, Department]:
    """Return the caller and the department, or refuse: 401 anonymous, 403 not its admin."""
    user = auth.require_user()
    department = departments.get(department_key)
    policy.require(policy.is_department_admin(user, department.code), MSG_NOT_DEPARTMENT_ADMIN)
    return user, department


def _city_admin() -> User:
    """Return the caller if a city admin, or refuse."""
    user = auth.require_user()
    policy.require(policy.is_city_admin(user), MSG_NOT_CITY_ADMIN)
    return user


def _not_modified(etag: str) -> bool:
    """Tell whether the request's If-None-Match names this ETag (or is `*`)."""
    sent = request.environ.get("HTTP_IF_NONE_MATCH")
    if not sent:
        return False
    if sent == etag:
        return True  # the usual revalidation: the one ETag sent back as it was received
    condition = request.if_none_match
    return condition.star_tag or condition.contains_weak(unquote_etag(etag)[0])


# --- Public ----------------------------------------------------------------------------------


@blp.get("/api/v1/wards/<ward>/miniapp")
# The view answers ready bytes: flask-smorest's wrapper passes such a Response through.
@blp.response(
    200,
    document.MiniappConfigSchema,
    description="Cấu hình hiệu lực đã xuất bản / the published effective config",
    headers=_ETAG_HEADERS,
)
@blp.alt_response(304, description="Not Modified: If-None-Match matches the current ETag")
def get_published_config(ward):
    """Get a ward's published miniapp config (Lấy cấu hình miniapp đã xuất bản)."""
    return _published(service.live_ref(ward) or service.published_ref(ward))


def _published(ref: service.PublishedRef) -> Response:
    """Answer a published version's bytes with its ETag, or 304 when the client has them."""
    headers = [
        ("ETag", ref.etag),
        ("Cache-Control", CACHE_CONTROL),
        ("X-Miniapp-Version", str(ref.version)),
    ]
    if _not_modified(ref.etag):
        return Response(status=304, headers=headers)
    return Response(service.published_body(ref), mimetype="application/json", headers=headers)


# --- Ward admins: draft, publish, versions, audit --------------------------------------------


@blp.get("/api/v1/wards/<ward>/miniapp/draft")
@blp.response(
    200,
    document.MiniappConfigSchema,
    description="Bản nháp, hoặc bản đã xuất bản nếu chưa có nháp (X-Miniapp-Draft: false)",
)
def get_draft(ward):
    """Get the ward's draft config, or the published one (Lấy bản nháp cấu hình)."""
    _user, found = _ward_admin(ward)
    draft, has_draft = service.get_draft(ward=found)
    return draft, 200, {"X-Miniapp-Draft": "true" if has_draft else "false"}


@blp.put("/api/v1/wards/<ward>/miniapp/draft")
@blp.doc(**_DOCUMENT_BODY)
@blp.response(200, document.MiniappConfigSchema)
@blp.alt_response(422, description="Tài liệu không hợp lệ; details.fields theo đường dẫn")
def put_draft(ward):
    """Save the whole config document as the ward's draft (Lưu bản nháp cấu hình)."""
    user, found = _ward_admin(ward)
    body: Any = request.get_json(silent=True)
    return service.save_draft(ward=found, document=body, user=user)


@blp.delete("/api/v1/wards/<ward>/miniapp/draft")
@blp.response(204)
def delete_draft(ward):
    """Discard the ward's draft (Hủy bản nháp)."""
    user, found = _ward_admin(ward)
    service.discard_draft(ward=found, user=user)


@blp.post("/api/v1/wards/<ward>/miniapp/publish")
@idempotent_create(blp)
@blp.arguments(MiniappPublishSchema, required=False)
@blp.response(201, MiniappVersionSchema)
def publish(args, ward):
    """Publish the ward's draft as a new version (Xuất bản bản nháp thành phiên bản mới)."""
    user, found = _ward_admin(ward)
    version = service.publish(ward=found, user=user, summary=args.get("summary"))
    return service.get_version(ward=found, number=version.version)


@blp.get("/api/v1/wards/<ward>/miniapp/versions")
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, MiniappVersionListSchema)
def list_versions(args, ward):
    """List the ward's published versions, newest first (Danh sách phiên bản)."""
    _user, found = _ward_admin(ward)
    rows = service.list_versions(
        ward=found, limit=args["limit"], before=decode_id_cursor(args["cursor"])
    )
    return page(rows, limit=args["limit"], key=lambda row: [row["version"]])


@blp.get("/api/v1/wards/<ward>/miniapp/versions/<int:number>")
@blp.response(200, MiniappVersionDetailSchema)
def get_version(ward, number):
    """Get one published version with its document (Xem một phiên bản)."""
    _user, found = _ward_admin(ward)
    return service.get_version(ward=found, number=number)


@blp.post("/api/v1/wards/<ward>/miniapp/versions/<int:number>/restore")
@idempotent_create(blp)
@blp.arguments(MiniappPublishSchema, required=False)
@blp.response(201, MiniappVersionSchema)
def restore_version(args, ward, number):
    """Publish an old version again as a new version (Khôi phục phiên bản cũ)."""
    user, found = _ward_admin(ward)
    version = service.restore(ward=found, number=number, user=user, summary=args.get("summary"))
    return service.get_version(ward=found, number=version.version)


@blp.get("/api/v1/wards/<ward>/miniapp/audit")
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, MiniappAuditListSchema)
def list_audit(args, ward):
    """List who changed the ward's config, and when (Nhật ký thay đổi cấu hình)."""
    _user, found = _ward_admin(ward)
    rows = service.list_audit(
        ward=found, limit=args["limit"], before_id=decode_id_cursor(args["cursor"])
    )
    return page(rows, limit=args["limit"], key=lambda row: [row["id"]])


# --- Departments: the same config endpoints as a ward's ---------------------------------------


@blp.get("/api/v1/departments/<dept>/miniapp")
@blp.response(
    200,
    document.MiniappConfigSchema,
    description="Cấu hình hiệu lực đã xuất bản của sở, ngành / a department's published config",
    headers=_ETAG_HEADERS,
)
@blp.alt_response(304, description="Not Modified: If-None-Match matches the current ETag")
def get_department_published_config(dept):
    """Get a department's published miniapp config (Lấy cấu hình miniapp của sở, ngành)."""
    return _published(service.live_department_ref(dept) or service.published_department_ref(dept))


@blp.get("/api/v1/departments/<dept>/miniapp/draft")
@blp.response(
    200,
    document.MiniappConfigSchema,
    description="Bản nháp, hoặc bản đã xuất bản nếu chưa có nháp (X-Miniapp-Draft: false)",
)
def get_department_draft(dept):
    """Get the department's draft config, or the published one (Lấy bản nháp của sở, ngành)."""
    _user, found = _department_admin(dept)
    draft, has_draft = service.get_draft(ward=found)
    return draft, 200, {"X-Miniapp-Draft": "true" if has_draft else "false"}


@blp.put("/api/v1/departments/<dept>/miniapp/draft")
@blp.doc(**_DOCUMENT_BODY)
@blp.response(200, document.MiniappConfigSchema)
@blp.alt_response(422, description="Tài liệu không hợp lệ; details.fields theo đường dẫn")
def put_department_draft(dept):
    """Save the whole config document as the department's draft (Lưu bản nháp của sở, ngành)."""
    user, found = _department_admin(dept)
    body: Any = request.get_json(silent=True)
    return service.save_draft(ward=found, document=body, user=user)


@blp.delete("/api/v1/departments/<dept>/miniapp/draft")
@blp.response(204)
def delete_department_draft(dept):
    """Discard the department's draft (Hủy bản nháp của sở, ngành)."""
    user, found = _department_admin(dept)
    service.discard_draft(ward=found, user=user)


@blp.post("/api/v1/departments/<dept>/miniapp/publish")
@idempotent_create(blp)
@blp.arguments(MiniappPublishSchema, required=False)
@blp.response(201, MiniappVersionSchema)
def publish_department(args, dept):
    """Publish the department's draft as a new version (Xuất bản cấu hình của sở, ngành)."""
    user, found = _department_admin(dept)
    version = service.publish(ward=found, user=user, summary=args.get("summary"))
    return service.get_version(ward=found, number=version.version)


@blp.get("/api/v1/departments/<dept>/miniapp/versions")
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, MiniappVersionListSchema)
def list_department_versions(args, dept):
    """List the department's published versions, newest first (Phiên bản của sở, ngành)."""
    _user, found = _department_admin(dept)
    rows = service.list_versions(
        ward=found, limit=args["limit"], before=decode_id_cursor(args["cursor"])
    )
    return page(rows, limit=args["limit"], key=lambda row: [row["version"]])


@blp.get("/api/v1/departments/<dept>/miniapp/versions/<int:number>")
@blp.response(200, MiniappVersionDetailSchema)
def get_department_version(dept, number):
    """Get one of the department's versions with its document (Xem một phiên bản)."""
    _user, found = _department_admin(dept)
    return service.get_version(ward=found, number=number)


@blp.post("/api/v1/departments/<dept>/miniapp/versions/<int:number>/restore")
@idempotent_create(blp)
@blp.arguments(MiniappPublishSchema, required=False)
@blp.response(201, MiniappVersionSchema)
def restore_department_version(args, dept, number):
    """Publish an old version of the department's config again (Khôi phục phiên bản cũ)."""
    user, found = _department_admin(dept)
    version = service.restore(ward=found, number=number, user=user, summary=args.get("summary"))
    return service.get_version(ward=found, number=version.version)


@blp.get("/api/v1/departments/<dept>/miniapp/audit")
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, MiniappAuditListSchema)
def list_department_audit(args, dept):
    """List who changed the department's config, and when (Nhật ký cấu hình của sở, ngành)."""
    _user, found = _department_admin(dept)
    rows = service.list_audit(
        ward=found, limit=args["limit"], before_id=decode_id_cursor(args["cursor"])
    )
    return page(rows, limit=args["limit"], key=lambda row: [row["id"]])


# --- City admins: templates ------------------------------------------------------------------


@blp.get("/api/v1/miniapp/templates/<ward_type>")
@blp.response(200, MiniappTemplateSchema)
def get_template(ward_type):
    """Get the city-wide template of a unit type (Xem mẫu chung phường, xã hoặc sở, ngành)."""
    _city_admin()
    return service.get_template(ward_type=ward_type)


def _reach(impact: service.TemplateImpact) -> dict[str, Any]:
    """Return the reach fields of a template change."""
    return {
        "type": impact.ward_type,
        "changed_paths": impact.changed_paths,
        "wards_reached": impact.ward_codes,
        "count": len(impact.reached),
    }


@blp.put("/api/v1/miniapp/templates/<ward_type>")
@blp.doc(**_TEMPLATE_BODY)
@blp.response(200, MiniappTemplateUpdateSchema)
def put_template(ward_type):
    """Save a template and republish the wards it reaches (Sửa mẫu chung)."""
    user = _city_admin()
    template, impact, republished = service.update_template(
        ward_type=ward_type, document=request.get_json(silent=True), user=user
    )
    return {**_reach(impact), "template": template, "republished": republished}


@blp.post("/api/v1/miniapp/templates/<ward_type>/preview")
@blp.doc(**_TEMPLATE_BODY)
@blp.response(200, MiniappTemplateReachSchema)
def preview_template(ward_type):
    """Show which wards a template change would reach, saving nothing (Xem trước mẫu chung)."""
    _city_admin()
    impact = service.template_impact(ward_type=ward_type, document=request.get_json(silent=True))
    return _reach(impact)
