"""Every response carries nosniff, a Referrer-Policy, a Content-Security-Policy and no framing;
pages say which device features they use; HSTS in production; personal answers are not cached."""

import os
import re

import pytest

from app.extensions import db
from app.security_headers import (
    DOCS_POLICY,
    HSTS,
    HTML_POLICY,
    NOTHING_POLICY,
    PERMISSIONS_NONE,
    REFERRER_POLICY,
)
from tests.conftest import make_app

# A value for each kind of route parameter: real where one is handy, else a 404 (whose answer
# must carry the headers too).
_PARAMETER_VALUES = {"ward": "00070", "dept": "so-xay-dung", "path": "x", "int": "1"}


def assert_contract_headers(headers):
    """The three headers of the contract, and no framing."""
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == REFERRER_POLICY
    policy = headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy
    assert headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize(
    "path, policy",
    [
        ("/api/v1/wards?limit=1", NOTHING_POLICY),
        ("/api/v1/wards/khong-co-phuong-nay", NOTHING_POLICY),  # an error answer too
        ("/api/openapi.json", NOTHING_POLICY),
        ("/healthz", NOTHING_POLICY),
        ("/api/docs", DOCS_POLICY),
        ("/mock-vneid/authorize", HTML_POLICY),  # the mock's own page (an error page here)
        ("/w/khong-co-phuong-nay", HTML_POLICY),
    ],
)
def test_every_answer_carries_the_headers(client, path, policy):
    with client.get(path, headers={"Accept": "text/html,*/*;q=0.8"}) as response:
        headers = response.headers

    assert_contract_headers(headers)
    assert headers["Content-Security-Policy"] == policy
    if headers["Content-Type"].startswith("text/html"):
        assert headers["Permissions-Policy"] == PERMISSIONS_NONE
    assert "Strict-Transport-Security" not in headers  # only when HSTS_ENABLED


def _example_path(rule) -> str:
    """Fill a URL rule's parameters with example values."""

    def value(match: re.Match) -> str:
        converter, name = match.group(1), match.group(2)
        return _PARAMETER_VALUES.get(name) or _PARAMETER_VALUES.get(converter or "", "x")

    return re.sub(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>", value, rule.rule)


def test_every_get_route_answers_with_the_contract_headers(app, client):
    """Walk every GET route of the URL map, anonymously: whatever the answer, the headers."""
    rules = [rule for rule in app.url_map.iter_rules() if "GET" in rule.methods]
    assert len(rules) > 80  # the whole API and the pages, not a handful
    for rule in rules:
        path = _example_path(rule)
        with client.get(path, headers={"Accept": "text/html,*/*;q=0.8"}) as response:
            try:
                assert_contract_headers(response.headers)
            except (AssertionError, KeyError) as exc:
                raise AssertionError(f"{rule.rule} ({path}): {exc!r}") from exc


@pytest.mark.parametrize(
    "path, camera, geolocation",
    [
        ("/", "camera=()", "geolocation=()"),
        ("/w/00070", "camera=()", "geolocation=(self)"),  # the report form's location
        ("/w/00070/staff", "camera=(self)", "geolocation=()"),  # the booking QR scanner
        ("/city", "camera=()", "geolocation=()"),
    ],
)
def test_pages_keep_their_own_policy_and_say_which_features_they_use(
    client, path, camera, geolocation
):
    """The web front's pages: their own policy (scripts from the same origin), no framing, and
    a device feature only on the page that uses it."""
    with client.get(path) as response:
        headers = response.headers

    assert response.status_code == 200
    assert headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert "script-src 'none'" not in headers["Content-Security-Policy"]
    assert_contract_headers(headers)
    features = headers["Permissions-Policy"].split(", ")
    assert camera in features and geolocation in features
    assert "microphone=()" in features and "payment=()" in features


@pytest.fixture
def production_like(database_url):
    """An app with HSTS on, as in production."""
    made = make_app(database_url, os.environ["PXS_TEST_INSTANCE"], HSTS_ENABLED=True)
    yield made
    with made.app_context():
        db.engine.dispose()


@pytest.mark.parametrize("path", ["/api/v1/wards?limit=1", "/w/00070", "/api/docs", "/nowhere"])
def test_hsts_on_every_answer_in_production(production_like, path):
    with production_like.test_client().get(path) as response:
        assert response.headers["Strict-Transport-Security"] == HSTS


def test_hsts_on_the_request_limit_answers_too(production_like):
    response = production_like.test_client().get("/healthz?x=" + "a" * 5000)
    assert response.status_code == 414
    assert response.headers["Strict-Transport-Security"] == HSTS


def test_personal_answers_are_never_stored(client, sign_in, citizens):
    """/api/v1/me and everything under it: no-store, signed in or not."""
    assert client.get("/api/v1/me").headers["Cache-Control"] == "no-store"  # 401
    sign_in(citizens[0].sub)
    for path in ("/api/v1/me", "/api/v1/me/data", "/api/v1/me/communities", "/api/v1/me/feed"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == "no-store", path


def test_answers_to_requests_with_credentials_are_not_stored(client, sign_in, citizens):
    """A public read is cacheable for everyone, but not when it came with a cookie or token."""
    anonymous = client.get("/api/v1/wards?limit=1")
    assert "no-store" not in anonymous.headers.get("Cache-Control", "")
    bearer = client.get("/api/v1/wards?limit=1", headers={"Authorization": "Bearer nope"})
    assert bearer.headers["Cache-Control"] == "no-store"
    sign_in(citizens[0].sub)
    with_cookie = client.get("/api/v1/wards?limit=1")
    assert with_cookie.headers["Cache-Control"] == "no-store"


def test_a_view_that_chose_its_cache_policy_keeps_it(client):
    """The vocabulary is public and cacheable; a cookie does not change what its view chose."""
    client.set_cookie("pxs_session", "anything")
    response = client.get("/api/v1/vocabulary")
    assert response.status_code == 200
    assert "public" in response.headers["Cache-Control"]
