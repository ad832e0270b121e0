"""Field-report schemas: what the API takes (checked for shape) and what it answers."""

from flask_smorest.fields import Upload
from marshmallow import Schema, fields, validate

from app.database import MAX_ID
from app.fields import LocalDateTime, Text, label_field, no_control_chars
from app.pagination import PageArgsSchema
from app.validation import choice_of
from reports import images
from reports.models import HIDE_TARGET_LABELS, STATUS_FILTER_LABELS, STATUS_LABELS

DESCRIPTION_MAX = 5000
NOTE_MAX = 2000


def _id(label: str, **kwargs) -> fields.Integer:
    return fields.Integer(
        strict=True, validate=validate.Range(min=1, max=MAX_ID), metadata={"label": label}, **kwargs
    )


# --- categories ------------------------------------------------------------------------------


class ReportCategoryListArgsSchema(Schema):
    """`?include_inactive=` (ward staff: retired categories too)."""

    include_inactive = fields.Boolean(
        load_default=False, metadata={"label": "Gồm cả loại đã ngừng nhận"}
    )


class ReportCategoryUpdateSchema(Schema):
    """Changes to a ward's category; a new deadline applies to reports received from then on."""

    name = Text(
        validate=[validate.Length(min=1, max=120), no_control_chars], metadata={"label": "Tên"}
    )
    group = Text(
        validate=[validate.Length(min=1, max=80), no_control_chars], metadata={"label": "Nhóm"}
    )
    description = Text(
        allow_blank=True,  # an empty box: no description
        validate=[validate.Length(max=1000), no_control_chars],
        metadata={"label": "Mô tả"},
    )
    deadline_days = fields.Integer(
        strict=True,
        validate=validate.Range(min=1, max=60),
        metadata={"label": "Thời hạn xử lý (ngày làm việc)"},
    )
    active = fields.Boolean(metadata={"label": "Đang nhận phản ánh"})


class ReportCategoryCreateSchema(Schema):
    """A new category of a ward: a code unique in the ward (lower-case ASCII, digits, _)."""

    code = Text(
        required=True,
        validate=validate.Regexp(
            r"^[a-z0-9_]{2,40}$",
            error="Mã gồm 2 đến 40 ký tự a-z, 0-9 hoặc dấu gạch dưới, ví dụ «cap_nuoc».",
        ),
        metadata={"label": "Mã"},
    )
    name = Text(
        required=True,
        validate=[validate.Length(min=1, max=120), no_control_chars],
        metadata={"label": "Tên"},
    )
    group = Text(
        load_default="Khác",
        validate=[validate.Length(min=1, max=80), no_control_chars],
        metadata={"label": "Nhóm"},
    )
    description = Text(
        load_default="",
        allow_blank=True,  # an empty box: no description
        validate=[validate.Length(max=1000), no_control_chars],
        metadata={"label": "Mô tả"},
    )
    deadline_days = fields.Integer(
        strict=True,
        required=True,
        validate=validate.Range(min=1, max=60),
        metadata={"label": "Thời hạn xử lý (ngày làm việc)"},
    )


class ReportCategorySchema(Schema):
    """A report category of a ward (an Open311 service)."""

    code = fields.String(metadata={"example": "rac_thai"})
    name = fields.String(metadata={"example": "Rác thải, vệ sinh môi trường"})
    group = fields.String(metadata={"example": "Môi trường"})
    description = fields.String()
    deadline_days = fields.Integer(metadata={"description": "Working days.", "example": 2})
    active = fields.Boolean()


class ReportCategoryListSchema(Schema):
    """A ward's report categories."""

    items = fields.List(fields.Nested(ReportCategorySchema))


# --- reports ---------------------------------------------------------------------------------


class ReportCreateSchema(Schema):
    """A new report: JSON, or multipart/form-data with the same fields and up to 5 `photos`."""

    ward = Text(
        required=True,
        validate=validate.Length(min=1, max=120),
        metadata={"label": "Phường, xã", "example": "hoan-kiem"},
    )
    category = Text(
        required=True,
        validate=validate.Length(min=1, max=40),
        metadata={"label": "Loại phản ánh", "example": "rac_thai"},
    )
    description = Text(
        required=True,
        validate=[validate.Length(min=1, max=DESCRIPTION_MAX), no_control_chars],
        metadata={"label": "Nội dung phản ánh"},
    )
    lat = fields.Float(
        required=True,
        allow_nan=False,
        metadata={"label": "Vĩ độ", "example": 21.0285, "description": "In Hà Nội."},
    )
    long = fields.Float(
        required=True,
        allow_nan=False,
        metadata={"label": "Kinh độ", "example": 105.8542, "description": "In Hà Nội."},
    )
    address = Text(
        load_default=None,
        allow_blank=True,  # a form's empty box: no address
        validate=[validate.Length(max=300), no_control_chars],
        metadata={"label": "Địa chỉ"},
    )


class ReportCreateFormSchema(ReportCreateSchema):
    """The multipart form of a new report (documentation only: the view reads `photos`)."""

    photos = fields.List(
        Upload(),
        validate=validate.Length(max=images.MAX_PHOTOS),
        metadata={
            "label": "Ảnh",
            "description": "At most 5 JPEG, PNG or WebP files of at most 10 MB each; stored "
            "re-encoded without metadata, long side at most 1600 px.",
        },
    )


class ReportStatusChangeSchema(Schema):
    """A status change by ward staff, with its public note."""

    status = Text(
        required=True, validate=choice_of(STATUS_LABELS), metadata={"label": "Trạng thái"}
    )
    note = Text(
        required=True,
        validate=[validate.Length(min=1, max=NOTE_MAX), no_control_chars],
        metadata={"label": "Ghi chú công khai"},
    )
    duplicate_of = _id("Trùng với phản ánh", load_default=None)


class ReportCategoryChangeSchema(Schema):
    """File a report under another category of its ward (ward staff)."""

    category = Text(
        required=True, validate=validate.Length(max=40), metadata={"label": "Loại phản ánh"}
    )


class ReportReopenSchema(Schema):
    """The reporter's reason for reopening (optional, public)."""

    note = Text(
        load_default=None,
        validate=[validate.Length(max=NOTE_MAX), no_control_chars],
        metadata={"label": "Lý do mở lại"},
    )


class ReportRatingSchema(Schema):
    """The reporter's stars for the handling of a closed report."""

    stars = fields.Integer(
        strict=True,
        required=True,
        validate=validate.Range(min=1, max=5),
        metadata={"label": "Số sao"},
    )


class ReportRatingOutSchema(Schema):
    """A recorded rating."""

    report_id = fields.Integer()
    stars = fields.Integer()
    created_at = LocalDateTime()


class ReportHideSchema(Schema):
    """What ward staff hide from the public, and why (kept in the audit)."""

    target = Text(
        required=True, validate=choice_of(HIDE_TARGET_LABELS), metadata={"label": "Phần cần ẩn"}
    )
    photo_id = _id("Ảnh", load_default=None)
    reason = Text(
        required=True,
        validate=[validate.Length(min=1, max=1000), no_control_chars],
        metadata={"label": "Lý do"},
    )


class ReportBoardArgsSchema(PageArgsSchema):
    """`?status=&category=&overdue=&cursor=&limit=` of a ward's public board."""

    status = Text(
        load_default=None,
        validate=choice_of(STATUS_FILTER_LABELS),
        metadata={"label": "Trạng thái", "description": "A status, or `open` / `closed`."},
    )
    category = Text(
        load_default=None, validate=validate.Length(max=40), metadata={"label": "Loại phản ánh"}
    )
    overdue = fields.Boolean(
        load_default=None,
        metadata={"label": "Quá hạn", "description": "true: open and past due (quá hạn)."},
    )


class ReportQueueArgsSchema(PageArgsSchema):
    """`?category=&cursor=&limit=` of a ward's triage queue."""

    category = Text(
        load_default=None, validate=validate.Length(max=40), metadata={"label": "Loại phản ánh"}
    )


class ReportSeenSchema(Schema):
    """The reports whose current state the reporter's app showed (none given: all of them)."""

    report_ids = fields.List(
        fields.Integer(strict=True, validate=validate.Range(min=1, max=MAX_ID)),
        load_default=None,
        validate=validate.Length(max=200),
        metadata={"label": "Phản ánh"},
    )


class ReportPhotoSchema(Schema):
    """A photo of a report (served without metadata)."""

    id = fields.Integer()
    url = fields.String(metadata={"example": "/api/v1/reports/1/photos/1"})
    width = fields.Integer()
    height = fields.Integer()
    hidden = fields.Boolean(metadata={"description": "Shown to ward staff and the reporter."})


class ReportEventSchema(Schema):
    """One entry of a report's public history."""

    status = fields.String()
    status_label = label_field(STATUS_LABELS, of="status")
    at = LocalDateTime()
    note = fields.String()


class ReportPersonSchema(Schema):
    """Who sent a report: shown to ward staff only."""

    id = fields.Integer()
    name = fields.String(allow_none=True)


class ReportSchema(Schema):
    """A report. Its reporter is never identified but to the reporter (`mine`) and ward staff."""

    id = fields.Integer()
    ward = fields.String(metadata={"example": "00070"})
    category = fields.String(metadata={"example": "rac_thai"})
    category_name = fields.String()
    category_group = fields.String()
    description = fields.String(
        metadata={"description": "Plain text; a placeholder when hidden by moderation."}
    )
    description_hidden = fields.Boolean()
    status = fields.String(metadata={"enum": list(STATUS_LABELS)})
    status_label = label_field(STATUS_LABELS, of="status")
    created_at = LocalDateTime()
    updated_at = LocalDateTime()
    due_at = LocalDateTime(metadata={"description": "End of the N-th working day (23:59:59)."})
    closed_at = LocalDateTime(allow_none=True)
    overdue = fields.Boolean(metadata={"description": "Open and past due (quá hạn)."})
    lat = fields.Float()
    long = fields.Float()
    address = fields.String(allow_none=True)
    duplicate_of = fields.Integer(allow_none=True)
    photos = fields.List(fields.Nested(ReportPhotoSchema))
    history = fields.List(
        fields.Nested(ReportEventSchema), metadata={"description": "Oldest first."}
    )
    rating = fields.Integer(allow_none=True)
    mine = fields.Boolean(metadata={"description": "True for the reporter only."})
    # The reporter's own view
    can_reopen = fields.Boolean()
    can_rate = fields.Boolean()
    updated_since_seen = fields.Boolean()
    # Ward staff's view
    reporter = fields.Nested(ReportPersonSchema, allow_none=True)
    allowed_statuses = fields.List(fields.String())


class ReportListSchema(Schema):
    """A page of reports (without their history)."""

    items = fields.List(fields.Nested(ReportSchema))
    next_cursor = fields.String(allow_none=True)


class MyReportListSchema(ReportListSchema):
    """A page of the caller's reports, with the badge count."""

    unseen_count = fields.Integer(
        metadata={"description": "The caller's reports changed by the ward since last seen."}
    )


class ReportUnseenCountSchema(Schema):
    """The "my reports" badge."""

    unseen_count = fields.Integer()


class ReportModerationEntrySchema(Schema):
    """An audited act of moderation."""

    id = fields.Integer()
    target = fields.String()
    target_label = label_field(HIDE_TARGET_LABELS, of="target")
    photo_id = fields.Integer(allow_none=True)
    reason = fields.String()
    actor = fields.Nested(ReportPersonSchema, allow_none=True)
    at = LocalDateTime()


class ReportModerationLogSchema(Schema):
    """A report's moderation audit, oldest first."""

    items = fields.List(fields.Nested(ReportModerationEntrySchema))
