"""City-wide publishing in the consoles: a city admin sends one notice to chosen wards (found
with or without diacritics), confirms how many, and reads the reach per ward; residents see a
department's notice «Từ: Sở …»."""

import re

from playwright.sync_api import expect

from app.extensions import db
from app.identity import service as identity
from app.identity.demo import CITY_ADMIN_SUB, citizens_of
from tests.conftest import csrf_headers, grant, login_as
from tests.web.pages import check_page, sign_in_on_page

WARD = "00070"  # Phường Hoàn Kiếm
OTHER = "00025"  # Phường Giảng Võ
READER = citizens_of(WARD)[2].sub
NEIGHBOUR = citizens_of(OTHER)[2].sub


def _follow(client, sub, ward):
    login_as(client, sub)
    response = client.post(f"/api/v1/wards/{ward}/follow", headers=csrf_headers(client))
    assert response.status_code in (200, 201, 204), response.get_data(as_text=True)


def test_city_admin_sends_to_chosen_wards_and_reads_the_reach(app, client, open_page):
    _follow(client, READER, WARD)
    _follow(client, NEIGHBOUR, OTHER)
    grant(app, CITY_ADMIN_SUB, "city_admin")
    page = open_page("/city")
    sign_in_on_page(page, CITY_ADMIN_SUB)
    form = page.locator("form.broadcast-form")
    form.get_by_role("heading", name="Gửi thông báo tới nhiều phường, xã").wait_for()

    form.get_by_label("Tiêu đề").fill("Tổng vệ sinh môi trường")
    form.get_by_label("Nội dung").fill("Sáng Chủ nhật, mời bà con cùng dọn vệ sinh ngõ phố.")
    form.get_by_label("Lĩnh vực").select_option("moi_truong")

    # All 126 by default: the confirmation names them; going back sends nothing.
    form.get_by_role("button", name="Xem lại trước khi gửi").click()
    expect(form.locator("[id$=confirm-text]")).to_contain_text("tới 126 phường, xã (tất cả)")
    form.get_by_role("button", name="Quay lại sửa").click()

    # Chosen wards, found without diacritics.
    form.get_by_label("Chọn một số phường, xã").check()
    search = form.get_by_label("Tìm phường, xã (gõ có dấu hoặc không dấu)")
    search.fill("hoan kiem")
    form.get_by_label("Phường Hoàn Kiếm").check()
    search.fill("Giảng Võ")
    expect(form.locator("ul[id$=-wards] li:not([hidden])")).to_have_count(1)
    form.get_by_role("button", name="Chọn tất cả", exact=True).click()
    expect(form.get_by_text("Đã chọn 2 phường, xã")).to_be_visible()
    search.fill("")
    form.get_by_role("button", name="Xem lại trước khi gửi").click()
    expect(form.locator("[id$=confirm-text]")).to_contain_text(
        "«Tổng vệ sinh môi trường» tới 2 phường, xã?"
    )
    check_page(page, "city-broadcast-confirm")
    form.get_by_role("button", name="Xác nhận gửi tới 2 phường, xã").click()
    expect(form.get_by_text("Đã gửi «Tổng vệ sinh môi trường» tới 2 phường, xã.")).to_be_visible()

    # Sent: each ward's follower has it; one of them reads it.
    login_as(client, READER)
    feed = client.get("/api/v1/me/feed").get_json()["items"]
    mine = next(n for n in feed if n["title"] == "Tổng vệ sinh môi trường")
    read = client.post(f"/api/v1/notices/{mine['id']}/read", headers=csrf_headers(client))
    assert read.status_code == 200
    login_as(client, NEIGHBOUR)
    assert any(
        n["title"] == "Tổng vệ sinh môi trường"
        for n in client.get("/api/v1/me/feed").get_json()["items"]
    )

    # The list of what was sent, with the reach in total and per ward (a sortable table).
    page.reload()
    card = page.locator("li[data-broadcast]").first
    expect(card).to_contain_text("2 phường, xã")
    expect(card).to_contain_text("2 người nhận, 1 đã đọc (50%)")
    card.get_by_role("button", name="Xem theo từng phường, xã").click()
    rows = card.locator("tbody tr")
    expect(rows).to_have_count(2)
    # Least read first.
    expect(rows.first).to_have_attribute("data-code", OTHER)
    expect(rows.nth(1)).to_contain_text("100%")
    card.get_by_role("button", name="Tỷ lệ đọc").click()
    expect(rows.first).to_have_attribute("data-code", WARD)
    total = re.compile(r"Tổng cộng 2 phường, xã\s*2\s*1\s*50%")
    expect(card.locator("tfoot")).to_contain_text(total)
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], widths
    check_page(page, "city-broadcast-reach")


def test_residents_see_the_department_that_sent_a_notice(app, client, open_page):
    _follow(client, READER, WARD)
    sender = citizens_of(OTHER)[4].sub
    login_as(client, sender)
    with app.app_context():
        from app.departments.models import Department

        if db.session.get(Department, "SKHCN") is None:
            db.session.add(
                Department(
                    code="SKHCN",
                    name="Sở Khoa học và Công nghệ",
                    short_name="Sở KH&CN",
                    slug="so-khoa-hoc-va-cong-nghe",
                    search_text="so khoa hoc va cong nghe",
                )
            )
        for user in identity.find_by_sub(sender):
            identity.grant_role(
                user=user,
                role="department_editor",
                ward_code=None,
                community_id=None,
                department_code="SKHCN",
            )
        db.session.commit()
    response = client.post(
        "/api/v1/notices",
        json={
            "title": "Hội thảo chuyển đổi số cho hộ kinh doanh",
            "body": "Đăng ký tham dự tại nhà văn hóa phường.",
            "category": "thong_tin_co_so",
            "wards": [WARD, OTHER],
            "department": "SKHCN",
        },
        headers=csrf_headers(client),
    )
    assert response.status_code == 201, response.get_json()

    page = open_page("/w/hoan-kiem/notices")
    sign_in_on_page(page, READER)
    card = page.locator("#main li.card").first
    expect(card).to_contain_text("Từ: Sở Khoa học và Công nghệ")
    check_page(page, "ward-feed-department")
    card.get_by_role("link").click()
    page.get_by_role("heading", name="Hội thảo chuyển đổi số cho hộ kinh doanh").wait_for()
    expect(page.locator("article .meta").first).to_contain_text("Từ: Sở Khoa học và Công nghệ")
    check_page(page, "ward-notice-department")


def test_city_admin_sends_a_survey_and_reads_who_answered(app, client, open_page):
    """The same section sends a survey (questions with one or several answers) to chosen
    wards; each ward's follower answers it; the reach counts answers per ward and in total."""
    _follow(client, READER, WARD)
    _follow(client, NEIGHBOUR, OTHER)
    grant(app, CITY_ADMIN_SUB, "city_admin")
    page = open_page("/city")
    sign_in_on_page(page, CITY_ADMIN_SUB)
    page.get_by_role("radio", name="Khảo sát").check()
    form = page.locator("form.survey-form")
    form.get_by_role("heading", name="Gửi khảo sát tới nhiều phường, xã").wait_for()
    expect(page.locator("form.broadcast-form")).to_be_hidden()

    form.get_by_label("Tiêu đề khảo sát").fill("Khảo sát giờ mở cửa bộ phận một cửa")
    form.get_by_label("Nội dung câu hỏi").fill("Giờ nào thuận tiện cho bà con?")
    form.get_by_label("Các phương án").fill("Sáng sớm\nBuổi trưa\n\nChiều muộn")
    form.get_by_role("button", name="Thêm câu hỏi").click()
    second = form.locator("fieldset.question").nth(1)
    expect(second.get_by_label("Nội dung câu hỏi")).to_be_focused()
    second.get_by_label("Nội dung câu hỏi").fill("Bà con thường làm thủ tục gì?")
    second.get_by_label("Các phương án").fill("Hộ tịch")
    second.get_by_label("Được chọn nhiều phương án").check()
    form.get_by_label("Chọn một số phường, xã").check()
    search = form.get_by_label("Tìm phường, xã (gõ có dấu hoặc không dấu)")
    search.fill("hoan kiem")
    form.get_by_label("Phường Hoàn Kiếm").check()
    search.fill("giang vo")
    form.get_by_label("Phường Giảng Võ").check()
    search.fill("")
    form.get_by_label("Kết thúc lúc").fill("2099-12-31T17:00")

    # One option only: said beside the question, nothing confirmed or sent.
    form.get_by_role("button", name="Xem lại trước khi gửi").click()
    expect(second).to_contain_text("cần ít nhất hai phương án")
    second.get_by_label("Các phương án").fill("Hộ tịch\nĐất đai\nKinh doanh")
    form.get_by_role("button", name="Xem lại trước khi gửi").click()
    expect(form.locator("[id$=confirm-text]")).to_contain_text(
        "Gửi khảo sát «Khảo sát giờ mở cửa bộ phận một cửa» tới 2 phường, xã?"
    )
    check_page(page, "city-survey-confirm")
    form.get_by_role("button", name="Xác nhận gửi tới 2 phường, xã").click()
    expect(
        form.get_by_text("Đã gửi khảo sát «Khảo sát giờ mở cửa bộ phận một cửa» tới 2 phường, xã.")
    ).to_be_visible()

    # Each ward's follower finds it among their polls; one answers both questions.
    login_as(client, READER)
    mine = next(
        p
        for p in client.get("/api/v1/me/polls").get_json()["items"]
        if p["title"] == "Khảo sát giờ mở cửa bộ phận một cửa"
    )
    first_q, second_q = mine["questions"]
    assert [o["text"] for o in first_q["options"]] == ["Sáng sớm", "Buổi trưa", "Chiều muộn"]
    assert (first_q["max_choices"], second_q["max_choices"]) == (1, 3)
    ballot = {
        "answers": [
            {"question": first_q["id"], "options": [first_q["options"][0]["id"]]},
            {"question": second_q["id"], "options": [o["id"] for o in second_q["options"][:2]]},
        ]
    }
    cast = client.post(
        f"/api/v1/polls/{mine['id']}/ballots", json=ballot, headers=csrf_headers(client)
    )
    assert cast.status_code == 201, cast.get_json()
    login_as(client, NEIGHBOUR)
    assert any(
        p["title"] == "Khảo sát giờ mở cửa bộ phận một cửa"
        for p in client.get("/api/v1/me/polls").get_json()["items"]
    )

    page.reload()
    card = page.locator("li[data-poll-broadcast]").first
    expect(card).to_contain_text("Trả lời: 1 trên 2 người được hỏi (50%)")
    card.get_by_role("button", name="Xem theo từng phường, xã").click()
    rows = card.locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_have_attribute("data-code", OTHER)  # fewest answers first
    expect(rows.nth(1)).to_contain_text("100%")
    expect(card.locator("tfoot")).to_contain_text(
        re.compile(r"Tổng cộng 2 phường, xã\s*2\s*1\s*50%")
    )
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], widths
    check_page(page, "city-survey-reach")
