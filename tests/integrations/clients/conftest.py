"""Fixtures for API clients: a signed-in city admin who registers clients, and their tokens."""

import base64
from datetime import UTC, datetime, timedelta

import pytest

from app.identity.demo import CITY_ADMIN_SUB
from tests.conftest import csrf_headers, grant

WARD = "00070"  # Hoàn Kiếm
OTHER_WARD = "00025"  # Giảng Võ
LAT, LONG = 21.02885, 105.85224  # by Hồ Gươm


def basic(client_id: str, secret: str) -> dict:
    """Return the HTTP Basic header of client credentials (RFC 6749 §2.3.1)."""
    raw = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    return {"Authorization": f"Basic {raw}"}


def bearer(token: str) -> dict:
    """Return the Authorization header of a bearer token."""
    return {"Authorization": f"Bearer {token}"}


class Admin:
    """The test client signed in as the city admin, with their CSRF header."""

    def __init__(self, client):
        self.client = client
        self.headers = csrf_headers(client)

    def register(self, scopes, wards, name="Ứng dụng thử nghiệm", **kwargs) -> dict:
        """Register a client through the API; return the 201 body (with its secret)."""
        response = self.client.post(
            "/api/v1/clients",
            json={"name": name, "scopes": scopes, "wards": wards},
            headers={**self.headers, **kwargs.pop("headers", {})},
            **kwargs,
        )
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    def post(self, url, json=None, **kwargs):
        return self.client.post(url, json=json, headers=self.headers, **kwargs)


@pytest.fixture
def admin(app, client, sign_in):
    """The city admin, signed in on `client`."""
    grant(app, CITY_ADMIN_SUB, "city_admin")
    sign_in(CITY_ADMIN_SUB)
    return Admin(client)


@pytest.fixture
def outside(app):
    """A second test client with no session: the outside system."""
    return app.test_client()


@pytest.fixture
def token_for(outside):
    """Take a token for a registered client at /oauth/token (optionally narrowed by `scope`)."""

    def take(registered: dict, scope: str | None = None) -> str:
        form = {"grant_type": "client_credentials"}
        if scope is not None:
            form["scope"] = scope
        response = outside.post(
            "/oauth/token",
            data=form,
            headers=basic(registered["client_id"], registered["client_secret"]),
        )
        assert response.status_code == 200, response.get_json()
        return response.get_json()["access_token"]

    return take


@pytest.fixture
def client_token(admin, token_for):
    """Register a client with scopes and wards, and return a token of it."""

    def make(scopes, wards) -> str:
        return token_for(admin.register(scopes, wards))

    return make


def notice_body(ward: str = WARD, **changes) -> dict:
    """A ward-wide notice."""
    return {
        "title": "Lịch tiêm chủng",
        "body": "Tiêm chủng sáng thứ Bảy tại trạm y tế.",
        "ward": ward,
        "category": "y_te",
        **changes,
    }


def report_body(ward: str = WARD, **changes) -> dict:
    """A field report (the point is in Hà Nội; the ward is the one named)."""
    return {
        "ward": ward,
        "category": "rac_thai",
        "description": "Rác đổ trộm ở đầu ngõ, bốc mùi.",
        "lat": LAT,
        "long": LONG,
        **changes,
    }


def poll_body(ward: str = WARD) -> dict:
    """A one-question vote of the ward's followers."""
    return {
        "title": "Biểu quyết lắp camera an ninh đầu ngõ",
        "kind": "vote",
        "ward": ward,
        "questions": [{"text": "Đồng ý lắp camera?", "options": ["Đồng ý", "Không đồng ý"]}],
        "closes_at": (datetime.now(UTC) + timedelta(days=7)).isoformat(),
        "results_visibility": "always",
    }


@pytest.fixture
def objects(admin):
    """A notice, a poll, a report and a market zone in each of two wards, made by the admin."""

    def make(path: str, body: dict) -> int:
        response = admin.post(path, json=body)
        assert response.status_code == 201, response.get_json()
        return response.get_json()["id"]

    made = {}
    for ward in (WARD, OTHER_WARD):
        poll = make("/api/v1/polls", poll_body(ward))
        opened = admin.post(f"/api/v1/polls/{poll}/open")
        assert opened.status_code == 200, opened.get_json()
        made[ward] = {
            "notice": make("/api/v1/notices", notice_body(ward)),
            "poll": poll,
            "report": make("/api/v1/reports", report_body(ward)),
            "zone": make(
                f"/api/v1/wards/{ward}/market-zones", {"name": "Chợ thử", "kind": "market"}
            ),
        }
    return made
