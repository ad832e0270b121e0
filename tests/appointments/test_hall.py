"""The hall: check-in by code, walk-in numbers, calling, finishing, the public display."""

import json
from datetime import timedelta

import pytest

from tests.appointments.conftest import OTHER_WARD, WARD, Hall, booked, error, local


def _appointment(client, made: dict, headers: dict) -> dict:
    response = client.get(f"/api/v1/appointments/{made['id']}", headers=headers)
    assert response.status_code == 200
    return response.get_json()


def test_check_in_by_code_gives_number_one(client, clock, hall, make_service, make_residents):
    """A code typed in lower case with spaces is the booking's; a second scan, the same ticket."""
    service = make_service()
    (resident,) = make_residents(1)
    made = booked(client, resident, service, local(7, 8))
    clock.shift(timedelta(minutes=45))  # 07:45
    typed = " ".join(made["code"].lower()[i : i + 3] for i in (0, 3))  # "ab2 cd3"
    ticket = hall.checked_in(typed)
    assert ticket["number"] == 1 and ticket["status"] == "waiting"
    assert ticket["source"] == "appointment" and ticket["appointment_id"] == made["id"]
    assert ticket["service_id"] == service["id"] and ticket["date"] == "2026-12-07"
    assert ticket["appointment_start"] == local(7, 8) and ticket["queued_at"] == local(7, 7, 45)
    assert ticket["waiting_ahead"] == 0 and ticket["call_count"] == 0
    seen = _appointment(client, made, resident.headers)
    assert seen["status"] == "checked_in" and seen["ticket"]["number"] == 1
    assert seen["can_cancel"] is False

    clock.shift(timedelta(minutes=2))
    again = hall.checked_in(made["code"])
    assert again["id"] == ticket["id"] and again["number"] == 1
    assert again["queued_at"] == ticket["queued_at"]
    assert len(hall.tickets().get_json()["items"]) == 1


def test_walk_ins_share_the_sequence_and_restart_next_day(
    client, clock, hall, make_service, make_residents
):
    """Check-in takes 1, walk-ins 2 and 3; the next day starts at 1 again."""
    service = make_service()
    (resident,) = make_residents(1)
    made = booked(client, resident, service, local(7, 8))
    assert hall.checked_in(made["code"])["number"] == 1
    second, third = hall.issued(service), hall.issued(service)
    assert (second["number"], third["number"]) == (2, 3)
    assert second["source"] == "walk_in" and second["appointment_id"] is None
    assert third["waiting_ahead"] == 2
    other = make_service(name="Đăng ký cư trú")
    assert hall.issued(other)["number"] == 1  # one sequence per service

    clock.shift(timedelta(days=1))
    tomorrow = hall.issued(service)
    assert tomorrow["number"] == 1 and tomorrow["date"] == "2026-12-08"
    listed = hall.tickets(service_id=service["id"])
    assert listed.status_code == 200, listed.get_json()
    listed = listed.get_json()["items"]
    assert [t["number"] for t in listed] == [1]  # today's only


def test_check_in_refusals(
    client, clock, hall, make_service, make_other_service, make_residents, other_staff_headers
):
    """Another day → 409; another ward's code → 404 both ways; a cancelled booking → 409."""
    service, theirs = make_service(), make_other_service()
    today, tomorrow, cancelled, elsewhere = make_residents(4)
    next_day = booked(client, tomorrow, service, local(8, 8))
    refused = hall.check_in(next_day["code"])
    assert refused.status_code == 409 and error(refused)["code"] == "check_in_refused"
    assert "08/12/2026" in error(refused)["message"]
    assert _appointment(client, next_day, tomorrow.headers)["status"] == "booked"

    foreign = booked(client, elsewhere, theirs, local(7, 8))
    assert hall.check_in(foreign["code"]).status_code == 404
    ours = booked(client, today, service, local(7, 8))
    other_hall = Hall(client, other_staff_headers, ward=OTHER_WARD)
    assert other_hall.check_in(ours["code"]).status_code == 404
    assert hall.check_in("ZZZZZZ").status_code == 404

    gone = booked(client, cancelled, service, local(7, 9))
    client.delete(f"/api/v1/appointments/{gone['id']}", headers=cancelled.headers)
    refused = hall.check_in(gone["code"])
    assert refused.status_code == 409 and error(refused)["code"] == "check_in_refused"
    # None of the refusals used a number.
    assert hall.checked_in(ours["code"])["number"] == 1


def test_call_next_serves_the_earliest_first(client, clock, hall, make_service, make_residents):
    """By the time people joined the queue, checked in or issued, whatever their number."""
    service = make_service()
    early, late = make_residents(2)
    at_eight = booked(client, early, service, local(7, 8))
    at_nine = booked(client, late, service, local(7, 9))
    clock.shift(timedelta(minutes=30))
    checked_late = hall.checked_in(at_nine["code"])  # 07:30: number 1
    clock.shift(timedelta(minutes=5))
    walk_in = hall.issued(service)  # 07:35: number 2
    clock.shift(timedelta(minutes=5))
    checked_early = hall.checked_in(at_eight["code"])  # 07:40: number 3

    first = hall.called(1)
    assert first["id"] == checked_late["id"] and first["number"] == 1
    assert first["status"] == "called" and first["counter"] == 1 and first["call_count"] == 1
    assert first["called_at"] == local(7, 7, 40)
    assert _appointment(client, at_nine, late.headers)["status"] == "called"
    assert hall.called(2)["id"] == walk_in["id"]
    assert hall.called(1)["id"] == checked_early["id"]
    empty = hall.call_next(1)
    assert empty.status_code == 409 and error(empty)["code"] == "queue_empty"


def test_call_next_of_one_service(client, clock, hall, make_service):
    """With a service, only its tickets; without, the earliest of any service."""
    passports, rooms = make_service(name="Hộ tịch"), make_service(name="Phòng họp")
    room_ticket = hall.issued(rooms)
    clock.shift(timedelta(minutes=1))
    passport_ticket = hall.issued(passports)
    clock.shift(timedelta(minutes=1))
    second_room = hall.issued(rooms)

    assert hall.called(1, passports)["id"] == passport_ticket["id"]
    empty = hall.call_next(1, passports)
    assert empty.status_code == 409 and error(empty)["code"] == "queue_empty"
    assert hall.called(2)["id"] == room_ticket["id"]
    assert hall.called(1, rooms)["id"] == second_room["id"]


def test_counter_beyond_the_services_counters(client, hall, make_service):
    service = make_service(counters=2)
    hall.issued(service)
    response = hall.call_next(3, service)
    assert response.status_code == 422
    assert error(response)["details"]["errors"][0]["field"] == "counter"
    waiting = hall.tickets(status="waiting").get_json()["items"]
    assert len(waiting) == 1  # nobody was called
    assert hall.called(2, service)["counter"] == 2


def test_done_recall_and_no_show(client, clock, hall, make_service, make_residents):
    """The booking follows its ticket: checked_in → called → done, or → no_show after 2 calls."""
    service = make_service()
    served_person, absent_person = make_residents(2)
    served = booked(client, served_person, service, local(7, 8))
    absent = booked(client, absent_person, service, local(7, 8))
    hall.checked_in(served["code"])
    clock.shift(timedelta(seconds=1))
    hall.checked_in(absent["code"])
    assert _appointment(client, served, served_person.headers)["status"] == "checked_in"

    first = hall.called(1)
    assert _appointment(client, served, served_person.headers)["status"] == "called"
    clock.shift(timedelta(minutes=7))
    done = hall.done(first)
    assert done["status"] == "done" and done["finished_at"] == "2026-12-07T07:07:01+07:00"
    shown = _appointment(client, served, served_person.headers)
    assert shown["status"] == "done" and shown["can_rate"] is True
    again = hall.act(first["id"], "done")  # a double tap answers the same ticket
    assert again.status_code == 200 and again.get_json() == done
    wrong = hall.act(first["id"], "no-show")
    assert wrong.status_code == 409 and error(wrong)["code"] == "ticket_state_conflict"

    second = hall.called(2)
    assert second["appointment_id"] == absent["id"]
    too_soon = hall.act(second["id"], "no-show")
    assert too_soon.status_code == 409 and error(too_soon)["code"] == "ticket_state_conflict"
    assert _appointment(client, absent, absent_person.headers)["status"] == "called"
    recalled = hall.act(second["id"], "recall")
    assert recalled.status_code == 200
    assert recalled.get_json()["call_count"] == 2 and recalled.get_json()["counter"] == 2
    moved = hall.act(second["id"], "recall", json={"counter": 1}).get_json()
    assert moved["call_count"] == 3 and moved["counter"] == 1
    gone = hall.act(second["id"], "no-show")
    assert gone.status_code == 200 and gone.get_json()["status"] == "no_show"
    assert _appointment(client, absent, absent_person.headers)["status"] == "no_show"
    assert hall.act(second["id"], "recall").status_code == 409
    assert hall.act(999999, "done").status_code == 404


def test_waiting_ticket_cannot_be_finished(hall, make_service):
    service = make_service()
    ticket = hall.issued(service)
    for action in ("done", "no-show", "recall"):
        assert hall.act(ticket["id"], action).status_code == 409, action
    assert hall.tickets().get_json()["items"][0]["status"] == "waiting"


def test_walk_in_cap(client, hall, make_service, make_residents):
    """Two walk-ins a day: the third is refused; bookings still check in after it."""
    service = make_service(walk_in_cap=2)
    assert [hall.issued(service)["number"] for _ in range(2)] == [1, 2]
    refused = hall.walk_in(service)
    assert refused.status_code == 409 and error(refused)["code"] == "walk_in_cap_reached"
    (resident,) = make_residents(1)
    made = booked(client, resident, service, local(7, 8))
    assert hall.checked_in(made["code"])["number"] == 3  # the refusal used no number


def test_walk_in_for_another_wards_service(hall, make_other_service):
    theirs = make_other_service()
    response = hall.walk_in(theirs)
    assert response.status_code == 422
    assert error(response)["details"]["errors"][0]["field"] == "service_id"
    assert hall.walk_in(987654).status_code == 422


def test_residents_are_refused_everywhere_in_the_hall(
    client, hall, make_service, make_residents, other_staff_headers
):
    """Every staff endpoint: 403 to a resident and to another ward's staff, 401 anonymous."""
    service = make_service()
    (resident,) = make_residents(1)
    made = booked(client, resident, service, local(7, 8))
    ticket = hall.issued(service)
    requests = [
        ("post", f"/api/v1/wards/{WARD}/queue/check-in", {"code": made["code"]}),
        ("post", f"/api/v1/wards/{WARD}/queue/tickets", {"service_id": service["id"]}),
        ("get", f"/api/v1/wards/{WARD}/queue/tickets", None),
        ("post", f"/api/v1/wards/{WARD}/queue/call-next", {"counter": 1}),
        ("post", f"/api/v1/queue/tickets/{ticket['id']}/recall", {}),
        ("post", f"/api/v1/queue/tickets/{ticket['id']}/done", {}),
        ("post", f"/api/v1/queue/tickets/{ticket['id']}/no-show", {}),
        ("get", f"/api/v1/wards/{WARD}/booking-stats", None),
        ("get", f"/api/v1/wards/{WARD}/appointments", None),
    ]
    for method, url, body in requests:
        send = getattr(client, method)
        kwargs = {"json": body} if body is not None else {}
        assert send(url, headers=resident.headers, **kwargs).status_code == 403, url
        assert send(url, headers=other_staff_headers, **kwargs).status_code == 403, url
        assert send(url, **kwargs).status_code == 401, url
    # Nothing moved.
    items = hall.tickets().get_json()["items"]
    assert [(t["number"], t["status"]) for t in items] == [(1, "waiting")]
    assert _appointment(client, made, resident.headers)["status"] == "booked"


def test_public_display(client, clock, hall, make_service, make_residents):
    """Numbers being served with their counters, waiting counts, next numbers; no personal data."""
    passports, rooms = make_service(name="Hộ tịch"), make_service(name="Phòng họp")
    people = make_residents(3)
    bookings = [booked(client, p, passports, local(7, 8)) for p in people[:2]]
    bookings.append(booked(client, people[2], passports, local(7, 9)))
    for made in bookings:
        hall.checked_in(made["code"])  # 1, 2, 3
        clock.shift(timedelta(minutes=1))
    for _ in range(2):
        hall.issued(passports)  # 4, 5
        clock.shift(timedelta(minutes=1))
    hall.issued(rooms)  # rooms 1
    clock.shift(timedelta(minutes=1))
    first = hall.called(2, passports)  # number 1 at counter 2
    clock.shift(timedelta(minutes=1))
    hall.called(1, passports)  # number 2 at counter 1
    hall.done(first)

    response = client.get(f"/api/v1/wards/{WARD}/queue")  # anonymous: the hall's screen
    assert response.status_code == 200
    body = response.get_json()
    assert body["ward"] == WARD and body["date"] == "2026-12-07"
    by_name = {s["name"]: s for s in body["services"]}
    assert by_name["Hộ tịch"]["serving"] == [{"number": 2, "counter": 1, "call_count": 1}]
    assert by_name["Hộ tịch"]["waiting"] == 3
    assert by_name["Hộ tịch"]["next_numbers"] == [3, 4, 5]
    assert by_name["Hộ tịch"]["estimated_wait_minutes"] >= 0
    assert by_name["Phòng họp"]["serving"] == [] and by_name["Phòng họp"]["waiting"] == 1
    assert by_name["Phòng họp"]["next_numbers"] == [1]

    text = json.dumps(body, ensure_ascii=False)
    for made, person in zip(bookings, people, strict=True):
        assert made["code"] not in text
        assert person.sub not in text
    assert "holder" not in text and "Người dân" not in text
    assert client.get("/api/v1/wards/khong-co-phuong-nay/queue").status_code == 404


@pytest.mark.parametrize("ward", [WARD, "hoan-kiem"])
def test_display_by_code_or_slug(client, hall, make_service, ward):
    service = make_service()
    hall.issued(service)
    response = client.get(f"/api/v1/wards/{ward}/queue")
    if response.status_code == 404:  # the slug form is only as good as the ward's slug
        pytest.fail(f"{ward} unknown")
    assert response.get_json()["services"][0]["waiting"] == 1


def test_display_leaves_out_rooms_nobody_queues_for(client, hall, make_service):
    """A room of the community hall is booked ahead: it has no line on the screen, unless
    someone took a number for it today."""
    counter = make_service(name="Hộ tịch")
    room = make_service(name="Phòng họp nhà văn hóa", kind="facility", duration_minutes=120)
    names = [s["name"] for s in client.get(f"/api/v1/wards/{WARD}/queue").get_json()["services"]]
    assert names == [counter["name"]]
    hall.issued(room)
    names = [s["name"] for s in client.get(f"/api/v1/wards/{WARD}/queue").get_json()["services"]]
    assert names == [counter["name"], room["name"]]


def test_the_screen_shows_a_recall(client, hall, make_service):
    """Calling a number again changes what the screen shows, so that it is announced again."""
    service = make_service()
    ticket = hall.issued(service)
    hall.called(1, service)
    first = client.get(f"/api/v1/wards/{WARD}/queue").get_json()["services"][0]["serving"]
    assert hall.act(ticket["id"], "recall").status_code == 200
    again = client.get(f"/api/v1/wards/{WARD}/queue").get_json()["services"][0]["serving"]
    assert first == [{"number": 1, "counter": 1, "call_count": 1}]
    assert again == [{"number": 1, "counter": 1, "call_count": 2}]


def test_counters_are_the_services_own(client, hall, make_service, staff_headers):
    """A counter beyond what the ward's services have is refused, on a call and a recall."""
    service = make_service(counters=2)
    ticket = hall.issued(service)
    for body in ({"counter": 3}, {"counter": 3, "service_id": service["id"]}):
        response = client.post(
            f"/api/v1/wards/{WARD}/queue/call-next", json=body, headers=staff_headers
        )
        assert response.status_code == 422
        assert response.get_json()["error"]["details"]["errors"][0]["label"] == "Quầy"
    hall.called(2, service)
    assert hall.act(ticket["id"], "recall", json={"counter": 3}).status_code == 422
    assert hall.act(ticket["id"], "recall", json={"counter": 1}).get_json()["counter"] == 1
