"""Lists of reports: a ward's public board, the staff queue, a reporter's own, and the badge.

Every list is a keyset page over one index (reports/models.py), so a page costs the same with
ten thousand reports or a million; photos and reporters of a page come in one query each.
"""

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.database import utcnow
from app.extensions import db
from app.identity.models import User
from reports.models import Report, ReportCategory, ReportEvent


@dataclass(frozen=True)
class BoardFilters:
    """Filters of a ward's board; None means "any".

    `status` is a status code, or "open" / "closed" (Open311's two states); `overdue` keeps
    the open reports past due (True) or the others (False); `created_from` / `created_to`
    bound the reception time (from inclusive, to exclusive); `ids` picks reports by id.
    """

    status: str | None = None
    category: str | None = None
    overdue: bool | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None
    ids: tuple[int, ...] | None = None


def _overdue_clause(now: datetime):
    return sa.and_(Report.is_open == sa.true(), Report.due_at < now)


def _filtered(stmt: sa.Select, ward_code: str, filters: BoardFilters, now: datetime) -> sa.Select:
    stmt = stmt.where(Report.ward_code == ward_code)
    if filters.status == "open":
        stmt = stmt.where(Report.is_open == sa.true())
    elif filters.status == "closed":
        stmt = stmt.where(Report.is_open == sa.false())
    elif filters.status is not None:
        stmt = stmt.where(Report.status == filters.status)
    if filters.category is not None:
        # Looked up first rather than as a subquery: PostgreSQL plans a subquery's value as
        # unknown and sorts the whole category; a known id walks its index newest first.
        category_id = db.session.scalar(
            sa.select(ReportCategory.id).where(
                ReportCategory.ward_code == ward_code, ReportCategory.code == filters.category
            )
        )
        stmt = stmt.where(Report.category_id == (category_id or 0))  # no such category: none
    if filters.overdue is True:
        stmt = stmt.where(_overdue_clause(now))
    elif filters.overdue is False:
        stmt = stmt.where(sa.not_(_overdue_clause(now)))
    if filters.created_from is not None:
        # The board walks (ward, id) newest first; a time window alone would not stop that walk
        # before the ward's oldest report. The window's first id, looked up first on
        # (ward, created_at, id), bounds it (correct whatever the id order: it is the least id
        # of the window; the time test below stays the rule).
        first_id = db.session.scalar(
            # `id + 0`: a plain min(id) makes SQLite walk (ward, id) up to the window instead.
            sa.select(sa.func.min(Report.id + 0)).where(
                Report.ward_code == ward_code, Report.created_at >= filters.created_from
            )
        )
        if first_id is None:
            return stmt.where(sa.false())  # nothing received in the window
        stmt = stmt.where(Report.id >= first_id, Report.created_at >= filters.created_from)
    if filters.created_to is not None:
        stmt = stmt.where(Report.created_at < filters.created_to)
    if filters.ids is not None:
        stmt = stmt.where(Report.id.in_(filters.ids))
    return stmt


def list_board(
    *,
    ward_code: str,
    filters: BoardFilters = BoardFilters(),
    after_id: int | None = None,
    limit: int = 50,
    now: datetime | None = None,
) -> list[Report]:
    """Return up to limit+1 of the ward's reports, newest first, after the cursor's id."""
    stmt = _filtered(sa.select(Report), ward_code, filters, now or utcnow())
    if after_id is not None:
        stmt = stmt.where(Report.id < after_id)
    stmt = stmt.options(selectinload(Report.photos)).order_by(Report.id.desc()).limit(limit + 1)
    return list(db.session.scalars(stmt))


def list_queue(
    *,
    ward_code: str,
    category: str | None = None,
    after: tuple[datetime, int] | None = None,
    limit: int = 50,
) -> list[Report]:
    """Return up to limit+1 open reports of the ward by due time (overdue first), for staff."""
    stmt = _filtered(sa.select(Report), ward_code, BoardFilters(category=category), utcnow())
    stmt = stmt.where(Report.is_open == sa.true())
    if after is not None:
        due, report_id = after
        stmt = stmt.where(
            sa.or_(Report.due_at > due, sa.and_(Report.due_at == due, Report.id > report_id))
        )
    stmt = (
        stmt.options(selectinload(Report.photos), selectinload(Report.reporter))
        .order_by(Report.due_at, Report.id)
        .limit(limit + 1)
    )
    return list(db.session.scalars(stmt))


def latest_notes(reports: list[Report]) -> dict[int, str]:
    """Return each report's latest public note (its history's last entry), in one query."""
    if not reports:
        return {}
    last = (
        sa.select(sa.func.max(ReportEvent.id))
        .where(ReportEvent.report_id.in_([r.id for r in reports]))
        .group_by(ReportEvent.report_id)
    )
    rows = db.session.execute(
        sa.select(ReportEvent.report_id, ReportEvent.note).where(ReportEvent.id.in_(last))
    )
    return {report_id: note for report_id, note in rows}


def list_mine(*, user: User, after_id: int | None = None, limit: int = 50) -> list[Report]:
    """Return up to limit+1 of the person's own reports, newest first."""
    stmt = sa.select(Report).where(Report.reporter_id == user.id)
    if after_id is not None:
        stmt = stmt.where(Report.id < after_id)
    stmt = stmt.options(selectinload(Report.photos)).order_by(Report.id.desc()).limit(limit + 1)
    return list(db.session.scalars(stmt))


def unseen_count(user: User) -> int:
    """Count the person's reports changed by their ward since they last looked."""
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Report)
        .where(Report.reporter_id == user.id, Report.change_count > Report.seen_count)
    )


def mark_seen(*, user: User, report_ids: list[int] | None = None) -> int:
    """Record that the person saw the current state of their reports (all, or those given)."""
    stmt = (
        sa.update(Report)
        .where(Report.reporter_id == user.id, Report.change_count > Report.seen_count)
        .values(seen_count=Report.change_count)
        .execution_options(synchronize_session=False)
    )
    if report_ids is not None:
        stmt = stmt.where(Report.id.in_(report_ids))
    return db.session.execute(stmt).rowcount or 0
