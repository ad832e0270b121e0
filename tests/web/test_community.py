"""Ward staff run communities from the console; a resident joins through the invite link."""

import re

from app.identity.demo import citizens_of
from tests.conftest import csrf_headers, grant, login_as
from tests.web.pages import check_page, sign_in_on_page

WARD = "00070"
ADMIN = citizens_of(WARD)[0].sub
RESIDENT = citizens_of(WARD)[2]


def test_staff_create_a_community_and_a_resident_joins_by_its_invite(app, client, open_page):
    grant(app, ADMIN, "ward_admin", ward=WARD)
    staff = open_page("/w/hoan-kiem/staff")
    sign_in_on_page(staff, ADMIN)
    section = staff.locator("#communities")
    section.get_by_text("Phường, xã chưa có cộng đồng nào.").wait_for()
    section.get_by_label("Tên cộng đồng").fill("Tổ dân phố số 7")
    kinds = section.get_by_label("Loại cộng đồng").locator("option").all_inner_texts()
    assert kinds == ["Tổ dân phố", "Thôn", "Chi bộ", "Chi hội", "Khác"]
    section.get_by_label("Loại cộng đồng").select_option(label="Tổ dân phố")
    section.get_by_role("button", name="Lập cộng đồng").click()
    created = section.get_by_text(re.compile(r"Đã lập «Tổ dân phố số 7», mã mời [A-Z0-9]{8}\."))
    created.wait_for()
    code = re.search(r"mã mời ([A-Z0-9]{8})", created.inner_text()).group(1)

    card = section.locator("#community-list li.card").first
    card.get_by_text("Tổ dân phố · 0 thành viên · Chưa có tổ trưởng").wait_for()
    assert code in card.inner_text()
    card.get_by_role("button", name="Mã QR mời vào Tổ dân phố số 7").click()
    qr = card.get_by_role("img", name=re.compile("Mã QR mời tham gia Tổ dân phố số 7"))
    qr.wait_for()
    assert staff.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=qr.element_handle()
    )
    join_link = card.locator("a[href*='/join/']")
    join_path = re.sub(r"^https?://[^/]+", "", join_link.get_attribute("href"))
    assert re.fullmatch(r"/w/hoan-kiem/join/\d+\?code=" + code, join_path)
    check_page(staff, "staff-communities")

    # A resident scans the code: not signed in yet, they sign in and come back to the page.
    resident = open_page(join_path)
    resident.get_by_role("heading", name="Tham gia Tổ dân phố số 7").wait_for()
    prompt = re.compile("Đăng nhập bằng VNeID để tham gia «Tổ dân phố số 7»")
    resident.get_by_text(prompt).wait_for()
    check_page(resident, "join-anonymous")
    sign_in_on_page(resident, RESIDENT.sub)
    assert resident.url.endswith(join_path)
    resident.get_by_role("button", name="Tham gia cộng đồng").click()
    resident.get_by_text("Bạn đã tham gia «Tổ dân phố số 7».").wait_for()
    resident.get_by_text("Tổ dân phố · Phường Hoàn Kiếm · 1 thành viên").wait_for()
    check_page(resident, "join-done")
    resident.reload()
    resident.get_by_text("Bạn đã là thành viên của «Tổ dân phố số 7».").wait_for()
    assert resident.get_by_role("button", name="Tham gia cộng đồng").count() == 0

    community_id = int(re.search(r"/join/(\d+)", join_path).group(1))
    login_as(client, RESIDENT.sub)
    membership = client.get(f"/api/v1/communities/{community_id}/membership").get_json()
    assert membership["status"] == "active"
    assert client.get("/api/v1/wards/hoan-kiem/follow").get_json()["following"] is True

    # Staff list the members, appoint the resident tổ trưởng, then remove them.
    card.get_by_role("button", name="Thành viên của Tổ dân phố số 7").click()
    card.get_by_text(RESIDENT.name).wait_for()
    card.get_by_role("button", name=f"Giao làm tổ trưởng: {RESIDENT.name}").click()
    card.get_by_role("button", name=f"Thôi làm tổ trưởng: {RESIDENT.name}").wait_for()
    card.get_by_text(f"Tổ dân phố · 1 thành viên · Tổ trưởng: {RESIDENT.name}").wait_for()
    check_page(staff, "staff-community-members")
    roles = client.get("/api/v1/me").get_json()["roles"]
    assert [(r["role"], r["ward"], r["community_id"]) for r in roles] == [
        ("community_leader", WARD, community_id)
    ]

    staff.on("dialog", lambda dialog: dialog.accept())
    card.get_by_role("button", name=f"Xoá khỏi cộng đồng: {RESIDENT.name}").click()
    card.get_by_text("Chưa có thành viên nào.").wait_for()
    card.get_by_text("Tổ dân phố · 0 thành viên · Chưa có tổ trưởng").wait_for()
    assert client.get(f"/api/v1/communities/{community_id}/membership").status_code == 404
    assert not [r for r in client.get("/api/v1/me").get_json()["roles"] if r["community_id"]]


def test_a_wrong_invite_code_is_refused_on_the_join_page(app, client, open_page):
    grant(app, ADMIN, "ward_admin", ward=WARD)
    login_as(client, ADMIN)
    community = client.post(
        "/api/v1/wards/hoan-kiem/communities",
        json={"name": "Chi hội Phụ nữ phố Hàng Bạc", "kind": "chi_hoi"},
        headers=csrf_headers(client),
    ).get_json()
    page = open_page(f"/w/hoan-kiem/join/{community['id']}?code=SAIMA234")
    sign_in_on_page(page, RESIDENT.sub)
    page.get_by_role("heading", name="Tham gia Chi hội Phụ nữ phố Hàng Bạc").wait_for()
    page.get_by_role("button", name="Tham gia cộng đồng").click()
    page.get_by_role("alert").get_by_text(re.compile("^Mã mời không đúng")).wait_for()
    check_page(page, "join-wrong-code")
    login_as(client, RESIDENT.sub)
    assert client.get(f"/api/v1/communities/{community['id']}/membership").status_code == 404

    # A community of another ward is not joined from this ward's page.
    other = open_page(f"/w/giang-vo/join/{community['id']}?code={community['invite_code']}")
    other.get_by_text("Cộng đồng này không thuộc Phường Giảng Võ.").wait_for()


def test_a_resident_types_the_invite_code_told_by_phone(app, client, open_page):
    grant(app, ADMIN, "ward_admin", ward=WARD)
    login_as(client, ADMIN)
    created = client.post(
        "/api/v1/wards/hoan-kiem/communities",
        json={"name": "Tổ dân phố số 9", "kind": "to_dan_pho"},
        headers=csrf_headers(client) | {"Idempotency-Key": "community-tdp-9"},
    )
    assert created.status_code == 201, created.get_json()
    community = created.get_json()

    page = open_page("/w/hoan-kiem/communities")
    page.get_by_role("heading", name="Nhập mã mời").wait_for()
    sign_in_on_page(page, RESIDENT.sub)
    code = page.get_by_role("textbox", name="Mã mời")
    # A wrong code is refused beside the field, in Vietnamese.
    code.fill("ZZZZ2222")
    page.get_by_role("button", name="Tham gia", exact=True).click()
    page.get_by_text("Mã mời không đúng; hãy kiểm tra lại với tổ trưởng.").wait_for()
    assert code.get_attribute("aria-invalid") == "true"
    check_page(page, "communities-invite-code-wrong")

    # Typed as heard: lower case, with a space.
    told = community["invite_code"].lower()
    code.fill(told[:4] + " " + told[4:])
    page.get_by_role("button", name="Tham gia", exact=True).click()
    page.get_by_text("Bạn đã là thành viên của «Tổ dân phố số 9».").wait_for()
    assert page.url.endswith(f"/w/hoan-kiem/join/{community['id']}")
    login_as(client, RESIDENT.sub)
    membership = client.get(f"/api/v1/communities/{community['id']}/membership").get_json()
    assert membership["status"] == "active"

    # The account page lists it, linked.
    page.get_by_role("banner").get_by_role("link", name="Tài khoản").click()
    page.get_by_role("link", name=re.compile("Tổ dân phố số 9")).wait_for()
