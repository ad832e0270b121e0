"""A resident's account: the privacy notice at the first sign-in, export and erasure."""

from app.identity.demo import citizens_of
from tests.web.pages import check_page

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
