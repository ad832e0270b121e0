"""Every create honours Idempotency-Key: a double tap or a retry creates one thing, once."""

import threading

import pytest
import sqlalchemy as sa

from app.extensions import db
from tests.community.conftest import WARD

NOTICE = {
    "ward": WARD,
    "title": "Cắt nước khu phố",
    "body": "Sáng thứ Bảy cắt nước từ 8 giờ đến 11 giờ.",
    "category": "thong_tin_co_so",
    "priority": "urgent",
    "pinned": True,
}
POLL = {
    "ward": WARD,
    "title": "Chọn ngày tổng vệ sinh",
    "kind": "survey",
    "questions": [{"text": "Ngày nào tiện nhất?", "options": ["Thứ Bảy", "Chủ nhật"]}],
}
COMMUNITY = {"name": "Tổ dân phố số 12", "kind": "to_dan_pho"}

CREATES = {
    "notice": ("/api/v1/notices", NOTICE, "notice"),
    "poll": ("/api/v1/polls", POLL, "poll"),
    "community": (f"/api/v1/wards/{WARD}/communities", COMMUNITY, "community"),
}


def count(app, table: str) -> int:
    with app.app_context():
        return db.session.scalar(sa.text(f"SELECT count(*) FROM {table}"))  # noqa: S608


@pytest.mark.parametrize("what", sorted(CREATES))
def test_a_double_tap_creates_once_and_answers_the_same(app, api, staff, what):
    url, body, table = CREATES[what]
    api.login(staff)
    before = count(app, table)
    headers = {"Idempotency-Key": f"tap-{what}-0001"}

    first = api.client.post(url, json=body, headers={**api.headers, **headers})
    second = api.client.post(url, json=body, headers={**api.headers, **headers})

    assert first.status_code == 201, first.get_json()
    assert second.status_code == 201
    assert second.get_json() == first.get_json()
    assert second.headers["Idempotent-Replayed"] == "true"
    assert count(app, table) == before + 1


@pytest.mark.parametrize("what", sorted(CREATES))
def test_the_same_key_with_another_body_is_refused_in_vietnamese(app, api, staff, what):
    url, body, table = CREATES[what]
    api.login(staff)
    headers = {**api.headers, "Idempotency-Key": f"reuse-{what}-01"}
    assert api.client.post(url, json=body, headers=headers).status_code == 201
    changed = {**body, "title" if "title" in body else "name": "Một tiêu đề khác hẳn"}

    refused = api.client.post(url, json=changed, headers=headers)

    assert refused.status_code == 422
    error = refused.get_json()["error"]
    assert error["code"] == "idempotency_key_reused"
    assert "đã được dùng cho một yêu cầu khác" in error["message"]
    assert count(app, table) == 1


def test_without_a_key_each_post_creates(app, api, staff):
    api.login(staff)
    for _ in range(2):
        assert api.post("/api/v1/notices", json=NOTICE).status_code == 201
    assert count(app, "notice") == 2


def test_a_refused_create_keeps_no_record_so_the_corrected_retry_goes_through(app, api, staff):
    api.login(staff)
    headers = {**api.headers, "Idempotency-Key": "sua-loi-roi-gui-lai"}
    refused = api.client.post(
        "/api/v1/notices", json={**NOTICE, "category": "khong_co"}, headers=headers
    )
    assert refused.status_code == 422
    assert count(app, "idempotency_record") == 0

    accepted = api.client.post("/api/v1/notices", json=NOTICE, headers=headers)

    assert accepted.status_code == 201
    assert count(app, "notice") == 1


def test_a_malformed_key_is_refused_before_anything_is_written(app, api, staff):
    api.login(staff)
    refused = api.client.post(
        "/api/v1/notices", json=NOTICE, headers={**api.headers, "Idempotency-Key": "ngắn"}
    )
    assert refused.status_code == 422
    assert refused.get_json()["error"]["code"] == "invalid_idempotency_key"
    assert count(app, "notice") == 0


def test_keys_are_scoped_to_the_caller(app, api, staff, people):
    api.login(staff)
    headers = {"Idempotency-Key": "cung-mot-ma-0001"}
    assert (
        api.client.post(
            url := CREATES["community"][0], json=COMMUNITY, headers={**api.headers, **headers}
        ).status_code
        == 201
    )
    from tests.conftest import grant

    grant(app, people[1], "ward_admin", ward=WARD)
    api.login(people[1])

    other = api.client.post(
        url, json={**COMMUNITY, "name": "Tổ dân phố số 13"}, headers={**api.headers, **headers}
    )

    assert other.status_code == 201
    assert "Idempotent-Replayed" not in other.headers
    assert count(app, "community") == 2


def test_simultaneous_retries_create_once(app, client, staff, is_postgres):
    """Two taps that reach two server threads at once: the second waits, then replays."""
    from tests.community.conftest import Api

    sessions = []
    for _ in range(2):
        each = Api(app.test_client(), None)
        sessions.append(each)
    from tests.conftest import csrf_headers, login_as

    for each in sessions:
        login_as(each.client, staff)
        each.headers = {**csrf_headers(each.client), "Idempotency-Key": "hai-cham-cung-luc"}
    barrier = threading.Barrier(2)
    answers = []

    def tap(each):
        barrier.wait()
        answers.append(each.post("/api/v1/notices", json=NOTICE))

    threads = [threading.Thread(target=tap, args=(each,)) for each in sessions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(a.status_code for a in answers) == [201, 201]
    assert answers[0].get_json() == answers[1].get_json()
    assert count(app, "notice") == 1
