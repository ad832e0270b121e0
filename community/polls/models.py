"""Polls, their questions and options, the eligibility snapshot, participation and ballots.

Secrecy by construction (see docs/decisions/0005-secret-ballots.md): `poll_voter` says who
took part, `poll_ballot` says what was chosen, and nothing joins them on a secret poll: no
foreign key, no shared id, no timestamp, random ballot ids, and on SQLite both tables are
WITHOUT ROWID so that no hidden rowid keeps the insertion order.
"""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.database import Base, TimestampMixin, UTCDateTime, utcnow
from app.departments.models import Department

KINDS = ("vote", "election", "consultation", "survey")
KIND_LABELS = {
    "vote": "Biểu quyết",
    "election": "Bầu cử",
    "consultation": "Xin ý kiến",
    "survey": "Khảo sát",
}
STATUS_LABELS = {
    "draft": "Bản nháp",
    "scheduled": "Sắp mở",
    "open": "Đang mở",
    "closed": "Đã đóng",
}
STATUSES = tuple(STATUS_LABELS)
VISIBILITY_LABELS = {
    "always": "Xem kết quả bất cứ lúc nào",
    "after_vote": "Xem kết quả sau khi bỏ phiếu",
    "after_close": "Xem kết quả khi đã đóng",
}
VISIBILITIES = tuple(VISIBILITY_LABELS)
QUESTION_TYPE_LABELS = {"choice": "Chọn phương án", "text": "Trả lời tự do"}
QUESTION_TYPES = tuple(QUESTION_TYPE_LABELS)
AUDIT_ACTIONS = ("created", "opened", "closed", "closed_early")
TEXT_ANSWER_MAX = 1000  # characters of a free answer or a comment, after folding spaces
MAX_QUESTIONS = 50


class Poll(TimestampMixin, Base):
    """A vote, election, consultation or survey of a community or of a ward's followers.

    `status` is the stored state; a scheduled poll whose `opens_at` has passed (or an open one
    past `closes_at`) reads as open (closed) at once and is moved on by the worker's
    `polls.advance-due` job (service.advance()).
    """

    __tablename__ = "poll"

    id: Mapped[int] = mapped_column(primary_key=True)
    ward_code: Mapped[str] = mapped_column(sa.String(5), sa.ForeignKey("ward.code"), index=True)
    community_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("community.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(sa.String(20))
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str | None] = mapped_column(sa.Text)
    secret: Mapped[bool] = mapped_column(default=False)
    results_visibility: Mapped[str] = mapped_column(sa.String(20), default="after_close")
    quorum_percent: Mapped[int] = mapped_column(sa.SmallInteger, default=0)
    one_per_household: Mapped[bool] = mapped_column(default=False)
    min_vneid_level: Mapped[int] = mapped_column(sa.SmallInteger, default=1)
    allow_change: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(sa.String(10), default="draft")
    opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Voters (or households) eligible when the poll opened: the base of turnout and quorum.
    eligible_count: Mapped[int | None] = mapped_column()
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    # The city-wide survey (or other poll) this ward's copy belongs to (one poll per ward).
    broadcast_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("poll_broadcast.id", ondelete="SET NULL"), index=True
    )

    questions: Mapped[list["PollQuestion"]] = relationship(
        back_populates="poll",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="PollQuestion.position",
    )

    __table_args__ = (
        sa.CheckConstraint("kind in ('vote', 'election', 'consultation', 'survey')", name="kind"),
        sa.CheckConstraint("status in ('draft', 'scheduled', 'open', 'closed')", name="status"),
        sa.CheckConstraint(
            "results_visibility in ('always', 'after_vote', 'after_close')",
            name="results_visibility",
        ),
        sa.CheckConstraint("quorum_percent between 0 and 100", name="quorum_percent"),
        sa.CheckConstraint("min_vneid_level in (1, 2)", name="min_vneid_level"),
        # A secret ballot can never be changed: changing needs the link secrecy forbids.
        sa.CheckConstraint("not (secret and allow_change)", name="secret_no_change"),
    )


class PollBroadcast(Base):
    """A poll sent to many wards at once (city-wide publishing): one poll per ward.

    Each ward's poll is an ordinary ward poll, created (and opened) by the one creation path,
    for that ward's followers; this row ties them together for the sender's reach: the sum of
    their eligibility snapshots and of their turnout.
    """

    __tablename__ = "poll_broadcast"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[str] = mapped_column(sa.String(20))
    author_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    department_code: Mapped[str | None] = mapped_column(
        sa.String(5), sa.ForeignKey("department.code"), index=True
    )
    ward_count: Mapped[int] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    author = relationship("User")
    department = relationship(Department)


class PollQuestion(Base):
    """A question of a poll: a choice among its options, or a short free text."""

    __tablename__ = "poll_question"

    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(sa.ForeignKey("poll.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(sa.SmallInteger)
    text: Mapped[str] = mapped_column(sa.String(500))
    type: Mapped[str] = mapped_column(sa.String(10), default="choice")
    min_choices: Mapped[int] = mapped_column(sa.SmallInteger, default=1)
    max_choices: Mapped[int] = mapped_column(sa.SmallInteger, default=1)
    # Consultations: a comment may come with the choice.
    allow_comment: Mapped[bool] = mapped_column(default=False)

    poll: Mapped[Poll] = relationship(back_populates="questions")
    options: Mapped[list["PollOption"]] = relationship(
        back_populates="question",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="PollOption.position",
    )

    __table_args__ = (
        sa.UniqueConstraint("poll_id", "position"),
        sa.CheckConstraint("type in ('choice', 'text')", name="type"),
        sa.CheckConstraint("min_choices >= 0 and max_choices >= min_choices", name="choices"),
    )


class PollOption(Base):
    """An option of a choice question (a candidate, in an election)."""

    __tablename__ = "poll_option"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        sa.ForeignKey("poll_question.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(sa.SmallInteger)
    text: Mapped[str] = mapped_column(sa.String(300))

    question: Mapped[PollQuestion] = relationship(back_populates="options")

    __table_args__ = (sa.UniqueConstraint("question_id", "position"),)


class PollEligible(Base):
    """The eligibility snapshot taken when the poll opened: one row per eligible person.

    `voter_key` is what one ballot is allowed per: "u:<user id>", or "h:<hash>" for a household
    when the poll counts one vote per household.
    """

    __tablename__ = "poll_eligible"

    poll_id: Mapped[int] = mapped_column(
        sa.ForeignKey("poll.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    voter_key: Mapped[str] = mapped_column(sa.String(64))


class PollVoter(Base):
    """Who took part: one row per voter (or household) and poll, enforced by the primary key.

    No timestamp and no reference to the ballot: on a secret poll this row must not say which
    ballot is theirs.
    """

    __tablename__ = "poll_voter"

    poll_id: Mapped[int] = mapped_column(
        sa.ForeignKey("poll.id", ondelete="CASCADE"), primary_key=True
    )
    voter_key: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL"), index=True
    )

    __table_args__ = ({"sqlite_with_rowid": False},)


class PollBallot(Base):
    """What was chosen: the answers of one ballot, found by the hash of its receipt.

    `id` is random (never sequential), there is no timestamp, and `voter_key` is set only on
    non-secret polls (where a voter may change their ballot; the last one counts).
    """

    __tablename__ = "poll_ballot"

    id: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    poll_id: Mapped[int] = mapped_column(sa.ForeignKey("poll.id", ondelete="CASCADE"), index=True)
    receipt_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    # Canonical JSON: [{"question": id, "options": [ids...]} | {"question": id, "text": "..."}].
    answers: Mapped[str] = mapped_column(sa.Text)
    voter_key: Mapped[str | None] = mapped_column(sa.String(64))

    __table_args__ = (
        sa.UniqueConstraint("poll_id", "voter_key"),
        {"sqlite_with_rowid": False},
    )


class PollAudit(Base):
    """What the poll's managers did to it: creation, opening, closing (early or on time)."""

    __tablename__ = "poll_audit"

    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(sa.ForeignKey("poll.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(sa.String(20))
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    detail: Mapped[str | None] = mapped_column(sa.String(500))

    __table_args__ = (
        sa.CheckConstraint(
            "action in ('created', 'opened', 'closed', 'closed_early')", name="action"
        ),
    )
