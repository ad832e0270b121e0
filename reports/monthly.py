"""The field-reports module's lines of a ward's monthly report: received, closed, on time,
overdue, stars (app/registry.py `MonthlyFigure`)."""

from datetime import date

import sqlalchemy as sa

from app.database import utcnow
from app.extensions import db
from app.fields import local_days_bounds
from app.registry import MonthlyFigure
from reports.models import Report, ReportRating, closed_on_time, open_past_due

SECTION = "Phản ánh hiện trường"


def _count(*where) -> int:
    return int(db.session.scalar(sa.select(sa.func.count()).select_from(Report).where(*where)))


def monthly_figures(ward_code: str, first: date, last: date) -> list[MonthlyFigure]:
    """Return the field-reports lines of a ward's report for local days first..last.

    On time is the indicator's rule (`closed_on_time`: closed by the due moment), here of the
    reports closed in the month; overdue ones are those still open at the month's end (or now,
    in the month under way) and due before it.
    """
    start, end = local_days_bounds(first, last)
    at = min(end, utcnow())
    in_ward = Report.ward_code == ward_code
    closed_in_month = sa.and_(
        in_ward, Report.is_open == sa.false(), Report.closed_at >= start, Report.closed_at < end
    )
    received = _count(in_ward, Report.created_at >= start, Report.created_at < end)
    closed = _count(closed_in_month)
    on_time = _count(closed_in_month, closed_on_time())
    overdue = _count(in_ward, open_past_due(at))
    ratings, stars = db.session.execute(
        sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(ReportRating.stars), 0))
        .join(Report, Report.id == ReportRating.report_id)
        .where(in_ward, ReportRating.created_at >= start, ReportRating.created_at < end)
    ).one()
    return [
        MonthlyFigure(SECTION, "Phản ánh tiếp nhận trong tháng", received),
        MonthlyFigure(SECTION, "Phản ánh đã đóng trong tháng", closed),
        MonthlyFigure(SECTION, "Trong đó đóng đúng hạn", on_time),
        MonthlyFigure(
            SECTION,
            "Tỷ lệ đóng đúng hạn (trong số đã đóng)",
            round(on_time / closed, 4) if closed else None,
            unit="ratio",
        ),
        MonthlyFigure(SECTION, "Phản ánh quá hạn chưa đóng (cuối kỳ)", overdue),
        MonthlyFigure(SECTION, "Lượt chấm điểm trong tháng", int(ratings)),
        MonthlyFigure(
            SECTION,
            "Điểm hài lòng trung bình (1–5 sao)",
            round(stars / ratings, 2) if ratings else None,
            unit="average",
        ),
    ]
