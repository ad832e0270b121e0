"""Việt Nam's calendar of days off: the one definition of a public holiday and a working day.

The holidays come from the maintained `holidays` package (Tết moves with the lunar calendar;
substitute days off are announced each year), not a hand list. Used by the field reports'
working-day deadlines and by the appointments' opening days.
"""

from datetime import date
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def public_holidays(year: int) -> dict[date, str]:
    """Return Việt Nam's public holidays (days off) of a year, with their Vietnamese names."""
    return dict(holidays.country_holidays("VN", years=year, language="vi"))


def holiday_name(day: date) -> str | None:
    """Return the name of the public holiday on `day`, or None on an ordinary day."""
    return public_holidays(day.year).get(day)


def is_working_day(day: date) -> bool:
    """Tell whether a day is a working day: Monday to Friday and not a public holiday."""
    return day.weekday() < 5 and day not in public_holidays(day.year)
