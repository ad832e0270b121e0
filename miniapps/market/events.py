"""What outside systems hear of the market (webhooks, the change feed): the public stall only.

A merchant's data are what its public storefront shows: name, stall, category, opening hours
and its zone. Never the payment account (bank, number, account holder's name), the phone, the
owner or a suspension's or rejection's reason (staff's words about a person's business).
A merchant enters the public listing when verified and leaves it when suspended, rejected or
sent back to pending by a change of its account; `merchant.updated` tells of a listed
merchant's changes (its products included), so that a mirror reads it again.
"""

from app.events import emit
from miniapps.market.models import Merchant

PUBLIC_FIELDS = ("name", "stall", "category", "opening_hours")


def public_facts(merchant: Merchant) -> dict:
    """Return what the public storefront shows of a merchant, as event data."""
    zone = merchant.zone
    return {
        "merchant_id": merchant.id,
        "zone_id": zone.id,
        "zone": zone.name,
        "zone_kind": zone.kind,
        **{key: getattr(merchant, key) for key in PUBLIC_FIELDS},
        "status": merchant.status,
    }


def verified(merchant: Merchant) -> None:
    """Announce that a merchant entered the public listing (verified or reinstated)."""
    emit("merchant.verified", public_facts(merchant), ward_code=merchant.zone.ward_code)


def updated(merchant: Merchant) -> None:
    """Announce that a listed merchant changed, or left the listing back to pending."""
    emit("merchant.updated", public_facts(merchant), ward_code=merchant.zone.ward_code)


def _left(event_type: str, merchant: Merchant, previous: str) -> None:
    emit(
        event_type,
        {
            "merchant_id": merchant.id,
            "zone_id": merchant.zone_id,
            "from": previous,
            "status": merchant.status,
        },
        ward_code=merchant.zone.ward_code,
    )


def suspended(merchant: Merchant, previous: str) -> None:
    """Announce that a merchant left the listing, suspended (the reason is not sent)."""
    _left("merchant.suspended", merchant, previous)


def rejected(merchant: Merchant, previous: str) -> None:
    """Announce a refused registration or a suspended stall's removal (no name: a pending
    registration was never public)."""
    _left("merchant.rejected", merchant, previous)
