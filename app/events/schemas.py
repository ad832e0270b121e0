"""Schemas of the change feed."""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from app.fields import Text
from app.pagination import DEFAULT_LIMIT, MAX_LIMIT


class ChangesArgsSchema(Schema):
    """`?ward=&since=&limit=` (or `department=` instead of `ward=`) of the change feed."""

    ward = Text(
        load_default=None,
        validate=validate.Length(min=1, max=120),
        metadata={"label": "Phường, xã", "description": "A ward's code or slug"},
    )
    department = Text(
        load_default=None,
        validate=validate.Length(min=1, max=120),
        metadata={
            "label": "Sở, ban, ngành",
            "description": "A department's code (SKHCN …), instead of `ward`",
        },
    )
    since = Text(
        load_default=None,
        allow_blank=True,
        metadata={
            "label": "Mốc đã đọc",
            "description": "`next` của lần đọc trước; bỏ trống lần đầu",
        },
    )
    limit = fields.Integer(
        load_default=DEFAULT_LIMIT,
        validate=validate.Range(min=1, max=MAX_LIMIT),
        metadata={"label": "Số mục mỗi trang"},
    )

    @validates_schema
    def _one_feed(self, data, **kwargs):
        if (data.get("ward") is None) == (data.get("department") is None):
            raise ValidationError(
                "Cần chọn đúng một trong hai: một phường, xã (ward) hoặc một sở, ban, ngành "
                "(department).",
                "ward",
            )


class ChangeSchema(Schema):
    """One change: the same `{type, timestamp, data}` a webhook carries, with its id."""

    id = fields.String(metadata={"description": "The event's id (`webhook-id` of its webhook)"})
    type = fields.String(metadata={"example": "report.status_changed"})
    timestamp = fields.String(metadata={"description": "When it happened (ISO 8601, +07:00)"})
    ward = fields.String(
        allow_none=True, metadata={"description": "The ward's code (null in a department's feed)"}
    )
    data = fields.Dict(
        metadata={"description": "Public facts of the change, by type (docs/integrators)"}
    )


class ChangesSchema(Schema):
    """A page of a feed's changes, oldest first."""

    items = fields.List(fields.Nested(ChangeSchema))
    next = fields.String(
        metadata={"description": "Send as `since` next time (also when `items` is empty)"}
    )
    has_more = fields.Boolean(metadata={"description": "More changes wait: read again at once"})
