"""Who may vote in a poll, read from the community module's memberships and ward follows.

A community poll's voters are the community's active members; a ward poll's voters are the
ward's followers. With one vote per household, only members whose household a leader has
confirmed take part, and a household's members share one voter key: the first ballot of the
household counts for it.
"""

import hashlib

import sqlalchemy as sa

from app.extensions import db
from community.groups.models import Membership, WardFollow


def user_key(user_id: int) -> str:
    """Return the voter key of a person voting for themselves."""
    return f"u:{user_id}"


def household_key(community_id: int, household: str) -> str:
    """Return the voter key of a household (hashed: the key says nothing about the household)."""
    digest = hashlib.sha256(f"{community_id}:{household.strip().casefold()}".encode())
    return "h:" + digest.hexdigest()[:40]


def eligible_voter_ids(
    *, community_id: int | None = None, ward_code: str | None = None
) -> set[int]:
    """Return the ids of the people a community's or a ward's poll would reach now."""
    if community_id is not None:
        stmt = sa.select(Membership.user_id).where(
            Membership.community_id == community_id, Membership.status == "active"
        )
    else:
        stmt = sa.select(WardFollow.user_id).where(WardFollow.ward_code == ward_code)
    return set(db.session.scalars(stmt))


def household_of(user_id: int, community_id: int) -> str | None:
    """Return the person's confirmed household in the community, or None."""
    return db.session.scalar(
        sa.select(Membership.household).where(
            Membership.community_id == community_id,
            Membership.user_id == user_id,
            Membership.status == "active",
            Membership.household_confirmed.is_(True),
            Membership.household.is_not(None),
        )
    )


def voter_keys(
    *, community_id: int | None, ward_code: str, one_per_household: bool
) -> dict[int, str]:
    """Return {user id: voter key} of everyone eligible now."""
    if community_id is None:
        return {uid: user_key(uid) for uid in eligible_voter_ids(ward_code=ward_code)}
    if not one_per_household:
        return {uid: user_key(uid) for uid in eligible_voter_ids(community_id=community_id)}
    rows = db.session.execute(
        sa.select(Membership.user_id, Membership.household).where(
            Membership.community_id == community_id,
            Membership.status == "active",
            Membership.household_confirmed.is_(True),
            Membership.household.is_not(None),
        )
    )
    return {uid: household_key(community_id, household) for uid, household in rows}


def voter_key_now(
    *, user_id: int, community_id: int | None, ward_code: str, one_per_household: bool
) -> str | None:
    """Return the person's voter key if they are eligible now (before the snapshot), else None."""
    if community_id is None:
        found = db.session.scalar(
            sa.select(WardFollow.id).where(
                WardFollow.ward_code == ward_code, WardFollow.user_id == user_id
            )
        )
        return user_key(user_id) if found else None
    if one_per_household:
        household = household_of(user_id, community_id)
        return household_key(community_id, household) if household else None
    found = db.session.scalar(
        sa.select(Membership.id).where(
            Membership.community_id == community_id,
            Membership.user_id == user_id,
            Membership.status == "active",
        )
    )
    return user_key(user_id) if found else None
