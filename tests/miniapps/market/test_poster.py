"""Printable posters: real Vietnamese text in an embedded font, and both codes scannable.

Read with poppler (pdftotext, pdftoppm), independent of the library that writes the PDF.
"""

import re
import shutil
import subprocess

import pytest

from tests.miniapps.market.conftest import zbar_decode


def poppler(tool: str) -> str:
    """Return a poppler tool's path, failing loudly when it is missing."""
    path = shutil.which(tool)
    if path is None:
        pytest.fail(f"{tool} is missing: install the Debian package poppler-utils")
    return path


def pdf_text(path) -> str:
    """Extract the PDF's text layer with pdftotext."""
    result = subprocess.run(
        [poppler("pdftotext"), "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    )
    return result.stdout.decode("utf-8")


@pytest.mark.parametrize(("size", "page_mm"), [("A5", (148, 210)), ("A6", (105, 148))])
def test_poster_has_real_vietnamese_text_and_both_codes(
    verified, anonymous, tmp_path, size, page_mm
):
    """Ward, zone, merchant, stall, bank, masked account and amount are text; the codes scan."""
    query = f"?size={size}&amount=50000"
    payload = anonymous.get(f"/api/v1/merchants/{verified}/payment-qr{query}").get_json()["payload"]
    response = anonymous.get(f"/api/v1/merchants/{verified}/poster.pdf{query}")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF-")
    # The font is embedded (a TrueType subset of DejaVu Sans), not left to the reader.
    assert b"/FontFile2" in response.data and b"DejaVuSans" in response.data
    pdf = tmp_path / "poster.pdf"
    pdf.write_bytes(response.data)

    text = " ".join(pdf_text(pdf).split())
    for expected in (
        "PHƯỜNG TỪ LIÊM",
        "Chợ Phú Diễn",
        "Cà phê Mộc",
        "Ki-ốt A12",
        "Vietcombank",
        "****4567",
        "NGUYEN VAN MOC",
        "50.000 đ",
        "Kiểm tra trước khi chuyển tiền",
    ):
        assert expected in text, expected
    assert "0011001234567" not in text

    info = subprocess.run(
        [poppler("pdfinfo"), str(pdf)], capture_output=True, check=True
    ).stdout.decode()
    width, height = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info).groups()
    assert (round(float(width) / 72 * 25.4), round(float(height) / 72 * 25.4)) == page_mm

    subprocess.run(
        [poppler("pdftoppm"), "-r", "200", "-gray", "-png", str(pdf), str(tmp_path / "page")],
        check=True,
    )
    (page,) = tmp_path.glob("page*.png")
    page_url = f"http://localhost/w/tu-liem/merchants/{verified}"
    assert sorted(zbar_decode(page)) == sorted([payload, page_url])


def test_poster_without_amount_and_bad_size(verified, anonymous, tmp_path):
    """Without an amount the poster shows no amount; sizes other than A5/A6 → 422."""
    response = anonymous.get(f"/api/v1/merchants/{verified}/poster.pdf")
    pdf = tmp_path / "poster.pdf"
    pdf.write_bytes(response.data)
    assert "Số tiền" not in pdf_text(pdf)
    bad = anonymous.get(f"/api/v1/merchants/{verified}/poster.pdf?size=A4")
    assert bad.status_code == 422
    assert "size" in bad.get_json()["error"]["details"]["fields"]
