"""The appointments' two indicators in GET /api/v1/kpi, from what happened at the counter."""

from datetime import timedelta

import pytest

from tests.appointments.conftest import OTHER_WARD, WARD, booked, local


def _indicators(client, ward: str = WARD) -> dict:
    body = client.get(f"/api/v1/kpi?ward={ward}").get_json()
    return {i["id"]: i for i in body["items"][0]["indicators"]}


@pytest.fixture
def small_morning(client, clock, hall, make_service, make_residents):
    """Two served bookings (one called on time, one late), one never came; stars 4 and 5."""
    service = make_service()
    quick, slow, absent = make_residents(3)
    on_time = booked(client, quick, service, local(7, 8))
    late = booked(client, slow, service, local(7, 8))
    booked(client, absent, service, local(7, 8, 15))
    clock.shift(timedelta(minutes=50))  # 07:50
    hall.checked_in(on_time["code"])
    hall.checked_in(late["code"])
    clock.shift(timedelta(minutes=5))  # 07:55: within 15 minutes of 08:00
    hall.done(hall.called(1, service))
    clock.shift(timedelta(minutes=25))  # 08:20: more than 15 minutes after 08:00
    hall.done(hall.called(1, service))
    clock.shift(timedelta(minutes=15))  # 08:35: the 08:15 booking's slot has ended: missed
    for made, person, stars in ((on_time, quick, 4), (late, slow, 5)):
        response = client.post(
            f"/api/v1/appointments/{made['id']}/rating",
            json={"stars": stars},
            headers=person.headers,
        )
        assert response.status_code == 201


def test_the_indicators_are_listed(client):
    found = _indicators(client)
    assert found["appointments_on_time"]["unit"] == "ratio"
    assert found["appointments_rating"]["unit"] == "average"
    assert found["appointments_on_time"]["status"] == "no_data"


def test_rating_indicator(client, small_morning):
    rating = _indicators(client)["appointments_rating"]
    assert (rating["numerator"], rating["denominator"]) == (9, 2)
    assert rating["value"] == 4.5
    assert _indicators(client, OTHER_WARD)["appointments_rating"]["status"] == "no_data"


def test_on_time_indicator(client, small_morning):
    """One on time of the two called; the one who never came does not count (ADR 0018: of the
    bookings called; the indicators use the statistics' definitions)."""
    on_time = _indicators(client)["appointments_on_time"]
    assert (on_time["numerator"], on_time["denominator"]) == (1, 2)
    assert on_time["value"] == 0.5
    assert _indicators(client, OTHER_WARD)["appointments_on_time"]["status"] == "no_data"


def test_indicator_and_statistics_agree(client, small_morning, staff_headers):
    """The KPI's on-time value is the statistics' on-time share of the same bookings."""
    stats = client.get(
        f"/api/v1/wards/{WARD}/booking-stats?from=2026-12-07&to=2026-12-07",
        headers=staff_headers,
    ).get_json()["total"]
    kpi = _indicators(client)
    assert kpi["appointments_on_time"]["value"] == stats["on_time_share"]
    assert kpi["appointments_rating"]["value"] == stats["average_rating"] == 4.5
