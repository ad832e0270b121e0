"""The service as OpenID Connect relying party: what must refuse a sign-in, and what must work."""

import ipaddress
import re
import threading
import time
import uuid

import pytest
from joserfc.jwk import RSAKey

from app.mock_vneid import server as mock_server
from app.mock_vneid import views as mock_views
from app.mock_vneid.models import MockAuthorizationCode
from tests.app.identity.flow import callback_url, with_query
from tests.conftest import csrf_headers


def _me_status(client) -> int:
    return client.get("/api/v1/me").status_code


def _assert_refused(client, response) -> None:
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "sign_in_failed"
    assert _me_status(client) == 401


def test_sign_in_by_login_hint_lands_on_next(client, citizens):
    """login_hint approves at once; the callback signs the citizen in and goes to `next`."""
    citizen = citizens[0]
    response = client.get(
        f"/auth/login?login_hint={citizen.sub}&next=/api/v1/me", follow_redirects=True
    )
    assert response.status_code == 200
    assert response.request.path == "/api/v1/me"
    me = response.get_json()
    assert me["name"] == citizen.name
    assert me["vneid_level"] == citizen.vneid_level


def test_login_uses_pkce_s256_state_and_nonce(client, citizens):
    """The authorization request carries an S256 challenge, a state and a nonce."""
    login = client.get(f"/auth/login?login_hint={citizens[0].sub}")
    assert login.status_code == 302
    assert login.location.startswith("http://localhost/mock-vneid/authorize?")
    from tests.app.identity.flow import query_of

    query = query_of(login.location)
    assert query["code_challenge_method"] == "S256"
    assert len(query["code_challenge"]) >= 43
    assert query["state"] and query["nonce"]
    assert query["redirect_uri"] == "http://localhost/auth/callback"


def test_wrong_state_signs_nobody_in(client, citizens):
    """A callback whose state is not the one this browser started with is refused."""
    url = callback_url(client, citizens[0].sub)
    _assert_refused(client, client.get(with_query(url, state="forged-state")))


def test_missing_state_signs_nobody_in(client, citizens):
    """A callback without state is refused."""
    url = callback_url(client, citizens[0].sub)
    _assert_refused(client, client.get(with_query(url, state=None)))


def test_callback_from_another_browser_signs_nobody_in(app, client, citizens):
    """A code and state obtained by someone else's browser do not sign this browser in."""
    attacker = app.test_client()
    url = callback_url(attacker, citizens[0].sub)
    _assert_refused(client, client.get(url))


def test_callback_with_provider_error_signs_nobody_in(client, citizens):
    """An error answer from the provider is shown as a refused sign-in."""
    callback_url(client, citizens[0].sub)
    response = client.get("/auth/callback?error=access_denied&state=x")
    _assert_refused(client, response)


def test_callback_used_twice_signs_in_once(client, citizens):
    """Replaying the callback URL after a sign-in (state consumed) is refused."""
    url = callback_url(client, citizens[0].sub)
    assert client.get(url).status_code == 302
    client.post("/auth/logout", headers=csrf_headers(client))
    assert _me_status(client) == 401
    _assert_refused(client, client.get(url))


def test_wrong_nonce_refused(client, citizens, monkeypatch):
    """An ID token that echoes another nonce is refused."""
    monkeypatch.setattr(MockAuthorizationCode, "get_nonce", lambda self: "another-nonce")
    url = callback_url(client, citizens[0].sub)
    _assert_refused(client, client.get(url))


def test_expired_id_token_refused(client, citizens, monkeypatch):
    """An ID token that expired (beyond the clock leeway) is refused."""

    def expired(self, client_):
        now = int(time.time())
        return {
            "iss": mock_server.issuer(),
            "aud": [client_.get_client_id()],
            "iat": now - 7200,
            "exp": now - 3600,
        }

    monkeypatch.setattr(mock_server.MockOpenIDCode, "get_client_claims", expired)
    url = callback_url(client, citizens[0].sub)
    _assert_refused(client, client.get(url))


def test_id_token_signed_by_another_key_refused(client, citizens, monkeypatch):
    """An ID token signed by a key that is not in the provider's JWKS is refused."""
    foreign = RSAKey.generate_key(2048, private=True)
    monkeypatch.setattr(
        mock_server.MockOpenIDCode, "resolve_client_private_key", lambda self, c: foreign
    )
    url = callback_url(client, citizens[0].sub)
    _assert_refused(client, client.get(url))


def test_id_token_from_another_issuer_refused(client, citizens, monkeypatch):
    """An ID token whose issuer is not the configured one is refused."""
    real = mock_server.MockOpenIDCode.get_client_claims

    def other_issuer(self, client_):
        return {**real(self, client_), "iss": "https://evil.example/vneid"}

    monkeypatch.setattr(mock_server.MockOpenIDCode, "get_client_claims", other_issuer)
    url = callback_url(client, citizens[0].sub)
    _assert_refused(client, client.get(url))


def test_id_token_for_another_audience_refused(client, citizens, monkeypatch):
    """An ID token issued to another client is refused."""
    real = mock_server.MockOpenIDCode.get_client_claims

    def other_audience(self, client_):
        return {**real(self, client_), "aud": ["another-client"]}

    monkeypatch.setattr(mock_server.MockOpenIDCode, "get_client_claims", other_audience)
    url = callback_url(client, citizens[0].sub)
    _assert_refused(client, client.get(url))


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "https://evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "http:evil.example",
        "/\tevil",
        "javascript:alert(1)",
    ],
)
def test_next_never_leaves_the_site(client, citizens, target):
    """`next` pointing elsewhere lands on a local path instead."""
    url = callback_url(client, citizens[0].sub, next_path=target)
    response = client.get(url)
    assert response.status_code == 302
    assert response.location == "/"
    assert _me_status(client) == 200


def test_next_keeps_a_local_path(client, citizens):
    """A local `next` with its query is kept."""
    url = callback_url(client, citizens[0].sub, next_path="/api/v1/wards?q=hoan")
    assert client.get(url).location == "/api/v1/wards?q=hoan"


def test_authorize_page_lists_citizens_in_vietnamese(client, citizens):
    """Without login_hint the provider shows a Vietnamese page to pick a citizen."""
    page = client.get(client.get("/auth/login").location)
    assert page.status_code == 200
    assert page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    assert 'lang="vi"' in html
    assert "Chọn công dân để đăng nhập" in html
    for citizen in citizens[:5]:
        assert citizen.name in html
        assert citizen.personal_id not in html


def _pick(client, sub: str | None, *, with_token: bool = True):
    authorize = client.get("/auth/login?next=/api/v1/me").location
    html = client.get(authorize).get_data(as_text=True)
    token = re.search(r'name="mock_csrf" value="([^"]+)"', html).group(1)
    form = {"citizen": sub} if sub else {}
    if with_token:
        form["mock_csrf"] = token
    return client.post(authorize, data=form)


def test_authorize_page_post_signs_in_chosen_citizen(client, citizens):
    """Choosing a citizen on the page signs that citizen in."""
    citizen = citizens[3]
    chosen = _pick(client, citizen.sub)
    assert chosen.status_code == 302
    final = client.get(chosen.location, follow_redirects=True)
    assert final.status_code == 200
    assert final.get_json()["name"] == citizen.name


def test_authorize_page_refuses_forged_post(client, citizens):
    """A POST to the consent form without its anti-forgery token issues no code."""
    response = _pick(client, citizens[3].sub, with_token=False)
    assert response.status_code == 400
    assert "Location" not in response.headers
    assert "mock_csrf" in response.get_data(as_text=True)


def test_authorize_page_unknown_citizen(client):
    """Choosing nobody (or an unknown citizen) shows the page again with an error."""
    response = _pick(client, "vn-nobody")
    assert response.status_code == 400
    assert "Không tìm thấy công dân." in response.get_data(as_text=True)


def test_logout_ends_the_session(client, sign_in, citizens):
    """POST /auth/logout (with the CSRF token) signs the browser out."""
    sign_in(citizens[0].sub)
    assert client.post("/auth/logout").status_code == 403
    assert client.post("/auth/logout", headers=csrf_headers(client)).status_code == 204
    assert _me_status(client) == 401


def test_sign_in_while_another_callback_is_in_flight(app, citizens, monkeypatch):
    """A second sign-in completes while the first callback is between exchange and sign-in.

    Regression guard for the in-process back channel: if the callback touched the database
    before the token exchange it would hold SQLite's write lock, and neither its own token
    request nor a concurrent sign-in could write. The sign-ins come in on an address of their
    own (a loopback one: Authlib allows plain http there): a new issuer, whose client has not
    fetched, and cached, the provider's keys yet.
    """
    host = f"http://{ipaddress.IPv4Address(0x7F000000 | uuid.uuid4().int % 0xFFFFFE + 1)}"
    first_in_jwks = threading.Event()
    second_done = threading.Event()
    calls = []
    real_jwks = mock_views.public_jwks

    def slow_first_jwks(key):
        calls.append(threading.current_thread().name)
        if len(calls) == 1:
            first_in_jwks.set()
            # Generous limit: only reached when the bug makes the second sign-in hang.
            second_done.wait(60)
        return real_jwks(key)

    monkeypatch.setattr(mock_views, "public_jwks", slow_first_jwks)
    results = {}

    def sign_in(name, sub):
        try:
            client = app.test_client()
            response = client.get(
                f"/auth/login?login_hint={sub}&next=/api/v1/me",
                base_url=host,
                follow_redirects=True,
            )
            results[name] = (response.status_code, (response.get_json() or {}).get("name"))
        except Exception as exc:  # reported by the assertions below
            results[name] = (repr(exc), None)
        finally:
            if name == "second":
                second_done.set()

    first = threading.Thread(target=sign_in, args=("first", citizens[0].sub), name="first")
    second = threading.Thread(target=sign_in, args=("second", citizens[1].sub), name="second")
    first.start()
    assert first_in_jwks.wait(60), results
    second.start()
    second.join(60)
    first.join(60)
    assert results["second"] == (200, citizens[1].name)
    assert results["first"] == (200, citizens[0].name)
    assert calls[0] == "first"


def test_many_unfinished_sign_ins_keep_the_cookie_small(client, citizens):
    """Starting sign-in over and over keeps the session cookie usable, and the newest works.

    Each start keeps its state, nonce and PKCE verifier in the cookie; without a cap the
    cookie passes 4 KB and browsers drop it (the test would fail with werkzeug's warning).
    """
    for _ in range(40):
        assert client.get("/auth/login").status_code == 302
    cookie = client.get_cookie("pxs_session")
    assert cookie is not None and len(cookie.value) < 3000
    older = callback_url(client, citizens[1].sub)
    callback_url(client, citizens[0].sub)
    # The sign-in started a moment earlier (another tab) is still pending, not lost.
    response = client.get(older, follow_redirects=True)
    assert response.status_code == 200
    assert response.get_json()["name"] == citizens[1].name
