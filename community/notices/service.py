"""Publishing notices, delivering them to their audience, the feed, read receipts and stats.

Publishing writes the notice into the inbox (`notice_recipient`, one row per resident) of
everyone it is addressed to; the feed shows a row from its `published_at`. When that time
comes, delivery fixes the audience as it is at publication: at once for an immediate notice,
by the worker (`deliver_due`, also `flask notices deliver-due`) for a scheduled one. Audience =
active members of the chosen communities, or the ward's followers for a ward-wide notice,
minus the author. The feed pages over those rows; reads never write.
"""

from datetime import datetime

import sqlalchemy as sa

from app.database import dialect_insert, insert_ignore, utcnow
from app.errors import Conflict, NotFound, ValidationFailed
from app.extensions import db
from app.identity import policy
from app.identity.models import User
from community.common import count, valid_id
from community.groups.models import Community, Membership, WardFollow
from community.notices import images
from community.notices.models import (
    Notice,
    NoticeAudience,
    NoticeCommunity,
    NoticeImage,
    NoticeRead,
    NoticeRecipient,
)

BACKFILL_LIMIT = 20  # newest notices a new member or follower finds in their feed
MAX_IMAGES = 10


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
        raise ValidationFailed(
            "Có cộng đồng không thuộc phường, xã của thông báo.",
            details={"fields": {"community_ids": [f"not in this ward: {missing}"]}},
            code="community_not_in_ward",
        )


def publish(notice: Notice, *, backdate: datetime | None = None) -> Notice:
    """Publish a draft: in every addressed inbox at once, visible from publish_at (or now).

    The inbox rows are written now even for a scheduled notice (the feed shows a row only from
    its `published_at`), so a due notice is never hidden by a worker that runs late; the
    worker's `deliver_due` then fixes the audience as it is at publication.
    """
    if notice.status != "draft":
        raise ValidationFailed("Chỉ bản nháp mới đăng được.", code="not_a_draft")
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
                sa.select(
                    audience.c.community_id, audience.c.user_id, sa.literal(notice.id)
                ).where(sa.true()),  # see below
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


def get(notice_id: int) -> Notice:
    """Return a notice or raise NotFound."""
    notice = db.session.get(Notice, notice_id) if valid_id(notice_id) else None
    if notice is None:
        raise NotFound("Không tìm thấy thông báo này.", code="notice_not_found")
    return notice


def is_live(notice: Notice, now: datetime | None = None) -> bool:
    """Tell whether residents can see the notice now: published, due and not expired."""
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
    db.session.execute(
        sa.update(NoticeRecipient)
        .where(
            NoticeRecipient.notice_id == notice.id,
            NoticeRecipient.user_id == user.id,
            NoticeRecipient.read_at.is_(None),
        )
        .values(read_at=now, delivered_at=sa.func.coalesce(NoticeRecipient.delivered_at, now))
    )
    db.session.flush()


def has_read(*, notice: Notice, user: User | None) -> bool:
    """Tell whether the user marked the notice read."""
    return user is not None and db.session.get(NoticeRead, (notice.id, user.id)) is not None


def stats(notice: Notice) -> dict:
    """Return the reach of a notice: audience at publication, delivered, read, by community.

    Before its publication time a notice has no audience yet (its inbox rows are provisional).
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
    audience = count(base)
    delivered = count(base.where(NoticeRecipient.delivered_at.is_not(None)))
    read = count(base.where(NoticeRecipient.read_at.is_not(None)))
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


def feed_page(*, user: User, after: tuple | None, limit: int) -> list[NoticeRecipient]:
    """Return limit+1 inbox rows of the user, pinned, then urgent, then newest (keyset)."""
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
) -> list[Notice]:
    """Return limit+1 of a ward's notices, newest first (keyset on id).

    With `community_ids` (a leader's view) only the notices addressed to one of those
    communities, and of them other people's drafts left out; without, every notice.
    """
    stmt = (
        sa.select(Notice)
        .where(Notice.ward_code == ward_code)
        .options(
            sa.orm.selectinload(Notice.communities),
            sa.orm.selectinload(Notice.author),
            sa.orm.selectinload(Notice.images),
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


def export_data(user: User) -> dict:
    """Return the person's read receipts and notices they wrote."""
    reads = db.session.execute(
        sa.select(NoticeRead.notice_id, NoticeRead.read_at)
        .where(NoticeRead.user_id == user.id)
        .order_by(NoticeRead.read_at)
    )
    authored = db.session.scalars(
        sa.select(Notice.id).where(Notice.author_id == user.id).order_by(Notice.id)
    )
    return {
        "notice_reads": [{"notice_id": nid, "read_at": at.isoformat()} for nid, at in reads],
        "notices_authored": list(authored),
        "notices_received": count(
            sa.select(NoticeRecipient.notice_id).where(NoticeRecipient.user_id == user.id)
        ),
    }


def erase(user: User) -> None:
    """Empty the person's feed; read receipts and deliveries stay (keyed to the opaque user
    id, which holds no personal data) so that the reach of past notices stays exact."""
    db.session.execute(
        sa.update(NoticeRecipient).where(NoticeRecipient.user_id == user.id).values(hidden=True)
    )
    db.session.flush()


def add_image(*, notice: Notice, raw: bytes) -> NoticeImage:
    """Attach a picture, re-encoded without metadata (at most MAX_IMAGES per notice)."""
    import hashlib

    if notice.status == "withdrawn":
        raise Conflict("Thông báo đã thu hồi.", code="notice_withdrawn")
    if len(notice.images) >= MAX_IMAGES:
        raise ValidationFailed(f"Mỗi thông báo có tối đa {MAX_IMAGES} ảnh.", code="too_many_images")
    clean = images.clean(raw)
    image = NoticeImage(
        mimetype=clean.mimetype,
        width=clean.width,
        height=clean.height,
        size=len(clean.data),
        sha256=hashlib.sha256(clean.data).hexdigest(),
        data=clean.data,
    )
    notice.images.append(image)
    db.session.flush()
    return image


def get_image(*, notice: Notice, image_id: int) -> NoticeImage:
    """Return a picture of the notice or raise NotFound."""
    image = db.session.get(NoticeImage, image_id) if valid_id(image_id) else None
    if image is None or image.notice_id != notice.id:
        raise NotFound("Không tìm thấy ảnh này.", code="image_not_found")
    return image


def delete_image(image: NoticeImage) -> None:
    """Remove a picture."""
    db.session.delete(image)
    db.session.flush()
