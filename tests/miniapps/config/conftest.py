"""Miniapp config fixtures: clients signed in as ward admins, city admins and residents."""

from dataclasses import dataclass

import pytest

from app.identity.demo import CITY_ADMIN_SUB, citizens_of, staff_sub
from tests.conftest import csrf_headers, grant, login_as

HOAN_KIEM = "00070"  # phường
GIANG_VO = "00025"  # phường
DA_PHUC = "00424"  # xã


@dataclass
class Caller:
    """A test client signed in as one person, sending the CSRF header on unsafe requests."""

    client: object
    headers: dict
    me: dict

    def get(self, url, **kwargs):
        return self.client.get(url, **kwargs)

    def put(self, url, json=None, **kwargs):
        return self.client.put(url, json=json, headers=self.headers, **kwargs)

    def post(self, url, json=None, **kwargs):
        return self.client.post(url, json=json, headers=self.headers, **kwargs)

    def delete(self, url, **kwargs):
        return self.client.delete(url, headers=self.headers, **kwargs)


@pytest.fixture
def caller(app):
    """Make a client signed in as a demo citizen (by sub), with a role granted first."""

    def make(sub: str, *, role: str | None = None, ward: str | None = None) -> Caller:
        if role:
            grant(app, sub, role, ward=ward)
        client = app.test_client()
        me = login_as(client, sub)
        return Caller(client, csrf_headers(client), me)

    return make


@pytest.fixture
def ward_admin(caller):
    """Make a client signed in as the demo admin of a ward."""
    return lambda ward: caller(staff_sub(ward), role="ward_admin", ward=ward)


@pytest.fixture
def city_admin(caller):
    """A client signed in as the city admin."""
    return caller(CITY_ADMIN_SUB, role="city_admin")


@pytest.fixture
def resident(caller):
    """A client signed in as a resident of Hoàn Kiếm with no role."""
    return caller(citizens_of(HOAN_KIEM)[3].sub)
