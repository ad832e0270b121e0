"""Casting a ballot: the one writer of `poll_voter` and `poll_ballot`.

A ballot is written by statements composed from the rules, each defined once:
- who is calling: `identity.service.caller_select` for the request's `Credential`;
- the poll takes ballots now: `lifecycle.accepting_ballots`, read under the poll row's
  `FOR KEY SHARE` lock, which a close's `FOR UPDATE` waits for (and makes later ballots wait);
- the caller is in the eligibility snapshot taken at opening (`poll_eligible`);
- their VNeID level suffices: `level_suffices`;
- a community poll's voter is still an active member: `groups.active_membership`;
- one ballot per voter or household: the primary key of `poll_voter` (ON CONFLICT);
- a retry with the same Idempotency-Key replays: the record's unique key
  (app/idempotency/service.py).

On PostgreSQL the whole ballot (Idempotency-Key record, voter row, ballot row) is one
statement of data-modifying CTEs in the request's transaction; on SQLite (no such CTEs) and
for polls that let a voter change their ballot, the same statements run one after the other.
When nothing is written, the transaction is rolled back and `explain_refusal` — the one place
that knows the answers — says which 4xx applies, in a fixed order.
"""

import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.cache import cached, named
from app.database import UTCDateTime, dialect_insert, utcnow
from app.extensions import db
from app.idempotency import service as idempotency
from app.idempotency.service import IdempotencyKey, Replay
from app.identity.models import User
from app.identity.service import Credential, caller_select
from community.common import valid_id
from community.groups.service import active_membership
from community.polls.exceptions import (
    AlreadyVoted,
    InvalidBallot,
    LevelRequired,
    NotEligible,
    PollNotOpen,
    PollStateConflict,
)
from community.polls.models import (
    TEXT_ANSWER_MAX,
    Poll,
    PollBallot,
    PollEligible,
    PollQuestion,
    PollVoter,
)
from community.polls.service.lifecycle import (
    accepting_ballots,
    advance,
    ballot_gate,
    status_at,
)
from community.polls.service.voters import standing

# --- what a ballot is checked against ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OptionDef:
    """An option as a ballot is checked against it."""

    id: int
    text: str


@dataclass(frozen=True, slots=True)
class QuestionDef:
    """A question as a ballot is checked against it."""

    id: int
    text: str
    type: str
    min_choices: int
    max_choices: int
    allow_comment: bool
    options: tuple[OptionDef, ...]


@dataclass(frozen=True, slots=True)
class PollDefinition:
    """What a poll is, as opposed to the state it is in: fixed when the poll is created."""

    id: int
    secret: bool
    allow_change: bool
    questions: tuple[QuestionDef, ...]


# Definitions never change once a poll exists (no endpoint edits a poll's questions or
# settings, and polls are never deleted; only their state and times move, and those are read
# in the statement itself): an entry, keyed by database and poll id, never goes stale.
_definitions = named("polls.definitions", size=1024)


def definition(poll_id: int) -> PollDefinition | None:
    """Return the poll's definition (questions, options, secrecy), or None if there is no poll."""
    key = (db.engine.url, poll_id)
    found = _definitions.get(key)
    if found is not None:
        return found
    if not valid_id(poll_id):
        return None
    poll = db.session.scalar(
        sa.select(Poll)
        .where(Poll.id == poll_id)
        .options(selectinload(Poll.questions).selectinload(PollQuestion.options))
    )
    if poll is None:
        return None
    found = PollDefinition(
        id=poll.id,
        secret=poll.secret,
        allow_change=poll.allow_change,
        questions=tuple(
            QuestionDef(
                id=q.id,
                text=q.text,
                type=q.type,
                min_choices=q.min_choices,
                max_choices=q.max_choices,
                allow_comment=q.allow_comment,
                options=tuple(OptionDef(o.id, o.text) for o in q.options),
            )
            for q in poll.questions
        ),
    )
    _definitions.put(key, found)
    return found


def level_suffices(level, required):
    """Tell whether a VNeID level meets a poll's requirement (values or SQL columns alike)."""
    return level >= required


def canonical_answers(poll: PollDefinition | Poll, answers: list[dict]) -> str:
    """Check a ballot's answers against the poll and return them as canonical JSON.

    Raises InvalidBallot (422) naming what is wrong: an unknown question, an option of another
    question, too many or too few choices, a text where a choice is expected or the reverse.
    """
    questions = {q.id: q for q in poll.questions}
    positions = {q.id: number for number, q in enumerate(poll.questions, start=1)}
    given: dict[int, dict] = {}
    for index, answer in enumerate(answers):
        question = questions.get(answer["question"])
        # For programs the answer's path; for people the question's number on the ballot.
        where = (f"answers.{index}", f"Câu hỏi {positions.get(answer['question'], index + 1)}")
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
            raise _bad(
                ("answers", f"Câu hỏi {positions[question.id]}"),
                f"Chưa trả lời câu hỏi: {question.text}",
            )
    ordered = [given[q.id] for q in poll.questions if q.id in given]
    return json.dumps(ordered, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def _bad(where: tuple[str, str], message: str) -> InvalidBallot:
    """Return the 422 about one answer: `where` is (its path, the question's label)."""
    field, label = where
    return InvalidBallot.on_field(field, label, message)


_RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # 32 symbols: 5 random bits each


def new_receipt() -> str:
    """Return a random receipt code, e.g. "7KQ2-M9XD-4TBW-PA3N-C8HV" (100 bits)."""
    bits = secrets.randbits(100)
    raw = "".join(_RECEIPT_ALPHABET[(bits >> (5 * i)) & 31] for i in range(20))
    return "-".join(raw[i : i + 4] for i in range(0, 20, 4))


def receipt_hash(receipt: str) -> str:
    """Return the SHA-256 (hex) of a receipt code as published with its ballot."""
    return hashlib.sha256(receipt.strip().upper().encode()).hexdigest()


def receipt_body(poll_id: int, receipt: str) -> dict:
    """Return the answer to an accepted ballot (also what a retry with its key replays)."""
    return {"receipt": receipt, "receipt_hash": receipt_hash(receipt), "poll_id": poll_id}


# --- the writer -----------------------------------------------------------------------------


@dataclass(frozen=True)
class NotWritten:
    """Nothing was written (and the transaction was rolled back); explain_refusal says why.

    `ballot_error` is set when the answers did not fit the poll: it is reported only if no
    earlier rule (not open, not eligible, level) applies.
    """

    ballot_error: InvalidBallot | None = None


def cast_ballot(
    *,
    poll_id: int,
    caller: Credential,
    answers: list[dict],
    key: IdempotencyKey | None = None,
    now: datetime | None = None,
) -> dict | NotWritten:
    """Record the caller's ballot; return the answer (receipt), or NotWritten.

    The caller is authenticated by the same statement that writes (`caller` says how). With
    allow_change, a voter's new ballot replaces their previous one.
    """
    now = now or utcnow()
    poll = definition(poll_id)
    if poll is None:
        return NotWritten()
    try:
        answers_json = canonical_answers(poll, answers)
    except InvalidBallot as error:
        return NotWritten(error)
    receipt = new_receipt()
    body = receipt_body(poll.id, receipt)
    params = {
        **caller.params,
        "poll_id": poll.id,
        "now": now,
        "ballot_id": secrets.token_hex(16),
        "receipt_hash": body["receipt_hash"],
        "answers": answers_json,
    }
    if key is not None:
        params.update(idempotency.record_params(key=key, status=201, body=body, now=now))
    connection = db.session.connection()
    shape = _Shape(
        connection.dialect.name, poll.secret, poll.allow_change, key is not None, caller.kind
    )
    if not _run(_statements(shape), connection, params):
        db.session.rollback()  # an Idempotency-Key record may have been written before the refusal
        return NotWritten()
    return body


class _Shape(NamedTuple):
    """What decides the statements of a ballot (everything else is a parameter)."""

    dialect: str
    secret: bool
    allow_change: bool
    with_key: bool
    credential: str


class _Statements(NamedTuple):
    """A ballot's statements: `fused` alone on PostgreSQL, else the others in order."""

    fused: sa.Insert | None
    record: sa.Insert | None
    voter: sa.Insert | None
    replace: sa.Delete | None
    ballot: sa.Insert | None


def _run(statements: _Statements, connection: sa.Connection, params: dict) -> bool:
    """Execute a ballot's statements with its parameters; tell whether it was written."""
    if statements.fused is not None:
        return connection.execute(statements.fused, params).first() is not None
    # The voter's row first: its statement takes the poll's gate, which must be the first
    # lock a ballot holds (the key record's foreign key would lock the poll row before it,
    # and a close waiting on the gate would then deadlock with this ballot).
    voter_key = connection.execute(statements.voter, params).scalar()
    if voter_key is None:
        return False
    record = statements.record
    if record is not None and connection.execute(record, params).first() is None:
        return False
    params = {**params, "voter_key": voter_key}
    if statements.replace is not None:
        connection.execute(statements.replace, params)
    connection.execute(statements.ballot, params)
    return True


@cached("polls.ballot_statements", size=64)
def _statements(shape: _Shape) -> _Statements:
    """Build a ballot's statements for one shape, once per process: requests only bind values.

    Built once, a statement keeps its SQLAlchemy cache key and its compiled form, which
    building it per request would recompute (about a millisecond for the fused statement).
    """
    caller = caller_select(shape.credential, User.id, User.vneid_level).cte("caller")
    user_id, level = caller.c
    poll_table, eligible, voter, ballot = (
        Poll.__table__,
        PollEligible.__table__,
        PollVoter.__table__,
        PollBallot.__table__,
    )
    record = idempotency.record_statement(user_id) if shape.with_key else None
    gate = ballot_gate(sa.bindparam("poll_id"))
    taking_ballots = (
        sa.select(poll_table.c.id, poll_table.c.min_vneid_level, poll_table.c.community_id)
        .where(poll_table.c.id == sa.bindparam("poll_id"), accepting_ballots(_NOW))
        # The gate is held until the transaction ends: a close waits for this ballot. The
        # row lock makes a ballot that waited for a close re-read the row, and see it closed.
        .where(*([gate] if gate is not None else []))
        .with_for_update(read=True, key_share=True)
        .cte("taking_ballots")
    )
    voter_rows = (
        sa.select(eligible.c.poll_id, eligible.c.voter_key, eligible.c.user_id)
        .join(taking_ballots, taking_ballots.c.id == eligible.c.poll_id)
        .join(caller, user_id == eligible.c.user_id)
        .where(
            eligible.c.poll_id == sa.bindparam("poll_id"),
            level_suffices(level, taking_ballots.c.min_vneid_level),
            sa.or_(
                taking_ballots.c.community_id.is_(None),
                active_membership(taking_ballots.c.community_id, user_id),
            ),
        )
    )
    ballot_values = [
        sa.bindparam(name, type_=ballot.c[column].type)
        for name, column in (
            ("ballot_id", "id"),
            ("poll_id", "poll_id"),
            ("receipt_hash", "receipt_hash"),
            ("answers", "answers"),
        )
    ]
    columns = ["id", "poll_id", "receipt_hash", "answers", "voter_key"]
    if shape.dialect == "postgresql" and not shape.allow_change:
        if record is not None:
            written_record = record.cte("idempotency")
            voter_rows = voter_rows.where(sa.exists(sa.select(written_record.c.id)))
        taken = _voter_insert(voter_rows, change=False).returning(voter.c.voter_key).cte("voter")
        fused = (
            sa.insert(ballot)
            .from_select(
                columns,
                sa.select(
                    *ballot_values, sa.null() if shape.secret else taken.c.voter_key
                ).select_from(taken),  # only the voter row just taken carries a ballot
            )
            .returning(sa.literal(1))
        )
        return _Statements(fused, None, None, None, None)
    voter_key = sa.bindparam("voter_key", type_=ballot.c.voter_key.type)
    replace = None
    if shape.allow_change:
        replace = sa.delete(ballot).where(
            ballot.c.poll_id == sa.bindparam("poll_id"), ballot.c.voter_key == voter_key
        )
    return _Statements(
        fused=None,
        record=record,
        voter=_voter_insert(voter_rows, change=shape.allow_change).returning(voter.c.voter_key),
        replace=replace,
        ballot=sa.insert(ballot).from_select(
            columns, sa.select(*ballot_values, sa.null() if shape.secret else voter_key)
        ),
    )


_NOW = sa.bindparam("now", type_=UTCDateTime())


def _voter_insert(rows: sa.Select, *, change: bool) -> sa.Insert:
    """Return the INSERT of the voter's row: once per voter, or touched again on a change."""
    table = PollVoter.__table__
    stmt = dialect_insert(table).from_select(["poll_id", "voter_key", "user_id"], rows)
    keys = ["poll_id", "voter_key"]
    if change:
        # The row lock this takes puts two changes of the same voter one after the other.
        return stmt.on_conflict_do_update(
            index_elements=keys, set_={"user_id": stmt.excluded.user_id}
        )
    return stmt.on_conflict_do_nothing(index_elements=keys)


# --- why nothing was written ------------------------------------------------------------------


def explain_refusal(
    *,
    poll: Poll,
    user: User,
    caller: Credential,
    answers: list[dict],
    key: IdempotencyKey | None,
    refusal: NotWritten,
    now: datetime | None = None,
) -> dict | Replay:
    """Say why a ballot was not written (raise its 4xx), replay a retry, or cast it after all.

    The order is the API's: a retry with its Idempotency-Key replays; a poll that is not open
    is 409; a caller outside the snapshot (or no longer a member of the poll's community) 403;
    too low a VNeID level 403; answers that do not fit 422; a second ballot 409. When every
    rule passes (a poll whose opening time had come was opened meanwhile, by the worker, by
    another voter or here), the ballot is cast once more.
    """
    now = now or utcnow()
    retried = False
    while True:
        if key is not None:
            replayed = idempotency.replay(user=user, key=key, now=now)
            if replayed is not None:
                return replayed
        if poll.status == "scheduled" and status_at(poll, now) == "open":
            advance(poll, now)
        status = status_at(poll, now)
        if status != "open":
            state = "chưa mở" if status in ("draft", "scheduled") else "đã kết thúc"
            raise PollNotOpen(f"Cuộc bỏ phiếu {state}.", details={"status": status})
        mine = standing(poll, user)
        if mine.key is None:
            raise NotEligible("Bạn không có quyền bỏ phiếu trong cuộc bỏ phiếu này.")
        if not level_suffices(user.vneid_level, poll.min_vneid_level):
            raise LevelRequired(
                "Cuộc bỏ phiếu này yêu cầu tài khoản định danh điện tử VNeID mức độ 2.",
                details={"required_level": poll.min_vneid_level},
            )
        if refusal.ballot_error is not None:
            raise refusal.ballot_error
        if mine.voted:
            raise AlreadyVoted(
                "Bạn (hoặc hộ của bạn) đã bỏ phiếu trong cuộc bỏ phiếu này."
                if poll.one_per_household
                else "Bạn đã bỏ phiếu trong cuộc bỏ phiếu này."
            )
        if retried:
            # Still refused with every rule passing: the state moves under us (a household
            # member voting at this very moment, a key's first request finishing).
            raise PollStateConflict("Phiếu chưa được ghi; vui lòng gửi lại.")
        # Every rule passes now: the state moved between the write and this read (the poll
        # was opened meanwhile, by us just above or by someone else). Cast once more.
        retried = True
        outcome = cast_ballot(poll_id=poll.id, caller=caller, answers=answers, key=key, now=now)
        if not isinstance(outcome, NotWritten):
            return outcome
        refusal = outcome
        db.session.refresh(poll)
