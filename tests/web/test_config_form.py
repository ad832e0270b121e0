"""The miniapp config as a form: names, colours with a contrast check, modules in order,
contacts and links, a live preview, confirmation before publish and restore (issue 13)."""

import json
import re

from playwright.sync_api import expect

from app.identity.demo import citizens_of
from tests.conftest import csrf_headers, grant, login_as
from tests.web.pages import check_page, sign_in_on_page

WARD = "00070"
ADMIN = citizens_of(WARD)[0].sub


def _config_form(app, open_page):
    grant(app, ADMIN, "ward_admin", ward=WARD)
    page = open_page("/w/hoan-kiem/staff#config")
    sign_in_on_page(page, ADMIN)
    page.locator("#config-versions li").first.wait_for()
    return page


def _tiles(page) -> list[str]:
    return page.locator("#config-preview .grid li").all_inner_texts()


def test_the_form_publishes_a_new_title_colour_order_link_and_number(app, client, open_page):
    page = _config_form(app, open_page)
    config = page.locator("#config")
    title = config.get_by_label("Tên miniapp")
    expect(title).to_have_value("Phường Hoàn Kiếm")
    # The raw JSON is an advanced view, closed at first.
    expect(page.get_by_label("Tài liệu cấu hình (JSON)")).to_be_hidden()
    check_page(page, "staff-config-form")

    title.fill("Hoàn Kiếm số")
    page.locator("#config-light-primary").fill("#1565c0")
    preview = page.locator("#config-preview")
    expect(preview.locator(".preview-title")).to_have_text("Hoàn Kiếm số")
    assert (
        preview.locator(".top").evaluate("e => getComputedStyle(e).backgroundColor")
        == "rgb(21, 101, 192)"
    )
    expect(page.locator("#config-light-primary-hex")).to_have_text("#1565C0")

    # Polls move up by the keyboard; the focus stays on the moved module's button.
    assert _tiles(page)[:3] == ["Thông báo", "Biểu quyết – Khảo sát", "Chợ 4.0 – Phố số"]
    up = page.get_by_role("button", name="Chuyển «Biểu quyết – Khảo sát» lên")
    up.focus()
    page.keyboard.press("Enter")
    assert _tiles(page)[:3] == ["Biểu quyết – Khảo sát", "Thông báo", "Chợ 4.0 – Phố số"]
    expect(page.get_by_role("button", name="Chuyển «Biểu quyết – Khảo sát» xuống")).to_be_focused()
    expect(page.get_by_role("button", name="Chuyển «Biểu quyết – Khảo sát» lên")).to_be_disabled()

    # The market is switched off: gone from the preview and from the tab bar.
    market = page.locator("fieldset.module-row").filter(has_text="Chợ 4.0 – Phố số")
    market.get_by_label("Bật").uncheck()
    assert "Chợ 4.0 – Phố số" not in _tiles(page)
    expect(market.get_by_label("Trên thanh tab")).to_be_disabled()

    # A link needs an https address.
    page.get_by_label("Tên liên kết").fill("Cổng thông tin Hà Nội")
    page.get_by_label("Địa chỉ (https://…)").fill("http://hanoi.gov.vn")
    page.get_by_role("button", name="Thêm liên kết").click()
    page.get_by_text("Địa chỉ liên kết phải bắt đầu bằng https://").wait_for()
    page.get_by_label("Địa chỉ (https://…)").fill("https://hanoi.gov.vn")
    page.get_by_role("button", name="Thêm liên kết").click()
    assert _tiles(page)[-1] == "Cổng thông tin Hà Nội"

    # An extra number, tap-to-call in the preview.
    page.get_by_role("button", name="Thêm số điện thoại").click()
    page.get_by_label("Tên số 4").fill("Trạm y tế phường")
    page.get_by_label("Số điện thoại 4").fill("024 3825 1234")
    expect(preview.get_by_role("link", name="024 3825 1234")).to_have_attribute(
        "href", "tel:02438251234"
    )
    check_page(page, "staff-config-form-edited")

    page.get_by_label("Tóm tắt thay đổi (không bắt buộc)").fill(
        "Tên mới, màu xanh, thêm cổng thông tin"
    )
    page.get_by_role("button", name="Xuất bản", exact=True).click()
    dialog = page.get_by_role("dialog", name="Xuất bản cấu hình miniapp?")
    dialog.wait_for()
    expect(dialog).to_contain_text("Hoàn Kiếm số")
    check_page(page, "staff-config-publish-dialog")
    dialog.get_by_role("button", name="Xuất bản").click()
    page.get_by_text("Đã xuất bản phiên bản 2: Tên mới, màu xanh, thêm cổng thông tin").wait_for()
    page.get_by_role("heading", name="Phiên bản 2 (đang dùng)").wait_for()
    expect(page.locator("#config-form").get_by_label("Tên miniapp")).to_have_value("Hoàn Kiếm số")

    published = client.get("/api/v1/wards/hoan-kiem/miniapp").get_json()
    assert published["app"]["title"] == "Hoàn Kiếm số"
    assert published["app"]["theme"]["light"]["primary"] == "#1565C0"
    ids = [m["id"] for m in published["modules"]]
    assert ids[:2] == ["polls", "notices"]
    assert ids[-1] == "cong-thong-tin-ha-noi"
    assert "market" not in published["tab_bar"]
    contacts = next(m for m in published["modules"] if m["id"] == "contacts")
    assert contacts["settings"]["extra_numbers"][-1] == {
        "label": "Trạm y tế phường",
        "phone": "024 3825 1234",
    }

    resident = open_page("/w/hoan-kiem")
    resident.get_by_role("heading", name="Hoàn Kiếm số", level=1).wait_for()


def test_a_low_contrast_colour_is_warned_and_blocks_publishing(app, client, open_page):
    page = _config_form(app, open_page)
    publish = page.get_by_role("button", name="Xuất bản", exact=True)
    expect(publish).to_be_enabled()
    page.locator("#config-light-text").fill("#bbbbbb")
    warning = page.get_by_role("alert").filter(
        has_text="Màu chưa đủ tương phản nên chưa xuất bản được"
    )
    warning.wait_for()
    expect(page.locator("#config-contrast li.fail")).to_have_text(
        re.compile(r"Màu chữ trên màu nền \(giao diện sáng\): 1,7:1 – chưa đạt")
    )
    expect(publish).to_be_disabled()
    check_page(page, "staff-config-low-contrast")

    # A darker text colour reads again: publishing is allowed.
    page.locator("#config-light-text").fill("#333333")
    expect(warning).to_have_count(0)
    expect(publish).to_be_enabled()
    login_as(client, ADMIN)
    versions = client.get("/api/v1/wards/hoan-kiem/miniapp/versions").get_json()["items"]
    assert [v["version"] for v in versions] == [1]


def test_restore_asks_first_and_shows_the_restored_document(app, client, open_page):
    grant(app, ADMIN, "ward_admin", ward=WARD)
    login_as(client, ADMIN)
    headers = csrf_headers(client)
    draft = client.get("/api/v1/wards/hoan-kiem/miniapp/draft").get_json()
    draft["app"]["title"] = "Hoàn Kiếm số"
    assert (
        client.put("/api/v1/wards/hoan-kiem/miniapp/draft", json=draft, headers=headers).status_code
        == 200
    )
    assert (
        client.post("/api/v1/wards/hoan-kiem/miniapp/publish", headers=headers).status_code == 201
    )

    page = _config_form(app, open_page)
    title = page.locator("#config-form").get_by_label("Tên miniapp")
    expect(title).to_have_value("Hoàn Kiếm số")
    # A draft is saved over it: restoring must not leave it in the form.
    title.fill("Bản nháp dở dang")
    page.get_by_role("button", name="Lưu nháp").click()
    page.get_by_text("Đã lưu nháp.", exact=False).wait_for()

    page.get_by_role("button", name="Khôi phục phiên bản 1").click()
    dialog = page.get_by_role("dialog", name="Khôi phục phiên bản 1?")
    dialog.wait_for()
    expect(dialog).to_contain_text("Bản nháp chưa xuất bản sẽ bị bỏ")
    check_page(page, "staff-config-restore-dialog")
    dialog.get_by_role("button", name="Hủy").click()
    expect(dialog).to_have_count(0)
    assert (
        client.get("/api/v1/wards/hoan-kiem/miniapp").get_json()["app"]["title"] == "Hoàn Kiếm số"
    )

    page.get_by_role("button", name="Khôi phục phiên bản 1").click()
    page.get_by_role("dialog").get_by_role("button", name="Khôi phục phiên bản 1").click()
    page.get_by_text("Đã khôi phục phiên bản 1 thành phiên bản 3.").wait_for()
    expect(title).to_have_value("Phường Hoàn Kiếm")
    page.get_by_text("Nâng cao: tài liệu cấu hình (JSON)").click()
    document = json.loads(page.get_by_label("Tài liệu cấu hình (JSON)").input_value())
    assert document["app"]["title"] == "Phường Hoàn Kiếm"
    expect(page.locator("#config-preview .preview-title")).to_have_text("Phường Hoàn Kiếm")
    check_page(page, "staff-config-restored")
    assert (
        client.get("/api/v1/wards/hoan-kiem/miniapp").get_json()["app"]["title"]
        == "Phường Hoàn Kiếm"
    )
    assert client.get("/api/v1/wards/hoan-kiem/miniapp/draft").headers["X-Miniapp-Draft"] == "false"
