"""A community leader (tổ trưởng) runs their own community from the desk, and nothing more."""

import re

from playwright.sync_api import expect

from app.identity.demo import citizens_of
from tests.conftest import csrf_headers, grant, login_as
from tests.web.pages import check_page, sign_in_on_page

WARD = "00070"
ADMIN = citizens_of(WARD)[0].sub
LEADER = citizens_of(WARD)[2]
MEMBER = citizens_of(WARD)[3]


def _community(client, name: str) -> dict:
    response = client.post(
        "/api/v1/wards/hoan-kiem/communities",
        json={"name": name, "kind": "to_dan_pho"},
        headers=csrf_headers(client),
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def _join(app, person, community: dict, household: str | None = None) -> None:
    resident = app.test_client()
    login_as(resident, person.sub)
    base = f"/api/v1/communities/{community['id']}"
    joined = resident.post(
        f"{base}/join",
        json={"invite_code": community["invite_code"]},
        headers=csrf_headers(resident),
    )
    assert joined.status_code < 300, joined.get_json()
    if household:
        stated = resident.put(
            f"{base}/membership", json={"household": household}, headers=csrf_headers(resident)
        )
        assert stated.status_code == 200, stated.get_json()


def test_a_leader_runs_their_community_from_the_desk(app, client, open_page):
    grant(app, ADMIN, "ward_admin", ward=WARD)
    login_as(client, ADMIN)
    mine = _community(client, "Tổ dân phố số 9")
    _community(client, "Tổ dân phố số 10")  # in the same ward, run by nobody here
    _join(app, LEADER, mine)
    _join(app, MEMBER, mine, household="HK-09")
    base = f"/api/v1/communities/{mine['id']}"
    members = client.get(f"{base}/members").get_json()["items"]
    leader_id = next(m["user_id"] for m in members if m["name"] == LEADER.name)
    member_id = next(m["user_id"] for m in members if m["name"] == MEMBER.name)
    appointed = client.post(
        f"{base}/leaders", json={"user_id": leader_id}, headers=csrf_headers(client)
    )
    assert appointed.status_code < 300, appointed.get_json()

    # The leader finds the desk from the ward's communities page.
    page = open_page("/w/hoan-kiem/communities")
    sign_in_on_page(page, LEADER.sub)
    page.get_by_role("link", name="Bàn làm việc của người phụ trách cộng đồng").click()
    page.get_by_text("Bạn phụ trách: Tổ dân phố số 9.").wait_for()
    assert page.url.endswith("/w/hoan-kiem/staff")
    page.get_by_role("heading", name="Bàn làm việc người phụ trách cộng đồng", level=1).wait_for()
    # Staff-only parts are not offered: no new community, no market, no miniapp config.
    assert page.get_by_text("Lập cộng đồng mới").count() == 0
    assert page.locator("#market").count() == 0 and page.locator("#config").count() == 0
    cards = page.locator("#community-list li.card")
    # The list loads after the heading (with the registry of groups beside it): wait for it.
    expect(cards).to_have_count(1)

    # Members: confirm the household; no appointing, and the leader row cannot be removed.
    card = cards.first
    card.get_by_role("button", name="Thành viên của Tổ dân phố số 9").click()
    card.get_by_role("button", name=f"Xác nhận hộ HK-09 của {MEMBER.name}").click()
    card.get_by_text("Hộ HK-09 (đã xác nhận)").wait_for()
    assert card.get_by_role("button", name=re.compile("^Giao làm|^Thôi làm")).count() == 0
    assert card.get_by_role("button", name=f"Xoá khỏi cộng đồng: {LEADER.name}").count() == 0
    card.get_by_role("button", name=f"Xoá khỏi cộng đồng: {MEMBER.name}").wait_for()
    check_page(page, "leader-desk")
    confirmed = client.get(f"{base}/members").get_json()["items"]
    assert next(m for m in confirmed if m["user_id"] == member_id)["household_confirmed"] is True

    # A new invite code: the old one stops working.
    page.on("dialog", lambda dialog: dialog.accept())
    card.get_by_role("button", name="Đổi mã mời của Tổ dân phố số 9").click()
    changed = card.get_by_text(re.compile(r"Đã đổi mã mời của «Tổ dân phố số 9»: [A-Z0-9]{8}\."))
    changed.wait_for()
    new_code = re.search(r": ([A-Z0-9]{8})\.", changed.inner_text()).group(1)
    assert new_code != mine["invite_code"]
    assert client.get(base).get_json()["invite_code"] == new_code

    # A notice to the community, and a poll in it.
    notices = page.locator("#notices")
    assert notices.get_by_label("Gửi tới cộng đồng").locator("option").all_inner_texts() == [
        "Tổ dân phố số 9"
    ]
    notices.get_by_label("Tiêu đề").fill("Họp tổ dân phố tối thứ Sáu")
    notices.get_by_label("Nội dung").fill("19 giờ tại nhà văn hoá tổ 9.")
    notices.get_by_role("button", name="Đăng thông báo").click()
    page.get_by_text(re.compile("Đã đăng thông báo «Họp tổ dân phố tối thứ Sáu»")).wait_for()
    page.locator("#notice-list li.card").first.get_by_text("Họp tổ dân phố tối thứ Sáu").wait_for()
    member = app.test_client()
    login_as(member, MEMBER.sub)
    feed = member.get("/api/v1/me/feed").get_json()["items"]
    assert [n["title"] for n in feed] == ["Họp tổ dân phố tối thứ Sáu"]

    polls = page.locator("#polls")
    polls.get_by_label("Tiêu đề").fill("Chọn ngày tổng vệ sinh")
    polls.get_by_label("Nội dung câu hỏi").fill("Ngày nào thuận tiện?")
    polls.get_by_label("Phương án 1", exact=True).fill("Thứ Bảy")
    polls.get_by_label("Phương án 2", exact=True).fill("Chủ Nhật")
    polls.get_by_label("Kết thúc lúc").fill("2099-12-31T17:00")
    polls.get_by_role("button", name="Tạo cuộc biểu quyết").click()
    page.locator("#poll-list li.card").first.get_by_text(re.compile("Đang mở")).wait_for()
    created = client.get(f"/api/v1/polls?community_id={mine['id']}").get_json()["items"]
    assert [(p["title"], p["status"]) for p in created] == [("Chọn ngày tổng vệ sinh", "open")]
    check_page(page, "leader-desk-poll")


def test_a_leader_of_another_wards_community_is_not_let_in(app, client, open_page):
    grant(app, ADMIN, "ward_admin", ward=WARD)
    login_as(client, ADMIN)
    mine = _community(client, "Tổ dân phố số 11")
    _join(app, LEADER, mine)
    members = client.get(f"/api/v1/communities/{mine['id']}/members").get_json()["items"]
    client.post(
        f"/api/v1/communities/{mine['id']}/leaders",
        json={"user_id": members[0]["user_id"]},
        headers=csrf_headers(client),
    )
    page = open_page("/w/giang-vo/staff")
    sign_in_on_page(page, LEADER.sub)
    page.get_by_text("Tài khoản của bạn không phải cán bộ của Phường Giảng Võ.").wait_for()
    assert page.get_by_role("heading", name="Đăng thông báo").count() == 0
