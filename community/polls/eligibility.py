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


def voter_keys_now(user_id: int, polls) -> dict[int, str | None]:
    """Return {poll id: the person's voter key if eligible now, else None} for unopened polls.

    Before a poll opens there is no snapshot: eligibility is read live, with two queries for
    any number of polls (the person's active memberships and followed wards).
    """
    polls = list(polls)
    community_ids = {p.community_id for p in polls if p.community_id is not None}
    memberships: dict[int, tuple[str | None, bool]] = {}
    if community_ids:
        rows = db.session.execute(
            sa.select(
                Membership.community_id, Membership.household, Membership.household_confirmed
            ).where(
                Membership.user_id == user_id,
                Membership.status == "active",
                Membership.community_id.in_(community_ids),
            )
        )
        memberships = {cid: (household, confirmed) for cid, household, confirmed in rows}
    follows: set[str] = set()
    if any(p.community_id is None for p in polls):
        follows = set(
            db.session.scalars(sa.select(WardFollow.ward_code).where(WardFollow.user_id == user_id))
        )
    keys: dict[int, str | None] = {}
    for poll in polls:
        key = None
        if poll.community_id is None:
            key = user_key(user_id) if poll.ward_code in follows else None
        elif poll.community_id in memberships:
            household, confirmed = memberships[poll.community_id]
            if not poll.one_per_household:
                key = user_key(user_id)
            elif confirmed and household:
                key = household_key(poll.community_id, household)
        keys[poll.id] = key
    return keys
