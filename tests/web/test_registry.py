"""Ward staff keep the list of tổ dân phố, thôn at their desk: by hand, by CSV, with links."""

import re

from playwright.sync_api import expect

from app.identity.demo import citizens_of
from tests.conftest import csrf_headers, grant, login_as
from tests.web.pages import check_page, sign_in_on_page

WARD = "00070"
ADMIN = citizens_of(WARD)[0].sub

GOOD_CSV = (
    "\ufeffname,kind,households\r\n"
    "Tổ dân phố số 1,Tổ dân phố,120\r\n"
    "Tổ dân phố số 2,to dan pho,85\r\n"
    "Tổ dân phố số 3,to_dan_pho,64\r\n"
).encode()
BAD_CSV = (
    "name,kind,households\r\n"
    "Tổ dân phố số 4,Tổ dân phố,40\r\n"
    "Tổ dân phố số 5,khu phố,40\r\n"
    "Tổ dân phố số 6,Tổ dân phố,-2\r\n"
).encode()


def _csv(name: str, content: bytes) -> dict:
    return {"name": name, "mimeType": "text/csv", "buffer": content}


def test_staff_keep_the_registry_and_link_a_community(app, client, open_page):
    grant(app, ADMIN, "ward_admin", ward=WARD)
    login_as(client, ADMIN)
    made = client.post(
        "/api/v1/wards/hoan-kiem/communities",
        json={"name": "Cộng đồng tổ 2", "kind": "to_dan_pho"},
        headers=csrf_headers(client),
    ).get_json()

    page = open_page("/w/hoan-kiem/staff#communities")
    sign_in_on_page(page, ADMIN)
    panel = page.locator("#registry")
    panel.get_by_role("heading", name="Danh sách tổ dân phố, thôn").wait_for()
    panel.get_by_text(re.compile("^Chưa có danh sách")).wait_for()

    # A file with bad lines: every bad line is named, nothing is written.
    panel.get_by_label("Tệp CSV").set_input_files(_csv("sai.csv", BAD_CSV))
    panel.get_by_role("button", name="Nhập danh sách").click()
    errors = panel.locator("#registry-import-errors")
    errors.wait_for()
    expect(errors.get_by_role("listitem")).to_have_count(2)
    expect(errors).to_contain_text("Dòng 3: Loại")
    expect(errors).to_contain_text("Dòng 4: Số hộ")
    check_page(page, "staff-registry-import-errors")
    assert client.get("/api/v1/wards/00070/residential-groups").get_json()["items"] == []

    # A good file from Excel (BOM, CRLF, Vietnamese kinds).
    panel.get_by_label("Tệp CSV").set_input_files(_csv("danh-sach.csv", GOOD_CSV))
    panel.get_by_role("button", name="Nhập danh sách").click()
    panel.get_by_text("Đã nhập 3 tổ dân phố, thôn: 3 thêm mới, 0 cập nhật.").wait_for()
    expect(panel.locator("#registry-list li.card")).to_have_count(3)
    expect(panel.locator("#registry-summary")).to_have_text(
        "3 tổ dân phố, thôn · 0 có cộng đồng số đang vận hành · 269 hộ"
    )

    # One more by hand; a name already listed (without diacritics) is refused beside the name.
    panel.get_by_label("Tên tổ dân phố, thôn").fill("to dan pho so 1")
    panel.get_by_role("button", name="Thêm vào danh sách").click()
    panel.get_by_text(re.compile("đã có tổ dân phố, thôn mang tên này")).wait_for()
    panel.get_by_label("Tên tổ dân phố, thôn").fill("Tổ dân phố số 4")
    panel.get_by_label("Số hộ").fill("52")
    panel.get_by_role("button", name="Thêm vào danh sách").click()
    panel.get_by_text("Đã thêm «Tổ dân phố số 4» vào danh sách.").wait_for()
    expect(panel.locator("#registry-list li.card")).to_have_count(4)

    # Link the community made earlier to Tổ dân phố số 2.
    second = panel.locator("#registry-list li.card").nth(1)
    second.get_by_role("button", name="Sửa Tổ dân phố số 2").click()
    second.get_by_label("Cộng đồng số của tổ, thôn này").select_option(label="Cộng đồng tổ 2")
    second.get_by_role("button", name="Lưu thay đổi").click()
    page.get_by_text("Cộng đồng số: Cộng đồng tổ 2 – chưa vận hành", exact=False).wait_for()
    check_page(page, "staff-registry")
    groups = client.get("/api/v1/wards/00070/residential-groups").get_json()["items"]
    assert [g["community"] and g["community"]["id"] for g in groups] == [
        None,
        made["id"],
        None,
        None,
    ]

    # A new community picks its group from the list (only groups still without one).
    communities = page.locator("#communities")
    picker = communities.get_by_label("Tổ dân phố, thôn trong danh sách")
    expect(picker.locator("option")).to_have_count(4)  # "none" and the three free groups
    communities.get_by_label("Tên cộng đồng").fill("Cộng đồng tổ 3")
    picker.select_option(label="Tổ dân phố số 3")
    communities.get_by_role("button", name="Lập cộng đồng").click()
    page.get_by_text(re.compile("Đã lập «Cộng đồng tổ 3»")).wait_for()
    page.get_by_text("Cộng đồng số: Cộng đồng tổ 3 – chưa vận hành", exact=False).wait_for()
    expect(picker.locator("option")).to_have_count(3)

    # Remove a group: asked first; its community stays.
    page.get_by_role("button", name="Xoá Tổ dân phố số 2 khỏi danh sách").click()
    page.locator("dialog").get_by_role("button", name="Xoá khỏi danh sách").click()
    expect(panel.locator("#registry-list li.card")).to_have_count(3)
    assert (
        client.get(f"/api/v1/communities/{made['id']}").get_json()["residential_group_id"] is None
    )
