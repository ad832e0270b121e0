"""Webhook endpoints: register, list, delete, re-enable; the delivery log, replay, a test event.

A ward's endpoints are managed by that ward's admins and city admins; every-ward endpoints by
city admins only. An endpoint outside the caller's reach answers 404, as if it did not exist.
"""

from flask_smorest import Blueprint

from app.events.models import Event
from app.extensions import db
from app.idempotency import idempotent_create
from app.identity import auth, policy
from app.identity.models import User
from app.pagination import decode_id_cursor, page
from app.wards import service as wards
from app.wards.models import Ward
from integrations.webhooks import service
from integrations.webhooks.exceptions import EndpointNotFound
from integrations.webhooks.models import (
    DELIVERY_STATUS_LABELS,
    ENDPOINT_STATUS_LABELS,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)
from integrations.webhooks.schemas import (
    DeliveryListArgsSchema,
    DeliveryListSchema,
    DeliverySchema,
    EventTypeListSchema,
    WebhookCreateSchema,
    WebhookListArgsSchema,
    WebhookListSchema,
    WebhookSchema,
)

blp = Blueprint(
    "webhooks",
    __name__,
    description="Webhook theo chuẩn Standard Webhooks: báo cho hệ thống khác khi có thay đổi",
)

MANAGERS_ONLY = "Chỉ quản trị phường, xã hoặc quản trị thành phố mới quản lý được webhook."
CITY_ONLY = "Chỉ quản trị thành phố mới đăng ký được webhook cho mọi phường, xã."


def may_manage(user: User | None, ward_code: str | None) -> bool:
    """Tell whether the user manages a ward's endpoints (None: every-ward ones)."""
    if ward_code is None:
        return policy.is_city_admin(user)
    return policy.is_ward_admin(user, ward_code)


def _managed(user: User, endpoint_id: int) -> WebhookEndpoint:
    endpoint = service.get_endpoint(endpoint_id)
    if not may_manage(user, endpoint.ward_code):
        raise EndpointNotFound("Không tìm thấy điểm nhận webhook này.")
    return endpoint


def endpoint_out(endpoint: WebhookEndpoint, *, pending: int = 0, secret: str | None = None):
    """Show an endpoint; its secret only when just created."""
    status = "active" if endpoint.active else "disabled"
    ward = db.session.get(Ward, endpoint.ward_code) if endpoint.ward_code else None
    out = {
        "id": endpoint.id,
        "url": endpoint.url,
        "ward": endpoint.ward_code,
        "ward_name": ward.name if ward else None,
        "events": endpoint.event_types,
        "description": endpoint.description,
        "active": endpoint.active,
        "status": status,
        "status_label": ENDPOINT_STATUS_LABELS[status],
        "disabled_at": endpoint.disabled_at,
        "disabled_reason": endpoint.disabled_reason,
        "created_at": endpoint.created_at,
        "pending": pending,
    }
    if secret is not None:
        out["secret"] = secret
    return out


def delivery_out(
    delivery: WebhookDelivery, event: Event, attempts: list[WebhookAttempt], labels: dict
) -> dict:
    """Show a delivery with its event and attempts."""
    from app.fields import local_isoformat

    return {
        "id": delivery.id,
        "event_id": event.msg_id,
        "event_type": event.type,
        "event_label": labels.get(event.type, event.type),
        "event_timestamp": local_isoformat(event.occurred_at),
        "status": delivery.status,
        "status_label": DELIVERY_STATUS_LABELS[delivery.status],
        "next_attempt_at": delivery.next_attempt_at,
        "last_status_code": delivery.last_status_code,
        "last_error": delivery.last_error,
        "created_at": delivery.created_at,
        "delivered_at": delivery.delivered_at,
        "attempts": [
            {
                "at": a.at,
                "status_code": a.status_code,
                "error": a.error,
                "duration_ms": a.duration_ms,
            }
            for a in attempts
        ],
    }


@blp.get("/api/v1/webhooks/event-types")
@blp.response(200, EventTypeListSchema)
def list_event_types():
    """List the event types an endpoint may subscribe to, with their Vietnamese labels."""
    kinds = service.subscribable_types()
    return {
        "items": [
            {"name": k.name, "label": k.label, "scope": k.scope}
            for k in sorted(kinds.values(), key=lambda k: k.name)
        ]
    }


@blp.post("/api/v1/webhooks")
@idempotent_create(blp)
@blp.arguments(WebhookCreateSchema)
@blp.response(201, WebhookSchema)
def create_webhook(args):
    """Register an endpoint (the ward's admins; every ward: city admins); its secret, once."""
    user = auth.require_user()
    ward_code = wards.get(args["ward"]).code if args["ward"] is not None else None
    if ward_code is None:
        policy.require(policy.is_city_admin(user), CITY_ONLY)
    else:
        policy.require(policy.is_ward_admin(user, ward_code), MANAGERS_ONLY)
    endpoint, secret = service.create_endpoint(
        url=args["url"],
        events=args["events"],
        ward_code=ward_code,
        description=args["description"],
        created_by=user,
    )
    return endpoint_out(endpoint, secret=secret)


@blp.get("/api/v1/webhooks")
@blp.arguments(WebhookListArgsSchema, location="query")
@blp.response(200, WebhookListSchema)
def list_webhooks(args):
    """List the endpoints the caller manages (`?ward=` one ward's)."""
    user = auth.require_user()
    if args["ward"] is not None:
        code = wards.get(args["ward"]).code
        policy.require(policy.is_ward_admin(user, code), MANAGERS_ONLY)
        found = service.list_endpoints(ward_codes={code}, every_ward=False)
    elif policy.is_city_admin(user):
        found = service.list_endpoints(ward_codes=None, every_ward=True)
    else:
        codes = {c for c in policy.staff_ward_codes(user) if policy.is_ward_admin(user, c)}
        policy.require(bool(codes), MANAGERS_ONLY)
        found = service.list_endpoints(ward_codes=codes, every_ward=False)
    counts = service.pending_counts([e.id for e in found])
    return {"items": [endpoint_out(e, pending=counts.get(e.id, 0)) for e in found]}


@blp.get("/api/v1/webhooks/<int:webhook_id>")
@blp.response(200, WebhookSchema)
def get_webhook(webhook_id):
    """Get an endpoint (without its secret)."""
    endpoint = _managed(auth.require_user(), webhook_id)
    counts = service.pending_counts([endpoint.id])
    return endpoint_out(endpoint, pending=counts.get(endpoint.id, 0))


@blp.delete("/api/v1/webhooks/<int:webhook_id>")
@blp.response(204)
def delete_webhook(webhook_id):
    """Delete an endpoint with its delivery log; nothing more is sent to it."""
    service.delete_endpoint(_managed(auth.require_user(), webhook_id))


@blp.post("/api/v1/webhooks/<int:webhook_id>/enable")
@blp.response(200, WebhookSchema)
def enable_webhook(webhook_id):
    """Enable a disabled endpoint again (after a 410 Gone); new events reach it."""
    endpoint = service.enable_endpoint(_managed(auth.require_user(), webhook_id))
    return endpoint_out(endpoint)


@blp.get("/api/v1/webhooks/<int:webhook_id>/deliveries")
@blp.arguments(DeliveryListArgsSchema, location="query")
@blp.response(200, DeliveryListSchema)
def list_deliveries(args, webhook_id):
    """List an endpoint's deliveries, newest first, each with its attempts."""
    endpoint = _managed(auth.require_user(), webhook_id)
    rows = service.list_deliveries(
        endpoint, before_id=decode_id_cursor(args["cursor"]), limit=args["limit"] + 1
    )
    shown = rows[: args["limit"]]
    attempts = service.attempts_of([d.id for d, _ in shown])
    labels = {name: kind.label for name, kind in service.event_types().items()}
    result = page(rows, limit=args["limit"], key=lambda row: [row[0].id])
    result["items"] = [delivery_out(d, e, attempts[d.id], labels) for d, e in shown]
    return result


@blp.post("/api/v1/webhooks/<int:webhook_id>/deliveries/<int:delivery_id>/replay")
@blp.response(200, DeliverySchema)
def replay_delivery(webhook_id, delivery_id):
    """Send a delivery again soon, with the same webhook-id (the endpoint must be active)."""
    endpoint = _managed(auth.require_user(), webhook_id)
    delivery = service.replay(endpoint, service.get_delivery(endpoint, delivery_id))
    event = db.session.get(Event, delivery.event_id)
    labels = {name: kind.label for name, kind in service.event_types().items()}
    return delivery_out(delivery, event, service.attempts_of([delivery.id])[delivery.id], labels)


@blp.post("/api/v1/webhooks/<int:webhook_id>/test")
@idempotent_create(blp)
@blp.response(202, DeliverySchema)
def send_test_event(webhook_id):
    """Send a `webhook.test` event to this endpoint only (within seconds, by the worker)."""
    endpoint = _managed(auth.require_user(), webhook_id)
    delivery, event = service.send_test(endpoint)
    labels = {name: kind.label for name, kind in service.event_types().items()}
    return delivery_out(delivery, event, [], labels)
