"""What the end of a slot and of a day do: a missed booking frees its holder for another time
that day; a ticket left unfinished is no longer "waiting"; a late arrival served at once is on
time."""

from datetime import timedelta

from tests.appointments.conftest import WARD, book, booked, local


def _mine(client, resident, appointment_id):
    response = client.get(f"/api/v1/appointments/{appointment_id}", headers=resident.headers)
    assert response.status_code == 200
    return response.get_json()


def test_a_missed_booking_does_not_block_a_new_one_that_day(
    client, clock, make_service, make_residents
):
    service = make_service()
    (resident,) = make_residents(1)
    first = booked(client, resident, service, local(7, 8, 0))
    clock.shift(timedelta(hours=1, minutes=30))  # 08:30: the 08:00–08:15 slot has ended
    assert _mine(client, resident, first["id"])["status_label"] == "Không đến"
    again = book(client, resident, service, local(7, 10, 0))
    assert again.status_code == 201, again.get_json()
    old = _mine(client, resident, first["id"])
    assert old["status"] == "missed" and old["missed"] is True
    # Still one active booking a day: a third one is refused while the 10:00 one holds.
    third = book(client, resident, service, local(7, 11, 0))
    assert third.status_code == 409
    assert third.get_json()["error"]["code"] == "already_booked"


def test_a_ticket_left_waiting_reads_as_unfinished_the_next_day(
    client, clock, hall, make_service, make_residents, staff_headers
):
    service = make_service()
    (resident,) = make_residents(1)
    made = booked(client, resident, service, local(7, 8, 0))
    hall.checked_in(made["code"])
    today = _mine(client, resident, made["id"])
    assert today["expired"] is False and today["ticket"]["waiting_ahead"] == 0
    clock.shift(timedelta(days=1))
    tomorrow = _mine(client, resident, made["id"])
    assert tomorrow["status"] == "checked_in" and tomorrow["expired"] is True
    assert tomorrow["status_label"] == "Hết ngày, chưa được phục vụ xong"
    assert tomorrow["ticket"]["waiting_ahead"] is None
    stats = client.get(
        f"/api/v1/wards/{WARD}/booking-stats?from=2026-12-07&to=2026-12-08",
        headers=staff_headers,
    ).get_json()
    assert stats["total"]["unfinished"] == 1
    assert stats["total"]["served"] == 0 and stats["total"]["no_shows"] == 0


def test_a_late_arrival_called_at_once_is_served_on_time(
    client, clock, hall, make_service, make_residents, staff_headers
):
    service = make_service()
    (resident,) = make_residents(1)
    made = booked(client, resident, service, local(7, 8, 0))
    clock.shift(timedelta(hours=1, minutes=45))  # 08:45: 45 minutes late
    hall.checked_in(made["code"])
    clock.shift(timedelta(minutes=5))
    hall.done(hall.called(1, service))
    stats = client.get(
        f"/api/v1/wards/{WARD}/booking-stats?from=2026-12-07&to=2026-12-07",
        headers=staff_headers,
    ).get_json()
    assert stats["total"]["on_time_share"] == 1.0
