"""Booking, cancelling and rating appointments; the holder's lists and reminders.

Capacity is held by the database (docs/decisions/0018): a slot's counter row is raised by an
UPDATE that requires `booked < capacity`, in the request's transaction, so that concurrent
requests for the last place queue on the row's lock and exactly one wins.
"""

import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from app.database import insert_ignore, utcnow
from app.errors import ValidationFailed
from app.extensions import db
from app.fields import LOCAL_TZ
from app.identity.models import User
from appointments import events
from appointments import slots as slot_rules
from appointments.exceptions import (
    AlreadyBooked,
    AlreadyRated,
    AppointmentNotFound,
    NotCancellable,
    NotTheHolder,
    NotYetServed,
    ServiceInactive,
    SlotFull,
)
from appointments.models import (
    ACTIVE_STATUSES,
    Appointment,
    AppointmentRating,
    BookingService,
    BookingSlot,
)
from appointments.service import services

# Six characters without look-alikes (no 0/O, 1/I/L): read over a counter, typed from paper.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 6
_CODE_ATTEMPTS = 5
START_LABEL = "Giờ hẹn"


def new_code() -> str:
    """Draw a booking code."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: str) -> str:
    """Return a code as typed or scanned, upper-case, without spaces or dashes."""
    return "".join(ch for ch in text.upper() if ch not in " -\t")


def get(appointment_id: int) -> Appointment:
    """Return an appointment, or raise AppointmentNotFound."""
    appointment = db.session.get(Appointment, appointment_id)
    if appointment is None:
        raise AppointmentNotFound("Không tìm thấy lịch hẹn này.")
    return appointment


def missed(status: str, end: datetime, now: datetime) -> bool:
    """Tell whether a booking was never checked in and its slot has ended: the one rule
    (stored as `missed`, or still `booked` past its end)."""
    return status == "missed" or (status == "booked" and end <= now)


def is_missed(appointment: Appointment, now: datetime) -> bool:
    """Tell whether a booking was missed (see `missed`)."""
    return missed(appointment.status, appointment.end, now)


def expired(status: str, day, today) -> bool:
    """Tell whether a booking checked in (or called) was left unfinished when its day ended."""
    return status in ("checked_in", "called") and day < today


def is_expired(appointment: Appointment, now: datetime) -> bool:
    """Tell whether a booking was left unfinished at the hall (see `expired`)."""
    return expired(appointment.status, appointment.day, slot_rules.local_today(now))


def can_cancel(appointment: Appointment, now: datetime) -> bool:
    """Tell whether the holder may still cancel: booked, and its start not reached."""
    return appointment.status == "booked" and appointment.start > now


def _check_start(service: BookingService, start: datetime, now: datetime) -> slot_rules.Slot:
    """Return the slot starting at `start`, or the field error that says why it is none."""
    if start <= now:
        raise ValidationFailed.on_field("start", START_LABEL, "Giờ hẹn đã qua; hãy chọn giờ khác.")
    day = start.astimezone(LOCAL_TZ).date()
    reason = services.day_closed_reason(service, day, now)
    if reason:
        raise ValidationFailed.on_field("start", START_LABEL, f"Ngày này không nhận hẹn: {reason}.")
    for slot in services.bookable_slots(service, day, now):
        if slot.start == start:
            return slot
    raise ValidationFailed.on_field(
        "start",
        START_LABEL,
        "Không phải một khung giờ nhận hẹn của dịch vụ này; hãy chọn trong danh sách giờ trống.",
    )


def book(
    *, service: BookingService, user: User, start: datetime, now: datetime | None = None
) -> Appointment:
    """Book the slot of `service` starting at `start` for `user`, or refuse (409/422)."""
    now = now or utcnow()
    if not service.active:
        raise ServiceInactive("Dịch vụ này đang tạm ngừng nhận đặt lịch.")
    slot = _check_start(service, start, now)
    insert_ignore(
        BookingSlot,
        [{"service_id": service.id, "start": slot.start, "booked": 0}],
        keys=["service_id", "start"],
    )
    taken = db.session.execute(
        sa.update(BookingSlot)
        .where(
            BookingSlot.service_id == service.id,
            BookingSlot.start == slot.start,
            BookingSlot.booked < service.capacity,
        )
        .values(booked=BookingSlot.booked + 1)
        .returning(BookingSlot.booked)
    ).first()
    if taken is None:
        raise SlotFull("Khung giờ này đã hết chỗ; hãy chọn giờ khác.")
    day = slot.start.astimezone(LOCAL_TZ).date()
    for _ in range(_CODE_ATTEMPTS):
        appointment = Appointment(
            service_id=service.id,
            ward_code=service.ward_code,
            user_id=user.id,
            code=new_code(),
            day=day,
            start=slot.start,
            end=slot.end,
            status="booked",
            created_at=now,
            updated_at=now,
            # Known empty: the answer shows them without asking the database.
            ticket=None,
            rating=None,
        )
        try:
            with db.session.begin_nested():
                db.session.add(appointment)
        except IntegrityError:
            if not _holds_active(service.id, user.id, day):
                continue  # the code was drawn before: draw another
            if _close_missed(service.id, user.id, day, now):
                continue  # their earlier booking that day was missed: it no longer holds
            raise AlreadyBooked(
                "Bạn đã có một lịch hẹn của dịch vụ này trong ngày; hãy hủy lịch cũ "
                "nếu muốn đổi giờ."
            ) from None
        events.booked(appointment, now)
        return appointment
    raise RuntimeError("no free booking code after several draws")


def _holds_active(service_id: int, user_id: int, day) -> bool:
    return (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Appointment)
            .where(
                Appointment.service_id == service_id,
                Appointment.user_id == user_id,
                Appointment.day == day,
                Appointment.status.in_(ACTIVE_STATUSES),
            )
        )
        > 0
    )


def _close_missed(service_id: int, user_id: int, day, now: datetime) -> bool:
    """Store as `missed` the person's booking of that service and day whose slot has ended
    unchecked, so that it stops holding their one booking of the day; tell if there was one."""
    closed = db.session.execute(
        sa.update(Appointment)
        .where(
            Appointment.service_id == service_id,
            Appointment.user_id == user_id,
            Appointment.day == day,
            Appointment.status == "booked",
            Appointment.end <= now,
        )
        .values(status="missed", updated_at=now, sequence=Appointment.sequence + 1)
        .returning(Appointment.id)
    ).all()
    return bool(closed)


def cancel(
    *, appointment: Appointment, user: User, now: datetime | None = None, announce: bool = True
) -> Appointment:
    """Cancel a booking (its holder, before its start) and free its place.

    A second cancel answers the cancelled booking; the place is freed once (the status moves
    from `booked` by a conditional UPDATE, and only the request that moved it frees it), and
    only that request announces it (appointment.cancelled). `announce=False` leaves the event
    to a caller cancelling several bookings, which emits after taking every slot's lock.
    """
    now = now or utcnow()
    if appointment.user_id is None or appointment.user_id != user.id:
        raise NotTheHolder("Chỉ người đặt lịch mới hủy được.")
    if appointment.status == "cancelled":
        return appointment
    if appointment.start <= now and appointment.status == "booked":
        raise NotCancellable("Đã đến giờ hẹn; không hủy được nữa.")
    # The slot's row first, as booking takes it: one lock order, no deadlock between a cancel
    # and a booking of the same slot by the same person.
    db.session.execute(
        sa.select(BookingSlot.booked)
        .where(
            BookingSlot.service_id == appointment.service_id,
            BookingSlot.start == appointment.start,
        )
        .with_for_update()
    )
    moved = db.session.execute(
        sa.update(Appointment)
        .where(
            Appointment.id == appointment.id,
            Appointment.status == "booked",
            Appointment.start > now,
        )
        .values(
            status="cancelled",
            cancelled_at=now,
            updated_at=now,
            sequence=Appointment.sequence + 1,
        )
        .returning(Appointment.id)
    ).first()
    if moved is None:
        db.session.refresh(appointment)
        if appointment.status == "cancelled":
            return appointment
        raise NotCancellable("Lịch hẹn đã được tiếp nhận tại quầy; không hủy được nữa.")
    db.session.execute(
        sa.update(BookingSlot)
        .where(
            BookingSlot.service_id == appointment.service_id, BookingSlot.start == appointment.start
        )
        .values(booked=BookingSlot.booked - 1)
    )
    db.session.refresh(appointment)
    if announce:
        events.cancelled(appointment, now)
    return appointment


def rate(*, appointment: Appointment, user: User, stars: int, now: datetime | None = None):
    """Record the holder's stars for a finished appointment, once (the primary key says so)."""
    if appointment.user_id is None or appointment.user_id != user.id:
        raise NotTheHolder("Chỉ người đặt lịch mới đánh giá được.")
    if appointment.status != "done":
        raise NotYetServed("Chỉ đánh giá được sau khi đã được phục vụ.")
    inserted = insert_ignore(
        AppointmentRating,
        [{"appointment_id": appointment.id, "stars": stars, "created_at": now or utcnow()}],
        keys=["appointment_id"],
    )
    if not inserted:
        raise AlreadyRated("Lịch hẹn này đã được đánh giá.")
    return db.session.get(AppointmentRating, appointment.id, populate_existing=True)


# Lists


def list_mine(*, user: User, after_id: int | None, limit: int) -> list[Appointment]:
    """Return the holder's appointments, newest booking first (one more than `limit`)."""
    stmt = sa.select(Appointment).where(Appointment.user_id == user.id)
    if after_id is not None:
        stmt = stmt.where(Appointment.id < after_id)
    return list(db.session.scalars(stmt.order_by(Appointment.id.desc()).limit(limit + 1)))


def list_schedule(
    *,
    ward_code: str,
    day,
    service_id: int | None,
    status: str | None,
    after: tuple[datetime, int] | None,
    limit: int,
) -> list[Appointment]:
    """Return a ward's appointments of a local day by start (one more than `limit`)."""
    stmt = sa.select(Appointment).where(Appointment.ward_code == ward_code, Appointment.day == day)
    if service_id is not None:
        stmt = stmt.where(Appointment.service_id == service_id)
    if status is not None:
        stmt = stmt.where(Appointment.status == status)
    if after is not None:
        start, appointment_id = after
        # Compared column to value (not as row values), so the value binds as the column's type.
        stmt = stmt.where(
            sa.or_(
                Appointment.start > start,
                sa.and_(Appointment.start == start, Appointment.id > appointment_id),
            )
        )
    stmt = stmt.order_by(Appointment.start, Appointment.id).limit(limit + 1)
    return list(db.session.scalars(stmt.options(selectinload(Appointment.holder))))


# Reminders


def remind_tomorrow(now: datetime | None = None) -> int:
    """Mark the bookings of the next local day as reminded; return how many were claimed.

    The worker runs it (several may at once: the conditional UPDATE claims each row once).
    """
    now = now or utcnow()
    first, last = slot_rules.local_day_bounds(slot_rules.local_today(now) + timedelta(days=1))
    claimed = db.session.execute(
        sa.update(Appointment)
        .where(
            Appointment.status == "booked",
            Appointment.reminded_at.is_(None),
            Appointment.start >= max(first, now),
            Appointment.start < last,
        )
        .values(reminded_at=now)
        .returning(Appointment.id)
    ).all()
    return len(claimed)


def reminders(*, user: User, now: datetime | None = None) -> list[Appointment]:
    """Return the holder's reminded bookings still to come, soonest first."""
    now = now or utcnow()
    return list(
        db.session.scalars(
            sa.select(Appointment)
            .where(
                Appointment.user_id == user.id,
                Appointment.status == "booked",
                Appointment.reminded_at.is_not(None),
                Appointment.start > now,
            )
            .order_by(Appointment.start)
            .limit(20)
        )
    )
