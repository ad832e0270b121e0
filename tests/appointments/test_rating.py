"""Rating the service: its holder, after being served, once, 1 to 5 stars."""

from datetime import timedelta

import pytest

from tests.appointments.conftest import booked, error, field_errors, local


@pytest.fixture
def served(client, clock, hall, make_service, make_residents):
    """A booking served at the counter, its holder, and a stranger."""
    service = make_service()
    holder, stranger = make_residents(2)
    made = booked(client, holder, service, local(7, 8))
    clock.shift(timedelta(minutes=50))
    hall.checked_in(made["code"])
    return made, holder, stranger, hall


def _rate(client, made, headers, stars):
    return client.post(
        f"/api/v1/appointments/{made['id']}/rating", json={"stars": stars}, headers=headers
    )


def test_only_after_being_served(client, served):
    made, holder, _, hall = served
    refused = _rate(client, made, holder.headers, 5)  # checked in, waiting
    assert refused.status_code == 409 and error(refused)["code"] == "appointment_not_served"
    ticket = hall.called(1)
    assert _rate(client, made, holder.headers, 5).status_code == 409  # at the counter
    hall.done(ticket)
    response = _rate(client, made, holder.headers, 4)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["appointment_id"] == made["id"] and body["stars"] == 4
    assert body["created_at"] == local(7, 7, 50)
    shown = client.get(f"/api/v1/appointments/{made['id']}", headers=holder.headers).get_json()
    assert shown["rating"] == 4 and shown["can_rate"] is False


def test_a_booked_or_cancelled_appointment_cannot_be_rated(client, make_service, make_residents):
    service = make_service()
    (resident,) = make_residents(1)
    made = booked(client, resident, service, local(8, 8))
    assert _rate(client, made, resident.headers, 5).status_code == 409
    client.delete(f"/api/v1/appointments/{made['id']}", headers=resident.headers)
    assert _rate(client, made, resident.headers, 5).status_code == 409


def test_only_the_holder_rates(client, served, other_staff_headers):
    """A stranger does not learn it exists (404); the ward's staff may see it but not rate (403)."""
    made, holder, stranger, hall = served
    hall.done(hall.called(1))
    assert _rate(client, made, stranger.headers, 1).status_code == 404
    staff = _rate(client, made, hall.headers, 1)
    assert staff.status_code == 403 and error(staff)["code"] == "not_the_holder"
    assert _rate(client, made, other_staff_headers, 1).status_code == 404
    assert _rate(client, made, {}, 1).status_code == 401
    assert _rate(client, made, holder.headers, 5).status_code == 201


def test_once(client, served):
    made, holder, _, hall = served
    hall.done(hall.called(1))
    assert _rate(client, made, holder.headers, 5).status_code == 201
    again = _rate(client, made, holder.headers, 1)
    assert again.status_code == 409 and error(again)["code"] == "already_rated"
    shown = client.get(f"/api/v1/appointments/{made['id']}", headers=holder.headers).get_json()
    assert shown["rating"] == 5


@pytest.mark.parametrize("stars", [0, 6, -1, "5", 4.5, None])
def test_stars_one_to_five(client, served, stars):
    made, holder, _, hall = served
    hall.done(hall.called(1))
    response = _rate(client, made, holder.headers, stars)
    errors = field_errors(response)
    assert list(errors) == ["stars"] and errors["stars"]["label"] == "Số sao"
    assert _rate(client, made, holder.headers, 1).status_code == 201  # nothing was saved
