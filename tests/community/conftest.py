"""Fixtures for the community tests: people of a pilot ward and a client that acts as them."""

import pytest

from app.identity.demo import citizens_of
from tests.conftest import csrf_headers, grant

WARD = "00070"  # Hoàn Kiếm
OTHER_WARD = "00025"  # Giảng Võ


class Api:
    """The test client acting as one signed-in person at a time, with their CSRF header."""

    def __init__(self, client, sign_in):
        self.client = client
        self._sign_in = sign_in
        self.headers: dict = {}
        self.me: dict | None = None

    def login(self, sub: str) -> dict:
        """Sign in as `sub` (through the real OIDC flow) and return /api/v1/me."""
        self.me = self._sign_in(sub)
        self.headers = csrf_headers(self.client)
        return self.me

    def logout(self) -> None:
        """Sign out: later requests are anonymous."""
        if self.headers:
            assert self.client.post("/auth/logout", headers=self.headers).status_code == 204
        self.headers = {}
        self.me = None

    def get(self, url: str, **kwargs):
        return self.client.get(url, **kwargs)

    def post(self, url: str, json=None, **kwargs):
        return self.client.post(url, json=json, headers=self.headers, **kwargs)

    def put(self, url: str, json=None, **kwargs):
        return self.client.put(url, json=json, headers=self.headers, **kwargs)

    def delete(self, url: str, **kwargs):
        return self.client.delete(url, headers=self.headers, **kwargs)


@pytest.fixture
def api(client, sign_in):
    """A client that signs in as people and sends their CSRF header."""
    return Api(client, sign_in)


@pytest.fixture
def people():
    """The demo citizens of the test ward, by sub: [0] is made ward admin, the rest residents."""
    return [c.sub for c in citizens_of(WARD)]


@pytest.fixture
def others():
    """The demo citizens of another ward, by sub."""
    return [c.sub for c in citizens_of(OTHER_WARD)]


@pytest.fixture
def staff(app, people):
    """The sub of the test ward's admin."""
    grant(app, people[0], "ward_admin", ward=WARD)
    return people[0]


@pytest.fixture
def make_community(api, staff):
    """Create a community as the ward's staff; returns its JSON (with invite code)."""
    counter = iter(range(1, 1000))

    def make(name: str | None = None, kind: str = "to_dan_pho", ward: str = WARD) -> dict:
        api.login(staff)
        response = api.post(
            f"/api/v1/wards/{ward}/communities",
            json={"name": name or f"Tổ dân phố số {next(counter)}", "kind": kind},
        )
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    return make


@pytest.fixture
def join(api):
    """Sign in as `sub` and join the community with its invite code."""

    def do(sub: str, community: dict) -> None:
        api.login(sub)
        response = api.post(
            f"/api/v1/communities/{community['id']}/join",
            json={"invite_code": community["invite_code"]},
        )
        assert response.status_code == 200, response.get_json()

    return do


@pytest.fixture
def appoint(api, staff):
    """Appoint `sub` leader (or deputy) of a community as the ward's staff."""

    def do(sub: str, community: dict, deputy: bool = False) -> None:
        api.login(sub)  # a person must have signed in once to be appointed
        api.login(staff)
        response = api.post(
            f"/api/v1/communities/{community['id']}/leaders", json={"sub": sub, "deputy": deputy}
        )
        assert response.status_code == 201, response.get_json()

    return do
