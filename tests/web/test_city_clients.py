"""The city console's API clients: register one, see its secret once, copy it, delete it."""

import base64
import re

from playwright.sync_api import expect

from app.identity.demo import CITY_ADMIN_SUB
from tests.conftest import grant
from tests.web.pages import check_page, sign_in_on_page


def _token_status(page, client_id: str, secret: str) -> int:
    """Ask /oauth/token for a token with the client's credentials; return the status."""
    basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    response = page.request.post(
        "/oauth/token",
        form={"grant_type": "client_credentials"},
        headers={"Authorization": f"Basic {basic}"},
    )
    return response.status


def test_city_admin_registers_and_deletes_a_client(app, open_page):
    grant(app, CITY_ADMIN_SUB, "city_admin")
    page = open_page("/city")
    sign_in_on_page(page, CITY_ADMIN_SUB)
    section = page.locator("#clients")
    section.get_by_text("Chưa có ứng dụng nào được đăng ký.").wait_for()

    # Nothing chosen: the form says what is missing, beside each field, and sends nothing.
    form = section.locator("#cl-form")
    form.get_by_role("button", name="Đăng ký và tạo mã bí mật").click()
    expect(form.get_by_text("Hãy nhập «Tên ứng dụng».")).to_be_visible()
    expect(form.get_by_text("Hãy chọn ít nhất một phạm vi.")).to_be_visible()
    expect(form.get_by_text("Hãy chọn ít nhất một phường, xã, hoặc «Tất cả».")).to_be_visible()

    # Scopes are checkboxes with Vietnamese labels; wards are searched without diacritics.
    form.get_by_label("Tên ứng dụng").fill("Cổng dữ liệu Trường THCS Hoàn Kiếm")
    form.get_by_label(re.compile("^Đọc thông báo của phường, xã")).check()
    form.get_by_label(re.compile("^Đọc chỉ tiêu chuyển đổi số")).check()
    form.get_by_label("Tìm phường, xã (gõ có dấu hoặc không dấu)").fill("hoan kiem")
    expect(form.get_by_text("Đã chọn 0 phường, xã · đang hiện 1 kết quả tìm.")).to_be_visible()
    form.get_by_label("Phường Hoàn Kiếm").check()
    form.get_by_label("Tìm phường, xã (gõ có dấu hoặc không dấu)").fill("giang vo")
    form.get_by_label("Phường Giảng Võ").check()
    expect(form.get_by_text("Đã chọn 2 phường, xã")).to_be_visible()
    form.get_by_role("button", name="Đăng ký và tạo mã bí mật").click()

    # The secret, once, with a clear warning and copy buttons.
    panel = section.locator("#cl-secret")
    expect(panel).to_be_focused()
    expect(panel.get_by_role("alert")).to_contain_text("chỉ hiện một lần")
    client_id = panel.get_by_label("Mã ứng dụng (client_id)").input_value()
    secret = panel.get_by_label("Mã bí mật (client_secret)").input_value()
    assert client_id.startswith("pxsc_") and secret.startswith("pxss_")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    panel.get_by_role("button", name="Sao chép mã bí mật (client_secret)").click()
    expect(panel.get_by_text(re.compile("Đã sao chép|Ctrl\\+C"))).to_be_visible()
    table = section.locator("#cl-table")
    row = table.locator("tbody tr", has_text="Cổng dữ liệu Trường THCS Hoàn Kiếm")
    expect(row).to_contain_text(client_id)
    expect(row).to_contain_text("Phường Giảng Võ, Phường Hoàn Kiếm")
    expect(row).to_contain_text("Đọc chỉ tiêu chuyển đổi số")
    check_page(page, "city-clients-secret")
    assert _token_status(page, client_id, secret) == 200

    # Once saved, the secret is gone from the page for good.
    panel.get_by_role("button", name="Tôi đã lưu mã bí mật").click()
    expect(section.locator("#cl-secret")).to_have_count(0)
    assert secret not in page.content()
    page.reload()
    expect(row).to_be_visible()
    assert secret not in page.content()

    # Deleting asks first; cancelling keeps it, confirming stops its credentials at once.
    row.get_by_role("button", name="Xóa ứng dụng Cổng dữ liệu Trường THCS Hoàn Kiếm").click()
    dialog = page.get_by_role("dialog", name="Xóa ứng dụng «Cổng dữ liệu Trường THCS Hoàn Kiếm»?")
    expect(dialog).to_contain_text("ngừng hoạt động ngay lập tức")
    check_page(page, "city-clients-delete-dialog")
    dialog.get_by_role("button", name="Hủy").click()
    expect(dialog).to_have_count(0)
    expect(row).to_be_visible()
    row.get_by_role("button", name="Xóa ứng dụng Cổng dữ liệu Trường THCS Hoàn Kiếm").click()
    dialog.get_by_role("button", name="Xóa ứng dụng").click()
    expect(section.get_by_text("Chưa có ứng dụng nào được đăng ký.")).to_be_visible()
    expect(section.get_by_role("status").filter(has_text="Đã xóa «Cổng dữ liệu")).to_be_visible()
    assert _token_status(page, client_id, secret) == 401


def test_all_wards_and_an_error_from_the_api(app, open_page):
    """Choosing "all" sends every ward; a name the API refuses is shown beside the field."""
    grant(app, CITY_ADMIN_SUB, "city_admin")
    page = open_page("/city")
    sign_in_on_page(page, CITY_ADMIN_SUB)
    form = page.locator("#cl-form")
    form.get_by_label("Tên ứng dụng").fill("X")
    form.get_by_label(re.compile("^Đọc chợ 4.0")).check()
    form.get_by_label(re.compile("Tất cả 126 phường, xã")).check()
    expect(form.get_by_label("Tìm phường, xã (gõ có dấu hoặc không dấu)")).to_be_hidden()
    form.get_by_role("button", name="Đăng ký và tạo mã bí mật").click()
    name = form.get_by_label("Tên ứng dụng")
    expect(name).to_have_attribute("aria-invalid", "true")
    form.get_by_label("Tên ứng dụng").fill("Nền tảng dữ liệu thành phố")
    form.get_by_role("button", name="Đăng ký và tạo mã bí mật").click()
    page.locator("#cl-secret").wait_for()
    row = page.locator("#cl-table tbody tr", has_text="Nền tảng dữ liệu thành phố")
    expect(row).to_contain_text("Tất cả phường, xã")
    check_page(page, "city-clients")
