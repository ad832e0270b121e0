"""A ward's notice list for its staff and its communities' leaders: scope, order, pages."""

import pytest

from tests.community.conftest import OTHER_WARD, WARD
from tests.conftest import grant

URL = f"/api/v1/wards/{WARD}/notices"


def notice_body(title: str, **overrides) -> dict:
    """A valid ward-wide notice body with overrides."""
    return {
        "title": title,
        "body": "Nội dung thông báo.",
        "ward": WARD,
        "category": "thong_tin_co_so",
        **overrides,
    }


@pytest.fixture
def post_notice(api):
    """Create a notice as `sub`; returns its id."""

    def do(sub: str, title: str, **overrides) -> int:
        api.login(sub)
        response = api.post("/api/v1/notices", json=notice_body(title, **overrides))
        assert response.status_code == 201, response.get_json()
        return response.get_json()["id"]

    return do


def titles(response) -> list[str]:
    assert response.status_code == 200, response.get_json()
    return [n["title"] for n in response.get_json()["items"]]


def test_staff_list_every_notice_newest_first_with_status(api, staff, post_notice):
    """Staff see drafts, published and withdrawn notices, newest first, filtered by status."""
    first = post_notice(staff, "Thông báo thứ nhất")
    post_notice(staff, "Bản nháp họp tổ", status="draft")
    third = post_notice(staff, "Thông báo bị thu hồi")
    assert api.post(f"/api/v1/notices/{third}/withdraw").status_code == 200

    listed = api.get(URL)
    assert titles(listed) == ["Thông báo bị thu hồi", "Bản nháp họp tổ", "Thông báo thứ nhất"]
    items = listed.get_json()["items"]
    assert [n["status"] for n in items] == ["withdrawn", "draft", "published"]
    assert [n["status_label"] for n in items] == ["Đã thu hồi", "Bản nháp", "Đã đăng"]
    assert items[0]["withdrawn_at"] is not None
    assert items[1]["delivered_at"] is None and items[1]["published_at"] is None
    assert items[2]["delivered_at"].endswith("+07:00")
    assert items[2]["id"] == first
    assert listed.get_json()["next_cursor"] is None

    assert titles(api.get(f"{URL}?status=draft")) == ["Bản nháp họp tổ"]
    assert titles(api.get(f"{URL}?status=published")) == ["Thông báo thứ nhất"]
    # The ward's slug names it as well as its code.
    assert titles(api.get("/api/v1/wards/hoan-kiem/notices?status=withdrawn")) == [
        "Thông báo bị thu hồi"
    ]


def test_pages_walk_the_whole_list_once(api, staff, post_notice):
    """Keyset pages of two cover every notice exactly once, in order."""
    ids = [post_notice(staff, f"Thông báo số {n}") for n in range(5)]
    api.login(staff)
    seen, cursor, pages = [], None, 0
    while True:
        response = api.get(f"{URL}?limit=2" + (f"&cursor={cursor}" if cursor else ""))
        assert response.status_code == 200
        body = response.get_json()
        assert len(body["items"]) <= 2
        seen += [n["id"] for n in body["items"]]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == sorted(ids, reverse=True)
    assert pages == 3


@pytest.mark.parametrize("cursor", ["%%%", "bm90LWpzb24", "WyJ4Il0", "W3RydWVd"])
def test_a_bad_cursor_or_status_is_refused(api, staff, cursor):
    api.login(staff)
    assert api.get(f"{URL}?cursor={cursor}").status_code == 422
    assert api.get(f"{URL}?status=deleted").status_code == 422
    assert api.get(f"{URL}?limit=201").status_code == 422


def test_only_the_wards_staff_and_city_admins_see_everything(
    api, app, staff, people, others, post_notice
):
    """Residents, other wards' staff and anonymous callers are refused; city admins are not."""
    post_notice(staff, "Thông báo của phường")
    api.logout()
    assert api.get(URL).status_code == 401

    api.login(people[3])
    refused = api.get(URL)
    assert refused.status_code == 403
    assert refused.get_json()["error"]["code"] == "forbidden"

    grant(app, others[0], "ward_admin", ward=OTHER_WARD)
    api.login(others[0])
    assert api.get(URL).status_code == 403
    assert titles(api.get(f"/api/v1/wards/{OTHER_WARD}/notices")) == []

    grant(app, others[1], "city_admin")
    api.login(others[1])
    assert titles(api.get(URL)) == ["Thông báo của phường"]

    assert api.get("/api/v1/wards/99999/notices").status_code == 404


def test_leaders_see_the_notices_of_their_communities(
    api, app, staff, people, others, make_community, appoint, post_notice
):
    """A leader lists the notices addressed to their communities (their own drafts too), not
    ward-wide notices, other communities' notices or other people's drafts."""
    mine = make_community("Tổ dân phố số 1")
    theirs = make_community("Tổ dân phố số 2")
    leader = people[2]
    appoint(leader, mine)

    post_notice(staff, "Thông báo toàn phường")
    post_notice(staff, "Gửi tổ 1 và tổ 2", community_ids=[mine["id"], theirs["id"]])
    post_notice(staff, "Chỉ gửi tổ 2", community_ids=[theirs["id"]])
    post_notice(staff, "Nháp của phường cho tổ 1", community_ids=[mine["id"]], status="draft")
    post_notice(leader, "Tổ trưởng nhắc họp", community_ids=[mine["id"]])
    post_notice(leader, "Nháp của tổ trưởng", community_ids=[mine["id"]], status="draft")

    api.login(leader)
    assert titles(api.get(URL)) == ["Nháp của tổ trưởng", "Tổ trưởng nhắc họp", "Gửi tổ 1 và tổ 2"]
    assert titles(api.get(f"{URL}?status=draft")) == ["Nháp của tổ trưởng"]
    # Their role reaches no further than their ward.
    assert api.get(f"/api/v1/wards/{OTHER_WARD}/notices").status_code == 403

    # A leader of another ward's community sees nothing here.
    grant(app, others[0], "ward_admin", ward=OTHER_WARD)
    api.login(others[0])
    elsewhere = api.post(
        f"/api/v1/wards/{OTHER_WARD}/communities", json={"name": "Thôn Đông", "kind": "thon"}
    ).get_json()
    api.login(others[2])
    api.login(others[0])
    appointed = api.post(f"/api/v1/communities/{elsewhere['id']}/leaders", json={"sub": others[2]})
    assert appointed.status_code == 201
    api.login(others[2])
    assert api.get(URL).status_code == 403
    assert api.get(f"/api/v1/wards/{OTHER_WARD}/notices").status_code == 200

    # A dismissed leader loses the list.
    api.login(leader)
    leader_id = api.me["id"]
    api.login(staff)
    assert api.delete(f"/api/v1/communities/{mine['id']}/leaders/{leader_id}").status_code == 204
    api.login(leader)
    assert api.get(URL).status_code == 403


def test_the_callers_read_marks_come_with_the_list(api, staff, people, post_notice):
    """`read` tells whether the caller marked each notice read."""
    read_one = post_notice(staff, "Đã đọc")
    post_notice(staff, "Chưa đọc")
    api.login(staff)
    assert api.post(f"/api/v1/notices/{read_one}/read").status_code == 200
    items = api.get(URL).get_json()["items"]
    assert {n["title"]: n["read"] for n in items} == {"Đã đọc": True, "Chưa đọc": False}
