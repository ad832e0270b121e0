"""A merchant registers a stall, the ward verifies it, the merchant downloads the poster, and a
customer finds the stall in the directory and sees its payment code."""

import re

from playwright.sync_api import expect

from app.identity.demo import citizens_of
from tests.conftest import csrf_headers, grant, login_as
from tests.miniapps.market.conftest import zbar_decode
from tests.web.pages import check_page, sign_in_on_page

WARD = "00070"
EDITOR = citizens_of(WARD)[1].sub
MERCHANT = citizens_of(WARD)[4].sub


def test_merchant_registers_is_verified_and_downloads_the_poster(app, client, open_page):
    grant(app, EDITOR, "ward_editor", ward=WARD)
    login_as(client, EDITOR)
    zone = client.post(
        "/api/v1/wards/hoan-kiem/market-zones",
        json={"name": "Phố Hàng Mã", "kind": "street"},
        headers=csrf_headers(client),
    ).get_json()

    page = open_page("/w/hoan-kiem/market/register")
    page.get_by_role("heading", name="Đăng ký gian hàng").wait_for()
    sign_in_on_page(page, MERCHANT)
    assert page.url.endswith("/w/hoan-kiem/market/register")
    page.get_by_label("Tên cửa hàng").fill("Cà phê Phố Cổ")
    page.get_by_label("Số nhà, ki-ốt").fill("Số 9")
    page.get_by_label("Ngành hàng").fill("Cà phê")
    page.get_by_label("Ngân hàng").select_option("970436")
    page.get_by_label("Số tài khoản").fill("0011004455667")
    page.get_by_label("Tên chủ tài khoản").fill("NGUYEN VAN AN")
    page.get_by_label("Mặt hàng 1").fill("Cà phê trứng")
    page.get_by_label("Giá (đồng)").fill("45000")
    check_page(page, "merchant-register")
    # Right after check_page's full-page screenshot, Chromium scrolls this long form on the
    # mouse-down (its viewport metrics are stale), so a mouse click lands beside the button;
    # the keyboard sends the form as a person would.
    page.get_by_role("button", name="Gửi đăng ký").press("Enter")
    page.get_by_role("heading", name="Cà phê Phố Cổ").wait_for()
    page.get_by_text("Trạng thái: Chờ xác minh").wait_for()
    page.get_by_text("45.000 ₫").wait_for()
    merchant_id = int(re.search(r"/merchants/(\d+)$", page.url).group(1))
    check_page(page, "merchant-pending")

    # The ward's editor verifies it from the staff console.
    staff = open_page("/w/hoan-kiem/staff")
    sign_in_on_page(staff, EDITOR)
    staff.get_by_role("button", name="Xác minh Cà phê Phố Cổ").click()
    staff.get_by_text("Đã xác minh «Cà phê Phố Cổ».").wait_for()
    check_page(staff, "staff-merchant-verified")

    page.reload()
    poster = page.get_by_role("link", name="Tải áp phích mã QR (A5, PDF)")
    with page.expect_download() as download_info:
        poster.click()
    download = download_info.value
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    assert download.suggested_filename.endswith(".pdf")
    check_page(page, "merchant-verified-owner")

    # The owner adds a product; it shows with its price in đồng.
    page.get_by_label("Tên mặt hàng").fill("Bạc xỉu")
    page.get_by_label("Giá (đồng)").fill("35000")
    page.get_by_role("button", name="Thêm mặt hàng").click()
    page.get_by_text("35.000 ₫").wait_for()

    # A customer (not signed in) searches without diacritics and sees the payment code.
    customer = open_page(f"/w/hoan-kiem/market?zone={zone['id']}")
    customer.get_by_label("Tìm cửa hàng, mặt hàng (có dấu hoặc không dấu)").fill("ca phe pho")
    customer.get_by_role("button", name="Tìm").click()
    customer.get_by_text("Có 1 cửa hàng.").wait_for()
    check_page(customer, "market-directory")
    customer.get_by_role("link", name=re.compile("Cà phê Phố Cổ")).click()
    customer.wait_for_url(f"**/w/hoan-kiem/merchants/{merchant_id}")
    qr = customer.get_by_role("img", name=re.compile("Mã VietQR để chuyển khoản cho Cà phê Phố Cổ"))
    qr.wait_for()
    assert customer.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=qr.element_handle()
    )
    assert "0011004455667" not in customer.content()  # the account number is masked
    assert customer.get_by_role("link", name=re.compile("Tải áp phích")).count() == 0
    check_page(customer, "merchant-public")


def test_the_poster_address_opens_the_merchant_page(app, client, open_page):
    """The poster's second QR code points at /w/<ward>/merchants/<id>: it must render."""
    grant(app, EDITOR, "ward_editor", ward=WARD)
    login_as(client, EDITOR)
    headers = csrf_headers(client)
    zone = client.post(
        "/api/v1/wards/hoan-kiem/market-zones",
        json={"name": "Chợ Hàng Da", "kind": "market"},
        headers=headers,
    ).get_json()
    login_as(client, MERCHANT)
    merchant = client.post(
        f"/api/v1/market-zones/{zone['id']}/merchants",
        json={
            "name": "Rau sạch cô Thu",
            "stall": "Ki-ốt A12",
            "bank_bin": "970405",
            "account_number": "1234567890",
            "account_name": "LE THI THU",
            "products": [{"name": "Rau muống", "price": 10000}],
        },
        headers=csrf_headers(client),
    ).get_json()
    login_as(client, EDITOR)
    client.post(f"/api/v1/merchants/{merchant['id']}/verify", headers=csrf_headers(client))

    path = re.sub(r"^https?://[^/]+", "", merchant["public_url"])
    assert path == f"/w/hoan-kiem/merchants/{merchant['id']}"
    page = open_page(path)
    page.get_by_role("heading", name="Rau sạch cô Thu").wait_for()
    page.get_by_text("10.000 ₫").wait_for()
    page.get_by_role("img", name=re.compile("Mã VietQR")).wait_for()


def test_a_merchant_finds_their_own_stalls_in_the_market(app, client, open_page):
    """The "Cửa hàng của tôi" section lists the signed-in resident's stalls with their status;
    other people and anonymous visitors do not see it."""
    grant(app, EDITOR, "ward_editor", ward=WARD)
    login_as(client, EDITOR)
    zone = client.post(
        "/api/v1/wards/hoan-kiem/market-zones",
        json={"name": "Phố Hàng Bạc", "kind": "street"},
        headers=csrf_headers(client),
    ).get_json()
    login_as(client, MERCHANT)
    stall = {
        "stall": "Số 3",
        "bank_bin": "970415",
        "account_number": "1010101010",
        "account_name": "TRAN THI BAC",
    }
    ids = []
    for name in ["Bạc Hà Nội", "Trang sức Kim Ngân"]:
        response = client.post(
            f"/api/v1/market-zones/{zone['id']}/merchants",
            json={"name": name, **stall},
            headers=csrf_headers(client),
        )
        assert response.status_code == 201, response.get_json()
        ids.append(response.get_json()["id"])
    login_as(client, EDITOR)
    client.post(f"/api/v1/merchants/{ids[0]}/verify", headers=csrf_headers(client))

    anonymous = open_page("/w/hoan-kiem/market")
    anonymous.get_by_text("Có 1 cửa hàng.").wait_for()
    assert anonymous.get_by_role("heading", name="Cửa hàng của tôi").count() == 0

    page = open_page("/w/hoan-kiem/market")
    sign_in_on_page(page, MERCHANT)
    mine = page.get_by_role("region", name="Cửa hàng của tôi")
    mine.wait_for()
    items = mine.get_by_role("listitem")
    assert [" ".join(text.split()) for text in items.all_inner_texts()] == [
        "Bạc Hà Nội Số 3 · Phố Hàng Bạc · Đã xác minh",
        "Trang sức Kim Ngân Số 3 · Phố Hàng Bạc · Chờ xác minh",
    ]
    check_page(page, "market-my-stalls")
    mine.get_by_role("link", name=re.compile("Trang sức Kim Ngân")).click()
    page.wait_for_url(f"**/w/hoan-kiem/merchants/{ids[1]}")
    page.get_by_text("Trạng thái: Chờ xác minh").wait_for()

    # The page shows the status label the API sends; it keeps no copy of its own.
    def relabelled(route):
        response = route.fetch()
        route.fulfill(response=response, json={**response.json(), "status_label": "Nhãn từ API"})

    page.route(f"**/api/v1/merchants/{ids[1]}", relabelled)
    page.reload()
    page.get_by_text("Trạng thái: Nhãn từ API").wait_for()
    page.unroute(f"**/api/v1/merchants/{ids[1]}")

    other = open_page("/w/hoan-kiem/market")
    sign_in_on_page(other, EDITOR)
    other.get_by_text("Có 1 cửa hàng.").wait_for()
    assert other.get_by_role("heading", name="Cửa hàng của tôi").count() == 0


# --- A buyer's amount, the registration's rules, the owner's edits (issue 13) ---


def _zone_and_verified_merchant(app, client, *, name="Bún chả cô Lan", account="1234567890"):
    """Create a zone (as the ward's editor) and a stall of MERCHANT's, verified; return its JSON."""
    grant(app, EDITOR, "ward_editor", ward=WARD)
    login_as(client, EDITOR)
    zone = client.post(
        "/api/v1/wards/hoan-kiem/market-zones",
        json={"name": "Phố Hàng Mành", "kind": "street"},
        headers=csrf_headers(client),
    ).get_json()
    login_as(client, MERCHANT)
    created = client.post(
        f"/api/v1/market-zones/{zone['id']}/merchants",
        json={
            "name": name,
            "stall": "Số 1",
            "bank_bin": "970436",
            "account_number": account,
            "account_name": "NGUYEN THI LAN",
        },
        headers=csrf_headers(client),
    )
    assert created.status_code == 201, created.get_json()
    merchant = created.get_json()
    login_as(client, EDITOR)
    verified = client.post(
        f"/api/v1/merchants/{merchant['id']}/verify", headers=csrf_headers(client)
    )
    assert verified.status_code == 200, verified.get_json()
    return verified.get_json()


def _error_beside(page, control):
    """The error text the form put beside a control (through its aria-describedby)."""
    ids = (control.get_attribute("aria-describedby") or "").split()
    texts = [page.locator(f"#{i}.field-error").all_inner_texts() for i in ids]
    return " ".join(t for found in texts for t in found)


def test_a_buyer_types_an_amount_and_scans_the_code_with_it(app, client, open_page, tmp_path):
    merchant = _zone_and_verified_merchant(app, client)
    page = open_page(f"/w/hoan-kiem/merchants/{merchant['id']}")
    page.get_by_role("heading", name="Bún chả cô Lan").wait_for()
    amount = page.get_by_label("Số tiền (đồng)")
    create = page.get_by_role("button", name="Tạo mã có số tiền")

    # Amounts people cannot pay are refused in Vietnamese, beside the field.
    for typed, said in [
        ("12ab", "Số tiền chỉ gồm chữ số"),
        ("0", "Số tiền phải từ 1 đến 9.999.999.999 đồng."),
        ("12345678901", "Số tiền phải từ 1 đến 9.999.999.999 đồng."),
        ("", "Hãy nhập số tiền."),
    ]:
        amount.fill(typed)
        create.click()
        expect(amount).to_have_attribute("aria-invalid", "true")
        assert said in _error_beside(page, amount), typed

    # A note too long for VietQR: the API's message shows beside the note.
    amount.fill("45.000")
    note = page.get_by_label("Nội dung chuyển khoản (không bắt buộc)")
    note.fill("Thanh toán tiền bún chả cho cả nhà")
    create.click()
    expect(note).to_have_attribute("aria-invalid", "true")
    assert "25" in _error_beside(page, note)

    note.fill("Bún chả 2 suất")
    create.click()
    expect(page.locator("#qr-amount")).to_contain_text("Số tiền: 45.000 ₫")
    expect(page.locator("#qr-amount")).to_contain_text("Nội dung: Bun cha 2 suat")
    qr = page.get_by_role("img", name=re.compile("^Mã VietQR chuyển 45.000 ₫ cho Bún chả cô Lan"))
    assert "payment-qr.svg?amount=45000" in qr.get_attribute("src")
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=qr.element_handle())
    shot = tmp_path / "qr.png"
    qr.screenshot(path=str(shot))
    [payload] = zbar_decode(shot)
    assert "540545000" in payload  # tag 54 (amount), 5 characters: 45000 đồng
    assert "010212" in payload  # dynamic code: the buyer's app fills the amount in
    assert "Bun cha 2 suat" in payload
    check_page(page, "merchant-buyer-amount")

    # "Bỏ số tiền" goes back to the code without an amount.
    page.get_by_role("button", name="Bỏ số tiền").click()
    static_code = page.get_by_role("img", name=re.compile("^Mã VietQR để chuyển khoản"))
    expect(static_code).to_have_attribute(
        "src", f"/api/v1/merchants/{merchant['id']}/payment-qr.png"
    )


def test_registration_refuses_letters_in_the_account_and_takes_a_spaced_phone(
    app, client, open_page
):
    grant(app, EDITOR, "ward_editor", ward=WARD)
    login_as(client, EDITOR)
    client.post(
        "/api/v1/wards/hoan-kiem/market-zones",
        json={"name": "Chợ Đồng Xuân", "kind": "market"},
        headers=csrf_headers(client),
    )
    page = open_page("/w/hoan-kiem/market/register")
    sign_in_on_page(page, MERCHANT)
    page.get_by_label("Tên cửa hàng").fill("Vải Đồng Xuân")
    page.get_by_label("Số nhà, ki-ốt").fill("Ki-ốt B7")
    page.get_by_label("Số điện thoại (chỉ phường thấy)").fill("0912 345 678")
    page.get_by_label("Ngân hàng").select_option("970436")
    account = page.get_by_label("Số tài khoản")
    account.fill("12ab")
    page.get_by_label("Tên chủ tài khoản").fill("nguyễn văn an")
    expect(page.locator("output.account-preview")).to_have_text("NGUYEN VAN AN")
    expect(page.get_by_text("Chỉ gồm chữ số, từ 6 đến 19 số")).to_be_visible()
    page.get_by_role("button", name="Gửi đăng ký").click()
    expect(account).to_have_attribute("aria-invalid", "true")
    assert "Số tài khoản chỉ gồm chữ số, từ 6 đến 19 số." in _error_beside(page, account)
    assert "/merchants/" not in page.url
    check_page(page, "merchant-register-invalid")

    account.fill("0011 0044 55667")
    page.get_by_role("button", name="Gửi đăng ký").click()
    page.get_by_role("heading", name="Vải Đồng Xuân").wait_for()
    merchant_id = int(re.search(r"/merchants/(\d+)$", page.url).group(1))
    login_as(client, MERCHANT)
    stored = client.get(f"/api/v1/merchants/{merchant_id}").get_json()
    assert stored["phone"] == "0912345678"
    assert stored["account_number"] == "0011004455667"
    assert stored["account_name"] == "NGUYEN VAN AN"


def test_the_owner_edits_the_stall_and_a_new_account_waits_for_the_ward(app, client, open_page):
    merchant = _zone_and_verified_merchant(app, client, name="Phở gánh")
    page = open_page(f"/w/hoan-kiem/merchants/{merchant['id']}")
    sign_in_on_page(page, MERCHANT)
    page.get_by_text("Sửa thông tin cửa hàng").click()
    expect(page.get_by_label("Tên cửa hàng")).to_have_value("Phở gánh")
    expect(page.get_by_label("Số tài khoản")).to_have_value("1234567890")
    check_page(page, "merchant-owner-edit")

    # A new name: saved, shown, and the stall stays verified.
    page.get_by_label("Tên cửa hàng").fill("Phở gánh Hàng Chiếu")
    page.get_by_role("button", name="Lưu thay đổi").click()
    page.get_by_role("heading", name="Phở gánh Hàng Chiếu").wait_for()
    page.get_by_text("Đã lưu thay đổi.").wait_for()
    page.get_by_role("img", name=re.compile("^Mã VietQR")).wait_for()

    # A new account asks first; "Không đổi" leaves everything as it was.
    page.get_by_text("Sửa thông tin cửa hàng").click()
    page.get_by_label("Số tài khoản").fill("9876 5432 10")
    page.get_by_role("button", name="Lưu thay đổi").click()
    dialog = page.get_by_role("dialog", name="Đổi tài khoản nhận tiền?")
    expect(dialog).to_contain_text("Chờ xác minh")
    expect(dialog).to_contain_text("Mã VietQR và áp phích ngừng dùng được")
    check_page(page, "merchant-owner-confirm-account")
    dialog.get_by_role("button", name="Không đổi").click()
    expect(dialog).to_have_count(0)
    login_as(client, MERCHANT)
    assert client.get(f"/api/v1/merchants/{merchant['id']}").get_json()["status"] == "verified"

    page.get_by_role("button", name="Lưu thay đổi").click()
    dialog.get_by_role("button", name="Đổi và chờ xác minh lại").click()
    page.get_by_text("Trạng thái: Chờ xác minh").wait_for()
    page.get_by_text("mã thanh toán tạm dừng tới khi phường xác minh lại").wait_for()
    assert page.get_by_role("img", name=re.compile("^Mã VietQR")).count() == 0
    stored = client.get(f"/api/v1/merchants/{merchant['id']}").get_json()
    assert (stored["status"], stored["account_number"]) == ("pending", "9876543210")
    check_page(page, "merchant-owner-pending-again")


def test_ward_staff_edit_a_stall_but_are_not_offered_its_account(app, client, open_page):
    """Where the money goes is the owner's: the staff's form has no account fields."""
    merchant = _zone_and_verified_merchant(app, client, name="Bánh cuốn bà Hoành")
    page = open_page(f"/w/hoan-kiem/merchants/{merchant['id']}")
    sign_in_on_page(page, EDITOR)
    page.get_by_text("Sửa thông tin cửa hàng").click()
    expect(page.get_by_text("Chỉ chủ cửa hàng đổi được tài khoản nhận tiền")).to_be_visible()
    expect(page.get_by_label("Số tài khoản")).to_have_count(0)
    check_page(page, "merchant-staff-edit")

    page.get_by_label("Tên cửa hàng").fill("Bánh cuốn Thanh Trì bà Hoành")
    page.get_by_role("button", name="Lưu thay đổi").click()
    page.get_by_role("heading", name="Bánh cuốn Thanh Trì bà Hoành").wait_for()
    login_as(client, EDITOR)
    stored = client.get(f"/api/v1/merchants/{merchant['id']}").get_json()
    assert stored["status"] == "verified" and stored["account_number"] == "1234567890"


def test_the_owner_reads_why_the_ward_rejected_the_stall(app, client, open_page):
    merchant = _zone_and_verified_merchant(app, client, name="Bánh mì Phố Huế")
    login_as(client, EDITOR)
    suspended = client.post(
        f"/api/v1/merchants/{merchant['id']}/suspend",
        json={"reason": "Ki-ốt đóng cửa từ tháng 6"},
        headers=csrf_headers(client),
    )
    assert suspended.status_code == 200, suspended.get_json()
    page = open_page(f"/w/hoan-kiem/merchants/{merchant['id']}")
    sign_in_on_page(page, MERCHANT)
    page.get_by_text("Trạng thái: Tạm dừng").wait_for()
    page.get_by_text("Lý do phường ghi: Ki-ốt đóng cửa từ tháng 6").wait_for()
    expect(page.get_by_label("Tên cửa hàng")).to_be_visible()  # the edit form opens by itself
    check_page(page, "merchant-owner-suspended")

    # A suspended stall is not public: a visitor learns nothing of it, nor of the reason.
    anonymous = open_page(f"/w/hoan-kiem/merchants/{merchant['id']}")
    anonymous.get_by_text("Không tìm thấy cửa hàng này.").wait_for()
    assert anonymous.get_by_text("Ki-ốt đóng cửa").count() == 0
