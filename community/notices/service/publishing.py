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
from sqlalchemy.orm.attributes import set_committed_value

from app import events
from app.audit import record
from app.database import dialect_insert, insert_ignore, utcnow
from app.errors import ValidationFailed
from app.extensions import db
from app.fields import local_isoformat
from app.identity.models import User
from app.text import fold
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
    department_code: str | None = None,
    broadcast_id: int | None = None,
) -> Notice:
    """Create a notice (draft or published); publishing delivers it when it is due.

    `department_code` names the department sending it (shown to residents as the sender);
    `broadcast_id` ties it to a city-wide notice (community/notices/service/broadcasts.py).
    """
    community_ids = sorted(set(community_ids))
    _check_communities(ward_code, community_ids)
    now = utcnow()
    if expires_at is not None and expires_at <= max(now, publish_at or now):
        raise ValidationFailed.on_field(
            "expires_at", "Thời điểm hết hạn", "Phải sau thời điểm đăng (và ở tương lai)."
        )
    notice = Notice(
        ward_code=ward_code,
        author_id=author.id,
        title=title,
        body=body,
        search_text=fold(f"{title}\n{body}"),
        category=category,
        priority=priority,
        pinned=pinned,
        status="draft",
        publish_at=publish_at,
        expires_at=expires_at,
        department_code=department_code,
        broadcast_id=broadcast_id,
        communities=[NoticeCommunity(community_id=cid) for cid in community_ids],
    )
    db.session.add(notice)
    if status == "published":
        # Published as it is created: publish's flush inserts it already published, and its
        # delivery knows nobody else can have seen it yet (fresh).
        publish(notice, backdate=backdate, fresh=True)
    else:
        db.session.flush()
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
        raise CommunityNotInWard.on_field(
            "community_ids",
            "Cộng đồng",
            "Có cộng đồng không thuộc phường, xã của thông báo (mã "
            + ", ".join(str(cid) for cid in missing)
            + ").",
        )


def publish(notice: Notice, *, backdate: datetime | None = None, fresh: bool = False) -> Notice:
    """Publish a draft: in every addressed inbox at once, visible from publish_at (or now).

    The inbox rows are written now even for a scheduled notice (the feed shows a row only from
    its `published_at`), so a due notice is never hidden by a worker that runs late; the
    worker's `deliver_due` then fixes the audience as it is at publication. `fresh`: the
    notice is being created in this transaction (see `deliver`).
    """
    if notice.status != "draft":
        raise NotADraft("Chỉ bản nháp mới đăng được.")
    now = utcnow()
    notice.status = "published"
    notice.published_at = backdate or max(now, notice.publish_at or now)
    db.session.flush()
    _audit(notice, "notice.published")
    if notice.published_at <= now:
        deliver(notice, fresh=fresh)
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


def deliver(notice: Notice, *, fresh: bool = False) -> bool:
    """Fix a due notice's audience as it is at publication, exactly once.

    The inbox rows written when it was scheduled gain those who joined since and lose those
    who left (unless they already read it). The conditional UPDATE claims the notice: of two
    workers (or a worker and a publish) racing, only one sees a row changed (PostgreSQL
    re-checks the WHERE after the first commits), so the audience is fixed once, and
    `notice.published` is emitted once. A notice withdrawn before its time is never delivered.

    `fresh`: the notice was created in this very transaction, so nobody else has seen it (no
    inbox row, no read, no joiner or leaver in between): its inbox is written once and its
    audience is the rows written, set with the claim in one statement. City-wide publishing
    creates 126 notices in one request, and this keeps each to a handful of statements.
    """
    if fresh:
        return _deliver_fresh(notice)
    claimed = db.session.execute(
        sa.update(Notice)
        .where(
            Notice.id == notice.id,
            Notice.delivered_at.is_(None),
            Notice.status == "published",
        )
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
    _count_reach(notice)
    db.session.flush()
    _emit(notice, "notice.published")
    return True


def _deliver_fresh(notice: Notice) -> bool:
    """Deliver a notice created in this transaction: address it, then claim it with its reach
    (its audience counted in the claim itself: rowcount is not reliable for INSERT … SELECT …
    ON CONFLICT on psycopg)."""
    _address(notice)
    now = utcnow()
    audience = (
        sa.select(sa.func.count())
        .where(NoticeRecipient.notice_id == notice.id, NoticeRecipient.late.is_(False))
        .scalar_subquery()
    )
    counted = db.session.execute(
        sa.update(Notice)
        .where(
            Notice.id == notice.id,
            Notice.delivered_at.is_(None),
            Notice.status == "published",
        )
        .values(delivered_at=now, audience_count=audience, read_count=0)
        .returning(Notice.audience_count)
        .execution_options(synchronize_session=False)
    ).scalar_one_or_none()
    if counted is None:
        return False
    for key, value in (("delivered_at", now), ("audience_count", counted), ("read_count", 0)):
        set_committed_value(notice, key, value)
    _emit(notice, "notice.published")
    return True


def _emit(notice: Notice, event_type: str) -> None:
    """Tell outside systems (webhooks, the change feed) of a ward-wide notice's change.

    Public facts only: no author, no audience. A community's notices are for its members,
    so they are not announced.
    """
    if notice.communities:
        return
    data = {
        "id": notice.id,
        "ward": notice.ward_code,
        "title": notice.title,
        "category": notice.category,
        "priority": notice.priority,
        "published_at": local_isoformat(notice.published_at),
        "expires_at": local_isoformat(notice.expires_at) if notice.expires_at else None,
        "broadcast_id": notice.broadcast_id,
        "department": notice.department_code,
    }
    if event_type == "notice.withdrawn":
        data["withdrawn_at"] = local_isoformat(notice.withdrawn_at)
    events.emit(event_type, data, ward_code=notice.ward_code)


def inbox_reach(notice_id: int) -> tuple[int, int]:
    """Count a notice's audience (its inbox rows not `late`) and how many of them read it: the
    one definition, which the counters keep from delivery on."""
    read = sa.case((NoticeRecipient.read_at.is_not(None), 1), else_=0)
    audience, reads = db.session.execute(
        sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(read), 0)).where(
            NoticeRecipient.notice_id == notice_id, NoticeRecipient.late.is_(False)
        )
    ).one()
    return int(audience), int(reads)


def _count_reach(notice: Notice) -> None:
    """Set a just-delivered notice's reach counters from the inbox it fixed.

    From here on `reading.mark_read` adds each first read of that audience. A read racing
    this count is counted once: the claim above holds the notice's row, so the read's own
    increment waits for this transaction and then finds the notice delivered (PostgreSQL
    re-checks its WHERE), while a read committed before the count is in the count and found the
    notice undelivered.
    """
    audience, read = inbox_reach(notice.id)
    db.session.execute(
        sa.update(Notice)
        .where(Notice.id == notice.id)
        .values(audience_count=audience, read_count=read)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(notice)


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
    """Withdraw a notice: it leaves every feed; its statistics stay.

    A conditional UPDATE claims the change, so that of two withdrawals racing only one hides
    the rows and announces it (`notice.withdrawn`, for a notice that was delivered).
    """
    claimed = db.session.execute(
        sa.update(Notice)
        .where(Notice.id == notice.id, Notice.status != "withdrawn")
        .values(status="withdrawn", withdrawn_at=utcnow(), updated_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.refresh(notice)
    if claimed != 1:
        return notice
    _audit(notice, "notice.withdrawn")
    db.session.execute(
        sa.update(NoticeRecipient).where(NoticeRecipient.notice_id == notice.id).values(hidden=True)
    )
    db.session.flush()
    if notice.delivered_at is not None:
        _emit(notice, "notice.withdrawn")
    return notice


def _audit(notice: Notice, action: str) -> None:
    """Write the act on a notice to its ward's audit log (its title names it)."""
    record(
        action,
        "notice",
        notice.id,
        notice.title,
        ward_code=notice.ward_code,
        department_code=notice.department_code,
    )


def _pending(*, ward_code: str | None, community_id: int | None) -> sa.Select:
    """Return the ids of a community's or a ward's (ward-wide) notices awaiting delivery."""
    stmt = sa.select(Notice.id).where(Notice.status == "published", Notice.delivered_at.is_(None))
    if community_id is not None:
        return stmt.join(NoticeCommunity, NoticeCommunity.notice_id == Notice.id).where(
            NoticeCommunity.community_id == community_id
        )
    ward_wide = ~sa.exists().where(NoticeCommunity.notice_id == Notice.id)
    return stmt.where(Notice.ward_code == ward_code, ward_wide)


def _locked_undelivered(stmt: sa.Select) -> sa.Select:
    """Restrict a select of notices to those not delivered, share-locking them.

    A delivery claims its notice with an UPDATE: on PostgreSQL this lock waits for a delivery
    in progress and then re-checks `delivered_at`, so a joiner or a leaver never changes the
    inbox of a notice whose audience is being counted (publishing._count_reach). A notice
    delivered meanwhile is left out: the leaver was of its audience; the joiner gets it late
    (`backfill`). SQLite writes one at a time.
    """
    return stmt.where(Notice.delivered_at.is_(None)).with_for_update(read=True, of=Notice)


def address_newcomer(
    *, user: User, ward_code: str | None = None, community_id: int | None = None
) -> None:
    """Put a new member's or follower's scheduled notices in their inbox, as their audience.

    A notice is addressed when scheduled and its audience fixed when delivered; someone who
    joins in between belongs to it, and must see it at publication even if the worker is late.
    """
    pending = _pending(ward_code=ward_code, community_id=community_id).where(
        sa.or_(Notice.author_id.is_(None), Notice.author_id != user.id)
    )
    notices = db.session.scalars(
        _locked_undelivered(sa.select(Notice).where(Notice.id.in_(pending))).options(
            sa.orm.selectinload(Notice.communities)
        )
    ).all()
    if community_id is not None:
        insert_ignore(
            NoticeAudience,
            [
                {"notice_id": n.id, "community_id": community_id, "user_id": user.id}
                for n in notices
            ],
            ["notice_id", "community_id", "user_id"],
        )
    insert_ignore(
        NoticeRecipient,
        [
            {
                "notice_id": n.id,
                "user_id": user.id,
                "pinned": n.pinned,
                "urgent": n.priority == "urgent",
                "published_at": n.published_at,
                "expires_at": n.expires_at,
                "late": False,
            }
            for n in notices
        ],
        ["notice_id", "user_id"],
    )


def withdraw_from_leaver(
    *, user_id: int, ward_code: str | None = None, community_id: int | None = None
) -> None:
    """Take the scheduled notices of a community or ward someone left out of their inbox.

    Only what is not delivered yet and not read: a delivered notice stays in the feed of those
    it reached; a member of two addressed communities keeps it through the other.
    """
    pending = _pending(ward_code=ward_code, community_id=community_id)
    ids = list(
        db.session.scalars(_locked_undelivered(sa.select(Notice.id).where(Notice.id.in_(pending))))
    )
    if not ids:
        return
    if community_id is not None:
        db.session.execute(
            sa.delete(NoticeAudience).where(
                NoticeAudience.user_id == user_id,
                NoticeAudience.community_id == community_id,
                NoticeAudience.notice_id.in_(ids),
            )
        )
        still_addressed = sa.select(NoticeAudience.notice_id).where(
            NoticeAudience.user_id == user_id, NoticeAudience.notice_id.in_(ids)
        )
        ids = [i for i in ids if i not in set(db.session.scalars(still_addressed))]
    db.session.execute(
        sa.delete(NoticeRecipient).where(
            NoticeRecipient.user_id == user_id,
            NoticeRecipient.read_at.is_(None),
            NoticeRecipient.late.is_(False),
            NoticeRecipient.notice_id.in_(ids),
        )
    )
