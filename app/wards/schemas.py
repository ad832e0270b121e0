"""Ward schemas."""

from marshmallow import Schema, fields

from app.fields import Text
from app.pagination import PageArgsSchema


class WardSchema(Schema):
    """A ward as the API shows it."""

    code = fields.String(metadata={"example": "00070"})
    name = fields.String(metadata={"example": "Phường Hoàn Kiếm"})
    type = fields.String(metadata={"enum": ["phuong", "xa"]})
    slug = fields.String(metadata={"example": "hoan-kiem"})


class WardListSchema(Schema):
    """A page of wards."""

    items = fields.List(fields.Nested(WardSchema))
    next_cursor = fields.String(allow_none=True)


class WardSearchArgsSchema(PageArgsSchema):
    """Search arguments: `q` matches with or without diacritics."""

    q = Text(
        load_default=None, allow_blank=True, metadata={"label": "Từ khóa", "example": "hoan kiem"}
    )
