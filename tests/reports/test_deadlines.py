"""`due_at`: the end of the N-th working day after the report (Hà Nội time, holidays skipped)."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import time_machine

from reports import deadlines
from tests.reports.conftest import report_body

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def test_working_days_skip_weekends_and_public_holidays():
    """Saturday, Sunday, 30/4, 1/5 and Tết are not working days; a plain Monday is."""
    assert deadlines.is_working_day(date(2026, 5, 4))
    assert not deadlines.is_working_day(date(2026, 5, 2))  # Saturday
    assert not deadlines.is_working_day(date(2026, 4, 30))  # Ngày Giải phóng miền Nam
    assert not deadlines.is_working_day(date(2026, 5, 1))  # Quốc tế Lao động
    assert not deadlines.is_working_day(date(2026, 2, 17))  # Tết Bính Ngọ
    assert not deadlines.is_working_day(date(2026, 9, 2))  # Quốc khánh


def test_a_report_before_30_4_and_1_5_is_due_after_the_long_weekend():
    """Wednesday 29/4 + 2 working days: 30/4, 1/5, the weekend skipped → Tuesday 5/5."""
    received = datetime(2026, 4, 29, 10, 0, tzinfo=HANOI)
    due = deadlines.due_at(received, 2)
    assert due.tzinfo == UTC
    assert due.astimezone(HANOI).isoformat() == "2026-05-05T23:59:59+07:00"
    # Thursday 30/4 itself (a holiday) + 1 working day → Monday 4/5.
    on_holiday = datetime(2026, 4, 30, 9, 0, tzinfo=HANOI)
    assert deadlines.due_at(on_holiday, 1).astimezone(HANOI).date() == date(2026, 5, 4)


def test_tet_is_skipped():
    """Friday 13/2/2026 + 3 working days: Tết (16–20/2) and two weekends skipped → 25/2."""
    received = datetime(2026, 2, 13, 16, 0, tzinfo=HANOI)
    assert deadlines.due_at(received, 3).astimezone(HANOI).date() == date(2026, 2, 25)


def test_days_are_counted_on_hanoi_s_calendar():
    """17:30 UTC on Tuesday is 00:30 Wednesday in Hà Nội: the count starts from Wednesday."""
    received = datetime(2026, 3, 3, 17, 30, tzinfo=UTC)  # Wednesday 4/3, 00:30 local
    assert deadlines.due_at(received, 1).astimezone(HANOI).date() == date(2026, 3, 5)


def test_the_api_gives_due_at_with_a_frozen_clock(api, people):
    """A report sent on Wednesday 29/4/2026 (rubbish: 2 working days) is due 5/5 23:59:59."""
    with time_machine.travel(datetime(2026, 4, 29, 10, 0, tzinfo=HANOI), tick=True):
        api.login(people[2])
        sent = api.post("/api/v1/reports", json=report_body(category="rac_thai")).get_json()
        assert sent["created_at"].startswith("2026-04-29T10:0")
        assert sent["due_at"] == "2026-05-05T23:59:59+07:00"
        assert sent["overdue"] is False
    with time_machine.travel(datetime(2026, 5, 6, 0, 0, 1, tzinfo=HANOI), tick=True):
        shown = api.get(f"/api/v1/reports/{sent['id']}").get_json()
        assert shown["overdue"] is True
