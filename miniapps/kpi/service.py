"""The city's indicators, measured from the system's own data (never typed in by hand).

Each indicator is computed for all wards with one grouped query, so the city-wide table of
126 units costs the same few queries as one ward.
"""

from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa

from app.database import utcnow
from app.extensions import db
from app.wards.models import Ward
from community.groups.models import Community, Membership, WardFollow
from community.notices.models import Notice, NoticeRecipient
from miniapps.config.models import MiniappVersion
from miniapps.market.models import MarketZone, Merchant

REACH_WINDOW = timedelta(days=90)
ACTIVE_GROUP_MIN_MEMBERS = 3
RESIDENTIAL_KINDS = ("to_dan_pho", "thon")


@dataclass(frozen=True)
class Indicator:
    """What an indicator measures, in Vietnamese for the people who read it."""

    id: str
    name: str
    description: str
    target: float | None
    unit: str


INDICATORS = (
    Indicator(
        "miniapp_customised",
        "Miniapp được tùy biến theo đặc thù phường, xã",
        "1 khi phường, xã đã tự xuất bản ít nhất một phiên bản cấu hình miniapp của mình "
        "(ngoài phiên bản 1 sinh từ mẫu chung).",
        1.0,
        "ratio",
    ),
    Indicator(
        "residential_groups_active",
        "Tổ dân phố, thôn có cộng đồng số đang vận hành",
        f"Tỷ lệ cộng đồng tổ dân phố/thôn có trưởng nhóm và ít nhất "
        f"{ACTIVE_GROUP_MIN_MEMBERS} thành viên.",
        1.0,
        "ratio",
    ),
    Indicator(
        "notice_reach",
        "Thông báo chính thống đến được người dân qua ứng dụng",
        "Số lượt đã đọc chia cho số người nhận, cộng trên các thông báo đã gửi trong 90 ngày "
        "qua (người nhận chốt lúc đăng, không tính người đăng).",
        0.7,
        "ratio",
    ),
    Indicator(
        "merchant_payment_qr",
        "Hộ kinh doanh chợ 4.0 có mã QR thanh toán",
        "Tỷ lệ hộ kinh doanh đã được xác minh (có mã VietQR) trên tổng số hộ đăng ký, "
        "không tính hồ sơ bị từ chối.",
        1.0,
        "ratio",
    ),
    Indicator(
        "residents_reached",
        "Người dân theo dõi phường, xã hoặc tham gia cộng đồng",
        "Số người dân khác nhau theo dõi phường, xã hoặc là thành viên một cộng đồng của nó.",
        None,
        "people",
    ),
)


def _status(value: float | None, target: float | None) -> str:
    if value is None:
        return "no_data"
    if target is None:
        return "info"
    return "met" if value >= target - 1e-9 else "not_met"


def _ratio(numerator: int, denominator: int) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


def _customised() -> dict[str, tuple[int, int]]:
    rows = db.session.execute(
        sa.select(MiniappVersion.ward_code, sa.func.max(MiniappVersion.version)).group_by(
            MiniappVersion.ward_code
        )
    )
    return {code: (int(latest > 1), 1) for code, latest in rows}


def _groups() -> dict[str, tuple[int, int]]:
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


def _reach() -> dict[str, tuple[int, int]]:
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


def _merchants() -> dict[str, tuple[int, int]]:
    rows = db.session.execute(
        sa.select(
            MarketZone.ward_code,
            sa.func.sum(sa.case((Merchant.status == "verified", 1), else_=0)),
            sa.func.count(),
        )
        .join(Merchant, Merchant.zone_id == MarketZone.id)
        .where(Merchant.status != "rejected")
        .group_by(MarketZone.ward_code)
    )
    return {code: (int(verified or 0), int(total)) for code, verified, total in rows}


def _residents() -> dict[str, tuple[int, int]]:
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


_MEASURES = {
    "miniapp_customised": _customised,
    "residential_groups_active": _groups,
    "notice_reach": _reach,
    "merchant_payment_qr": _merchants,
    "residents_reached": _residents,
}


def measure(*, ward_codes: list[str] | None = None) -> list[dict]:
    """Measure every indicator for the given wards (all 126 when None), one entry per ward."""
    stmt = sa.select(Ward).order_by(Ward.code)
    if ward_codes is not None:
        stmt = stmt.where(Ward.code.in_(ward_codes))
    wards = list(db.session.scalars(stmt))
    measured = {ind.id: _MEASURES[ind.id]() for ind in INDICATORS}
    at = utcnow()
    entries = []
    for ward in wards:
        indicators = []
        for ind in INDICATORS:
            numerator, denominator = measured[ind.id].get(ward.code, (0, 0))
            if ind.unit == "people" or ind.id == "miniapp_customised":
                value = float(numerator)
            else:
                value = _ratio(numerator, denominator)
            indicators.append(
                {
                    "id": ind.id,
                    "name": ind.name,
                    "description": ind.description,
                    "value": value,
                    "target": ind.target,
                    "status": _status(value, ind.target),
                    "numerator": numerator,
                    "denominator": denominator if ind.unit == "ratio" else None,
                }
            )
        entries.append(
            {
                "ward": {
                    "code": ward.code,
                    "name": ward.name,
                    "type": ward.type,
                    "slug": ward.slug,
                },
                "indicators": indicators,
                "measured_at": at,
            }
        )
    return entries


def summarize(entries: list[dict]) -> list[dict]:
    """Count, for each indicator, the wards that meet its target."""
    summary = []
    for ind in INDICATORS:
        statuses = [i["status"] for e in entries for i in e["indicators"] if i["id"] == ind.id]
        summary.append(
            {
                "id": ind.id,
                "name": ind.name,
                "target": ind.target,
                "wards_met": statuses.count("met"),
                "wards_not_met": statuses.count("not_met"),
                "wards_no_data": statuses.count("no_data"),
            }
        )
    return summary
