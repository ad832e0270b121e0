"""Fixtures for the appointment tests: a frozen clock on a working Monday, staff, residents
with bearer tokens, and a booking service of the test ward."""

from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
import time_machine

from app.extensions import db
from app.fields import LOCAL_TZ
from app.identity import service as identity
from app.identity.demo import citizens_of
from tests.conftest import grant
from tests.reports.conftest import Api

WARD = "00070"  # Hoàn Kiếm
OTHER_WARD = "00025"  # Giảng Võ
# Monday 7 December 2026, 07:00 in Hà Nội: the office opens at 07:30.
MONDAY_7AM = datetime(2026, 12, 7, 7, 0, tzinfo=LOCAL_TZ)

OFFICE_HOURS = [{"weekday": day, "start": "07:30", "end": "11:30"} for day in range(1, 6)] + [
    {"weekday": day, "start": "13:30", "end": "17:00"} for day in range(1, 6)
]


def local(day: int, hour: int, minute: int = 0, month: int = 12, year: int = 2026) -> str:
    """Return a local time of the test month as the API writes it (+07:00)."""
    return datetime(year, month, day, hour, minute, tzinfo=LOCAL_TZ).isoformat()


@pytest.fixture(autouse=True)
def lasting_tokens(monkeypatch):
    """Bearer tokens that outlive the clock's shifts (an hour is their real lifetime)."""
    monkeypatch.setattr(identity, "TOKEN_LIFETIME", timedelta(days=120))


@pytest.fixture
def clock():
    """Freeze the clock at Monday 07:00 local; `clock.shift(timedelta)` moves it."""
    with time_machine.travel(MONDAY_7AM, tick=False) as traveller:
        yield traveller


@pytest.fixture
def api(client, sign_in):
    """A client that signs in as people (session and CSRF), with PATCH and DELETE."""
    return Api(client, sign_in)


@pytest.fixture
def people():
    """Demo citizens of the test ward, by sub: [0] becomes ward staff, the rest residents."""
    return [c.sub for c in citizens_of(WARD)]


@pytest.fixture
def staff(app, people):
    """The sub of the test ward's editor."""
    grant(app, people[0], "ward_editor", ward=WARD)
    return people[0]


@pytest.fixture
def other_staff(app):
    """The sub of another ward's admin."""
    sub = citizens_of(OTHER_WARD)[0].sub
    grant(app, sub, "ward_admin", ward=OTHER_WARD)
    return sub


@dataclass
class Resident:
    id: int
    sub: str
    headers: dict


@pytest.fixture
def make_residents(app, clock):
    """Create residents through the identity service; return them with bearer tokens."""
    counter = iter(range(100_000))

    def make(count: int, prefix: str = "nguoi-dan") -> list[Resident]:
        made = []
        with app.app_context():
            for _ in range(count):
                sub = f"{prefix}-{next(counter)}"
                user = identity.sign_in(
                    provider=identity.MOCK_PROVIDER,
                    claims={"sub": sub, "name": f"Người dân {sub}", "vneid_level": 2},
                )
                token, _ = identity.issue_token(user)
                made.append(Resident(user.id, sub, {"Authorization": f"Bearer {token}"}))
            db.session.commit()
        return made

    return make


def service_body(**changes) -> dict:
    """A valid service of the test ward: 15-minute slots for 2 people, office hours."""
    body = {
        "name": "Hộ tịch, chứng thực",
        "duration_minutes": 15,
        "capacity": 2,
        "counters": 2,
        "hours": OFFICE_HOURS,
        "location": "Bộ phận một cửa, 126 Hàng Trống",
    }
    body.update(changes)
    return body


@pytest.fixture
def make_service(app, client, staff, clock):
    """Create a service of the test ward as its staff (bearer token); return its JSON."""
    with app.app_context():
        user = identity.sign_in(provider=identity.MOCK_PROVIDER, claims={"sub": staff})
        token, _ = identity.issue_token(user)
        db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}

    def make(ward: str = WARD, **changes) -> dict:
        response = client.post(
            f"/api/v1/wards/{ward}/booking-services", json=service_body(**changes), headers=headers
        )
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    make.headers = headers
    return make


@pytest.fixture
def staff_headers(make_service):
    """Bearer headers of the test ward's staff."""
    return make_service.headers


# Helpers shared by the test files


def error(response) -> dict:
    """Return the contract's `error` object of a refused request."""
    body = response.get_json()
    assert body and "error" in body, (response.status_code, response.get_data(as_text=True))
    return body["error"]


def field_errors(response) -> dict[str, dict]:
    """Return a 422's `details.errors` by field."""
    assert response.status_code == 422, response.get_json()
    return {e["field"]: e for e in error(response)["details"]["errors"]}


def bearer(app, sub: str) -> dict:
    """Return bearer headers for an existing person (by sub)."""
    with app.app_context():
        user = identity.sign_in(provider=identity.MOCK_PROVIDER, claims={"sub": sub})
        token, _ = identity.issue_token(user)
        db.session.commit()
    return {"Authorization": f"Bearer {token}"}


def book(client, who, service: dict, start: str, **headers):
    """Book `service` at `start` as `who` (a Resident); return the response."""
    return client.post(
        "/api/v1/appointments",
        json={"service_id": service["id"], "start": start},
        headers={**who.headers, **headers},
    )


def booked(client, who, service: dict, start: str) -> dict:
    """Book and return the appointment (asserting 201)."""
    response = book(client, who, service, start)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def slot_of(client, service: dict, start: str) -> dict | None:
    """Return the slot starting at `start` as the public slot list shows it (None if absent)."""
    day = start[:10]
    items = client.get(f"/api/v1/booking-services/{service['id']}/slots?date={day}").get_json()
    return next((s for s in items["items"] if s["start"] == start), None)


@pytest.fixture
def other_staff_headers(app, other_staff):
    """Bearer headers of the other ward's admin."""
    return bearer(app, other_staff)


@pytest.fixture
def make_other_service(client, other_staff_headers):
    """Create a service of the other ward as its admin; return its JSON."""

    def make(**changes) -> dict:
        response = client.post(
            f"/api/v1/wards/{OTHER_WARD}/booking-services",
            json=service_body(name="Chứng thực bản sao", **changes),
            headers=other_staff_headers,
        )
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    return make


class Hall:
    """The hall's endpoints as a ward's staff calls them."""

    def __init__(self, client, headers: dict, ward: str = WARD):
        self.client, self.headers, self.ward = client, headers, ward

    def check_in(self, code: str):
        return self.client.post(
            f"/api/v1/wards/{self.ward}/queue/check-in", json={"code": code}, headers=self.headers
        )

    def walk_in(self, service: dict | int):
        service_id = service if isinstance(service, int) else service["id"]
        return self.client.post(
            f"/api/v1/wards/{self.ward}/queue/tickets",
            json={"service_id": service_id},
            headers=self.headers,
        )

    def call_next(self, counter: int, service: dict | None = None):
        body = {"counter": counter}
        if service is not None:
            body["service_id"] = service["id"]
        return self.client.post(
            f"/api/v1/wards/{self.ward}/queue/call-next", json=body, headers=self.headers
        )

    def act(self, ticket_id: int, action: str, json=None):
        return self.client.post(
            f"/api/v1/queue/tickets/{ticket_id}/{action}", json=json or {}, headers=self.headers
        )

    def tickets(self, **query):
        return self.client.get(
            f"/api/v1/wards/{self.ward}/queue/tickets", query_string=query, headers=self.headers
        )

    # Shortcuts that assert success and return the ticket

    def checked_in(self, code: str) -> dict:
        response = self.check_in(code)
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    def issued(self, service: dict) -> dict:
        response = self.walk_in(service)
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    def called(self, counter: int, service: dict | None = None) -> dict:
        response = self.call_next(counter, service)
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    def done(self, ticket: dict) -> dict:
        response = self.act(ticket["id"], "done")
        assert response.status_code == 200, response.get_json()
        return response.get_json()


@pytest.fixture
def hall(client, staff_headers):
    """The test ward's hall, run by its staff."""
    return Hall(client, staff_headers)
