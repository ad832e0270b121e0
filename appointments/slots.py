"""Slots of a service on a day, computed from its weekly hours: the one definition.

Pure: no database, no clock (the caller passes `now`). Days and hours are those of Asia/Ho_Chi_Minh;
times leave here aware, in UTC. A day has no slot when it is one of Việt Nam's public holidays
(app/workdays.py) or when the service has no hours on its weekday.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from app.fields import LOCAL_TZ
from app.workdays import holiday_name


@dataclass(frozen=True, order=True)
class Interval:
    """Opening hours on a weekday (1 = Monday … 7), in minutes after local midnight."""

    weekday: int
    start_minute: int
    end_minute: int


@dataclass(frozen=True)
class Slot:
    start: datetime
    end: datetime


def minutes_text(minutes: int) -> str:
    """Return local minutes after midnight as "HH:MM" (1440 is "24:00")."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def span_text(interval: Interval) -> str:
    """Return an interval's hours as "HH:MM–HH:MM"."""
    return f"{minutes_text(interval.start_minute)}–{minutes_text(interval.end_minute)}"


def local_today(now: datetime) -> date:
    """Return the local (Asia/Ho_Chi_Minh) date of a moment."""
    return now.astimezone(LOCAL_TZ).date()


def local_day_bounds(day: date) -> tuple[datetime, datetime]:
    """Return the first moment of a local day and of the next, in UTC."""
    start = datetime.combine(day, time(), tzinfo=LOCAL_TZ)
    end = datetime.combine(day + timedelta(days=1), time(), tzinfo=LOCAL_TZ)
    return start.astimezone(UTC), end.astimezone(UTC)


def closed_reason(day: date, hours: Iterable[Interval]) -> str | None:
    """Tell why a day has no slot (a holiday, no hours that weekday), or None when it has."""
    name = holiday_name(day)
    if name:
        return f"Nghỉ lễ: {name}"
    if not any(h.weekday == day.isoweekday() for h in hours):
        return "Không làm việc"
    return None


def day_slots(day: date, hours: Iterable[Interval], duration_minutes: int) -> list[Slot]:
    """Return every slot of a day in order: one each `duration_minutes` from the start of each
    interval, ending by the interval's end; none on a holiday."""
    hours = list(hours)
    if closed_reason(day, hours):
        return []
    midnight = datetime.combine(day, time(), tzinfo=LOCAL_TZ)
    slots = []
    for interval in sorted(h for h in hours if h.weekday == day.isoweekday()):
        minute = interval.start_minute
        while minute + duration_minutes <= interval.end_minute:
            # Added to local midnight as a wall-clock offset (Việt Nam has no DST).
            start = midnight + timedelta(minutes=minute)
            end = start + timedelta(minutes=duration_minutes)
            slots.append(Slot(start.astimezone(UTC), end.astimezone(UTC)))
            minute += duration_minutes
    return slots


def last_bookable_day(now: datetime, book_ahead_days: int) -> date:
    """Return the last local day that can be booked `book_ahead_days` ahead of today."""
    return local_today(now) + timedelta(days=book_ahead_days)


def overlapping(hours: Iterable[Interval]) -> list[tuple[Interval, Interval]]:
    """Return the pairs of intervals on the same weekday that overlap (none is valid)."""
    by_day: dict[int, list[Interval]] = {}
    for h in hours:
        by_day.setdefault(h.weekday, []).append(h)
    pairs = []
    for day_hours in by_day.values():
        day_hours.sort(key=lambda h: h.start_minute)
        for a, b in zip(day_hours, day_hours[1:], strict=False):
            if b.start_minute < a.end_minute:
                pairs.append((a, b))
    return pairs
