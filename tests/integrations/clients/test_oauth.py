"""OAuth 2.0 client credentials (RFC 6749 §4.4), introspection (RFC 7662), revocation (RFC 7009)."""

from tests.integrations.clients.conftest import WARD, basic, bearer, report_body

ZONES = f"/api/v1/wards/{WARD}/market-zones"


def _works(outside, token) -> bool:
    """Tell whether the token still acts: a report sent with it is created (else 401)."""
    response = outside.post("/api/v1/reports", json=report_body(), headers=bearer(token))
    assert response.status_code in (201, 401), response.get_json()
    return response.status_code == 201


def _token(outside, registered, **form):
    return outside.post(
        "/oauth/token",
        data={"grant_type": "client_credentials", **form},
        headers=basic(registered["client_id"], registered["client_secret"]),
    )


def test_token_with_client_secret_basic(admin, outside):
    """The client's id and secret by HTTP Basic give a one-hour Bearer token of its scopes."""
    registered = admin.register(["polls:read", "notices:read"], [WARD])
    response = _token(outside, registered)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert set(body) == {"access_token", "token_type", "expires_in", "scope"}
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 3600
    assert body["scope"] == "notices:read polls:read"
    assert response.headers["Cache-Control"] == "no-store"
    # The token works on the API, within its scope.
    answer = outside.get(f"/api/v1/polls?ward={WARD}", headers=bearer(body["access_token"]))
    assert answer.status_code == 200, answer.get_json()


def test_wrong_secret_is_401_invalid_client(admin, outside):
    """A wrong secret, or an unknown client, is 401 invalid_client with a Basic challenge."""
    registered = admin.register(["notices:read"], [WARD])
    for client_id, secret in (
        (registered["client_id"], registered["client_secret"] + "x"),
        (registered["client_id"], "pxss_guess"),
        ("pxsc_000000000000000000000000", registered["client_secret"]),
    ):
        response = outside.post(
            "/oauth/token",
            data={"grant_type": "client_credentials"},
            headers=basic(client_id, secret),
        )
        assert response.status_code == 401
        assert response.get_json()["error"] == "invalid_client"
        assert response.headers["WWW-Authenticate"].startswith("Basic ")


def test_secret_in_the_form_is_refused(admin, outside):
    """client_secret_post is not allowed: the secret must come by HTTP Basic."""
    registered = admin.register(["notices:read"], [WARD])
    response = outside.post(
        "/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": registered["client_id"],
            "client_secret": registered["client_secret"],
        },
    )
    assert response.status_code == 401
    assert response.get_json()["error"] == "invalid_client"
    assert "access_token" not in response.get_json()


def test_other_grant_types_are_unsupported(admin, outside):
    """Only client_credentials: a password grant is unsupported_grant_type."""
    registered = admin.register(["notices:read"], [WARD])
    response = outside.post(
        "/oauth/token",
        data={"grant_type": "password", "username": "a", "password": "b"},
        headers=basic(registered["client_id"], registered["client_secret"]),
    )
    assert response.status_code == 400
    assert response.get_json()["error"] == "unsupported_grant_type"
    response = outside.post("/oauth/token", data={}, headers=basic("x", "y"))
    assert response.status_code == 400
    assert response.get_json()["error"] == "unsupported_grant_type"


def test_scope_narrows_the_token(admin, outside):
    """`scope` asks for part of the client's scopes; the token holds only those."""
    registered = admin.register(["notices:read", "polls:read"], [WARD])
    response = _token(outside, registered, scope="polls:read")
    assert response.status_code == 200
    assert response.get_json()["scope"] == "polls:read"
    token = response.get_json()["access_token"]
    assert outside.get(f"/api/v1/polls?ward={WARD}", headers=bearer(token)).status_code == 200
    refused = outside.get(f"/api/v1/wards/{WARD}/notices", headers=bearer(token))
    assert refused.status_code == 403
    assert refused.get_json()["error"]["code"] == "insufficient_scope"


def test_a_scope_not_granted_or_unknown_is_invalid_scope(admin, outside):
    """Asking for more than was granted, or for what does not exist, is 400 invalid_scope."""
    registered = admin.register(["notices:read"], [WARD])
    for scope in ("reports:read", "notices:read reports:read", "admin", "phạm vi", "  "):
        response = _token(outside, registered, scope=scope)
        assert response.status_code == 400, scope
        assert response.get_json()["error"] == "invalid_scope", scope


def _introspect(outside, registered, token):
    return outside.post(
        "/oauth/introspect",
        data={"token": token},
        headers=basic(registered["client_id"], registered["client_secret"]),
    )


def test_introspection_of_own_token(admin, outside, token_for):
    """A client introspects its own token: active, its scope, client, wards and times."""
    registered = admin.register(["notices:read"], ["hoan-kiem", "00025"])
    token = token_for(registered)
    response = _introspect(outside, registered, token)
    assert response.status_code == 200
    body = response.get_json()
    assert body["active"] is True
    assert body["scope"] == "notices:read"
    assert body["client_id"] == registered["client_id"]
    assert body["token_type"] == "Bearer"
    assert body["wards"] == ["00025", "00070"]
    assert body["exp"] - body["iat"] == 3600


def test_introspection_of_others_and_unknown_tokens_is_inactive(
    admin, outside, token_for, client, citizens
):
    """Another client's token, a person's token, garbage: all `{"active": false}`."""
    mine = admin.register(["notices:read"], [WARD])
    theirs = admin.register(["notices:read"], "all", name="Ứng dụng khác")
    their_token = token_for(theirs)
    person = client.post("/api/v1/auth/tokens", headers=admin.headers).get_json()["access_token"]
    for token in (their_token, person, "pxs_made-up", ""):
        response = _introspect(outside, mine, token)
        assert response.status_code in (200, 400)
        if response.status_code == 200:
            assert response.get_json() == {"active": False}
    # Still active for its own client.
    assert _introspect(outside, theirs, their_token).get_json()["active"] is True


def test_introspection_needs_client_authentication(admin, outside, token_for):
    """Without the client's credentials: 401 invalid_client."""
    registered = admin.register(["notices:read"], [WARD])
    token = token_for(registered)
    response = outside.post("/oauth/introspect", data={"token": token})
    assert response.status_code == 401
    assert response.get_json()["error"] == "invalid_client"
    response = outside.post("/oauth/introspect", data={"token": token}, headers=bearer(token))
    assert response.status_code == 401


def test_revocation(admin, outside, token_for):
    """A revoked token stops at once: 401 on the API, inactive on introspection."""
    registered = admin.register(["reports:write"], [WARD])
    token = token_for(registered)
    assert _works(outside, token)
    response = outside.post(
        "/oauth/revoke",
        data={"token": token, "token_type_hint": "access_token"},
        headers=basic(registered["client_id"], registered["client_secret"]),
    )
    assert response.status_code == 200
    assert not _works(outside, token)
    assert _introspect(outside, registered, token).get_json() == {"active": False}
    # A second revocation, or an unknown token, is still 200 (RFC 7009 §2.2).
    again = outside.post(
        "/oauth/revoke",
        data={"token": token},
        headers=basic(registered["client_id"], registered["client_secret"]),
    )
    assert again.status_code == 200


def test_a_client_cannot_revoke_another_clients_token(admin, outside, token_for):
    """Revoking another client's token answers 200 and changes nothing."""
    mine = admin.register(["reports:write"], [WARD])
    theirs = admin.register(["reports:write"], [WARD], name="Ứng dụng khác")
    their_token = token_for(theirs)
    response = outside.post(
        "/oauth/revoke",
        data={"token": their_token},
        headers=basic(mine["client_id"], mine["client_secret"]),
    )
    assert response.status_code == 200
    assert _works(outside, their_token)
    no_auth = outside.post("/oauth/revoke", data={"token": their_token})
    assert no_auth.status_code == 401


def test_deleting_a_client_stops_its_tokens_at_once(admin, outside, token_for):
    """DELETE /api/v1/clients/{id}: its tokens are 401 at once, no new token, 404 after."""
    registered = admin.register(["reports:write", "market:read"], [WARD])
    first, second = token_for(registered), token_for(registered)
    assert _works(outside, first)
    response = admin.client.delete(
        f"/api/v1/clients/{registered['client_id']}", headers=admin.headers
    )
    assert response.status_code == 204
    for token in (first, second):
        assert not _works(outside, token)
        assert outside.get("/api/v1/me", headers=bearer(token)).status_code == 401
    assert _token(outside, registered).status_code == 401
    assert admin.client.get(f"/api/v1/clients/{registered['client_id']}").status_code == 404
    again = admin.client.delete(f"/api/v1/clients/{registered['client_id']}", headers=admin.headers)
    assert again.status_code == 404


def test_oauth_endpoints_take_post_only(outside):
    """GET on the token endpoint is 405."""
    assert outside.get("/oauth/token").status_code == 405
