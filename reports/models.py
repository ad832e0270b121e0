"""Field reports (phản ánh hiện trường): categories, reports, photos, history, ratings, moderation.

The rules the database can hold, it holds: one rating per report (its primary key), a status
from the list and `is_open` agreeing with it, a position inside Hà Nội, a duplicate pointing at
another report. The transitions between statuses are defined once, in TRANSITIONS.
"""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.database import Base, TimestampMixin, UTCDateTime, utcnow
from reports import geo

STATUS_LABELS = {
    "received": "Đã tiếp nhận",
    "acknowledged": "Đã xác nhận",
    "in_progress": "Đang xử lý",
    "resolved": "Đã xử lý xong",
    "rejected": "Không xử lý",
    "duplicate": "Trùng phản ánh khác",
    "referred": "Chuyển cơ quan khác",
}
STATUSES = tuple(STATUS_LABELS)
OPEN_STATUSES = ("received", "acknowledged", "in_progress")
CLOSED_STATUSES = ("resolved", "rejected", "duplicate", "referred")

# The one definition of what ward staff may move a report to, from each status. A closed
# report moves no further by staff; the reporter alone reopens a resolved one (REOPEN).
TRANSITIONS: dict[str, frozenset[str]] = {
    "received": frozenset({"acknowledged", "in_progress", *CLOSED_STATUSES}),
    "acknowledged": frozenset({"in_progress", *CLOSED_STATUSES}),
    "in_progress": frozenset(CLOSED_STATUSES),
    "resolved": frozenset(),
    "rejected": frozenset(),
    "duplicate": frozenset(),
    "referred": frozenset(),
}
# The reporter's one move: a resolved report back into the queue, within REOPEN_DAYS.
REOPEN = ("resolved", "received")
REOPEN_DAYS = 14

# Filters of the board: a status, or every open / every closed one.
STATUS_FILTER_LABELS = {
    **STATUS_LABELS,
    "open": "Chưa đóng (đang tiếp nhận, xử lý)",
    "closed": "Đã đóng",
}

HIDE_TARGET_LABELS = {"description": "Nội dung phản ánh", "photo": "Ảnh"}
HIDDEN_DESCRIPTION = "Nội dung phản ánh đã được ẩn để bảo vệ thông tin cá nhân."


def shown_description(report: "Report", *, sees_hidden: bool) -> str:
    """Return a report's text as a reader sees it: the placeholder once moderation hid it,
    unless the reader may see what was hidden (permissions.can_see_hidden)."""
    if report.description_hidden and not sees_hidden:
        return HIDDEN_DESCRIPTION
    return report.description


def _in(column: str, values) -> str:
    return f"{column} in ({', '.join(repr(v) for v in values)})"


class ReportCategory(TimestampMixin, Base):
    """A kind of report a ward takes (an Open311 "service"), with its deadline in working days.

    A ward's rows are written from the city's defaults the first time something is written
    for that ward (reports/service/categories.py); until then the defaults are read from code.
    """

    __tablename__ = "report_category"

    id: Mapped[int] = mapped_column(primary_key=True)
    ward_code: Mapped[str] = mapped_column(sa.String(5), sa.ForeignKey("ward.code"))
    code: Mapped[str] = mapped_column(sa.String(40))
    name: Mapped[str] = mapped_column(sa.String(120))
    group: Mapped[str] = mapped_column(sa.String(80))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    deadline_days: Mapped[int] = mapped_column()
    # A retired category takes no new reports; the reports filed under it keep it.
    active: Mapped[bool] = mapped_column(default=True)

    __table_args__ = (
        sa.UniqueConstraint("ward_code", "code"),
        sa.CheckConstraint("deadline_days between 1 and 60", name="deadline_days"),
    )


class Report(TimestampMixin, Base):
    """A resident's report of a problem in a ward's public space; public, its reporter not."""

    __tablename__ = "report"

    id: Mapped[int] = mapped_column(primary_key=True)
    ward_code: Mapped[str] = mapped_column(sa.String(5), sa.ForeignKey("ward.code"))
    category_id: Mapped[int] = mapped_column(sa.ForeignKey("report_category.id"))
    # Never shown but to the reporter and the ward's staff; unlinked when the account is erased.
    reporter_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    # Plain text, served as text, never as HTML.
    description: Mapped[str] = mapped_column(sa.Text)
    description_hidden: Mapped[bool] = mapped_column(default=False)
    lat: Mapped[float] = mapped_column(sa.Float)
    long: Mapped[float] = mapped_column(sa.Float)
    address: Mapped[str | None] = mapped_column(sa.String(300))
    status: Mapped[str] = mapped_column(sa.String(20), default="received")
    # Stored beside the status (a CHECK keeps them in agreement) so that "open" is an index
    # prefix: the open-report lists stay one index range however many reports are closed.
    is_open: Mapped[bool] = mapped_column(default=True)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # When the ward first answered publicly (its first status change).
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    duplicate_of_id: Mapped[int | None] = mapped_column(sa.ForeignKey("report.id"))
    # Status changes made by the ward, and how many of them the reporter has seen: the
    # "my reports" badge is the reports where the first is ahead of the second.
    change_count: Mapped[int] = mapped_column(default=0)
    seen_count: Mapped[int] = mapped_column(default=0)

    category: Mapped[ReportCategory] = relationship(lazy="joined", innerjoin=True)
    photos: Mapped[list["ReportPhoto"]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="ReportPhoto.id"
    )
    history: Mapped[list["ReportEvent"]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="ReportEvent.id"
    )
    reporter = relationship("User")
    rating: Mapped["ReportRating | None"] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )

    __table_args__ = (
        sa.CheckConstraint(_in("status", STATUSES), name="status"),
        sa.CheckConstraint(f"is_open = ({_in('status', OPEN_STATUSES)})", name="is_open"),
        sa.CheckConstraint("(closed_at is null) = is_open", name="closed_at"),
        sa.CheckConstraint(
            "(status = 'duplicate') = (duplicate_of_id is not null)", name="duplicate_of"
        ),
        sa.CheckConstraint("duplicate_of_id <> id", name="not_own_duplicate"),
        sa.CheckConstraint(
            f"lat between {geo.LAT_MIN} and {geo.LAT_MAX} "
            f"and long between {geo.LONG_MIN} and {geo.LONG_MAX}",
            name="in_hanoi",
        ),
        sa.CheckConstraint("seen_count between 0 and change_count", name="seen_count"),
        # The public board, newest first, and its filters: each a keyset range of one index.
        sa.Index("ix_report_board", "ward_code", "id"),
        sa.Index("ix_report_board_status", "ward_code", "status", "id"),
        sa.Index("ix_report_board_open", "ward_code", "is_open", "id"),
        sa.Index("ix_report_board_category", "ward_code", "category_id", "id"),
        # Open311's date window (requests?start_date=…) over a ward's reports.
        sa.Index("ix_report_board_created", "ward_code", "created_at", "id"),
        # The staff queue: open reports by due time.
        sa.Index("ix_report_queue", "ward_code", "is_open", "due_at", "id"),
        sa.Index("ix_report_reporter", "reporter_id", "id"),
        sa.Index("ix_report_duplicate_of_id", "duplicate_of_id"),
    )


def closed_on_time() -> sa.ColumnElement[bool]:
    """Return the clause of a report closed by its due moment (never late: closed_at <= due_at)."""
    return sa.and_(Report.is_open == sa.false(), Report.closed_at <= Report.due_at)


def open_past_due(at: datetime) -> sa.ColumnElement[bool]:
    """Return the clause of a report still open at `at` and due before it (late, unanswered).

    At the present moment this is an open report past its due time; at an earlier moment (a
    month's end) a report closed since still counts, as it was open then.
    """
    return sa.and_(
        Report.due_at < at,
        sa.or_(Report.is_open == sa.true(), Report.closed_at > at),
    )


class ReportPhoto(Base):
    """A photo of a report, stored re-encoded: no EXIF, no GPS, no file name."""

    __tablename__ = "report_photo"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(
        sa.ForeignKey("report.id", ondelete="CASCADE"), index=True
    )
    mimetype: Mapped[str] = mapped_column(sa.String(20), default="image/jpeg")
    width: Mapped[int] = mapped_column()
    height: Mapped[int] = mapped_column()
    size: Mapped[int] = mapped_column()
    sha256: Mapped[str] = mapped_column(sa.String(64))
    data: Mapped[bytes] = mapped_column(sa.LargeBinary, deferred=True)
    # Hidden by moderation: kept, served to the ward's staff only.
    hidden: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (sa.CheckConstraint("mimetype = 'image/jpeg'", name="mimetype"),)


class ReportEvent(Base):
    """One entry of a report's public history: the status it took, when, and the public note."""

    __tablename__ = "report_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(sa.ForeignKey("report.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(sa.String(20))
    note: Mapped[str] = mapped_column(sa.Text, default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Who made the change: for the ward's own records, never shown publicly.
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))

    __table_args__ = (
        sa.CheckConstraint(_in("status", STATUSES), name="status"),
        sa.Index("ix_report_event_report", "report_id", "id"),
    )


class ReportRating(Base):
    """The reporter's stars for the handling of a report: one per report, by its primary key."""

    __tablename__ = "report_rating"

    report_id: Mapped[int] = mapped_column(
        sa.ForeignKey("report.id", ondelete="CASCADE"), primary_key=True
    )
    stars: Mapped[int] = mapped_column(sa.SmallInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (sa.CheckConstraint("stars between 1 and 5", name="stars"),)


class ReportModeration(Base):
    """An audited act of moderation: who hid what of a report, when and why."""

    __tablename__ = "report_moderation"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(
        sa.ForeignKey("report.id", ondelete="CASCADE"), index=True
    )
    target: Mapped[str] = mapped_column(sa.String(20))
    photo_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("report_photo.id", ondelete="CASCADE")
    )
    reason: Mapped[str] = mapped_column(sa.Text)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    actor = relationship("User")

    __table_args__ = (
        sa.CheckConstraint(_in("target", HIDE_TARGET_LABELS), name="target"),
        sa.CheckConstraint("(target = 'photo') = (photo_id is not null)", name="photo_id"),
    )
