"""Who may do what in the market module, built on app.identity.policy's predicates.

Merchants that are not verified are visible only to their owner and to the staff of the zone's
ward; to anyone else they do not exist (same 404 whether or not the id is taken).
"""

from app.identity import policy
from app.identity.models import User
from miniapps.market.models import MarketZone, Merchant


def is_zone_staff(user: User | None, zone: MarketZone) -> bool:
    """Tell whether the user is staff of the zone's ward (or a city admin)."""
    return policy.is_ward_staff(user, zone.ward_code)


def can_create_zone(user: User | None, ward_code: str) -> bool:
    """Tell whether the user may open a market zone in the ward."""
    return policy.is_ward_staff(user, ward_code)


def is_merchant_owner(user: User | None, merchant: Merchant) -> bool:
    """Tell whether the user registered this merchant."""
    return user is not None and merchant.owner_id is not None and merchant.owner_id == user.id


def can_manage_merchant(user: User | None, merchant: Merchant) -> bool:
    """Tell whether the user may verify, suspend, reject or tick support for the merchant."""
    return is_zone_staff(user, merchant.zone)


def can_see_merchant(user: User | None, merchant: Merchant) -> bool:
    """Tell whether the merchant is visible to the user: verified, or theirs, or their ward's."""
    return (
        merchant.status == "verified"
        or is_merchant_owner(user, merchant)
        or can_manage_merchant(user, merchant)
    )


def can_see_private_details(user: User | None, merchant: Merchant) -> bool:
    """Tell whether the user sees the phone, full account number and status reason."""
    return is_merchant_owner(user, merchant) or can_manage_merchant(user, merchant)


def can_edit_merchant(user: User | None, merchant: Merchant) -> bool:
    """Tell whether the user may edit the merchant and its products: its owner or ward staff."""
    return is_merchant_owner(user, merchant) or can_manage_merchant(user, merchant)


def can_see_duplicates(user: User | None, merchant: Merchant) -> bool:
    """Tell whether the user is shown the merchant's possible duplicates: ward staff only."""
    return can_manage_merchant(user, merchant)


def can_list_by_status(user: User | None, zone: MarketZone) -> bool:
    """Tell whether the user may list the zone's merchants that are not verified."""
    return is_zone_staff(user, zone)


def can_read_report(user: User | None, zone: MarketZone) -> bool:
    """Tell whether the user may read the zone's report."""
    return is_zone_staff(user, zone)
