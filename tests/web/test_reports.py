"""Field reports in the browser: a resident reports with a photo and their position, the report
shows on the ward's board without their name, the ward's staff acknowledge and resolve it from
the console, and the resident sees the history, the "my reports" badge, and rates it."""

import re

from PIL import Image

from app.identity.demo import citizens_of, staff_sub
from tests.conftest import csrf_headers, grant, login_as
from tests.reports.conftest import jpeg_with_gps, multipart, report_body
from tests.web.pages import check_page, sign_in_on_page

WARD = "00070"
RESIDENT = citizens_of(WARD)[6]
EDITOR = staff_sub(WARD, "ward_editor")
HOAN_KIEM = {"latitude": 21.02851, "longitude": 105.85423}


def _photo(tmp_path):
    path = tmp_path / "o-ga.jpg"
    Image.new("RGB", (64, 48), (120, 90, 30)).save(path, "JPEG")
    return path


def test_a_resident_reports_staff_resolve_and_the_resident_rates(app, open_page, tmp_path):
    grant(app, EDITOR, "ward_editor", ward=WARD)

    # The resident finds the form from the ward's home page.
    page = open_page("/w/hoan-kiem")
    page.locator("main").get_by_role("link", name="Phản ánh hiện trường").click()
    page.get_by_role("heading", name="Phản ánh hiện trường").wait_for()
    page.get_by_text("Chưa có phản ánh nào.").wait_for()
    check_page(page, "reports-board-empty")
    page.get_by_role("link", name="Gửi phản ánh").first.click()
    page.get_by_role("heading", name="Gửi phản ánh").wait_for()
    page.reload()  # the header's sign-in link returns to the address the page was loaded at
    sign_in_on_page(page, RESIDENT.sub)
    assert page.url.endswith("/w/hoan-kiem/phan-anh/moi")
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation(HOAN_KIEM)

    # Sending without a position says what is missing, beside the field.
    page.get_by_label("Loại phản ánh").select_option("duong_via_he")
    page.get_by_label("Nội dung phản ánh").fill("Ổ gà lớn giữa ngõ, xe máy đi qua rất dễ ngã.")
    page.get_by_role("button", name="Gửi phản ánh").click()
    page.get_by_text("Hãy nhập «Vĩ độ».").wait_for()

    page.get_by_label("Ảnh chụp").set_input_files(str(_photo(tmp_path)))
    page.get_by_text("o-ga.jpg").wait_for()
    page.get_by_role("img", name="Ảnh 1 sẽ gửi").wait_for()
    page.wait_for_function(
        "() => { const i = document.querySelector('.photo-preview img');"
        " return i && i.complete && i.naturalWidth > 0; }"
    )
    page.get_by_role("button", name="Lấy vị trí hiện tại").click()
    page.get_by_text("Đã lấy vị trí: 21.0285, 105.8542 (đã làm tròn).").wait_for()
    assert page.get_by_label("Vĩ độ").input_value() == "21.0285"
    page.get_by_label("Địa chỉ, mô tả nơi xảy ra").fill("Ngõ 5 Hàng Bông")
    check_page(page, "reports-new")
    page.get_by_role("button", name="Gửi phản ánh").press("Enter")
    page.wait_for_url(re.compile(r"/w/hoan-kiem/phan-anh/\d+\?moi=1$"))
    report_id = int(re.search(r"/phan-anh/(\d+)", page.url).group(1))
    page.get_by_text("Đã gửi phản ánh.").wait_for()
    page.get_by_text("Trạng thái").first.wait_for()
    # The photo as served (re-encoded, 64 px wide), once the browser has loaded it.
    page.wait_for_function(
        "alt => { const i = document.querySelector(`img[alt='${alt}']`);"
        " return i && i.complete && i.naturalWidth === 64; }",
        arg=f"Ảnh 1 của phản ánh #{report_id}",
    )
    check_page(page, "report-sent")

    # Anyone sees it on the board, without the reporter's name.
    visitor = open_page("/w/hoan-kiem/phan-anh")
    card = visitor.locator(f"#report-{report_id}")
    card.get_by_text("Ổ gà lớn giữa ngõ").wait_for()
    card.get_by_text("Đã tiếp nhận").wait_for()
    assert RESIDENT.name not in visitor.content()
    visitor.get_by_label("Trạng thái").select_option("closed")
    visitor.get_by_role("button", name="Lọc").click()
    visitor.get_by_text("Không có phản ánh nào khớp với bộ lọc.").wait_for()
    assert visitor.url.endswith("/w/hoan-kiem/phan-anh?status=closed")
    check_page(visitor, "reports-board-filtered")
    visitor.goto(f"/w/hoan-kiem/phan-anh/{report_id}")
    visitor.get_by_role("heading", name=re.compile(f"Phản ánh #{report_id}")).wait_for()
    assert RESIDENT.name not in visitor.content()
    check_page(visitor, "report-public")

    # The ward's editor acknowledges it, then resolves it, each with a public note.
    staff = open_page("/w/hoan-kiem/staff")
    sign_in_on_page(staff, EDITOR)
    item = staff.locator(f"#triage-{report_id}")
    item.get_by_text("Người gửi: " + RESIDENT.name).wait_for()
    check_page(staff, "staff-reports-queue")
    item.get_by_label("Chuyển sang").select_option("acknowledged")
    item.get_by_label("Ghi chú công khai").fill("Phường đã nhận, tổ giao thông sẽ kiểm tra.")
    item.get_by_role("button", name="Cập nhật trạng thái").click()
    staff.get_by_text(f"Đã chuyển phản ánh #{report_id} sang «Đã xác nhận».").wait_for()
    item.get_by_label("Chuyển sang").select_option("resolved")
    item.get_by_label("Ghi chú công khai").fill("Đã vá ổ gà.")
    item.get_by_role("button", name="Cập nhật trạng thái").click()
    staff.get_by_text(f"Đã chuyển phản ánh #{report_id} sang «Đã xử lý xong».").wait_for()
    check_page(staff, "staff-reports-resolved")

    # The resident sees the badge, then the history, and rates the handling.
    page.goto("/w/hoan-kiem/phan-anh")
    page.get_by_role(
        "link", name=re.compile("Phản ánh của tôi.*1 phản ánh có cập nhật mới")
    ).click()
    page.get_by_text("1 phản ánh có cập nhật mới từ phường, xã.").wait_for()
    page.locator(f"#report-{report_id}").get_by_text("Có cập nhật mới").wait_for()
    check_page(page, "reports-mine")
    page.get_by_role("link", name=re.compile(f"#{report_id}")).click()
    page.get_by_text("Phường đã nhận, tổ giao thông sẽ kiểm tra.").wait_for()
    page.get_by_text("Đã vá ổ gà.").wait_for()
    page.get_by_label("5 sao – Rất hài lòng").check()
    check_page(page, "report-resolved-mine")
    page.get_by_role("button", name="Gửi đánh giá").click()
    page.get_by_text("Cảm ơn bạn đã đánh giá: 5/5 sao.").wait_for()
    page.goto("/w/hoan-kiem/phan-anh/cua-toi")
    page.locator(f"#report-{report_id}").wait_for()
    assert page.get_by_text("Có cập nhật mới").count() == 0


def test_staff_mark_a_duplicate_and_hide_a_photo(app, client, open_page):
    """Staff mark a second report as a duplicate of the first, and hide the first one's photo:
    the public page then shows neither the photo nor the second report in the queue."""
    grant(app, EDITOR, "ward_editor", ward=WARD)
    login_as(client, RESIDENT.sub)
    headers = {**csrf_headers(client), "Idempotency-Key": "web-report-1"}
    body, content_type = multipart(
        report_body(description="Có người vứt rác trước cửa nhà tôi."),
        [("photos", jpeg_with_gps())],
    )
    first = client.post(
        "/api/v1/reports", data=body, content_type=content_type, headers=headers
    ).get_json()
    second = client.post(
        "/api/v1/reports",
        json=report_body(description="Rác ở đầu ngõ 5 lại đầy."),
        headers={**headers, "Idempotency-Key": "web-report-2"},
    ).get_json()

    staff = open_page("/w/hoan-kiem/staff")
    sign_in_on_page(staff, EDITOR)
    item = staff.locator(f"#triage-{second['id']}")
    item.get_by_label("Chuyển sang").select_option("duplicate")
    item.get_by_label("Số của phản ánh gốc").fill(str(first["id"]))
    item.get_by_label("Ghi chú công khai").fill("Trùng phản ánh đã nhận, xem phản ánh gốc.")
    item.get_by_role("button", name="Cập nhật trạng thái").click()
    staff.get_by_text(f"Đã chuyển phản ánh #{second['id']} sang «Trùng phản ánh khác».").wait_for()

    photo = staff.locator(f"#triage-{first['id']}")
    # The report was filed under the wrong category: staff move it; its deadline follows.
    photo.get_by_text("Đổi loại phản ánh…").click()
    photo.get_by_label("Loại phản ánh").select_option("duong_via_he")
    check_page(staff, "staff-reports-category")
    photo.get_by_role("button", name="Đổi loại").click()
    staff.get_by_text(
        f"Đã chuyển phản ánh #{first['id']} sang loại «Đường, vỉa hè hư hỏng»."
    ).wait_for()
    photo.get_by_text("Ẩn nội dung hoặc ảnh…").click()
    photo.get_by_label("Phần cần ẩn").select_option(label="Ảnh 1")
    photo.get_by_label("Lý do ẩn").fill("Ảnh thấy rõ mặt người qua đường.")
    check_page(staff, "staff-reports-hide")
    photo.get_by_role("button", name="Ẩn", exact=True).click()
    staff.get_by_text("Đã ẩn ảnh với mọi người.").wait_for()
    photo.get_by_role("img", name="Ảnh 1 (đã ẩn với mọi người)").wait_for()

    visitor = open_page(f"/w/hoan-kiem/phan-anh/{second['id']}")
    visitor.get_by_role("link", name=f"Phản ánh #{first['id']}").click()
    visitor.get_by_role("heading", name=re.compile(f"Phản ánh #{first['id']}")).wait_for()
    visitor.get_by_text("Có người vứt rác trước cửa nhà tôi.").wait_for()
    assert visitor.locator("img").count() == 0
    check_page(visitor, "report-photo-hidden")
