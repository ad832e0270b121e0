"""A notice's reach: audience at publication, delivered, read, by community."""

import sqlalchemy as sa

from app.database import utcnow
from app.extensions import db
from community.common import count
from community.groups.models import Community
from community.notices.models import (
    Notice,
    NoticeAudience,
    NoticeRead,
    NoticeRecipient,
)
from community.notices.service.publishing import inbox_reach


def stats(notice: Notice) -> dict:
    """Return the reach of a notice: audience at publication, delivered, read, by community.

    Before its publication time a notice has no audience yet (its inbox rows are provisional).
    Once delivered, the audience and its reads are the notice's counters (kept by the
    publishing and reading services), the ones the reach indicator sums; between its time and
    the worker's delivery they are counted from the inbox the same way.
    """
    if notice.published_at is None or notice.published_at > utcnow():
        return {
            "notice_id": notice.id,
            "delivered_at": None,
            "audience": 0,
            "delivered": 0,
            "read": 0,
            "read_share": 0.0,
            "by_community": [],
        }
    base = sa.select(NoticeRecipient.user_id).where(
        NoticeRecipient.notice_id == notice.id, NoticeRecipient.late.is_(False)
    )
    if notice.delivered_at is not None:
        audience, read = notice.audience_count, notice.read_count
    else:
        audience, read = inbox_reach(notice.id)
    delivered = count(base.where(NoticeRecipient.delivered_at.is_not(None)))
    by_community = []
    for link in notice.communities:
        members = sa.select(NoticeAudience.user_id).where(
            NoticeAudience.notice_id == notice.id,
            NoticeAudience.community_id == link.community_id,
        )
        c_audience = count(members)
        c_read = count(
            members.join(
                NoticeRead,
                sa.and_(
                    NoticeRead.notice_id == NoticeAudience.notice_id,
                    NoticeRead.user_id == NoticeAudience.user_id,
                ),
            )
        )
        community = db.session.get(Community, link.community_id)
        by_community.append(
            {
                "community_id": link.community_id,
                "name": community.name if community else None,
                "audience": c_audience,
                "read": c_read,
                "read_share": _share(c_read, c_audience),
            }
        )
    return {
        "notice_id": notice.id,
        "delivered_at": notice.delivered_at,
        "audience": audience,
        "delivered": delivered,
        "read": read,
        "read_share": _share(read, audience),
        "by_community": by_community,
    }


def _share(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def recount_reach() -> list[str]:
    """Recount every delivered notice's audience and reads from its inbox; return the notices
    whose counters disagree, in words (`flask kpi check`)."""
    rows = db.session.execute(
        sa.select(Notice.id, Notice.audience_count, Notice.read_count).where(
            Notice.delivered_at.is_not(None)
        )
    ).all()
    problems = []
    for notice_id, kept_audience, kept_read in rows:
        audience, read = inbox_reach(notice_id)
        if (kept_audience, kept_read) != (audience, read):
            problems.append(
                f"thông báo {notice_id}: đếm lại {audience} người nhận, {read} đã đọc; "
                f"bộ đếm ghi {kept_audience}, {kept_read}"
            )
    return problems
