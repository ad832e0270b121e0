"""The status of an indicator: the one definition (docs/decisions/0019-indicators-over-time.md).

Pure: values and dates in, a status out. `met` when the value reaches the target; past the
deadline, `missed`; before it, the trend of the last TREND_DAYS days projected to the deadline
decides between `on_track` and `at_risk` (no earlier point: a flat trend).
"""

from dataclasses import dataclass
from datetime import date

TREND_DAYS = 30
EPSILON = 1e-9

STATUS_LABELS = {
    "met": "Đạt",
    "on_track": "Đúng tiến độ",
    "at_risk": "Có nguy cơ không đạt",
    "missed": "Không đạt",
    "no_data": "Chưa có số liệu",
    "info": "Theo dõi (không có mục tiêu)",
}
STATUSES = tuple(STATUS_LABELS)
# The order a console lists units in: those that need attention first.
ATTENTION_ORDER = ("missed", "at_risk", "on_track", "no_data", "met", "info")


@dataclass(frozen=True)
class Point:
    day: date
    value: float


def slope(earlier: Point | None, today: date, value: float) -> float:
    """Return the change per day from an earlier point to today's value (0 without one)."""
    if earlier is None or earlier.day >= today:
        return 0.0
    return (value - earlier.value) / (today - earlier.day).days


def status(
    *,
    value: float | None,
    target: float | None,
    deadline: date | None,
    today: date,
    earlier: Point | None = None,
) -> str:
    """Return the status of a value against its target and deadline, given an earlier point
    of the last TREND_DAYS days (the trend's start)."""
    if value is None:
        return "no_data"
    if target is None:
        return "info"
    if value >= target - EPSILON:
        return "met"
    if deadline is None:
        return "at_risk"
    if today > deadline:
        return "missed"
    projected = value + slope(earlier, today, value) * (deadline - today).days
    return "on_track" if projected >= target - EPSILON else "at_risk"
