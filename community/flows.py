"""Steps that span communities and notices: a new member or follower gets recent notices."""

from app.identity.models import User
from community.groups import service as groups
from community.groups.models import Community, Membership
from community.notices import service as notices


def joined(*, community: Community, user: User, membership: Membership) -> None:
    """Give an active new member the recent notices of their community and ward."""
    if membership.status != "active":
        return
    notices.backfill(user=user, community_id=community.id)
    notices.backfill(user=user, ward_code=community.ward_code)


def follow(*, user: User, ward_code: str) -> None:
    """Follow a ward and receive its recent ward-wide notices."""
    groups.follow_ward(user=user, ward_code=ward_code)
    notices.backfill(user=user, ward_code=ward_code)
