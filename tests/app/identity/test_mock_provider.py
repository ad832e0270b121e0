"""The mock VNeID provider: discovery, JWKS, code flow rules, citizens, production refusal."""

import threading

import pytest
from joserfc import jwt
from joserfc.jwk import KeySet

from app.config import ConfigError
from app.mock_vneid.keys import load_signing_key
from tests.app.identity.flow import (
    CALLBACK,
    ISSUER,
    authorize_params,
    exchange,
    get_code,
    pkce_pair,
    query_of,
)
from tests.conftest import make_app


def test_discovery_document(client):
    """The discovery document names the mock's endpoints and its only methods."""
    response = client.get("/mock-vneid/.well-known/openid-configuration")
    assert response.status_code == 200
    meta = response.get_json()
    assert meta["issuer"] == ISSUER
    assert meta["authorization_endpoint"] == f"{ISSUER}/authorize"
    assert meta["token_endpoint"] == f"{ISSUER}/token"
    assert meta["jwks_uri"] == f"{ISSUER}/jwks"
    assert meta["userinfo_endpoint"] == f"{ISSUER}/userinfo"
    assert meta["code_challenge_methods_supported"] == ["S256"]
    assert meta["response_types_supported"] == ["code"]


def test_issuer_follows_the_request_host(client):
    """Without VNEID_ISSUER the issuer is the address the request came in on."""
    meta = client.get(
        "/mock-vneid/.well-known/openid-configuration", base_url="http://127.0.0.1:8765"
    ).get_json()
    assert meta["issuer"] == "http://127.0.0.1:8765/mock-vneid"


def test_citizens_list(client):
    """GET /mock-vneid/citizens lists at least 50 fake citizens with an opaque sub."""
    items = client.get("/mock-vneid/citizens").get_json()["items"]
    assert len(items) >= 50
    for item in items:
        assert {"sub", "name", "vneid_level", "personal_id"} <= item.keys()
        assert item["sub"] != item["personal_id"]
        assert item["personal_id"] not in item["sub"]
        assert len(item["personal_id"]) == 12 and item["personal_id"].isdigit()
        assert item["vneid_level"] in (1, 2)
    assert len({item["sub"] for item in items}) == len(items)


def test_login_hint_approves_at_once(app, client, citizens):
    """A known login_hint answers with the redirect that carries the code and the state."""
    verifier, challenge = pkce_pair()
    params = authorize_params(app, citizens[0].sub, challenge)
    response = client.get("/mock-vneid/authorize", query_string=params)
    assert response.status_code == 302
    assert response.location.startswith(CALLBACK + "?")
    query = query_of(response.location)
    assert query["code"]
    assert query["state"] == params["state"]


def test_code_exchange_and_jwks_verify_the_id_token(app, client, citizens):
    """The ID token verifies with the published JWKS and carries the citizen's claims."""
    citizen = citizens[0]
    code, verifier, nonce = get_code(client, app, citizen.sub)
    response = exchange(client, app, code, verifier)
    assert response.status_code == 200, response.get_json()
    tokens = response.get_json()
    assert tokens["token_type"].lower() == "bearer"
    keys = KeySet.import_key_set(client.get("/mock-vneid/jwks").get_json())
    claims = jwt.decode(tokens["id_token"], keys).claims
    assert claims["iss"] == ISSUER
    assert app.config["VNEID_CLIENT_ID"] in claims["aud"]
    assert claims["sub"] == citizen.sub
    assert claims["nonce"] == nonce
    assert claims["personal_id"] == citizen.personal_id
    assert claims["vneid_level"] == citizen.vneid_level
    assert claims["acr"] == f"urn:vneid:loa:{citizen.vneid_level}"
    assert claims["exp"] > claims["iat"]


def test_userinfo_with_the_access_token(app, client, citizens):
    """/userinfo answers the citizen's claims for the access token, and 401 otherwise."""
    citizen = citizens[2]
    code, verifier, _ = get_code(client, app, citizen.sub)
    tokens = exchange(client, app, code, verifier).get_json()
    info = client.get(
        "/mock-vneid/userinfo", headers={"Authorization": f"Bearer {tokens['access_token']}"}
    )
    assert info.status_code == 200
    body = info.get_json()
    assert body["sub"] == citizen.sub
    assert body["name"] == citizen.name
    assert body["phone_number"] == citizen.phone_number
    assert client.get("/mock-vneid/userinfo").status_code == 401
    # The ID token is not an access token.
    as_id = {"Authorization": f"Bearer {tokens['id_token']}"}
    assert client.get("/mock-vneid/userinfo", headers=as_id).status_code == 401


def test_replayed_code_refused(app, client, citizens):
    """A code works once; the second exchange is refused."""
    code, verifier, _ = get_code(client, app, citizens[0].sub)
    assert exchange(client, app, code, verifier).status_code == 200
    replay = exchange(client, app, code, verifier)
    assert replay.status_code == 400
    assert replay.get_json()["error"] == "invalid_grant"
    assert "id_token" not in replay.get_json()


def test_missing_pkce_verifier_refused(app, client, citizens):
    """An exchange without the PKCE verifier is refused (and the code stays unused)."""
    code, verifier, _ = get_code(client, app, citizens[0].sub)
    refused = exchange(client, app, code, None)
    assert refused.status_code == 400
    assert "id_token" not in refused.get_json()
    assert exchange(client, app, code, verifier).status_code == 200


def test_wrong_pkce_verifier_refused(app, client, citizens):
    """An exchange with another verifier is refused."""
    code, verifier, _ = get_code(client, app, citizens[0].sub)
    other, _ = pkce_pair()
    refused = exchange(client, app, code, other)
    assert refused.status_code == 400
    assert refused.get_json()["error"] == "invalid_grant"
    assert exchange(client, app, code, verifier).status_code == 200


def test_wrong_client_secret_refused(app, client, citizens):
    """The token endpoint authenticates the client."""
    code, verifier, _ = get_code(client, app, citizens[0].sub)
    response = client.post(
        "/mock-vneid/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": CALLBACK,
            "code_verifier": verifier,
        },
        headers={"Authorization": "Basic cGh1b25nLXhhLXNvOndyb25n"},  # phuong-xa-so:wrong
    )
    assert response.status_code in (400, 401)
    assert response.get_json()["error"] == "invalid_client"


@pytest.mark.parametrize(
    "overrides",
    [
        {"code_challenge_method": "plain"},
        {"code_challenge_method": None},
        {"code_challenge": None, "code_challenge_method": None},
    ],
    ids=["plain", "no-method", "no-challenge"],
)
def test_authorize_requires_pkce_s256(app, client, citizens, overrides):
    """`plain` PKCE, or none at all, is refused by /authorize with no code issued."""
    verifier, challenge = pkce_pair()
    if overrides.get("code_challenge_method", "") == "plain":
        overrides = {**overrides, "code_challenge": verifier}
    params = authorize_params(app, citizens[0].sub, challenge, **overrides)
    response = client.get("/mock-vneid/authorize", query_string=params)
    assert response.status_code == 400
    assert "code=" not in response.headers.get("Location", "")
    assert response.get_json()["error"]["code"] == "invalid_authorization_request"


@pytest.mark.parametrize(
    "redirect_uri",
    [
        "https://evil.example/auth/callback",
        "http://localhost/auth/callback/../evil",
        "http://localhost/auth/callback?x=1",
        "http://localhost/auth/callbackx",
    ],
)
def test_redirect_uri_mismatch_refused_without_redirect(app, client, citizens, redirect_uri):
    """An unregistered redirect URI is refused here, never redirected to."""
    _, challenge = pkce_pair()
    params = authorize_params(app, citizens[0].sub, challenge, redirect_uri=redirect_uri)
    response = client.get("/mock-vneid/authorize", query_string=params)
    assert response.status_code == 400
    assert "Location" not in response.headers
    assert response.get_json()["error"]["code"] == "invalid_authorization_request"


def test_unknown_client_refused_without_redirect(app, client, citizens):
    """An unknown client id is refused here, never redirected to."""
    _, challenge = pkce_pair()
    params = authorize_params(app, citizens[0].sub, challenge, client_id="someone-else")
    response = client.get("/mock-vneid/authorize", query_string=params)
    assert response.status_code == 400
    assert "Location" not in response.headers


def test_token_redirect_uri_must_match_the_code(app, client, citizens):
    """The token request's redirect URI must be the one the code was issued for."""
    code, verifier, _ = get_code(client, app, citizens[0].sub)
    refused = exchange(client, app, code, verifier, redirect_uri="https://evil.example/cb")
    assert refused.status_code == 400
    assert "id_token" not in refused.get_json()


def test_nonce_is_required(app, client, citizens):
    """An OpenID request without a nonce is refused."""
    _, challenge = pkce_pair()
    params = authorize_params(app, citizens[0].sub, challenge, nonce=None)
    response = client.get("/mock-vneid/authorize", query_string=params)
    assert response.status_code == 400
    assert "Location" not in response.headers


def test_two_workers_share_the_signing_key(extra_app, tmp_path, citizens):
    """Two apps on one instance directory sign and verify with the same key."""
    first = extra_app(str(tmp_path))
    second = extra_app(str(tmp_path))
    one, two = first.test_client(), second.test_client()
    code, verifier, _ = get_code(one, first, citizens[0].sub)
    tokens = exchange(one, first, code, verifier).get_json()
    keys = KeySet.import_key_set(two.get("/mock-vneid/jwks").get_json())
    assert jwt.decode(tokens["id_token"], keys).claims["sub"] == citizens[0].sub


def test_racing_workers_create_one_signing_key(tmp_path):
    """Workers that create the key at the same moment all end up with the same key."""
    barrier = threading.Barrier(6)
    kids = []

    def load():
        barrier.wait()
        kids.append(load_signing_key(str(tmp_path)).thumbprint())

    threads = [threading.Thread(target=load) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(kids) == 6
    assert len(set(kids)) == 1


PRODUCTION_ENV = {
    "APP_ENV": "production",
    "SECRET_KEY": "production-secret-" + "y" * 32,
    "VNEID_ISSUER": "https://vneid.example.gov.vn",
    "VNEID_CLIENT_ID": "phuong-xa-so",
    "VNEID_CLIENT_SECRET": "client-secret-" + "z" * 20,
    "PERSONAL_ID_KEY": "personal-id-key-" + "k" * 32,
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}


def _production(monkeypatch, **changes):
    for name, value in {**PRODUCTION_ENV, **changes}.items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)


def test_production_never_mounts_the_mock(monkeypatch, extra_app, tmp_path):
    """In production every /mock-vneid/ path answers 404."""
    _production(monkeypatch)
    app = extra_app(str(tmp_path))
    client = app.test_client()
    for path in (
        "/mock-vneid/.well-known/openid-configuration",
        "/mock-vneid/citizens",
        "/mock-vneid/authorize?login_hint=x",
        "/mock-vneid/jwks",
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.get_json()["error"]["code"] == "not_found"
    assert client.post("/mock-vneid/token").status_code == 404
    assert not (tmp_path / "mock_vneid_signing_key.json").exists()


def test_production_requires_secret_key(monkeypatch, database_url, tmp_path):
    """Production refuses to start without SECRET_KEY."""
    _production(monkeypatch, SECRET_KEY=None)
    with pytest.raises(ConfigError):
        make_app(database_url, str(tmp_path))


@pytest.mark.parametrize("missing", ["VNEID_ISSUER", "VNEID_CLIENT_ID", "VNEID_CLIENT_SECRET"])
def test_production_requires_vneid_settings(monkeypatch, database_url, tmp_path, missing):
    """Production refuses to start without the VNeID issuer and client credentials."""
    _production(monkeypatch, **{missing: None})
    with pytest.raises(ConfigError):
        make_app(database_url, str(tmp_path))


def test_configured_issuer_is_used_as_is(extra_app, tmp_path):
    """VNEID_ISSUER (trailing slash or not) is the issuer, and endpoints hang off it."""
    app = extra_app(str(tmp_path), VNEID_ISSUER="http://localhost/mock-vneid/")
    meta = app.test_client().get("/mock-vneid/.well-known/openid-configuration").get_json()
    assert meta["issuer"] == ISSUER
    assert meta["token_endpoint"] == f"{ISSUER}/token"


def test_expired_codes_are_forgotten_at_the_next_sign_in(app, client, citizens):
    """Each new code purges the expired ones; unexpired codes (used or not) stay."""
    from datetime import timedelta

    import sqlalchemy as sa

    from app.database import utcnow
    from app.extensions import db
    from app.mock_vneid.models import MockAuthorizationCode
    from tests.conftest import login_as

    def row(code: str, expires_in: timedelta) -> MockAuthorizationCode:
        return MockAuthorizationCode(
            code=code,
            client_id="phuong-xa-so",
            redirect_uri=CALLBACK,
            scope="openid",
            citizen_sub=citizens[0].sub,
            auth_time=0,
            expires_at=utcnow() + expires_in,
        )

    with app.app_context():
        db.session.add_all(
            [row("old-code", timedelta(minutes=-5)), row("fresh-code", timedelta(minutes=1))]
        )
        db.session.commit()
    login_as(client, citizens[1].sub)
    with app.app_context():
        left = set(db.session.scalars(sa.select(MockAuthorizationCode.code)))
    assert "old-code" not in left
    assert "fresh-code" in left
    assert len(left) == 2  # the fresh one and the code of this sign-in (used, not expired)
