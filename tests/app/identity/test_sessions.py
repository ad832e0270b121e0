"""Browser sessions are rows: sign-out, sign-out everywhere, erasure and an admin's revoke end
them; absolute and idle limits; reading never writes."""

import time
from datetime import timedelta

import sqlalchemy as sa

from app.database import utcnow
from app.extensions import db
from app.identity import auth, service
from app.identity.models import SERVICE_ACCOUNT_ISSUER, User, UserSession
from tests.conftest import csrf_headers, grant, login_as

COOKIE = "pxs_session"


def _copy_cookie(app, client):
    """Return a new test client holding a copy of `client`'s session cookie (a stolen cookie)."""
    copy = app.test_client()
    copy.set_cookie(COOKIE, client.get_cookie(COOKIE).value)
    return copy


def _sessions_of(app, user_id: int) -> list:
    """Return the session rows of an account (plain rows: secret_hash, created_at, expires_at)."""
    with app.app_context():
        table = UserSession.__table__
        rows = db.session.execute(
            sa.select(table.c.secret_hash, table.c.created_at, table.c.expires_at).where(
                table.c.user_id == user_id
            )
        ).all()
        db.session.rollback()
    return rows


def test_a_copied_cookie_stops_working_at_logout(app, client, sign_in, citizens):
    """The finding: copy the cookie, log out, the copy can neither read /me nor mint a token."""
    sign_in(citizens[0].sub)
    copy = _copy_cookie(app, client)
    copied_csrf = csrf_headers(copy)  # the copy works before the sign-out
    assert copy.get("/api/v1/me").status_code == 200

    assert client.post("/auth/logout", headers=csrf_headers(client)).status_code == 204

    me = copy.get("/api/v1/me")
    assert me.status_code == 401
    assert me.get_json()["error"]["code"] == "unauthorized"
    minted = copy.post("/api/v1/auth/tokens", headers=copied_csrf)
    assert minted.status_code == 401
    assert client.get("/api/v1/me").status_code == 401


def test_tokens_minted_with_a_session_end_with_it(app, client, sign_in, citizens):
    """A token minted with a (copied) cookie, and one minted with that token, die at sign-out.

    Otherwise the copied cookie's holder keeps an hour of access after the victim signs out.
    """
    sign_in(citizens[0].sub)
    copy = _copy_cookie(app, client)
    minted = copy.post("/api/v1/auth/tokens", headers=csrf_headers(copy))
    assert minted.status_code == 201
    first = {"Authorization": f"Bearer {minted.get_json()['access_token']}"}
    again = app.test_client().post("/api/v1/auth/tokens", headers=first)
    assert again.status_code == 201
    second = {"Authorization": f"Bearer {again.get_json()['access_token']}"}
    reader = app.test_client()
    assert reader.get("/api/v1/me", headers=second).status_code == 200

    assert client.post("/auth/logout", headers=csrf_headers(client)).status_code == 204

    assert reader.get("/api/v1/me", headers=first).status_code == 401
    assert reader.get("/api/v1/me", headers=second).status_code == 401


def test_a_token_minted_with_a_session_ends_no_later_than_it(app, client, sign_in, citizens):
    """A token never outlives the absolute end of the session it was minted with."""
    me = sign_in(citizens[0].sub)
    with app.app_context():
        db.session.execute(
            sa.update(UserSession)
            .where(UserSession.user_id == me["id"])
            .values(expires_at=utcnow() + timedelta(minutes=10))
        )
        db.session.commit()
    minted = client.post("/api/v1/auth/tokens", headers=csrf_headers(client))
    assert minted.status_code == 201
    assert minted.get_json()["expires_in"] <= 600


def test_logout_deletes_the_row_and_the_row_holds_only_a_hash(app, client, sign_in, citizens):
    """The cookie's secret is not in the database, only its SHA-256; logout deletes the row."""
    me = sign_in(citizens[0].sub)
    with client.session_transaction() as cookie:
        secret = cookie["sid"]
    (row,) = _sessions_of(app, me["id"])
    assert row.secret_hash == service.token_hash(secret) != secret
    lifetime = timedelta(seconds=app.config["PERMANENT_SESSION_LIFETIME"])
    assert row.expires_at - row.created_at == lifetime

    client.post("/auth/logout", headers=csrf_headers(client))
    assert _sessions_of(app, me["id"]) == []


def test_signing_in_again_replaces_the_browsers_session(app, client, sign_in, citizens):
    """A browser holds one session: signing in again (or as someone else) ends the old one."""
    first = sign_in(citizens[0].sub)
    old = _copy_cookie(app, client)
    second = sign_in(citizens[1].sub)
    assert old.get("/api/v1/me").status_code == 401
    assert _sessions_of(app, first["id"]) == []
    assert len(_sessions_of(app, second["id"])) == 1


def test_sign_out_everywhere_ends_every_session_and_token(app, client, sign_in, citizens):
    """DELETE /api/v1/me/sessions: the phone, the laptop and the personal tokens all stop;
    someone else's session does not."""
    me = sign_in(citizens[0].sub)
    laptop = app.test_client()
    login_as(laptop, citizens[0].sub)
    token = client.post("/api/v1/auth/tokens", headers=csrf_headers(client)).get_json()
    neighbour = app.test_client()
    login_as(neighbour, citizens[1].sub)

    response = client.delete("/api/v1/me/sessions", headers=csrf_headers(client))
    assert response.status_code == 204

    assert client.get("/api/v1/me").status_code == 401
    assert laptop.get("/api/v1/me").status_code == 401
    bearer = {"Authorization": "Bearer " + token["access_token"]}
    assert app.test_client().get("/api/v1/me", headers=bearer).status_code == 401
    assert _sessions_of(app, me["id"]) == []
    assert neighbour.get("/api/v1/me").status_code == 200


def test_sign_out_everywhere_needs_a_signed_in_caller_and_csrf(app, client, sign_in, citizens):
    assert client.delete("/api/v1/me/sessions").status_code == 401
    sign_in(citizens[0].sub)
    assert client.delete("/api/v1/me/sessions").status_code == 403  # no X-CSRF-Token
    assert client.get("/api/v1/me").status_code == 200


def test_a_city_admin_ends_another_accounts_sessions(app, client, sign_in, citizens):
    """DELETE /api/v1/users/{id}/sessions: city admins only; the account's sessions end."""
    admin, resident = citizens[0], citizens[1]
    victim = app.test_client()
    target = login_as(victim, resident.sub)
    token = victim.post("/api/v1/auth/tokens", headers=csrf_headers(victim)).get_json()

    sign_in(admin.sub)
    path = f"/api/v1/users/{target['id']}/sessions"
    refused = client.delete(path, headers=csrf_headers(client))
    assert refused.status_code == 403
    assert victim.get("/api/v1/me").status_code == 200

    grant(app, admin.sub, "city_admin")
    assert client.delete(path, headers=csrf_headers(client)).status_code == 204
    assert victim.get("/api/v1/me").status_code == 401
    bearer = {"Authorization": "Bearer " + token["access_token"]}
    assert app.test_client().get("/api/v1/me", headers=bearer).status_code == 401
    assert client.get("/api/v1/me").status_code == 200  # the admin's own session stays

    missing = client.delete("/api/v1/users/987654/sessions", headers=csrf_headers(client))
    assert missing.status_code == 404
    assert missing.get_json()["error"]["code"] == "user_not_found"


def test_a_service_account_is_refused_with_a_reason(app, client, sign_in, citizens):
    """An API client's account is ended by revoking the client, not here (409, in Vietnamese)."""
    with app.app_context():
        account = User(issuer=SERVICE_ACCOUNT_ISSUER, sub="client-test")
        db.session.add(account)
        db.session.commit()
        account_id = account.id
    sign_in(citizens[0].sub)
    grant(app, citizens[0].sub, "city_admin")
    response = client.delete(f"/api/v1/users/{account_id}/sessions", headers=csrf_headers(client))
    assert response.status_code == 409
    body = response.get_json()["error"]
    assert body["code"] == "service_account"
    assert "ứng dụng" in body["message"]


def test_erasure_ends_every_session(app, client, sign_in, citizens):
    """Erasing the account from one browser signs the other browsers out too."""
    me = sign_in(citizens[0].sub)
    other = app.test_client()
    login_as(other, citizens[0].sub)
    assert client.delete("/api/v1/me", headers=csrf_headers(client)).status_code == 204
    assert other.get("/api/v1/me").status_code == 401
    assert _sessions_of(app, me["id"]) == []


def test_a_session_past_its_absolute_end_is_refused(app, client, sign_in, citizens):
    """expires_at is absolute: a session still in use ends there."""
    me = sign_in(citizens[0].sub)
    with app.app_context():
        db.session.execute(
            sa.update(UserSession)
            .where(UserSession.user_id == me["id"])
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )
        db.session.commit()
    assert client.get("/api/v1/me").status_code == 401


def _set_seen(client, seconds_ago: int) -> None:
    with client.session_transaction() as cookie:
        cookie["seen"] = int(time.time()) - seconds_ago


def test_an_idle_session_is_refused(app, client, sign_in, citizens):
    """Past SESSION_IDLE_TIMEOUT since the cookie's signed `seen` stamp, the cookie is dead."""
    sign_in(citizens[0].sub)
    _set_seen(client, app.config["SESSION_IDLE_TIMEOUT"] + 5)
    assert client.get("/api/v1/me").status_code == 401


def test_the_cookie_is_refreshed_only_now_and_then(app, client, sign_in, citizens):
    """A recent `seen` stamp is left as it is (no Set-Cookie); an older one is renewed, which
    keeps an active person signed in past the idle limit."""
    sign_in(citizens[0].sub)
    client.get("/api/v1/me")  # the CSRF token is in place: later reads change nothing
    _set_seen(client, 60)
    fresh = client.get("/api/v1/me")
    assert fresh.status_code == 200
    assert "Set-Cookie" not in fresh.headers

    idle = app.config["SESSION_IDLE_TIMEOUT"]
    _set_seen(client, auth.SEEN_REFRESH + 5)
    renewed = client.get("/api/v1/me")
    assert renewed.status_code == 200
    assert COOKIE in renewed.headers.get("Set-Cookie", "")
    with client.session_transaction() as cookie:
        assert cookie["seen"] >= int(time.time()) - 5
    assert idle > auth.SEEN_REFRESH


def test_a_signed_in_read_is_one_caller_query_and_writes_nothing(
    app, client, sign_in, citizens, count_statements
):
    """GET with a session cookie: one statement finds the caller (joined to its session row),
    and no statement writes, also when the `seen` stamp is renewed."""
    sign_in(citizens[0].sub)
    client.get("/api/v1/me")
    _set_seen(client, auth.SEEN_REFRESH + 5)
    response, sent = count_statements(lambda: client.get("/api/v1/me"))
    assert response.status_code == 200
    touching_sessions = [s for s in sent if "user_session" in s]
    assert len(touching_sessions) == 1
    assert touching_sessions[0].lstrip().upper().startswith("SELECT")
    writes = [s for s in sent if s.lstrip().split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}]
    assert writes == []


def test_the_purge_job_deletes_only_ended_sessions(app, client, sign_in, citizens):
    """`jobs once identity.purge-sessions` deletes rows past their end and keeps live ones."""
    live = sign_in(citizens[0].sub)
    old = login_as(app.test_client(), citizens[1].sub)
    with app.app_context():
        db.session.execute(
            sa.update(UserSession)
            .where(UserSession.user_id == old["id"])
            .values(expires_at=utcnow() - timedelta(minutes=1))
        )
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["jobs", "once", "identity.purge-sessions"])
    assert result.exit_code == 0, result.output
    assert "identity.purge-sessions: 1" in result.output
    assert _sessions_of(app, old["id"]) == []
    assert len(_sessions_of(app, live["id"])) == 1
    assert client.get("/api/v1/me").status_code == 200


def test_the_sign_out_command_ends_an_accounts_sessions(app, client, sign_in, citizens):
    """`flask users sign-out USER_ID`: for an operator when a phone is lost."""
    me = sign_in(citizens[0].sub)
    client.post("/api/v1/auth/tokens", headers=csrf_headers(client))
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "sign-out", str(me["id"])])
    assert result.exit_code == 0, result.output
    assert "1 session(s) ended, 1 token(s) revoked" in result.output
    assert client.get("/api/v1/me").status_code == 401

    missing = runner.invoke(args=["users", "sign-out", "987654"])
    assert missing.exit_code != 0
    assert "no account 987654" in missing.output
