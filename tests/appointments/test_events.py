"""Bookings tell the ward's systems what changed (appointment.booked, appointment.cancelled): the
service and the slot, never who booked nor the booking code; API clients never see them."""

import json

import sqlalchemy as sa

from app.events.models import Event
from app.extensions import db
from tests.app.events.conftest import client_headers  # noqa: F401
from tests.appointments.conftest import WARD, book, booked, local

SLOT_KEYS = {
    "appointment_id",
    "service_id",
    "service_name",
    "service_kind",
    "day",
    "start",
    "end",
}


def booking_events(app) -> list[tuple[str, dict]]:
    """Return the test ward's events, in order, as (type, data)."""
    with app.app_context():
        return [
            (row.type, row.data)
            for row in db.session.scalars(
                sa.select(Event).where(Event.feed == f"ward:{WARD}").order_by(Event.seq)
            )
        ]


def assert_anonymous(data: dict, made: dict, who) -> None:
    text = json.dumps(data, ensure_ascii=False)
    assert made["code"] not in text and who.sub not in text
    assert "user" not in text and "holder" not in text and "code" not in text


def test_a_booking_and_its_cancellation_are_announced(client, app, make_service, make_residents):
    service = make_service(name="Đăng ký khai sinh")
    (me,) = make_residents(1)
    made = booked(client, me, service, local(8, 9))
    assert (
        client.delete(f"/api/v1/appointments/{made['id']}", headers=me.headers).status_code == 200
    )
    assert (
        client.delete(f"/api/v1/appointments/{made['id']}", headers=me.headers).status_code == 200
    )
    (booked_kind, booked_data), (cancel_kind, cancel_data) = booking_events(app)
    assert (booked_kind, cancel_kind) == ("appointment.booked", "appointment.cancelled")
    assert booked_data == cancel_data  # the same slot: a second cancel announced nothing
    assert booked_data == {
        "appointment_id": made["id"],
        "service_id": service["id"],
        "service_name": "Đăng ký khai sinh",
        "service_kind": "procedure",
        "day": "2026-12-08",
        "start": local(8, 9),
        "end": local(8, 9, 15),
    }
    assert set(booked_data) == SLOT_KEYS
    assert_anonymous(booked_data, made, me)


def test_a_refused_booking_announces_nothing(client, app, make_service, make_residents):
    service = make_service(capacity=1)
    first, second = make_residents(2)
    booked(client, first, service, local(8, 9))
    assert book(client, second, service, local(8, 9)).status_code == 409  # full
    assert book(client, first, service, local(8, 10)).status_code == 409  # one a day
    assert [kind for kind, _ in booking_events(app)] == ["appointment.booked"]


def test_erasing_an_account_announces_each_freed_place(client, app, make_service, make_residents):
    """Erasure cancels the bookings to come; each is announced once, after every slot's lock."""
    first_service = make_service(name="Chứng thực")
    second_service = make_service(name="Hộ tịch")
    (me,) = make_residents(1)
    one = booked(client, me, first_service, local(8, 9))
    two = booked(client, me, second_service, local(9, 10))
    assert client.delete("/api/v1/me", headers=me.headers).status_code == 204
    cancelled = [data for kind, data in booking_events(app) if kind == "appointment.cancelled"]
    assert sorted(d["appointment_id"] for d in cancelled) == [one["id"], two["id"]]


def test_api_clients_never_read_bookings_in_the_feed(
    client,
    app,
    make_service,
    make_residents,
    staff_headers,
    client_headers,  # noqa: F811
):
    service = make_service()
    (me,) = make_residents(1)
    booked(client, me, service, local(8, 9))
    everything = client_headers("reports:read market:read kpi:read notices:read", wards="all")
    body = client.get(f"/api/v1/changes?ward={WARD}", headers=everything).get_json()
    assert body["items"] == [] and body["has_more"] is False
    staff_view = client.get(f"/api/v1/changes?ward={WARD}", headers=staff_headers).get_json()
    assert [i["type"] for i in staff_view["items"]] == ["appointment.booked"]
