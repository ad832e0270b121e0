"""Printable payment posters (A5, A6): real text in an embedded DejaVu font and vector QR codes.

Text stays selectable and searchable and both codes are drawn as rectangles, so the poster is
sharp at any print size. The second, smaller code opens the merchant's public page in the ward's
miniapp: a buyer can check that the sticker on the stall really belongs to it (swapped payment
stickers are a known fraud).
"""

import unicodedata
from datetime import UTC, datetime
from importlib import resources

from fpdf import FPDF

from app import qr
from app.text import fold
from miniapps.market.service import PaymentCode, mask_account

PAGE_SIZES = {"A5": (148.0, 210.0), "A6": (105.0, 148.0)}
KIND_LABELS = {"street": "Tuyến phố số", "market": "Chợ"}
FONT = "DejaVu"
# Fixed metadata date: the same merchant and options give the same document.
_CREATION_DATE = datetime(2025, 1, 1, tzinfo=UTC)


def _font_path(name: str) -> str:
    return str(resources.files("app") / "fonts" / name)


def _nfc(text: str) -> str:
    # Precomposed letters have glyphs of their own; decomposed input would stack marks badly.
    return unicodedata.normalize("NFC", text)


def zone_title(kind: str, name: str) -> str:
    """Name the zone with its kind, unless the name already says it ("Chợ Phú Diễn")."""
    label = KIND_LABELS.get(kind, "")
    if not label or fold(name).startswith(fold(label)):
        return name
    return f"{label} – {name}"


def format_vnd(amount: int) -> str:
    """Write an amount the Vietnamese way: 1.250.000 đ."""
    return f"{amount:,}".replace(",", ".") + " đ"


def _draw_qr(pdf: FPDF, payload: str, *, x: float, y: float, size: float) -> None:
    """Draw a QR code as filled rectangles, one per horizontal run of dark modules."""
    modules = qr.matrix(payload)
    unit = size / len(modules)
    pdf.set_fill_color(255, 255, 255)
    pdf.rect(x, y, size, size, style="F")
    pdf.set_fill_color(0, 0, 0)
    for row_index, row in enumerate(modules):
        column = 0
        while column < len(row):
            if not row[column]:
                column += 1
                continue
            start = column
            while column < len(row) and row[column]:
                column += 1
            pdf.rect(
                x + start * unit, y + row_index * unit, (column - start) * unit, unit, style="F"
            )


def render(*, code: PaymentCode, page_url: str, size: str = "A5") -> bytes:
    """Lay out the poster of a merchant's payment code and return the PDF bytes."""
    width, height = PAGE_SIZES[size]
    scale = width / PAGE_SIZES["A5"][0]
    margin = 10 * scale
    inner = width - 2 * margin
    merchant = code.merchant
    zone = merchant.zone

    pdf = FPDF(unit="mm", format=(width, height))
    pdf.set_auto_page_break(False)
    pdf.set_margins(margin, margin, margin)
    pdf.set_creation_date(_CREATION_DATE)
    pdf.set_title(_nfc(f"Mã QR thanh toán – {merchant.name}"))
    pdf.set_lang("vi")
    pdf.add_font(FONT, "", _font_path("DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", _font_path("DejaVuSans-Bold.ttf"))
    pdf.add_page()

    def line(text: str, *, points: float, bold: bool = False, gap: float = 1.0) -> None:
        pdf.set_font(FONT, "B" if bold else "", points * scale)
        pdf.multi_cell(inner, points * scale * 0.45, _nfc(text), align="C", new_x="LMARGIN")
        pdf.ln(gap * scale)

    # Header: who vouches for the code, then whose code it is.
    pdf.set_y(margin)
    pdf.set_text_color(0, 70, 140)
    line(zone.ward.name.upper(), points=11, bold=True)
    line(zone_title(zone.kind, zone.name), points=10)
    pdf.set_text_color(0, 0, 0)
    pdf.ln(2 * scale)
    line(merchant.name, points=20, bold=True)
    line(f"Quầy / địa chỉ: {merchant.stall}", points=10, gap=2)

    # Footer (drawn from the bottom up): the check code and its explanation.
    check_size = 26 * scale
    footer_top = height - margin - check_size
    # Payment code: as large as the room between header and footer allows.
    captions = (3 if code.amount is None else 4) * 6 * scale + (5 * scale if code.purpose else 0)
    room = footer_top - pdf.get_y() - captions - 4 * scale
    pay_size = max(min(inner * 0.72, room), 30 * scale)
    _draw_qr(pdf, code.payload, x=(width - pay_size) / 2, y=pdf.get_y(), size=pay_size)
    pdf.set_y(pdf.get_y() + pay_size + 1.5 * scale)

    line("Quét mã bằng ứng dụng ngân hàng bất kỳ (VietQR – NAPAS 247)", points=8.5)
    line(f"Ngân hàng: {code.bank.label}", points=11, bold=True, gap=0.5)
    line(
        f"Số tài khoản: {mask_account(merchant.account_number)} – {merchant.account_name}",
        points=10,
    )
    if code.amount is not None:
        line(f"Số tiền: {format_vnd(code.amount)}", points=13, bold=True, gap=0.5)
    if code.purpose:
        line(f"Nội dung: {code.purpose}", points=9)

    pdf.set_draw_color(180, 180, 180)
    pdf.line(margin, footer_top - 3 * scale, width - margin, footer_top - 3 * scale)
    _draw_qr(pdf, page_url, x=margin, y=footer_top, size=check_size)
    text_x = margin + check_size + 3 * scale
    pdf.set_xy(text_x, footer_top + 1 * scale)
    pdf.set_font(FONT, "B", 8.5 * scale)
    pdf.multi_cell(
        width - margin - text_x, 4 * scale, "Kiểm tra trước khi chuyển tiền", new_x="LEFT"
    )
    pdf.set_font(FONT, "", 7.5 * scale)
    pdf.multi_cell(
        width - margin - text_x,
        3.4 * scale,
        _nfc(
            "Quét mã này để mở trang cửa hàng trên ứng dụng của phường. Tên cửa hàng, ngân "
            "hàng và số tài khoản phải khớp với tấm mã này."
        ),
        new_x="LEFT",
    )
    pdf.set_font(FONT, "", 6 * scale)
    pdf.multi_cell(width - margin - text_x, 3 * scale, page_url, new_x="LEFT")
    return bytes(pdf.output())
