"""Field-report endpoints: categories, reports, photos, status changes, lists and moderation.

The reporter is never identified in an answer but to the reporter (`mine: true`, and the
reporter's own fields) and the ward's staff (`reporter`, `allowed_statuses`).
"""

from datetime import datetime

from flask import Response, request
from flask_smorest import Blueprint

from app.database import utcnow
from app.errors import FieldError, ValidationFailed
from app.extensions import limiter
from app.idempotency import idempotent_create
from app.identity import auth
from app.identity.models import User
from app.identity.policy import require
from app.pagination import PageArgsSchema, decode_id_cursor, decode_time_cursor, page
from app.wards import service as wards
from app.wards.exceptions import WardNotFound
from reports import images, permissions, service
from reports.models import (
    HIDE_TARGET_LABELS,
    STATUS_LABELS,
    Report,
    ReportPhoto,
    shown_description,
)
from reports.schemas import (
    MyReportListSchema,
    ReportBoardArgsSchema,
    ReportCategoryChangeSchema,
    ReportCategoryCreateSchema,
    ReportCategoryListArgsSchema,
    ReportCategoryListSchema,
    ReportCategorySchema,
    ReportCategoryUpdateSchema,
    ReportCreateFormSchema,
    ReportCreateSchema,
    ReportHideSchema,
    ReportListSchema,
    ReportModerationLogSchema,
    ReportQueueArgsSchema,
    ReportRatingOutSchema,
    ReportRatingSchema,
    ReportReopenSchema,
    ReportSchema,
    ReportSeenSchema,
    ReportStatusChangeSchema,
    ReportUnseenCountSchema,
)
from reports.service.categories import Category


class ReportsBlueprint(Blueprint):
    """A blueprint whose `json_or_form` arguments are documented as a JSON request body.

    A report comes as JSON or as a multipart form with photos; webargs reads either
    (`json_or_form`), and the multipart form is added to the documented body beside the JSON.
    """

    DEFAULT_LOCATION_CONTENT_TYPE_MAPPING = {
        **Blueprint.DEFAULT_LOCATION_CONTENT_TYPE_MAPPING,
        "json_or_form": "application/json",
    }


blp = ReportsBlueprint(
    "reports", __name__, description="Phản ánh hiện trường: tiếp nhận, xử lý, công khai"
)

# Five photos of at most 10 MB each, and the form's text fields.
CREATE_MAX_BYTES = images.MAX_PHOTOS * images.MAX_BYTES + 1024 * 1024


@blp.url_value_preprocessor
def _allow_photos(endpoint, _values):
    """Raise the body limit for the report form alone (the app's limit is 6 MB).

    A URL value preprocessor runs before any `before_request` hook: the CSRF check may read
    the form, and the form must be read under this route's limit.
    """
    if endpoint == "reports.create_report":
        request.max_content_length = CREATE_MAX_BYTES


# Presenting


def _photo_out(photo: ReportPhoto) -> dict:
    return {
        "id": photo.id,
        "url": f"/api/v1/reports/{photo.report_id}/photos/{photo.id}",
        "width": photo.width,
        "height": photo.height,
        "hidden": photo.hidden,
    }


def _category_out(category: Category) -> dict:
    return {
        "code": category.code,
        "name": category.name,
        "group": category.group,
        "description": category.description,
        "deadline_days": category.deadline_days,
        "active": category.active,
    }


def _person(user: User | None) -> dict | None:
    return None if user is None else {"id": user.id, "name": user.name}


def _report_out(
    report: Report, user: User | None, *, staff: bool, now: datetime, detail: bool = False
) -> dict:
    """Show a report to `user`; `staff` says whether they handle its ward."""
    mine = permissions.is_reporter(user, report)
    # permissions.can_see_hidden's rule (staff or the reporter), with `staff` worked out once
    # for a whole list.
    sees_hidden = staff or mine
    out = {
        "id": report.id,
        "ward": report.ward_code,
        "category": report.category.code,
        "category_name": report.category.name,
        "category_group": report.category.group,
        "description": shown_description(report, sees_hidden=sees_hidden),
        "description_hidden": report.description_hidden,
        "status": report.status,
        "status_label": STATUS_LABELS[report.status],
        "created_at": report.created_at,
        "updated_at": report.updated_at,
        "due_at": report.due_at,
        "closed_at": report.closed_at,
        "overdue": service.is_overdue(report, now),
        "lat": report.lat,
        "long": report.long,
        "address": report.address,
        "duplicate_of": report.duplicate_of_id,
        "photos": [_photo_out(p) for p in report.photos if sees_hidden or not p.hidden],
        "mine": mine,
    }
    if detail:
        out["history"] = [
            {
                "status": e.status,
                "status_label": STATUS_LABELS[e.status],
                "at": e.at,
                "note": e.note,
            }
            for e in report.history
        ]
        out["rating"] = report.rating.stars if report.rating else None
    if mine:
        out["can_reopen"] = service.can_reopen(report, now)
        out["can_rate"] = not report.is_open and (not detail or report.rating is None)
        out["updated_since_seen"] = report.change_count > report.seen_count
    if staff:
        out["reporter"] = _person(report.reporter)
        out["allowed_statuses"] = service.allowed_statuses(report)
    return out


def _detail(report: Report, user: User | None) -> dict:
    staff = permissions.can_handle(user, report)
    return _report_out(report, user, staff=staff, now=utcnow(), detail=True)


def _ward_code(ward: str, *, field: str | None = None) -> str:
    """Return a ward's code from its code or slug; in a body, an unknown ward is a field error."""
    try:
        return wards.get(ward).code
    except WardNotFound:
        if field is None:
            raise
        raise ValidationFailed.on_field(field, "Phường, xã", "Không có phường, xã này.") from None


# Categories


@blp.get("/api/v1/wards/<ward>/report-categories")
@blp.arguments(ReportCategoryListArgsSchema, location="query")
@blp.response(200, ReportCategoryListSchema)
def list_categories(args, ward):
    """List a ward's report categories (the city's defaults until the ward changes them)."""
    code = _ward_code(ward)
    include_inactive = args["include_inactive"]
    if include_inactive:
        require(
            permissions.is_ward_staff(auth.current_user(), code),
            "Chỉ cán bộ phường, xã mới xem được loại phản ánh đã ngừng nhận.",
        )
    found = service.list_categories(ward_code=code, include_inactive=include_inactive)
    return {"items": [_category_out(c) for c in found]}


@blp.post("/api/v1/wards/<ward>/report-categories")
@idempotent_create(blp)
@blp.arguments(ReportCategoryCreateSchema)
@blp.response(201, ReportCategorySchema)
def create_category(args, ward):
    """Add a report category to a ward (its staff); the code is unique in the ward."""
    user = auth.require_user()
    code = _ward_code(ward)
    require(permissions.is_ward_staff(user, code), "Chỉ cán bộ phường, xã mới thêm được.")
    return _category_out(service.create_category(ward_code=code, **args))


@blp.patch("/api/v1/wards/<ward>/report-categories/<code>")
@blp.arguments(ReportCategoryUpdateSchema)
@blp.response(200, ReportCategorySchema)
def update_category(args, ward, code):
    """Change a ward's report category (its staff): name, group, description, deadline, active."""
    user = auth.require_user()
    ward_code = _ward_code(ward)
    require(permissions.is_ward_staff(user, ward_code), "Chỉ cán bộ phường, xã mới sửa được.")
    return _category_out(service.update_category(ward_code=ward_code, code=code, changes=args))


# Reports


def _read_photos() -> list[bytes]:
    """Return the uploaded `photos` (each read up to one byte past the limit), refusing others."""
    others = [name for name in request.files if name != "photos"]
    if others:
        raise ValidationFailed.on_fields(
            [FieldError(name, f"«{name}»", "Trường này không được hỗ trợ.") for name in others],
            location="files",
        )
    photos = []
    for upload in request.files.getlist("photos"):
        try:
            photos.append(upload.read(images.MAX_BYTES + 1))
        finally:
            upload.close()  # a large upload is spooled to a temporary file
    return photos


@blp.post("/api/v1/reports")
@idempotent_create(blp)
@limiter.limit("30/hour", key=auth.account_key)
@blp.arguments(ReportCreateSchema, location="json_or_form")
@blp.doc(requestBody={"content": {"multipart/form-data": {"schema": ReportCreateFormSchema}}})
@blp.response(201, ReportSchema)
def create_report(args):
    """Send a field report (signed-in residents): JSON, or a multipart form with `photos`."""
    user = auth.require_user()
    ward_code = _ward_code(args["ward"], field="ward")
    report = service.create_report(
        reporter=user,
        ward_code=ward_code,
        category_code=args["category"],
        description=args["description"],
        lat=args["lat"],
        long=args["long"],
        address=args["address"] or None,
        photos=_read_photos() if request.mimetype == "multipart/form-data" else [],
    )
    return _detail(report, user)


@blp.get("/api/v1/reports/<int:report_id>")
@blp.response(200, ReportSchema)
def get_report(report_id):
    """Get a report with its public history (the reporter shown to themselves and staff only)."""
    return _detail(service.get(report_id), auth.current_user())


@blp.get("/api/v1/reports/<int:report_id>/photos/<int:photo_id>")
@blp.response(200, content_type="image/jpeg")
def get_photo(report_id, photo_id):
    """Get a report's photo (no EXIF, no GPS); a hidden one only to staff and its reporter."""
    report = service.get(report_id)
    photo = service.get_photo(
        report=report,
        photo_id=photo_id,
        may_see_hidden=permissions.can_see_hidden(auth.current_user(), report),
    )
    response = Response(photo.data, mimetype=photo.mimetype)
    # Revalidated on every use: a photo hidden by moderation must stop showing at once.
    response.headers["Cache-Control"] = "no-cache"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.set_etag(photo.sha256)
    return response.make_conditional(request)


@blp.post("/api/v1/reports/<int:report_id>/status")
@blp.arguments(ReportStatusChangeSchema)
@blp.response(200, ReportSchema)
def change_status(args, report_id):
    """Move a report to a new status with a public note (the ward's staff)."""
    user = auth.require_user()
    report = service.get(report_id)
    require(permissions.can_handle(user, report), "Chỉ cán bộ phường, xã mới xử lý được.")
    report = service.change_status(
        report=report,
        actor=user,
        status=args["status"],
        note=args["note"],
        duplicate_of=args["duplicate_of"],
    )
    return _detail(report, user)


@blp.patch("/api/v1/reports/<int:report_id>")
@blp.arguments(ReportCategoryChangeSchema)
@blp.response(200, ReportSchema)
def change_category(args, report_id):
    """File an open report under another category (the ward's staff); its deadline follows."""
    user = auth.require_user()
    report = service.get(report_id)
    require(permissions.can_handle(user, report), "Chỉ cán bộ phường, xã mới xử lý được.")
    report = service.recategorize(report=report, actor=user, category=args["category"])
    return _detail(report, user)


@blp.post("/api/v1/reports/<int:report_id>/reopen")
@blp.arguments(ReportReopenSchema)
@blp.response(200, ReportSchema)
def reopen(args, report_id):
    """Reopen a resolved report (its reporter, within 14 days of resolution)."""
    user = auth.require_user()
    report = service.reopen(report=service.get(report_id), user=user, note=args["note"])
    return _detail(report, user)


@blp.post("/api/v1/reports/<int:report_id>/rating")
@idempotent_create(blp)
@blp.arguments(ReportRatingSchema)
@blp.response(201, ReportRatingOutSchema)
def rate(args, report_id):
    """Rate the handling of a closed report, 1 to 5 stars, once (its reporter)."""
    user = auth.require_user()
    rating = service.rate(report=service.get(report_id), user=user, stars=args["stars"])
    return {"report_id": rating.report_id, "stars": rating.stars, "created_at": rating.created_at}


@blp.post("/api/v1/reports/<int:report_id>/hide")
@blp.arguments(ReportHideSchema)
@blp.response(200, ReportSchema)
def hide(args, report_id):
    """Hide a report's text or a photo from the public (the ward's staff); audited."""
    user = auth.require_user()
    report = service.get(report_id)
    require(permissions.can_handle(user, report), "Chỉ cán bộ phường, xã mới ẩn được.")
    service.hide(
        report=report,
        actor=user,
        target=args["target"],
        reason=args["reason"],
        photo_id=args["photo_id"],
    )
    return _detail(report, user)


@blp.get("/api/v1/reports/<int:report_id>/moderation")
@blp.response(200, ReportModerationLogSchema)
def moderation_log(report_id):
    """List who hid what of a report, when and why (the ward's staff)."""
    user = auth.require_user()
    report = service.get(report_id)
    require(permissions.can_handle(user, report), "Chỉ cán bộ phường, xã mới xem được.")
    return {
        "items": [
            {
                "id": m.id,
                "target": m.target,
                "target_label": HIDE_TARGET_LABELS[m.target],
                "photo_id": m.photo_id,
                "reason": m.reason,
                "actor": _person(m.actor),
                "at": m.at,
            }
            for m in service.moderation_log(report)
        ]
    }


# Lists


@blp.get("/api/v1/wards/<ward>/reports")
@blp.arguments(ReportBoardArgsSchema, location="query")
@blp.response(200, ReportListSchema)
def list_board(args, ward):
    """List a ward's public board, newest first; filter by status, category, overdue."""
    code = _ward_code(ward)
    user = auth.current_user()
    staff = permissions.is_ward_staff(user, code)
    now = utcnow()
    rows = service.list_board(
        ward_code=code,
        filters=service.BoardFilters(
            status=args["status"], category=args["category"], overdue=args["overdue"]
        ),
        after_id=decode_id_cursor(args["cursor"]),
        limit=args["limit"],
        now=now,
    )
    result = page(rows, limit=args["limit"], key=lambda r: [r.id])
    result["items"] = [_report_out(r, user, staff=staff, now=now) for r in result["items"]]
    return result


@blp.get("/api/v1/wards/<ward>/reports/queue")
@blp.arguments(ReportQueueArgsSchema, location="query")
@blp.response(200, ReportListSchema)
def list_queue(args, ward):
    """List a ward's open reports by due time, overdue first (the ward's staff)."""
    user = auth.require_user()
    code = _ward_code(ward)
    require(permissions.is_ward_staff(user, code), "Chỉ cán bộ phường, xã mới xem được.")
    rows = service.list_queue(
        ward_code=code,
        category=args["category"],
        after=decode_time_cursor(args["cursor"]),
        limit=args["limit"],
    )
    now = utcnow()
    result = page(rows, limit=args["limit"], key=lambda r: [r.due_at.isoformat(), r.id])
    result["items"] = [_report_out(r, user, staff=True, now=now) for r in result["items"]]
    return result


@blp.get("/api/v1/me/reports")
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, MyReportListSchema)
def my_reports(args):
    """List the caller's own reports, newest first, each with its status and unseen changes."""
    user = auth.require_user()
    rows = service.list_mine(
        user=user, after_id=decode_id_cursor(args["cursor"]), limit=args["limit"]
    )
    now = utcnow()
    result = page(rows, limit=args["limit"], key=lambda r: [r.id])
    result["items"] = [
        _report_out(r, user, staff=permissions.is_ward_staff(user, r.ward_code), now=now)
        for r in result["items"]
    ]
    result["unseen_count"] = service.unseen_count(user)
    return result


@blp.get("/api/v1/me/reports/unseen-count")
@blp.response(200, ReportUnseenCountSchema)
def unseen_count():
    """Count the caller's reports changed by their ward since last seen (the badge)."""
    return {"unseen_count": service.unseen_count(auth.require_user())}


@blp.post("/api/v1/me/reports/seen")
@blp.arguments(ReportSeenSchema)
@blp.response(204)
def mark_seen(args):
    """Record that the caller saw the current state of their reports (all, or those given)."""
    service.mark_seen(user=auth.require_user(), report_ids=args["report_ids"])
