"""The ward's monthly report as a PDF (A4, Vietnamese): data in, bytes out.

Pure: no database, no clock, no request; `indicators/report.py` gathers the data. Text is real
text in an embedded DejaVu font (app/fonts), so the diacritics render everywhere and the report
stays searchable and copyable.
"""

import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from importlib import resources
from itertools import groupby

from fpdf import FPDF
from fpdf.fonts import FontFace

from app.fields import LOCAL_TZ
from app.registry import MonthlyFigure

FONT = "DejaVu"
FOOTER = "Số liệu trích xuất tự động từ hệ thống Phường Xã Số, không nhập tay."
NOTHING = "—"
MARGIN = 15.0
HEADING = (0, 70, 140)
ROW_FILL = (232, 240, 250)


@dataclass(frozen=True)
class IndicatorLine:
    """One indicator of the ward: its value at the month's start and end, target and status.

    `unit` is the indicator's ("ratio", "flag", "people", "average"); `status_label` is already
    in Vietnamese.
    """

    name: str
    unit: str
    start: float | None
    end: float | None
    target: float | None
    status_label: str

    @property
    def change(self) -> float | None:
        """Return end − start (None unless both are known)."""
        if self.start is None or self.end is None:
            return None
        return self.end - self.start


@dataclass(frozen=True)
class MonthlyReport:
    """Everything the monthly report shows."""

    ward_name: str
    ward_code: str
    month: date  # its first day
    last_day: date
    generated_at: datetime
    indicators: list[IndicatorLine]
    figures: list[MonthlyFigure]
    # Whether the month is still under way (its end values are those of now).
    in_progress: bool = False


def _nfc(text: str) -> str:
    # Precomposed letters have glyphs of their own; decomposed input would stack marks badly.
    return unicodedata.normalize("NFC", text)


def _font_path(name: str) -> str:
    return str(resources.files("app") / "fonts" / name)


def _decimal(value: float, places: int) -> str:
    """Write a number the Vietnamese way (1.234,5), without a trailing ",0"."""
    text = f"{value:,.{places}f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    if "," in text:
        text = text.rstrip("0").rstrip(",")
    return text


def format_value(value: float | int | None, unit: str) -> str:
    """Write a value by its unit: 62,5 % for a share, 4,33 for an average, 1.234 for a count."""
    if value is None:
        return NOTHING
    if unit == "ratio":
        return f"{_decimal(value * 100, 1)} %"
    if unit == "average":
        return _decimal(value, 2)
    if unit == "flag":
        return "Có" if value else "Chưa"
    return _decimal(value, 0)


def format_change(change: float | None, unit: str) -> str:
    """Write a change with its sign: +12,5 điểm % for a share, −1 for a count."""
    if change is None:
        return NOTHING
    places = {"ratio": 1, "average": 2}.get(unit, 0)
    amount = change * 100 if unit == "ratio" else change
    if round(amount, places) == 0:
        return "0"
    sign = "+" if amount > 0 else "−"
    text = sign + _decimal(abs(amount), places)
    return f"{text} điểm %" if unit == "ratio" else text


def month_label(month: date) -> str:
    """Return the month as people write it: 12/2026."""
    return f"{month.month:02d}/{month.year}"


def title(report: MonthlyReport) -> str:
    """Return the report's title."""
    return f"Báo cáo kết quả chuyển đổi số tháng {month_label(report.month)} – {report.ward_name}"


class _Document(FPDF):
    """An A4 page with the report's footer and page numbers."""

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, "", 7.5)
        self.set_text_color(90, 90, 90)
        self.cell(0, 4, _nfc(FOOTER), align="L")
        self.set_x(self.l_margin)
        self.cell(0, 4, f"Trang {self.page_no()}/{{nb}}", align="R")
        self.set_text_color(0, 0, 0)


def render(report: MonthlyReport) -> bytes:
    """Lay out the monthly report and return the PDF bytes."""
    pdf = _Document(unit="mm", format="A4")
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(True, margin=18)
    pdf.set_creation_date(report.generated_at)
    pdf.set_title(_nfc(title(report)))
    pdf.set_author("Phường Xã Số")
    pdf.set_lang("vi")
    pdf.add_font(FONT, "", _font_path("DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", _font_path("DejaVuSans-Bold.ttf"))
    pdf.alias_nb_pages()
    pdf.add_page()
    width = pdf.epw

    def text(value: str, *, points: float, bold: bool = False, align: str = "L", gap=1.0):
        pdf.set_font(FONT, "B" if bold else "", points)
        pdf.multi_cell(width, points * 0.5, _nfc(value), align=align, new_x="LMARGIN")
        pdf.ln(gap)

    def heading(value: str, points: float = 12) -> None:
        pdf.ln(2)
        pdf.set_text_color(*HEADING)
        text(value, points=points, bold=True, gap=1.5)
        pdf.set_text_color(0, 0, 0)

    pdf.set_text_color(*HEADING)
    text(report.ward_name.upper(), points=11, bold=True, align="C", gap=3)
    pdf.set_text_color(0, 0, 0)
    # The title breaks after the dash: the ward's name on a line of its own, never split.
    text(title(report).replace(" – ", " –\n", 1), points=14, bold=True, align="C", gap=3)
    generated = report.generated_at.astimezone(LOCAL_TZ)
    text(f"Đơn vị: {report.ward_name} (mã {report.ward_code})", points=10)
    text(
        f"Kỳ báo cáo: từ {report.month:%d/%m/%Y} đến {report.last_day:%d/%m/%Y}"
        + (" (tháng đang diễn ra)" if report.in_progress else ""),
        points=10,
    )
    text(f"Lập lúc: {generated:%H:%M} ngày {generated:%d/%m/%Y} (giờ Hà Nội)", points=10, gap=2)

    heading("I. Các chỉ tiêu chuyển đổi số")
    end_note = (
        "giá trị tại thời điểm lập báo cáo"
        if report.in_progress
        else "giá trị ngày cuối cùng của tháng có số liệu"
    )
    text(
        "Đầu tháng: giá trị ngày đầu tiên của tháng có số liệu (lịch sử ghi hằng ngày); "
        f"cuối tháng: {end_note}. Trạng thái so với mục tiêu và xu hướng 30 ngày.",
        points=8.5,
        gap=2,
    )
    _indicator_table(pdf, report.indicators)

    heading("II. Kết quả trong tháng theo lĩnh vực")
    for number, (section, figures) in enumerate(
        groupby(report.figures, key=lambda f: f.section), start=1
    ):
        heading(f"{number}. {section}", points=10.5)
        _figure_table(pdf, list(figures))
    if not report.figures:
        text("Không có lĩnh vực nào cung cấp số liệu tháng.", points=9.5)
    return bytes(pdf.output())


def _indicator_table(pdf: FPDF, lines: list[IndicatorLine]) -> None:
    """Draw the indicators: each a name row across the table, then its figures."""
    pdf.set_font(FONT, "", 9)
    header = FontFace(emphasis="BOLD", fill_color=HEADING, color=(255, 255, 255))
    name_row = FontFace(emphasis="BOLD", fill_color=ROW_FILL)
    with pdf.table(
        col_widths=(16, 16, 21, 14, 33),
        text_align=("RIGHT", "RIGHT", "RIGHT", "RIGHT", "LEFT"),
        headings_style=header,
        line_height=5,
        padding=1.2,
    ) as table:
        table.row(["Đầu tháng", "Cuối tháng", "Thay đổi", "Mục tiêu", "Trạng thái"])
        for number, line in enumerate(lines, start=1):
            table.row().cell(_nfc(f"{number}. {line.name}"), colspan=5, style=name_row, align="L")
            table.row(
                [
                    format_value(line.start, line.unit),
                    format_value(line.end, line.unit),
                    format_change(line.change, line.unit),
                    format_value(line.target, line.unit),
                    _nfc(line.status_label),
                ]
            )
    if not lines:
        pdf.ln(1)
        pdf.multi_cell(pdf.epw, 5, "Chưa có chỉ tiêu nào được đăng ký.", new_x="LMARGIN")


def _figure_table(pdf: FPDF, figures: list[MonthlyFigure]) -> None:
    """Draw one module's lines: label, value."""
    pdf.set_font(FONT, "", 9.5)
    with pdf.table(
        col_widths=(75, 25),
        text_align=("LEFT", "RIGHT"),
        first_row_as_headings=False,
        line_height=5,
        padding=1.2,
    ) as table:
        for figure in figures:
            value = format_value(figure.value, {"count": "people"}.get(figure.unit, figure.unit))
            table.row([_nfc(figure.label), value])
