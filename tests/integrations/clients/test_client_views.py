"""What a client's calls give once the guard lets them through: the views' own rules."""

from tests.integrations.clients.conftest import WARD, bearer, notice_body


def test_notice_list_shows_a_client_only_the_public_notices(admin, outside, client_token):
    """notices:read lists the ward's live ward-wide notices, never drafts or scheduled ones."""
    live = admin.post("/api/v1/notices", json=notice_body(title="Thông báo công khai"))
    draft = admin.post("/api/v1/notices", json=notice_body(title="Bản nháp", status="draft"))
    later = admin.post(
        "/api/v1/notices",
        json=notice_body(title="Hẹn giờ", publish_at="2099-01-01T08:00:00+07:00"),
    )
    assert {live.status_code, draft.status_code, later.status_code} == {201}
    token = client_token(["notices:read"], [WARD])

    response = outside.get(f"/api/v1/wards/{WARD}/notices", headers=bearer(token))

    assert response.status_code == 200, response.get_json()
    assert [n["id"] for n in response.get_json()["items"]] == [live.get_json()["id"]]
    # The ward's staff still see every notice.
    staff = admin.client.get(f"/api/v1/wards/{WARD}/notices").get_json()["items"]
    assert len(staff) == 3


def test_a_community_given_in_other_digits_is_judged_by_its_ward(admin, outside, client_token):
    """?community_id= in full-width digits names the same community as in ASCII (the schema
    reads it so): the guard judges it by that community's ward; a superscript is a 422."""
    made = admin.post(
        "/api/v1/wards/00025/communities", json={"name": "Tổ dân phố số 1", "kind": "to_dan_pho"}
    )
    assert made.status_code == 201, made.get_json()
    full_width = "".join(chr(0xFF10 + int(d)) for d in str(made.get_json()["id"]))
    token = client_token(["polls:read"], [WARD])
    response = outside.get(f"/api/v1/polls?community_id={full_width}", headers=bearer(token))
    assert response.status_code == 403, response.get_json()
    assert response.get_json()["error"]["code"] == "insufficient_scope"
    odd = outside.get("/api/v1/polls?community_id=%C2%B2", headers=bearer(token))
    assert odd.status_code == 422, odd.get_json()


def test_wards_given_as_a_list_with_all_are_refused_alike(admin):
    """`"all"` is the whole string, not a list item, for clients as for city-wide notices."""
    client = admin.post(
        "/api/v1/clients", json={"name": "Thử", "scopes": ["notices:read"], "wards": ["all"]}
    )
    notice = admin.post("/api/v1/notices", json={**notice_body(), "ward": None, "wards": ["all"]})
    assert client.status_code == 422, client.get_json()
    assert notice.status_code == 422, notice.get_json()
