"""Steps of the OpenID Connect code flow taken one at a time, for tests that tamper with one."""

import base64
import hashlib
import secrets
from urllib.parse import parse_qs, urlencode, urlsplit

CALLBACK = "http://localhost/auth/callback"
ISSUER = "http://localhost/mock-vneid"
SCOPE = "openid profile phone vneid"


def pkce_pair() -> tuple[str, str]:
    """Return a PKCE code verifier and its S256 challenge."""
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def authorize_params(app, sub: str | None, challenge: str, **overrides) -> dict:
    """Return the query of a valid authorization request (login_hint = sub)."""
    params = {
        "response_type": "code",
        "client_id": app.config["VNEID_CLIENT_ID"],
        "redirect_uri": CALLBACK,
        "scope": SCOPE,
        "state": secrets.token_urlsafe(12),
        "nonce": secrets.token_urlsafe(12),
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    if sub:
        params["login_hint"] = sub
    params.update(overrides)
    return {k: v for k, v in params.items() if v is not None}


def query_of(location: str) -> dict:
    """Return the query parameters of a redirect's Location, one value each."""
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def get_code(client, app, sub: str) -> tuple[str, str, str]:
    """Ask the mock provider for a code for `sub`; return (code, verifier, nonce)."""
    verifier, challenge = pkce_pair()
    params = authorize_params(app, sub, challenge)
    response = client.get("/mock-vneid/authorize", query_string=params)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert response.location.startswith(CALLBACK)
    return query_of(response.location)["code"], verifier, params["nonce"]


def basic_auth(app) -> dict:
    """Return the relying party's client_secret_basic header."""
    raw = f"{app.config['VNEID_CLIENT_ID']}:{app.config['VNEID_CLIENT_SECRET']}"
    return {"Authorization": "Basic " + base64.b64encode(raw.encode()).decode()}


def exchange(client, app, code: str, verifier: str | None, redirect_uri: str = CALLBACK):
    """POST the code (and the PKCE verifier, if any) to the mock's token endpoint."""
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri}
    if verifier is not None:
        data["code_verifier"] = verifier
    return client.post("/mock-vneid/token", data=data, headers=basic_auth(app))


def callback_url(client, sub: str, next_path: str = "/api/v1/me") -> str:
    """Start a sign-in at the relying party; return the callback URL the provider sends back."""
    login = client.get("/auth/login", query_string={"login_hint": sub, "next": next_path})
    assert login.status_code == 302, login.get_data(as_text=True)
    approved = client.get(login.location)
    assert approved.status_code == 302, approved.get_data(as_text=True)
    assert approved.location.startswith(CALLBACK)
    return approved.location


def with_query(url: str, **changes) -> str:
    """Return `url` with some query parameters replaced (None removes one)."""
    parts = urlsplit(url)
    query = query_of(url)
    for key, value in changes.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = value
    return parts._replace(query=urlencode(query)).geturl()
