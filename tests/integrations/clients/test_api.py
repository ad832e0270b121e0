"""POST/GET/DELETE /api/v1/clients (city admins), and the OpenAPI document's scopes."""

from app.identity.demo import citizens_of
from tests.conftest import csrf_headers, grant
from tests.integrations.clients.conftest import OTHER_WARD, WARD

SCOPES = {
    "notices:read",
    "notices:write",
    "polls:read",
    "reports:read",
    "reports:write",
    "market:read",
    "kpi:read",
}


def test_register_shows_the_secret_once(admin):
    """201 with client_id and secret; later reads never show the secret."""
    created = admin.register(["polls:read", "notices:read"], ["hoan-kiem", OTHER_WARD, WARD])
    assert set(created) == {
        "client_id",
        "client_secret",
        "name",
        "scopes",
        "wards",
        "created_at",
        "created_by",
    }
    assert created["client_id"].startswith("pxsc_")
    assert len(created["client_secret"]) >= 40
    assert created["scopes"] == ["notices:read", "polls:read"]
    assert created["wards"] == [OTHER_WARD, WARD]
    assert created["created_at"].endswith("+07:00")
    listed = admin.client.get("/api/v1/clients").get_json()["items"]
    assert [c["client_id"] for c in listed] == [created["client_id"]]
    one = admin.client.get(f"/api/v1/clients/{created['client_id']}").get_json()
    for body in (listed[0], one):
        assert "client_secret" not in body
        assert created["client_secret"] not in str(body)
        assert body["wards"] == [OTHER_WARD, WARD]
    every = admin.register(["kpi:read"], "all", name="Nền tảng dữ liệu thành phố")
    assert every["wards"] == "all"


def test_the_secret_is_stored_only_as_a_hash(app, admin):
    """The database holds the secret's hash, never the secret."""
    import sqlalchemy as sa

    from app.extensions import db
    from integrations.clients.models import ApiClient

    created = admin.register(["notices:read"], [WARD])
    with app.app_context():
        row = db.session.scalar(sa.select(ApiClient))
        assert row.secret_hash != created["client_secret"]
        assert len(row.secret_hash) == 64
        assert row.service_account.issuer == "api-client"
        assert row.service_account.sub == created["client_id"]
        assert row.service_account.name == "Ứng dụng thử nghiệm"


def test_unknown_scope_or_ward_is_422_naming_it(admin):
    """Each unknown scope and ward is named, in Vietnamese; nothing is created."""
    response = admin.post(
        "/api/v1/clients",
        json={"name": "Ứng dụng", "scopes": ["notices:read", "admin:all"], "wards": [WARD]},
    )
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert "admin:all" in error["message"]
    assert error["details"]["errors"][0]["field"] == "scopes.1"
    response = admin.post(
        "/api/v1/clients",
        json={"name": "Ứng dụng", "scopes": ["notices:read"], "wards": [WARD, "atlantis"]},
    )
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert "«atlantis»" in error["message"]
    assert error["details"]["errors"][0]["label"] == "Phường, xã 2"
    for bad in (
        {"name": "Ứng dụng", "scopes": [], "wards": [WARD]},
        {"name": "Ứng dụng", "scopes": ["notices:read"], "wards": []},
        {"name": "Ứng dụng", "scopes": ["notices:read"], "wards": "some"},
        {"name": "   ", "scopes": ["notices:read"], "wards": [WARD]},
        {"name": "Ứng dụng", "scopes": "notices:read", "wards": [WARD]},
        {"name": "Ứng dụng", "scopes": ["notices:read"], "wards": [WARD], "secret": "x"},
        {"name": "Ứng dụng", "scopes": ["notices:read"], "wards": [None]},
    ):
        response = admin.post("/api/v1/clients", json=bad)
        assert response.status_code == 422, bad
        assert response.get_json()["error"]["message"]
    assert admin.client.get("/api/v1/clients").get_json()["items"] == []


def test_only_city_admins_manage_clients(app, client, sign_in, admin):
    """A ward admin gets 403, anonymous 401; the list, a client and DELETE alike."""
    created = admin.register(["notices:read"], [WARD])
    client.post("/auth/logout", headers=admin.headers)
    anonymous = client.post(
        "/api/v1/clients", json={"name": "X y", "scopes": ["notices:read"], "wards": [WARD]}
    )
    assert anonymous.status_code == 401
    ward_admin = citizens_of(WARD)[0].sub
    grant(app, ward_admin, "ward_admin", ward=WARD)
    sign_in(ward_admin)
    headers = csrf_headers(client)
    body = {"name": "Ứng dụng", "scopes": ["notices:read"], "wards": [WARD]}
    assert client.post("/api/v1/clients", json=body, headers=headers).status_code == 403
    assert client.get("/api/v1/clients").status_code == 403
    assert client.get(f"/api/v1/clients/{created['client_id']}").status_code == 403
    path = f"/api/v1/clients/{created['client_id']}"
    assert client.delete(path, headers=headers).status_code == 403


def test_idempotency_key_replays_the_same_answer_to_the_same_admin(app, admin):
    """A retry with the same key gets the first answer (secret included); one client exists.

    The replay is kept per caller and encrypted with a key derived from the Idempotency-Key,
    so only the admin who holds that key can have the secret again, for 48 hours.
    """
    body = {"name": "Cổng dữ liệu", "scopes": ["notices:read"], "wards": [WARD]}
    key = {"Idempotency-Key": "0b8c7f5e-6a1d-4c39-9b1e-2f4d6a8c0e11"}
    first = admin.client.post("/api/v1/clients", json=body, headers={**admin.headers, **key})
    again = admin.client.post("/api/v1/clients", json=body, headers={**admin.headers, **key})
    assert first.status_code == again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.get_json() == first.get_json()
    assert len(admin.client.get("/api/v1/clients").get_json()["items"]) == 1
    # Another admin with the same key makes their own client.
    other = citizens_of(WARD)[1].sub
    grant(app, other, "city_admin")
    second_admin = app.test_client()
    from tests.conftest import login_as

    login_as(second_admin, other)
    theirs = second_admin.post(
        "/api/v1/clients", json=body, headers={**csrf_headers(second_admin), **key}
    )
    assert theirs.status_code == 201
    assert "Idempotent-Replayed" not in theirs.headers
    assert theirs.get_json()["client_id"] != first.get_json()["client_id"]


def test_unknown_client_is_404(admin):
    """GET or DELETE of a client_id that does not exist is 404 in Vietnamese."""
    response = admin.client.get("/api/v1/clients/pxsc_nothing")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "client_not_found"
    long_id = "x" * 300
    assert admin.client.get(f"/api/v1/clients/{long_id}").status_code == 404
    deleted = admin.client.delete("/api/v1/clients/pxsc_nothing", headers=admin.headers)
    assert deleted.status_code == 404


def test_openapi_declares_the_oauth2_scheme_and_scopes(client):
    """The document has the client-credentials scheme with seven scopes, and marks operations."""
    spec = client.get("/api/openapi.json").get_json()
    scheme = spec["components"]["securitySchemes"]["oauth2"]
    assert scheme["type"] == "oauth2"
    flow = scheme["flows"]["clientCredentials"]
    assert flow["tokenUrl"] == "/oauth/token"
    assert set(flow["scopes"]) == SCOPES
    assert all(label and label[0].isupper() for label in flow["scopes"].values())
    assert "/oauth/introspect" in scheme["description"]
    assert "/oauth/revoke" in scheme["description"]
    paths = spec["paths"]

    def scopes_of(path, method):
        for requirement in paths[path][method].get("security", []):
            if "oauth2" in requirement:
                return requirement["oauth2"]
        return None

    assert scopes_of("/api/v1/wards/{ward}/notices", "get") == ["notices:read"]
    assert scopes_of("/api/v1/notices", "post") == ["notices:write"]
    assert scopes_of("/api/v1/polls/{poll_id}/results", "get") == ["polls:read"]
    assert scopes_of("/api/v1/reports", "post") == ["reports:write"]
    assert scopes_of("/api/v1/market-zones/{zone_id}", "get") == ["market:read"]
    assert scopes_of("/api/v1/kpi/report.pdf", "get") == ["kpi:read"]
    assert scopes_of("/api/v1/changes", "get") == []
    # Not on the surface: no oauth2 requirement.
    assert scopes_of("/api/v1/me", "get") is None
    assert scopes_of("/api/v1/polls", "post") is None
    assert "ward" in paths["/api/v1/kpi"]["get"]["x-client-wards"]


def test_vocabulary_names_the_scopes(client):
    """GET /api/v1/vocabulary gives each scope's Vietnamese label."""
    vocabulary = client.get("/api/v1/vocabulary").get_json()
    assert set(vocabulary["api_scope"]) == SCOPES
