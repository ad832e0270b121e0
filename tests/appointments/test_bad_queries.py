"""Query strings at the edges of the calendar answer 422 in Vietnamese, never 500."""

import base64
import json

import pytest

from tests.appointments.conftest import WARD


def _cursor(values) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "query",
    [
        "from=0001-01-01&to=0001-01-05",
        "to=0001-01-05",
        "from=9999-12-01&to=9999-12-31",
        "from=2026-13-01",
    ],
)
def test_statistics_refuse_days_off_the_calendar(client, make_service, staff_headers, query):
    make_service()
    response = client.get(f"/api/v1/wards/{WARD}/booking-stats?{query}", headers=staff_headers)
    assert response.status_code == 422, response.get_json()
    assert "Ngày" in response.get_json()["error"]["message"]


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "2026-02-30", "hôm nay"])
def test_slots_refuse_days_off_the_calendar(client, make_service, day):
    service = make_service()
    response = client.get(f"/api/v1/booking-services/{service['id']}/slots?date={day}")
    assert response.status_code == 422
    assert response.get_json()["error"]["details"]["errors"][0]["label"] == "Ngày"


@pytest.mark.parametrize(
    "values",
    [
        ["0001-01-01T00:00:00+14:00", 1],
        ["9999-12-31T23:59:59-12:00", 1],
        ["2026-12-07T08:00:00", 1],
    ],
)
def test_schedule_refuses_a_forged_cursor(client, make_service, staff_headers, values):
    make_service()
    response = client.get(
        f"/api/v1/wards/{WARD}/appointments?date=2026-12-07&cursor={_cursor(values)}",
        headers=staff_headers,
    )
    assert response.status_code == 422
    assert response.get_json()["error"]["details"]["errors"][0]["field"] == "cursor"
