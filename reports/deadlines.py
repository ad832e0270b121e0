"""Working-day deadlines: Monday to Friday, except Việt Nam's public holidays.

Pure: no database, no clock. The days off are app/workdays.py's (the `holidays` package).
Days are counted on the calendar of Asia/Ho_Chi_Minh: a report sent at 23:30 on a Monday is a
Monday report, whatever the UTC date.
"""

from datetime import UTC, date, datetime, time, timedelta

from app.fields import LOCAL_TZ
from app.workdays import is_working_day

__all__ = ["END_OF_DAY", "add_working_days", "due_at", "is_working_day"]

# The last moment of a day, local time. A report is late when it is closed, or still open,
# strictly after its due moment: `late = t > due_at` is the one comparison everywhere.
END_OF_DAY = time(23, 59, 59)


def add_working_days(start: date, days: int) -> date:
    """Return the `days`-th working day after `start` (`start` itself is never counted)."""
    if days < 1:
        raise ValueError("days must be at least 1")
    day, counted = start, 0
    while counted < days:
        day += timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day


def due_at(received_at: datetime, working_days: int) -> datetime:
    """Return the end (23:59:59 Asia/Ho_Chi_Minh, as UTC) of the N-th working day after."""
    local_day = received_at.astimezone(LOCAL_TZ).date()
    last_day = add_working_days(local_day, working_days)
    return datetime.combine(last_day, END_OF_DAY, tzinfo=LOCAL_TZ).astimezone(UTC)
