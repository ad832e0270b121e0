"""A merchant registers a stall, the ward verifies it, the merchant downloads the poster, and a
customer finds the stall in the directory and sees its payment code."""

import re

from app.identity.demo import citizens_of
from tests.conftest import csrf_headers, grant, login_as
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
    page.get_by_role("button", name="Gửi đăng ký").click()
    page.get_by_role("heading", name="Cà phê Phố Cổ").wait_for()
    page.get_by_text("Trạng thái: Chờ xác minh").wait_for()
    page.get_by_text("45.000 ₫").wait_for()
    merchant_id = int(re.search(r"/merchants/(\d+)$", page.url).group(1))
    check_page(page, "merchant-pending")

    # The ward's editor verifies it from the staff console.
    staff = open_page("/w/hoan-kiem/staff")
    sign_in_on_page(staff, EDITOR)
    staff.get_by_role("button", name="Xác minh Cà phê Phố Cổ").click()
    staff.get_by_text("Không có cửa hàng nào chờ xác minh.").wait_for()
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
