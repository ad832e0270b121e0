"""Department schemas."""

from marshmallow import Schema, fields

from app.fields import Text
from app.pagination import PageArgsSchema


class DepartmentSchema(Schema):
    """A department as the API shows it."""

    code = fields.String(metadata={"example": "SKHCN", "description": "Mã sở, ngành"})
    name = fields.String(metadata={"example": "Sở Khoa học và Công nghệ"})
    short_name = fields.String(metadata={"example": "Sở KH&CN"})
    slug = fields.String(metadata={"example": "khoa-hoc-va-cong-nghe"})
    type = fields.String(metadata={"enum": ["so"], "description": "Loại đơn vị: sở, ban, ngành"})


class DepartmentListSchema(Schema):
    """A page of departments."""

    items = fields.List(fields.Nested(DepartmentSchema))
    next_cursor = fields.String(allow_none=True)


class DepartmentSearchArgsSchema(PageArgsSchema):
    """Search arguments: `q` matches with or without diacritics."""

    q = Text(
        load_default=None,
        allow_blank=True,
        metadata={"label": "Từ khóa", "example": "khoa hoc"},
    )
