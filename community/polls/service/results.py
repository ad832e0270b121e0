"""Results: who may see them when, the tally, its exports and the published ballot list."""

import json
from datetime import datetime

import sqlalchemy as sa

from app.database import utcnow
from app.extensions import db
from app.spreadsheet import csv_bytes
from community.polls.exceptions import PollStateConflict
from community.polls.models import Poll, PollBallot
from community.polls.service.lifecycle import status_at


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
        "status": status_at(poll, utcnow()),
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


CSV_HEADER = ("Mã câu hỏi", "Câu hỏi", "Mã phương án", "Phương án", "Số phiếu")


def csv_export(results: dict) -> bytes:
    """Return the option counts as a spreadsheet file, then turnout and eligible voters."""
    rows = [
        [question["id"], question["text"], option["id"], option["text"], option["count"]]
        for question in results["questions"]
        for option in question.get("options") or ()
    ]
    rows.append(["", "Số phiếu đã bỏ", "", "", results["turnout"]])
    rows.append(["", "Số cử tri đủ điều kiện", "", "", results["eligible"]])
    return csv_bytes(CSV_HEADER, rows)


def published_ballots(*, poll: Poll, limit: int, after: str | None, receipt_hash: str | None):
    """Return a page of the closed poll's ballots by receipt hash, sorted by that hash."""
    if poll.status != "closed":
        # Stored, not derived: the close (which waits for every ballot in flight and then
        # rewrites the rows) must have run before the list is final.
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
