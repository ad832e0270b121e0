"""Webhooks following the Standard Webhooks specification (https://www.standardwebhooks.com/).

Ward admins and city admins register endpoints for a ward's events (or every ward's); the
worker's `webhooks.deliver` job, every second, fans events out to deliveries and POSTs them
signed, with retries on the standard's schedule. docs/decisions/0020-open-interfaces.md,
docs/integrators/webhooks.md.
"""

from flask import Flask

from app.registry import EventType, ModuleManifest, PeriodicJob
from integrations.webhooks import models as _models  # noqa: F401 - register the tables
from integrations.webhooks import service
from integrations.webhooks.models import DELIVERY_STATUS_LABELS, ENDPOINT_STATUS_LABELS
from integrations.webhooks.views import blp


def init_app(app: Flask) -> None:
    """Default the module's settings: private targets only outside production."""
    app.config.setdefault("WEBHOOK_ALLOW_PRIVATE", app.config["APP_ENV"] != "production")
    app.config.setdefault("WEBHOOK_TIMEOUT", 10.0)
    app.config.setdefault("WEBHOOK_SEND_THREADS", 32)


def deliver() -> int:
    """Fan out new events and send the due deliveries; return how many were sent."""
    return service.deliver_due()


def purge() -> int:
    """Delete delivery logs older than 30 days and events older than 90; return how many."""
    return service.purge()


manifest = ModuleManifest(
    name="webhooks",
    blueprints=[blp],
    init_app=init_app,
    event_types=[EventType(service.TEST_EVENT, "Thử webhook")],
    vocabularies={
        "webhook_delivery_status": DELIVERY_STATUS_LABELS,
        "webhook_status": ENDPOINT_STATUS_LABELS,
    },
    periodic_jobs=[
        PeriodicJob("webhooks.deliver", deliver, every_seconds=1),
        PeriodicJob("webhooks.purge", purge, every_seconds=3600),
    ],
)
