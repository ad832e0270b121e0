"""Events: what changed, written in the transaction of the change (the outbox).

One row per event. The change feed reads a feed's rows in `seq` order; the webhooks module
fans each row out to the endpoints that want it (`dispatched` marks the rows it has taken).
"""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.database import Base, UTCDateTime, utcnow


class Event(Base):
    """One change, as a webhook event and an item of a change feed.

    `feed` names whose change it is: "ward:00070", "department:SKHCN" or "city". `seq` is its
    position in that feed, drawn from `event_sequence` under the row's lock, so a feed's
    events commit in `seq` order and a reader's cursor never skips one still in flight.
    `msg_id` is the event's `webhook-id`, the same on every delivery attempt.
    """

    __tablename__ = "event"

    id: Mapped[int] = mapped_column(primary_key=True)
    msg_id: Mapped[str] = mapped_column(sa.String(40), unique=True)
    type: Mapped[str] = mapped_column(sa.String(60))
    feed: Mapped[str] = mapped_column(sa.String(40))
    seq: Mapped[int] = mapped_column(sa.BigInteger)
    ward_code: Mapped[str | None] = mapped_column(sa.String(5), sa.ForeignKey("ward.code"))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    data: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    dispatched: Mapped[bool] = mapped_column(default=False, server_default=sa.false())

    __table_args__ = (
        sa.UniqueConstraint("feed", "seq"),
        sa.Index(
            "ix_event_undispatched",
            "id",
            postgresql_where=sa.text("NOT dispatched"),
            sqlite_where=sa.text("NOT dispatched"),
        ),
    )


class EventSequence(Base):
    """The last `seq` drawn in one feed."""

    __tablename__ = "event_sequence"

    feed: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    last: Mapped[int] = mapped_column(sa.BigInteger, default=0)
