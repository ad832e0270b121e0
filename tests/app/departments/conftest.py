"""Fixtures of the department tests: callers signed in with department or ward roles."""

from dataclasses import dataclass

import pytest

from app.identity.demo import CITY_ADMIN_SUB, citizens_of
from tests.conftest import csrf_headers, login_as

SKHCN, SCT = "SKHCN", "SCT"
HOAN_KIEM = "00070"


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
        return self.client.post(
            url, json=json, headers={**self.headers, **kwargs.pop("headers", {})}, **kwargs
        )

    def delete(self, url, **kwargs):
        return self.client.delete(url, headers=self.headers, **kwargs)


def grant_role(app, sub: str, role: str, *, ward: str | None = None, department: str | None = None):
    """Grant a role through the CLI, as an operator would."""
    args = ["roles", "grant", sub, role]
    if ward:
        args += ["--ward", ward]
    if department:
        args += ["--department", department]
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 0, result.output
    return result.output


# Residents of Hoàn Kiếm with no demo role, one per part they play in these tests.
PEOPLE = citizens_of(HOAN_KIEM)
DEPT_ADMIN, DEPT_EDITOR, OTHER_DEPT_ADMIN, WARD_ADMIN, RESIDENT, TARGET = (
    PEOPLE[2].sub,
    PEOPLE[3].sub,
    PEOPLE[4].sub,
    PEOPLE[0].sub,
    PEOPLE[5].sub,
    PEOPLE[6].sub,
)


@pytest.fixture
def caller(app):
    """Make a client signed in as a demo citizen (by sub), with a role granted first."""

    def make(sub: str, role: str | None = None, **where) -> Caller:
        if role:
            grant_role(app, sub, role, **where)
        client = app.test_client()
        me = login_as(client, sub)
        return Caller(client, csrf_headers(client), me)

    return make


@pytest.fixture
def dept_admin(caller):
    """A client signed in as the admin of SKHCN."""
    return caller(DEPT_ADMIN, "department_admin", department=SKHCN)


@pytest.fixture
def city_admin(caller):
    """A client signed in as the city admin."""
    return caller(CITY_ADMIN_SUB, "city_admin")
