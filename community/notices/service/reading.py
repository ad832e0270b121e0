"""Reading notices: one notice, who may read it, the feed, read and delivery receipts."""

from datetime import datetime

import sqlalchemy as sa

from app.database import insert_ignore, utcnow
from app.extensions import db
from app.identity import policy
from app.identity.models import User
from app.text import escape_like, fold
from community.common import count, valid_id
from community.groups.models import Membership
from community.notices.exceptions import NoticeNotFound
from community.notices.models import (
    Notice,
    NoticeCommunity,
    NoticeRead,
    NoticeRecipient,
)

BACKFILL_LIMIT = 20  # newest notices a new member or follower finds in their feed


def get(notice_id: int) -> Notice:
    """Return a notice or raise NotFound."""
    notice = db.session.get(Notice, notice_id) if valid_id(notice_id) else None
    if notice is None:
        raise NoticeNotFound("Không tìm thấy thông báo này.")
    return notice


def live_clause(now: datetime) -> sa.ColumnElement[bool]:
    """Return is_live() as a clause over Notice, for lists (keep the two the same rule)."""
    return sa.and_(
        Notice.status == "published",
        Notice.published_at.is_not(None),
        Notice.published_at <= now,
        sa.or_(Notice.expires_at.is_(None), Notice.expires_at > now),
    )


def is_live(notice: Notice, now: datetime | None = None) -> bool:
    """Tell whether residents can see the notice now: published, due and not expired
    (live_clause() is the same rule in SQL)."""
    now = now or utcnow()
    return (
        notice.status == "published"
        and notice.published_at is not None
        and notice.published_at <= now
        and (notice.expires_at is None or notice.expires_at > now)
    )


def can_read(user: User | None, notice: Notice, *, manager: bool) -> bool:
    """Tell whether the user may read the notice.

    Managers see everything of theirs; a live ward-wide notice is public; a live community
    notice is for its recipients, the current members and leaders of its communities.
    """
    if manager:
        return True
    if not is_live(notice):
        return False
    community_ids = [c.community_id for c in notice.communities]
    if not community_ids:
        return True
    if user is None:
        return False
    if any(policy.is_community_leader(user, cid) for cid in community_ids):
        return True
    if db.session.get(NoticeRecipient, (notice.id, user.id)) is not None:
        return True
    return bool(
        db.session.scalar(
            sa.select(Membership.id).where(
                Membership.user_id == user.id,
                Membership.community_id.in_(community_ids),
                Membership.status == "active",
            )
        )
    )


def mark_read(*, notice: Notice, user: User) -> None:
    """Record that the user read the notice (idempotent: the first time counts)."""
    now = utcnow()
    insert_ignore(
        NoticeRead,
        [{"notice_id": notice.id, "user_id": user.id, "read_at": now}],
        ["notice_id", "user_id"],
    )
    first_read = db.session.execute(
        sa.update(NoticeRecipient)
        .where(
            NoticeRecipient.notice_id == notice.id,
            NoticeRecipient.user_id == user.id,
            NoticeRecipient.read_at.is_(None),
        )
        .values(read_at=now, delivered_at=sa.func.coalesce(NoticeRecipient.delivered_at, now))
        .returning(NoticeRecipient.late)
    ).first()
    if first_read is not None and not first_read.late:
        # One of the audience fixed at publication read it for the first time. Before the
        # delivery nothing is added: `deliver` counts the reads there are then. The row is
        # updated either way, so that a delivery in progress is waited for and its result
        # decides (publishing._count_reach).
        delivered = sa.case((Notice.delivered_at.is_not(None), 1), else_=0)
        db.session.execute(
            sa.update(Notice)
            .where(Notice.id == notice.id)
            # updated_at kept: a read is not a change of the notice.
            .values(read_count=Notice.read_count + delivered, updated_at=Notice.updated_at)
            .execution_options(synchronize_session=False)
        )
    db.session.flush()


def has_read(*, notice: Notice, user: User | None) -> bool:
    """Tell whether the user marked the notice read."""
    return user is not None and db.session.get(NoticeRead, (notice.id, user.id)) is not None


def feed_page(
    *,
    user: User,
    after: tuple | None,
    limit: int,
    category: str | None = None,
    q: str | None = None,
) -> list[NoticeRecipient]:
    """Return limit+1 inbox rows of the user, pinned, then urgent, then newest (keyset).

    `category` and `q` (words of the title or body, with or without diacritics) narrow it.
    """
    now = utcnow()
    r = NoticeRecipient
    stmt = (
        sa.select(r)
        .where(
            r.user_id == user.id,
            r.hidden.is_(False),
            r.published_at <= now,
            sa.or_(r.expires_at.is_(None), r.expires_at > now),
        )
        .order_by(r.pinned.desc(), r.urgent.desc(), r.published_at.desc(), r.notice_id.desc())
        .limit(limit + 1)
    )
    if category is not None or q:
        stmt = stmt.join(Notice, Notice.id == r.notice_id)
        if category is not None:
            stmt = stmt.where(Notice.category == category)
        for word in fold(q or "").split():
            stmt = stmt.where(Notice.search_text.like(f"%{escape_like(word)}%", escape="\\"))
    if after is not None:
        pinned, urgent, published_at, notice_id = after
        stmt = stmt.where(
            sa.tuple_(r.pinned, r.urgent, r.published_at, r.notice_id)
            < sa.tuple_(
                sa.literal(pinned),
                sa.literal(urgent),
                sa.literal(published_at, type_=r.published_at.type),
                sa.literal(notice_id),
            )
        )
    return list(db.session.scalars(stmt))


def list_for_ward(
    *,
    ward_code: str,
    status: str | None,
    community_ids: tuple[int, ...] | None,
    viewer_id: int,
    after_id: int | None,
    limit: int,
    public_only: bool = False,
) -> list[Notice]:
    """Return limit+1 of a ward's notices, newest first (keyset on id).

    With `community_ids` (a leader's view) only the notices addressed to one of those
    communities, and of them other people's drafts left out; with `public_only` (an API
    client's view) only the live ward-wide notices anyone may read; otherwise every notice.
    """
    stmt = (
        sa.select(Notice)
        .where(Notice.ward_code == ward_code)
        .options(
            sa.orm.selectinload(Notice.communities),
            sa.orm.selectinload(Notice.author),
            sa.orm.selectinload(Notice.images),
            sa.orm.selectinload(Notice.department),
        )
        .order_by(Notice.id.desc())
        .limit(limit + 1)
    )
    if status is not None:
        stmt = stmt.where(Notice.status == status)
    if community_ids is not None:
        addressed = sa.select(NoticeCommunity.notice_id).where(
            NoticeCommunity.community_id.in_(community_ids)
        )
        stmt = stmt.where(
            Notice.id.in_(addressed),
            sa.or_(Notice.status != "draft", Notice.author_id == viewer_id),
        )
    if public_only:
        stmt = stmt.where(
            live_clause(utcnow()),
            ~Notice.id.in_(sa.select(NoticeCommunity.notice_id)),
        )
    if after_id is not None:
        stmt = stmt.where(Notice.id < after_id)
    return list(db.session.scalars(stmt))


def read_ids(*, user: User, notice_ids: list[int]) -> set[int]:
    """Return which of these notices the user marked read."""
    if not notice_ids:
        return set()
    return set(
        db.session.scalars(
            sa.select(NoticeRead.notice_id).where(
                NoticeRead.user_id == user.id, NoticeRead.notice_id.in_(notice_ids)
            )
        )
    )


def notices_by_id(ids: list[int]) -> dict[int, Notice]:
    """Load notices (with their communities) by id."""
    if not ids:
        return {}
    rows = db.session.scalars(
        sa.select(Notice)
        .where(Notice.id.in_(ids))
        .options(
            sa.orm.selectinload(Notice.communities),
            sa.orm.selectinload(Notice.author),
            sa.orm.selectinload(Notice.images),
            sa.orm.selectinload(Notice.department),
        )
    )
    return {n.id: n for n in rows}


def mark_delivered(*, user: User, notice_ids: list[int]) -> None:
    """Record that these notices reached the user's screen (their app says it showed them)."""
    if not notice_ids:
        return
    db.session.execute(
        sa.update(NoticeRecipient)
        .where(
            NoticeRecipient.user_id == user.id,
            NoticeRecipient.notice_id.in_(notice_ids),
            NoticeRecipient.delivered_at.is_(None),
        )
        .values(delivered_at=utcnow())
    )


def unread_count(user: User) -> int:
    """Count the live notices in the user's feed that they have not read."""
    now = utcnow()
    r = NoticeRecipient
    return count(
        sa.select(r.notice_id).where(
            r.user_id == user.id,
            r.read_at.is_(None),
            r.hidden.is_(False),
            r.published_at <= now,
            sa.or_(r.expires_at.is_(None), r.expires_at > now),
        )
    )


def backfill(*, user: User, ward_code: str | None = None, community_id: int | None = None) -> None:
    """Put the newest live notices of a ward (ward-wide) or a community in a new follower's or
    member's feed. These rows are marked late: they never count in the audience at publication."""
    now = utcnow()
    stmt = sa.select(
        Notice.id, Notice.pinned, Notice.priority, Notice.published_at, Notice.expires_at
    ).where(
        Notice.status == "published",
        Notice.delivered_at.is_not(None),
        Notice.published_at <= now,
        sa.or_(Notice.expires_at.is_(None), Notice.expires_at > now),
        sa.or_(Notice.author_id.is_(None), Notice.author_id != user.id),
    )
    if community_id is not None:
        stmt = stmt.join(NoticeCommunity, NoticeCommunity.notice_id == Notice.id).where(
            NoticeCommunity.community_id == community_id
        )
    else:
        ward_wide = ~sa.exists().where(NoticeCommunity.notice_id == Notice.id)
        stmt = stmt.where(Notice.ward_code == ward_code, ward_wide)
    rows = db.session.execute(stmt.order_by(Notice.published_at.desc()).limit(BACKFILL_LIMIT))
    insert_ignore(
        NoticeRecipient,
        [
            {
                "notice_id": nid,
                "user_id": user.id,
                "pinned": pinned,
                "urgent": priority == "urgent",
                "published_at": published_at,
                "expires_at": expires_at,
                "late": True,
            }
            for nid, pinned, priority, published_at, expires_at in rows.all()
        ],
        ["notice_id", "user_id"],
    )
