"""The polls module's lines of a ward's monthly report: polls opened and closed, and turnout
(app/registry.py `MonthlyFigure`)."""

from datetime import date

import sqlalchemy as sa

from app.database import utcnow
from app.extensions import db
from app.fields import local_days_bounds
from app.registry import MonthlyFigure
from community.polls.models import Poll, PollBallot
from community.polls.service.lifecycle import status_is

SECTION = "Biểu quyết, khảo sát"


def monthly_figures(ward_code: str, first: date, last: date) -> list[MonthlyFigure]:
    """Return the polls lines of a ward's report for local days first..last.

    A poll's state is the one `status_at` derives from its times (a poll due to close counts
    as closed at its closing time even if the worker has not moved it yet). Turnout is that of
    the polls closed in the month: their ballots ÷ the voters eligible when each opened.
    """
    start, end = local_days_bounds(first, last)
    now = utcnow()
    opened_at = sa.func.coalesce(Poll.opened_at, Poll.opens_at)
    closed_at = sa.func.coalesce(Poll.closed_at, Poll.closes_at)
    in_ward = Poll.ward_code == ward_code
    opened = db.session.scalar(
        sa.select(sa.func.count()).where(
            in_ward,
            sa.or_(status_is("open", now), status_is("closed", now)),
            opened_at >= start,
            opened_at < end,
        )
    )
    closed_ids = (
        sa.select(Poll.id)
        .where(in_ward, status_is("closed", now), closed_at >= start, closed_at < end)
        .scalar_subquery()
    )
    closed, eligible = db.session.execute(
        sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(Poll.eligible_count), 0)).where(
            Poll.id.in_(closed_ids)
        )
    ).one()
    ballots = db.session.scalar(
        sa.select(sa.func.count()).select_from(PollBallot).where(PollBallot.poll_id.in_(closed_ids))
    )
    return [
        MonthlyFigure(SECTION, "Cuộc biểu quyết, khảo sát mở trong tháng", int(opened)),
        MonthlyFigure(SECTION, "Cuộc đã đóng trong tháng", int(closed)),
        MonthlyFigure(SECTION, "Phiếu đã bỏ (các cuộc đã đóng)", int(ballots)),
        MonthlyFigure(SECTION, "Người (hộ) đủ quyền bỏ phiếu", int(eligible)),
        MonthlyFigure(
            SECTION,
            "Tỷ lệ tham gia (phiếu ÷ người đủ quyền)",
            round(ballots / eligible, 4) if eligible else None,
            unit="ratio",
        ),
    ]
