"""A resident of Hoàn Kiếm signs in, follows the ward, reads a notice, votes, sees the receipt."""

import re

from app.identity.demo import citizens_of
from tests.conftest import csrf_headers, grant, login_as
from tests.web.pages import check_page, sign_in_on_page

WARD = "00070"
STAFF = citizens_of(WARD)[0].sub
RESIDENT = citizens_of(WARD)[2].sub


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
