"""Notices, their addressed communities, the per-recipient inbox and read receipts."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.database import Base, TimestampMixin, UTCDateTime, utcnow
from app.departments.models import Department

CATEGORIES = {
    "thong_tin_co_so": "Thông tin cơ sở",
    "an_ninh_trat_tu": "An ninh trật tự",
    "y_te": "Y tế",
    "giao_duc": "Giáo dục",
    "moi_truong": "Môi trường",
    "phong_chong_thien_tai": "Phòng chống thiên tai",
    "van_hoa": "Văn hóa",
    "phap_luat": "Pháp luật",
    "khac": "Khác",
}
PRIORITY_LABELS = {"normal": "Thường", "urgent": "Khẩn"}
PRIORITIES = tuple(PRIORITY_LABELS)
STATUS_LABELS = {
    "draft": "Bản nháp",
    "published": "Đã đăng",
    "withdrawn": "Đã thu hồi",
}
STATUSES = tuple(STATUS_LABELS)
# A published notice whose time has not come yet (publish_at in the future) is shown so.
SCHEDULED_LABEL = "Hẹn giờ đăng"


def status_label(status: str, published_at, now) -> str:
    """Name a notice's state for people: its status, or "Hẹn giờ đăng" until it shows."""
    if status == "published" and published_at is not None and published_at > now:
        return SCHEDULED_LABEL
    return STATUS_LABELS[status]


def _in(column: str, values) -> str:
    return f"{column} in ({', '.join(repr(v) for v in values)})"


class Notice(TimestampMixin, Base):
    """An official notice of a ward, ward-wide or to chosen communities of that ward."""

    __tablename__ = "notice"

    id: Mapped[int] = mapped_column(primary_key=True)
    ward_code: Mapped[str] = mapped_column(sa.String(5), sa.ForeignKey("ward.code"), index=True)
    author_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(sa.String(200))
    # Plain text, stored exactly as given and always served as text, never as HTML.
    body: Mapped[str] = mapped_column(sa.Text)
    category: Mapped[str] = mapped_column(sa.String(30))
    priority: Mapped[str] = mapped_column(sa.String(10), default="normal")
    pinned: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(sa.String(10), default="published")
    publish_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # When it became (or becomes, if scheduled) visible; the feed's "newest" order.
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # When the audience was snapshotted into the inbox; null while not yet delivered.
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Title and body folded to lower-case ASCII (app.text.fold): search with or without
    # diacritics.
    search_text: Mapped[str] = mapped_column(sa.Text, default="")
    # The reach, kept as it changes (community/notices/service: `deliver` sets both from the
    # inbox it fixes; a first read by one of that audience adds one): the residents the notice
    # was addressed to at publication (inbox rows not `late`), and how many of them read it.
    # Statistics and indicators read these, never a count of the receipts; `flask kpi check`
    # recounts them.
    audience_count: Mapped[int] = mapped_column(default=0, server_default="0")
    read_count: Mapped[int] = mapped_column(default=0, server_default="0")
    # The city-wide notice this ward's copy belongs to (one notice per ward), if any.
    broadcast_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("notice_broadcast.id", ondelete="SET NULL"), index=True
    )
    # The department (sở, ngành) that sends it, shown to residents as the sender.
    department_code: Mapped[str | None] = mapped_column(
        sa.String(5), sa.ForeignKey("department.code")
    )

    communities: Mapped[list["NoticeCommunity"]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="NoticeCommunity.community_id"
    )
    author = relationship("User")
    department = relationship(Department)
    images: Mapped[list["NoticeImage"]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="NoticeImage.id"
    )

    __table_args__ = (
        sa.CheckConstraint(_in("category", CATEGORIES), name="category"),
        sa.CheckConstraint(_in("priority", PRIORITIES), name="priority"),
        sa.CheckConstraint(_in("status", STATUSES), name="status"),
        sa.CheckConstraint("read_count between 0 and audience_count", name="read_count"),
        # Finds scheduled notices that are due and not yet delivered.
        sa.Index("ix_notice_due", "delivered_at", "status", "published_at"),
        # The reach of a window of notices, per ward, from the counters alone.
        sa.Index("ix_notice_reach", "delivered_at", "ward_code", "audience_count", "read_count"),
    )


class NoticeBroadcast(Base):
    """A notice sent to many wards at once (city-wide publishing): one notice per ward.

    Each ward's notice is an ordinary notice, published and delivered by the one publishing
    path; this row ties them together for the sender's reach (the sum of their counters)
    and for withdrawing them all.
    """

    __tablename__ = "notice_broadcast"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    author_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    department_code: Mapped[str | None] = mapped_column(
        sa.String(5), sa.ForeignKey("department.code"), index=True
    )
    ward_count: Mapped[int] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    author = relationship("User")
    department = relationship(Department)


class NoticeCommunity(Base):
    """A community a notice is addressed to (none means ward-wide)."""

    __tablename__ = "notice_community"

    notice_id: Mapped[int] = mapped_column(
        sa.ForeignKey("notice.id", ondelete="CASCADE"), primary_key=True
    )
    community_id: Mapped[int] = mapped_column(
        sa.ForeignKey("community.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class NoticeRecipient(Base):
    """One resident's inbox entry for a notice, written when the notice is delivered.

    The rows are the audience snapshot (stats) and the feed (keyset pages over the covering
    index below), so the feed never scans the notice table, however large it grows. The
    ordering columns are copied from the notice for that reason.
    """

    __tablename__ = "notice_recipient"

    notice_id: Mapped[int] = mapped_column(
        sa.ForeignKey("notice.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    pinned: Mapped[bool] = mapped_column(default=False)
    urgent: Mapped[bool] = mapped_column(default=False)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Set when the notice is withdrawn: the row stays for the statistics, out of the feed.
    hidden: Mapped[bool] = mapped_column(default=False)
    # False for the audience at publication; True for a later joiner's back-filled entry.
    late: Mapped[bool] = mapped_column(default=False)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (
        sa.Index(
            "ix_notice_recipient_feed",
            "user_id",
            "pinned",
            "urgent",
            "published_at",
            "notice_id",
            "hidden",
            "expires_at",
        ),
        sa.Index("ix_notice_recipient_unread", "user_id", "read_at", "hidden", "published_at"),
    )


class NoticeAudience(Base):
    """Which chosen community put a recipient in a notice's audience (for stats by community)."""

    __tablename__ = "notice_audience"

    notice_id: Mapped[int] = mapped_column(
        sa.ForeignKey("notice.id", ondelete="CASCADE"), primary_key=True
    )
    community_id: Mapped[int] = mapped_column(
        sa.ForeignKey("community.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )


class NoticeRead(Base):
    """A read receipt: one per notice and reader, kept when the reader's account is erased."""

    __tablename__ = "notice_read"

    notice_id: Mapped[int] = mapped_column(
        sa.ForeignKey("notice.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    read_at: Mapped[datetime] = mapped_column(UTCDateTime())


class NoticeImage(Base):
    """A picture attached to a notice, stored re-encoded (no metadata)."""

    __tablename__ = "notice_image"

    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(
        sa.ForeignKey("notice.id", ondelete="CASCADE"), index=True
    )
    mimetype: Mapped[str] = mapped_column(sa.String(20))
    width: Mapped[int] = mapped_column()
    height: Mapped[int] = mapped_column()
    size: Mapped[int] = mapped_column()
    sha256: Mapped[str] = mapped_column(sa.String(64))
    data: Mapped[bytes] = mapped_column(sa.LargeBinary, deferred=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (
        sa.CheckConstraint("mimetype in ('image/jpeg', 'image/png')", name="mimetype"),
    )
