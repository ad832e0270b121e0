"""The field-reports indicators (seed 001, target 37: every report handled on time, in public).

Each is measured for every ward in one grouped query (app/registry.py `Indicator`).
"""

from datetime import timedelta

import sqlalchemy as sa

from app.database import utcnow
from app.extensions import db
from app.registry import PLAN_DEADLINE, PLAN_SOURCE, Indicator
from reports.models import Report, ReportRating, closed_on_time, open_past_due

# A report not yet answered counts against "published" once it has waited this long.
ANSWER_GRACE = timedelta(days=1)


def _sum(condition):
    return sa.func.sum(sa.case((condition, 1), else_=0))


def on_time() -> dict[str, tuple[int, int]]:
    """Count, per ward, reports closed by their due moment, of closed plus open past due."""
    rows = db.session.execute(
        sa.select(Report.ward_code, _sum(closed_on_time()), sa.func.count())
        .where(sa.or_(Report.is_open == sa.false(), open_past_due(utcnow())))
        .group_by(Report.ward_code)
    )
    return {code: (int(n or 0), int(d)) for code, n, d in rows}


def published() -> dict[str, tuple[int, int]]:
    """Count, per ward, reports with a public answer, of all but those received in the last day."""
    answered = Report.responded_at.is_not(None)
    rows = db.session.execute(
        sa.select(Report.ward_code, _sum(answered), sa.func.count())
        .where(sa.or_(answered, Report.created_at < utcnow() - ANSWER_GRACE))
        .group_by(Report.ward_code)
    )
    return {code: (int(n or 0), int(d)) for code, n, d in rows}


def rating() -> dict[str, tuple[int, int]]:
    """Sum the stars and count the ratings per ward (the value is their average)."""
    rows = db.session.execute(
        sa.select(Report.ward_code, sa.func.sum(ReportRating.stars), sa.func.count())
        .join(ReportRating, ReportRating.report_id == Report.id)
        .group_by(Report.ward_code)
    )
    return {code: (int(stars or 0), int(n)) for code, stars, n in rows}


INDICATORS = [
    Indicator(
        id="field_reports_on_time",
        name="Phản ánh hiện trường được xử lý đúng hạn",
        description=(
            "Số phản ánh đã đóng trong thời hạn chia cho số phản ánh đã đóng cộng số phản ánh "
            "chưa đóng đã quá hạn (phản ánh quá hạn chưa xử lý bị tính là không đúng hạn). "
            "Thời hạn tính theo ngày làm việc của từng loại phản ánh."
        ),
        target=1.0,
        unit="ratio",
        measure=on_time,
        position=60,
        deadline=PLAN_DEADLINE,
        source=PLAN_SOURCE,
    ),
    Indicator(
        id="field_reports_published",
        name="Phản ánh hiện trường được trả lời công khai",
        description=(
            "Tỷ lệ phản ánh có câu trả lời công khai của phường, xã (ít nhất một lần cập nhật "
            "trạng thái kèm ghi chú, hiện trên bảng phản ánh), không tính phản ánh mới nhận "
            "chưa quá 1 ngày."
        ),
        target=1.0,
        unit="ratio",
        measure=published,
        position=61,
        deadline=PLAN_DEADLINE,
        source=PLAN_SOURCE,
    ),
    Indicator(
        id="field_reports_rating",
        name="Mức hài lòng với việc xử lý phản ánh",
        description="Số sao trung bình (1 đến 5) người phản ánh chấm cho các phản ánh đã đóng.",
        target=None,
        unit="average",
        measure=rating,
        position=62,
    ),
]
