"""Booking and cancelling: codes, refused starts, full slots, one a day, who sees a booking."""

import re
from datetime import timedelta

import pytest

from tests.appointments.conftest import book, booked, error, field_errors, local, slot_of

CODE = re.compile(r"^[23456789ABCDEFGHJKLMNPQRSTUVWXYZ]{6}$")


def test_book_a_slot(client, make_service, make_residents):
    """201: a 6-character code, booked, the slot's times, the service, links to its documents."""
    service = make_service()
    (resident,) = make_residents(1)
    made = booked(client, resident, service, local(7, 8))
    assert CODE.match(made["code"]), made["code"]
    assert made["status"] == "booked" and made["status_label"] == "Đã đặt"
    assert (made["start"], made["end"]) == (local(7, 8), local(7, 8, 15))
    assert made["service"]["id"] == service["id"]
    assert made["service"]["name"] == service["name"]
    assert made["ward"] == "00070" and made["ward_name"]
    assert made["can_cancel"] is True and made["can_rate"] is False
    assert made["ticket"] is None and made["rating"] is None and made["reminded"] is False
    assert made["ticket_url"] == f"/api/v1/appointments/{made['id']}/ticket.png"
    assert made["calendar_url"] == f"/api/v1/appointments/{made['id']}/calendar.ics"
    assert "holder" not in made  # the holder knows who they are
    fetched = client.get(f"/api/v1/appointments/{made['id']}", headers=resident.headers)
    assert fetched.status_code == 200 and fetched.get_json() == made


def test_codes_differ(client, make_service, make_residents):
    """Ten bookings, ten different codes."""
    service = make_service(capacity=10)
    codes = {booked(client, r, service, local(7, 9))["code"] for r in make_residents(10)}
    assert len(codes) == 10


def test_anonymous_cannot_book(client, make_service):
    service = make_service()
    response = client.post(
        "/api/v1/appointments", json={"service_id": service["id"], "start": local(7, 8)}
    )
    assert response.status_code == 401
    assert slot_of(client, service, local(7, 8))["remaining"] == 2


REFUSED_STARTS = {
    "not a slot": local(7, 8, 7),
    "the past": local(4, 8),  # last Friday
    "earlier today": local(7, 6, 45),
    "a holiday": local(1, 8, month=1, year=2027),
    "beyond the window": local(11, 8, month=1, year=2027),  # 35 days ahead, 30 allowed
    "a Sunday": local(13, 8),
    "outside the hours": local(7, 12),
}


@pytest.mark.parametrize("case", list(REFUSED_STARTS))
def test_a_start_that_is_no_bookable_slot_is_refused(client, make_service, make_residents, case):
    """422 on the field `start`, labelled "Giờ hẹn", with a Vietnamese reason; nothing booked."""
    service = make_service()
    (resident,) = make_residents(1)
    response = book(client, resident, service, REFUSED_STARTS[case])
    errors = field_errors(response)
    assert list(errors) == ["start"]
    assert errors["start"]["label"] == "Giờ hẹn" and not errors["start"]["message"].isascii()
    mine = client.get("/api/v1/me/appointments", headers=resident.headers).get_json()
    assert mine["items"] == []


def test_holiday_reason_is_given(client, make_service, make_residents):
    service = make_service()
    (resident,) = make_residents(1)
    response = book(client, resident, service, local(1, 8, month=1, year=2027))
    assert "Tết Dương lịch" in field_errors(response)["start"]["message"]


def test_unknown_service_is_a_field_error(client, make_residents):
    (resident,) = make_residents(1)
    response = book(client, resident, {"id": 987654}, local(7, 8))
    errors = field_errors(response)
    assert list(errors) == ["service_id"] and errors["service_id"]["label"] == "Dịch vụ"


def test_a_full_slot_is_refused(client, make_service, make_residents):
    """Two places: the third person gets 409 slot_full and no booking."""
    service = make_service()
    first, second, third = make_residents(3)
    booked(client, first, service, local(7, 8))
    booked(client, second, service, local(7, 8))
    refused = book(client, third, service, local(7, 8))
    assert refused.status_code == 409
    assert error(refused)["code"] == "slot_full" and not error(refused)["message"].isascii()
    assert slot_of(client, service, local(7, 8))["remaining"] == 0
    assert client.get("/api/v1/me/appointments", headers=third.headers).get_json()["items"] == []
    booked(client, third, service, local(7, 8, 15))  # the next slot is open


def test_one_active_booking_per_person_service_and_day(client, make_service, make_residents):
    """Another slot of the same service that day: 409 already_booked, and no place is taken."""
    service = make_service()
    (resident,) = make_residents(1)
    booked(client, resident, service, local(7, 8))
    again = book(client, resident, service, local(7, 10))
    assert again.status_code == 409 and error(again)["code"] == "already_booked"
    assert slot_of(client, service, local(7, 10))["remaining"] == 2  # not held by the refusal
    same = book(client, resident, service, local(7, 8))
    assert same.status_code == 409 and error(same)["code"] == "already_booked"
    assert slot_of(client, service, local(7, 8))["remaining"] == 1
    mine = client.get("/api/v1/me/appointments", headers=resident.headers).get_json()
    assert len(mine["items"]) == 1
    # Another day, or another service the same day, is fine.
    booked(client, resident, service, local(8, 8))
    other = make_service(name="Đăng ký cư trú")
    booked(client, resident, other, local(7, 10))


def test_cancel_frees_the_place(client, make_service, make_residents):
    """DELETE → 200 cancelled; the full slot has a place again and someone else takes it."""
    service = make_service(capacity=1)
    holder, other = make_residents(2)
    made = booked(client, holder, service, local(7, 8))
    assert book(client, other, service, local(7, 8)).status_code == 409

    response = client.delete(f"/api/v1/appointments/{made['id']}", headers=holder.headers)
    assert response.status_code == 200, response.get_json()
    cancelled = response.get_json()
    assert cancelled["status"] == "cancelled" and cancelled["status_label"] == "Đã hủy"
    assert cancelled["cancelled_at"] == local(7, 7) and cancelled["can_cancel"] is False
    assert slot_of(client, service, local(7, 8))["remaining"] == 1
    booked(client, other, service, local(7, 8))
    assert slot_of(client, service, local(7, 8))["remaining"] == 0


def test_cancel_twice_frees_once(client, make_service, make_residents):
    """A second DELETE answers the cancelled booking and frees nothing more."""
    service = make_service()
    first, second = make_residents(2)
    made = booked(client, first, service, local(7, 9))
    booked(client, second, service, local(7, 9))
    url = f"/api/v1/appointments/{made['id']}"
    assert client.delete(url, headers=first.headers).status_code == 200
    again = client.delete(url, headers=first.headers)
    assert again.status_code == 200 and again.get_json()["status"] == "cancelled"
    assert slot_of(client, service, local(7, 9))["remaining"] == 1


def test_no_cancel_after_the_start(client, clock, make_service, make_residents):
    """At the booked time it is too late: 409, still booked, the place still held."""
    service = make_service()
    (resident,) = make_residents(1)
    made = booked(client, resident, service, local(7, 8))
    clock.shift(timedelta(hours=1))  # 08:00
    url = f"/api/v1/appointments/{made['id']}"
    assert client.get(url, headers=resident.headers).get_json()["can_cancel"] is False
    refused = client.delete(url, headers=resident.headers)
    assert refused.status_code == 409 and error(refused)["code"] == "not_cancellable"
    assert client.get(url, headers=resident.headers).get_json()["status"] == "booked"


def test_book_again_after_cancelling(client, make_service, make_residents):
    """Cancelled bookings do not count as the day's one booking."""
    service = make_service()
    (resident,) = make_residents(1)
    made = booked(client, resident, service, local(7, 8))
    client.delete(f"/api/v1/appointments/{made['id']}", headers=resident.headers)
    again = booked(client, resident, service, local(7, 10))
    assert again["id"] != made["id"] and again["code"] != made["code"]
    mine = client.get("/api/v1/me/appointments", headers=resident.headers).get_json()["items"]
    assert [(a["id"], a["status"]) for a in mine] == [
        (again["id"], "booked"),
        (made["id"], "cancelled"),
    ]


def test_another_resident_finds_nothing(client, make_service, make_residents):
    """Someone else's booking is 404 to a resident on every path; DELETE changes nothing."""
    service = make_service()
    holder, stranger = make_residents(2)
    made = booked(client, holder, service, local(7, 8))
    base = f"/api/v1/appointments/{made['id']}"
    for url in (base, f"{base}/ticket.png", f"{base}/calendar.ics"):
        response = client.get(url, headers=stranger.headers)
        assert response.status_code == 404, url
        assert made["code"] not in response.get_data(as_text=True)
        assert client.get(url).status_code == 401
    assert client.delete(base, headers=stranger.headers).status_code == 404
    assert client.get(base, headers=holder.headers).get_json()["status"] == "booked"
    assert slot_of(client, service, local(7, 8))["remaining"] == 1
    assert client.get("/api/v1/appointments/999999", headers=holder.headers).status_code == 404


def test_ward_staff_see_the_holder(client, make_service, make_residents, other_staff_headers):
    """The ward's staff see who booked; another ward's staff get 404; staff cannot cancel it."""
    service = make_service()
    (resident,) = make_residents(1)
    made = booked(client, resident, service, local(7, 8))
    url = f"/api/v1/appointments/{made['id']}"
    seen = client.get(url, headers=make_service.headers)
    assert seen.status_code == 200
    holder = seen.get_json()["holder"]
    assert holder["id"] == resident.id and holder["name"] == f"Người dân {resident.sub}"
    assert seen.get_json()["can_cancel"] is False  # not theirs to cancel
    assert client.get(f"{url}/ticket.png", headers=make_service.headers).status_code == 200
    for path in (url, f"{url}/ticket.png", f"{url}/calendar.ics"):
        assert client.get(path, headers=other_staff_headers).status_code == 404, path
    assert client.delete(url, headers=other_staff_headers).status_code == 404
    assert client.delete(url, headers=make_service.headers).status_code == 403
    assert client.get(url, headers=resident.headers).get_json()["status"] == "booked"


def test_ward_schedule_by_start(client, make_service, make_residents, other_staff_headers):
    """The staff's day schedule lists the day's bookings by start, with the holders."""
    service = make_service()
    early, late, tomorrow = make_residents(3)
    second = booked(client, late, service, local(7, 10))
    first = booked(client, early, service, local(7, 8))
    booked(client, tomorrow, service, local(8, 8))
    url = "/api/v1/wards/00070/appointments?date=2026-12-07"
    items = client.get(url, headers=make_service.headers).get_json()["items"]
    assert [a["id"] for a in items] == [first["id"], second["id"]]
    assert [a["holder"]["id"] for a in items] == [early.id, late.id]
    assert client.get(url, headers=early.headers).status_code == 403
    assert client.get(url, headers=other_staff_headers).status_code == 403


def test_my_appointments_lists_mine_only_with_pages(client, make_service, make_residents):
    """Newest first, two a page, a cursor to the rest; nobody else's."""
    service = make_service()
    me, neighbour = make_residents(2)
    mine = [booked(client, me, service, local(day, 8))["id"] for day in (7, 8, 9)]
    booked(client, neighbour, service, local(7, 8))

    first = client.get("/api/v1/me/appointments?limit=2", headers=me.headers).get_json()
    assert [a["id"] for a in first["items"]] == [mine[2], mine[1]]
    assert first["next_cursor"]
    rest = client.get(
        "/api/v1/me/appointments",
        query_string={"limit": 2, "cursor": first["next_cursor"]},
        headers=me.headers,
    ).get_json()
    assert [a["id"] for a in rest["items"]] == [mine[0]]
    assert rest["next_cursor"] is None
    theirs = client.get("/api/v1/me/appointments", headers=neighbour.headers).get_json()
    assert len(theirs["items"]) == 1 and theirs["items"][0]["id"] not in mine
    assert client.get("/api/v1/me/appointments").status_code == 401


def test_a_booking_never_checked_in_is_missed_after_its_slot(
    client, clock, make_service, make_residents
):
    """Once the slot has ended without check-in, the booking shows «Không đến»."""
    service = make_service()
    (resident,) = make_residents(1)
    made = booked(client, resident, service, local(7, 8))
    url = f"/api/v1/appointments/{made['id']}"
    clock.shift(timedelta(hours=1, minutes=10))  # 08:10, during the slot
    assert client.get(url, headers=resident.headers).get_json()["status_label"] == "Đã đặt"
    clock.shift(timedelta(minutes=5))  # 08:15, the slot has ended
    later = client.get(url, headers=resident.headers).get_json()
    assert later["status"] == "booked" and later["status_label"] == "Không đến"
    assert later["missed"] is True


def test_ward_schedule_of_one_service(client, make_service, make_residents):
    """`?service_id=` keeps that service's bookings of the day."""
    desk, room = make_service(name="Hộ tịch"), make_service(name="Phòng họp")
    first, second = make_residents(2)
    at_desk = booked(client, first, desk, local(7, 8))
    booked(client, second, room, local(7, 8))
    response = client.get(
        "/api/v1/wards/00070/appointments",
        query_string={"date": "2026-12-07", "service_id": desk["id"]},
        headers=make_service.headers,
    )
    assert response.status_code == 200, response.get_json()
    assert [a["id"] for a in response.get_json()["items"]] == [at_desk["id"]]
