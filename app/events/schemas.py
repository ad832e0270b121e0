"""Schemas of the change feed."""

from marshmallow import Schema, fields, validate

from app.fields import Text
from app.pagination import DEFAULT_LIMIT, MAX_LIMIT


class ChangesArgsSchema(Schema):
    """`?ward=&since=&limit=` of the change feed."""

    ward = Text(
        required=True, validate=validate.Length(min=1, max=120), metadata={"label": "Phường, xã"}
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


class ChangeSchema(Schema):
    """One change: the same `{type, timestamp, data}` a webhook carries, with its id."""

    id = fields.String(metadata={"description": "The event's id (`webhook-id` of its webhook)"})
    type = fields.String(metadata={"example": "notice.published"})
    timestamp = fields.String(metadata={"description": "When it happened (ISO 8601, +07:00)"})
    ward = fields.String(allow_none=True)
    data = fields.Dict()


class ChangesSchema(Schema):
    """A page of a ward's changes, oldest first."""

    items = fields.List(fields.Nested(ChangeSchema))
    next = fields.String(
        metadata={"description": "Send as `since` next time (also when `items` is empty)"}
    )
    has_more = fields.Boolean(metadata={"description": "More changes wait: read again at once"})
