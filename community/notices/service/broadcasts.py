"""City-wide publishing: one notice to many wards (or all 126), and its reach.

A broadcast creates one ordinary notice per ward through `publishing.create`, the one path
that publishes and delivers notices (scheduled ones by the worker, like any other), so each
ward's followers get it in their feed and each notice keeps its own reach counters. The
broadcast row ties them together: its reach is the sum of their counters, and withdrawing it
withdraws each of them through `publishing.withdraw`.
"""

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from app.audit import record
from app.database import utcnow
from app.extensions import db
from app.identity.models import User
from app.wards.models import Ward
from community import citywide
from community.common import valid_id
from community.notices.exceptions import BroadcastNotFound
from community.notices.models import Notice, NoticeBroadcast
from community.notices.service import publishing


def create(
    *,
    author: User,
    wards: list[Ward],
    department_code: str | None,
    title: str,
    body: str,
    category: str,
    priority: str,
    pinned: bool,
    publish_at: datetime | None,
    expires_at: datetime | None,
) -> NoticeBroadcast:
    """Publish one notice to each ward, tied by a broadcast, in the caller's transaction."""
    broadcast = NoticeBroadcast(
        title=title,
        author_id=author.id,
        department_code=department_code,
        ward_count=len(wards),
    )
    db.session.add(broadcast)
    db.session.flush()
    # The city-wide act itself; each ward's notice gets its own entry where it is published.
    record(
        "broadcast.published",
        "notice_broadcast",
        broadcast.id,
        title,
        department_code=department_code,
    )
    for ward in wards:
        publishing.create(
            author=author,
            ward_code=ward.code,
            title=title,
            body=body,
            category=category,
            priority=priority,
            pinned=pinned,
            status="published",
            community_ids=[],
            publish_at=publish_at,
            expires_at=expires_at,
            department_code=department_code,
            broadcast_id=broadcast.id,
        )
    return broadcast


def get(broadcast_id: int) -> NoticeBroadcast:
    """Return a broadcast by id, or raise BroadcastNotFound."""
    found = db.session.get(NoticeBroadcast, broadcast_id) if valid_id(broadcast_id) else None
    if found is None:
        raise BroadcastNotFound("Không tìm thấy thông báo gửi nhiều phường, xã này.")
    return found


def list_for(
    *,
    user: User,
    department_codes: set[str] | None,
    before_id: int | None,
    limit: int,
    department: str | None = None,
) -> list[NoticeBroadcast]:
    """List broadcasts newest first, as the user may see them (community.citywide)."""
    return citywide.visible_broadcasts(
        NoticeBroadcast,
        user=user,
        department_codes=department_codes,
        before_id=before_id,
        limit=limit,
        department=department,
    )


@dataclass(frozen=True)
class Reach:
    """How far a broadcast went: residents addressed at publication, and of them who read it."""

    wards: int
    delivered: int
    audience: int
    read: int

    @property
    def share(self) -> float:
        """Return read / audience, from 0 to 1 (0 with no audience)."""
        return round(self.read / self.audience, 4) if self.audience else 0.0


def totals(broadcast_ids: list[int]) -> dict[int, Reach]:
    """Return the reach of each broadcast from its notices' counters, in one query."""
    if not broadcast_ids:
        return {}
    delivered = sa.case((Notice.delivered_at.is_not(None), 1), else_=0)
    rows = db.session.execute(
        sa.select(
            Notice.broadcast_id,
            sa.func.count(),
            sa.func.coalesce(sa.func.sum(delivered), 0),
            sa.func.coalesce(sa.func.sum(Notice.audience_count), 0),
            sa.func.coalesce(sa.func.sum(Notice.read_count), 0),
        )
        .where(Notice.broadcast_id.in_(broadcast_ids))
        .group_by(Notice.broadcast_id)
    )
    return {
        bid: Reach(wards=int(n), delivered=int(d), audience=int(a), read=int(r))
        for bid, n, d, a, r in rows
    }


def notices_of(broadcast: NoticeBroadcast) -> list[tuple[Notice, Ward]]:
    """Return the broadcast's notices with their wards, by ward code."""
    return list(
        db.session.execute(
            sa.select(Notice, Ward)
            .join(Ward, Ward.code == Notice.ward_code)
            .where(Notice.broadcast_id == broadcast.id)
            .order_by(Notice.ward_code)
        ).all()
    )


def first_notices(broadcast_ids: list[int]) -> dict[int, tuple[Notice, Ward]]:
    """Return one notice of each broadcast (its first), which carries what they share."""
    if not broadcast_ids:
        return {}
    first = (
        sa.select(sa.func.min(Notice.id))
        .where(Notice.broadcast_id.in_(broadcast_ids))
        .group_by(Notice.broadcast_id)
    )
    rows = db.session.execute(
        sa.select(Notice, Ward)
        .join(Ward, Ward.code == Notice.ward_code)
        .where(Notice.id.in_(first))
    ).all()
    return {notice.broadcast_id: (notice, ward) for notice, ward in rows}


def withdraw(broadcast: NoticeBroadcast) -> NoticeBroadcast:
    """Withdraw every notice of the broadcast (each through the one withdraw path)."""
    for notice, _ in notices_of(broadcast):
        publishing.withdraw(notice)
    if broadcast.withdrawn_at is None:
        broadcast.withdrawn_at = utcnow()
        record(
            "broadcast.withdrawn",
            "notice_broadcast",
            broadcast.id,
            broadcast.title,
            department_code=broadcast.department_code,
        )
    db.session.flush()
    return broadcast
