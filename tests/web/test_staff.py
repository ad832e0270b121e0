"""Ward staff at their desk: publish a notice, create and close a poll, edit the miniapp config."""

import json
import re

from playwright.sync_api import expect

from app.identity.demo import citizens_of
from tests.conftest import csrf_headers, grant, login_as
from tests.web.pages import check_page, sign_in_on_page

WARD = "00070"
ADMIN = citizens_of(WARD)[0].sub
FOLLOWER = citizens_of(WARD)[3].sub


def test_staff_publish_a_notice_and_run_a_poll(app, client, open_page):
    # A resident follows the ward, so that the notice has an audience.
    login_as(client, FOLLOWER)
    followed = client.post("/api/v1/wards/hoan-kiem/follow", headers=csrf_headers(client))
    assert followed.status_code < 300
    grant(app, ADMIN, "ward_admin", ward=WARD)

    page = open_page("/w/hoan-kiem/staff")
    sign_in_on_page(page, ADMIN)
    assert page.url.endswith("/w/hoan-kiem/staff")
    page.get_by_role("heading", name="Đăng thông báo").wait_for()
    page.locator("#config-versions li").first.wait_for()
    check_page(page, "staff-console")

    page.get_by_label("Tiêu đề").first.fill("Tiêm phòng dại cho chó mèo")
    page.get_by_label("Nội dung", exact=True).fill("Sáng Chủ Nhật tại nhà văn hoá tổ 5.")
    page.get_by_label("Lĩnh vực").select_option(label="Y tế")
    page.get_by_label("Mức độ").select_option("urgent")
    page.get_by_role("button", name="Đăng thông báo").click()
    page.get_by_text(re.compile("Đã đăng thông báo «Tiêm phòng dại cho chó mèo»")).wait_for()
    published = page.locator("#notice-list li.card").first
    published.get_by_text(re.compile("^Đã đăng · Khẩn · Y tế · Toàn phường, xã")).wait_for()
    published.get_by_role("button", name="Số liệu tiếp cận").click()
    published.get_by_role("row", name=re.compile("Người nhận")).wait_for()
    assert "1" in published.get_by_role("row", name=re.compile("Người nhận")).inner_text()
    check_page(page, "staff-notice-published")

    # The follower finds it in their feed.
    feed = client.get("/api/v1/me/feed").get_json()["items"]
    assert [(n["title"], n["priority"], n["category"]["code"]) for n in feed] == [
        ("Tiêm phòng dại cho chó mèo", "urgent", "y_te")
    ]

    polls = page.locator("#polls")
    polls.get_by_label("Tiêu đề").fill("Lắp camera an ninh ngõ 12")
    polls.get_by_label("Nội dung câu hỏi").fill("Bạn có đồng ý lắp camera?")
    polls.get_by_label("Phương án 1", exact=True).fill("Đồng ý")
    polls.get_by_label("Phương án 2", exact=True).fill("Không đồng ý")
    polls.get_by_label("Kết thúc lúc").fill("2099-12-31T17:00")
    polls.get_by_role("button", name="Tạo cuộc biểu quyết").click()
    card = page.locator("#poll-list li.card").first
    card.get_by_text(re.compile("Đang mở")).wait_for()
    check_page(page, "staff-poll-created")

    poll = client.get("/api/v1/polls?ward=00070").get_json()["items"][0]
    assert (poll["title"], poll["status"]) == ("Lắp camera an ninh ngõ 12", "open")
    assert poll["closes_at"].startswith("2099-12-31T17:00:00+07:00")

    page.on("dialog", lambda dialog: dialog.accept())
    card.get_by_role("button", name="Đóng").click()
    page.locator("#poll-list li.card").first.get_by_text(re.compile("Đã đóng")).wait_for()
    page.locator("#poll-list li.card").first.get_by_role("button", name="Kết quả").click()
    page.get_by_text(re.compile(r"Số phiếu: 0 / 1 cử tri .* không yêu cầu túc số")).wait_for()
    check_page(page, "staff-poll-results")
    assert client.get(f"/api/v1/polls/{poll['id']}").get_json()["status"] == "closed"


def test_ward_admin_edits_and_publishes_the_miniapp_config_as_json(app, open_page):
    grant(app, ADMIN, "ward_admin", ward=WARD)
    page = open_page("/w/hoan-kiem/staff")
    sign_in_on_page(page, ADMIN)
    page.locator("#config-versions li").first.wait_for()
    page.get_by_text("Nâng cao: tài liệu cấu hình (JSON)").click()
    editor = page.get_by_label("Tài liệu cấu hình (JSON)")
    document = json.loads(editor.input_value())
    document["app"]["title"] = "Hoàn Kiếm số"
    document["tab_bar"] = ["notices", "market", "contacts"]
    editor.fill(json.dumps(document, ensure_ascii=False, indent=2))
    page.get_by_role("button", name="Áp dụng JSON vào biểu mẫu").click()
    page.locator("#config-preview").get_by_text("Hoàn Kiếm số").wait_for()
    expect(page.locator("#config-form").get_by_label("Tên miniapp")).to_have_value("Hoàn Kiếm số")
    expect(page.locator("#config-m-polls-tab")).not_to_be_checked()
    page.get_by_label("Tóm tắt thay đổi (không bắt buộc)").fill("Đổi tên miniapp, gọn thanh tab")
    page.get_by_role("button", name="Xuất bản", exact=True).click()
    page.get_by_role("dialog").get_by_role("button", name="Xuất bản").click()
    page.get_by_text("Đã xuất bản phiên bản 2: Đổi tên miniapp, gọn thanh tab").wait_for()
    page.get_by_role("heading", name="Phiên bản 2 (đang dùng)").wait_for()
    check_page(page, "staff-config-published")

    resident = open_page("/w/hoan-kiem")
    resident.get_by_role("heading", name="Hoàn Kiếm số", level=1).wait_for()
    tabs = resident.get_by_role("navigation", name="Các mục chính").get_by_role("link")
    assert tabs.all_inner_texts() == ["Thông báo", "Chợ 4.0 – Phố số", "Liên hệ"]

    # Too short a tab bar is refused beside the modules, by its label, and nothing is published.
    page.locator("#config-m-market-tab").uncheck()
    page.locator("#config-m-contacts-tab").uncheck()
    page.get_by_role("button", name="Xuất bản", exact=True).click()
    note = page.locator("#config-modules-fieldset .field-error")
    expect(note).to_have_text(re.compile("^Thanh tab phải có từ 2 đến 5 mục"))
    assert "tab_bar" not in page.locator("#config").inner_text()  # the label, never the path
    assert page.get_by_role("dialog").count() == 0
    assert page.get_by_role("heading", name="Phiên bản 2 (đang dùng)").is_visible()

    page.get_by_role("button", name="Khôi phục phiên bản 1").click()
    page.get_by_role("dialog").get_by_role("button", name="Khôi phục phiên bản 1").click()
    page.get_by_text("Đã khôi phục phiên bản 1 thành phiên bản 3.").wait_for()
    resident.reload()
    resident.get_by_role("heading", name="Phường Hoàn Kiếm", level=1).wait_for()


def test_a_resident_without_a_role_is_told_so(open_page):
    page = open_page("/w/hoan-kiem/staff")
    sign_in_on_page(page, FOLLOWER)
    page.get_by_text("Tài khoản của bạn không phải cán bộ của Phường Hoàn Kiếm.").wait_for()
    assert page.get_by_role("heading", name="Đăng thông báo").count() == 0


def test_staff_list_the_wards_notices_publish_a_draft_and_withdraw_one(app, client, open_page):
    grant(app, ADMIN, "ward_admin", ward=WARD)
    login_as(client, ADMIN)
    headers = csrf_headers(client)
    for title, status in [
        ("Lịch cắt nước ngày 5", "published"),
        ("Họp tổ dân phố cuối tháng", "draft"),
        ("Phun thuốc diệt muỗi", "published"),
    ]:
        response = client.post(
            "/api/v1/notices",
            json={"ward": WARD, "title": title, "body": "Nội dung.", "category": "khac"}
            | {"status": status},
            headers=headers,
        )
        assert response.status_code == 201, response.get_json()

    page = open_page("/w/hoan-kiem/staff")
    sign_in_on_page(page, ADMIN)
    cards = page.locator("#notice-list li.card")
    cards.nth(2).wait_for()
    titles = [cards.nth(i).get_by_role("heading").inner_text() for i in range(3)]
    assert titles == ["Phun thuốc diệt muỗi", "Họp tổ dân phố cuối tháng", "Lịch cắt nước ngày 5"]
    assert cards.nth(1).get_by_text(re.compile("^Bản nháp · Khác")).is_visible()
    check_page(page, "staff-notice-list")

    page.get_by_label("Trạng thái", exact=True).select_option(label="Bản nháp")
    expect(page.locator("#notice-list li.card")).to_have_count(1)
    expect(page.locator("#notice-list li.card h4")).to_have_text("Họp tổ dân phố cuối tháng")
    page.get_by_role("button", name="Đăng ngay «Họp tổ dân phố cuối tháng»").click()
    page.get_by_text("Chưa có thông báo nào.").wait_for()

    page.get_by_label("Trạng thái", exact=True).select_option(label="Tất cả")
    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Thu hồi «Lịch cắt nước ngày 5»").click()
    withdrawn = page.locator("#notice-list li.card").filter(has_text="Lịch cắt nước ngày 5")
    withdrawn.get_by_text(re.compile("^Đã thu hồi")).wait_for()
    check_page(page, "staff-notice-withdrawn")

    listed = client.get("/api/v1/wards/hoan-kiem/notices").get_json()["items"]
    assert [(n["title"], n["status"]) for n in listed] == [
        ("Phun thuốc diệt muỗi", "published"),
        ("Họp tổ dân phố cuối tháng", "published"),
        ("Lịch cắt nước ngày 5", "withdrawn"),
    ]


def test_a_two_question_survey_is_created_voted_and_downloaded(app, client, open_page):
    login_as(client, FOLLOWER)
    followed = client.post("/api/v1/wards/hoan-kiem/follow", headers=csrf_headers(client))
    assert followed.status_code < 300
    grant(app, ADMIN, "ward_admin", ward=WARD)
    page = open_page("/w/hoan-kiem/staff#polls")
    sign_in_on_page(page, ADMIN)
    page.locator("#poll-list li").first.wait_for()
    polls = page.locator("#polls")
    add = polls.get_by_role("button", name="Thêm câu hỏi")
    expect(add).to_be_disabled()  # a vote has one question
    polls.get_by_label("Tiêu đề").fill("Khảo sát sân chơi cho trẻ em")
    polls.get_by_label("Hình thức").select_option("survey")
    first = polls.locator("fieldset.question").nth(0)
    first.get_by_label("Nội dung câu hỏi").fill("Nên đặt sân chơi ở đâu?")
    first.get_by_label("Phương án 1", exact=True).fill("Vườn hoa Lý Thái Tổ")
    first.get_by_label("Phương án 2", exact=True).fill("Sân nhà văn hoá")
    first.get_by_role("button", name="Thêm phương án cho câu hỏi 1").click()
    expect(first.get_by_label("Phương án 3", exact=True)).to_be_focused()
    first.get_by_label("Phương án 3", exact=True).fill("Bỏ đi")
    first.get_by_role("button", name="Xóa phương án 3 của câu hỏi 1").click()
    expect(first.get_by_label("Phương án 3", exact=True)).to_have_count(0)

    add.click()
    second = polls.locator("fieldset.question").nth(1)
    expect(second.get_by_label("Nội dung câu hỏi")).to_be_focused()
    second.get_by_label("Nội dung câu hỏi").fill("Bạn muốn có thêm gì?")
    second.get_by_label("Loại câu hỏi").select_option("text")
    expect(second.get_by_label("Phương án 1", exact=True)).to_have_count(0)
    polls.get_by_label("Kết thúc lúc").fill("2099-12-31T17:00")
    polls.get_by_label("Công bố kết quả").select_option("after_vote")
    check_page(page, "staff-poll-two-questions")
    polls.get_by_role("button", name="Tạo cuộc biểu quyết").click()
    card = page.locator("#poll-list li.card").first
    card.get_by_text(re.compile("Khảo sát · Đang mở")).wait_for()
    expect(polls.locator("fieldset.question")).to_have_count(1)  # the form is ready for the next

    login_as(client, ADMIN)
    poll = client.get("/api/v1/polls?ward=00070").get_json()["items"][0]
    detail = client.get(f"/api/v1/polls/{poll['id']}").get_json()
    assert [(q["type"], [o["text"] for o in q["options"]]) for q in detail["questions"]] == [
        ("choice", ["Vườn hoa Lý Thái Tổ", "Sân nhà văn hoá"]),
        ("text", []),
    ]

    # A resident answers both questions on the ward's poll page.
    resident = open_page(f"/w/hoan-kiem/polls/{poll['id']}")
    sign_in_on_page(resident, FOLLOWER)
    resident.get_by_label("Sân nhà văn hoá").check()
    resident.get_by_label("2. Bạn muốn có thêm gì?").fill("Thêm ghế đá và đèn chiếu sáng")
    resident.get_by_role("button", name="Gửi phiếu").click()
    resident.get_by_role("heading", name="Phiếu của bạn đã được ghi nhận").wait_for()

    # Results are the staff's once the poll is closed.
    page.on("dialog", lambda dialog: dialog.accept())
    card.get_by_role("button", name="Đóng").click()
    card = page.locator("#poll-list li.card").first
    card.get_by_text(re.compile("Đã đóng")).wait_for()
    card.get_by_role("button", name="Kết quả").click()
    card.get_by_text(re.compile(r"Số phiếu: 1 / 1 cử tri")).wait_for()
    card.get_by_text("Thêm ghế đá và đèn chiếu sáng").wait_for()
    check_page(page, "staff-poll-survey-results")

    link = card.get_by_role("link", name=re.compile("Tải kết quả \\(CSV\\)"))
    href = link.get_attribute("href")
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.endswith(".csv")
    csv = client.get(href)
    assert csv.status_code == 200
    assert csv.headers["Content-Type"].startswith("text/csv")
    assert "Sân nhà văn hoá" in csv.get_data(as_text=True)


def test_a_notice_goes_to_the_communities_chosen(app, client, open_page):
    grant(app, ADMIN, "ward_admin", ward=WARD)
    login_as(client, ADMIN)
    headers = csrf_headers(client)
    made = [
        client.post(
            "/api/v1/wards/00070/communities",
            json={"name": name, "kind": "to_dan_pho"},
            headers=headers,
        ).get_json()
        for name in ["Tổ dân phố số 3", "Tổ dân phố số 7"]
    ]

    page = open_page("/w/hoan-kiem/staff")
    sign_in_on_page(page, ADMIN)
    notices = page.locator("#notices")
    notices.get_by_label("Tổ dân phố số 7 (Tổ dân phố)").wait_for()
    expect(notices.get_by_label("Tổ dân phố số 7 (Tổ dân phố)")).to_be_disabled()
    notices.get_by_label("Tiêu đề").fill("Họp tổ dân phố số 7")
    notices.get_by_label("Nội dung", exact=True).fill("19 giờ tối thứ Sáu tại nhà văn hoá.")

    # "Some communities" with none ticked is refused beside the choice.
    notices.get_by_label("Một hoặc vài cộng đồng").check()
    notices.get_by_role("button", name="Đăng thông báo").click()
    notices.get_by_text("Hãy đánh dấu ít nhất một cộng đồng").wait_for()
    check_page(page, "staff-notice-community-picker")

    notices.get_by_label("Tổ dân phố số 7 (Tổ dân phố)").check()
    notices.get_by_role("button", name="Đăng thông báo").click()
    page.get_by_text(re.compile("Đã đăng thông báo «Họp tổ dân phố số 7»")).wait_for()
    page.locator("#notice-list li.card").first.get_by_text(re.compile("Gửi 1 cộng đồng")).wait_for()
    notice = client.get("/api/v1/wards/hoan-kiem/notices").get_json()["items"][0]
    assert notice["community_ids"] == [made[1]["id"]]


def _zone_with_two_lookalikes(app, client):
    """A zone with two pending stalls on the same bank account (a duplicate warning)."""
    grant(app, ADMIN, "ward_admin", ward=WARD)
    login_as(client, ADMIN)
    zone = client.post(
        "/api/v1/wards/hoan-kiem/market-zones",
        json={"name": "Chợ Hàng Da", "kind": "market"},
        headers=csrf_headers(client),
    ).get_json()
    login_as(client, FOLLOWER)
    for name, stall in [("Rau sạch cô Thu", "Ki-ốt A12"), ("Rau cô Thu", "Ki-ốt B3")]:
        created = client.post(
            f"/api/v1/market-zones/{zone['id']}/merchants",
            json={
                "name": name,
                "stall": stall,
                "bank_bin": "970405",
                "account_number": "1234567890",
                "account_name": "LE THI THU",
            },
            headers=csrf_headers(client),
        )
        assert created.status_code == 201, created.get_json()
    return zone


def test_staff_see_duplicates_and_reject_with_a_reason(app, client, open_page):
    zone = _zone_with_two_lookalikes(app, client)
    page = open_page("/w/hoan-kiem/staff#market")
    sign_in_on_page(page, ADMIN)
    card = page.locator("#market li.card").filter(has_text="Rau cô Thu").filter(has_text="Ki-ốt B3")
    warning = card.get_by_role("note", name="Cảnh báo có thể trùng")
    warning.wait_for()
    expect(warning).to_contain_text("Rau sạch cô Thu")
    check_page(page, "staff-merchant-duplicate")

    card.get_by_role("button", name="Từ chối Rau cô Thu").click()
    reason = card.get_by_label("Lý do từ chối (chủ cửa hàng sẽ thấy)")
    expect(reason).to_be_focused()
    reason.fill("   ")
    card.get_by_role("button", name="Xác nhận từ chối").click()
    card.get_by_text(
        "«Lý do từ chối (chủ cửa hàng sẽ thấy)» không được chỉ có dấu cách."
    ).wait_for()
    check_page(page, "staff-merchant-reason-required")
    reason.fill("Trùng tài khoản với ki-ốt A12, đăng ký lại một lần")
    card.get_by_role("button", name="Xác nhận từ chối").click()
    card.get_by_text("Lý do: Trùng tài khoản với ki-ốt A12, đăng ký lại một lần").wait_for()
    card.get_by_text("Trạng thái: Bị từ chối").wait_for()

    # Listed among the rejected, with the reason; the owner sees it too.
    page.get_by_label("Xem cửa hàng").select_option("rejected")
    rejected = page.locator("#market li.card").filter(has_text="Rau cô Thu")
    rejected.get_by_text("Lý do: Trùng tài khoản với ki-ốt A12, đăng ký lại một lần").wait_for()
    check_page(page, "staff-merchant-rejected")
    mine = client.get("/api/v1/me/merchants").get_json()["items"]
    assert {m["name"]: m["status_reason"] for m in mine}["Rau cô Thu"] == (
        "Trùng tài khoản với ki-ốt A12, đăng ký lại một lần"
    )

    # Verified, then suspended with a reason.
    page.get_by_label("Xem cửa hàng").select_option("pending")
    other = page.locator("#market li.card").filter(has_text="Rau sạch cô Thu")
    other.get_by_role("button", name="Xác minh Rau sạch cô Thu").click()
    other.get_by_text("Trạng thái: Đã xác minh").wait_for()
    other.get_by_role("button", name="Tạm dừng Rau sạch cô Thu").click()
    other.get_by_label("Lý do tạm dừng (chủ cửa hàng sẽ thấy)").fill("Ki-ốt đóng cửa sửa chữa")
    other.get_by_role("button", name="Xác nhận tạm dừng").click()
    other.get_by_text("Lý do: Ki-ốt đóng cửa sửa chữa").wait_for()
    assert zone["id"]


def test_every_csv_the_console_offers_downloads(app, client, open_page):
    zone = _zone_with_two_lookalikes(app, client)
    page = open_page("/w/hoan-kiem/staff#market")
    sign_in_on_page(page, ADMIN)
    links = [
        page.get_by_role("link", name="Tải báo cáo (CSV) của Chợ Hàng Da"),
        page.get_by_role("link", name="Tải chỉ số (CSV)"),
    ]
    for link in links:
        with page.expect_download() as download:
            link.click()
        assert download.value.suggested_filename.endswith(".csv")
        href = link.get_attribute("href")
        response = page.request.get(href)
        assert response.status == 200
        assert response.headers["content-type"].startswith("text/csv")
    assert links[0].get_attribute("href") == f"/api/v1/market-zones/{zone['id']}/report?format=csv"
    assert links[1].get_attribute("href") == "/api/v1/kpi?ward=00070&format=csv"
    check_page(page, "staff-downloads")
