"""Identity schemas."""

from marshmallow import Schema, fields, validate

from app.database import MAX_ID
from app.fields import LocalDateTime, Text
from app.identity.models import ROLE_LABELS, ROLES
from app.validation import choice_of


class RoleSchema(Schema):
    """A role held by the user."""

    id = fields.Integer(dump_only=True)
    role = fields.String(metadata={"enum": list(ROLES)})
    ward = fields.String(attribute="ward_code", allow_none=True)
    community_id = fields.Integer(allow_none=True)
    department = fields.String(
        attribute="department_code",
        allow_none=True,
        metadata={"example": "SKHCN", "description": "Mã sở, ngành (vai trò của sở, ngành)"},
    )


class MeSchema(Schema):
    """The signed-in user."""

    id = fields.Integer()
    name = fields.String(allow_none=True)
    vneid_level = fields.Integer()
    roles = fields.List(fields.Nested(RoleSchema), attribute="grants")
    csrf_token = fields.String()
    consent_required = fields.Boolean(
        metadata={
            "description": "True until the person accepts the current privacy notice "
            "(GET /api/v1/privacy-notice, POST /api/v1/me/consent)."
        }
    )


class PrivacySectionSchema(Schema):
    """One part of the privacy notice."""

    heading = fields.String()
    text = fields.String()


class PrivacyNoticeSchema(Schema):
    """The privacy notice shown at the first sign-in, in plain Vietnamese."""

    version = fields.String(metadata={"example": "2026-11"})
    title = fields.String()
    sections = fields.List(fields.Nested(PrivacySectionSchema))


class ConsentSchema(Schema):
    """Accept a version of the privacy notice."""

    policy_version = Text(
        required=True,
        validate=validate.Length(max=20),
        metadata={"label": "Phiên bản thông báo", "example": "2026-11"},
    )


class TokenSchema(Schema):
    """A bearer token for API clients."""

    access_token = fields.String()
    token_type = fields.String(metadata={"example": "Bearer"})
    expires_in = fields.Integer(metadata={"example": 3600})


class GrantCreateSchema(Schema):
    """Grant a role to a person who has signed in at least once."""

    sub = Text(
        required=True,
        validate=validate.Length(min=1, max=255),
        metadata={"label": "Mã định danh người dân"},
    )
    role = Text(required=True, validate=choice_of(ROLE_LABELS), metadata={"label": "Vai trò"})
    ward = Text(
        load_default=None, validate=validate.Length(max=120), metadata={"label": "Phường, xã"}
    )
    community_id = fields.Integer(
        load_default=None,
        strict=True,
        validate=validate.Range(min=1, max=MAX_ID),
        metadata={"label": "Cộng đồng"},
    )
    department = Text(
        load_default=None,
        validate=validate.Length(max=120),
        metadata={
            "label": "Sở, ngành",
            "example": "SKHCN",
            "description": "Mã hoặc slug của sở, ngành, cho department_admin, department_editor",
        },
    )


class GrantSchema(RoleSchema):
    """A grant as ward and department admins see it."""

    user_id = fields.Integer()
    user_name = fields.Function(lambda g: g.user.name)
    granted_at = LocalDateTime()


class GrantListSchema(Schema):
    """Grants within a ward or a department."""

    items = fields.List(fields.Nested(GrantSchema))
    next_cursor = fields.String(allow_none=True)
