"""Days and slots: office hours, Việt Nam's holidays, weekends, the clock, the booking window."""

from datetime import datetime, timedelta

from tests.appointments.conftest import booked, local, slot_of


def _slots(client, service: dict, day: str) -> dict:
    response = client.get(f"/api/v1/booking-services/{service['id']}/slots?date={day}")
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def _days(client, service: dict) -> dict[str, dict]:
    response = client.get(f"/api/v1/booking-services/{service['id']}/days")
    assert response.status_code == 200, response.get_json()
    return {d["date"]: d for d in response.get_json()["items"]}


def _expected_starts(first: str, last: str, minutes: int = 15) -> list[str]:
    start, end = datetime.strptime(first, "%H:%M"), datetime.strptime(last, "%H:%M")
    found = []
    while start <= end:
        found.append(start.strftime("%H:%M"))
        start += timedelta(minutes=minutes)
    return found


def test_monday_slots_follow_the_office_hours(client, make_service):
    """07:30 every 15 minutes to 11:15, then 13:30 to 16:45: 16 + 14 = 30 slots of 2 places."""
    service = make_service()
    found = _slots(client, service, "2026-12-07")
    assert found["date"] == "2026-12-07" and found["closed_reason"] is None
    items = found["items"]
    assert len(items) == 30
    starts = [s["start"][11:16] for s in items]
    assert starts == _expected_starts("07:30", "11:15") + _expected_starts("13:30", "16:45")
    for slot in items:
        assert slot["start"].startswith("2026-12-07T") and slot["start"].endswith("+07:00")
        start = datetime.fromisoformat(slot["start"])
        assert datetime.fromisoformat(slot["end"]) - start == timedelta(minutes=15)
        assert (slot["capacity"], slot["remaining"]) == (2, 2)
    assert items[-1]["end"] == local(7, 17)  # the last slot ends with the day's hours


def test_slot_length_that_does_not_divide_the_interval(client, make_service):
    """45-minute slots in 07:30–11:30: 07:30 … 10:30 (11:15 would end after 11:30)."""
    service = make_service(duration_minutes=45)
    starts = [s["start"][11:16] for s in _slots(client, service, "2026-12-07")["items"]]
    assert starts == ["07:30", "08:15", "09:00", "09:45", "10:30"] + [
        "13:30",
        "14:15",
        "15:00",
        "15:45",
    ]


def test_new_years_day_is_a_holiday(client, make_service):
    """Friday 1 January 2027: no slot, and the reason names the holiday."""
    service = make_service()
    found = _slots(client, service, "2027-01-01")
    assert found["items"] == []
    assert found["closed_reason"] == "Nghỉ lễ: Tết Dương lịch"
    day = _days(client, service)["2027-01-01"]
    assert day["open"] is False and day["remaining"] == 0
    assert day["closed_reason"] == "Nghỉ lễ: Tết Dương lịch"
    assert day["weekday_label"] == "Thứ Sáu"
    assert _days(client, service)["2026-12-31"]["open"] is True  # the Thursday before


def test_tet_holidays_have_no_slot(client, make_service):
    """Tết 2027 (Thursday 4 to Wednesday 10 February): every day closed, named; the 11th open."""
    service = make_service(book_ahead_days=90)
    eve = _slots(client, service, "2027-02-05")
    assert eve["items"] == [] and eve["closed_reason"].startswith("Nghỉ lễ: ")
    assert "Tết" in eve["closed_reason"] or "Giao thừa" in eve["closed_reason"]
    days = _days(client, service)
    for day in ("2027-02-04", "2027-02-05", "2027-02-08", "2027-02-09", "2027-02-10"):
        assert days[day]["open"] is False, day
        assert days[day]["closed_reason"].startswith("Nghỉ lễ: "), days[day]
        assert _slots(client, service, day)["items"] == []
    assert days["2027-02-11"]["open"] is True and days["2027-02-11"]["remaining"] == 60
    assert len(_slots(client, service, "2027-02-11")["items"]) == 30


def test_weekend_without_hours_is_closed(client, make_service):
    """Saturday and Sunday have no hours: "Không làm việc", no slot."""
    service = make_service()
    days = _days(client, service)
    for day in ("2026-12-12", "2026-12-13"):
        found = _slots(client, service, day)
        assert found["items"] == [] and found["closed_reason"] == "Không làm việc"
        assert days[day]["open"] is False and days[day]["closed_reason"] == "Không làm việc"
        assert days[day]["remaining"] == 0
    assert days["2026-12-12"]["weekday_label"] == "Thứ Bảy"
    assert days["2026-12-13"]["weekday_label"] == "Chủ nhật"


def test_a_saturday_with_hours_is_open(client, make_service):
    """A hall open on Saturday mornings offers Saturday slots."""
    service = make_service(
        kind="facility", hours=[{"weekday": 6, "start": "08:00", "end": "10:00"}]
    )
    assert len(_slots(client, service, "2026-12-12")["items"]) == 8
    assert _slots(client, service, "2026-12-07")["closed_reason"] == "Không làm việc"


def test_slots_that_have_started_are_gone(client, clock, make_service):
    """At 09:05 the first slot left is 09:15; after the last one the day is closed."""
    service = make_service()
    clock.shift(timedelta(hours=2, minutes=5))
    items = _slots(client, service, "2026-12-07")["items"]
    assert items[0]["start"] == local(7, 9, 15)
    assert len(items) == 9 + 14
    assert _days(client, service)["2026-12-07"]["remaining"] == (9 + 14) * 2

    clock.shift(timedelta(minutes=10))  # 09:15: that slot has started
    assert _slots(client, service, "2026-12-07")["items"][0]["start"] == local(7, 9, 30)

    clock.shift(timedelta(hours=7, minutes=31))  # 16:46: nothing left today
    found = _slots(client, service, "2026-12-07")
    assert found["items"] == [] and found["closed_reason"]
    today = _days(client, service)["2026-12-07"]
    assert today["open"] is False and today["remaining"] == 0
    assert len(_slots(client, service, "2026-12-08")["items"]) == 30

    past = _slots(client, service, "2026-12-04")
    assert past["items"] == [] and past["closed_reason"]


def test_days_beyond_the_window_are_closed(client, make_service):
    """Five days ahead: the list ends on the fifth day; a later Monday has no slot."""
    service = make_service(book_ahead_days=5)
    days = _days(client, service)
    assert list(days) == [f"2026-12-{d:02d}" for d in range(7, 13)]
    assert [d["open"] for d in days.values()] == [True] * 5 + [False]
    later = _slots(client, service, "2026-12-14")
    assert later["items"] == []
    assert later["closed_reason"] == "Chỉ đặt trước tối đa 5 ngày"
    assert len(_slots(client, service, "2026-12-11")["items"]) == 30


def test_remaining_drops_after_a_booking(client, make_service, make_residents):
    """One booking of a 2-place slot: 1 left there, 59 that day; the other slots untouched."""
    service = make_service()
    first, second = make_residents(2)
    booked(client, first, service, local(8, 8))
    assert slot_of(client, service, local(8, 8))["remaining"] == 1
    assert slot_of(client, service, local(8, 8, 15))["remaining"] == 2
    days = _days(client, service)
    assert days["2026-12-08"]["remaining"] == 59
    assert days["2026-12-07"]["remaining"] == 60
    booked(client, second, service, local(8, 8))
    assert slot_of(client, service, local(8, 8))["remaining"] == 0
    assert _days(client, service)["2026-12-08"]["remaining"] == 58
