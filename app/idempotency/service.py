"""`Idempotency-Key` on every create: a retry with the same key and body replays the answer.

The record is written in the request's one transaction, before the create (`claim`, by the
`idempotent_create` view decorator) or by the create's own statement (the ballot, see
community/polls/service/ballots.py): the unique key (user, key hash) makes a concurrent retry
wait for the first request and then replay what it answered; a refused request rolls its record
back with everything else, so only successes are replayed. Nothing stored here links a voter to
a ballot for someone who lacks the client's key: the key is kept as an HMAC, the request
fingerprint is keyed with the raw key, and the answer (which holds the receipt) is encrypted
with a key derived from it.
"""

import base64
import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from flask import current_app

from app.database import dialect_insert, utcnow
from app.errors import ValidationFailed
from app.extensions import db
from app.idempotency.models import IdempotencyRecord

HEADER = "Idempotency-Key"
RETENTION = timedelta(hours=48)  # the contract asks for at least 24 hours
KEY_MIN, KEY_MAX = 8, 255


class IdempotencyKeyReused(ValidationFailed):
    """The Idempotency-Key was used before with a different request."""

    code = "idempotency_key_reused"


def _key_error(message: str, *, code: str, kind: type = ValidationFailed) -> ValidationFailed:
    error = {"field": HEADER, "label": "Mã chống gửi trùng (Idempotency-Key)", "message": message}
    return kind(message, details={"errors": [error]}, code=code)


@dataclass(frozen=True)
class Replay:
    """A stored answer to send again."""

    status: int
    body: dict


def _secret(raw_key: str, purpose: str) -> bytes:
    server = current_app.config["SECRET_KEY"].encode()
    return hmac.new(server, f"idempotency:{purpose}:{raw_key}".encode(), hashlib.sha256).digest()


def check_key(raw_key: str) -> None:
    """Refuse keys that are too short, too long or not printable ASCII (422)."""
    if not (KEY_MIN <= len(raw_key) <= KEY_MAX) or not all(32 <= ord(c) <= 126 for c in raw_key):
        raise _key_error(
            f"Idempotency-Key phải dài {KEY_MIN}–{KEY_MAX} ký tự ASCII in được (nên dùng UUID).",
            code="invalid_idempotency_key",
        )


def fingerprint(raw_key: str, *, method: str, path: str, body: object) -> str:
    """Return the request's fingerprint, keyed by the raw key (the body holds the vote)."""
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    message = f"{method} {path}\n{canonical}".encode()
    return hmac.new(_secret(raw_key, "request"), message, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class IdempotencyKey:
    """A client's Idempotency-Key and the fingerprint of the request it came with."""

    raw: str
    request_hash: str

    @property
    def key_hash(self) -> str:
        """Return the key as stored: an HMAC, never the key itself."""
        return _secret(self.raw, "key").hex()


def key_for(raw_key: str, *, method: str, path: str, body: object) -> IdempotencyKey:
    """Check a client's key (422 if malformed) and bind it to this request's fingerprint."""
    check_key(raw_key)
    return IdempotencyKey(raw_key, fingerprint(raw_key, method=method, path=path, body=body))


_RECORD_VALUES = ("key_hash", "request_hash", "status_code", "response")


def record_statement(user_id) -> sa.Insert:
    """Return the INSERT of a key's record with its answer, unless the key is live (no row back).

    Parameters: those of `record_params`. `user_id` is a column of the caller's query (the
    ballot composes it) or a literal. A record past retention is taken over by the new
    request; a live one is left alone and the insert returns no row: the caller then replays
    it (`replay`). Of two requests with the same key at once, the unique key makes the second
    wait for the first.
    """
    columns = IdempotencyRecord.__table__.c
    expired_before = sa.bindparam("key_expired_before", type_=columns.created_at.type)
    source = sa.select(
        user_id,
        *(sa.bindparam(f"key_{name}", type_=columns[name].type) for name in _RECORD_VALUES),
        sa.bindparam("key_created_at", type_=columns.created_at.type),
    ).where(sa.true())  # SQLite parses INSERT … SELECT … ON CONFLICT only after a WHERE
    stmt = dialect_insert(IdempotencyRecord.__table__).from_select(
        ["user_id", *_RECORD_VALUES, "created_at"], source
    )
    return stmt.on_conflict_do_update(
        index_elements=["user_id", "key_hash"],
        set_={name: stmt.excluded[name] for name in (*_RECORD_VALUES, "created_at")},
        where=columns.created_at < expired_before,
    ).returning(columns.id)


def record_params(*, key: IdempotencyKey, status: int, body: dict, now: datetime):
    """Return the parameters of record_statement for this key and answer (encrypted)."""
    return {
        "key_key_hash": key.key_hash,
        "key_request_hash": key.request_hash,
        "key_status_code": status,
        "key_response": _encrypt(key.raw, body),
        "key_created_at": now,
        "key_expired_before": now - RETENTION,
    }


# The status of a record claimed by a create still under way (only ever seen by its own
# transaction: `settle` replaces it before the commit).
PENDING = 0


def claim(*, user_id: int, key: IdempotencyKey, now: datetime | None = None) -> bool:
    """Take the caller's key for this request; False when it is live (then `replay` it).

    A concurrent request with the same key waits here for the first one to end: then it finds
    the committed record (replays it) or, if the first was refused, takes the key itself.
    """
    now = now or utcnow()
    params = record_params(key=key, status=PENDING, body={}, now=now)
    statement = record_statement(sa.literal(user_id, sa.Integer))
    return db.session.execute(statement, params).first() is not None


def settle(*, user_id: int, key: IdempotencyKey, status: int, body: dict) -> None:
    """Store the answer of the create that claimed the key (same transaction)."""
    db.session.execute(
        sa.update(IdempotencyRecord)
        .where(IdempotencyRecord.user_id == user_id, IdempotencyRecord.key_hash == key.key_hash)
        .values(status_code=status, response=_encrypt(key.raw, body))
    )


def replay(*, user, key: IdempotencyKey, now: datetime | None = None) -> Replay | None:
    """Return the answer stored under the caller's live key, if any.

    Raises 422 when the key came before with another request.
    """
    now = now or utcnow()
    found = db.session.scalar(
        sa.select(IdempotencyRecord).where(
            IdempotencyRecord.user_id == user.id,
            IdempotencyRecord.key_hash == key.key_hash,
            IdempotencyRecord.created_at >= now - RETENTION,
        )
    )
    if found is None:
        return None
    if not hmac.compare_digest(found.request_hash, key.request_hash):
        raise _key_error(
            "Idempotency-Key này đã được dùng cho một yêu cầu khác; hãy tạo mã mới.",
            code=IdempotencyKeyReused.code,
            kind=IdempotencyKeyReused,
        )
    return Replay(found.status_code, _decrypt(key.raw, found.response))


def _encrypt(raw_key: str, body: dict) -> str:
    nonce = os.urandom(12)
    data = json.dumps(body, ensure_ascii=False).encode()
    sealed = AESGCM(_secret(raw_key, "answer")).encrypt(nonce, data, None)
    return base64.b64encode(nonce + sealed).decode()


def _decrypt(raw_key: str, stored: str) -> dict:
    raw = base64.b64decode(stored)
    data = AESGCM(_secret(raw_key, "answer")).decrypt(raw[:12], raw[12:], None)
    return json.loads(data)


def purge(now: datetime | None = None) -> int:
    """Delete records past retention; return how many."""
    cutoff = (now or utcnow()) - RETENTION
    return (
        db.session.execute(
            sa.delete(IdempotencyRecord).where(IdempotencyRecord.created_at < cutoff)
        ).rowcount
        or 0
    )
