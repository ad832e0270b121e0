"""A department's console (/d/<dept>): its own miniapp config for its admins, "Gửi thông báo tới
phường, xã" for its staff, a 404 page for an unknown department; on a 360 px phone."""

from playwright.sync_api import expect

from app.identity.demo import citizens_of
from tests.conftest import login_as
from tests.web.pages import check_page, sign_in_on_page

ADMIN = citizens_of("00070")[2].sub
EDITOR = citizens_of("00070")[3].sub
RESIDENT = citizens_of("00070")[4].sub
PHONE_360 = {"width": 360, "height": 780}


def _grant(app, sub, role, department="SKHCN"):
    result = app.test_cli_runner().invoke(
        args=["roles", "grant", sub, role, "--department", department]
    )
    assert result.exit_code == 0, result.output


def _no_sideways_scroll(page) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE_360["width"], f"the page is {width} px wide"


def test_the_department_admin_edits_and_publishes_its_miniapp(app, client, open_page):
    _grant(app, ADMIN, "department_admin")
    page = open_page("/d/skhcn")
    page.set_viewport_size(PHONE_360)
    sign_in_on_page(page, ADMIN)
    page.locator("#config-versions li").first.wait_for()
    expect(page.locator("#app-subtitle")).to_have_text("Sở Khoa học và Công nghệ")
    expect(page.get_by_role("link", name="Cấu hình miniapp")).to_be_visible()
    broadcasts = page.locator("#broadcasts")
    expect(broadcasts.get_by_role("heading", level=2)).to_have_text("Gửi thông báo tới phường, xã")
    title = page.locator("#config-form").get_by_label("Tên miniapp")
    expect(title).to_have_value("Sở Khoa học và Công nghệ")
    expect(page.get_by_role("heading", name="Phiên bản 1 (đang dùng)")).to_be_visible()
    _no_sideways_scroll(page)
    check_page(page, "department-console")

    title.fill("KH&CN Hà Nội")
    expect(page.locator("#config-preview .preview-title")).to_have_text("KH&CN Hà Nội")
    page.get_by_role("button", name="Xuất bản", exact=True).click()
    dialog = page.get_by_role("dialog", name="Xuất bản cấu hình miniapp?")
    dialog.wait_for()
    expect(dialog).to_contain_text("Người dùng miniapp của Sở Khoa học và Công nghệ")
    check_page(page, "department-publish-dialog")
    dialog.get_by_role("button", name="Xuất bản").click()
    page.get_by_role("heading", name="Phiên bản 2 (đang dùng)").wait_for()

    published = client.get("/api/v1/departments/SKHCN/miniapp").get_json()
    assert published["app"]["title"] == "KH&CN Hà Nội"
    assert published["ward"]["code"] == "SKHCN"
    # The ward consoles' form is the same code: a ward's config is untouched.
    ward = client.get("/api/v1/wards/hoan-kiem/miniapp")
    assert ward.headers["X-Miniapp-Version"] == "1"

    # Large text keeps the page within a 360 px phone.
    page.get_by_role("button", name="Chữ to").click()
    expect(page.get_by_role("button", name="Chữ to")).to_have_attribute("aria-pressed", "true")
    _no_sideways_scroll(page)
    check_page(page, "department-console-large-text")


def test_an_editor_sees_the_broadcasts_but_not_the_config(app, open_page):
    _grant(app, EDITOR, "department_editor")
    page = open_page("/d/SKHCN")
    page.set_viewport_size(PHONE_360)
    sign_in_on_page(page, EDITOR)
    page.get_by_role("heading", name="Gửi thông báo tới phường, xã", level=2).wait_for()
    expect(page.locator("#config")).to_have_count(0)
    expect(page.get_by_role("link", name="Cấu hình miniapp")).to_have_count(0)
    _no_sideways_scroll(page)
    check_page(page, "department-console-editor")


def test_a_resident_or_another_departments_admin_is_told_plainly(app, open_page):
    _grant(app, ADMIN, "department_admin", department="SCT")
    page = open_page("/d/khoa-hoc-va-cong-nghe")
    sign_in_on_page(page, ADMIN)
    page.get_by_text("Tài khoản của bạn không phải cán bộ của Sở Khoa học và Công nghệ.").wait_for()
    expect(page.locator("#config")).to_have_count(0)
    expect(page.locator("#broadcasts")).to_have_count(0)

    other = open_page("/d/skhcn")
    sign_in_on_page(other, RESIDENT)
    other.get_by_text("không phải cán bộ").wait_for()
    check_page(other, "department-console-not-staff")


def test_anonymous_visitors_are_asked_to_sign_in(open_page):
    page = open_page("/d/skhcn")
    page.set_viewport_size(PHONE_360)
    page.get_by_text("tài khoản cán bộ của Sở Khoa học và Công nghệ").wait_for()
    expect(page.get_by_role("link", name="Đăng nhập bằng VNeID").first).to_be_visible()
    _no_sideways_scroll(page)
    check_page(page, "department-console-signed-out")


def test_an_unknown_department_is_a_404_page(client, open_page):
    response = client.get("/d/no-such")
    assert response.status_code == 404
    assert "Không tìm thấy sở, ban, ngành này" in response.get_data(as_text=True)
    found = client.get("/d/SKHCN")
    assert found.status_code == 200
    found.close()
    page = open_page("/d/no-such")
    page.get_by_role("heading", name="Không tìm thấy sở, ban, ngành này").wait_for()
    check_page(page, "department-not-found")


def test_the_api_refuses_what_the_page_hides(app, client):
    """The page only hides; the API refuses an editor's config edit (403)."""
    _grant(app, EDITOR, "department_editor")
    login_as(client, EDITOR)
    assert client.get("/api/v1/departments/SKHCN/miniapp/draft").status_code == 403
