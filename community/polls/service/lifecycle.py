"""A poll's lifecycle: draft → scheduled → open → closed, by its managers or by its times.

The stored `status` moves on in a write: a manager's open or close, a ballot that finds its
poll due to open, or the worker's `advance_due` job. Readers never write: `status_at` derives
the state a poll is in now from its times, so a lagging worker never keeps a closed poll open.

Closing and ballots are serialised on the poll's row: a close takes the row `FOR UPDATE`,
which waits for every ballot transaction holding it `FOR KEY SHARE` (ballots.py) to end, and
makes the ballots that come later wait and then find the poll closed. No acknowledged ballot
is lost and none is counted after the close (docs/decisions/0011-one-ballot-writer.md).
"""

from datetime import datetime

import sqlalchemy as sa

from app.audit import SYSTEM_ACTOR, record
from app.database import utcnow
from app.extensions import db
from app.identity.models import User
from community.polls import eligibility
from community.polls.exceptions import PollStateConflict
from community.polls.models import Poll, PollAudit, PollBallot, PollEligible, PollVoter


def status_at(poll: Poll, now: datetime) -> str:
    """Return the poll's state at `now`, counting the transitions its times make due."""
    status = poll.status
    if status == "scheduled" and poll.opens_at is not None and poll.opens_at <= now:
        status = "open"
    if status == "open" and poll.closes_at is not None and poll.closes_at <= now:
        status = "closed"
    return status


def is_due(now: datetime) -> sa.ColumnElement[bool]:
    """Return the clause of polls whose stored state lags behind their times."""
    return sa.or_(
        sa.and_(Poll.status == "scheduled", Poll.opens_at <= now),
        sa.and_(Poll.status == "open", Poll.closes_at <= now),
    )


def due_poll_ids(now: datetime | None = None) -> list[int]:
    """Return the ids of the polls whose opening or closing time has come."""
    return list(db.session.scalars(sa.select(Poll.id).where(is_due(now or utcnow()))))


def advance(poll: Poll, now: datetime | None = None) -> bool:
    """Carry out the transitions the poll's times have made due (open, then close).

    Tell whether this call moved the poll (False when nothing was due, or another request or
    worker moved it first).
    """
    now = now or utcnow()
    moved = False
    if poll.status == "scheduled" and poll.opens_at is not None and poll.opens_at <= now:
        moved |= _open(poll, at=poll.opens_at, actor=None)
    if poll.status == "open" and poll.closes_at is not None and poll.closes_at <= now:
        moved |= _close(poll, at=poll.closes_at, actor=None, early=False)
    return moved


# The advisory-lock class of a poll's ballots (shared) and of its close (exclusive): "poll".
POLL_LOCK = 0x706F6C6C


def ballot_gate(poll_id) -> sa.ColumnElement[bool] | None:
    """Return the clause a ballot passes to hold its poll's gate (shared, until it commits).

    PostgreSQL only (None elsewhere: SQLite's write transactions are serial already). A row
    lock alone is not enough: ballots keep taking compatible row locks and a close waiting
    behind them would starve; the lock manager queues a shared request behind a waiting
    exclusive one, so once a close asks, later ballots wait for it.
    """
    if db.session.get_bind().dialect.name != "postgresql":
        return None
    return sa.func.pg_advisory_xact_lock_shared(POLL_LOCK, poll_id).is_not(None)


def _lock(poll: Poll) -> None:
    """Close the poll's gate and take its row: wait for the ballots in flight, hold off new ones.

    On SQLite the write transaction (BEGIN IMMEDIATE) already excludes every other writer and
    SQLAlchemy renders no FOR clause there.
    """
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(sa.select(sa.func.pg_advisory_xact_lock(POLL_LOCK, poll.id)))
    db.session.execute(sa.select(Poll.id).where(Poll.id == poll.id).with_for_update())


def _transition(poll: Poll, *, from_states: tuple[str, ...], values: dict) -> bool:
    """Move the poll on in the database only if it is still in `from_states`.

    Two requests doing the same transition at once: the row lock makes one wait, and the
    WHERE clause makes it do nothing.
    """
    _lock(poll)
    done = db.session.execute(
        sa.update(Poll)
        .where(Poll.id == poll.id, Poll.status.in_(from_states))
        .values(**values, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.refresh(poll)
    return bool(done)


# The poll's own audit actions, as the ward's audit log names them.
_AUDIT_LOG_ACTIONS = {
    "created": "poll.created",
    "opened": "poll.opened",
    "closed": "poll.closed",
    "closed_early": "poll.closed",
}


def audit(poll: Poll, action: str, actor: User | None, detail: str | None = None) -> None:
    """Record what was done to the poll, by whom (None: its schedule), in the poll's audit
    and in the ward's audit log."""
    db.session.add(
        PollAudit(
            poll_id=poll.id, action=action, actor_id=actor.id if actor else None, detail=detail
        )
    )
    record(
        _AUDIT_LOG_ACTIONS.get(action, f"poll.{action}"),
        "poll",
        poll.id,
        poll.title,
        ward_code=poll.ward_code,
        actor=actor or SYSTEM_ACTOR,
    )


def _open(poll: Poll, *, at: datetime, actor: User | None) -> bool:
    """Open the poll and take the eligibility snapshot (once); tell whether this call did."""
    values = {"status": "open", "opened_at": at}
    if poll.status == "draft" or (poll.opens_at and poll.opens_at > at):
        values["opens_at"] = at
    if not _transition(poll, from_states=("draft", "scheduled"), values=values):
        return False
    keys = eligibility.voter_keys(
        community_id=poll.community_id,
        ward_code=poll.ward_code,
        one_per_household=poll.one_per_household,
    )
    if keys:
        db.session.execute(
            sa.insert(PollEligible),
            [{"poll_id": poll.id, "user_id": uid, "voter_key": key} for uid, key in keys.items()],
        )
    poll.eligible_count = len(set(keys.values()))
    audit(poll, "opened", actor, f"eligible={poll.eligible_count}")
    db.session.flush()
    _announce().opened(poll)
    return True


def _close(poll: Poll, *, at: datetime, actor: User | None, early: bool, reason: str = "") -> bool:
    """Close the poll, then rewrite its ballots and voters in key order; tell whether this did."""
    if not _transition(poll, from_states=("open",), values={"status": "closed", "closed_at": at}):
        return False
    detail = reason[:500] or None
    audit(poll, "closed_early" if early else "closed", actor, detail)
    _forget_insertion_order(poll)
    db.session.flush()
    _announce().closed(poll)
    return True


def _announce():
    """Return the announcements module (imported late: it counts results, which read states)."""
    from community.polls.service import announcements

    return announcements


def _forget_insertion_order(poll: Poll) -> None:
    """Rewrite the poll's ballots and voters sorted by their keys.

    PostgreSQL keeps rows in the order they were written; rewritten in key order, the live
    rows no longer line up a voter's row with their ballot (the old versions go at VACUUM).
    On SQLite both tables are WITHOUT ROWID already, stored in key order. This runs under the
    close's row lock (`_transition`), after every ballot in flight has committed and before
    any later one can be written: nothing committed is missed by the read below.
    """
    ballots = (
        db.session.execute(
            sa.select(PollBallot.__table__)
            .where(PollBallot.poll_id == poll.id)
            .order_by(PollBallot.id)
        )
        .mappings()
        .all()
    )
    voters = (
        db.session.execute(
            sa.select(PollVoter.__table__)
            .where(PollVoter.poll_id == poll.id)
            .order_by(PollVoter.voter_key)
        )
        .mappings()
        .all()
    )
    db.session.execute(sa.delete(PollBallot.__table__).where(PollBallot.poll_id == poll.id))
    db.session.execute(sa.delete(PollVoter.__table__).where(PollVoter.poll_id == poll.id))
    if ballots:
        db.session.execute(sa.insert(PollBallot.__table__), [dict(b) for b in ballots])
    if voters:
        db.session.execute(sa.insert(PollVoter.__table__), [dict(v) for v in voters])


def open_now(poll: Poll, *, actor: User, now: datetime | None = None) -> Poll:
    """Open a draft or scheduled poll now (its manager)."""
    now = now or utcnow()
    advance(poll, now)
    if poll.status not in ("draft", "scheduled"):
        raise PollStateConflict("Cuộc bỏ phiếu đã mở hoặc đã kết thúc.")
    if poll.closes_at is not None and poll.closes_at <= now:
        raise PollStateConflict("Thời điểm kết thúc đã qua; không thể mở.")
    _open(poll, at=now, actor=actor)
    return poll


def close_now(poll: Poll, *, actor: User, reason: str = "", now: datetime | None = None) -> Poll:
    """Close an open poll now (its manager); before its closing time this is audited as early."""
    now = now or utcnow()
    advance(poll, now)
    if poll.status != "open":
        raise PollStateConflict("Chỉ đóng được cuộc bỏ phiếu đang mở.")
    early = poll.closes_at is None or now < poll.closes_at
    _close(poll, at=now, actor=actor, early=early, reason=reason)
    return poll


def accepting_ballots(now: datetime) -> sa.ColumnElement[bool]:
    """Return the clause of a poll that takes ballots at `now` (stored open, not past closing).

    The SQL side of status_at(poll, now) == "open" for an opened poll; a scheduled poll due to
    open takes ballots only once opened, because only then does it have its snapshot.
    """
    return sa.and_(Poll.status == "open", sa.or_(Poll.closes_at.is_(None), Poll.closes_at > now))


def status_is(status: str, now: datetime) -> sa.ColumnElement[bool]:
    """Return the clause of polls whose state at `now` (status_at) is `status`, for lists."""
    opening_passed = sa.and_(Poll.status == "scheduled", Poll.opens_at <= now)
    closing_passed = sa.and_(Poll.closes_at.is_not(None), Poll.closes_at <= now)
    if status == "scheduled":
        return sa.and_(Poll.status == "scheduled", sa.not_(opening_passed))
    if status == "open":
        return sa.and_(sa.or_(Poll.status == "open", opening_passed), sa.not_(closing_passed))
    if status == "closed":
        return sa.or_(
            Poll.status == "closed",
            sa.and_(sa.or_(Poll.status == "open", opening_passed), closing_passed),
        )
    return Poll.status == status
