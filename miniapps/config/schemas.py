"""Request and response schemas of the miniapp config API (names prefixed for OpenAPI)."""

from marshmallow import Schema, fields, validate

from app.fields import LocalDateTime, Text
from miniapps.config.document import MiniappConfigSchema


class MiniappPublishSchema(Schema):
    """Optional summary of a publication (computed from the changes when left out)."""

    summary = Text(
        load_default=None,
        validate=validate.Length(min=1, max=500),
        metadata={
            "label": "Tóm tắt thay đổi",
            "description": "Tóm tắt thay đổi / summary of the change",
        },
    )


class MiniappVersionSchema(Schema):
    """One published version of a ward's config."""

    version = fields.Integer()
    published_at = LocalDateTime()
    author = fields.String(
        allow_none=True,
        metadata={"description": "Tên người xuất bản; null cho hệ thống hoặc tài khoản đã xóa."},
    )
    summary = fields.String()
    etag = fields.String(metadata={"description": "Strong ETag of this version's bytes"})


class MiniappVersionListSchema(Schema):
    """Published versions, newest first."""

    items = fields.List(fields.Nested(MiniappVersionSchema))
    next_cursor = fields.String(allow_none=True)


class MiniappVersionDetailSchema(MiniappVersionSchema):
    """One published version with its whole document."""

    document = fields.Nested(MiniappConfigSchema)


class MiniappAuditEntrySchema(Schema):
    """One change to a ward's config."""

    id = fields.Integer()
    action = fields.String(
        metadata={
            "enum": [
                "initial_publish",
                "draft_save",
                "draft_discard",
                "publish",
                "restore",
                "template_publish",
            ]
        }
    )
    ward = fields.String()
    actor = fields.String(allow_none=True)
    at = LocalDateTime()
    details = fields.Dict()


class MiniappAuditListSchema(Schema):
    """Audit entries, newest first."""

    items = fields.List(fields.Nested(MiniappAuditEntrySchema))
    next_cursor = fields.String(allow_none=True)


class MiniappTemplateSchema(Schema):
    """A city-wide template (version 0 is the built-in one, never edited yet)."""

    type = fields.String(metadata={"enum": ["phuong", "xa"]})
    version = fields.Integer()
    updated_at = LocalDateTime(allow_none=True)
    updated_by = fields.String(allow_none=True)
    document = fields.Dict(
        metadata={
            "description": "Một tài liệu cấu hình không có mục ward (và thường không có "
            "app.title, contacts.office_address: điền theo từng đơn vị)."
        }
    )


class MiniappTemplateReachSchema(Schema):
    """Which wards a template change reaches (wards that set a field keep their value)."""

    type = fields.String()
    changed_paths = fields.List(fields.String())
    wards_reached = fields.List(fields.String(), metadata={"description": "Mã các đơn vị"})
    count = fields.Integer()


class MiniappTemplateUpdateSchema(MiniappTemplateReachSchema):
    """A saved template, its reach, and the wards republished because of it."""

    template = fields.Nested(MiniappTemplateSchema)
    republished = fields.List(
        fields.Dict(), metadata={"description": "[{ward, version}] created by this change"}
    )
