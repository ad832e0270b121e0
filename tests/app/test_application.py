"""The Application class and the raw read path: each shortcut keeps what users rely on."""

import os
import threading

import pytest
from limits import parse

from app.application import Application
from app.database import fetch_one_raw
from app.extensions import db
from app.identity.views import SIGN_IN_LIMIT
from app.wards.models import Ward
from tests.conftest import make_app

WARD = "00070"
NAME_SQL = "SELECT name FROM ward WHERE code = {p}"


def test_anonymous_read_sets_no_cookie(client):
    """A public read without a session cookie answers without creating one."""
    response = client.get(f"/api/v1/wards/{WARD}/miniapp")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers


def test_session_is_found_among_other_cookies(client, sign_in, citizens):
    """A signed-in browser that also sends unrelated cookies stays signed in."""
    sign_in(citizens[0].sub)
    client.set_cookie("theme", "dark")
    client.set_cookie("lang", "vi")
    response = client.get("/api/v1/me")
    assert response.status_code == 200
    assert response.get_json()["name"] == citizens[0].name


def test_unrelated_cookies_alone_are_anonymous(client):
    """Cookies other than the session's do not sign anyone in."""
    client.set_cookie("theme", "dark")
    assert client.get("/api/v1/me").status_code == 401


def test_tampered_session_cookie_is_anonymous(client, sign_in, citizens):
    """A session cookie whose signature does not match is ignored (401, not 500)."""
    sign_in(citizens[0].sub)
    cookie = client.get_cookie("pxs_session")
    client.set_cookie("pxs_session", cookie.value[:-4] + "AAAA")
    assert client.get("/api/v1/me").status_code == 401


def test_rate_limit_headers_on_limited_views_only(database_url):
    """A view with a declared limit still reports it; a view without one has no such headers."""
    limited = make_app(database_url, os.environ["PXS_TEST_INSTANCE"], RATELIMIT_ENABLED=True)
    try:
        client = limited.test_client()
        login = client.get("/auth/login")
        amount = parse(SIGN_IN_LIMIT).amount
        assert login.headers["X-RateLimit-Limit"] == str(amount)
        assert int(login.headers["X-RateLimit-Remaining"]) == amount - 1
        public = client.get(f"/api/v1/wards/{WARD}")
        assert public.status_code == 200
        assert "X-RateLimit-Limit" not in public.headers
    finally:
        with limited.app_context():
            db.engine.dispose()


def test_unhashable_callables_are_still_made_sync():
    """ensure_sync remembers answers per function, and still answers for unhashable ones."""

    class Unhashable:
        __hash__ = None

        def __call__(self):
            return "ok"

    application = Application(__name__)
    view = Unhashable()
    assert application.ensure_sync(view) is view

    def plain():
        return "ok"

    assert application.ensure_sync(plain) is plain
    assert application.ensure_sync(plain) is plain


@pytest.mark.parametrize("threads", [1, 3])
def test_raw_reads_see_every_commit_at_once(app, threads):
    """A raw read, in any thread, sees a commit made by another connection right after it."""
    results: list[str] = []

    def read() -> None:
        with app.app_context():
            results.append(fetch_one_raw(NAME_SQL, (WARD,))[0])

    with app.app_context():
        original = db.session.get(Ward, WARD).name
        try:
            for new_name in ("Phường Thử Một", "Phường Thử Hai"):
                db.session.get(Ward, WARD).name = new_name
                db.session.commit()
                results.clear()
                workers = [threading.Thread(target=read) for _ in range(threads)]
                for worker in workers:
                    worker.start()
                for worker in workers:
                    worker.join()
                read()  # this thread too, whose reader has read before
                assert results == [new_name] * (threads + 1)
        finally:
            db.session.get(Ward, WARD).name = original
            db.session.commit()


def test_raw_read_of_a_missing_row_is_none(app):
    """No row: None, not an error."""
    with app.app_context():
        assert fetch_one_raw(NAME_SQL, ("99999",)) is None


def test_rate_limiting_adds_no_request_hooks(database_url):
    """Limits live on their views: turning them on adds no hook run by every other request."""

    def hooks(flask_app) -> list[int]:
        registries = (
            flask_app.before_request_funcs,
            flask_app.after_request_funcs,
            flask_app.teardown_request_funcs,
        )
        return [len(registry.get(None, [])) for registry in registries]

    instance = os.environ["PXS_TEST_INSTANCE"]
    limited = make_app(database_url, instance, RATELIMIT_ENABLED=True)
    unlimited = make_app(database_url, instance, RATELIMIT_ENABLED=False)
    try:
        assert hooks(limited) == hooks(unlimited)
    finally:
        for flask_app in (limited, unlimited):
            with flask_app.app_context():
                db.engine.dispose()


def test_request_scoped_callbacks_run_and_are_not_kept(client, app):
    """An after_this_request callback runs for its request and is not remembered after it."""
    import gc

    from flask import after_this_request

    seen = []

    @app.get("/_probe")
    def probe():
        @after_this_request
        def mark(response):
            seen.append(1)
            return response

        return "ok"

    assert client.get("/_probe").status_code == 200
    assert client.get("/_probe").status_code == 200
    assert seen == [1, 1]
    gc.collect()
    assert len(app._is_sync) < 50  # hooks and views only, not one entry per request
