"""Schemas of the audit log."""

from marshmallow import Schema, fields, validate

from app.fields import Text
from app.pagination import PageArgsSchema


class AuditLogArgsSchema(PageArgsSchema):
    """`?action=&limit=&cursor=` of a ward's audit log."""

    action = Text(
        load_default=None,
        allow_blank=True,
        validate=validate.Length(max=60),
        metadata={
            "label": "Loại thao tác",
            "description": "Tiền tố của thao tác, ví dụ `notice` hoặc `role.granted`",
        },
    )


class CityAuditLogArgsSchema(AuditLogArgsSchema):
    """`?ward=&action=&limit=&cursor=` of the whole city's audit log."""

    ward = Text(
        load_default=None,
        allow_blank=True,
        validate=validate.Length(max=120),
        metadata={"label": "Phường, xã", "description": "Mã hoặc tên rút gọn của phường, xã"},
    )


class AuditLogActorSchema(Schema):
    """Who acted: a person, an API client or the system, named as they are now."""

    kind = fields.String(
        validate=validate.OneOf(["person", "client", "system"]),
        metadata={"description": "person | client | system"},
    )
    name = fields.String(
        metadata={"description": "The person's or client's name; «Tài khoản đã xóa» if erased"}
    )


class AuditLogObjectSchema(Schema):
    """What the act was done to."""

    type = fields.String(metadata={"example": "notice"})
    id = fields.String(allow_none=True, metadata={"example": "42"})
    label = fields.String(allow_none=True, metadata={"description": "A title, never a resident"})


class AuditLogEntrySchema(Schema):
    """One privileged act."""

    id = fields.Integer()
    at = fields.String(metadata={"description": "When (ISO 8601, +07:00)"})
    actor = fields.Nested(AuditLogActorSchema)
    action = fields.String(metadata={"example": "notice.published"})
    action_label = fields.String(
        metadata={"example": "Đăng thông báo", "description": "The act, for people (Vietnamese)"}
    )
    object = fields.Nested(AuditLogObjectSchema)
    ward = fields.String(allow_none=True, metadata={"description": "The ward's code, or null"})


class AuditLogPageSchema(Schema):
    """A page of the audit log, newest first."""

    items = fields.List(fields.Nested(AuditLogEntrySchema))
    next = fields.String(
        allow_none=True, metadata={"description": "Send as `cursor` for the next page"}
    )
    has_more = fields.Boolean()
