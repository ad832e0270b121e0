"""Forms send once and say what is wrong beside the field, in Vietnamese (issue 13)."""

import re

from playwright.sync_api import expect

from app.identity.demo import citizens_of
from tests.conftest import csrf_headers, grant, login_as
from tests.web.pages import check_page, sign_in_on_page

WARD = "00070"
ADMIN = citizens_of(WARD)[0].sub
RESIDENT = citizens_of(WARD)[2].sub


def _posts(page, path: str) -> list:
    """Collect the POST requests the page sends to an API path."""
    sent = []
    page.on(
        "request",
        lambda request: (
            sent.append(request)
            if request.method == "POST" and request.url.split("?")[0].endswith(path)
            else None
        ),
    )
    return sent


def _staff_desk(app, open_page):
    grant(app, ADMIN, "ward_admin", ward=WARD)
    page = open_page("/w/hoan-kiem/staff")
    sign_in_on_page(page, ADMIN)
    page.locator("#notice-list li").first.wait_for()
    return page


def _titles(client) -> list[str]:
    login_as(client, ADMIN)
    return [n["title"] for n in client.get("/api/v1/wards/hoan-kiem/notices").get_json()["items"]]


def test_a_double_tap_publishes_one_notice(app, client, open_page):
    page = _staff_desk(app, open_page)
    sent = _posts(page, "/api/v1/notices")
    page.get_by_label("Tiêu đề").first.fill("Cắt điện khu phố Hàng Bạc")
    page.get_by_label("Nội dung", exact=True).fill("Từ 8:00 đến 11:00.")
    page.get_by_label("Mức độ").select_option("urgent")
    page.get_by_role("button", name="Đăng thông báo").dblclick()
    page.get_by_text(re.compile("Đã đăng thông báo «Cắt điện khu phố Hàng Bạc»")).wait_for()
    expect(page.locator("#notice-list li.card")).to_have_count(1)
    assert len(sent) == 1
    assert re.fullmatch(r"[0-9a-f-]{32,36}", sent[0].headers["idempotency-key"])
    assert _titles(client) == ["Cắt điện khu phố Hàng Bạc"]


def test_a_retry_after_a_network_failure_sends_the_same_key(app, client, open_page):
    page = _staff_desk(app, open_page)
    sent = _posts(page, "/api/v1/notices")
    page.get_by_label("Tiêu đề").first.fill("Lịch tiêm chủng")
    page.get_by_label("Nội dung", exact=True).fill("Sáng thứ Bảy tại trạm y tế.")
    button = page.get_by_role("button", name="Đăng thông báo")

    page.route("**/api/v1/notices", lambda route: route.abort("internetdisconnected"))
    button.click()
    page.get_by_role("alert").get_by_text(re.compile("Không kết nối được")).wait_for()
    expect(button).to_be_enabled()
    page.unroute("**/api/v1/notices")

    button.click()
    page.get_by_text(re.compile("Đã đăng thông báo «Lịch tiêm chủng»")).wait_for()
    assert len(sent) == 2
    assert sent[0].headers["idempotency-key"] == sent[1].headers["idempotency-key"]

    # A new submission after a success: a new key.
    page.get_by_label("Tiêu đề").first.fill("Lịch tiêm chủng")
    page.get_by_label("Nội dung", exact=True).fill("Sáng thứ Bảy tại trạm y tế.")
    button.click()
    expect(page.locator("#notice-list li.card")).to_have_count(2)
    assert len({request.headers["idempotency-key"] for request in sent}) == 2


def test_spaces_only_are_refused_beside_the_field_before_sending(app, open_page):
    page = _staff_desk(app, open_page)
    sent = _posts(page, "/api/v1/notices")
    page.get_by_label("Tiêu đề").first.fill("Họp tổ dân phố")
    body = page.get_by_label("Nội dung", exact=True)
    body.fill("    ")
    page.get_by_role("button", name="Đăng thông báo").click()
    note = page.get_by_text("«Nội dung» không được chỉ có dấu cách.")
    note.wait_for()
    assert note.count() == 1
    assert body.get_attribute("aria-invalid") == "true"
    assert note.get_attribute("id") in body.get_attribute("aria-describedby").split()
    expect(body).to_be_focused()
    assert sent == []
    check_page(page, "staff-notice-field-error")

    # Fixed, it goes; the message is gone.
    body.fill("Tối thứ Sáu tại nhà văn hoá.")
    page.get_by_role("button", name="Đăng thông báo").click()
    page.get_by_text(re.compile("Đã đăng thông báo «Họp tổ dân phố»")).wait_for()
    assert note.count() == 0
    assert body.get_attribute("aria-invalid") is None


def test_the_apis_field_errors_show_beside_their_fields_without_paths(app, open_page):
    page = _staff_desk(app, open_page)
    polls = page.locator("#polls")
    polls.get_by_label("Tiêu đề").fill("Chọn ngày họp")
    polls.get_by_label("Nội dung câu hỏi").fill("Ngày nào?")
    # The same option twice: the API refuses it, beside the options.
    polls.get_by_label("Phương án 1", exact=True).fill("Thứ Bảy")
    polls.get_by_label("Phương án 2", exact=True).fill("thứ bảy")
    polls.get_by_label("Kết thúc lúc").fill("2099-12-31T17:00")
    polls.get_by_role("button", name="Tạo cuộc biểu quyết").click()
    options = polls.locator("fieldset[data-field='questions.0.options']")
    note = options.locator(".field-error")
    expect(note).to_have_count(1)
    assert note.inner_text().strip()
    assert note.get_attribute("id") in options.get_attribute("aria-describedby").split()
    text = page.locator("#polls").inner_text()
    assert not re.search(r"questions\.\d|\boptions\b|Length must|Field may not", text), text

    # Too many choices allowed for two options: said before sending.
    polls.get_by_label("Phương án 2", exact=True).fill("Chủ Nhật")
    polls.get_by_label("Chọn nhiều nhất").fill("3")
    polls.get_by_role("button", name="Tạo cuộc biểu quyết").click()
    expect(polls.get_by_label("Chọn nhiều nhất")).to_have_attribute("aria-invalid", "true")
    polls.get_by_text("Số chọn nhiều nhất phải từ 1 đến 2 (số phương án).").wait_for()
    check_page(page, "staff-poll-field-error")


def _open_poll(app, client, questions):
    """Open a ward poll the resident may vote in (they follow the ward before it opens)."""
    login_as(client, RESIDENT)
    followed = client.post("/api/v1/wards/hoan-kiem/follow", headers=csrf_headers(client))
    assert followed.status_code < 300
    grant(app, ADMIN, "ward_admin", ward=WARD)
    login_as(client, ADMIN)
    headers = csrf_headers(client)
    poll = client.post(
        "/api/v1/polls",
        json={
            "ward": WARD,
            "title": "Chọn việc làm chung",
            "kind": "vote",
            "questions": questions,
            "results_visibility": "after_vote",
        },
        headers=headers,
    ).get_json()
    assert client.post(f"/api/v1/polls/{poll['id']}/open", headers=headers).status_code == 200
    return poll


def test_a_ballot_error_is_shown_once_beside_its_question(app, client, open_page):
    question = {"text": "Việc nào?", "options": ["Quét ngõ", "Trồng cây", "Sơn tường"]}
    poll = _open_poll(app, client, [question | {"max_choices": 2}])
    page = open_page(f"/w/hoan-kiem/polls/{poll['id']}")
    sign_in_on_page(page, RESIDENT)
    sent = _posts(page, f"/api/v1/polls/{poll['id']}/ballots")
    # The limit applies as people tick: at two, the third box cannot be ticked.
    for option in ["Quét ngõ", "Trồng cây"]:
        page.get_by_label(option).check()
    expect(page.get_by_label("Sơn tường")).to_be_disabled()
    assert sent == []

    # Nothing ticked: the API refuses; its message appears once, by the question.
    for option in ["Quét ngõ", "Trồng cây"]:
        page.get_by_label(option).uncheck()
    page.get_by_role("button", name="Gửi phiếu").click()
    question = page.locator("fieldset[data-field='answers.0']")
    question.locator(".field-error").wait_for()
    assert question.locator(".field-error").count() == 1
    message = question.locator(".field-error").inner_text()
    assert page.get_by_text(message, exact=True).count() == 1
    assert "answers" not in page.locator("#main").inner_text()
    check_page(page, "ward-poll-ballot-error")

    page.get_by_label("Trồng cây").check()
    page.get_by_role("button", name="Gửi phiếu").click()
    page.get_by_role("heading", name="Phiếu của bạn đã được ghi nhận").wait_for()
    assert len(sent) == 2
    assert sent[0].headers["idempotency-key"] != sent[1].headers["idempotency-key"]
