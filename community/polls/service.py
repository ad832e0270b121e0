"""Creating polls, their lifecycle, casting ballots, tallying and the published ballot list.

One ballot per voter (or household) is the primary key of `poll_voter`: the insert of that row
decides, in the same transaction as the ballot, and a second one finds the key taken
(ON CONFLICT DO NOTHING, then 409). Nothing here checks first and inserts later.
"""

import csv
import hashlib
import io
import json
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

import psycopg
import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import selectinload

from app.database import utcnow
from app.extensions import db
from app.identity.auth import BEARER_CALLER_SQL, Caller
from app.identity.models import User
from community.common import valid_id
from community.groups.models import Membership, WardFollow
from community.polls import eligibility
from community.polls.exceptions import (
    AlreadyVoted,
    InvalidBallot,
    LevelRequired,
    NotEligible,
    PollNotFound,
    PollNotOpen,
    PollStateConflict,
    field_error,
)
from community.polls.models import (
    KIND_LABELS,
    Poll,
    PollAudit,
    PollBallot,
    PollEligible,
    PollOption,
    PollQuestion,
    PollVoter,
)

CONSULTATION_OPTIONS = ("Đồng ý", "Không đồng ý", "Không ý kiến")
TEXT_ANSWER_MAX = 1000
MAX_QUESTIONS = 50


def insert_new(model, row: dict, keys: list[str]) -> bool:
    """Insert a row unless its unique key is taken; tell whether it was inserted.

    The database decides (INSERT … ON CONFLICT DO NOTHING RETURNING): of two requests at
    once, one inserts and the other waits for it, then finds the key taken. (RETURNING, not
    rowcount: psycopg reports -1 for these.)
    """
    from sqlalchemy.dialects import postgresql, sqlite

    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert(model).values(row).on_conflict_do_nothing(index_elements=keys)
    return db.session.execute(stmt.returning(sa.literal(1))).scalar() is not None


# --- creation -------------------------------------------------------------------------------


def _questions_for(kind: str, questions: list[dict]) -> list[dict]:
    """Check the questions against the kind and fill in the kind's defaults."""
    if not questions:
        raise field_error("questions", "Cần ít nhất một câu hỏi.")
    if kind in ("vote", "election") and len(questions) != 1:
        raise field_error("questions", "Biểu quyết và bầu cử có đúng một câu hỏi.")
    made = []
    for index, question in enumerate(questions):
        qtype = question.get("type") or "choice"
        options = [" ".join(o.split()) for o in question.get("options") or []]
        where = f"questions.{index}"
        if qtype == "text":
            if kind != "survey":
                raise field_error(where, "Chỉ khảo sát mới có câu hỏi trả lời tự do.")
            if options:
                raise field_error(where, "Câu hỏi trả lời tự do không có phương án.")
            low = question.get("min_choices")
            made.append(
                {
                    "text": question["text"],
                    "type": "text",
                    "min_choices": 1 if low is None else min(low, 1),
                    "max_choices": 1,
                    "allow_comment": False,
                    "options": [],
                }
            )
            continue
        allow_comment = bool(question.get("allow_comment"))
        if kind == "consultation":
            options = options or list(CONSULTATION_OPTIONS)
            allow_comment = question.get("allow_comment", True) is not False
        elif allow_comment:
            raise field_error(where, "Chỉ câu hỏi xin ý kiến mới kèm góp ý.")
        if len(options) < 2:
            raise field_error(where, "Câu hỏi lựa chọn cần ít nhất hai phương án.")
        if len({o.casefold() for o in options}) != len(options):
            raise field_error(where, "Các phương án của một câu hỏi phải khác nhau.")
        low = question.get("min_choices")
        high = question.get("max_choices")
        low = 1 if low is None else low
        high = max(low, 1) if high is None else high
        if not (0 <= low <= high <= len(options)) or high < 1:
            raise field_error(where, "Số lựa chọn tối thiểu, tối đa không hợp lệ với số phương án.")
        made.append(
            {
                "text": question["text"],
                "type": "choice",
                "min_choices": low,
                "max_choices": high,
                "allow_comment": allow_comment,
                "options": options,
            }
        )
    return made


def create(
    *,
    user: User,
    ward_code: str,
    community_id: int | None,
    title: str,
    kind: str,
    questions: list[dict],
    description: str | None = None,
    secret: bool | None = None,
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
    results_visibility: str = "after_close",
    quorum_percent: int = 0,
    one_per_household: bool = False,
    min_vneid_level: int = 1,
    allow_change: bool = False,
    now: datetime | None = None,
) -> Poll:
    """Create a poll: a draft without `opens_at`, otherwise scheduled to open then."""
    now = now or utcnow()
    if secret is None:
        secret = kind == "election"  # elections are secret unless said otherwise
    if secret and allow_change:
        raise field_error("allow_change", "Phiếu kín không thể sửa sau khi đã bỏ.")
    if one_per_household and community_id is None:
        raise field_error(
            "one_per_household", "Mỗi hộ một phiếu chỉ áp dụng cho cuộc bỏ phiếu của cộng đồng."
        )
    if closes_at is not None and closes_at <= now:
        raise field_error("closes_at", "Thời điểm kết thúc phải ở tương lai.")
    if opens_at is not None and closes_at is not None and closes_at <= opens_at:
        raise field_error("closes_at", "Thời điểm kết thúc phải sau thời điểm mở.")
    made = _questions_for(kind, questions)
    poll = Poll(
        ward_code=ward_code,
        community_id=community_id,
        kind=kind,
        title=" ".join(title.split()),
        description=description,
        secret=secret,
        results_visibility=results_visibility,
        quorum_percent=quorum_percent,
        one_per_household=one_per_household,
        min_vneid_level=min_vneid_level,
        allow_change=allow_change,
        status="draft" if opens_at is None else "scheduled",
        opens_at=opens_at,
        closes_at=closes_at,
        created_by_id=user.id,
    )
    for position, question in enumerate(made):
        poll.questions.append(
            PollQuestion(
                position=position,
                text=question["text"],
                type=question["type"],
                min_choices=question["min_choices"],
                max_choices=question["max_choices"],
                allow_comment=question["allow_comment"],
                options=[PollOption(position=i, text=t) for i, t in enumerate(question["options"])],
            )
        )
    db.session.add(poll)
    db.session.flush()
    _audit(poll, "created", user)
    advance(poll, now)
    return poll


def _audit(poll: Poll, action: str, actor: User | None, detail: str | None = None) -> None:
    db.session.add(
        PollAudit(
            poll_id=poll.id, action=action, actor_id=actor.id if actor else None, detail=detail
        )
    )


# --- reading --------------------------------------------------------------------------------


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


def status_at(poll: Poll, now: datetime) -> str:
    """Return the poll's state at `now`, counting the transitions its times make due."""
    status = poll.status
    if status == "scheduled" and poll.opens_at is not None and poll.opens_at <= now:
        status = "open"
    if status == "open" and poll.closes_at is not None and poll.closes_at <= now:
        status = "closed"
    return status


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
    member_of = (
        sa.select(Membership.community_id).where(
            Membership.user_id == user.id, Membership.status == "active"
        )
        if user is not None
        else None
    )
    visible = [sa.and_(Poll.community_id.is_(None), Poll.status != "draft")]
    if member_of is not None:
        visible.append(sa.and_(Poll.community_id.in_(member_of), Poll.status != "draft"))
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
        stmt = stmt.where(Poll.status == status)
    if before_id:
        stmt = stmt.where(Poll.id < before_id)
    return list(db.session.scalars(stmt.limit(limit + 1)))


def open_for(user: User, now: datetime | None = None) -> list[Poll]:
    """Return the polls open now that reach the user (their wards' and communities')."""
    now = now or utcnow()
    communities = sa.select(Membership.community_id).where(
        Membership.user_id == user.id, Membership.status == "active"
    )
    wards = sa.select(WardFollow.ward_code).where(WardFollow.user_id == user.id)
    stmt = (
        sa.select(Poll)
        .where(
            Poll.status.in_(("scheduled", "open")),
            sa.or_(
                Poll.community_id.in_(communities),
                sa.and_(Poll.community_id.is_(None), Poll.ward_code.in_(wards)),
            ),
        )
        .order_by(Poll.closes_at.is_(None), Poll.closes_at, Poll.id)
    )
    return [p for p in db.session.scalars(stmt) if status_at(p, now) == "open"]


# --- lifecycle ------------------------------------------------------------------------------


def advance(poll: Poll, now: datetime | None = None) -> Poll:
    """Carry out the transitions the poll's times have made due (open, then close)."""
    now = now or utcnow()
    if poll.status == "scheduled" and poll.opens_at is not None and poll.opens_at <= now:
        _open(poll, at=poll.opens_at, actor=None)
    if poll.status == "open" and poll.closes_at is not None and poll.closes_at <= now:
        _close(poll, at=poll.closes_at, actor=None, early=False)
    return poll


def _transition(poll: Poll, *, from_states: tuple[str, ...], values: dict) -> bool:
    """Move the poll on in the database only if it is still in `from_states`.

    Two requests doing the same transition at once: the row lock makes one wait, and the
    WHERE clause makes it do nothing.
    """
    done = db.session.execute(
        sa.update(Poll)
        .where(Poll.id == poll.id, Poll.status.in_(from_states))
        .values(**values, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.refresh(poll)
    return bool(done)


def _open(poll: Poll, *, at: datetime, actor: User | None) -> None:
    """Open the poll and take the eligibility snapshot (once)."""
    values = {"status": "open", "opened_at": at}
    if poll.status == "draft" or (poll.opens_at and poll.opens_at > at):
        values["opens_at"] = at
    if not _transition(poll, from_states=("draft", "scheduled"), values=values):
        return
    keys = eligibility.voter_keys(
        community_id=poll.community_id,
        ward_code=poll.ward_code,
        one_per_household=poll.one_per_household,
    )
    if keys:
        db.session.execute(
            sa.insert(PollEligible),
            [{"poll_id": poll.id, "user_id": uid, "voter_key": key} for uid, key in keys.items()],
        )
    poll.eligible_count = len(set(keys.values()))
    _audit(poll, "opened", actor, f"eligible={poll.eligible_count}")
    db.session.flush()


def _close(poll: Poll, *, at: datetime, actor: User | None, early: bool, reason: str = "") -> None:
    """Close the poll, then rewrite its ballots and voters in key order (see below)."""
    if not _transition(poll, from_states=("open",), values={"status": "closed", "closed_at": at}):
        return
    detail = reason[:500] or None
    _audit(poll, "closed_early" if early else "closed", actor, detail)
    _forget_insertion_order(poll)
    db.session.flush()


def _forget_insertion_order(poll: Poll) -> None:
    """Rewrite the poll's ballots and voters sorted by their keys.

    PostgreSQL keeps rows in the order they were written; rewritten in key order, the live
    rows no longer line up a voter's row with their ballot (the old versions go at VACUUM).
    On SQLite both tables are WITHOUT ROWID already, stored in key order.
    """
    ballots = (
        db.session.execute(
            sa.select(PollBallot.__table__)
            .where(PollBallot.poll_id == poll.id)
            .order_by(PollBallot.id)
        )
        .mappings()
        .all()
    )
    voters = (
        db.session.execute(
            sa.select(PollVoter.__table__)
            .where(PollVoter.poll_id == poll.id)
            .order_by(PollVoter.voter_key)
        )
        .mappings()
        .all()
    )
    db.session.execute(sa.delete(PollBallot.__table__).where(PollBallot.poll_id == poll.id))
    db.session.execute(sa.delete(PollVoter.__table__).where(PollVoter.poll_id == poll.id))
    if ballots:
        db.session.execute(sa.insert(PollBallot.__table__), [dict(b) for b in ballots])
    if voters:
        db.session.execute(sa.insert(PollVoter.__table__), [dict(v) for v in voters])


def open_now(poll: Poll, *, actor: User, now: datetime | None = None) -> Poll:
    """Open a draft or scheduled poll now (its manager)."""
    now = now or utcnow()
    advance(poll, now)
    if poll.status not in ("draft", "scheduled"):
        raise PollStateConflict("Cuộc bỏ phiếu đã mở hoặc đã kết thúc.")
    if poll.closes_at is not None and poll.closes_at <= now:
        raise PollStateConflict("Thời điểm kết thúc đã qua; không thể mở.")
    _open(poll, at=now, actor=actor)
    return poll


def close_now(poll: Poll, *, actor: User, reason: str = "", now: datetime | None = None) -> Poll:
    """Close an open poll now (its manager); before its closing time this is audited as early."""
    now = now or utcnow()
    advance(poll, now)
    if poll.status != "open":
        raise PollStateConflict("Chỉ đóng được cuộc bỏ phiếu đang mở.")
    early = poll.closes_at is None or now < poll.closes_at
    _close(poll, at=now, actor=actor, early=early, reason=reason)
    return poll


def audit_log(poll: Poll) -> list[PollAudit]:
    """Return what was done to the poll, oldest first."""
    return list(
        db.session.scalars(
            sa.select(PollAudit).where(PollAudit.poll_id == poll.id).order_by(PollAudit.id)
        )
    )


# --- voters ---------------------------------------------------------------------------------


def voter_key(poll: Poll, user: User | None) -> str | None:
    """Return the user's voter key in this poll: from the snapshot once open, else live."""
    if user is None:
        return None
    if poll.opened_at is not None:
        return db.session.scalar(
            sa.select(PollEligible.voter_key).where(
                PollEligible.poll_id == poll.id, PollEligible.user_id == user.id
            )
        )
    return eligibility.voter_key_now(
        user_id=user.id,
        community_id=poll.community_id,
        ward_code=poll.ward_code,
        one_per_household=poll.one_per_household,
    )


def has_voted(poll: Poll, key: str | None) -> bool:
    """Tell whether the voter key has cast a ballot in the poll."""
    if key is None:
        return False
    return (
        db.session.scalar(
            sa.select(sa.literal(1)).where(PollVoter.poll_id == poll.id, PollVoter.voter_key == key)
        )
        is not None
    )


def turnout(poll: Poll) -> int:
    """Count the ballots cast (one per voter or household)."""
    return (
        db.session.scalar(
            sa.select(sa.func.count()).select_from(PollVoter).where(PollVoter.poll_id == poll.id)
        )
        or 0
    )


# --- ballots --------------------------------------------------------------------------------


def canonical_answers(poll: Poll, answers: list[dict]) -> str:
    """Check a ballot's answers against the poll and return them as canonical JSON.

    Raises InvalidBallot (422) naming what is wrong: an unknown question, an option of another
    question, too many or too few choices, a text where a choice is expected or the reverse.
    """
    questions = {q.id: q for q in poll.questions}
    given: dict[int, dict] = {}
    for index, answer in enumerate(answers):
        where = f"answers.{index}"
        question = questions.get(answer["question"])
        if question is None:
            raise _bad(where, "Câu hỏi không thuộc cuộc bỏ phiếu này.")
        if question.id in given:
            raise _bad(where, "Mỗi câu hỏi chỉ trả lời một lần.")
        options = answer.get("options")
        text = answer.get("text")
        if question.type == "text":
            if options is not None:
                raise _bad(where, "Câu hỏi này cần câu trả lời bằng chữ, không phải lựa chọn.")
            text = " ".join((text or "").split())
            if len(text) > TEXT_ANSWER_MAX:
                raise _bad(where, f"Câu trả lời dài quá {TEXT_ANSWER_MAX} ký tự.")
            if text:
                given[question.id] = {"question": question.id, "text": text}
            elif question.min_choices:
                raise _bad(where, "Câu hỏi này cần câu trả lời.")
            continue
        if options is None:
            raise _bad(where, "Câu hỏi này cần chọn phương án.")
        if text is not None and not question.allow_comment:
            raise _bad(where, "Câu hỏi này không nhận câu trả lời bằng chữ.")
        valid = {o.id for o in question.options}
        if len(set(options)) != len(options):
            raise _bad(where, "Một phương án được chọn hai lần.")
        if any(option not in valid for option in options):
            raise _bad(where, "Phương án không thuộc câu hỏi này.")
        if not question.min_choices <= len(options) <= question.max_choices:
            raise _bad(
                where,
                f"Cần chọn từ {question.min_choices} đến {question.max_choices} phương án.",
            )
        item: dict = {"question": question.id, "options": sorted(options)}
        comment = " ".join((text or "").split())
        if len(comment) > TEXT_ANSWER_MAX:
            raise _bad(where, f"Góp ý dài quá {TEXT_ANSWER_MAX} ký tự.")
        if comment:
            item["text"] = comment
        given[question.id] = item
    for question in poll.questions:
        if question.id not in given and question.min_choices > 0:
            raise _bad("answers", f"Chưa trả lời câu hỏi: {question.text}")
    ordered = [given[q.id] for q in poll.questions if q.id in given]
    return json.dumps(ordered, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def _bad(where: str, message: str) -> InvalidBallot:
    return InvalidBallot(message, details={"fields": {where: [message]}})


_RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # 32 symbols: 5 random bits each


def new_receipt() -> str:
    """Return a random receipt code, e.g. "7KQ2-M9XD-4TBW-PA3N-C8HV" (100 bits)."""
    bits = secrets.randbits(100)
    raw = "".join(_RECEIPT_ALPHABET[(bits >> (5 * i)) & 31] for i in range(20))
    return "-".join(raw[i : i + 4] for i in range(0, 20, 4))


def receipt_hash(receipt: str) -> str:
    """Return the SHA-256 (hex) of a receipt code as published with its ballot."""
    return hashlib.sha256(receipt.strip().upper().encode()).hexdigest()


def cast_ballot(*, poll: Poll, user: User, answers: list[dict], now: datetime | None = None) -> str:
    """Record the user's ballot and return its receipt code.

    The voter row's primary key (poll, voter key) admits one ballot per voter or household; a
    second one is 409, or, where the poll allows changing one's ballot, replaces the first.
    """
    now = now or utcnow()
    advance(poll, now)
    if poll.status != "open":
        state = "chưa mở" if poll.status in ("draft", "scheduled") else "đã kết thúc"
        raise PollNotOpen(f"Cuộc bỏ phiếu {state}.", details={"status": poll.status})
    remember_open(poll)
    key = voter_key(poll, user)
    if key is None:
        raise NotEligible("Bạn không có quyền bỏ phiếu trong cuộc bỏ phiếu này.")
    if user.vneid_level < poll.min_vneid_level:
        raise LevelRequired(
            "Cuộc bỏ phiếu này yêu cầu tài khoản định danh điện tử VNeID mức độ 2.",
            details={"required_level": poll.min_vneid_level},
        )
    body = canonical_answers(poll, answers)
    inserted = insert_new(
        PollVoter,
        {"poll_id": poll.id, "voter_key": key, "user_id": user.id},
        ["poll_id", "voter_key"],
    )
    if not inserted:
        if not poll.allow_change:
            raise AlreadyVoted(
                "Bạn (hoặc hộ của bạn) đã bỏ phiếu trong cuộc bỏ phiếu này."
                if poll.one_per_household
                else "Bạn đã bỏ phiếu trong cuộc bỏ phiếu này."
            )
        # The same voter changing twice at once: the row lock puts one after the other.
        db.session.execute(
            sa.select(PollVoter.voter_key)
            .where(PollVoter.poll_id == poll.id, PollVoter.voter_key == key)
            .with_for_update()
        )
        db.session.execute(
            sa.delete(PollBallot).where(PollBallot.poll_id == poll.id, PollBallot.voter_key == key)
        )
    receipt = new_receipt()
    db.session.execute(
        sa.insert(PollBallot).values(
            id=secrets.token_hex(16),
            poll_id=poll.id,
            receipt_hash=receipt_hash(receipt),
            answers=body,
            voter_key=None if poll.secret else key,
        )
    )
    return receipt


# --- the ballot's fast path -------------------------------------------------------------------
#
# Casting a ballot is the one write every voter makes at once when a poll opens, so its common
# case (an open poll, an eligible voter, a first and well-formed ballot) is written by one
# statement on PostgreSQL (two on SQLite) with the driver's cursor on the session's own
# connection: no ORM objects, no read of the poll. What a ballot is checked against (questions,
# options, settings) is remembered in-process from the last full load of the open poll, with the
# poll row's version (created_at, updated_at): the insert itself requires the poll to be open,
# not past its closing time and still at that version, so a stale memory writes nothing. Whatever
# the fast path does not write goes through cast_ballot() above, which owns every rule and answer.


@dataclass(frozen=True, slots=True)
class CachedOption:
    """An option as a ballot is checked against it."""

    id: int
    text: str


@dataclass(frozen=True, slots=True)
class CachedQuestion:
    """A question of an open poll, as a ballot is checked against it."""

    id: int
    text: str
    type: str
    min_choices: int
    max_choices: int
    allow_comment: bool
    options: tuple[CachedOption, ...]


@dataclass(frozen=True, slots=True)
class OpenPoll:
    """An open poll as remembered for ballots (the attributes read from Poll on that path)."""

    id: int
    ward_code: str
    community_id: int | None
    secret: bool
    one_per_household: bool
    min_vneid_level: int
    allow_change: bool
    status: str
    questions: tuple[CachedQuestion, ...]
    created_at: datetime  # naive UTC, as stored: the row's version
    updated_at: datetime


_OPEN_POLLS = "polls.open"
_OPEN_POLLS_MAX = 1024

# The voter's row, taken only if the snapshot has them and the poll is open at the remembered
# version: eligibility, the poll's state and one ballot per voter (the primary key) in one
# statement that writes nothing when any of them says no.
_TAKE_PART = (
    "INSERT INTO poll_voter (poll_id, voter_key, user_id) "
    "SELECT e.poll_id, e.voter_key, e.user_id FROM poll_eligible e JOIN poll p ON p.id = e.poll_id "
    "WHERE e.poll_id = {p} AND e.user_id = {p} AND p.status = 'open' "
    "AND (p.closes_at IS NULL OR p.closes_at > {p}) AND p.created_at = {p} AND p.updated_at = {p} "
    "ON CONFLICT (poll_id, voter_key) DO NOTHING RETURNING voter_key"
)
_INSERT_BALLOT = (
    "INSERT INTO poll_ballot (id, poll_id, receipt_hash, answers, voter_key) "
    "VALUES ({p}, {p}, {p}, {p}, {p})"
)
# PostgreSQL: both rows in one statement (the ballot is inserted only if the voter row was).
# Built from the constants above only; every value is a bound parameter.
_CAST_PG = (
    "WITH voter AS (" + _TAKE_PART.format(p="%s") + ") "  # noqa: S608
    "INSERT INTO poll_ballot (id, poll_id, receipt_hash, answers, voter_key) "
    "SELECT %s, %s, %s, %s, {key} FROM voter RETURNING 1"
)
_CAST_PG_SECRET = _CAST_PG.format(key="NULL")
_CAST_PG_OPEN = _CAST_PG.format(key="voter.voter_key")
# PostgreSQL, a bearer caller: who is calling, may they vote, and both rows, in one statement
# run on its own (autocommit): one round trip, as for a bare INSERT. The conditions are those
# of cast_ballot_open plus the caller's (a valid token, the poll's VNeID level) and, for a
# community poll, an active membership (the part of can_see a voter can pass).
_CAST_PG_BEARER = (
    "WITH caller AS (" + BEARER_CALLER_SQL.format(p="%s") + "), "  # noqa: S608
    "voter AS (INSERT INTO poll_voter (poll_id, voter_key, user_id) "
    "SELECT e.poll_id, e.voter_key, e.user_id FROM poll_eligible e "
    "JOIN caller c ON c.user_id = e.user_id JOIN poll p ON p.id = e.poll_id "
    "WHERE e.poll_id = %s AND c.vneid_level >= p.min_vneid_level AND p.status = 'open' "
    "AND (p.closes_at IS NULL OR p.closes_at > %s) AND p.created_at = %s AND p.updated_at = %s "
    "AND (p.community_id IS NULL OR EXISTS (SELECT 1 FROM community_membership m "
    "WHERE m.community_id = p.community_id AND m.user_id = e.user_id AND m.status = 'active')) "
    "ON CONFLICT (poll_id, voter_key) DO NOTHING RETURNING voter_key) "
    "INSERT INTO poll_ballot (id, poll_id, receipt_hash, answers, voter_key) "
    "SELECT %s, %s, %s, %s, {key} FROM voter RETURNING 1"
)
_CAST_PG_BEARER_SECRET = _CAST_PG_BEARER.format(key="NULL")
_CAST_PG_BEARER_OPEN = _CAST_PG_BEARER.format(key="voter.voter_key")
_TAKE_PART_QMARK = _TAKE_PART.format(p="?")
_INSERT_BALLOT_QMARK = _INSERT_BALLOT.format(p="?")
_SQLITE_DATETIME = "%Y-%m-%d %H:%M:%S.%f"  # how SQLAlchemy stores DateTime on SQLite


def remember_open(poll: Poll) -> None:
    """Remember an open poll's questions and settings for the next ballots (this process)."""
    if poll.status != "open" or poll.created_at is None or poll.updated_at is None:
        return
    cache = current_app.extensions.setdefault(_OPEN_POLLS, {})
    if len(cache) >= _OPEN_POLLS_MAX:
        cache.clear()
    cache[poll.id] = OpenPoll(
        id=poll.id,
        ward_code=poll.ward_code,
        community_id=poll.community_id,
        secret=poll.secret,
        one_per_household=poll.one_per_household,
        min_vneid_level=poll.min_vneid_level,
        allow_change=poll.allow_change,
        status="open",
        questions=tuple(
            CachedQuestion(
                id=q.id,
                text=q.text,
                type=q.type,
                min_choices=q.min_choices,
                max_choices=q.max_choices,
                allow_comment=q.allow_comment,
                options=tuple(CachedOption(o.id, o.text) for o in q.options),
            )
            for q in poll.questions
        ),
        created_at=poll.created_at.astimezone(UTC).replace(tzinfo=None),
        updated_at=poll.updated_at.astimezone(UTC).replace(tzinfo=None),
    )


def remembered_open(poll_id: int) -> OpenPoll | None:
    """Return the poll as remembered open by this process, if it is (it may have closed since)."""
    return current_app.extensions.get(_OPEN_POLLS, {}).get(poll_id)


def cast_ballot_open(
    *, poll: OpenPoll, user: "User | Caller", answers: list[dict], now: datetime | None = None
) -> str | None:
    """Record a first, well-formed ballot of an eligible voter in an open poll; return its receipt.

    Returns None, having written nothing, in every other case (not eligible, voted already, a
    level or a ballot that does not fit, the poll closed or changed since remembered):
    cast_ballot() then gives the answer, checking in the order it always has.
    """
    if user.vneid_level < poll.min_vneid_level:
        return None
    try:
        body = canonical_answers(poll, answers)
    except InvalidBallot:
        return None
    now = (now or utcnow()).astimezone(UTC).replace(tzinfo=None)
    receipt = new_receipt()
    ballot = (secrets.token_hex(16), poll.id, receipt_hash(receipt), body)
    connection = db.session.connection()
    cursor = connection.connection.cursor()
    try:
        if connection.dialect.name == "postgresql":
            cursor.execute(
                _CAST_PG_SECRET if poll.secret else _CAST_PG_OPEN,
                (poll.id, user.id, now, poll.created_at, poll.updated_at, *ballot),
            )
            return receipt if cursor.fetchall() else None
        version = (
            poll.created_at.strftime(_SQLITE_DATETIME),
            poll.updated_at.strftime(_SQLITE_DATETIME),
        )
        cursor.execute(
            _TAKE_PART_QMARK, (poll.id, user.id, now.strftime(_SQLITE_DATETIME), *version)
        )
        taken = cursor.fetchall()
        if not taken:
            return None
        cursor.execute(_INSERT_BALLOT_QMARK, (*ballot, None if poll.secret else taken[0][0]))
    finally:
        cursor.close()
    return receipt


def cast_ballot_bearer(
    *, poll: OpenPoll, token_digest: str, answers: list[dict], now: datetime | None = None
) -> str | None:
    """Authenticate a bearer caller and record their ballot in one statement; return the receipt.

    PostgreSQL only, for a poll this process remembers open: the token lookup, every check of
    cast_ballot_open, the voter row and the ballot row are one statement on a pooled connection
    in autocommit, so the ballot costs one round trip and no ORM. Returns None, having written
    nothing (the statement is atomic), in every other case, and the caller then takes the
    full path, which answers as it always has (401, 403, 409, 422 …).
    """
    engine = db.engine
    if engine.dialect.name != "postgresql":
        return None
    try:
        body = canonical_answers(poll, answers)
    except InvalidBallot:
        return None
    now = (now or utcnow()).astimezone(UTC).replace(tzinfo=None)
    receipt = new_receipt()
    raw = engine.raw_connection()
    written: list = []
    try:
        connection = raw.dbapi_connection
        connection.autocommit = True  # the pool hands out idle connections: no transaction
        try:
            cursor = connection.execute(
                _CAST_PG_BEARER_SECRET if poll.secret else _CAST_PG_BEARER_OPEN,
                (
                    token_digest,
                    now,
                    poll.id,
                    now,
                    poll.created_at,
                    poll.updated_at,
                    secrets.token_hex(16),
                    poll.id,
                    receipt_hash(receipt),
                    body,
                ),
            )
            written = cursor.fetchall()
        except psycopg.Error:
            # One statement in autocommit: all or nothing. A broken connection leaves the pool;
            # either way the full path (with SQLAlchemy's own error handling) answers.
            if connection.closed or connection.broken:
                raw.invalidate()
            return None
        finally:
            if not connection.closed:
                connection.autocommit = False
    finally:
        raw.close()
    return receipt if written else None


# --- results --------------------------------------------------------------------------------


def results_visible(poll: Poll, *, voted: bool, now: datetime | None = None) -> bool:
    """Tell whether the poll's rule lets the caller see results now."""
    status = status_at(poll, now or utcnow())
    if status == "closed":
        return True
    if status != "open":
        return False
    if poll.results_visibility == "always":
        return True
    return poll.results_visibility == "after_vote" and voted


def tally(poll: Poll) -> dict:
    """Count the ballots: per option, free-text answers, turnout, eligible, quorum."""
    counts: dict[int, int] = {o.id: 0 for q in poll.questions for o in q.options}
    texts: dict[int, list[str]] = {q.id: [] for q in poll.questions}
    ballots = 0
    for raw in db.session.scalars(
        sa.select(PollBallot.answers).where(PollBallot.poll_id == poll.id)
    ):
        ballots += 1
        for answer in json.loads(raw):
            for option in answer.get("options", ()):
                counts[option] += 1
            if answer.get("text"):
                texts[answer["question"]].append(answer["text"])
    eligible = poll.eligible_count
    quorum = (
        eligible is not None and ballots > 0 and ballots * 100 >= poll.quorum_percent * eligible
    )
    questions = []
    for q in poll.questions:
        item = {
            "id": q.id,
            "text": q.text,
            "type": q.type,
            "options": [{"id": o.id, "text": o.text, "count": counts[o.id]} for o in q.options],
        }
        if q.type == "text" or q.allow_comment:
            item["answers"] = sorted(texts[q.id])
        questions.append(item)
    return {
        "poll_id": poll.id,
        "title": poll.title,
        "kind": poll.kind,
        "status": poll.status,
        "final": poll.status == "closed",
        "questions": questions,
        "turnout": ballots,
        "eligible": eligible,
        "turnout_share": round(ballots / eligible, 4) if eligible else None,
        "quorum_percent": poll.quorum_percent,
        "quorum_reached": quorum,
    }


def canonical_export(results: dict) -> bytes:
    """Return the canonical JSON bytes of a results document (sorted keys, no spaces, UTF-8)."""
    return json.dumps(results, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def csv_export(results: dict) -> bytes:
    """Return the option counts as CSV (UTF-8 with BOM, for spreadsheet programs)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["question_id", "question", "option_id", "option", "count"])
    for question in results["questions"]:
        for option in question["options"]:
            writer.writerow(
                [question["id"], question["text"], option["id"], option["text"], option["count"]]
            )
    writer.writerow(["", "turnout", "", "", results["turnout"]])
    writer.writerow(
        ["", "eligible", "", "", "" if results["eligible"] is None else results["eligible"]]
    )
    return ("\ufeff" + out.getvalue()).encode()


def published_ballots(*, poll: Poll, limit: int, after: str | None, receipt_hash: str | None):
    """Return a page of the closed poll's ballots by receipt hash, sorted by that hash."""
    if poll.status != "closed":
        raise PollStateConflict("Danh sách phiếu chỉ công bố sau khi kết thúc.")
    stmt = (
        sa.select(PollBallot.receipt_hash, PollBallot.answers)
        .where(PollBallot.poll_id == poll.id)
        .order_by(PollBallot.receipt_hash)
    )
    if receipt_hash:
        stmt = stmt.where(PollBallot.receipt_hash == receipt_hash.lower())
    if after:
        stmt = stmt.where(PollBallot.receipt_hash > after)
    return [
        {"receipt_hash": h, "answers": json.loads(a)}
        for h, a in db.session.execute(stmt.limit(limit + 1))
    ]


# --- personal data --------------------------------------------------------------------------


def export_data(user: User) -> dict:
    """Return the polls the person created and took part in (never what a secret ballot said)."""
    voted = db.session.execute(
        sa.select(Poll.id, Poll.title, Poll.kind, Poll.secret)
        .join(PollVoter, PollVoter.poll_id == Poll.id)
        .where(PollVoter.user_id == user.id)
        .order_by(Poll.id)
    ).all()
    created = db.session.execute(
        sa.select(Poll.id, Poll.title).where(Poll.created_by_id == user.id).order_by(Poll.id)
    ).all()
    return {
        "polls": {
            "voted_in": [
                {"poll_id": pid, "title": title, "kind": KIND_LABELS[kind], "secret": secret}
                for pid, title, kind, secret in voted
            ],
            "created": [{"poll_id": pid, "title": title} for pid, title in created],
        }
    }


def erase(user: User) -> None:
    """Forget the person's pending replays; their ballots and participation keep counting."""
    from community.polls.models import IdempotencyRecord

    db.session.execute(sa.delete(IdempotencyRecord).where(IdempotencyRecord.user_id == user.id))
