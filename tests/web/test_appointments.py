"""Appointments and queue numbers in the browser: a resident books a slot and gets the QR ticket
and the calendar file, cancels and books again; the ward's staff check them in by the code,
call the next number at a counter and mark it done; the hall's display shows (and announces)
the called numbers; the resident is reminded of tomorrow's booking and rates the visit.

The server and the browser are moved to 08:00 on a working day ahead: a booking can only be
checked in on its day, and a holiday (or a late run) has no slot left today.
"""

import re
from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine

from app.fields import LOCAL_TZ
from app.identity.demo import citizens_of, staff_sub
from app.workdays import holiday_name
from tests.conftest import csrf_headers, grant, login_as
from tests.web.pages import check_page, sign_in_on_page

WARD = "00070"
RESIDENT = citizens_of(WARD)[7]
EDITOR = staff_sub(WARD, "ward_editor")
SERVICE_NAME = "Chứng thực bản sao"


def _working_day_ahead() -> date:
    """The first day at least two days ahead that is neither a holiday nor the day before one."""
    day = datetime.now(LOCAL_TZ).date() + timedelta(days=2)
    while holiday_name(day) or holiday_name(day + timedelta(days=1)):
        day += timedelta(days=1)
    return day


@pytest.fixture
def morning():
    """Travel (server and tests) to 08:00, Hà Nội time, of a working day ahead; yield it."""
    at = datetime.combine(_working_day_ahead(), time(8, 0), tzinfo=LOCAL_TZ)
    with time_machine.travel(at.astimezone(UTC), tick=True):
        yield at


def _open(open_page, at, path):
    """Open a page with the browser's clock at `at` too (its "today" is the server's)."""
    page = open_page("about:blank")
    page.clock.install(time=at)
    page.goto(path)
    return page


def _create_service(client, **changes) -> dict:
    """Create a booking service of the ward as its editor, through the API."""
    login_as(client, EDITOR)
    body = {
        "name": SERVICE_NAME,
        "kind": "procedure",
        "location": "Bộ phận một cửa, tầng 1",
        "duration_minutes": 30,
        "capacity": 2,
        "counters": 2,
        "book_ahead_days": 14,
        "hours": [{"weekday": d, "start": "07:00", "end": "17:00"} for d in range(1, 8)],
        **changes,
    }
    response = client.post(
        f"/api/v1/wards/{WARD}/booking-services",
        json=body,
        headers={**csrf_headers(client), "Idempotency-Key": "web-booking-service-1"},
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def _book_in_page(page, service_id: int, day: date) -> str:
    """Book the first free slot of `day` on the service's page; return the new code."""
    page.goto(f"/w/hoan-kiem/dat-lich/{service_id}?ngay={day.isoformat()}")
    page.get_by_role("heading", name=re.compile("Chọn giờ")).wait_for()
    page.locator("input[name=slot]:not([disabled])").first.check()
    page.get_by_text(re.compile("^Bạn chọn: ")).wait_for()
    page.get_by_role("button", name="Xác nhận đặt lịch").click()
    page.wait_for_url(re.compile(r"/w/hoan-kiem/lich-hen/\d+\?moi=1$"))
    page.get_by_text("Đã đặt lịch.", exact=False).wait_for()
    return page.locator(".appointment .code").first.inner_text().strip()


def test_a_resident_books_staff_check_in_call_and_serve(app, client, open_page, morning):
    grant(app, EDITOR, "ward_editor", ward=WARD)
    service = _create_service(client)
    today = morning.date()

    # Signed out, the resident sees the services, the days and the slots, then signs in to book.
    page = _open(open_page, morning, "/w/hoan-kiem")
    page.locator("main").get_by_role("link", name="Đặt lịch, lấy số").click()
    page.get_by_role("heading", name="Đặt lịch, lấy số").wait_for()
    page.locator(f"#service-{service['id']}").get_by_text("Bộ phận một cửa, tầng 1").wait_for()
    check_page(page, "booking-services")
    page.get_by_role("link", name=SERVICE_NAME).click()
    page.get_by_role("heading", name=f"Đặt lịch: {SERVICE_NAME}").wait_for()
    first_day = page.locator("button.day-box").first
    assert first_day.get_attribute("data-date") == today.isoformat()
    first_day.click()
    page.get_by_role("heading", name=re.compile("2. Chọn giờ")).wait_for()
    assert first_day.get_attribute("aria-pressed") == "true"
    assert page.url.endswith(f"?ngay={today.isoformat()}")
    page.get_by_text("Đăng nhập bằng VNeID để đặt lịch.", exact=False).wait_for()
    check_page(page, "booking-slots-signed-out")
    page.reload()  # the header's sign-in link returns to the address the page was loaded at
    sign_in_on_page(page, RESIDENT.sub)
    page.get_by_role("heading", name=re.compile("Chọn giờ")).wait_for()
    page.locator("input[name=slot]:not([disabled])").first.check()
    page.get_by_text(re.compile(f"^Bạn chọn: {SERVICE_NAME}")).wait_for()
    check_page(page, "booking-confirm")
    page.get_by_role("button", name="Xác nhận đặt lịch").click()

    # The ticket: its code, the QR image (served and loaded), the calendar file.
    page.wait_for_url(re.compile(r"/w/hoan-kiem/lich-hen/\d+\?moi=1$"))
    page.get_by_text("Đã đặt lịch. Mã lịch hẹn của bạn là", exact=False).wait_for()
    code = page.locator(".appointment .code").first.inner_text().strip()
    assert re.fullmatch(r"[2-9A-Z]{6}", code), code
    qr = page.get_by_role("img", name=f"Mã QR của lịch hẹn {code}")
    qr.wait_for()
    page.wait_for_function(
        "alt => { const i = document.querySelector(`img[alt='${alt}']`);"
        " return i && i.complete && i.naturalWidth > 0; }",
        arg=f"Mã QR của lịch hẹn {code}",
    )
    calendar = page.get_by_role("link", name="Thêm vào lịch")
    assert calendar.get_attribute("href").endswith("/calendar.ics")
    assert page.request.get(calendar.get_attribute("href")).text().startswith("BEGIN:VCALENDAR")
    check_page(page, "appointment-booked")

    # A second booking of the same service that day is refused, in Vietnamese.
    page.goto(f"/w/hoan-kiem/dat-lich/{service['id']}?ngay={today.isoformat()}")
    page.locator("input[name=slot]:not([disabled])").first.check()
    page.get_by_role("button", name="Xác nhận đặt lịch").click()
    page.get_by_role("alert").wait_for()
    page.get_by_role("link", name="Xem lịch hẹn của tôi").wait_for()
    check_page(page, "booking-refused")

    # Cancelled after a confirmation, then booked again.
    page.goto("/w/hoan-kiem/lich-hen")
    card = page.locator(".appointment", has_text=code)
    card.get_by_role("button", name="Hủy lịch hẹn").click()
    dialog = page.get_by_role("dialog", name=f"Hủy lịch hẹn {code}?")
    check_page(page, "appointment-cancel-dialog")
    dialog.get_by_role("button", name="Hủy lịch hẹn").click()
    page.get_by_text(f"Đã hủy lịch hẹn {code}.").wait_for()
    page.locator(".appointment", has_text=code).get_by_text("Đã hủy").first.wait_for()
    code = _book_in_page(page, service["id"], today)

    # The staff check the resident in by typing the code: number 1.
    staff = _open(open_page, morning, "/w/hoan-kiem/staff")
    sign_in_on_page(staff, EDITOR)
    hall = staff.locator("#hall")
    hall.get_by_label("Mã lịch hẹn").fill(code.lower())
    hall.get_by_role("button", name="Xác nhận có mặt, cấp số").click()
    hall.get_by_text("Đã xác nhận có mặt. Số thứ tự:").wait_for()
    assert hall.locator(".hall-number").first.inner_text() == "1"
    staff.locator(".ticket-card").first.wait_for()
    check_page(staff, "staff-hall")

    # The resident sees their number and that they are next.
    page.goto("/w/hoan-kiem/lich-hen")
    mine = page.locator(".appointment", has_text=code)
    mine.get_by_text("Số thứ tự của bạn").wait_for()
    mine.get_by_text("Bạn là người tiếp theo.").wait_for()
    check_page(page, "appointments-mine-ticket")

    # The display shows the waiting person; counter 2 calls them; the display shows the call.
    display = _open(open_page, morning, "/w/hoan-kiem/queue")
    board = display.locator(".queue-service", has_text=SERVICE_NAME)
    board.get_by_text("1 người đang chờ", exact=False).wait_for()
    hall.get_by_label("Bạn đang ở quầy số").select_option("2")
    hall.get_by_role("button", name="Gọi số tiếp theo").click()
    hall.get_by_text("Mời số tới quầy 2:").wait_for()
    display.reload()
    board.locator(".serving li", has_text="Quầy 2").get_by_text("Số 1", exact=True).wait_for()
    check_page(display, "queue-display")

    # A walk-in number, called next: the display announces it at its next refresh.
    hall.get_by_label("Dịch vụ", exact=True).select_option(str(service["id"]))
    hall.get_by_role("button", name="Cấp số", exact=True).click()
    hall.get_by_text("Số thứ tự mới:").wait_for()
    hall.get_by_role("button", name="Gọi số tiếp theo").click()
    hall.get_by_text("Mời số tới quầy 2:").wait_for()
    display.locator("#queue-call").get_by_text(f"Mời số 2 tới quầy 2 ({SERVICE_NAME}).").wait_for(
        timeout=25_000
    )

    # The walk-in is called again, then marked absent (after the service's two calls).
    second = staff.locator(".ticket-card", has_text=f"Số 2 · {SERVICE_NAME}")
    second.get_by_role("button", name="Gọi lại").click()
    staff.locator(".ticket-card", has_text=f"Số 2 · {SERVICE_NAME}").get_by_text(
        "đã gọi 2 lần", exact=False
    ).wait_for()
    staff.locator(".ticket-card", has_text=f"Số 2 · {SERVICE_NAME}").get_by_role(
        "button", name="Vắng mặt"
    ).click()
    staff.locator(".ticket-card", has_text=f"Số 2 · {SERVICE_NAME}").get_by_text(
        "Vắng mặt", exact=True
    ).wait_for()

    # The first number is served; nobody is left waiting.
    first = f"Số 1 · {SERVICE_NAME}"
    staff.locator(".ticket-card", has_text=first).get_by_role("button", name="Xong").click()
    staff.locator(".ticket-card", has_text=first).get_by_text("Đã xong").wait_for()
    hall.get_by_label("Gọi số của").select_option(str(service["id"]))
    hall.get_by_role("button", name="Gọi số tiếp theo").click()
    hall.get_by_text("Không còn ai đang chờ ở dịch vụ này.").wait_for()

    # The day's schedule names the holder; the statistics count the visit.
    schedule = staff.locator("#schedule")
    schedule.get_by_role("button", name="Xem lịch").click()
    schedule.locator("tr", has_text=code).get_by_text(RESIDENT.name).wait_for()
    stats = staff.locator("#booking-stats")
    stats.get_by_role("button", name="Xem thống kê").click()
    stats.locator("tfoot").get_by_text("Tổng cộng").wait_for()
    csv = stats.get_by_role("link", name="Tải thống kê (CSV)")
    assert "format=csv" in csv.get_attribute("href")
    check_page(staff, "staff-schedule-stats")

    # Served: the resident rates the visit.
    page.goto("/w/hoan-kiem/lich-hen")
    served = page.locator(".appointment", has_text=code)
    served.get_by_label("5 sao – Rất hài lòng").check()
    check_page(page, "appointment-rate")
    served.get_by_role("button", name="Gửi đánh giá").click()
    page.get_by_text("Cảm ơn bạn đã đánh giá: 5/5 sao.").wait_for()


def test_a_reminder_of_tomorrow_tops_the_home_page(app, client, open_page, morning):
    grant(app, EDITOR, "ward_editor", ward=WARD)
    service = _create_service(client)
    tomorrow = morning.date() + timedelta(days=1)
    login_as(client, RESIDENT.sub)
    version = client.get("/api/v1/privacy-notice").get_json()["version"]
    client.post(
        "/api/v1/me/consent", json={"policy_version": version}, headers=csrf_headers(client)
    )
    slots = client.get(f"/api/v1/booking-services/{service['id']}/slots?date={tomorrow}").get_json()
    response = client.post(
        "/api/v1/appointments",
        json={"service_id": service["id"], "start": slots["items"][3]["start"]},
        headers={**csrf_headers(client), "Idempotency-Key": "web-booking-1"},
    )
    assert response.status_code == 201, response.get_json()
    with app.app_context():
        from appointments import send_reminders

        assert send_reminders() == 1

    page = _open(open_page, morning, "/w/hoan-kiem")
    sign_in_on_page(page, RESIDENT.sub)
    reminder = page.get_by_role("link", name=f"Nhắc lịch hẹn: {SERVICE_NAME}, ngày mai lúc 08:30")
    reminder.wait_for()
    check_page(page, "home-reminder")
    reminder.click()
    page.get_by_role("heading", name="Lịch hẹn của tôi").wait_for()
    page.locator(".appointment", has_text=response.get_json()["code"]).wait_for()

    # The account page leads here too.
    page.goto("/w/hoan-kiem/tai-khoan")
    page.get_by_role("link", name="Lịch hẹn của tôi").click()
    page.get_by_role("heading", name="Lịch hẹn của tôi").wait_for()


def test_staff_add_and_edit_a_service_with_its_hours(app, open_page, morning):
    grant(app, EDITOR, "ward_editor", ward=WARD)
    staff = _open(open_page, morning, "/w/hoan-kiem/staff")
    sign_in_on_page(staff, EDITOR)
    part = staff.locator("#booking-services")
    part.get_by_text("Chưa có dịch vụ nào.", exact=False).wait_for()
    part.locator("#new-service > summary").click()
    form = part.locator("#new-service form")
    form.get_by_label("Tên dịch vụ").fill("Đặt phòng họp nhà văn hóa")
    form.get_by_label("Loại").select_option("facility")
    form.get_by_label("Địa điểm").fill("Nhà văn hóa tổ dân phố số 3")
    form.get_by_label("Số người mỗi khung giờ").fill("0")

    # Hours: a third row added for Saturday, the second (afternoon) removed.
    form.get_by_role("button", name="Thêm khung giờ").click()
    third = form.get_by_role("group", name="Khung giờ 3")
    third.get_by_label("Ngày").select_option("6")
    third.get_by_label("Từ").fill("08:00")
    third.get_by_label("Đến").fill("12:00")
    form.get_by_role("button", name="Xóa khung giờ 2").click()
    assert form.get_by_role("group", name=re.compile("Khung giờ")).count() == 2
    check_page(staff, "staff-service-form")

    # The API's refusal shows beside the field.
    form.get_by_role("button", name="Thêm dịch vụ").click()
    capacity = form.get_by_label("Số người mỗi khung giờ")
    form.locator(".field-error").first.wait_for()
    assert capacity.get_attribute("aria-invalid") == "true"
    check_page(staff, "staff-service-form-error")
    capacity.fill("20")
    form.get_by_role("button", name="Thêm dịch vụ").click()
    part.get_by_text("Đã thêm dịch vụ «Đặt phòng họp nhà văn hóa».").wait_for()
    card = part.locator(".card", has_text="Đặt phòng họp nhà văn hóa").first
    card.get_by_text("Giờ tiếp nhận: Thứ Hai 08:00–11:30; Thứ Bảy 08:00–12:00").wait_for()

    # Paused: the card says so; residents no longer see it.
    card.get_by_text("Sửa «Đặt phòng họp nhà văn hóa»").click()
    card.get_by_label("Đang nhận đặt lịch").uncheck()
    card.get_by_role("button", name="Lưu «Đặt phòng họp nhà văn hóa»").click()
    part.get_by_text("Đã lưu «Đặt phòng họp nhà văn hóa».").wait_for()
    part.get_by_role("heading", name="Đặt phòng họp nhà văn hóa (tạm ngừng)").wait_for()
    resident = _open(open_page, morning, "/w/hoan-kiem/dat-lich")
    resident.get_by_text("chưa mở đặt lịch trực tuyến cho việc nào", exact=False).wait_for()


def test_the_hall_display_of_an_unknown_ward_is_not_found(client):
    assert client.get("/w/khong-co-phuong-nay/queue").status_code == 404
    page = client.get("/w/hoan-kiem/queue")
    page.close()  # its file is closed with the answer
    assert page.status_code == 200
    assert b"/static/js/queue.js" in page.data
    assert "default-src 'self'" in page.headers["Content-Security-Policy"]
