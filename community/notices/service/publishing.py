"""Publishing notices: creating, publishing, delivering when due, withdrawing.

Publishing writes the notice into the inbox (`notice_recipient`, one row per resident) of
everyone it is addressed to; the feed shows a row from its `published_at`. When that time
comes, delivery fixes the audience as it is at publication: at once for an immediate notice,
by the worker's `notices.deliver-due` job for a scheduled one. Audience = active members of
the chosen communities, or the ward's followers for a ward-wide notice, minus the author.
The feed pages over those rows; reads never write.
"""

from datetime import datetime

import sqlalchemy as sa

from app.database import dialect_insert, utcnow
from app.errors import ValidationFailed
from app.extensions import db
from app.identity.models import User
from community.groups.models import Community, Membership, WardFollow
from community.notices.exceptions import CommunityNotInWard, NotADraft
from community.notices.models import (
    Notice,
    NoticeAudience,
    NoticeCommunity,
    NoticeRecipient,
)


def create(
    *,
    author: User,
    ward_code: str,
    title: str,
    body: str,
    category: str,
    priority: str,
    pinned: bool,
    status: str,
    community_ids: list[int],
    publish_at: datetime | None,
    expires_at: datetime | None,
    backdate: datetime | None = None,
) -> Notice:
    """Create a notice (draft or published); publishing delivers it when it is due."""
    community_ids = sorted(set(community_ids))
    _check_communities(ward_code, community_ids)
    now = utcnow()
    if expires_at is not None and expires_at <= max(now, publish_at or now):
        raise ValidationFailed(
            "Thời điểm hết hạn phải sau thời điểm đăng.",
            details={"fields": {"expires_at": ["must be after publication"]}},
        )
    notice = Notice(
        ward_code=ward_code,
        author_id=author.id,
        title=title,
        body=body,
        category=category,
        priority=priority,
        pinned=pinned,
        status="draft",
        publish_at=publish_at,
        expires_at=expires_at,
        communities=[NoticeCommunity(community_id=cid) for cid in community_ids],
    )
    db.session.add(notice)
    db.session.flush()
    if status == "published":
        publish(notice, backdate=backdate)
    return notice


def _check_communities(ward_code: str, community_ids: list[int]) -> None:
    """Every addressed community must exist and belong to the notice's ward."""
    if not community_ids:
        return
    found = set(
        db.session.scalars(
            sa.select(Community.id).where(
                Community.id.in_(community_ids), Community.ward_code == ward_code
            )
        )
    )
    missing = [cid for cid in community_ids if cid not in found]
    if missing:
        raise CommunityNotInWard(
            "Có cộng đồng không thuộc phường, xã của thông báo.",
            details={"fields": {"community_ids": [f"not in this ward: {missing}"]}},
        )


def publish(notice: Notice, *, backdate: datetime | None = None) -> Notice:
    """Publish a draft: in every addressed inbox at once, visible from publish_at (or now).

    The inbox rows are written now even for a scheduled notice (the feed shows a row only from
    its `published_at`), so a due notice is never hidden by a worker that runs late; the
    worker's `deliver_due` then fixes the audience as it is at publication.
    """
    if notice.status != "draft":
        raise NotADraft("Chỉ bản nháp mới đăng được.")
    now = utcnow()
    notice.status = "published"
    notice.published_at = backdate or max(now, notice.publish_at or now)
    db.session.flush()
    if notice.published_at <= now:
        deliver(notice)
    else:
        _address(notice)
    return notice


def _audience(notice: Notice) -> sa.Select:
    """Return the SELECT of the residents a notice is addressed to now (its author excepted).

    Members of its communities (with the community), or the ward's followers (community NULL).
    """
    author = notice.author_id or 0
    community_ids = [c.community_id for c in notice.communities]
    if community_ids:
        return sa.select(Membership.community_id, Membership.user_id).where(
            Membership.community_id.in_(community_ids),
            Membership.status == "active",
            Membership.user_id != author,
        )
    return sa.select(sa.null().label("community_id"), WardFollow.user_id).where(
        WardFollow.ward_code == notice.ward_code, WardFollow.user_id != author
    )


def _address(notice: Notice) -> None:
    """Put the notice in the inbox of everyone it is addressed to now (idempotent)."""
    audience = _audience(notice).subquery()
    if notice.communities:
        db.session.execute(
            dialect_insert(NoticeAudience)
            .from_select(
                ["community_id", "user_id", "notice_id"],
                sa.select(audience.c.community_id, audience.c.user_id, sa.literal(notice.id)).where(
                    sa.true()
                ),  # see below
            )
            .on_conflict_do_nothing()
        )
    db.session.execute(
        dialect_insert(NoticeRecipient)
        .from_select(
            ["notice_id", "user_id", "pinned", "urgent", "published_at", "expires_at", "late"],
            sa.select(
                sa.literal(notice.id),
                audience.c.user_id,
                sa.literal(notice.pinned),
                sa.literal(notice.priority == "urgent"),
                sa.literal(notice.published_at, type_=NoticeRecipient.published_at.type),
                sa.literal(notice.expires_at, type_=NoticeRecipient.expires_at.type),
                sa.literal(False),
            )
            .distinct()
            .where(sa.true()),  # SQLite parses INSERT … SELECT … ON CONFLICT only after a WHERE
        )
        .on_conflict_do_nothing()
    )


def deliver(notice: Notice) -> bool:
    """Fix a due notice's audience as it is at publication, exactly once.

    The inbox rows written when it was scheduled gain those who joined since and lose those
    who left (unless they already read it). The conditional UPDATE claims the notice: of two
    workers (or a worker and a publish) racing, only one sees a row changed (PostgreSQL
    re-checks the WHERE after the first commits), so the audience is fixed once.
    """
    claimed = db.session.execute(
        sa.update(Notice)
        .where(Notice.id == notice.id, Notice.delivered_at.is_(None))
        .values(delivered_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        return False
    db.session.refresh(notice)
    _address(notice)
    audience = _audience(notice)
    if notice.communities:
        db.session.execute(
            sa.delete(NoticeAudience).where(
                NoticeAudience.notice_id == notice.id,
                sa.tuple_(NoticeAudience.community_id, NoticeAudience.user_id).not_in(audience),
            )
        )
    db.session.execute(
        sa.delete(NoticeRecipient).where(
            NoticeRecipient.notice_id == notice.id,
            NoticeRecipient.late.is_(False),
            NoticeRecipient.read_at.is_(None),
            NoticeRecipient.user_id.not_in(sa.select(audience.subquery().c.user_id)),
        )
    )
    db.session.flush()
    return True


def due_notice_ids(now: datetime | None = None) -> list[int]:
    """Return the published notices whose publication time has come and that await delivery."""
    return list(
        db.session.scalars(
            sa.select(Notice.id)
            .where(
                Notice.delivered_at.is_(None),
                Notice.status == "published",
                Notice.published_at <= (now or utcnow()),
            )
            .order_by(Notice.published_at)
        )
    )


def withdraw(notice: Notice) -> Notice:
    """Withdraw a notice: it leaves every feed; its statistics stay."""
    if notice.status == "withdrawn":
        return notice
    notice.status = "withdrawn"
    notice.withdrawn_at = utcnow()
    db.session.execute(
        sa.update(NoticeRecipient).where(NoticeRecipient.notice_id == notice.id).values(hidden=True)
    )
    db.session.flush()
    return notice
