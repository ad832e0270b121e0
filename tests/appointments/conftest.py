"""Fixtures for the appointment tests: a frozen clock on a working Monday, staff, residents
with bearer tokens, and a booking service of the test ward."""

from dataclasses import dataclass
from datetime import datetime

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
