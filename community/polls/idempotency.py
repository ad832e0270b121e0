"""`Idempotency-Key` for ballot POSTs: a retry with the same key and body replays the answer.

The record is inserted in the request's own transaction, before the ballot: the unique key
(user, key hash) makes a concurrent retry wait for the first request and then replay what it
answered; a failed request rolls its record back with everything else, so only successes are
replayed. Nothing stored here links a voter to a ballot for someone who lacks the client's key:
the key is kept as an HMAC, the request fingerprint is keyed with the raw key, and the answer
(which holds the receipt) is encrypted with a key derived from it.
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

from app.database import utcnow
from app.extensions import db
from app.identity.models import User
from community.polls.exceptions import IdempotencyKeyReused, PollStateConflict, field_error
from community.polls.models import IdempotencyRecord
from community.polls.service import insert_new

RETENTION = timedelta(hours=48)  # the contract asks for at least 24 hours
KEY_MIN, KEY_MAX = 8, 255


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
    if not (KEY_MIN <= len(raw_key) <= KEY_MAX) or not all(33 <= ord(c) <= 126 for c in raw_key):
        raise field_error(
            "Idempotency-Key",
            f"Idempotency-Key phải dài {KEY_MIN}–{KEY_MAX} ký tự ASCII in được (nên dùng UUID).",
            code="invalid_idempotency_key",
        )


def fingerprint(raw_key: str, *, method: str, path: str, body: object) -> str:
    """Return the request's fingerprint, keyed by the raw key (the body holds the vote)."""
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    message = f"{method} {path}\n{canonical}".encode()
    return hmac.new(_secret(raw_key, "request"), message, hashlib.sha256).hexdigest()


def claim(
    *, user: User, raw_key: str, request_hash: str, poll_id: int, now: datetime | None = None
) -> Replay | None:
    """Take the key for this request, or return the answer given to it before.

    Returns None when the key is new (the caller then answers and calls complete()); a Replay
    when the same request came before; raises 422 when the key came with another request.
    """
    now = now or utcnow()
    key_hash = _secret(raw_key, "key").hex()
    row = {
        "user_id": user.id,
        "key_hash": key_hash,
        "request_hash": request_hash,
        "poll_id": poll_id,
        "status_code": 0,
        "response": "",
        "created_at": now,
    }
    if insert_new(IdempotencyRecord, row, ["user_id", "key_hash"]):
        return None
    found = db.session.scalar(
        sa.select(IdempotencyRecord).where(
            IdempotencyRecord.user_id == user.id, IdempotencyRecord.key_hash == key_hash
        )
    )
    if found.created_at < now - RETENTION:
        # Expired: the key starts a new life for this request.
        found.request_hash, found.poll_id, found.created_at = request_hash, poll_id, now
        found.status_code, found.response = 0, ""
        db.session.flush()
        return None
    if not hmac.compare_digest(found.request_hash, request_hash):
        raise IdempotencyKeyReused(
            "Idempotency-Key này đã được dùng cho một yêu cầu khác.",
            details={"fields": {"Idempotency-Key": ["reused with a different request"]}},
        )
    if found.status_code == 0:
        raise PollStateConflict("Yêu cầu với Idempotency-Key này đang được xử lý.")
    return Replay(found.status_code, _decrypt(raw_key, found.response))


def complete(*, user: User, raw_key: str, status: int, body: dict) -> None:
    """Store the answer under the key, encrypted, in the request's transaction."""
    key_hash = _secret(raw_key, "key").hex()
    db.session.execute(
        sa.update(IdempotencyRecord)
        .where(IdempotencyRecord.user_id == user.id, IdempotencyRecord.key_hash == key_hash)
        .values(status_code=status, response=_encrypt(raw_key, body))
        .execution_options(synchronize_session=False)
    )


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
