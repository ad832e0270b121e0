"""A resident of Hoàn Kiếm signs in, follows the ward, reads a notice, votes, sees the receipt."""

import re

from app.identity.demo import citizens_of
from tests.conftest import csrf_headers, grant, login_as
from tests.web.pages import check_page, sign_in_on_page

WARD = "00070"
STAFF = citizens_of(WARD)[0].sub
RESIDENT = citizens_of(WARD)[2].sub
NEIGHBOUR = citizens_of(WARD)[5].sub


def _as_staff(app, client):
    """Sign the test client in as the ward's admin; return the CSRF headers."""
    grant(app, STAFF, "ward_admin", ward=WARD)
    login_as(client, STAFF)
    return csrf_headers(client)


def _tab(page, name: str):
    """Return a link of the ward's tab bar."""
    return page.get_by_role("navigation", name="Các mục chính").get_by_role("link", name=name)


def _publish(client, headers, **fields):
    body = {"ward": WARD, "category": "thong_tin_co_so", "body": "Nội dung."} | fields
    response = client.post("/api/v1/notices", json=body, headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def test_resident_reads_a_notice_and_votes(app, client, open_page):
    page = open_page("/w/hoan-kiem")
    page.get_by_role("heading", name="Trang chủ").wait_for()
    assert page.title() == "Trang chủ – Phường Hoàn Kiếm"
    check_page(page, "ward-home-anonymous")

    sign_in_on_page(page, RESIDENT)
    assert page.url.endswith("/w/hoan-kiem")
    page.get_by_role("button", name="Theo dõi Phường Hoàn Kiếm").click()
    page.get_by_text("Bạn đang theo dõi Phường Hoàn Kiếm.").wait_for()
    check_page(page, "ward-home-signed-in")

    headers = _as_staff(app, client)
    _publish(client, headers, title="Lịch thu gom rác tuần này")
    urgent = _publish(
        client, headers, title="Cắt điện khu phố Hàng Bạc", priority="urgent", body="Từ 8:00."
    )
    poll = client.post(
        "/api/v1/polls",
        json={
            "ward": WARD,
            "title": "Chọn ngày tổng vệ sinh",
            "kind": "vote",
            "questions": [{"text": "Ngày nào?", "options": ["Thứ Bảy", "Chủ Nhật"]}],
            "results_visibility": "after_vote",
        },
        headers=headers,
    ).get_json()
    assert client.post(f"/api/v1/polls/{poll['id']}/open", headers=headers).status_code == 200

    # The feed: urgent first, both unread.
    _tab(page, "Thông báo").click()
    cards = page.locator("#main li.card")
    cards.first.wait_for()
    assert cards.count() == 2
    assert "Cắt điện khu phố Hàng Bạc" in cards.nth(0).inner_text()
    assert "Khẩn" in cards.nth(0).inner_text()
    assert all("Chưa đọc" in cards.nth(i).inner_text() for i in range(2))
    check_page(page, "ward-feed")

    # Reading the notice marks it read, for the resident and in the staff's statistics.
    page.get_by_role("link", name=re.compile("Cắt điện khu phố Hàng Bạc")).click()
    page.get_by_role("heading", name="Cắt điện khu phố Hàng Bạc").wait_for()
    page.get_by_text("Đã đọc", exact=True).wait_for()
    assert page.url.endswith(f"/w/hoan-kiem/notices/{urgent}")
    check_page(page, "ward-notice")
    stats = client.get(f"/api/v1/notices/{urgent}/stats").get_json()
    assert (stats["audience"], stats["read"]) == (1, 1)
    # The feed told the service what it showed: the other notice counts as delivered, unread.
    other = client.get(f"/api/v1/notices/{urgent - 1}/stats").get_json()
    assert (other["audience"], other["delivered"], other["read"]) == (1, 1, 0)
    page.go_back()
    page.get_by_role("heading", name="Thông báo").wait_for()
    first = page.locator("#main li.card").first
    first.wait_for()
    assert "Chưa đọc" not in first.inner_text()

    # The poll: vote, keep the receipt, see the results (visible after voting).
    _tab(page, "Biểu quyết").click()
    page.get_by_role("link", name=re.compile("Chọn ngày tổng vệ sinh")).click()
    page.get_by_label("Chủ Nhật").check()
    check_page(page, "ward-poll")
    page.get_by_role("button", name="Gửi phiếu").click()
    page.get_by_role("heading", name="Phiếu của bạn đã được ghi nhận").wait_for()
    receipt = page.locator("#receipt").inner_text()
    assert re.fullmatch(r"[A-Z0-9-]{8,}", receipt), receipt
    page.get_by_text("Chủ Nhật: 1 phiếu").wait_for()
    check_page(page, "ward-poll-receipt")

    page.get_by_text("Thứ Bảy: 0 phiếu").wait_for()
    page.get_by_text("Số phiếu: 1").wait_for()
    # A poll without a quorum makes no claim about one.
    assert "túc số" not in page.locator("#main").inner_text()

    _tab(page, "Liên hệ").click()
    page.get_by_text("Đường dây nóng").wait_for()
    check_page(page, "ward-contacts")


def test_large_text_mode_is_remembered(open_page):
    page = open_page("/w/hoan-kiem")
    toggle = page.get_by_role("button", name="Chữ to")
    toggle.click()
    assert toggle.get_attribute("aria-pressed") == "true"
    page.reload()
    page.get_by_role("heading", name="Trang chủ").wait_for()
    assert "large-text" in page.locator("html").get_attribute("class")
    check_page(page, "ward-home-large-text")


def test_unknown_ward_answers_404(client):
    response = client.get("/w/khong-co-phuong-nay")
    assert response.status_code == 404
    assert "Không tìm thấy phường, xã này" in response.get_data(as_text=True)


def test_dark_theme_keeps_text_readable(open_page):
    page = open_page("/w/hoan-kiem")
    page.emulate_media(color_scheme="dark")
    page.reload()
    page.get_by_role("heading", name="Trang chủ").wait_for()
    assert "dark" in page.locator("html").get_attribute("class")
    check_page(page, "ward-home-dark")


def _follower(page, sub=RESIDENT):
    """Sign in on the ward's home page and follow the ward."""
    sign_in_on_page(page, sub)
    page.get_by_role("button", name="Theo dõi Phường Hoàn Kiếm").click()
    page.get_by_text("Bạn đang theo dõi Phường Hoàn Kiếm.").wait_for()


def test_resident_searches_and_filters_the_feed_and_back_returns(app, client, open_page):
    page = open_page("/w/hoan-kiem")
    _follower(page)
    headers = _as_staff(app, client)
    _publish(client, headers, title="Tiêm chủng mở rộng", category="y_te", body="Trạm y tế phường.")
    _publish(client, headers, title="Cắt điện phố Hàng Bạc", body="Gọi 0912 345 678 nếu cần.")
    _publish(client, headers, title="Thu gom rác", category="moi_truong")

    _tab(page, "Thông báo").click()
    page.locator("#main li.card").nth(2).wait_for()
    check_page(page, "ward-feed-search")

    # Without diacritics, as people often type.
    page.get_by_label("Tìm trong thông báo").fill("cat dien")
    page.get_by_role("button", name="Tìm", exact=True).click()
    page.get_by_text("Có 1 thông báo khớp với tìm kiếm.").wait_for()
    assert page.locator("#main li.card h3").all_inner_texts() == ["Cắt điện phố Hàng Bạc"]
    assert page.url.endswith("/w/hoan-kiem/notices?q=cat+dien")

    # A category instead: chosen from the list, applied at once.
    page.get_by_label("Tìm trong thông báo").fill("")
    page.get_by_label("Lĩnh vực").select_option(label="Y tế")
    page.get_by_text("Có 1 thông báo khớp với tìm kiếm.").wait_for()
    page.get_by_role("heading", name="Tiêm chủng mở rộng").wait_for()
    assert page.url.endswith("/w/hoan-kiem/notices?category=y_te")

    # Nothing found says so.
    page.get_by_label("Tìm trong thông báo").fill("không có gì")
    page.get_by_role("button", name="Tìm", exact=True).click()
    page.get_by_text("Không có thông báo nào khớp với tìm kiếm của bạn.").wait_for()
    check_page(page, "ward-feed-no-match")

    # Back returns to the previous search, its box filled in.
    page.go_back()
    page.get_by_role("heading", name="Tiêm chủng mở rộng").wait_for()
    assert page.get_by_label("Lĩnh vực").input_value() == "y_te"
    page.go_back()
    page.get_by_role("heading", name="Cắt điện phố Hàng Bạc").wait_for()
    assert page.get_by_label("Tìm trong thông báo").input_value() == "cat dien"
    assert page.locator("#main li.card").count() == 1

    # The notice: its phone number is tap-to-call, and "Chia sẻ" copies its link.
    page.get_by_role("link", name=re.compile("Cắt điện phố Hàng Bạc")).click()
    call = page.get_by_role("link", name="0912 345 678")
    assert call.get_attribute("href") == "tel:0912345678"
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.evaluate("() => { delete Navigator.prototype.share; }")
    page.get_by_role("button", name="Chia sẻ").click()
    page.get_by_text("Đã chép liên kết").wait_for()
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied == page.url
    check_page(page, "ward-notice-shared")


def test_a_two_question_poll_limits_ticks_keeps_the_receipt_and_checks_it(app, client, open_page):
    page = open_page("/w/hoan-kiem")
    _follower(page)
    login_as(client, NEIGHBOUR)
    followed = client.post("/api/v1/wards/00070/follow", headers=csrf_headers(client))
    assert followed.status_code in (200, 201, 204), followed.get_json()
    headers = _as_staff(app, client)
    poll = client.post(
        "/api/v1/polls",
        json={
            "ward": WARD,
            "title": "Việc chung tháng này",
            "kind": "survey",
            "questions": [
                {
                    "text": "Làm những việc nào trước?",
                    "options": ["Quét ngõ", "Trồng cây", "Sơn tường"],
                    "min_choices": 1,
                    "max_choices": 2,
                },
                {"text": "Ngày nào?", "options": ["Thứ Bảy", "Chủ Nhật"]},
            ],
            "results_visibility": "after_vote",
            "quorum_percent": 60,
        },
        headers=headers | {"Idempotency-Key": "poll-viec-chung"},
    )
    assert poll.status_code == 201, poll.get_json()
    poll_id = poll.get_json()["id"]
    assert client.post(f"/api/v1/polls/{poll_id}/open", headers=headers).status_code == 200

    page.goto(f"/w/hoan-kiem/polls/{poll_id}")
    first = page.get_by_role("group", name="1. Làm những việc nào trước?")
    first.get_by_text("Chọn tối đa 2 phương án.").wait_for()
    first.get_by_label("Quét ngõ").check()
    first.get_by_text("Đã chọn 1/2 phương án.").wait_for()
    first.get_by_label("Trồng cây").check()
    # At the limit the third box is disabled, and the hint says why.
    first.get_by_text(re.compile("^Đã chọn đủ 2 phương án")).wait_for()
    assert first.get_by_label("Sơn tường").is_disabled()
    check_page(page, "ward-poll-limit-reached")
    first.get_by_label("Trồng cây").uncheck()
    assert first.get_by_label("Sơn tường").is_enabled()
    first.get_by_label("Sơn tường").check()
    page.get_by_role("group", name="2. Ngày nào?").get_by_label("Chủ Nhật").check()
    page.get_by_role("button", name="Gửi phiếu").click()
    page.get_by_role("heading", name="Phiếu của bạn đã được ghi nhận").wait_for()
    receipt = page.locator("#receipt").inner_text()
    # One of two followers voted: 50 % of a 60 % quorum.
    page.get_by_text("Chưa đạt túc số: 1/2 (cần 60%)").wait_for()
    assert "Đã đạt túc số" not in page.locator("#main").inner_text()

    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.get_by_role("button", name="Chép mã").click()
    page.get_by_text("Đã chép mã biên nhận.").wait_for()
    assert page.evaluate("() => navigator.clipboard.readText()") == receipt
    page.get_by_text("ai dùng điện thoại này cũng xem được").wait_for()
    check_page(page, "ward-poll-receipt-kept")

    # After a reload the receipt is still here; before the close the list is not published.
    page.reload()
    page.get_by_role("heading", name="Mã biên nhận của bạn").wait_for()
    assert page.locator("#receipt").inner_text() == receipt
    check = page.get_by_role("region", name="Kiểm tra phiếu")
    assert check.get_by_label("Mã biên nhận").input_value() == receipt
    check.get_by_role("button", name="Kiểm tra").click()
    check.get_by_text("danh sách phiếu sẽ được công bố khi cuộc biểu quyết kết thúc").wait_for()

    assert client.post(f"/api/v1/polls/{poll_id}/close", headers=headers).status_code == 200
    page.reload()
    page.get_by_text("Cuộc biểu quyết đã đóng.").wait_for()
    check.get_by_role("button", name="Kiểm tra").click()
    found = check.get_by_role("status")
    found.get_by_text("Phiếu của bạn có trong danh sách đã đếm.").wait_for()
    assert "Quét ngõ, Sơn tường" in found.inner_text()
    assert "Chủ Nhật" in found.inner_text()
    assert "Trồng cây" not in found.inner_text()
    check_page(page, "ward-poll-ballot-checked")

    # Typed by hand in lower case it is found too; a wrong code is not.
    check.get_by_label("Mã biên nhận").fill(" " + receipt.lower() + " ")
    check.get_by_role("button", name="Kiểm tra").click()
    found.get_by_text("Phiếu của bạn có trong danh sách đã đếm.").wait_for()
    check.get_by_label("Mã biên nhận").fill("AAAA-BBBB-CCCC-DDDD-EEEE")
    check.get_by_role("button", name="Kiểm tra").click()
    check.get_by_text("Không tìm thấy phiếu nào có mã này").wait_for()

    # "Xóa khỏi máy này" forgets it.
    page.get_by_role("button", name="Xóa khỏi máy này").click()
    page.get_by_text("Đã xóa mã biên nhận khỏi máy này.").wait_for()
    page.reload()
    page.get_by_text("Cuộc biểu quyết đã đóng.").wait_for()
    page.get_by_role("heading", name="Kiểm tra phiếu").wait_for()
    assert page.locator("#receipt").count() == 0
