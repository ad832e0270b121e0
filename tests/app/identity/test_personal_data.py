"""Personal data: the ID number kept only as an HMAC, consent, export and erasure."""

import hashlib

import sqlalchemy as sa

from app.extensions import db
from app.identity import privacy, service
from tests.conftest import csrf_headers, grant, login_as


def _text_values(app) -> list[str]:
    """Return every value of every text column of every table in the database."""
    values = []
    with app.app_context(), db.engine.connect() as conn:
        inspector = sa.inspect(conn)
        for table in inspector.get_table_names():
            for column in inspector.get_columns(table):
                if not isinstance(column["type"], sa.String | sa.Text):
                    continue
                query = sa.select(sa.column(column["name"])).select_from(sa.table(table))
                values.extend(str(v) for v in conn.execute(query).scalars() if v is not None)
    return values


def _user_row(app, sub: str):
    with app.app_context():
        row = db.session.execute(
            sa.text('SELECT name, personal_id_hash, erased_at FROM "user" WHERE sub = :sub'),
            {"sub": sub},
        ).one()
        db.session.rollback()
    return row


def test_personal_id_is_stored_only_as_an_hmac(app, client, sign_in, citizens):
    """After sign-in no text column holds the personal ID number; its keyed hash is there."""
    citizen = citizens[0]
    sign_in(citizen.sub)
    client.post("/api/v1/auth/tokens", headers=csrf_headers(client))
    values = _text_values(app)
    assert values, "the scan found no text at all"
    assert not [v for v in values if citizen.personal_id in v]
    with app.test_request_context():
        expected = service.personal_id_hash(citizen.personal_id)
    assert expected in values
    # Keyed: not a plain hash that anyone could recompute from the number.
    assert hashlib.sha256(citizen.personal_id.encode()).hexdigest() not in values


def test_same_person_same_hash_across_sign_ins(app, client, sign_in, citizens):
    """The HMAC is stable, so it can de-duplicate people and link households."""
    citizen = citizens[0]
    sign_in(citizen.sub)
    first = _user_row(app, citizen.sub).personal_id_hash
    client.post("/auth/logout", headers=csrf_headers(client))
    sign_in(citizen.sub)
    assert _user_row(app, citizen.sub).personal_id_hash == first


def test_consent_is_the_privacy_notice_accepted_once(client, sign_in, citizens):
    """The notice is shown at first sign-in; accepting it records purpose, version and time."""
    me = sign_in(citizens[0].sub)
    assert me["consent_required"] is True
    notice = client.get("/api/v1/privacy-notice").get_json()
    assert notice["title"] and len(notice["sections"]) >= 4
    assert client.get("/api/v1/me/data").get_json()["consents"] == []

    stale = client.post(
        "/api/v1/me/consent", json={"policy_version": "2020-01"}, headers=csrf_headers(client)
    )
    assert stale.status_code == 422
    for _ in range(2):
        accepted = client.post(
            "/api/v1/me/consent",
            json={"policy_version": notice["version"]},
            headers=csrf_headers(client),
        )
        assert accepted.status_code == 204

    consents = client.get("/api/v1/me/data").get_json()["consents"]
    assert len(consents) == 1
    assert consents[0]["purpose"] == privacy.PURPOSE
    assert consents[0]["policy_version"] == notice["version"]
    assert consents[0]["granted_at"]
    assert client.get("/api/v1/me").get_json()["consent_required"] is False
    login_as(client, citizens[0].sub)  # a later sign-in asks nothing again
    assert client.get("/api/v1/me").get_json()["consent_required"] is False


def test_export_holds_everything(app, client, sign_in, citizens):
    """GET /api/v1/me/data exports profile, consents, roles and tokens, not the ID number."""
    citizen = citizens[0]
    grant(app, citizen.sub, "ward_editor", ward="00070")
    me = sign_in(citizen.sub)
    client.post("/api/v1/auth/tokens", headers=csrf_headers(client))
    response = client.get("/api/v1/me/data")
    assert response.status_code == 200
    data = response.get_json()
    assert {"profile", "consents", "roles", "api_tokens"} <= set(data)
    assert data["profile"]["id"] == me["id"]
    assert data["profile"]["name"] == citizen.name
    assert data["profile"]["sub"] == citizen.sub
    assert [(r["role"], r["ward"]) for r in data["roles"]] == [("ward_editor", "00070")]
    assert len(data["api_tokens"]) == 1
    assert data["api_tokens"][0]["revoked"] is False
    assert citizen.personal_id not in response.get_data(as_text=True)
    times = [data["profile"]["created_at"], data["profile"]["last_login_at"]]
    times += [c["granted_at"] for c in data["consents"]] + [r["granted_at"] for r in data["roles"]]
    times += [t[k] for t in data["api_tokens"] for k in ("created_at", "expires_at")]
    assert all(time.endswith("+07:00") for time in times), times


def test_export_needs_sign_in(client):
    """An anonymous export is 401."""
    assert client.get("/api/v1/me/data").status_code == 401


def test_erase_me(app, client, sign_in, citizens):
    """DELETE /api/v1/me erases name and ID hash, revokes tokens and ends the session."""
    citizen = citizens[0]
    grant(app, citizen.sub, "ward_editor", ward="00070")
    sign_in(citizen.sub)
    token = client.post("/api/v1/auth/tokens", headers=csrf_headers(client)).get_json()
    bearer = {"Authorization": f"Bearer {token['access_token']}"}
    other_browser = app.test_client()
    login_as(other_browser, citizen.sub)

    assert client.delete("/api/v1/me").status_code == 403  # CSRF rule
    assert client.delete("/api/v1/me", headers=csrf_headers(client)).status_code == 204

    assert client.get("/api/v1/me").status_code == 401
    assert other_browser.get("/api/v1/me").status_code == 401
    assert app.test_client().get("/api/v1/me", headers=bearer).status_code == 401
    row = _user_row(app, citizen.sub)
    assert row.name is None
    assert row.personal_id_hash is None
    assert row.erased_at is not None
    assert citizen.name not in _text_values(app)

    again = login_as(client, citizen.sub)
    assert again["name"] == citizen.name
    assert again["roles"] == []
    data = client.get("/api/v1/me/data").get_json()
    assert data["consents"] == []  # erased with the rest: the notice is asked again
    assert again["consent_required"] is True
    assert all(t["revoked"] for t in data["api_tokens"])


def test_erase_me_with_a_bearer_token(app, client, sign_in, citizens):
    """An API client can erase its account; its token stops working."""
    sign_in(citizens[0].sub)
    token = client.post("/api/v1/auth/tokens", headers=csrf_headers(client)).get_json()
    bearer = {"Authorization": f"Bearer {token['access_token']}"}
    api = app.test_client()
    assert api.delete("/api/v1/me", headers=bearer).status_code == 204
    assert api.get("/api/v1/me", headers=bearer).status_code == 401
    assert client.get("/api/v1/me").status_code == 401


def test_the_last_city_admin_cannot_erase_themselves(app, client, sign_in, citizens):
    """Nobody could grant the role again: the last city admin is refused, a second one goes."""
    first, second = citizens[0], citizens[1]
    grant(app, first.sub, "city_admin")
    sign_in(first.sub)

    refused = client.delete("/api/v1/me", headers=csrf_headers(client))

    assert refused.status_code == 409
    assert refused.get_json()["error"]["code"] == "last_city_admin"
    assert "quản trị thành phố duy nhất" in refused.get_json()["error"]["message"]
    assert _user_row(app, first.sub).erased_at is None
    assert client.get("/api/v1/me").get_json()["name"] == first.name

    grant(app, second.sub, "city_admin")
    assert client.delete("/api/v1/me", headers=csrf_headers(client)).status_code == 204
    assert _user_row(app, first.sub).erased_at is not None


def test_a_consent_recorded_silently_before_the_notice_existed_does_not_count(
    app, client, sign_in, citizens
):
    """Accounts from before the notice had a consent row written at sign-in: asked again."""
    from app.extensions import db as database
    from app.identity.models import Consent, User

    sign_in(citizens[0].sub)
    with app.app_context():
        user = database.session.scalar(sa.select(User).where(User.sub == citizens[0].sub))
        database.session.add(
            Consent(user_id=user.id, purpose=privacy.PURPOSE, policy_version="2026-11")
        )
        database.session.commit()

    assert client.get("/api/v1/me").get_json()["consent_required"] is True
