"""Fixtures for the poll tests: voters with bearer tokens, communities, polls made over HTTP."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.identity import service as identity
from tests.community.conftest import WARD


@dataclass
class Voter:
    """A resident with a bearer token (no session, no CSRF header needed)."""

    id: int
    sub: str
    headers: dict


@pytest.fixture
def make_voters(app):
    """Create residents quickly through the identity service; return them with tokens."""
    counter = iter(range(100_000))

    def make(count: int, *, level: int = 2, prefix: str = "cu-dan") -> list[Voter]:
        made = []
        with app.app_context():
            for _ in range(count):
                sub = f"{prefix}-{next(counter)}"
                user = identity.sign_in(
                    provider=identity.MOCK_PROVIDER,
                    claims={"sub": sub, "name": f"Cư dân {sub}", "vneid_level": level},
                )
                token, _ = identity.issue_token(user)
                made.append(Voter(user.id, sub, {"Authorization": f"Bearer {token}"}))
            db.session.commit()
        return made

    return make


@pytest.fixture
def community(make_community):
    """A community of the test ward, made by its staff (the `api` client is signed in as them)."""
    return make_community("Tổ dân phố số 7")


@pytest.fixture
def enrol(client):
    """Make voters active members of a community through its join endpoint."""

    def do(voters: list[Voter], community: dict) -> None:
        for voter in voters:
            response = client.post(
                f"/api/v1/communities/{community['id']}/join",
                json={"invite_code": community["invite_code"]},
                headers=voter.headers,
            )
            assert response.status_code == 200, response.get_json()

    return do


@pytest.fixture
def follow(client):
    """Make voters follow a ward."""

    def do(voters: list[Voter], ward: str = WARD) -> None:
        for voter in voters:
            response = client.post(f"/api/v1/wards/{ward}/follow", headers=voter.headers)
            assert response.status_code == 200, response.get_json()

    return do


def later(**delta) -> str:
    """Return an ISO time with offset, `delta` from now."""
    return (datetime.now(UTC) + timedelta(**delta)).isoformat()


def vote_body(**overrides) -> dict:
    """A one-question vote of the test ward's followers."""
    body = {
        "title": "Biểu quyết lắp camera an ninh đầu ngõ",
        "kind": "vote",
        "ward": WARD,
        "questions": [
            {"text": "Đồng ý lắp camera?", "options": ["Đồng ý", "Không đồng ý"]},
        ],
        "closes_at": later(days=7),
        "results_visibility": "always",
    }
    body.update(overrides)
    if overrides.get("community_id") is not None and "ward" not in overrides:
        del body["ward"]
    return body


@pytest.fixture
def new_poll(api, staff):
    """Create a poll as the ward's staff (optionally open it); return its JSON."""

    def make(open_it: bool = True, **overrides) -> dict:
        api.login(staff)
        response = api.post("/api/v1/polls", json=vote_body(**overrides))
        assert response.status_code == 201, response.get_json()
        poll = response.get_json()
        if open_it and poll["status"] == "draft":
            opened = api.post(f"/api/v1/polls/{poll['id']}/open")
            assert opened.status_code == 200, opened.get_json()
            poll = opened.get_json()
        return poll

    return make


def choice(poll: dict, question: int = 0, *options: int) -> dict:
    """Build a ballot choosing the given option positions of one question."""
    q = poll["questions"][question]
    return {"question": q["id"], "options": [q["options"][i]["id"] for i in options]}


def row_counts(app) -> dict:
    """Count the rows of the tables a ballot writes."""
    with app.app_context():
        return {
            table: db.session.scalar(sa.text(f"SELECT count(*) FROM {table}"))  # noqa: S608
            for table in ("poll_voter", "poll_ballot", "idempotency_record")
        }
