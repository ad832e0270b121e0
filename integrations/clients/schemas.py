"""Schemas of the API clients' endpoints."""

from marshmallow import Schema, fields, validate

from app.fields import LocalDateTime, Text, no_control_chars
from app.wards.schemas import WARD_NAMES_DOC, WardNamesField
from integrations.clients.surface import SCOPE_LABELS

_SCOPES_DOC = "; ".join(f"`{scope}`: {label}" for scope, label in SCOPE_LABELS.items())


_WARDS_DOC = WARD_NAMES_DOC


class ClientCreateSchema(Schema):
    """A client to register: its name, the scopes and the wards granted."""

    name = Text(
        required=True,
        validate=[validate.Length(min=2, max=120), no_control_chars],
        metadata={"label": "Tên ứng dụng", "example": "Cổng dữ liệu Trường THCS Hoàn Kiếm"},
    )
    scopes = fields.List(
        Text(validate=validate.Length(min=1, max=40)),
        required=True,
        validate=validate.Length(min=1, max=len(SCOPE_LABELS)),
        metadata={
            "label": "Phạm vi truy cập",
            "description": f"Scopes granted: {_SCOPES_DOC}.",
            "example": ["notices:read"],
        },
    )
    wards = WardNamesField(
        required=True,
        metadata={
            "label": "Phường, xã",
            "description": 'Ward codes or slugs, or "all" (every ward, and reads across wards).',
            **_WARDS_DOC,
        },
    )


class ClientSchema(Schema):
    """A registered client (never its secret)."""

    client_id = fields.String(metadata={"example": "pxsc_4f1c0a9e2b7d3c5a6e8f0b1d"})
    name = fields.String()
    scopes = fields.List(fields.String(), metadata={"description": f"Scopes: {_SCOPES_DOC}."})
    wards = WardNamesField(metadata={"description": 'Ward codes, or "all".', **_WARDS_DOC})
    created_at = LocalDateTime()
    created_by = fields.String(
        allow_none=True, metadata={"description": "The name of the city admin who registered it."}
    )


class ClientCreatedSchema(ClientSchema):
    """A client just registered, with its secret: shown this once, never again."""

    client_secret = fields.String(
        metadata={
            "description": "Keep it safe: it is stored only as a hash and never shown again. "
            "A retry with the same Idempotency-Key by the same admin gets the same answer."
        }
    )


class ClientListSchema(Schema):
    """The registered clients, newest first."""

    items = fields.List(fields.Nested(ClientSchema))
