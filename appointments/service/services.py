"""Booking services of a ward, their weekly hours, and the days and slots they offer."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa

from app.audit import record
from app.database import utcnow
from app.errors import FieldError, ValidationFailed
from app.extensions import db
from appointments import slots as slot_rules
from appointments.exceptions import ServiceNotFound
from appointments.models import WEEKDAY_LABELS, BookingHours, BookingService, BookingSlot

FIELDS = (
    "name",
    "kind",
    "description",
    "location",
    "duration_minutes",
    "capacity",
    "counters",
    "book_ahead_days",
    "walk_in_cap",
    "calls_before_no_show",
    "active",
)


def get(service_id: int) -> BookingService:
    """Return a booking service, or raise ServiceNotFound."""
    service = db.session.get(BookingService, service_id)
    if service is None:
        raise ServiceNotFound("Không tìm thấy dịch vụ đặt lịch này.")
    return service


def get_in_ward(service_id: int, ward_code: str, *, field: str = "service_id") -> BookingService:
    """Return a service of the ward named in a request body, or a field error (422)."""
    service = db.session.get(BookingService, service_id)
    if service is None or service.ward_code != ward_code:
        raise ValidationFailed.on_field(field, "Dịch vụ", "Phường, xã này không có dịch vụ này.")
    return service


def list_for_ward(ward_code: str, *, include_inactive: bool = False) -> list[BookingService]:
    """Return a ward's services in the order they were added."""
    stmt = sa.select(BookingService).where(BookingService.ward_code == ward_code)
    if not include_inactive:
        stmt = stmt.where(BookingService.active == sa.true())
    return list(db.session.scalars(stmt.order_by(BookingService.id)))


def intervals(service: BookingService) -> list[slot_rules.Interval]:
    """Return a service's opening hours as the slot rules take them."""
    return [slot_rules.Interval(h.weekday, h.start_minute, h.end_minute) for h in service.hours]


def _parse_hours(rows: list[dict]) -> list[slot_rules.Interval]:
    """Check and convert `hours` rows (`weekday`, "HH:MM" `start` and `end`)."""
    errors, result = [], []
    for index, row in enumerate(rows):
        label = f"Giờ làm việc {index + 1}"
        start, end = row["start"], row["end"]
        if end <= start:
            errors.append(
                FieldError(
                    f"hours.{index}.end", f"{label} – Đến", "Giờ kết thúc phải sau giờ bắt đầu."
                )
            )
            continue
        result.append(slot_rules.Interval(row["weekday"], start, end))
    for a, b in slot_rules.overlapping(result):
        errors.append(
            FieldError(
                "hours",
                "Giờ làm việc",
                f"{WEEKDAY_LABELS[a.weekday]}: khoảng {slot_rules.span_text(a)} và "
                f"{slot_rules.span_text(b)} chồng lên nhau.",
            )
        )
    if errors:
        raise ValidationFailed.on_fields(errors)
    return result


def _check_fits(duration: int, hours: list[slot_rules.Interval]) -> None:
    if hours and not any(h.end_minute - h.start_minute >= duration for h in hours):
        raise ValidationFailed.on_field(
            "duration_minutes",
            "Thời lượng mỗi lượt (phút)",
            "Dài hơn mọi khoảng giờ làm việc: sẽ không có khung giờ nào để đặt.",
        )


def _set_hours(service: BookingService, hours: list[slot_rules.Interval]) -> None:
    service.hours = [
        BookingHours(weekday=h.weekday, start_minute=h.start_minute, end_minute=h.end_minute)
        for h in sorted(hours)
    ]


def create(*, ward_code: str, hours: list[dict], **values) -> BookingService:
    """Add a booking service to a ward."""
    parsed = _parse_hours(hours)
    _check_fits(values["duration_minutes"], parsed)
    service = BookingService(
        ward_code=ward_code, **{k: v for k, v in values.items() if k in FIELDS}
    )
    _set_hours(service, parsed)
    db.session.add(service)
    db.session.flush()
    _audit("booking_service.created", service)
    return service


def _audit(action: str, service: BookingService) -> None:
    """Write a change of a ward's booking service to its audit log."""
    record(action, "booking_service", service.id, service.name, ward_code=service.ward_code)


def update(service: BookingService, changes: dict) -> BookingService:
    """Change a service; bookings already made keep their time (new hours apply to new ones)."""
    service = db.session.get(
        BookingService, service.id, with_for_update=True, populate_existing=True
    )
    parsed = _parse_hours(changes["hours"]) if "hours" in changes else intervals(service)
    _check_fits(changes.get("duration_minutes", service.duration_minutes), parsed)
    for name in FIELDS:
        if name in changes:
            setattr(service, name, changes[name])
    if "hours" in changes:
        _set_hours(service, parsed)
    db.session.flush()
    _audit("booking_service.updated", service)
    return service


# Days and slots


@dataclass(frozen=True)
class OpenSlot:
    start: datetime
    end: datetime
    capacity: int
    remaining: int


def _booked(service: BookingService, first: datetime, last: datetime) -> dict[datetime, int]:
    rows = db.session.execute(
        sa.select(BookingSlot.start, BookingSlot.booked).where(
            BookingSlot.service_id == service.id,
            BookingSlot.start >= first,
            BookingSlot.start <= last,
        )
    )
    return {start: booked for start, booked in rows}


def bookable_slots(service: BookingService, day: date, now: datetime) -> list[slot_rules.Slot]:
    """Return the slots of a day that can still be booked: not started, within the window."""
    if not service.active or day > slot_rules.last_bookable_day(now, service.book_ahead_days):
        return []
    return [
        s
        for s in slot_rules.day_slots(day, intervals(service), service.duration_minutes)
        if s.start > now
    ]


def open_slots(service: BookingService, day: date, now: datetime | None = None) -> list[OpenSlot]:
    """Return the bookable slots of a day with their remaining places."""
    now = now or utcnow()
    found = bookable_slots(service, day, now)
    if not found:
        return []
    booked = _booked(service, found[0].start, found[-1].start)
    return [
        OpenSlot(
            s.start,
            s.end,
            service.capacity,
            max(0, service.capacity - booked.get(s.start, 0)),
        )
        for s in found
    ]


def day_closed_reason(
    service: BookingService, day: date, now: datetime | None = None
) -> str | None:
    """Tell why a day offers no slot to book, or None when it offers some."""
    now = now or utcnow()
    if not service.active:
        return "Dịch vụ đang tạm ngừng nhận đặt lịch"
    if day < slot_rules.local_today(now):
        return "Ngày đã qua"
    if day > slot_rules.last_bookable_day(now, service.book_ahead_days):
        return f"Chỉ đặt trước tối đa {service.book_ahead_days} ngày"
    reason = slot_rules.closed_reason(day, intervals(service))
    if reason:
        return reason
    if not bookable_slots(service, day, now):
        return "Đã hết giờ nhận hẹn trong ngày"
    return None


@dataclass(frozen=True)
class Day:
    day: date
    closed_reason: str | None
    remaining: int


def days(service: BookingService, now: datetime | None = None) -> list[Day]:
    """Return every day from today to the last bookable one, each open or closed (and why)."""
    now = now or utcnow()
    today = slot_rules.local_today(now)
    last = slot_rules.last_bookable_day(now, service.book_ahead_days)
    first_start, _ = slot_rules.local_day_bounds(today)
    _, last_end = slot_rules.local_day_bounds(last)
    booked = _booked(service, first_start, last_end)
    result = []
    day = today
    while day <= last:
        found = bookable_slots(service, day, now)
        remaining = sum(max(0, service.capacity - booked.get(s.start, 0)) for s in found)
        result.append(Day(day, day_closed_reason(service, day, now), remaining))
        day += timedelta(days=1)
    return result
