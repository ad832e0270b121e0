"""Fixtures for the audit log: people with roles acting through bearer tokens."""

import pytest

from app.extensions import db
from app.identity import service as identity
from app.identity.demo import citizens_of
from app.mock_vneid.citizens import all_citizens
from tests.conftest import grant

WARD = "00070"  # Hoàn Kiếm
OTHER_WARD = "00025"  # Giảng Võ


class Caller:
    """The test client acting as one person, by their bearer token."""

    def __init__(self, client, token: str, user_id: int, name: str | None):
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"}
        self.user_id = user_id
        self.name = name

    def get(self, url: str, **kwargs):
        return self.client.get(url, headers=self.headers, **kwargs)

    def post(self, url: str, json=None, **kwargs):
        return self.client.post(url, json=json, headers=self.headers, **kwargs)

    def put(self, url: str, json=None, **kwargs):
        return self.client.put(url, json=json, headers=self.headers, **kwargs)

    def patch(self, url: str, json=None, **kwargs):
        return self.client.patch(url, json=json, headers=self.headers, **kwargs)

    def delete(self, url: str, **kwargs):
        return self.client.delete(url, headers=self.headers, **kwargs)


@pytest.fixture
def caller(app):
    """Return `caller(sub, role=None, ward=None)`: a person with a bearer token (and role)."""

    def make(sub: str, role: str | None = None, ward: str | None = None) -> Caller:
        if role:
            grant(app, sub, role, ward=ward)
        with app.app_context():
            person = next(c for c in all_citizens() if c.sub == sub)
            claims = {"sub": sub, "name": person.name}
            user = identity.sign_in(provider=identity.MOCK_PROVIDER, claims=claims)
            token, _ = identity.issue_token(user)
            db.session.commit()
            user_id, name = user.id, user.name
        return Caller(app.test_client(), token, user_id, name)

    return make


@pytest.fixture
def ward_admin(caller):
    """The test ward's admin."""
    return caller(citizens_of(WARD)[0].sub, "ward_admin", WARD)


@pytest.fixture
def editor(caller):
    """The test ward's editor."""
    return caller(citizens_of(WARD)[1].sub, "ward_editor", WARD)


@pytest.fixture
def resident(caller):
    """A resident of the test ward, with no role."""
    return caller(citizens_of(WARD)[3].sub)


@pytest.fixture
def other_admin(caller):
    """Another ward's admin."""
    return caller(citizens_of(OTHER_WARD)[0].sub, "ward_admin", OTHER_WARD)


@pytest.fixture
def city_admin(caller):
    """A city admin."""
    return caller(citizens_of(OTHER_WARD)[3].sub, "city_admin")


def audit_of(reader: Caller, ward: str = WARD, **params) -> list[dict]:
    """Return every entry of a ward's audit log as `reader` sees it, newest first."""
    response = reader.get(f"/api/v1/wards/{ward}/audit", query_string={"limit": 200, **params})
    assert response.status_code == 200, response.get_json()
    return response.get_json()["items"]
