"""A report's life after it is received: status changes, reopening, rating and moderation.

Each change locks the report's row first (SELECT … FOR UPDATE on PostgreSQL; SQLite's write
transactions are serial already), then checks the rule on the row as it is now, so two staff
acting at once cannot both move the same report from the same status.
"""

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.audit import record
from app.database import MAX_ID, insert_ignore, utcnow
from app.errors import ValidationFailed
from app.extensions import db
from app.identity.models import User
from reports import deadlines, events
from reports.exceptions import (
    AlreadyRated,
    NotTheReporter,
    NotYetClosed,
    PhotoNotFound,
    ReopenClosed,
    TransitionNotAllowed,
)
from reports.models import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    REOPEN,
    REOPEN_DAYS,
    STATUS_LABELS,
    TRANSITIONS,
    Report,
    ReportEvent,
    ReportModeration,
    ReportPhoto,
    ReportRating,
)
from reports.service.categories import category_for_report

DUPLICATE_OF_LABEL = "Trùng với phản ánh"
REOPEN_NOTE = "Người phản ánh đề nghị xem xét lại."


def _lock(report: Report) -> Report:
    """Take the report's row lock and reload it as it is now."""
    return db.session.scalars(
        sa.select(Report)
        .where(Report.id == report.id)
        .with_for_update(of=Report)
        .execution_options(populate_existing=True)
    ).one()


def allowed_statuses(report: Report) -> list[str]:
    """Return the statuses ward staff may move the report to, in the vocabulary's order."""
    return [s for s in STATUS_LABELS if s in TRANSITIONS[report.status]]


def is_overdue(report: Report, now: datetime) -> bool:
    """Tell whether the report is open and past its due moment."""
    return report.is_open and now > report.due_at


def _set_status(report: Report, status: str, now: datetime) -> None:
    report.status = status
    report.is_open = status in OPEN_STATUSES
    report.closed_at = None if report.is_open else now
    report.updated_at = now


def _duplicate_target(report: Report, duplicate_of: int | None) -> Report:
    if duplicate_of is None:
        raise ValidationFailed.on_field(
            "duplicate_of", DUPLICATE_OF_LABEL, "Hãy cho biết phản ánh gốc mà phản ánh này trùng."
        )
    original = db.session.get(Report, duplicate_of) if 1 <= duplicate_of <= MAX_ID else None
    if original is None or original.ward_code != report.ward_code:
        raise ValidationFailed.on_field(
            "duplicate_of", DUPLICATE_OF_LABEL, "Không có phản ánh này trong phường, xã."
        )
    if original.id == report.id:
        raise ValidationFailed.on_field(
            "duplicate_of", DUPLICATE_OF_LABEL, "Phản ánh không thể trùng với chính nó."
        )
    if original.status == "duplicate":
        raise ValidationFailed.on_field(
            "duplicate_of",
            DUPLICATE_OF_LABEL,
            f"Phản ánh #{original.id} cũng là phản ánh trùng; hãy chọn phản ánh gốc "
            f"#{original.duplicate_of_id}.",
        )
    return original


def change_status(
    *,
    report: Report,
    actor: User,
    status: str,
    note: str,
    duplicate_of: int | None = None,
    now: datetime | None = None,
) -> Report:
    """Move a report to a new status with a public note (ward staff; TRANSITIONS decides)."""
    report = _lock(report)
    if status not in TRANSITIONS[report.status]:
        raise TransitionNotAllowed(
            f"Không thể chuyển phản ánh từ «{STATUS_LABELS[report.status]}» "
            f"sang «{STATUS_LABELS[status]}»."
        )
    original = _duplicate_target(report, duplicate_of) if status == "duplicate" else None
    if status != "duplicate" and duplicate_of is not None:
        raise ValidationFailed.on_field(
            "duplicate_of",
            DUPLICATE_OF_LABEL,
            f"Chỉ dùng khi chuyển sang «{STATUS_LABELS['duplicate']}».",
        )
    now = now or utcnow()
    previous = report.status
    _set_status(report, status, now)
    report.duplicate_of_id = original.id if original is not None else None
    report.responded_at = report.responded_at or now
    report.change_count += 1
    report.history.append(ReportEvent(status=status, note=note, at=now, actor_id=actor.id))
    db.session.flush()
    _audit("report.status_changed", report, STATUS_LABELS[status], actor)
    events.status_changed(report, previous=previous, note=note, now=now)
    return report


def recategorize(
    *, report: Report, actor: User, category: str, now: datetime | None = None
) -> Report:
    """File an open report under another category of its ward (ward staff).

    Its deadline follows the new category, counted from when the report was last received
    (its creation, or its reopening); the change enters the public history.
    """
    report = _lock(report)
    if not report.is_open:
        raise TransitionNotAllowed("Phản ánh đã đóng; không đổi loại được nữa.")
    row = category_for_report(ward_code=report.ward_code, code=category)
    if row.id == report.category_id:
        return report
    now = now or utcnow()
    # Received at creation or at a reopening (events written by nobody on staff); a staff
    # member's own entries (an earlier recategorisation) do not restart the clock.
    received = max(
        (e.at for e in report.history if e.status == REOPEN[1] and e.actor_id is None),
        default=report.created_at,
    )
    report.category = row
    report.due_at = deadlines.due_at(received, row.deadline_days)
    report.updated_at = now
    report.change_count += 1
    report.history.append(
        ReportEvent(
            status=report.status, note=f"Chuyển sang loại «{row.name}».", at=now, actor_id=actor.id
        )
    )
    db.session.flush()
    _audit("report.recategorized", report, row.name, actor)
    events.recategorized(report, now)
    return report


def can_reopen(report: Report, now: datetime) -> bool:
    """Tell whether a report may be reopened now: resolved, within REOPEN_DAYS of it."""
    return (
        report.status == REOPEN[0]
        and report.closed_at is not None
        and now - report.closed_at <= timedelta(days=REOPEN_DAYS)
    )


def reopen(*, report: Report, user: User, note: str | None, now: datetime | None = None) -> Report:
    """Reopen a resolved report (its reporter, within 14 days): back to received, a new due."""
    report = _lock(report)
    if report.reporter_id is None or report.reporter_id != user.id:
        raise NotTheReporter("Chỉ người gửi phản ánh mới mở lại được.")
    now = now or utcnow()
    if not can_reopen(report, now):
        raise ReopenClosed(
            f"Chỉ mở lại được phản ánh đã xử lý xong, trong {REOPEN_DAYS} ngày kể từ khi xử lý."
        )
    _set_status(report, REOPEN[1], now)
    report.due_at = deadlines.due_at(now, report.category.deadline_days)
    report.history.append(
        ReportEvent(status=REOPEN[1], note=f"{REOPEN_NOTE} {note or ''}".strip(), at=now)
    )
    db.session.flush()
    # The reporter's own words stay out of the event and the audit log: the report's number.
    record(
        "report.reopened",
        "report",
        report.id,
        f"Phản ánh #{report.id}",
        ward_code=report.ward_code,
        actor=user,
    )
    events.status_changed(report, previous=REOPEN[0], note=REOPEN_NOTE, now=now)
    return report


def rate(*, report: Report, user: User, stars: int, now: datetime | None = None) -> ReportRating:
    """Record the reporter's stars for a closed report, once (the primary key says so)."""
    if report.reporter_id is None or report.reporter_id != user.id:
        raise NotTheReporter("Chỉ người gửi phản ánh mới đánh giá được.")
    if report.status not in CLOSED_STATUSES:
        raise NotYetClosed("Chỉ đánh giá được phản ánh đã đóng.")
    now = now or utcnow()
    inserted = insert_ignore(
        ReportRating,
        [{"report_id": report.id, "stars": stars, "created_at": now}],
        keys=["report_id"],
    )
    if not inserted:
        raise AlreadyRated("Phản ánh này đã được đánh giá.")
    return db.session.get(ReportRating, report.id, populate_existing=True)


def hide(
    *,
    report: Report,
    actor: User,
    target: str,
    reason: str,
    photo_id: int | None = None,
    now: datetime | None = None,
) -> ReportModeration | None:
    """Hide a report's text or one of its photos from the public; the original is kept.

    The act is recorded (who, when, why). Hiding what is hidden already records nothing.
    """
    report = _lock(report)
    now = now or utcnow()
    if target == "photo":
        if photo_id is None:
            raise ValidationFailed.on_field("photo_id", "Ảnh", "Hãy chọn ảnh cần ẩn.")
        photo = db.session.get(ReportPhoto, photo_id)
        if photo is None or photo.report_id != report.id:
            raise PhotoNotFound("Không tìm thấy ảnh này trong phản ánh.")
        if photo.hidden:
            return None
        photo.hidden = True
    else:
        if photo_id is not None:
            raise ValidationFailed.on_field(
                "photo_id", "Ảnh", "Chỉ dùng khi ẩn một ảnh (target = photo)."
            )
        if report.description_hidden:
            return None
        report.description_hidden = True
    report.updated_at = now
    entry = ReportModeration(
        report_id=report.id,
        target=target,
        photo_id=photo_id if target == "photo" else None,
        reason=reason,
        actor_id=actor.id,
        at=now,
    )
    db.session.add(entry)
    db.session.flush()
    _audit("report.hidden", report, "ảnh" if target == "photo" else "nội dung", actor)
    events.hidden(report, target=target, photo_id=entry.photo_id, now=now)
    return entry


def _audit(action: str, report: Report, what: str, actor: User) -> None:
    """Write a staff act on a report to its ward's audit log: the report's number and the
    new state, never the resident's words (a description may name people)."""
    record(
        action,
        "report",
        report.id,
        f"Phản ánh #{report.id}: {what}",
        ward_code=report.ward_code,
        actor=actor,
    )


def moderation_log(report: Report) -> list[ReportModeration]:
    """Return the report's moderation acts, oldest first, with their actors."""
    return list(
        db.session.scalars(
            sa.select(ReportModeration)
            .where(ReportModeration.report_id == report.id)
            .options(selectinload(ReportModeration.actor))
            .order_by(ReportModeration.id)
        )
    )
