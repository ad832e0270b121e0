"""Ward schemas."""

from marshmallow import Schema, ValidationError, fields

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


MAX_WARD_NAMES = 500  # codes or slugs in a list of wards (duplicates collapse; 126 units)
ALL_WARDS = "all"
WARD_NAMES_DOC = {
    "oneOf": [
        {"type": "array", "items": {"type": "string"}, "maxItems": MAX_WARD_NAMES},
        {"type": "string", "enum": [ALL_WARDS]},
    ],
}


class WardNamesField(fields.Field):
    """A list of ward codes or slugs, or the string "all" (every one of the 126): the wards
    a city-wide notice goes to, or an API client is granted. Resolving the names is the
    caller's (app.wards.service); this only checks the shape."""

    def _deserialize(self, value, attr, data, **kwargs):
        if value == ALL_WARDS:
            return ALL_WARDS
        if not isinstance(value, list):
            raise ValidationError('Phải là danh sách mã hoặc tên phường, xã, hoặc "all".')
        if not value:
            raise ValidationError("Cần ít nhất một phường, xã.")
        if len(value) > MAX_WARD_NAMES:
            raise ValidationError(f"Nhiều nhất {MAX_WARD_NAMES} mục.")
        names = []
        for item in value:
            if not isinstance(item, str) or not item.strip() or len(item) > 120:
                raise ValidationError("Mỗi mục là mã hoặc tên không dấu của một phường, xã.")
            names.append(item.strip())
        return names

    def _serialize(self, value, attr, obj, **kwargs):
        return value
