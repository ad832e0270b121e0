"""City-wide publishing of polls: one survey (or other ward poll) to many wards, and its reach.

A broadcast creates one ordinary ward poll per ward through `creation.create`, the one path
that creates polls (and opens each through `lifecycle.open_now` when asked, as a manager's
open would), so each ward's followers find it among their polls and answer it like any other.
The broadcast row ties them together: its reach is read from what the polls already keep, the
eligibility snapshot taken at opening (`eligible_count`) and the participation rows; nothing
is added to the ballot path.
"""

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from app.audit import record
from app.database import utcnow
from app.extensions import db
from app.identity.models import User
from app.wards.models import Ward
from community import citywide
from community.common import valid_id
from community.polls.exceptions import PollBroadcastNotFound
from community.polls.models import Poll, PollBroadcast, PollVoter
from community.polls.service.creation import create as create_poll
from community.polls.service.lifecycle import open_now


def create(
    *,
    author: User,
    wards: list[Ward],
    department_code: str | None,
    open_now_: bool,
    poll: dict,
) -> PollBroadcast:
    """Create one poll in each ward (and open it, if asked), tied by a broadcast, in the
    caller's transaction. `poll` holds creation.create's arguments other than the place."""
    now = utcnow()
    broadcast = PollBroadcast(
        title=" ".join(poll["title"].split()),
        kind=poll["kind"],
        author_id=author.id,
        department_code=department_code,
        ward_count=len(wards),
    )
    db.session.add(broadcast)
    db.session.flush()
    # The city-wide act itself; each ward's poll gets its own entries where it is made.
    record(
        "poll_broadcast.published",
        "poll_broadcast",
        broadcast.id,
        broadcast.title,
        department_code=department_code,
    )
    for ward in wards:
        made = create_poll(
            user=author,
            ward_code=ward.code,
            community_id=None,
            broadcast_id=broadcast.id,
            now=now,
            **poll,
        )
        if open_now_ and made.status in ("draft", "scheduled"):
            open_now(made, actor=author, now=now)
    return broadcast


def get(broadcast_id: int) -> PollBroadcast:
    """Return a broadcast by id, or raise PollBroadcastNotFound."""
    found = db.session.get(PollBroadcast, broadcast_id) if valid_id(broadcast_id) else None
    if found is None:
        raise PollBroadcastNotFound("Không tìm thấy khảo sát gửi nhiều phường, xã này.")
    return found


def list_for(
    *,
    user: User,
    department_codes: set[str] | None,
    before_id: int | None,
    limit: int,
    department: str | None = None,
) -> list[PollBroadcast]:
    """List broadcasts newest first, as the user may see them (community.citywide)."""
    return citywide.visible_broadcasts(
        PollBroadcast,
        user=user,
        department_codes=department_codes,
        before_id=before_id,
        limit=limit,
        department=department,
    )


@dataclass(frozen=True)
class Reach:
    """How far a poll broadcast went: voters eligible when each ward's poll opened (wards not
    yet opened count none), and of them those who took part."""

    wards: int
    opened: int
    eligible: int
    turnout: int

    @property
    def share(self) -> float:
        """Return turnout / eligible, from 0 to 1 (0 with nobody eligible)."""
        return share(self.turnout, self.eligible)


EMPTY = Reach(wards=0, opened=0, eligible=0, turnout=0)


def share(turnout: int, eligible: int | None) -> float:
    """Return turnout / eligible rounded to 4 places (0 with nobody eligible)."""
    return round(turnout / eligible, 4) if eligible else 0.0


def turnouts(poll_ids: list[int]) -> dict[int, int]:
    """Return how many took part in each poll (its participation rows), in one query."""
    if not poll_ids:
        return {}
    rows = db.session.execute(
        sa.select(PollVoter.poll_id, sa.func.count())
        .where(PollVoter.poll_id.in_(poll_ids))
        .group_by(PollVoter.poll_id)
    )
    return {poll_id: int(n) for poll_id, n in rows}


def totals(broadcast_ids: list[int]) -> dict[int, Reach]:
    """Return the reach of each broadcast from its polls' snapshots and participation, in two
    queries."""
    if not broadcast_ids:
        return {}
    opened = sa.case((Poll.opened_at.is_not(None), 1), else_=0)
    polls = db.session.execute(
        sa.select(
            Poll.broadcast_id,
            sa.func.count(),
            sa.func.coalesce(sa.func.sum(opened), 0),
            sa.func.coalesce(sa.func.sum(Poll.eligible_count), 0),
        )
        .where(Poll.broadcast_id.in_(broadcast_ids))
        .group_by(Poll.broadcast_id)
    ).all()
    voters = dict(
        db.session.execute(
            sa.select(Poll.broadcast_id, sa.func.count())
            .select_from(PollVoter)
            .join(Poll, Poll.id == PollVoter.poll_id)
            .where(Poll.broadcast_id.in_(broadcast_ids))
            .group_by(Poll.broadcast_id)
        ).all()
    )
    return {
        bid: Reach(wards=int(n), opened=int(o), eligible=int(e), turnout=int(voters.get(bid, 0)))
        for bid, n, o, e in polls
    }


def polls_of(broadcast: PollBroadcast) -> list[tuple[Poll, Ward]]:
    """Return the broadcast's polls with their wards, by ward code."""
    return list(
        db.session.execute(
            sa.select(Poll, Ward)
            .join(Ward, Ward.code == Poll.ward_code)
            .where(Poll.broadcast_id == broadcast.id)
            .order_by(Poll.ward_code)
        ).all()
    )


def first_polls(broadcast_ids: list[int]) -> dict[int, Poll]:
    """Return one poll of each broadcast (its first), which carries what they share."""
    if not broadcast_ids:
        return {}
    first = (
        sa.select(sa.func.min(Poll.id))
        .where(Poll.broadcast_id.in_(broadcast_ids))
        .group_by(Poll.broadcast_id)
    )
    rows = db.session.scalars(sa.select(Poll).where(Poll.id.in_(first))).all()
    return {poll.broadcast_id: poll for poll in rows}


def when(poll: Poll | None) -> datetime | None:
    """Return when the broadcast's polls open (opened, or are set to)."""
    if poll is None:
        return None
    return poll.opened_at or poll.opens_at
