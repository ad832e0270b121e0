"""Roles: /api/v1/me, grants through the CLI and the API, and who may grant what."""

import pytest

from tests.conftest import csrf_headers, grant, login_as

HOAN_KIEM, GIANG_VO = "00070", "00025"


def _grant(client, **body):
    return client.post("/api/v1/roles", json=body, headers=csrf_headers(client))


@pytest.fixture
def target(app, citizens):
    """A resident who has signed in once (in another browser)."""
    login_as(app.test_client(), citizens[5].sub)
    return citizens[5]


def test_me_shape(client, sign_in, citizens, app):
    """GET /api/v1/me has id, name, vneid_level, roles[{role, ward, community_id}], csrf_token."""
    citizen = citizens[0]
    grant(app, citizen.sub, "ward_editor", ward=HOAN_KIEM)
    me = sign_in(citizen.sub)
    assert {"id", "name", "vneid_level", "roles", "csrf_token"} <= set(me)
    assert isinstance(me["id"], int)
    assert me["name"] == citizen.name
    assert me["vneid_level"] == citizen.vneid_level
    assert me["csrf_token"]
    assert len(me["roles"]) == 1
    role = me["roles"][0]
    assert {"role", "ward", "community_id"} <= set(role)
    assert (role["role"], role["ward"], role["community_id"]) == ("ward_editor", HOAN_KIEM, None)


def test_me_anonymous_is_401(client):
    """Nobody signed in: 401 in the error shape."""
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"


def test_cli_grant_before_first_sign_in(app, client, citizens):
    """`flask roles grant` works for someone who has never signed in; the role is there after."""
    citizen = citizens[7]
    grant(app, citizen.sub, "ward_admin", ward="hoan-kiem")
    me = login_as(client, citizen.sub)
    assert me["name"] == citizen.name
    assert [(r["role"], r["ward"]) for r in me["roles"]] == [("ward_admin", HOAN_KIEM)]


def test_cli_grant_after_first_sign_in(app, client, citizens):
    """`flask roles grant` adds a role to an existing account (no second account)."""
    citizen = citizens[7]
    first = login_as(client, citizen.sub)
    grant(app, citizen.sub, "city_admin")
    grant(app, citizen.sub, "city_admin")  # idempotent
    me = client.get("/api/v1/me").get_json()
    assert me["id"] == first["id"]
    assert [(r["role"], r["ward"]) for r in me["roles"]] == [("city_admin", None)]


def test_cli_refuses_an_unknown_role(app, citizens):
    """An unknown role, or a ward role without a ward, fails the command."""
    runner = app.test_cli_runner()
    assert runner.invoke(args=["roles", "grant", citizens[0].sub, "mayor"]).exit_code != 0
    assert runner.invoke(args=["roles", "grant", citizens[0].sub, "ward_admin"]).exit_code != 0


def test_ward_admin_grants_inside_their_ward(app, client, citizens, target):
    """A ward admin may grant ward roles in their own ward (by code or slug)."""
    grant(app, citizens[0].sub, "ward_admin", ward=HOAN_KIEM)
    login_as(client, citizens[0].sub)
    response = _grant(client, sub=target.sub, role="ward_editor", ward="hoan-kiem")
    assert response.status_code == 201
    (created,) = response.get_json()
    assert (created["role"], created["ward"]) == ("ward_editor", HOAN_KIEM)
    other = app.test_client()
    roles = login_as(other, target.sub)["roles"]
    assert [(r["role"], r["ward"]) for r in roles] == [("ward_editor", HOAN_KIEM)]


def test_ward_admin_cannot_grant_outside_their_ward(app, client, citizens, target):
    """A ward admin granting in another ward gets 403, and nothing is granted."""
    grant(app, citizens[0].sub, "ward_admin", ward=HOAN_KIEM)
    login_as(client, citizens[0].sub)
    response = _grant(client, sub=target.sub, role="ward_editor", ward=GIANG_VO)
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "forbidden"
    # The same answer whether the person exists or not.
    ghost = _grant(client, sub="vn-never-signed-in", role="ward_editor", ward=GIANG_VO)
    assert ghost.status_code == 403
    assert login_as(app.test_client(), target.sub)["roles"] == []


def test_ward_admin_cannot_make_a_city_admin(app, client, citizens, target):
    """A ward admin cannot grant city_admin."""
    grant(app, citizens[0].sub, "ward_admin", ward=HOAN_KIEM)
    login_as(client, citizens[0].sub)
    assert _grant(client, sub=target.sub, role="city_admin").status_code == 403


def test_city_admin_grants_anywhere(app, client, citizens, target):
    """A city admin grants any role in any ward."""
    grant(app, citizens[0].sub, "city_admin")
    login_as(client, citizens[0].sub)
    assert _grant(client, sub=target.sub, role="ward_admin", ward=GIANG_VO).status_code == 201
    assert _grant(client, sub=target.sub, role="ward_editor", ward="00592").status_code == 201
    assert _grant(client, sub=target.sub, role="city_admin").status_code == 201
    roles = login_as(app.test_client(), target.sub)["roles"]
    assert {(r["role"], r["ward"]) for r in roles} == {
        ("ward_admin", GIANG_VO),
        ("ward_editor", "00592"),
        ("city_admin", None),
    }


def test_resident_cannot_grant(client, sign_in, citizens, target):
    """A resident without a role gets 403."""
    sign_in(citizens[0].sub)
    response = _grant(client, sub=target.sub, role="ward_editor", ward=HOAN_KIEM)
    assert response.status_code == 403


def test_grant_needs_a_signed_in_caller(client, target):
    """An anonymous grant is 401."""
    response = client.post(
        "/api/v1/roles", json={"sub": target.sub, "role": "ward_editor", "ward": HOAN_KIEM}
    )
    assert response.status_code == 401


def test_grant_to_someone_never_signed_in_is_404(app, client, citizens):
    """The API grants only to people who have signed in once."""
    grant(app, citizens[0].sub, "city_admin")
    login_as(client, citizens[0].sub)
    response = _grant(client, sub="vn-never-signed-in", role="ward_editor", ward=HOAN_KIEM)
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "user_not_found"


def test_grant_rejects_bad_input(app, client, citizens, target):
    """Unknown role, unknown field, unknown ward → 422 / 404."""
    grant(app, citizens[0].sub, "city_admin")
    login_as(client, citizens[0].sub)
    assert _grant(client, sub=target.sub, role="mayor").status_code == 422
    assert _grant(client, sub=target.sub, role="ward_editor").status_code == 422
    extra = _grant(client, sub=target.sub, role="city_admin", extra=1)
    assert extra.status_code == 422
    assert _grant(client, sub=target.sub, role="ward_editor", ward="no-such").status_code == 404


def test_ward_roles_listed_and_revoked_by_their_admin(app, client, citizens, target):
    """A ward admin lists and revokes grants in their ward; other wards' grants are hidden."""
    grant(app, citizens[0].sub, "ward_admin", ward=HOAN_KIEM)
    grant(app, target.sub, "ward_editor", ward=HOAN_KIEM)
    grant(app, target.sub, "ward_editor", ward=GIANG_VO)
    login_as(client, citizens[0].sub)
    listed = client.get(f"/api/v1/wards/{HOAN_KIEM}/roles")
    assert listed.status_code == 200
    items = listed.get_json()["items"]
    editor = next(i for i in items if i["role"] == "ward_editor")
    assert editor["user_name"] == target.name
    assert editor["granted_at"].endswith("+07:00")
    assert client.get(f"/api/v1/wards/{GIANG_VO}/roles").status_code == 403

    other_ward = app.test_client()
    grant(app, citizens[1].sub, "ward_admin", ward=GIANG_VO)
    login_as(other_ward, citizens[1].sub)
    theirs = other_ward.get(f"/api/v1/wards/{GIANG_VO}/roles").get_json()["items"]
    foreign_id = next(i["id"] for i in theirs if i["role"] == "ward_editor")

    # Revoking another ward's grant looks the same as revoking one that does not exist.
    headers = csrf_headers(client)
    assert client.delete(f"/api/v1/roles/{foreign_id}", headers=headers).status_code == 404
    assert client.delete("/api/v1/roles/999999", headers=headers).status_code == 404
    revoked = client.delete(f"/api/v1/roles/{editor['id']}", headers=headers)
    assert revoked.status_code == 204
    roles = login_as(app.test_client(), target.sub)["roles"]
    assert [(r["role"], r["ward"]) for r in roles] == [("ward_editor", GIANG_VO)]


def test_cli_grant_before_sign_in_with_explicit_mock_issuer(extra_app, tmp_path, citizens):
    """With VNEID_ISSUER naming our own mock, a CLI grant still reaches the account."""
    app = extra_app(str(tmp_path), VNEID_ISSUER="http://localhost/mock-vneid/")
    citizen = citizens[9]
    grant(app, citizen.sub, "ward_editor", ward=HOAN_KIEM)
    me = login_as(app.test_client(), citizen.sub)
    assert me["name"] == citizen.name
    assert [(r["role"], r["ward"]) for r in me["roles"]] == [("ward_editor", HOAN_KIEM)]


def test_city_admin_cannot_revoke_their_own_city_admin(app, client, citizens):
    """A city admin's own city_admin grant is refused (409); another city admin may revoke it."""
    first, second = citizens[0], citizens[1]
    grant(app, first.sub, "city_admin")
    grant(app, second.sub, "city_admin")
    own = login_as(client, first.sub)["roles"][0]["id"]
    refused = client.delete(f"/api/v1/roles/{own}", headers=csrf_headers(client))
    assert refused.status_code == 409
    assert refused.get_json()["error"]["code"] == "cannot_revoke_own_city_admin"
    assert login_as(client, first.sub)["roles"] != []
    other = app.test_client()
    login_as(other, second.sub)
    assert other.delete(f"/api/v1/roles/{own}", headers=csrf_headers(other)).status_code == 204
    assert login_as(client, first.sub)["roles"] == []
