"""Appointments and queue numbers: services, their hours, slots, bookings, tickets, ratings.

The rules the database can hold, it holds (docs/decisions/0018-appointments-and-queue.md):
a slot's `booked` never below zero and only raised by `booked < capacity` UPDATEs; one active
booking per person, service and day (a partial unique index); one number per service and day
(a unique key, drawn from `queue_day.last_number`); one ticket per booking; one rating per
booking; states from their lists, with the times that go with them.
"""

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.database import Base, TimestampMixin, UTCDateTime, utcnow

KIND_LABELS = {
    "procedure": "Thủ tục hành chính",
    "facility": "Nhà văn hóa, phòng họp",
}
KINDS = tuple(KIND_LABELS)

WEEKDAY_LABELS = {
    1: "Thứ Hai",
    2: "Thứ Ba",
    3: "Thứ Tư",
    4: "Thứ Năm",
    5: "Thứ Sáu",
    6: "Thứ Bảy",
    7: "Chủ nhật",
}

STATUS_LABELS = {
    "booked": "Đã đặt",
    "cancelled": "Đã hủy",
    "checked_in": "Đã đến, đang chờ",
    "called": "Đang được phục vụ",
    "done": "Đã xong",
    "no_show": "Vắng mặt khi gọi",
    "missed": "Không đến",
}
STATUSES = tuple(STATUS_LABELS)
# A booking that holds its place: at most one per person, service and day.
ACTIVE_STATUSES = ("booked", "checked_in", "called")
# A booking never checked in whose slot has ended reads as missed at once (derived); it is
# stored as `missed` when its holder books that service again that day (appointments/service).
MISSED_LABEL = STATUS_LABELS["missed"]
# A booking checked in (or called) and never finished once its day is over (derived).
EXPIRED_LABEL = "Hết ngày, chưa được phục vụ xong"

TICKET_STATUS_LABELS = {
    "waiting": "Đang chờ",
    "called": "Đang gọi",
    "done": "Đã xong",
    "no_show": "Vắng mặt",
}
TICKET_STATUSES = tuple(TICKET_STATUS_LABELS)
SOURCE_LABELS = {"appointment": "Đặt lịch trước", "walk_in": "Lấy số tại chỗ"}
SOURCES = tuple(SOURCE_LABELS)


def _in(column: str, values) -> str:
    return f"{column} in ({', '.join(repr(v) for v in values)})"


class BookingService(TimestampMixin, Base):
    """A procedure at the ward office, or a room of the community hall, that people book."""

    __tablename__ = "booking_service"

    id: Mapped[int] = mapped_column(primary_key=True)
    ward_code: Mapped[str] = mapped_column(sa.String(5), sa.ForeignKey("ward.code"))
    name: Mapped[str] = mapped_column(sa.String(120))
    kind: Mapped[str] = mapped_column(sa.String(20), default="procedure")
    description: Mapped[str] = mapped_column(sa.Text, default="")
    # Where to go: the office's address, a room ("Bộ phận một cửa, tầng 1").
    location: Mapped[str] = mapped_column(sa.String(300), default="")
    duration_minutes: Mapped[int] = mapped_column()
    # People served at once in one slot.
    capacity: Mapped[int] = mapped_column()
    counters: Mapped[int] = mapped_column(default=1)
    book_ahead_days: Mapped[int] = mapped_column(default=30)
    walk_in_cap: Mapped[int] = mapped_column(default=100)
    calls_before_no_show: Mapped[int] = mapped_column(default=2)
    active: Mapped[bool] = mapped_column(default=True)

    hours: Mapped[list["BookingHours"]] = relationship(
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="[BookingHours.weekday, BookingHours.start_minute]",
        lazy="selectin",
    )

    __table_args__ = (
        sa.CheckConstraint(_in("kind", KINDS), name="kind"),
        sa.CheckConstraint("duration_minutes between 5 and 480", name="duration_minutes"),
        sa.CheckConstraint("capacity between 1 and 100", name="capacity"),
        sa.CheckConstraint("counters between 1 and 50", name="counters"),
        sa.CheckConstraint("book_ahead_days between 1 and 90", name="book_ahead_days"),
        sa.CheckConstraint("walk_in_cap between 0 and 999", name="walk_in_cap"),
        sa.CheckConstraint("calls_before_no_show between 1 and 5", name="calls_before_no_show"),
        sa.Index("ix_booking_service_ward", "ward_code", "id"),
    )


class BookingHours(Base):
    """One opening interval of a service on a weekday (1 = Monday … 7), in local minutes."""

    __tablename__ = "booking_hours"

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(
        sa.ForeignKey("booking_service.id", ondelete="CASCADE"), index=True
    )
    weekday: Mapped[int] = mapped_column()
    start_minute: Mapped[int] = mapped_column()
    end_minute: Mapped[int] = mapped_column()

    __table_args__ = (
        sa.CheckConstraint("weekday between 1 and 7", name="weekday"),
        sa.CheckConstraint(
            "start_minute >= 0 and end_minute <= 1440 and start_minute < end_minute",
            name="interval",
        ),
    )


class BookingSlot(Base):
    """The places taken in one slot: written on its first booking, raised and lowered only by
    conditional UPDATEs (appointments/service/booking.py)."""

    __tablename__ = "booking_slot"

    service_id: Mapped[int] = mapped_column(
        sa.ForeignKey("booking_service.id", ondelete="CASCADE"), primary_key=True
    )
    start: Mapped[datetime] = mapped_column(UTCDateTime(), primary_key=True)
    booked: Mapped[int] = mapped_column(default=0)

    __table_args__ = (sa.CheckConstraint("booked >= 0", name="booked"),)


class Appointment(TimestampMixin, Base):
    """A resident's booking of one slot of a service; its code is on the QR ticket."""

    __tablename__ = "appointment"

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(sa.ForeignKey("booking_service.id"))
    ward_code: Mapped[str] = mapped_column(sa.String(5), sa.ForeignKey("ward.code"))
    # Unlinked when the account is erased; the booking stays, anonymous, for the statistics.
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    code: Mapped[str] = mapped_column(sa.String(8), unique=True)
    # The slot's local day (Asia/Ho_Chi_Minh): the unit of "one booking a day" and the queue.
    day: Mapped[date] = mapped_column(sa.Date)
    start: Mapped[datetime] = mapped_column(UTCDateTime())
    end: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(sa.String(12), default="booked")
    # Raised on every change the calendar file shows (its SEQUENCE).
    sequence: Mapped[int] = mapped_column(default=0)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    service: Mapped[BookingService] = relationship(lazy="joined", innerjoin=True)
    holder = relationship("User")
    ticket: Mapped["QueueTicket | None"] = relationship(
        back_populates="appointment", lazy="selectin"
    )
    rating: Mapped["AppointmentRating | None"] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, lazy="selectin"
    )

    __table_args__ = (
        sa.CheckConstraint(_in("status", STATUSES), name="status"),
        sa.CheckConstraint('start < "end"', name="interval"),
        sa.CheckConstraint("(status = 'cancelled') = (cancelled_at is not null)", name="cancelled"),
        sa.Index(
            "uq_appointment_one_a_day",
            "service_id",
            "user_id",
            "day",
            unique=True,
            sqlite_where=sa.text(_in("status", ACTIVE_STATUSES)),
            postgresql_where=sa.text(_in("status", ACTIVE_STATUSES)),
        ),
        # The day's schedule of a ward, by start.
        sa.Index("ix_appointment_schedule", "ward_code", "day", "start", "id"),
        # A resident's bookings, newest first.
        sa.Index("ix_appointment_holder", "user_id", "id"),
        # The reminder job: booked, not yet reminded, starting tomorrow.
        sa.Index("ix_appointment_remind", "status", "reminded_at", "start"),
    )


class AppointmentRating(Base):
    """The holder's stars for the service they had, once (the primary key)."""

    __tablename__ = "appointment_rating"

    appointment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("appointment.id", ondelete="CASCADE"), primary_key=True
    )
    stars: Mapped[int] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (sa.CheckConstraint("stars between 1 and 5", name="stars"),)


class QueueDay(Base):
    """The numbers given out for a service on a local day: the sequence and the walk-ins."""

    __tablename__ = "queue_day"

    service_id: Mapped[int] = mapped_column(
        sa.ForeignKey("booking_service.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(sa.Date, primary_key=True)
    last_number: Mapped[int] = mapped_column(default=0)
    walk_ins: Mapped[int] = mapped_column(default=0)

    __table_args__ = (sa.CheckConstraint("walk_ins between 0 and last_number", name="walk_ins"),)


class QueueTicket(Base):
    """A number in the hall: a checked-in booking or a walk-in, waiting, called, then done."""

    __tablename__ = "queue_ticket"

    id: Mapped[int] = mapped_column(primary_key=True)
    ward_code: Mapped[str] = mapped_column(sa.String(5), sa.ForeignKey("ward.code"))
    service_id: Mapped[int] = mapped_column(sa.ForeignKey("booking_service.id"))
    day: Mapped[date] = mapped_column(sa.Date)
    number: Mapped[int] = mapped_column()
    source: Mapped[str] = mapped_column(sa.String(12))
    appointment_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("appointment.id", ondelete="CASCADE"), unique=True
    )
    status: Mapped[str] = mapped_column(sa.String(10), default="waiting")
    counter: Mapped[int | None] = mapped_column()
    call_count: Mapped[int] = mapped_column(default=0)
    # When the ticket joined the queue (checked in or issued): the queue's order.
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime())
    called_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # A booking's ticket: first called within 15 minutes of the booked start (set at the call).
    on_time: Mapped[bool | None] = mapped_column()

    service: Mapped[BookingService] = relationship(lazy="joined", innerjoin=True)
    appointment: Mapped[Appointment | None] = relationship(back_populates="ticket")

    __table_args__ = (
        sa.CheckConstraint(_in("status", TICKET_STATUSES), name="status"),
        sa.CheckConstraint(_in("source", SOURCES), name="source"),
        sa.CheckConstraint(
            "(source = 'appointment') = (appointment_id is not null)", name="appointment"
        ),
        sa.CheckConstraint("number >= 1", name="number"),
        sa.CheckConstraint("(status = 'waiting') = (called_at is null)", name="called_at"),
        sa.CheckConstraint(
            f"(finished_at is null) = ({_in('status', ('waiting', 'called'))})",
            name="finished_at",
        ),
        sa.CheckConstraint(
            "call_count >= 0 and (status = 'waiting') = (call_count = 0)", name="call_count"
        ),
        sa.UniqueConstraint("service_id", "day", "number"),
        # The hall's queue: waiting tickets of a ward's day, oldest first.
        sa.Index("ix_queue_ticket_hall", "ward_code", "day", "status", "queued_at", "id"),
        # A service's handling time: its tickets finished lately.
        sa.Index("ix_queue_ticket_handled", "service_id", "status", "finished_at"),
    )
