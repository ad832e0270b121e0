"""The city console (/city): the 126 units' indicators for city admins, and no one else."""

import re

from playwright.sync_api import expect

from app.identity.demo import CITY_ADMIN_SUB, citizens_of
from tests.conftest import grant
from tests.web.pages import check_page, sign_in_on_page

RESIDENT = citizens_of("00070")[3].sub
CHART_NAME = "Biểu đồ: số đơn vị theo trạng thái của từng chỉ tiêu"


def test_city_address_serves_the_console_page(client):
    """/city is a static page with the web front's security headers."""
    response = client.get("/city")
    body = response.get_data(as_text=True)
    response.close()  # the page is a file: close it, or pytest reports it left open
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert "/static/js/city.js" in body
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def _body_rows(page):
    return page.locator("#kpi-table tbody tr")


def test_city_admin_sorts_filters_and_downloads_the_indicators(app, open_page):
    grant(app, CITY_ADMIN_SUB, "city_admin")
    page = open_page("/city")
    page.get_by_text("Bảng điều hành dành cho cán bộ quản trị").wait_for()
    login = page.locator("main").get_by_role("link", name="Đăng nhập bằng VNeID")
    assert login.get_attribute("href") == "/auth/login?next=%2Fcity"
    check_page(page, "city-signed-out")
    sign_in_on_page(page, CITY_ADMIN_SUB)
    assert page.url.endswith("/city")

    page.get_by_text("Đang hiện 126/126 đơn vị").wait_for()
    expect(_body_rows(page)).to_have_count(126)
    chart = page.get_by_role("img", name=CHART_NAME)
    expect(chart).to_be_visible()
    description = page.locator("#kpi-chart-desc")
    expect(description).to_contain_text("Trên 126 đơn vị đang hiện")
    assert chart.get_attribute("aria-describedby") == "kpi-chart-desc"
    check_page(page, "city-console")

    # The units that need attention come first; pressing a header sorts by it, again turns it round.
    attention_header = page.get_by_role("columnheader", name=re.compile("^Cần chú ý"))
    expect(attention_header).to_have_attribute("aria-sort", "descending")
    ranks = (
        _body_rows(page)
        .locator("td.attention")
        .evaluate_all("cells => cells.map(c => Number(c.dataset.rank))")
    )
    assert ranks == sorted(ranks, reverse=True)
    name_header = page.get_by_role("columnheader", name=re.compile("^Đơn vị"))
    name_header.get_by_role("button").click()
    expect(name_header).to_have_attribute("aria-sort", "ascending")
    assert attention_header.get_attribute("aria-sort") is None
    first = _body_rows(page).first.locator("th").inner_text()
    name_header.get_by_role("button").click()
    expect(name_header).to_have_attribute("aria-sort", "descending")
    assert _body_rows(page).first.locator("th").inner_text() != first
    names = _body_rows(page).locator("th").all_inner_texts()
    assert names[0].startswith("Xã") and names[-1].startswith("Phường")

    # By keyboard: back to attention, its header focused and Enter pressed.
    attention_header.get_by_role("button").focus()
    page.keyboard.press("Enter")
    expect(attention_header).to_have_attribute("aria-sort", "descending")
    assert name_header.get_attribute("aria-sort") is None

    # Filter without diacritics, then by type.
    page.get_by_label("Tìm đơn vị (gõ có dấu hoặc không dấu)").fill("hoan kiem")
    page.get_by_text("Đang hiện 1/126 đơn vị").wait_for()
    expect(_body_rows(page)).to_have_count(1)
    expect(_body_rows(page).first.get_by_role("link", name="Phường Hoàn Kiếm")).to_have_attribute(
        "href", "/w/hoan-kiem"
    )
    page.get_by_label("Tìm đơn vị (gõ có dấu hoặc không dấu)").fill("")
    page.get_by_label("Loại đơn vị").select_option(label="Xã")
    page.get_by_text(re.compile(r"Đang hiện \d+/126 đơn vị")).wait_for()
    types = set(_body_rows(page).locator("td:nth-of-type(1)").all_inner_texts())
    assert types == {"Xã"}

    # Targets at risk (missed, once the deadline has passed) are marked in words, the API's
    # label, not only in colour.
    page.get_by_label("Loại đơn vị").select_option("")
    flagged = page.locator("#kpi-table td.kpi-cell.at_risk, #kpi-table td.kpi-cell.missed").first
    expect(flagged).to_contain_text(re.compile("Có nguy cơ không đạt|Không đạt"))
    assert page.locator("#kpi-table td.kpi-cell.not_met").count() == 0

    # The filter by status: every unit needs attention (its miniapp is not customised yet), none
    # has met a target.
    page.get_by_label("Trạng thái chỉ tiêu").select_option("met")
    page.get_by_text("Không có đơn vị nào khớp với bộ lọc.").wait_for()
    page.get_by_label("Trạng thái chỉ tiêu").select_option("attention")
    page.get_by_text("Đang hiện 126/126 đơn vị").wait_for()
    page.get_by_label("Trạng thái chỉ tiêu").select_option("")

    # The CSV download answers a spreadsheet in Vietnamese.
    csv_link = page.get_by_role("link", name="Tải CSV")
    assert csv_link.get_attribute("href") == "/api/v1/kpi?format=csv"
    response = page.request.get(csv_link.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "Tên đơn vị" in response.text()


def test_city_console_at_phone_width_scrolls_the_table_not_the_page(app, open_page):
    grant(app, CITY_ADMIN_SUB, "city_admin")
    page = open_page("/city")
    page.set_viewport_size({"width": 360, "height": 740})
    sign_in_on_page(page, CITY_ADMIN_SUB)
    page.get_by_text("Đang hiện 126/126 đơn vị").wait_for()
    widths = page.evaluate(
        """() => {
            const region = document.querySelector('.table-scroll');
            return {page: document.documentElement.scrollWidth, view: window.innerWidth,
                    region: region.clientWidth, table: region.scrollWidth};
        }"""
    )
    assert widths["page"] <= widths["view"], widths
    assert widths["table"] > widths["region"], widths
    check_page(page, "city-console-360")


def test_a_resident_is_told_the_console_is_not_for_them(open_page):
    page = open_page("/city")
    sign_in_on_page(page, RESIDENT)
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("không có quyền xem bảng điều hành thành phố")
    assert page.locator("#kpi-table").count() == 0
    check_page(page, "city-no-access")


def test_the_landing_page_leads_city_admins_to_their_console(app, open_page):
    grant(app, CITY_ADMIN_SUB, "city_admin")
    page = open_page("/auth/login?login_hint=" + CITY_ADMIN_SUB + "&next=/")
    link = page.get_by_role("link", name="Bảng điều hành thành phố: chỉ tiêu của 126 đơn vị")
    link.wait_for()
    check_page(page, "landing-city-admin")

    link.click()

    page.get_by_text("Đang hiện 126/126 đơn vị").wait_for()


def test_city_console_leads_to_each_departments_console(app, open_page):
    """The city admin reaches a department's console from the list of departments."""
    grant(app, CITY_ADMIN_SUB, "city_admin")
    page = open_page("/city")
    sign_in_on_page(page, CITY_ADMIN_SUB)
    nav = page.get_by_role("navigation", name="Các phần của bảng điều hành")
    sections = nav.get_by_role("link")
    expect(sections).to_have_count(6)
    hrefs = (
        "#kpi-table",
        "#broadcasts",
        "#departments",
        "#clients",
        "#city-webhooks",
        "#city-audit",
    )
    for href in hrefs:
        expect(page.locator(href)).to_have_count(1)  # every link leads somewhere
    section = page.locator("#departments")
    link = section.get_by_role("link", name="Sở Khoa học và Công nghệ")
    expect(link).to_be_visible()
    link.click()
    page.wait_for_url(re.compile(r"/d/[a-z-]+$"))
    page.get_by_role("heading", name=re.compile("Gửi thông báo tới phường, xã")).wait_for()
