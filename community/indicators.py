"""The community module's indicators: active residential groups, notice reach, residents reached.

Each is measured for every ward in one grouped query (app/registry.py `Indicator`).
"""

from datetime import timedelta

import sqlalchemy as sa

from app.database import utcnow
from app.extensions import db
from app.registry import Indicator
from community.groups.models import Community, Membership, WardFollow
from community.notices.models import Notice, NoticeRecipient

REACH_WINDOW = timedelta(days=90)
ACTIVE_GROUP_MIN_MEMBERS = 3
RESIDENTIAL_KINDS = ("to_dan_pho", "thon")


def active_groups() -> dict[str, tuple[int, int]]:
    """Count, per ward, residential communities with a leader and enough members, of all."""
    active_members = (
        sa.select(Membership.community_id, sa.func.count().label("members"))
        .where(Membership.status == "active")
        .group_by(Membership.community_id)
        .subquery()
    )
    leaders = (
        sa.select(Membership.community_id)
        .where(Membership.status == "active", Membership.leader_title.is_not(None))
        .distinct()
        .subquery()
    )
    is_active = sa.and_(
        sa.func.coalesce(active_members.c.members, 0) >= ACTIVE_GROUP_MIN_MEMBERS,
        leaders.c.community_id.is_not(None),
    )
    rows = db.session.execute(
        sa.select(
            Community.ward_code,
            sa.func.sum(sa.case((is_active, 1), else_=0)),
            sa.func.count(),
        )
        .outerjoin(active_members, active_members.c.community_id == Community.id)
        .outerjoin(leaders, leaders.c.community_id == Community.id)
        .where(Community.kind.in_(RESIDENTIAL_KINDS))
        .group_by(Community.ward_code)
    )
    return {code: (int(active or 0), int(total)) for code, active, total in rows}


def notice_reach() -> dict[str, tuple[int, int]]:
    """Count, per ward, reads out of recipients of the notices delivered in the window."""
    since = utcnow() - REACH_WINDOW
    rows = db.session.execute(
        sa.select(
            Notice.ward_code,
            sa.func.sum(sa.case((NoticeRecipient.read_at.is_not(None), 1), else_=0)),
            sa.func.count(),
        )
        .join(NoticeRecipient, NoticeRecipient.notice_id == Notice.id)
        .where(
            NoticeRecipient.late.is_(False),
            Notice.delivered_at.is_not(None),
            Notice.delivered_at >= since,
        )
        .group_by(Notice.ward_code)
    )
    return {code: (int(read or 0), int(audience)) for code, read, audience in rows}


def residents_reached() -> dict[str, tuple[int, int]]:
    """Count, per ward, the distinct people who follow it or belong to one of its communities."""
    people = sa.union(
        sa.select(WardFollow.ward_code, WardFollow.user_id),
        sa.select(Community.ward_code, Membership.user_id)
        .join(Membership, Membership.community_id == Community.id)
        .where(Membership.status == "active"),
    ).subquery()
    rows = db.session.execute(
        sa.select(people.c.ward_code, sa.func.count()).group_by(people.c.ward_code)
    )
    return {code: (int(n), 0) for code, n in rows}


INDICATORS = [
    Indicator(
        id="residential_groups_active",
        name="Tổ dân phố, thôn có cộng đồng số đang vận hành",
        description=(
            "Tỷ lệ cộng đồng tổ dân phố/thôn có trưởng nhóm và ít nhất "
            f"{ACTIVE_GROUP_MIN_MEMBERS} thành viên."
        ),
        target=1.0,
        unit="ratio",
        measure=active_groups,
        position=20,
    ),
    Indicator(
        id="notice_reach",
        name="Thông báo chính thống đến được người dân qua ứng dụng",
        description=(
            "Số lượt đã đọc chia cho số người nhận, cộng trên các thông báo đã gửi trong 90 ngày "
            "qua (người nhận chốt lúc đăng, không tính người đăng)."
        ),
        target=0.7,
        unit="ratio",
        measure=notice_reach,
        position=30,
    ),
    Indicator(
        id="residents_reached",
        name="Người dân theo dõi phường, xã hoặc tham gia cộng đồng",
        description=(
            "Số người dân khác nhau theo dõi phường, xã hoặc là thành viên một cộng đồng của nó."
        ),
        target=None,
        unit="people",
        measure=residents_reached,
        position=50,
    ),
]
