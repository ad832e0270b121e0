"""Writing events and reading a feed's changes.

`emit()` is the one writer of events: a module's service calls it in the transaction of the
change it reports, after the change is flushed, so the event commits or rolls back with it.
Event types are declared by the modules (`ModuleManifest.event_types`); emitting an undeclared
type is a programming error.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import current_app

from app.database import dialect_insert, utcnow
from app.errors import ValidationFailed
from app.events.models import Event, EventSequence
from app.extensions import db
from app.registry import EventType, manifests

CITY_FEED = "city"


def ward_feed(ward_code: str) -> str:
    """Return the feed of a ward's changes."""
    return f"ward:{ward_code}"


def department_feed(department_code: str) -> str:
    """Return the feed of a department's changes."""
    return f"department:{department_code}"


def event_types(app=None) -> dict[str, EventType]:
    """Return every installed module's event types by name (a type is declared once)."""
    found: dict[str, EventType] = {}
    for manifest in manifests(app or current_app):
        for kind in manifest.event_types:
            if kind.name in found:
                raise RuntimeError(f"event type {kind.name!r} declared twice ({manifest.name})")
            found[kind.name] = kind
    return found


def new_msg_id() -> str:
    """Return a fresh event id (the `webhook-id` header): unique, opaque, URL-safe."""
    return "msg_" + secrets.token_urlsafe(18)


def _next_seq(feed: str) -> int:
    """Draw the feed's next position in one statement; the row stays locked until this
    transaction ends, so the feed's events commit in the order of their positions."""
    stmt = dialect_insert(EventSequence).values(feed=feed, last=1)
    stmt = stmt.on_conflict_do_update(
        index_elements=["feed"], set_={"last": EventSequence.last + 1}
    ).returning(EventSequence.last)
    return db.session.execute(stmt).scalar_one()


def emit(
    event_type: str,
    data: dict[str, Any],
    *,
    ward_code: str | None = None,
    department_code: str | None = None,
    at: datetime | None = None,
) -> str:
    """Record that something changed; return the event's id.

    The event belongs to the ward's feed, else the department's, else the city's. `data` is
    what outside systems get: plain JSON, public facts only (no names, no personal IDs, no
    precise locations of residents).
    """
    if event_type not in event_types():
        raise ValueError(f"event type {event_type!r} is not declared by any module")
    if ward_code:
        feed = ward_feed(ward_code)
    elif department_code:
        feed = department_feed(department_code)
    else:
        feed = CITY_FEED
    msg_id = new_msg_id()
    db.session.execute(
        sa.insert(Event).values(
            msg_id=msg_id,
            type=event_type,
            feed=feed,
            seq=_next_seq(feed),
            ward_code=ward_code,
            occurred_at=at or utcnow(),
            data=data,
            dispatched=False,
        )
    )
    return msg_id


# How many positions of a feed one read looks through at most, for a reader that sees few of
# the feed's types: its page may then end early, empty, with `has_more` (read again at once).
SCAN_WINDOW = 10_000


@dataclass(frozen=True)
class Page:
    """A page of a feed as one reader sees it: the events, the position read up to, and
    whether more of the feed waits beyond that position."""

    events: list[Event]
    position: int
    has_more: bool


def read(feed: str, *, since: int, limit: int, types: frozenset[str] | None = None) -> Page:
    """Read up to `limit` of a feed's events after position `since`, of `types` (None: all).

    The position returned is the last one read, including the events skipped as not of
    `types`, so a reader never reads them again and never passes one it may see. It never goes
    beyond the feed's head as committed when the read began: a feed's events commit in `seq`
    order (emit), so every position up to that head is final, and an event still in flight
    gets a later position.
    """
    head = last_seq(feed)
    if since > head:
        # Positions are never taken back: a cursor past the head was not made by this feed
        # (or the database was restored from an older backup: the mirror must start again).
        raise invalid_cursor()
    if since == head:
        return Page([], since, False)
    if types is not None and not types:
        return Page([], head, False)  # nothing to see: up to the head, every position is read
    upto = min(head, since + SCAN_WINDOW)
    query = sa.select(Event).where(Event.feed == feed, Event.seq > since, Event.seq <= upto)
    if types is not None:
        query = query.where(Event.type.in_(sorted(types)))
    rows = list(db.session.scalars(query.order_by(Event.seq).limit(limit + 1)))
    if len(rows) > limit:
        # Everything between the last event shown and the next one of `types` was skipped.
        return Page(rows[:limit], rows[limit].seq - 1, True)
    return Page(rows, upto, upto < head)


def invalid_cursor() -> ValidationFailed:
    """Return the error of a `since` this feed did not hand out."""
    return ValidationFailed.on_field(
        "since",
        "Mốc đã đọc",
        "Mốc đã đọc không hợp lệ với dòng thay đổi này; hãy đọc lại từ đầu (bỏ trống since).",
        location="query",
    )


def changes(feed: str, *, since: int, limit: int) -> list[Event]:
    """Return up to `limit` of a feed's events after position `since`, oldest first."""
    rows = db.session.scalars(
        sa.select(Event)
        .where(Event.feed == feed, Event.seq > since)
        .order_by(Event.seq)
        .limit(limit)
    ).all()
    return list(rows)


def last_seq(feed: str) -> int:
    """Return the position of the feed's newest committed event (0 when it has none)."""
    return db.session.scalar(
        sa.select(sa.func.coalesce(sa.func.max(Event.seq), 0)).where(Event.feed == feed)
    )
