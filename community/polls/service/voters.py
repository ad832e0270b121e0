"""Voters: a person's voter key in a poll, whether they voted, turnout — one poll or a page."""

from dataclasses import dataclass

import sqlalchemy as sa

from app.extensions import db
from app.identity.models import User
from community.groups.service import active_membership
from community.polls import eligibility
from community.polls.models import Poll, PollEligible, PollVoter


@dataclass(frozen=True, slots=True)
class Standing:
    """A person's standing in a poll: their voter key (None: not eligible) and whether it voted."""

    key: str | None
    voted: bool


def standings(polls: list[Poll], user: User) -> dict[int, Standing]:
    """Return the person's standing in each poll with a fixed number of queries (no N+1).

    Opened polls read the eligibility snapshot (and, for a community's poll, whether the person
    is still an active member, as a ballot requires); unopened ones read eligibility live.
    """
    if not polls:
        return {}
    opened = [p.id for p in polls if p.opened_at is not None]
    keys: dict[int, str | None] = {p.id: None for p in polls}
    if opened:
        keys.update(
            db.session.execute(
                sa.select(PollEligible.poll_id, PollEligible.voter_key)
                .join(Poll, Poll.id == PollEligible.poll_id)
                .where(
                    PollEligible.poll_id.in_(opened),
                    PollEligible.user_id == user.id,
                    # The ballot's rule: a community poll's voter is still an active member.
                    sa.or_(
                        Poll.community_id.is_(None),
                        active_membership(Poll.community_id, user.id),
                    ),
                )
            ).all()
        )
    unopened = [p for p in polls if p.opened_at is None]
    if unopened:
        keys.update(eligibility.voter_keys_now(user.id, unopened))
    pairs = [(poll_id, key) for poll_id, key in keys.items() if key is not None]
    voted: set[int] = set()
    if pairs:
        voted = set(
            db.session.scalars(
                sa.select(PollVoter.poll_id).where(
                    sa.tuple_(PollVoter.poll_id, PollVoter.voter_key).in_(pairs)
                )
            )
        )
    return {poll_id: Standing(key, poll_id in voted) for poll_id, key in keys.items()}


def standing(poll: Poll, user: User | None) -> Standing:
    """Return the person's standing in one poll (not eligible, not voted when anonymous)."""
    if user is None:
        return Standing(None, False)
    return standings([poll], user)[poll.id]


def turnout(poll: Poll) -> int:
    """Count the ballots cast (one per voter or household)."""
    return (
        db.session.scalar(
            sa.select(sa.func.count()).select_from(PollVoter).where(PollVoter.poll_id == poll.id)
        )
        or 0
    )
