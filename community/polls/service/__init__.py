"""The polls service, by concern: creation, lifecycle, reading, voters, ballots, results.

Views and other modules call `service.<function>`; each function lives in the file of its
concern, and this package re-exports the public ones.
"""

from app.idempotency.service import IdempotencyKey, Replay, key_for
from community.polls.models import MAX_QUESTIONS, TEXT_ANSWER_MAX
from community.polls.service.ballots import (
    NotWritten,
    canonical_answers,
    cast_ballot,
    definition,
    explain_refusal,
    level_suffices,
    new_receipt,
    receipt_body,
    receipt_hash,
)
from community.polls.service.creation import CONSULTATION_OPTIONS, create
from community.polls.service.lifecycle import (
    accepting_ballots,
    advance,
    close_now,
    due_poll_ids,
    open_now,
    status_at,
    status_is,
)
from community.polls.service.personal_data import export_data
from community.polls.service.queries import audit_log, get, list_visible, open_for
from community.polls.service.results import (
    canonical_export,
    csv_export,
    published_ballots,
    results_visible,
    tally,
)
from community.polls.service.voters import Standing, standing, standings, turnout

__all__ = [
    "CONSULTATION_OPTIONS",
    "MAX_QUESTIONS",
    "TEXT_ANSWER_MAX",
    "IdempotencyKey",
    "NotWritten",
    "Replay",
    "Standing",
    "accepting_ballots",
    "advance",
    "audit_log",
    "canonical_answers",
    "canonical_export",
    "cast_ballot",
    "close_now",
    "create",
    "csv_export",
    "definition",
    "due_poll_ids",
    "explain_refusal",
    "export_data",
    "get",
    "key_for",
    "level_suffices",
    "list_visible",
    "new_receipt",
    "open_for",
    "open_now",
    "published_ballots",
    "receipt_body",
    "receipt_hash",
    "results_visible",
    "standing",
    "standings",
    "status_at",
    "status_is",
    "tally",
    "turnout",
]
