"""Domain errors of the market module (app/errors.py maps them to HTTP)."""

from app.errors import Conflict, Forbidden, NotFound, ValidationFailed
from miniapps.market.models import FIELD_LABELS


def field_error(field: str, message: str, *, location: str = "json") -> ValidationFailed:
    """Make a 422 that names the offending field by its label, like a schema error."""
    return ValidationFailed.on_field(
        field, FIELD_LABELS.get(field, field), message, location=location
    )


class ZoneNotFound(NotFound):
    """No such market zone."""

    code = "market_zone_not_found"


class MerchantNotFound(NotFound):
    """No such merchant, or not one the caller may see."""

    code = "merchant_not_found"


class ProductNotFound(NotFound):
    """No such product, or not one the caller may see."""

    code = "product_not_found"


class NoPaymentCode(NotFound):
    """The merchant has no payment code (only verified merchants have one)."""

    code = "merchant_not_found"


class StatusConflict(Conflict):
    """The merchant's status does not allow this step."""

    code = "merchant_status_conflict"


class DuplicateName(Conflict):
    """A zone or product with this name already exists where it must be unique."""

    code = "duplicate_name"


class PaymentDetailsOwnersOnly(Forbidden):
    """Only a stall's owner changes where its money goes."""

    code = "payment_details_owner_only"
