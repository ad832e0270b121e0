"""A holder's bookings in their data export, and what erasing the account does to them."""

from datetime import timedelta

from tests.appointments.conftest import WARD, booked, local, slot_of


def test_export_lists_my_appointments(client, make_service, make_residents):
    service = make_service(name="Đăng ký khai sinh")
    me, neighbour = make_residents(2)
    made = booked(client, me, service, local(8, 9))
    booked(client, neighbour, service, local(8, 9))
    response = client.get("/api/v1/me/data", headers=me.headers)
    assert response.status_code == 200
    rows = response.get_json()["appointments"]
    assert len(rows) == 1
    row = rows[0]
    assert row["id"] == made["id"] and row["code"] == made["code"]
    assert row["service"] == "Đăng ký khai sinh" and row["ward"] == WARD
    assert (row["start"], row["end"]) == (local(8, 9), local(8, 9, 15))
    assert row["status"] == "booked" and row["rating"] is None


def test_erasure_cancels_what_is_to_come_and_unlinks_the_past(
    client, clock, hall, make_service, make_residents
):
    """Tomorrow's booking is cancelled and its place freed; today's served one stays, anonymous."""
    service = make_service(capacity=1)
    me, someone = make_residents(2)
    past = booked(client, me, service, local(7, 8))
    upcoming = booked(client, me, service, local(8, 8))
    assert slot_of(client, service, local(8, 8))["remaining"] == 0
    clock.shift(timedelta(minutes=50))
    hall.checked_in(past["code"])
    hall.done(hall.called(1))
    assert (
        client.post(
            f"/api/v1/appointments/{past['id']}/rating", json={"stars": 5}, headers=me.headers
        ).status_code
        == 201
    )
    assert len(client.get("/api/v1/me/data", headers=me.headers).get_json()["appointments"]) == 2

    clock.shift(timedelta(minutes=30))  # 08:20
    assert client.delete("/api/v1/me", headers=me.headers).status_code == 204
    assert client.get("/api/v1/me/appointments", headers=me.headers).status_code == 401

    # The place is free again: someone else takes it.
    assert slot_of(client, service, local(8, 8))["remaining"] == 1
    booked(client, someone, service, local(8, 8))

    staff = hall.headers
    cancelled = client.get(f"/api/v1/appointments/{upcoming['id']}", headers=staff).get_json()
    assert cancelled["status"] == "cancelled" and cancelled["holder"] is None
    kept = client.get(f"/api/v1/appointments/{past['id']}", headers=staff).get_json()
    assert kept["status"] == "done" and kept["holder"] is None and kept["rating"] == 5
    schedule = client.get(
        f"/api/v1/wards/{WARD}/appointments?date=2026-12-07", headers=staff
    ).get_json()["items"]
    assert [(a["id"], a["holder"]) for a in schedule] == [(past["id"], None)]

    # The statistics still count them.
    stats = client.get(
        f"/api/v1/wards/{WARD}/booking-stats?from=2026-12-07&to=2026-12-08", headers=staff
    ).get_json()["total"]
    assert (stats["bookings"], stats["cancelled"], stats["served"]) == (3, 1, 1)
    assert (stats["average_rating"], stats["ratings"]) == (5.0, 1)


def test_erasure_frees_the_one_a_day_rule_for_nobody_else(client, make_service, make_residents):
    """Erasing one person leaves other people's bookings as they were."""
    service = make_service()
    me, neighbour = make_residents(2)
    booked(client, me, service, local(8, 8))
    theirs = booked(client, neighbour, service, local(8, 8))
    assert client.delete("/api/v1/me", headers=me.headers).status_code == 204
    still = client.get(f"/api/v1/appointments/{theirs['id']}", headers=neighbour.headers)
    assert still.get_json()["status"] == "booked"
    assert slot_of(client, service, local(8, 8))["remaining"] == 1
    mine = client.get("/api/v1/me/data", headers=neighbour.headers).get_json()["appointments"]
    assert [a["id"] for a in mine] == [theirs["id"]]
