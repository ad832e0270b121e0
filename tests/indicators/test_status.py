"""The status rule: met, missed, and the 30-day trend projected to the deadline."""

from datetime import date

import pytest

from indicators.status import Point, slope, status

DEADLINE = date(2026, 12, 31)
TODAY = date(2026, 11, 30)


def judge(value, *, target=1.0, deadline=DEADLINE, today=TODAY, earlier=None):
    return status(value=value, target=target, deadline=deadline, today=today, earlier=earlier)


def test_no_value_no_target_met():
    assert judge(None) == "no_data"
    assert judge(0.3, target=None) == "info"
    assert judge(1.0) == "met"
    assert judge(0.7, target=0.7) == "met"  # reached exactly


def test_a_flat_or_missing_trend_below_target_is_at_risk():
    assert judge(0.5) == "at_risk"  # no earlier point: flat
    assert judge(0.5, earlier=Point(date(2026, 11, 1), 0.5)) == "at_risk"


def test_a_trend_that_reaches_the_target_by_the_deadline_is_on_track():
    # +0.3 in 30 days = 0.01 a day; 31 days left: 0.70 + 0.31 = 1.01 ≥ 1.0.
    assert judge(0.7, earlier=Point(date(2026, 10, 31), 0.4)) == "on_track"
    # +0.15 in 30 days = 0.005 a day: 0.70 + 0.155 < 1.0.
    assert judge(0.7, earlier=Point(date(2026, 10, 31), 0.55)) == "at_risk"
    # Going backwards is never on track.
    assert judge(0.7, earlier=Point(date(2026, 10, 31), 0.9)) == "at_risk"


def test_after_the_deadline_below_target_is_missed():
    assert judge(0.99, today=date(2027, 1, 1)) == "missed"
    assert judge(1.0, today=date(2027, 1, 1)) == "met"
    # On the deadline day no time is left for a trend: below the target is at risk, not yet
    # missed (the day is not over).
    assert judge(0.99, today=DEADLINE, earlier=Point(date(2026, 12, 1), 0.5)) == "at_risk"


def test_slope_is_per_day_and_zero_without_an_earlier_point():
    assert slope(None, TODAY, 0.5) == 0.0
    assert slope(Point(date(2026, 11, 20), 0.4), TODAY, 0.5) == pytest.approx(0.01)
    assert slope(Point(TODAY, 0.4), TODAY, 0.5) == 0.0
