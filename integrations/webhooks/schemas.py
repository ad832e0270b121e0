"""Webhook schemas: what the API takes (checked for shape) and what it answers."""

from marshmallow import Schema, fields, validate

from app.fields import LocalDateTime, Text, label_field, no_control_chars
from app.pagination import PageArgsSchema
from integrations.webhooks.models import (
    DELIVERY_STATUS_LABELS,
    ENDPOINT_STATUS_LABELS,
    URL_MAX,
)

EVENTS_MAX = 50


class WebhookCreateSchema(Schema):
    """A new endpoint: where to POST, which events, which ward (none: every ward)."""

    url = Text(
        required=True,
        validate=[validate.Length(min=1, max=URL_MAX), no_control_chars],
        metadata={"label": "Địa chỉ nhận", "example": "https://he-thong.example.vn/webhooks"},
    )
    events = fields.List(
        Text(validate=validate.Length(min=1, max=60)),
        required=True,
        validate=validate.Length(min=1, max=EVENTS_MAX),
        metadata={"label": "Loại sự kiện", "example": ["notice.published", "report.created"]},
    )
    ward = Text(
        load_default=None,
        allow_none=True,
        validate=validate.Length(min=1, max=120),
        metadata={
            "label": "Phường, xã",
            "description": "Mã hoặc slug của phường, xã; bỏ trống (null) = mọi phường, xã "
            "(chỉ quản trị thành phố)",
        },
    )
    description = Text(
        load_default="",
        allow_blank=True,
        validate=[validate.Length(max=200), no_control_chars],
        metadata={"label": "Mô tả"},
    )


class WebhookListArgsSchema(Schema):
    """`?ward=`: the endpoints of one ward (and, for city admins, every ward's when omitted)."""

    ward = Text(
        load_default=None,
        validate=validate.Length(min=1, max=120),
        metadata={"label": "Phường, xã"},
    )


class WebhookSchema(Schema):
    """An endpoint (its secret only in the answer that created it)."""

    id = fields.Integer()
    url = fields.String()
    ward = fields.String(allow_none=True, metadata={"description": "null: every ward"})
    ward_name = fields.String(allow_none=True)
    events = fields.List(fields.String())
    description = fields.String()
    active = fields.Boolean()
    status = fields.String(metadata={"example": "active"})
    status_label = label_field(ENDPOINT_STATUS_LABELS, of="status")
    disabled_at = LocalDateTime(allow_none=True)
    disabled_reason = fields.String(allow_none=True)
    created_at = LocalDateTime()
    pending = fields.Integer(metadata={"description": "Deliveries waiting to be sent"})
    secret = fields.String(
        metadata={"description": "`whsec_` + base64; shown once, when the endpoint is created"}
    )


class WebhookListSchema(Schema):
    """The endpoints the caller manages."""

    items = fields.List(fields.Nested(WebhookSchema))


class EventTypeSchema(Schema):
    """A kind of event an endpoint may subscribe to."""

    name = fields.String(metadata={"example": "notice.published"})
    label = fields.String(metadata={"example": "Thông báo được đăng"})
    scope = fields.String(allow_none=True)


class EventTypeListSchema(Schema):
    """Every event type endpoints may subscribe to."""

    items = fields.List(fields.Nested(EventTypeSchema))


class AttemptSchema(Schema):
    """One try at a delivery."""

    at = LocalDateTime()
    status_code = fields.Integer(allow_none=True)
    error = fields.String(allow_none=True)
    duration_ms = fields.Integer()


class DeliverySchema(Schema):
    """One event sent (or to send) to the endpoint, with its attempts, newest first."""

    id = fields.Integer()
    event_id = fields.String(metadata={"description": "The `webhook-id` header"})
    event_type = fields.String()
    event_label = fields.String()
    event_timestamp = fields.String()
    status = fields.String()
    status_label = label_field(DELIVERY_STATUS_LABELS, of="status")
    next_attempt_at = LocalDateTime(allow_none=True)
    last_status_code = fields.Integer(allow_none=True)
    last_error = fields.String(allow_none=True)
    created_at = LocalDateTime()
    delivered_at = LocalDateTime(allow_none=True)
    attempts = fields.List(fields.Nested(AttemptSchema))


class DeliveryListSchema(Schema):
    """A page of an endpoint's deliveries, newest first."""

    items = fields.List(fields.Nested(DeliverySchema))
    next_cursor = fields.String(allow_none=True)


class DeliveryListArgsSchema(PageArgsSchema):
    """`?limit=&cursor=` of the delivery log."""
