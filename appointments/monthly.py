"""The appointments module's lines of a ward's monthly report, from the hall's statistics
(app/registry.py `MonthlyFigure`)."""

from datetime import date

from app.registry import MonthlyFigure
from appointments.service import compute_stats

SECTION = "Đặt lịch, lấy số"


def monthly_figures(ward_code: str, first: date, last: date) -> list[MonthlyFigure]:
    """Return the appointments lines of a ward's report for local days first..last.

    The figures are the statistics page's totals (`compute_stats`, decision 0018): bookings for
    the month's days, served, no-shows, walk-ins, the on-time share of the bookings called and
    the average stars.
    """
    _, total = compute_stats(ward_code=ward_code, first=first, last=last)
    figures = total.as_dict()
    return [
        MonthlyFigure(SECTION, "Lượt đặt lịch", figures["bookings"]),
        MonthlyFigure(SECTION, "Trong đó đã hủy", figures["cancelled"]),
        MonthlyFigure(SECTION, "Lượt đã phục vụ", figures["served"]),
        MonthlyFigure(SECTION, "Lượt vắng mặt", figures["no_shows"]),
        MonthlyFigure(SECTION, "Số thứ tự lấy trực tiếp tại quầy", figures["walk_ins"]),
        MonthlyFigure(
            SECTION,
            "Tỷ lệ gọi đúng giờ hẹn (trong 15 phút)",
            figures["on_time_share"],
            unit="ratio",
        ),
        MonthlyFigure(
            SECTION,
            "Điểm hài lòng trung bình (1–5 sao)",
            figures["average_rating"],
            unit="average",
        ),
    ]
