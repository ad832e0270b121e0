"""Payment codes as JSON, PNG and SVG: decodable by a real scanner, cached by content."""

import io
import re
import xml.etree.ElementTree as ET

import pytest
from PIL import Image, ImageDraw

from miniapps.market import vietqr
from tests.miniapps.market.conftest import zbar_decode


def test_static_code_without_amount(verified, anonymous):
    """Without an amount the payload is static (01=11) and names the merchant's account."""
    response = anonymous.get(f"/api/v1/merchants/{verified}/payment-qr")
    assert response.status_code == 200
    body = response.get_json()
    decoded = vietqr.decode(body["payload"])
    assert body["payload"].startswith("000201010211")
    assert (decoded.bank_bin, decoded.account, decoded.amount, decoded.dynamic) == (
        "970436",
        "0011001234567",
        None,
        False,
    )
    assert decoded.service == "account"
    assert body["bank"]["label"] == "Vietcombank"
    assert body["account_number_masked"] == "****4567"
    assert body["png_url"] == f"/api/v1/merchants/{verified}/payment-qr.png"


def test_dynamic_code_with_amount_and_folded_purpose(verified, anonymous):
    """With an amount the payload is dynamic (01=12); the purpose is folded to ASCII."""
    url = f"/api/v1/merchants/{verified}/payment-qr?amount=125000&purpose=Mua cà phê sữa"
    body = anonymous.get(url).get_json()
    decoded = vietqr.decode(body["payload"])
    assert decoded.dynamic and body["payload"].startswith("000201010212")
    assert (decoded.amount, decoded.purpose) == (125000, "Mua ca phe sua")
    assert (body["amount"], body["purpose"], body["dynamic"]) == (125000, "Mua ca phe sua", True)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("amount=0", "amount"),
        ("amount=-5", "amount"),
        ("amount=10000000000", "amount"),
        ("amount=12.5", "amount"),
        ("amount=abc", "amount"),
        ("purpose=" + "Thanh toán tiền hàng tháng 11", "purpose"),  # 29 after folding
        ("purpose=" + "%F0%9F%98%80", "purpose"),  # nothing left once folded
    ],
)
def test_bad_amount_or_purpose_is_422_naming_the_field(verified, anonymous, query, field):
    """Amounts outside 1..9,999,999,999 whole đồng and purposes over 25 characters → 422."""
    for suffix in ("payment-qr", "payment-qr.png", "payment-qr.svg", "poster.pdf"):
        path = f"/api/v1/merchants/{verified}/{suffix}"
        response = anonymous.get(f"{path}?{query}")
        assert response.status_code == 422, (path, response.get_json())
        assert field in response.get_json()["error"]["details"]["fields"]


def test_limits_are_inclusive(verified, anonymous):
    """1 đồng, 9,999,999,999 đồng and a 25-character purpose (with diacritics) are accepted."""
    base = f"/api/v1/merchants/{verified}/payment-qr"
    assert anonymous.get(f"{base}?amount=1").status_code == 200
    assert anonymous.get(f"{base}?amount=9999999999").status_code == 200
    purpose = "Tiền hàng tháng mười một"  # 24 characters
    assert len(vietqr.fold_ascii(purpose + "x")) == 25
    assert anonymous.get(f"{base}?purpose={purpose}x").status_code == 200


def test_no_codes_for_merchants_that_are_not_verified(pending, verified, staff, anonymous, owner):
    """Pending, suspended and unknown merchants have no code, not even for their owner."""
    staff.post(f"/api/v1/merchants/{verified}/suspend", json={"reason": "Tạm nghỉ"})
    for merchant_id in (pending, verified, 999999):
        for suffix in ("payment-qr", "payment-qr.png", "payment-qr.svg", "poster.pdf"):
            for who in (anonymous, owner):
                response = who.get(f"/api/v1/merchants/{merchant_id}/{suffix}")
                assert response.status_code == 404, (merchant_id, suffix)


@pytest.mark.parametrize("amount", [None, 49000])
def test_png_decodes_with_zbar_to_exactly_the_payload(verified, anonymous, tmp_path, amount):
    """zbar reads the PNG back as the JSON payload, which names the merchant's account."""
    query = f"?amount={amount}" if amount else ""
    payload = anonymous.get(f"/api/v1/merchants/{verified}/payment-qr{query}").get_json()["payload"]
    response = anonymous.get(f"/api/v1/merchants/{verified}/payment-qr.png{query}")
    assert response.status_code == 200
    assert response.mimetype == "image/png"
    assert response.data.startswith(b"\x89PNG\r\n\x1a\n")
    image = tmp_path / "code.png"
    image.write_bytes(response.data)

    assert zbar_decode(image) == [payload]
    decoded = vietqr.decode(payload)
    assert (decoded.bank_bin, decoded.account, decoded.amount) == (
        "970436",
        "0011001234567",
        amount,
    )


def test_png_scale_changes_the_size_and_is_bounded(verified, anonymous):
    """`scale` is pixels per module (2 to 20)."""
    small = anonymous.get(f"/api/v1/merchants/{verified}/payment-qr.png?scale=2").data
    large = anonymous.get(f"/api/v1/merchants/{verified}/payment-qr.png?scale=10").data
    assert Image.open(io.BytesIO(large)).size[0] == 5 * Image.open(io.BytesIO(small)).size[0]
    assert anonymous.get(f"/api/v1/merchants/{verified}/payment-qr.png?scale=50").status_code == 422


def test_svg_is_valid_xml_with_the_code(verified, anonymous):
    """The SVG parses as XML: an svg root with a white square and a path of dark modules."""
    response = anonymous.get(f"/api/v1/merchants/{verified}/payment-qr.svg")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    root = ET.fromstring(response.data)  # noqa: S314 - our own output
    ns = "{http://www.w3.org/2000/svg}"
    assert root.tag == f"{ns}svg"
    paths = root.findall(f"{ns}path")
    assert len(paths) == 1 and paths[0].get("d").count("M") > 100


def test_svg_draws_the_same_modules_as_the_png(verified, anonymous, tmp_path):
    """Rasterising the SVG's runs gives an image zbar reads as the payload."""
    payload = anonymous.get(f"/api/v1/merchants/{verified}/payment-qr").get_json()["payload"]
    svg = anonymous.get(f"/api/v1/merchants/{verified}/payment-qr.svg").data
    root = ET.fromstring(svg)  # noqa: S314 - our own output
    size = int(root.get("viewBox").split()[2])
    scale = 8
    image = Image.new("L", (size * scale, size * scale), 255)
    draw = ImageDraw.Draw(image)
    path = root.find("{http://www.w3.org/2000/svg}path").get("d")
    for x, y, run in re.findall(r"M(\d+) (\d+)h(\d+)v1h-\d+z", path):
        x, y, run = int(x), int(y), int(run)
        draw.rectangle([x * scale, y * scale, (x + run) * scale - 1, (y + 1) * scale - 1], fill=0)
    image.save(tmp_path / "svg.png")
    assert zbar_decode(tmp_path / "svg.png") == [payload]


@pytest.mark.parametrize("extension", ["png", "svg"])
def test_images_have_a_strong_etag_and_answer_304(verified, anonymous, extension):
    """The same code gives the same bytes and strong ETag; If-None-Match → 304 without a body."""
    url = f"/api/v1/merchants/{verified}/payment-qr.{extension}?amount=20000"
    first = anonymous.get(url)
    second = anonymous.get(url)
    etag = first.headers["ETag"]
    assert not etag.startswith("W/") and etag.startswith('"')
    assert second.headers["ETag"] == etag and second.data == first.data
    cached = anonymous.get(url, headers={"If-None-Match": etag})
    assert cached.status_code == 304 and cached.data == b""
    other = anonymous.get(f"/api/v1/merchants/{verified}/payment-qr.{extension}?amount=20001")
    assert other.headers["ETag"] != etag
    assert anonymous.get(url, headers={"If-None-Match": '"stale"'}).status_code == 200


def test_a_suspended_merchant_gets_no_304_either(verified, staff, anonymous):
    """Revalidation still checks the merchant: once suspended, the cached code is refused."""
    url = f"/api/v1/merchants/{verified}/payment-qr.png"
    etag = anonymous.get(url).headers["ETag"]
    staff.post(f"/api/v1/merchants/{verified}/suspend", json={"reason": "Tạm nghỉ"})
    assert anonymous.get(url, headers={"If-None-Match": etag}).status_code == 404
