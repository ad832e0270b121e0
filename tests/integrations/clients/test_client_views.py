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
