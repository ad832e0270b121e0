"""The record of a create request sent with an `Idempotency-Key`, kept for replay."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.database import Base, UTCDateTime, utcnow


class IdempotencyRecord(Base):
    """A create's answer kept for replay under the caller's Idempotency-Key.

    The key itself is not stored (only an HMAC of it); the request fingerprint is keyed by the
    raw key and the answer is encrypted with a key derived from it, so the table links no voter
    to a ballot (nor anyone to what they created) for anyone who does not hold the client's key.
    A record is written in the transaction of the request it answers: a refused request leaves
    none.
    """

    __tablename__ = "idempotency_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"))
    key_hash: Mapped[str] = mapped_column(sa.String(64))
    request_hash: Mapped[str] = mapped_column(sa.String(64))
    status_code: Mapped[int] = mapped_column(sa.SmallInteger)
    response: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)

    __table_args__ = (sa.UniqueConstraint("user_id", "key_hash"),)
