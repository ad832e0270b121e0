"""Reading polls: one by id, the lists a caller may see, the polls open for a person, the audit."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.database import utcnow
from app.extensions import db
from app.identity.models import User
from community.common import valid_id
from community.groups.models import WardFollow
from community.groups.service import active_membership
from community.polls.exceptions import PollNotFound
from community.polls.models import Poll, PollAudit, PollQuestion
from community.polls.service.lifecycle import status_is


def get(poll_id: int) -> Poll:
    """Return a poll with its questions and options, or raise PollNotFound."""
    poll = None
    if valid_id(poll_id):
        poll = db.session.scalar(
            sa.select(Poll)
            .where(Poll.id == poll_id)
            .options(selectinload(Poll.questions).selectinload(PollQuestion.options))
        )
    if poll is None:
        raise PollNotFound("Không tìm thấy cuộc bỏ phiếu này.")
    return poll


def list_visible(
    *,
    user: User | None,
    ward_code: str | None,
    community_id: int | None,
    status: str | None,
    limit: int,
    before_id: int | None,
    manager_wards: set[str] | None,
    led_communities: set[int],
) -> list[Poll]:
    """List the polls the caller may see, newest first (keyset on id)."""
    visible = [sa.and_(Poll.community_id.is_(None), Poll.status != "draft")]
    if user is not None:
        visible.append(
            sa.and_(active_membership(Poll.community_id, user.id), Poll.status != "draft")
        )
    if manager_wards is None:
        visible.append(sa.true())
    elif manager_wards:
        visible.append(Poll.ward_code.in_(manager_wards))
    if led_communities:
        visible.append(Poll.community_id.in_(led_communities))
    stmt = sa.select(Poll).where(sa.or_(*visible)).order_by(Poll.id.desc())
    if ward_code:
        stmt = stmt.where(Poll.ward_code == ward_code)
    if community_id is not None:
        stmt = stmt.where(Poll.community_id == community_id)
    if status:
        stmt = stmt.where(status_is(status, utcnow()))
    if before_id:
        stmt = stmt.where(Poll.id < before_id)
    return list(db.session.scalars(stmt.limit(limit + 1)))


def open_for(user: User, now: datetime | None = None) -> list[Poll]:
    """Return the polls open now that reach the user (their wards' and communities')."""
    now = now or utcnow()
    wards = sa.select(WardFollow.ward_code).where(WardFollow.user_id == user.id)
    stmt = (
        sa.select(Poll)
        .where(
            status_is("open", now),
            sa.or_(
                active_membership(Poll.community_id, user.id),
                sa.and_(Poll.community_id.is_(None), Poll.ward_code.in_(wards)),
            ),
        )
        .order_by(Poll.closes_at.is_(None), Poll.closes_at, Poll.id)
        .options(selectinload(Poll.questions).selectinload(PollQuestion.options))
    )
    return list(db.session.scalars(stmt))


def audit_log(poll: Poll) -> list[dict]:
    """Return what was done to the poll, oldest first, with each actor's current name."""
    return [
        dict(row)
        for row in db.session.execute(
            sa.select(
                PollAudit.action,
                User.name.label("actor_name"),
                PollAudit.at,
                PollAudit.detail,
            )
            .outerjoin(User, User.id == PollAudit.actor_id)
            .where(PollAudit.poll_id == poll.id)
            .order_by(PollAudit.id)
        ).mappings()
    ]
