"""Notice schemas."""

from flask_smorest.fields import Upload
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from app.fields import LocalDateTime, Text, label_field
from app.pagination import PageArgsSchema
from app.validation import choice_of
from app.wards.schemas import WARD_NAMES_DOC, WardNamesField
from community.common import MAX_ID, no_control_chars
from community.notices.models import (
    CATEGORIES,
    PRIORITIES,
    PRIORITY_LABELS,
    STATUS_LABELS,
    STATUSES,
)

TITLE_MAX = 200
BODY_MAX = 10_000
MAX_COMMUNITIES = 100


class NoticeCreateSchema(Schema):
    """A new notice; `community_ids` empty means ward-wide. The body is plain text."""

    title = Text(
        required=True,
        validate=[validate.Length(min=3, max=TITLE_MAX), no_control_chars],
        metadata={"label": "Tiêu đề"},
    )
    body = Text(
        required=True,
        validate=[validate.Length(min=1, max=BODY_MAX), no_control_chars],
        metadata={"label": "Nội dung"},
    )
    ward = Text(
        load_default=None,
        validate=validate.Length(min=1, max=120),
        metadata={"label": "Phường, xã"},
    )
    wards = WardNamesField(
        load_default=None,
        metadata={
            "label": "Các phường, xã",
            "description": 'City-wide publishing: ward codes or slugs, or "all" (instead of '
            "`ward`; city admins, department staff, API clients with notices:write on each). "
            "The answer is then the broadcast: `{id, title, wards, notices[{id, ward}], …}`.",
            **WARD_NAMES_DOC,
        },
    )
    department = Text(
        load_default=None,
        validate=validate.Length(min=1, max=5),
        metadata={
            "label": "Sở, ngành gửi",
            "description": "The department sending it (its staff only), shown as the sender.",
        },
    )
    community_ids = fields.List(
        fields.Integer(strict=True, validate=validate.Range(min=1, max=MAX_ID)),
        load_default=list,
        validate=validate.Length(max=MAX_COMMUNITIES),
        metadata={"label": "Cộng đồng"},
    )
    category = Text(required=True, validate=choice_of(CATEGORIES), metadata={"label": "Danh mục"})
    priority = Text(
        load_default="normal",
        validate=choice_of(PRIORITY_LABELS),
        metadata={"label": "Mức ưu tiên"},
    )
    pinned = fields.Boolean(load_default=False, metadata={"label": "Ghim lên đầu"})
    publish_at = LocalDateTime(
        load_default=None, allow_none=True, metadata={"label": "Thời điểm đăng"}
    )
    expires_at = LocalDateTime(
        load_default=None, allow_none=True, metadata={"label": "Thời điểm hết hạn"}
    )
    status = Text(
        load_default="published",
        validate=choice_of({k: STATUS_LABELS[k] for k in ("draft", "published")}),
        metadata={"label": "Trạng thái"},
    )

    @validates_schema
    def _addressed(self, data, **kwargs):
        if (data.get("ward") is None) == (data.get("wards") is None):
            raise ValidationError(
                "Cần chọn đúng một trong hai: một phường, xã (ward) hoặc nhiều phường, xã (wards).",
                "ward",
            )
        if data.get("wards") is not None:
            if data.get("community_ids"):
                raise ValidationError(
                    "Thông báo gửi nhiều phường, xã không chọn cộng đồng.", "community_ids"
                )
            if data.get("status") == "draft":
                raise ValidationError(
                    "Thông báo gửi nhiều phường, xã không lưu nháp; hãy hẹn giờ đăng.", "status"
                )


class CategorySchema(Schema):
    """A notice category: its code and Vietnamese label."""

    code = fields.String(metadata={"example": "y_te"})
    label = fields.String(metadata={"example": "Y tế"})


class CategoryListSchema(Schema):
    """Every notice category."""

    items = fields.List(fields.Nested(CategorySchema))


class ImageSchema(Schema):
    """A picture attached to a notice."""

    id = fields.Integer()
    url = fields.String(metadata={"example": "/api/v1/notices/1/images/1"})
    mimetype = fields.String(metadata={"enum": ["image/jpeg", "image/png"]})
    width = fields.Integer()
    height = fields.Integer()
    size = fields.Integer()


class ImageUploadSchema(Schema):
    """A JPEG, PNG or WebP picture (at most 5 MB), sent as multipart/form-data `file`."""

    file = Upload(required=True, metadata={"label": "Tệp ảnh"})


class SenderSchema(Schema):
    """The department (sở, ngành) that sent a notice."""

    code = fields.String(metadata={"example": "SKHCN"})
    name = fields.String(metadata={"example": "Sở Khoa học và Công nghệ"})
    short_name = fields.String()


class NoticeSchema(Schema):
    """A notice. `body` is plain text: clients must show it as text, never as HTML."""

    id = fields.Integer()
    ward = fields.String()
    title = fields.String()
    body = fields.String()
    category = fields.Nested(CategorySchema)
    priority = fields.String(metadata={"enum": list(PRIORITIES)})
    pinned = fields.Boolean()
    status = fields.String(metadata={"enum": list(STATUSES)})
    status_label = label_field(STATUS_LABELS, of="status")
    community_ids = fields.List(fields.Integer())
    author_name = fields.String(allow_none=True)
    department = fields.Nested(
        SenderSchema,
        allow_none=True,
        metadata={"description": "The department that sent it (shown as «Từ: …»), if any."},
    )
    broadcast_id = fields.Integer(
        allow_none=True, metadata={"description": "The city-wide notice it belongs to, if any."}
    )
    publish_at = LocalDateTime(allow_none=True)
    published_at = LocalDateTime(allow_none=True)
    expires_at = LocalDateTime(allow_none=True)
    created_at = LocalDateTime()
    images = fields.List(fields.Nested(ImageSchema))
    read = fields.Boolean(metadata={"description": "Whether the caller marked it read."})


class NoticeCreatedSchema(NoticeSchema):
    """The created notice."""


class CommunityReachSchema(Schema):
    """Reach within one addressed community."""

    community_id = fields.Integer()
    name = fields.String(allow_none=True)
    audience = fields.Integer()
    read = fields.Integer()
    read_share = fields.Float()


class NoticeStatsSchema(Schema):
    """Reach of a notice: audience at publication, delivered (shown in the app), read."""

    notice_id = fields.Integer()
    delivered_at = LocalDateTime(allow_none=True)
    audience = fields.Integer()
    delivered = fields.Integer()
    read = fields.Integer()
    read_share = fields.Float(metadata={"description": "read / audience, from 0 to 1"})
    by_community = fields.List(fields.Nested(CommunityReachSchema))


class WardNoticeListArgsSchema(PageArgsSchema):
    """`?status=&limit=&cursor=` of a ward's notice list."""

    status = Text(
        load_default=None,
        validate=choice_of({k: STATUS_LABELS[k] for k in STATUSES}),
        metadata={"label": "Trạng thái"},
    )


class WardNoticeSchema(NoticeSchema):
    """A notice as its ward's staff list it: with delivery and withdrawal times."""

    delivered_at = LocalDateTime(
        allow_none=True, metadata={"description": "When it reached its audience's feeds."}
    )
    withdrawn_at = LocalDateTime(allow_none=True)


class WardNoticeListSchema(Schema):
    """A page of a ward's notices, newest first."""

    items = fields.List(fields.Nested(WardNoticeSchema))
    next_cursor = fields.String(allow_none=True)


class FeedArgsSchema(PageArgsSchema):
    """`?category=&q=&limit=&cursor=` of the feed: `q` matches title and body, with or
    without diacritics."""

    category = Text(
        load_default=None, validate=choice_of(CATEGORIES), metadata={"label": "Lĩnh vực"}
    )
    q = Text(
        load_default=None,
        allow_blank=True,  # an empty search box: the whole feed
        validate=[validate.Length(max=100), no_control_chars],
        metadata={"label": "Từ khóa"},
    )


class FeedSchema(Schema):
    """A page of the caller's feed."""

    items = fields.List(fields.Nested(NoticeSchema))
    next_cursor = fields.String(allow_none=True)


class FeedSeenSchema(Schema):
    """The notices of the caller's feed that their app has just shown."""

    notice_ids = fields.List(
        fields.Integer(strict=True, validate=validate.Range(min=1, max=MAX_ID)),
        required=True,
        validate=validate.Length(min=1, max=100),
        metadata={"label": "Thông báo"},
    )


class UnreadCountSchema(Schema):
    """How many live notices in the caller's feed are unread."""

    unread_count = fields.Integer()


class BroadcastNoticeSchema(Schema):
    """One ward's notice of a city-wide notice."""

    id = fields.Integer()
    ward = fields.String()


class BroadcastSchema(Schema):
    """A notice sent to many wards: one notice per ward, and its reach in total."""

    id = fields.Integer()
    title = fields.String()
    category = fields.Nested(CategorySchema)
    department = fields.Nested(SenderSchema, allow_none=True)
    author_name = fields.String(allow_none=True)
    created_at = LocalDateTime()
    publish_at = LocalDateTime(allow_none=True)
    withdrawn_at = LocalDateTime(allow_none=True)
    status = fields.String(metadata={"enum": list(STATUSES)})
    status_label = fields.String()
    wards = fields.Integer(metadata={"description": "How many wards it was sent to."})
    delivered = fields.Integer(metadata={"description": "Wards where it has been delivered."})
    audience = fields.Integer(metadata={"description": "Residents addressed, all wards."})
    read = fields.Integer(metadata={"description": "Of them, those who read it."})
    share = fields.Float(metadata={"description": "read / audience, from 0 to 1"})


class BroadcastCreatedSchema(BroadcastSchema):
    """The created city-wide notice, with each ward's notice."""

    notices = fields.List(fields.Nested(BroadcastNoticeSchema))


class WardReachSchema(Schema):
    """A city-wide notice's reach in one ward, from that ward's notice's counters."""

    ward = fields.String()
    name = fields.String()
    notice_id = fields.Integer()
    status = fields.String(metadata={"enum": list(STATUSES)})
    delivered = fields.Boolean(metadata={"description": "Whether it reached the feeds yet."})
    audience = fields.Integer()
    read = fields.Integer()
    share = fields.Float(metadata={"description": "read / audience, from 0 to 1"})


class BroadcastReachSchema(BroadcastCreatedSchema):
    """A city-wide notice with its reach per ward (`items`, by ward code) and in total."""

    items = fields.List(fields.Nested(WardReachSchema))


class BroadcastListSchema(Schema):
    """A page of city-wide notices, newest first."""

    items = fields.List(fields.Nested(BroadcastSchema))
    next_cursor = fields.String(allow_none=True)
