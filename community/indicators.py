"""The community module's indicators: active residential groups, notice reach, residents reached.

Each is measured for every ward in one grouped query (app/registry.py `Indicator`).
"""

from datetime import timedelta

import sqlalchemy as sa

from app.database import utcnow
from app.extensions import db
from app.registry import PLAN_DEADLINE, PLAN_SOURCE, Indicator
from community.groups.models import Community, Membership, ResidentialGroup, WardFollow
from community.groups.service import ACTIVE_MIN_MEMBERS, active_community
from community.notices.models import Notice

REACH_WINDOW = timedelta(days=90)
ACTIVE_GROUP_MIN_MEMBERS = ACTIVE_MIN_MEMBERS


def active_groups() -> dict[str, tuple[int, int]]:
    """Count, per ward, the registry's groups whose community is active, of all its groups.

    The denominator is the ward's own list of tổ dân phố and thôn (community/groups/registry.py),
    not the communities that happen to exist: a ward without a registry has no entry (no data).
    """
    rows = db.session.execute(
        sa.select(
            ResidentialGroup.ward_code,
            sa.func.sum(sa.case((active_community(Community.id), 1), else_=0)),
            sa.func.count(),
        )
        .select_from(ResidentialGroup)
        .outerjoin(Community, Community.residential_group_id == ResidentialGroup.id)
        .group_by(ResidentialGroup.ward_code)
    )
    return {code: (int(active or 0), int(total)) for code, active, total in rows}


def notice_reach() -> dict[str, tuple[int, int]]:
    """Sum, per ward, the reads and the audience of the notices delivered in the window.

    From each notice's counters (community/notices/models.py `audience_count`, `read_count`):
    one row per notice, never a scan of the read receipts.
    """
    since = utcnow() - REACH_WINDOW
    # Grouped by an expression of the ward, not the bare column: SQLite would otherwise walk
    # every notice ever sent through the ward index to spare itself a sort of ≤ 126 groups,
    # instead of reading the window's range of ix_notice_reach (measured: 88 ms against 1.6 ms
    # with 90,000 older notices; bench/README.md, `kpi`). PostgreSQL reads the range anyway.
    ward = Notice.ward_code.concat(sa.literal_column("''")).label("ward")
    rows = db.session.execute(
        sa.select(
            ward,
            sa.func.coalesce(sa.func.sum(Notice.read_count), 0),
            sa.func.coalesce(sa.func.sum(Notice.audience_count), 0),
        )
        .where(Notice.delivered_at.is_not(None), Notice.delivered_at >= since)
        .group_by(ward)
    )
    return {code: (int(read), int(audience)) for code, read, audience in rows if audience}


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
            "Số tổ dân phố, thôn trong danh sách của phường, xã có cộng đồng số đang vận hành "
            f"(có trưởng nhóm và ít nhất {ACTIVE_GROUP_MIN_MEMBERS} thành viên), chia cho số tổ "
            "dân phố, thôn trong danh sách."
        ),
        target=1.0,
        unit="ratio",
        measure=active_groups,
        position=20,
        deadline=PLAN_DEADLINE,
        source=PLAN_SOURCE,
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
        deadline=PLAN_DEADLINE,
        source=PLAN_SOURCE,
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
