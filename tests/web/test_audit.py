"""The "Nhật ký" section: a ward admin reads the ward's audit log with readable acts, filters
it and pages on; a city admin reads every ward's; an editor has no such section."""

import re

from playwright.sync_api import expect

from app.audit import SYSTEM_ACTOR, record
from app.extensions import db
from app.identity.demo import CITY_ADMIN_SUB, citizens_of
from tests.conftest import grant
from tests.web.pages import check_page, sign_in_on_page

WARD = "00070"  # Hoàn Kiếm
OTHER_WARD = "00025"  # Giảng Võ
ADMIN = citizens_of(WARD)[0].sub
EDITOR = citizens_of(WARD)[1].sub


def write(app, ward: str | None, count: int, action: str = "notice.published") -> None:
    """Write entries straight through the one writer (as the system)."""
    with app.app_context():
        for n in range(1, count + 1):
            record(action, "notice", n, f"Thông báo số {n}", ward_code=ward, actor=SYSTEM_ACTOR)
        db.session.commit()


def test_ward_admin_reads_filters_and_pages_the_log(app, open_page):
    grant(app, ADMIN, "ward_admin", ward=WARD)
    write(app, WARD, 1, action="poll.opened")
    write(app, WARD, 34)
    write(app, OTHER_WARD, 1, action="merchant.verified")
    page = open_page("/w/hoan-kiem/staff")
    sign_in_on_page(page, ADMIN)
    section = page.locator("#audit")
    items = section.locator("#audit-list li.card")
    expect(items.first).to_contain_text("Đăng thông báo: Thông báo số 34")
    expect(items.first).to_contain_text("Hệ thống")
    expect(items).to_have_count(30)
    page.get_by_role("navigation").get_by_role("link", name="Nhật ký").wait_for()
    check_page(page, "audit-ward")

    section.get_by_role("button", name="Xem thêm").click()
    # 34 notices, the poll and the admin's own role grant (when identity records it)
    expect(items).not_to_have_count(30)
    expect(section.get_by_text("Mở biểu quyết: Thông báo số 1")).to_be_visible()
    expect(section.get_by_text("Xác minh cửa hàng")).to_have_count(0)  # another ward's
    expect(section.get_by_role("button", name="Xem thêm")).to_have_count(0)

    section.get_by_label("Loại thao tác").select_option(label="Biểu quyết, khảo sát")
    expect(items).to_have_count(1)
    expect(items.first).to_contain_text("Mở biểu quyết")


def test_an_editor_has_no_log_section(app, open_page):
    grant(app, EDITOR, "ward_editor", ward=WARD)
    write(app, WARD, 1)
    page = open_page("/w/hoan-kiem/staff")
    sign_in_on_page(page, EDITOR)
    page.locator("#notices").wait_for()
    page.locator("#kpi").wait_for()
    expect(page.locator("#audit")).to_have_count(0)
    expect(page.get_by_role("link", name="Nhật ký")).to_have_count(0)


def test_city_admin_reads_every_ward_and_filters_by_ward(app, open_page):
    grant(app, CITY_ADMIN_SUB, "city_admin")
    write(app, WARD, 1)
    write(app, OTHER_WARD, 1, action="merchant.verified")
    write(app, None, 1, action="broadcast.published")
    page = open_page("/city")
    sign_in_on_page(page, CITY_ADMIN_SUB)
    section = page.locator("#city-audit")
    items = section.locator("#caudit-list li.card")
    expect(
        section.get_by_text("Gửi thông báo tới nhiều phường, xã: Thông báo số 1")
    ).to_be_visible()
    expect(items.filter(has_text="Xác minh cửa hàng")).to_contain_text("Phường Giảng Võ")
    expect(items.filter(has_text="Gửi thông báo tới nhiều")).to_contain_text("Toàn thành phố")
    check_page(page, "audit-city")
    section.get_by_label("Phường, xã").select_option(OTHER_WARD)
    expect(items).to_have_count(1)
    expect(items.first).to_contain_text(re.compile("^Xác minh cửa hàng: Thông báo số 1"))
