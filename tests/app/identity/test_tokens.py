"""Bearer tokens for API clients, the CSRF rule for cookies, and rate limits."""

import os
from datetime import timedelta

import pytest
import time_machine

from app.identity import service
from tests.conftest import csrf_headers, login_as


def _token(client) -> str:
    response = client.post("/api/v1/auth/tokens", headers=csrf_headers(client))
    assert response.status_code == 201, response.get_json()
    return response.get_json()["access_token"]


def _bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def test_create_token_shape(client, sign_in, citizens):
    """POST /api/v1/auth/tokens returns access_token, token_type Bearer and expires_in."""
    sign_in(citizens[0].sub)
    response = client.post("/api/v1/auth/tokens", headers=csrf_headers(client))
    assert response.status_code == 201
    body = response.get_json()
    assert set(body) == {"access_token", "token_type", "expires_in"}
    assert body["token_type"] == "Bearer"
    assert 0 < body["expires_in"] <= 3600
    assert len(body["access_token"]) >= 32


def test_bearer_token_identifies_the_caller(app, client, sign_in, citizens):
    """A bearer token works without any cookie."""
    me = sign_in(citizens[0].sub)
    token = _token(client)
    other = app.test_client()
    response = other.get("/api/v1/me", headers=_bearer(token))
    assert response.status_code == 200
    assert response.get_json()["id"] == me["id"]


def test_token_needs_a_signed_in_caller(client):
    """An anonymous caller gets no token."""
    response = client.post("/api/v1/auth/tokens")
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"


def test_unknown_bearer_token_is_401(client, sign_in, citizens):
    """A made-up bearer token is 401, even alongside a valid session cookie."""
    sign_in(citizens[0].sub)
    response = client.get("/api/v1/me", headers=_bearer("pxs_made-up"))
    assert response.status_code == 401


def test_revoked_token_is_401(app, client, sign_in, citizens):
    """DELETE /api/v1/auth/tokens/current revokes the token used; later uses are 401."""
    sign_in(citizens[0].sub)
    token = _token(client)
    api = app.test_client()
    assert api.get("/api/v1/me", headers=_bearer(token)).status_code == 200
    assert api.delete("/api/v1/auth/tokens/current", headers=_bearer(token)).status_code == 204
    response = api.get("/api/v1/me", headers=_bearer(token))
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"
    # The browser session that created it is unaffected.
    assert client.get("/api/v1/me").status_code == 200


def test_revoke_current_without_bearer_is_404(client, sign_in, citizens):
    """A cookie request has no current token to revoke."""
    sign_in(citizens[0].sub)
    response = client.delete("/api/v1/auth/tokens/current", headers=csrf_headers(client))
    assert response.status_code == 404


def test_expired_token_is_401(app, client, sign_in, citizens, monkeypatch):
    """A token past its lifetime is 401."""
    sign_in(citizens[0].sub)
    monkeypatch.setattr(service, "TOKEN_LIFETIME", timedelta(seconds=-1))
    token = _token(client)
    assert app.test_client().get("/api/v1/me", headers=_bearer(token)).status_code == 401


def test_cookie_post_without_csrf_header_is_403(client, sign_in, citizens):
    """An unsafe cookie request without X-CSRF-Token is refused with csrf_failed."""
    sign_in(citizens[0].sub)
    response = client.post("/api/v1/auth/tokens")
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "csrf_failed"
    wrong = client.post("/api/v1/auth/tokens", headers={"X-CSRF-Token": "wrong"})
    assert wrong.status_code == 403
    assert wrong.get_json()["error"]["code"] == "csrf_failed"


def test_cookie_post_with_csrf_header_works(client, sign_in, citizens):
    """The csrf_token from /api/v1/me makes the same request work."""
    me = sign_in(citizens[0].sub)
    response = client.post("/api/v1/auth/tokens", headers={"X-CSRF-Token": me["csrf_token"]})
    assert response.status_code == 201


def test_csrf_token_of_another_session_is_refused(app, client, sign_in, citizens):
    """The CSRF token is bound to its session."""
    sign_in(citizens[0].sub)
    other = app.test_client()
    other_me = login_as(other, citizens[1].sub)
    response = client.post("/api/v1/auth/tokens", headers={"X-CSRF-Token": other_me["csrf_token"]})
    assert response.status_code == 403


def test_bearer_post_needs_no_csrf(app, client, sign_in, citizens):
    """Bearer-token requests need no CSRF header."""
    sign_in(citizens[0].sub)
    token = _token(client)
    response = app.test_client().post("/api/v1/auth/tokens", headers=_bearer(token))
    assert response.status_code == 201


@pytest.fixture
def limited_app(extra_app):
    """An app with rate limiting on."""
    return extra_app(os.environ["PXS_TEST_INSTANCE"], RATELIMIT_ENABLED=True)


def test_a_meeting_behind_one_address_signs_in(limited_app, citizens):
    """120 people on one Wi-Fi (one address) sign in within a minute: none is refused."""
    statuses = []
    for i in range(120):
        client = limited_app.test_client()  # each person's own browser, one shared address
        response = client.get(
            "/auth/login", query_string={"login_hint": citizens[i % len(citizens)].sub}
        )
        statuses.append(response.status_code)
        approved = client.get(response.location)
        statuses.append(client.get(approved.location).status_code)  # the callback
    assert statuses == [302] * 240
    assert limited_app.test_client().get("/auth/login").headers["X-RateLimit-Limit"] == "300"


def test_login_is_rate_limited(limited_app):
    """Hammering /auth/login from one address ends in 429 with the JSON error body."""
    client = limited_app.test_client()
    statuses = [client.get("/auth/login").status_code for _ in range(310)]
    assert statuses[:300] == [302] * 300
    assert statuses[300:] == [429] * 10
    response = client.get("/auth/login")
    assert response.status_code == 429
    assert response.get_json()["error"]["code"] == "rate_limited"
    assert response.headers.get("Retry-After")


def test_token_endpoint_is_rate_limited(limited_app, citizens):
    """Hammering POST /api/v1/auth/tokens ends in 429 with the JSON error body."""
    client = limited_app.test_client()
    login_as(client, citizens[0].sub)
    headers = csrf_headers(client)
    statuses = [client.post("/api/v1/auth/tokens", headers=headers).status_code for _ in range(30)]
    assert statuses[0] == 201
    assert 429 in statuses
    response = client.post("/api/v1/auth/tokens", headers=headers)
    assert response.status_code == 429
    assert response.get_json()["error"]["code"] == "rate_limited"


def test_consent_counts_per_account_not_per_address(limited_app, citizens):
    """POST /api/v1/me/consent: 10 a minute per person; a neighbour on the same address keeps
    their own allowance."""
    from app.identity import privacy

    one, two = limited_app.test_client(), limited_app.test_client()
    login_as(one, citizens[0].sub)
    login_as(two, citizens[1].sub)
    body = {"policy_version": privacy.VERSION}
    headers = csrf_headers(one)
    statuses = [
        one.post("/api/v1/me/consent", json=body, headers=headers).status_code for _ in range(11)
    ]
    assert statuses == [204] * 10 + [429]
    assert two.post("/api/v1/me/consent", json=body, headers=csrf_headers(two)).status_code == 204


def test_a_token_asked_for_with_a_token_ends_with_it(app, client, sign_in, citizens):
    """A token cannot renew itself: one minted with a bearer token ends no later than it.

    Otherwise a stolen one-hour token could mint the next one for ever, past every session
    limit.
    """
    sign_in(citizens[0].sub)
    first = _token(client)
    other = app.test_client()
    with time_machine.travel(timedelta(minutes=40), tick=False):
        answer = other.post("/api/v1/auth/tokens", headers=_bearer(first))
        assert answer.status_code == 201
        assert answer.get_json()["expires_in"] <= 20 * 60
        second = answer.get_json()["access_token"]
    with time_machine.travel(timedelta(minutes=61), tick=False):
        assert other.get("/api/v1/me", headers=_bearer(second)).status_code == 401
