"""Indicators over time in the consoles (issue 16): the city's units that need attention first
and a unit's history as a line chart; the ward staff's «Chỉ tiêu chuyển đổi số» with the monthly
report."""

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import expect

from app.extensions import db
from app.identity.demo import CITY_ADMIN_SUB, citizens_of
from indicators import history
from tests.conftest import csrf_headers, grant, login_as
from tests.web.pages import check_page, sign_in_on_page

WARD = "00070"  # Phường Hoàn Kiếm: merchants verified day by day, its QR indicator met today
OTHER = "00025"  # a unit with a merchant not verified: two indicators at risk, the most of all
QR = "merchant_payment_qr"
QR_NAME = "Hộ kinh doanh chợ 4.0 có mã QR thanh toán"
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def _post(client, sub, url, body=None):
    login_as(client, sub)
    response = client.post(url, json=body or {}, headers=csrf_headers(client))
    assert response.status_code in (200, 201), response.get_data(as_text=True)
    return response.get_json()


def _merchants(app, client, ward, count):
    """A market zone of `ward` with `count` merchants registered by its residents (not verified)."""
    people = [c.sub for c in citizens_of(ward)]
    grant(app, people[0], "ward_admin", ward=ward)
    zone = _post(
        client,
        people[0],
        f"/api/v1/wards/{ward}/market-zones",
        {"name": "Phố đi bộ", "kind": "street"},
    )
    ids = []
    for i, sub in enumerate(people[1 : 1 + count]):
        merchant = _post(
            client,
            sub,
            f"/api/v1/market-zones/{zone['id']}/merchants",
            {
                "name": f"Quầy {i}",
                "stall": f"A{i}",
                "bank_bin": "970436",
                "account_number": f"00110{i}2345678",
                "account_name": "NGUYEN VAN A",
            },
        )
        ids.append(merchant["id"])
    return people[0], ids


def _snapshot(app, days_ago):
    """Record the indicators as the daily job would have `days_ago` days before now."""
    moment = datetime.now(UTC) - timedelta(days=days_ago)
    with time_machine.travel(moment, tick=False), app.app_context():
        history.snapshot()
        db.session.commit()


@pytest.fixture
def four_days(app, client):
    """Four days of snapshots: Hoàn Kiếm's merchants with a QR go 0% → 50% → 50% → 100%;
    the other unit registers one merchant today, not verified yet."""
    admin, ids = _merchants(app, client, WARD, 2)
    _snapshot(app, 3)
    _post(client, admin, f"/api/v1/merchants/{ids[0]}/verify")
    _snapshot(app, 2)
    _snapshot(app, 1)
    _post(client, admin, f"/api/v1/merchants/{ids[1]}/verify")
    _merchants(app, client, OTHER, 1)
    _snapshot(app, 0)
    today = datetime.now(HANOI).date()
    return [(today - timedelta(days=d)).isoformat() for d in (3, 2, 1, 0)]


def test_city_lists_units_at_risk_first_and_charts_a_units_history(app, open_page, four_days):
    grant(app, CITY_ADMIN_SUB, "city_admin")
    page = open_page("/city")
    sign_in_on_page(page, CITY_ADMIN_SUB)
    page.get_by_text("Đang hiện 126/126 đơn vị").wait_for()
    rows = page.locator("#kpi-table tbody tr")

    # The unit with two indicators at risk comes first, its count said in words.
    expect(rows.first).to_have_attribute("data-code", OTHER)
    # (At risk until the deadline, 31/12/2026; missed after it.)
    expect(rows.first.locator("td.attention")).to_have_text(
        re.compile("^2 (có nguy cơ|không đạt)$")
    )
    expect(rows.nth(1).locator("td.attention")).to_have_text(
        re.compile("^1 (có nguy cơ|không đạt)$")
    )
    headers = page.locator("#kpi-table thead th").all_inner_texts()
    qr_column = next(i for i, text in enumerate(headers) if text.startswith(QR_NAME))
    expect(rows.first.locator("td").nth(qr_column - 1)).to_contain_text(
        re.compile("Có nguy cơ không đạt|Không đạt")
    )

    # Filtered on that indicator needing attention, only that unit is left.
    page.get_by_label("Trạng thái chỉ tiêu").select_option("attention")
    page.get_by_label("Của chỉ tiêu").select_option(QR)
    page.get_by_text("Đang hiện 1/126 đơn vị").wait_for()
    expect(rows).to_have_count(1)
    page.get_by_label("Trạng thái chỉ tiêu").select_option("met")
    page.get_by_text("Đang hiện 1/126 đơn vị").wait_for()
    expect(rows.first).to_have_attribute("data-code", WARD)

    # Pressing Hoàn Kiếm's cell opens its history: a point a day, the target dashed, the deadline.
    cell = rows.first.locator("td").nth(qr_column - 1)
    expect(cell).to_contain_text("Đạt")
    cell.get_by_role("button").click()
    chart = page.get_by_role("img", name=f"Diễn biến: {QR_NAME} – Phường Hoàn Kiếm")
    expect(chart).to_be_visible()
    expect(page.locator("#kpi-history-heading")).to_be_focused()
    points = chart.locator("circle.kpi-point")
    expect(points).to_have_count(4)
    assert points.evaluate_all("ps => ps.map(p => p.dataset.date)") == four_days
    assert points.evaluate_all("ps => ps.map(p => Number(p.dataset.value))") == [0, 0.5, 0.5, 1]
    ys = points.evaluate_all("ps => ps.map(p => Number(p.getAttribute('cy')))")
    assert ys[0] > ys[1] == ys[2] > ys[3]  # up the chart as the share grows
    expect(chart.locator("path.kpi-line")).to_have_count(1)
    target = chart.locator("line.kpi-target-line")
    expect(target).to_have_count(1)
    assert float(target.get_attribute("y1")) == ys[3]  # 100% is the target
    expect(chart.locator("line.kpi-deadline-line")).to_have_count(1)
    expect(chart.locator("text.kpi-deadline-text")).to_have_text("Hạn 31/12")
    assert chart.get_attribute("aria-describedby") == "kpi-history-desc"
    expect(page.locator("#kpi-history-desc")).to_contain_text("tăng từ 0% lên 100%")
    expect(page.locator("#kpi-history-desc")).to_contain_text("Mục tiêu 100%, hạn 31/12/2026")
    assert re.search(r"[?&]ward=00070&h=merchant_payment_qr", page.url)

    # The text alternative: every day's value, target and status, latest first.
    page.get_by_text("Bảng số liệu từng ngày (4 ngày)").click()
    table_rows = page.locator("#kpi-history-table tbody tr")
    expect(table_rows).to_have_count(4)
    texts = [re.sub(r"\s+", " ", t) for t in table_rows.all_inner_texts()]
    assert texts[0].endswith("100% 100% Đạt"), texts
    # Each day is judged on that day: before the deadline by its trend, after it missed.
    before = datetime.now(HANOI).date() <= date(2026, 12, 31)
    assert ("50% 100% Đúng tiến độ" if before else "50% 100% Không đạt") in texts[1], texts
    assert ("0% 100% Có nguy cơ không đạt" if before else "0% 100% Không đạt") in texts[3], texts
    check_page(page, "city-kpi-history")

    # The CSV link is still there.
    csv_link = page.get_by_role("link", name="Tải CSV")
    assert csv_link.get_attribute("href") == "/api/v1/kpi?format=csv"

    # The chosen unit and indicator are in the address: a reload shows the same chart, and the
    # chart fits a phone without the page scrolling sideways.
    page.set_viewport_size({"width": 360, "height": 740})
    page.reload()
    expect(page.get_by_role("img", name=f"Diễn biến: {QR_NAME} – Phường Hoàn Kiếm")).to_be_visible()
    expect(page.get_by_label("Trạng thái chỉ tiêu")).to_have_value("met")
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], widths
    check_page(page, "city-kpi-history-360")


def test_city_console_chooses_a_unit_and_an_indicator_without_the_table(app, open_page, four_days):
    grant(app, CITY_ADMIN_SUB, "city_admin")
    page = open_page("/city")
    sign_in_on_page(page, CITY_ADMIN_SUB)
    page.get_by_text("Đang hiện 126/126 đơn vị").wait_for()
    box = page.locator("#kpi-history-box")
    box.get_by_label("Đơn vị", exact=True).select_option(label="Phường Hoàn Kiếm")
    box.get_by_label("Chỉ tiêu", exact=True).select_option("residents_reached")
    box.get_by_role("button", name="Xem diễn biến").click()
    chart = page.get_by_role("img", name=re.compile("^Diễn biến: Người dân theo dõi"))
    expect(chart.locator("circle.kpi-point")).to_have_count(4)
    # No target: no dashed line, and the words say so.
    expect(chart.locator("line.kpi-target-line")).to_have_count(0)
    expect(page.locator("#kpi-history-desc")).to_contain_text("không có mục tiêu")


def test_staff_see_their_wards_indicators_history_and_monthly_report(app, open_page, four_days):
    editor = citizens_of(WARD)[1].sub
    grant(app, editor, "ward_editor", ward=WARD)
    page = open_page("/w/hoan-kiem/staff")
    sign_in_on_page(page, editor)
    section = page.locator("#kpi")
    section.get_by_role("heading", name="Chỉ tiêu chuyển đổi số").wait_for()
    nav = page.get_by_role("navigation", name="Các phần của bàn làm việc")
    expect(nav.get_by_role("link", name="Chỉ tiêu")).to_have_attribute("href", "#kpi")

    # The ward's indicators, those needing attention first: value, target, deadline, status.
    cards = section.locator("#kpi-list > li")
    expect(cards).to_have_count(11)
    order = ["missed", "at_risk", "on_track", "no_data", "met", "info"]
    statuses = cards.evaluate_all("cs => cs.map(c => c.className.split(' ')[1])")
    assert statuses == sorted(statuses, key=order.index), statuses
    first = cards.first
    expect(first).to_have_attribute("data-indicator", "miniapp_customised")
    expect(first.locator(".kpi-status")).to_have_text(
        re.compile("^(Có nguy cơ không đạt|Không đạt)$")
    )
    expect(first).to_contain_text("Hạn: 31/12/2026")
    qr = section.locator(f"li[data-indicator={QR}]")
    expect(qr.locator(".kpi-status")).to_have_text("Đạt")
    expect(qr).to_contain_text("Hiện tại: 100%")
    expect(qr).to_contain_text("Mục tiêu: 100%")

    # The monthly report: last month by default, another month picked.
    now = datetime.now(HANOI)
    last = (now.replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    link = section.get_by_role("link", name="Tải báo cáo tháng (PDF)")
    expect(link).to_have_attribute("href", f"/api/v1/kpi/report.pdf?ward={WARD}&month={last}")
    # The link answers the PDF to ward staff (an editor here).
    response = page.request.get(link.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
    section.get_by_label("Tháng báo cáo").fill("2026-10")
    expect(link).to_have_attribute("href", f"/api/v1/kpi/report.pdf?ward={WARD}&month=2026-10")

    # A chart of the first indicator with a target at once; another by its button.
    chart = section.get_by_role("img", name=re.compile("^Diễn biến: Miniapp được tùy biến"))
    expect(chart.locator("circle.kpi-point")).to_have_count(4)
    qr.get_by_role("button", name=f"Xem diễn biến: {QR_NAME}").click()
    chart = section.get_by_role("img", name=f"Diễn biến: {QR_NAME} – Phường Hoàn Kiếm")
    expect(chart.locator("circle.kpi-point")).to_have_count(4)
    expect(chart.locator("line.kpi-target-line")).to_have_count(1)
    expect(section.get_by_label("Chỉ tiêu", exact=True)).to_have_value(QR)
    section.get_by_text("Bảng số liệu từng ngày (4 ngày)").click()
    expect(section.locator("#kpi-staff-history-table tbody tr").first).to_contain_text("100%")
    check_page(page, "staff-kpi")


def test_community_leaders_do_not_get_the_indicators(app, client, open_page):
    people = [c.sub for c in citizens_of(WARD)]
    grant(app, people[0], "ward_admin", ward=WARD)
    community = _post(
        client,
        people[0],
        f"/api/v1/wards/{WARD}/communities",
        {"name": "Tổ 1", "kind": "to_dan_pho"},
    )
    _post(
        client,
        people[2],
        f"/api/v1/communities/{community['id']}/join",
        {"invite_code": community["invite_code"]},
    )
    _post(client, people[0], f"/api/v1/communities/{community['id']}/leaders", {"sub": people[2]})
    page = open_page("/w/hoan-kiem/staff")
    sign_in_on_page(page, people[2])
    page.get_by_text("Bạn phụ trách: Tổ 1.").wait_for()
    assert page.locator("#kpi").count() == 0
