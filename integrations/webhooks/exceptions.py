"""The webhooks module's refusals (messages in Vietnamese; app/errors.py maps them)."""

from app.errors import Conflict, NotFound


class EndpointNotFound(NotFound):
    """No such endpoint, or not one the caller manages."""

    code = "webhook_not_found"


class DeliveryNotFound(NotFound):
    """No such delivery of this endpoint."""

    code = "webhook_delivery_not_found"


class EndpointDisabled(Conflict):
    """The endpoint is disabled: nothing is sent to it until it is enabled again."""

    code = "webhook_disabled"
