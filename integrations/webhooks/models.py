"""Webhook endpoints, their subscriptions, deliveries and the log of attempts.

An endpoint listens to one ward (or every ward: `ward_code` NULL, city admins only) for the
event types in its subscriptions; a child table, so that the worker fans an event out to every
matching endpoint with one INSERT … SELECT. A delivery is one event for one endpoint (unique),
sent until it is delivered or its retries run out; each try is an attempt in the log.
"""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.database import Base, UTCDateTime, utcnow

URL_MAX = 2000
ERROR_MAX = 300

PENDING, DELIVERED, FAILED = "pending", "delivered", "failed"
DELIVERY_STATUS_LABELS = {
    PENDING: "Đang chờ gửi",
    DELIVERED: "Đã nhận",
    FAILED: "Thất bại",
}
ENDPOINT_STATUS_LABELS = {"active": "Đang hoạt động", "disabled": "Đã tắt"}


class WebhookEndpoint(Base):
    """A URL that wants some of a ward's events (or every ward's), signed with its secret.

    `secret` holds the `whsec_…` secret encrypted with Fernet (integrations/webhooks/secrets.py):
    the service needs the secret itself to sign, so it cannot be hashed, and a database dump
    alone must not let anyone forge our signatures.
    """

    __tablename__ = "webhook_endpoint"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(sa.String(URL_MAX))
    ward_code: Mapped[str | None] = mapped_column(
        sa.String(5), sa.ForeignKey("ward.code"), index=True
    )
    secret: Mapped[str] = mapped_column(sa.Text)
    description: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    active: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    disabled_reason: Mapped[str | None] = mapped_column(sa.String(ERROR_MAX))

    subscriptions: Mapped[list["WebhookSubscription"]] = relationship(
        back_populates="endpoint",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="WebhookSubscription.event_type",
        lazy="selectin",
    )

    @property
    def event_types(self) -> list[str]:
        """Return the subscribed event types, sorted."""
        return [s.event_type for s in self.subscriptions]


class WebhookSubscription(Base):
    """One event type an endpoint wants."""

    __tablename__ = "webhook_subscription"

    endpoint_id: Mapped[int] = mapped_column(
        sa.ForeignKey("webhook_endpoint.id", ondelete="CASCADE"), primary_key=True
    )
    event_type: Mapped[str] = mapped_column(sa.String(60), primary_key=True)

    endpoint: Mapped[WebhookEndpoint] = relationship(back_populates="subscriptions")

    # Fan-out looks subscriptions up by type.
    __table_args__ = (sa.Index("ix_webhook_subscription_event_type", "event_type"),)


class WebhookDelivery(Base):
    """One event for one endpoint: pending until delivered, or failed when retries run out.

    `round_attempts` counts the tries since the delivery was created or last replayed (it picks
    the next retry's delay); the attempts table keeps every try. A worker sending it holds a
    lease (`lease_token` until `leased_until`), so that no other worker sends it at the same time.
    """

    __tablename__ = "webhook_delivery"

    id: Mapped[int] = mapped_column(primary_key=True)
    endpoint_id: Mapped[int] = mapped_column(
        sa.ForeignKey("webhook_endpoint.id", ondelete="CASCADE")
    )
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("event.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(sa.String(10), default=PENDING)
    round_attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    leased_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    lease_token: Mapped[str | None] = mapped_column(sa.String(32))
    last_status_code: Mapped[int | None]
    last_error: Mapped[str | None] = mapped_column(sa.String(ERROR_MAX))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (
        sa.UniqueConstraint("endpoint_id", "event_id"),
        sa.CheckConstraint(f"status in ('{PENDING}', '{DELIVERED}', '{FAILED}')", name="status"),
        # The worker's query: pending deliveries by due time (only pending rows are indexed).
        sa.Index(
            "ix_webhook_delivery_due",
            "next_attempt_at",
            postgresql_where=sa.text(f"status = '{PENDING}'"),
            sqlite_where=sa.text(f"status = '{PENDING}'"),
        ),
        sa.Index("ix_webhook_delivery_event_id", "event_id"),
        # The delivery log: an endpoint's deliveries, newest first.
        sa.Index("ix_webhook_delivery_endpoint_id_id", "endpoint_id", "id"),
    )


class WebhookAttempt(Base):
    """One try at a delivery: when, the receiver's status code or what went wrong, how long.

    `error` says what happened in our words (a timeout, a refused connection, a private
    address); the receiver's answer body is never kept (it may hold anything).
    """

    __tablename__ = "webhook_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(
        sa.ForeignKey("webhook_delivery.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    status_code: Mapped[int | None]
    error: Mapped[str | None] = mapped_column(sa.String(ERROR_MAX))
    duration_ms: Mapped[int] = mapped_column(default=0)
