"""Identity's acts in the audit log: grants and revocations (in their ward's log), erasure,
personal tokens and sign-outs everywhere, labelled without personal data."""

from tests.conftest import csrf_headers, grant, login_as

HOAN_KIEM = "00070"


def _entries(client, path: str) -> list[dict]:
    response = client.get(path)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["items"]


def test_a_ward_admins_grant_and_revoke_are_in_the_wards_log(app, client, sign_in, citizens):
    admin, editor = citizens[0], citizens[1]
    target = login_as(app.test_client(), editor.sub)
    grant(app, admin.sub, "ward_admin", ward=HOAN_KIEM)
    sign_in(admin.sub)
    granted = client.post(
        "/api/v1/roles",
        json={"sub": editor.sub, "role": "ward_editor", "ward": HOAN_KIEM},
        headers=csrf_headers(client),
    )
    assert granted.status_code == 201, granted.get_json()
    grant_id = granted.get_json()[0]["id"]
    revoked = client.delete(f"/api/v1/roles/{grant_id}", headers=csrf_headers(client))
    assert revoked.status_code == 204

    entries = _entries(client, f"/api/v1/wards/{HOAN_KIEM}/audit?action=role")
    by_action = {e["action"]: e for e in entries if e["object"]["id"] == str(grant_id)}
    assert set(by_action) == {"role.granted", "role.revoked"}
    label = f"Biên tập viên phường, xã — tài khoản #{target['id']}"
    for action in ("role.granted", "role.revoked"):
        entry = by_action[action]
        assert entry["object"] == {"type": "role_grant", "id": str(grant_id), "label": label}
        assert entry["actor"]["kind"] == "person"
        assert entry["actor"]["name"] == admin.name
    assert editor.name not in str(entries)  # the resident is named by account number only


def test_erasure_is_logged_with_its_roles(app, client, sign_in, citizens):
    """account.erased (no ward) by the erased person; their roles end in their ward's log."""
    city, leaving = citizens[0], citizens[2]
    grant(app, city.sub, "city_admin")
    grant(app, leaving.sub, "ward_editor", ward=HOAN_KIEM)
    other = app.test_client()
    me = login_as(other, leaving.sub)
    assert other.delete("/api/v1/me", headers=csrf_headers(other)).status_code == 204

    sign_in(city.sub)
    erased = [
        e
        for e in _entries(client, "/api/v1/audit?action=account")
        if e["object"]["id"] == str(me["id"])
    ]
    assert [e["action"] for e in erased] == ["account.erased"]
    assert erased[0]["ward"] is None
    assert erased[0]["object"]["label"] == f"tài khoản #{me['id']}"
    assert erased[0]["actor"] == {"kind": "person", "name": "Tài khoản đã xóa"}
    ward_log = _entries(client, f"/api/v1/wards/{HOAN_KIEM}/audit?action=role.revoked")
    assert any(e["object"]["label"].endswith(f"tài khoản #{me['id']}") for e in ward_log)


def test_tokens_and_sign_out_everywhere_are_logged(app, client, sign_in, citizens):
    city, resident = citizens[0], citizens[3]
    grant(app, city.sub, "city_admin")
    browser = app.test_client()
    me = login_as(browser, resident.sub)
    assert browser.post("/api/v1/auth/tokens", headers=csrf_headers(browser)).status_code == 201
    minted = browser.post("/api/v1/auth/tokens", headers=csrf_headers(browser)).get_json()
    bearer = {"Authorization": f"Bearer {minted['access_token']}"}
    assert (
        app.test_client().delete("/api/v1/auth/tokens/current", headers=bearer).status_code == 204
    )
    assert browser.delete("/api/v1/me/sessions", headers=csrf_headers(browser)).status_code == 204

    sign_in(city.sub)
    entries = _entries(client, "/api/v1/audit")
    mine = [e for e in entries if e["object"]["label"] == f"tài khoản #{me['id']}"]
    assert {e["action"] for e in mine} == {"token.issued", "token.revoked", "sessions.revoked"}
    assert all(e["ward"] is None and e["actor"]["name"] == resident.name for e in mine)
    assert resident.name not in str([e["object"] for e in entries])
