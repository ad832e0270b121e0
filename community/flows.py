"""Steps that span communities and notices: who joins or follows gets the notices addressed to
them (recent ones, and scheduled ones as their audience); who leaves no longer gets scheduled
ones."""

from app.identity.models import User
from community.groups import service as groups
from community.groups.models import Community, Membership
from community.notices import service as notices


def joined(*, community: Community, user: User, membership: Membership) -> None:
    """Give an active new member the recent notices of their community and ward."""
    if membership.status != "active":
        return
    # Scheduled notices first: one delivered while this waits for it is then back-filled.
    notices.address_newcomer(user=user, community_id=community.id)
    notices.address_newcomer(user=user, ward_code=community.ward_code)
    notices.backfill(user=user, community_id=community.id)
    notices.backfill(user=user, ward_code=community.ward_code)


def follow(*, user: User, ward_code: str) -> None:
    """Follow a ward and receive its recent ward-wide notices."""
    groups.follow_ward(user=user, ward_code=ward_code)
    notices.address_newcomer(user=user, ward_code=ward_code)
    notices.backfill(user=user, ward_code=ward_code)


def left(*, community: Community, user: User) -> None:
    """Leave a community; its scheduled notices leave the person's inbox."""
    groups.leave(community=community, user=user)
    notices.withdraw_from_leaver(user_id=user.id, community_id=community.id)


def removed(*, community: Community, user_id: int) -> None:
    """Remove a member; the community's scheduled notices leave their inbox."""
    groups.remove_member(community=community, user_id=user_id)
    notices.withdraw_from_leaver(user_id=user_id, community_id=community.id)


def unfollow(*, user: User, ward_code: str) -> None:
    """Stop following a ward; its scheduled ward-wide notices leave the person's inbox."""
    groups.unfollow_ward(user=user, ward_code=ward_code)
    notices.withdraw_from_leaver(user_id=user.id, ward_code=ward_code)
