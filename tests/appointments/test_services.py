"""Booking services: who may add and change them, what a bad form answers, paused services."""

import pytest

from tests.appointments.conftest import (
    OFFICE_HOURS,
    OTHER_WARD,
    WARD,
    bearer,
    book,
    error,
    field_errors,
    local,
    service_body,
)

URL = f"/api/v1/wards/{WARD}/booking-services"


def test_staff_create_a_service_with_its_hours(client, make_service):
    """201 with every field; hours echoed "HH:MM" with their weekday's name; public list."""
    created = make_service(
        name="Cấp bản sao trích lục", counters=3, book_ahead_days=14, walk_in_cap=40
    )
    assert created["ward"] == WARD and created["name"] == "Cấp bản sao trích lục"
    assert (created["duration_minutes"], created["capacity"], created["counters"]) == (15, 2, 3)
    assert (created["book_ahead_days"], created["walk_in_cap"]) == (14, 40)
    assert created["calls_before_no_show"] == 2 and created["active"] is True
    assert created["kind"] == "procedure" and created["kind_label"] == "Thủ tục hành chính"
    assert created["location"] == "Bộ phận một cửa, 126 Hàng Trống"
    hours = {(h["weekday"], h["start"], h["end"]) for h in created["hours"]}
    assert hours == {(h["weekday"], h["start"], h["end"]) for h in OFFICE_HOURS}
    monday = [h for h in created["hours"] if h["weekday"] == 1]
    assert [(h["start"], h["end"]) for h in monday] == [("07:30", "11:30"), ("13:30", "17:00")]
    assert {h["weekday_label"] for h in monday} == {"Thứ Hai"}

    fetched = client.get(f"/api/v1/booking-services/{created['id']}").get_json()
    by_day = sorted(created["hours"], key=lambda h: (h["weekday"], h["start"]))
    assert fetched == {**created, "hours": by_day}
    listed = client.get(URL).get_json()["items"]  # public: no sign-in
    assert [s["id"] for s in listed] == [created["id"]]


def test_only_the_wards_staff_create(app, client, make_residents, other_staff_headers, people):
    """A resident 403, another ward's staff 403, anonymous 401; nothing is created."""
    (resident,) = make_residents(1)
    assert client.post(URL, json=service_body(), headers=resident.headers).status_code == 403
    other = client.post(URL, json=service_body(), headers=other_staff_headers)
    assert other.status_code == 403
    assert error(other)["code"] == "forbidden"
    assert client.post(URL, json=service_body()).status_code == 401
    # A resident of the ward signed in with a token of their own is no staff either.
    assert client.post(URL, json=service_body(), headers=bearer(app, people[3])).status_code == 403
    assert client.get(URL).get_json()["items"] == []


BAD_FORMS = {
    "end before start": (
        {"hours": [{"weekday": 1, "start": "11:00", "end": "08:00"}]},
        "hours.0.end",
        "Giờ làm việc 1 – Đến",
    ),
    "overlapping intervals": (
        {
            "hours": [
                {"weekday": 2, "start": "07:30", "end": "11:30"},
                {"weekday": 2, "start": "11:00", "end": "12:00"},
            ]
        },
        "hours",
        "Giờ làm việc",
    ),
    "duration longer than every interval": (
        {"duration_minutes": 300},  # the office's intervals are 4 h and 3 h 30
        "duration_minutes",
        "Thời lượng mỗi lượt (phút)",
    ),
    "weekday 8": (
        {"hours": [{"weekday": 8, "start": "07:30", "end": "11:30"}]},
        "hours.0.weekday",
        "Giờ làm việc 1 – Thứ",
    ),
    "25:00": (
        {"hours": [{"weekday": 1, "start": "07:30", "end": "25:00"}]},
        "hours.0.end",
        "Giờ làm việc 1 – Đến",
    ),
    "blank name": ({"name": "   "}, "name", "Tên"),
}


@pytest.mark.parametrize("case", list(BAD_FORMS))
def test_bad_input_is_explained_in_vietnamese(client, staff_headers, case):
    """422 naming the field by its label, the sentence in the top-level message; nothing saved."""
    changes, field, label = BAD_FORMS[case]
    response = client.post(URL, json=service_body(**changes), headers=staff_headers)
    errors = field_errors(response)
    assert error(response)["code"] == "validation_error"
    assert field in errors, errors
    assert errors[field]["label"] == label
    message = errors[field]["message"]
    assert message and not message.isascii()  # a Vietnamese sentence, not a code
    assert f"{label}: " in error(response)["message"]
    assert client.get(URL).get_json()["items"] == []


def test_overlap_message_names_the_day_and_both_intervals(client, staff_headers):
    """The staff can see which intervals overlap."""
    hours = [
        {"weekday": 3, "start": "07:30", "end": "11:30"},
        {"weekday": 3, "start": "11:00", "end": "12:00"},
    ]
    response = client.post(URL, json=service_body(hours=hours), headers=staff_headers)
    message = field_errors(response)["hours"]["message"]
    assert "Thứ Tư" in message and "07:30–11:30" in message and "11:00–12:00" in message


def test_adjacent_intervals_and_24_00_are_fine(client, staff_headers):
    """Touching intervals do not overlap; "24:00" is the end of the day."""
    hours = [
        {"weekday": 6, "start": "08:00", "end": "12:00"},
        {"weekday": 6, "start": "12:00", "end": "24:00"},
    ]
    response = client.post(URL, json=service_body(hours=hours), headers=staff_headers)
    assert response.status_code == 201, response.get_json()
    assert [h["end"] for h in response.get_json()["hours"]] == ["12:00", "24:00"]


def test_patch_changes_the_hours(client, make_service, make_residents, other_staff_headers):
    """New hours replace the old: Monday 08:00–10:00 in 30 minutes is 4 slots; Tuesday closed."""
    created = make_service()
    url = f"/api/v1/booking-services/{created['id']}"
    changes = {"duration_minutes": 30, "hours": [{"weekday": 1, "start": "08:00", "end": "10:00"}]}
    (resident,) = make_residents(1)
    assert client.patch(url, json=changes, headers=resident.headers).status_code == 403
    assert client.patch(url, json=changes, headers=other_staff_headers).status_code == 403
    assert client.patch(url, json=changes).status_code == 401

    response = client.patch(url, json=changes, headers=make_service.headers)
    assert response.status_code == 200, response.get_json()
    changed = response.get_json()
    assert changed["duration_minutes"] == 30
    assert [(h["weekday"], h["start"], h["end"]) for h in changed["hours"]] == [
        (1, "08:00", "10:00")
    ]
    assert changed["name"] == created["name"] and changed["capacity"] == created["capacity"]
    slots = client.get(f"{url}/slots?date=2026-12-07").get_json()
    assert [s["start"][11:16] for s in slots["items"]] == ["08:00", "08:30", "09:00", "09:30"]
    tuesday = client.get(f"{url}/slots?date=2026-12-08").get_json()
    assert tuesday["items"] == [] and tuesday["closed_reason"] == "Không làm việc"
    # A bad change is refused and changes nothing.
    bad = client.patch(url, json={"duration_minutes": 180}, headers=make_service.headers)
    assert field_errors(bad)["duration_minutes"]["label"] == "Thời lượng mỗi lượt (phút)"
    assert client.get(url).get_json()["duration_minutes"] == 30


def test_inactive_service_is_hidden_and_refused(client, make_service, make_residents):
    """Paused: not in the public list (staff may ask for it), no slot, no booking."""
    kept, paused = make_service(name="Hộ tịch"), make_service(name="Đặt phòng họp")
    url = f"/api/v1/booking-services/{paused['id']}"
    response = client.patch(url, json={"active": False}, headers=make_service.headers)
    assert response.status_code == 200 and response.get_json()["active"] is False

    assert [s["id"] for s in client.get(URL).get_json()["items"]] == [kept["id"]]
    everything = client.get(f"{URL}?include_inactive=true", headers=make_service.headers)
    assert [s["id"] for s in everything.get_json()["items"]] == [kept["id"], paused["id"]]
    (resident,) = make_residents(1)
    hidden = client.get(f"{URL}?include_inactive=true", headers=resident.headers)
    assert hidden.status_code == 403

    slots = client.get(f"{url}/slots?date=2026-12-07").get_json()
    assert slots["items"] == [] and slots["closed_reason"]
    refused = book(client, resident, paused, local(7, 8))
    assert refused.status_code == 409
    assert error(refused)["code"] == "booking_service_inactive"
    assert client.get("/api/v1/me/appointments", headers=resident.headers).get_json()["items"] == []
    # Walk-ins too.
    walk_in = client.post(
        f"/api/v1/wards/{WARD}/queue/tickets",
        json={"service_id": paused["id"]},
        headers=make_service.headers,
    )
    assert walk_in.status_code == 409


def test_idempotency_key_double_tap_creates_one(client, staff_headers):
    """The same Idempotency-Key twice: one service, the same answer twice."""
    headers = {**staff_headers, "Idempotency-Key": "tao-dich-vu-0001"}
    first = client.post(URL, json=service_body(), headers=headers)
    second = client.post(URL, json=service_body(), headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.get_json()["id"] == second.get_json()["id"]
    assert len(client.get(URL).get_json()["items"]) == 1


def test_another_wards_services_are_its_own(client, make_service, make_other_service):
    """Each ward lists its own services."""
    ours, theirs = make_service(), make_other_service()
    assert [s["id"] for s in client.get(URL).get_json()["items"]] == [ours["id"]]
    other = client.get(f"/api/v1/wards/{OTHER_WARD}/booking-services").get_json()["items"]
    assert [s["id"] for s in other] == [theirs["id"]]
    assert client.get("/api/v1/booking-services/999999").status_code == 404
