"""The community module's lines of a ward's monthly report: notices and their reach, members,
communities running (app/registry.py `MonthlyFigure`)."""

from datetime import date, datetime

import sqlalchemy as sa

from app.extensions import db
from app.fields import local_days_bounds
from app.registry import MonthlyFigure
from community.groups.models import Community, Membership
from community.groups.service import ACTIVE_MIN_MEMBERS, active_community
from community.notices.models import Notice

NOTICES = "Thông báo"
COMMUNITIES = "Cộng đồng số"


def notice_figures(ward_code: str, start: datetime, end: datetime) -> list[MonthlyFigure]:
    """Count the notices delivered in [start, end), their audience and its reads so far.

    The audience and reads are each notice's counters, the ones `notices.stats` and the reach
    indicator read: the recipients fixed at publication and their first reads.
    """
    delivered = sa.and_(
        Notice.ward_code == ward_code,
        Notice.delivered_at.is_not(None),
        Notice.delivered_at >= start,
        Notice.delivered_at < end,
    )
    notices, audience, reads = db.session.execute(
        sa.select(
            sa.func.count(),
            sa.func.coalesce(sa.func.sum(Notice.audience_count), 0),
            sa.func.coalesce(sa.func.sum(Notice.read_count), 0),
        ).where(delivered)
    ).one()
    return [
        MonthlyFigure(NOTICES, "Thông báo đã gửi trong tháng", int(notices)),
        MonthlyFigure(NOTICES, "Lượt người nhận (chốt lúc đăng)", int(audience)),
        MonthlyFigure(NOTICES, "Lượt đã đọc", int(reads)),
        MonthlyFigure(
            NOTICES,
            "Tỷ lệ đã đọc (mức độ tiếp cận)",
            round(reads / audience, 4) if audience else None,
            unit="ratio",
        ),
    ]


def running_communities(ward_code: str) -> int:
    """Count the ward's communities active now, by the one rule (`active_community`).

    Memberships keep no history of titles and departures, so the rule is judged at the time
    of the report, not at the month's end.
    """
    return int(
        db.session.scalar(
            sa.select(sa.func.count()).where(
                Community.ward_code == ward_code, active_community(Community.id)
            )
        )
    )


def monthly_figures(ward_code: str, first: date, last: date) -> list[MonthlyFigure]:
    """Return the notices and communities lines of a ward's report for local days first..last."""
    start, end = local_days_bounds(first, last)
    new_members = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Membership)
        .join(Community, Community.id == Membership.community_id)
        .where(
            Community.ward_code == ward_code,
            Membership.status == "active",
            Membership.joined_at >= start,
            Membership.joined_at < end,
        )
    )
    return [
        *notice_figures(ward_code, start, end),
        MonthlyFigure(COMMUNITIES, "Thành viên mới của các cộng đồng", int(new_members)),
        MonthlyFigure(
            COMMUNITIES,
            "Cộng đồng đang vận hành hiện nay "
            f"(có trưởng nhóm, từ {ACTIVE_MIN_MEMBERS} thành viên)",
            running_communities(ward_code),
        ),
    ]
