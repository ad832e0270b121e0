"""Fixtures for the change feed: bearer tokens of staff, residents and API clients, and a way
to write events straight through the one writer."""

import pytest

from app.events import service as events
from app.extensions import db
from app.identity import service as identity
from app.identity.demo import citizens_of
from app.identity.models import User
from tests.conftest import grant

WARD = "00070"  # Hoàn Kiếm
OTHER_WARD = "00025"  # Giảng Võ


def bearer(token: str) -> dict:
    """Return the Authorization header of a bearer token."""
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def person_headers(app):
    """Return `headers(sub, role=None, ward=None)`: a demo citizen's bearer token, with a role."""

    def make(sub: str, role: str | None = None, ward: str | None = None) -> dict:
        if role:
            grant(app, sub, role, ward=ward)
        with app.app_context():
            user = identity.sign_in(provider=identity.MOCK_PROVIDER, claims={"sub": sub})
            token, _ = identity.issue_token(user)
            db.session.commit()
        return bearer(token)

    return make


@pytest.fixture
def staff_headers(person_headers):
    """The test ward's editor."""
    return person_headers(citizens_of(WARD)[0].sub, "ward_editor", WARD)


@pytest.fixture
def other_staff_headers(person_headers):
    """Another ward's admin."""
    return person_headers(citizens_of(OTHER_WARD)[0].sub, "ward_admin", OTHER_WARD)


@pytest.fixture
def resident_headers(person_headers):
    """A resident of the test ward, with no role."""
    return person_headers(citizens_of(WARD)[3].sub)


@pytest.fixture
def city_admin_headers(person_headers):
    """A city admin."""
    return person_headers(citizens_of(OTHER_WARD)[3].sub, "city_admin")


@pytest.fixture
def client_headers(app):
    """Return `headers(scope, wards)`: an API client's token (a service account's, as the
    clients module issues them) holding those scopes over those wards ("all" or codes)."""
    made = iter(range(1000))

    def make(scope: str, wards: str = WARD) -> dict:
        with app.app_context():
            user = User(issuer="api-client", sub=f"client-{next(made)}", name="Hệ thống thử")
            db.session.add(user)
            db.session.flush()
            token, _ = identity.issue_token(user, scope=scope, wards=wards)
            db.session.commit()
        return bearer(token)

    return make


@pytest.fixture
def emit(app):
    """Return `emit(type, n=1, ward=WARD)`: write n events of a type, committed; their ids."""

    def write(event_type: str, n: int = 1, ward: str | None = WARD, **feed) -> list[str]:
        with app.app_context():
            ids = [events.emit(event_type, {"n": i}, ward_code=ward, **feed) for i in range(n)]
            db.session.commit()
        return ids

    return write


def read_all(
    client, headers: dict, *, ward: str = WARD, limit: int = 50, since: str = "", unit: str = "ward"
) -> tuple[list[dict], str, int]:
    """Follow `next` until `has_more` is false; return the items, the last cursor, the reads."""
    items, reads = [], 0
    while True:
        response = client.get(
            f"/api/v1/changes?{unit}={ward}&limit={limit}&since={since}", headers=headers
        )
        assert response.status_code == 200, response.get_json()
        body = response.get_json()
        items += body["items"]
        since, reads = body["next"], reads + 1
        if not body["has_more"]:
            return items, since, reads
