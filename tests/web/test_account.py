"""A resident's account: the privacy notice at the first sign-in, export and erasure."""

import json

from app.identity.demo import CITY_ADMIN_SUB, citizens_of
from tests.conftest import grant
from tests.web.pages import check_page, sign_in_on_page

WARD = "00070"
RESIDENT = citizens_of(WARD)[3]
OTHER = citizens_of(WARD)[4]


def _sign_in(page, sub: str) -> None:
    """Sign in through the mock's page, leaving any privacy notice open."""
    page.get_by_role("link", name="Đăng nhập bằng VNeID").first.click()
    page.locator(f"button[name=citizen][value='{sub}']").click()
    page.get_by_role("button", name="Đăng xuất").wait_for()


def test_privacy_notice_at_first_sign_in_only_and_recorded(open_page):
    page = open_page("/w/hoan-kiem")
    _sign_in(page, RESIDENT.sub)
    dialog = page.get_by_role("dialog", name="Thông báo về xử lý dữ liệu cá nhân")
    dialog.wait_for()
    assert page.evaluate("() => document.activeElement.closest('dialog') !== null")
    dialog.get_by_role("heading", name="Quyền của bạn").wait_for()
    check_page(page, "privacy-notice")

    dialog.get_by_role("button", name="Đồng ý và tiếp tục").click()
    dialog.wait_for(state="detached")
    data = page.evaluate("() => fetch('/api/v1/me/data').then((r) => r.json())")
    assert [c["purpose"] for c in data["consents"]] == ["community_participation"]

    # Signing out and in again: the notice is not shown a second time.
    page.get_by_role("button", name="Đăng xuất").click()
    _sign_in(page, RESIDENT.sub)
    page.get_by_role("heading", name="Trang chủ").wait_for()
    assert page.locator("dialog[open]").count() == 0


def test_declining_the_notice_signs_out_and_keeps_public_pages(open_page):
    page = open_page("/w/hoan-kiem/contacts")
    _sign_in(page, OTHER.sub)
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("button", name="Không đồng ý").click()
    dialog.get_by_role("heading", name="Bạn đã đăng xuất").wait_for()
    dialog.get_by_text("vẫn xem được các trang công khai").wait_for()
    check_page(page, "privacy-declined")
    dialog.get_by_role("button", name="Đóng").click()
    page.get_by_role("link", name="Đăng nhập bằng VNeID").wait_for()
    page.get_by_text("Đường dây nóng").wait_for()
    assert page.evaluate("() => fetch('/api/v1/me').then((r) => r.status)") == 401


def _account_page(page):
    """Open the account page from the header link."""
    page.get_by_role("banner").get_by_role("link", name="Tài khoản").click()
    page.get_by_role("heading", name="Tài khoản", exact=True).wait_for()
    page.get_by_role("heading", name="Xóa tài khoản").wait_for()


def test_the_account_page_shows_who_i_am_and_downloads_my_data(open_page):
    page = open_page("/w/hoan-kiem")
    sign_in_on_page(page, RESIDENT.sub)
    _account_page(page)
    assert page.url.endswith("/w/hoan-kiem/tai-khoan")
    facts = page.locator("dl.facts")
    assert RESIDENT.name in facts.inner_text()
    assert "Mức định danh VNeID" in facts.inner_text()
    check_page(page, "account")

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Tải dữ liệu của tôi").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".json")
    with open(download.path(), encoding="utf-8") as exported:
        data = json.load(exported)
    assert data["profile"]["name"] == RESIDENT.name
    page.get_by_text("Đã tải tệp dữ liệu của bạn").wait_for()


def test_erasing_the_account_after_confirmation_signs_out(open_page):
    page = open_page("/w/hoan-kiem")
    sign_in_on_page(page, RESIDENT.sub)
    _account_page(page)
    page.get_by_role("button", name="Xóa tài khoản").click()
    dialog = page.get_by_role("dialog", name="Xóa tài khoản của bạn?")
    dialog.wait_for()
    dialog.get_by_text("các phiếu bạn đã bỏ vẫn được đếm").wait_for()
    check_page(page, "account-erase-dialog")

    # "Không xóa" changes nothing.
    dialog.get_by_role("button", name="Không xóa").click()
    dialog.wait_for(state="hidden")
    assert page.evaluate("() => fetch('/api/v1/me').then((r) => r.status)") == 200

    page.get_by_role("button", name="Xóa tài khoản").click()
    dialog.get_by_role("button", name="Xóa tài khoản của tôi").click()
    page.get_by_text("Tài khoản của bạn đã được xóa").wait_for()
    assert page.url.endswith("/w/hoan-kiem")
    page.get_by_role("link", name="Đăng nhập bằng VNeID").first.wait_for()
    assert page.evaluate("() => fetch('/api/v1/me').then((r) => r.status)") == 401
    check_page(page, "account-erased")


def test_the_last_city_admin_is_refused_in_the_page(app, open_page):
    page = open_page("/w/hoan-kiem")
    sign_in_on_page(page, CITY_ADMIN_SUB)
    grant(app, CITY_ADMIN_SUB, "city_admin")
    page.reload()
    _account_page(page)
    page.get_by_text("Quản trị thành phố").wait_for()
    page.get_by_role("button", name="Xóa tài khoản").click()
    page.get_by_role("dialog").get_by_role("button", name="Xóa tài khoản của tôi").click()
    page.get_by_role("alert").get_by_text("quản trị thành phố duy nhất").wait_for()
    assert page.get_by_role("dialog").count() == 0
    assert page.evaluate("() => fetch('/api/v1/me').then((r) => r.status)") == 200
    check_page(page, "account-last-city-admin")


def test_signing_in_from_the_header_returns_to_the_page_one_moved_to(open_page):
    """The header's link is drawn once, at the first page; it must lead back to the current one."""
    page = open_page("/w/hoan-kiem")
    page.get_by_role("heading", name="Trang chủ").wait_for()
    page.evaluate(
        "() => { history.pushState(null, '', '/w/hoan-kiem/phan-anh'); "
        "dispatchEvent(new PopStateEvent('popstate')); }"
    )
    page.wait_for_url("**/w/hoan-kiem/phan-anh")

    _sign_in(page, RESIDENT.sub)

    page.wait_for_url("**/w/hoan-kiem/phan-anh")


def test_signing_out_of_every_device_ends_the_other_browsers_too(open_page):
    """ "Đăng xuất khỏi mọi thiết bị" on the phone: the laptop's session ends as well."""
    phone = open_page("/w/hoan-kiem")
    sign_in_on_page(phone, RESIDENT.sub)
    laptop = open_page("/w/hoan-kiem")
    sign_in_on_page(laptop, RESIDENT.sub)
    assert laptop.evaluate("() => fetch('/api/v1/me').then((r) => r.status)") == 200

    _account_page(phone)
    phone.get_by_role("heading", name="Phiên đăng nhập").wait_for()
    phone.get_by_role("button", name="Đăng xuất khỏi mọi thiết bị").click()
    phone.get_by_role("status").get_by_text("Bạn đã đăng xuất khỏi mọi thiết bị").wait_for()
    assert phone.url.endswith("/w/hoan-kiem/tai-khoan")
    phone.get_by_role("link", name="Đăng nhập bằng VNeID").first.wait_for()
    check_page(phone, "account-signed-out-everywhere")
    assert phone.evaluate("() => fetch('/api/v1/me').then((r) => r.status)") == 401
    assert laptop.evaluate("() => fetch('/api/v1/me').then((r) => r.status)") == 401
