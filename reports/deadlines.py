"""Working-day deadlines: Monday to Friday, except Việt Nam's public holidays.

Pure: no database, no clock. The holidays come from the maintained `holidays` package (Tết
moves with the lunar calendar; substitute days off are announced each year), not a hand list.
Days are counted on the calendar of Asia/Ho_Chi_Minh: a report sent at 23:30 on a Monday is a
Monday report, whatever the UTC date.
"""

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache

import holidays

from app.fields import LOCAL_TZ

# The last moment of a day, local time. A report is late when it is closed, or still open,
# strictly after its due moment: `late = t > due_at` is the one comparison everywhere.
END_OF_DAY = time(23, 59, 59)


@lru_cache(maxsize=64)
def public_holidays(year: int) -> frozenset[date]:
    """Return Việt Nam's public holidays (days off) of a year."""
    return frozenset(holidays.country_holidays("VN", years=year))


def is_working_day(day: date) -> bool:
    """Tell whether a day is a working day: Monday to Friday and not a public holiday."""
    return day.weekday() < 5 and day not in public_holidays(day.year)


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
