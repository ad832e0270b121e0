"""Standard Webhooks secrets and signatures; the secrets encrypted at rest.

A secret is `whsec_` + base64 of 32 random bytes; the signature of a message is
`v1,` + base64(HMAC-SHA256(secret bytes, "{webhook-id}.{webhook-timestamp}.{body}")).
https://www.standardwebhooks.com/ — tests check it with the `standardwebhooks` package.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from cryptography.fernet import Fernet, InvalidToken
from flask import current_app

from app.config import _derived

PREFIX = "whsec_"
SECRET_BYTES = 32


def new_secret() -> str:
    """Return a fresh endpoint secret, `whsec_` + base64 of 32 random bytes."""
    return PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def secret_bytes(secret: str) -> bytes:
    """Return the key bytes of a `whsec_…` secret."""
    return base64.b64decode(secret.removeprefix(PREFIX))


def sign(key: bytes, msg_id: str, timestamp: int, body: bytes) -> str:
    """Return the `webhook-signature` header of a message signed with the key bytes."""
    signed = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(key, signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


_fernets: dict[str, Fernet] = {}


def _fernet(secret_key: str | None = None) -> Fernet:
    """Return the Fernet of this installation, its key derived from SECRET_KEY."""
    secret_key = secret_key or current_app.config["SECRET_KEY"]
    found = _fernets.get(secret_key)
    if found is None:
        raw = bytes.fromhex(_derived(secret_key, "webhook-secrets"))
        found = _fernets[secret_key] = Fernet(base64.urlsafe_b64encode(raw))
    return found


def encrypt(secret: str) -> str:
    """Encrypt a secret for storage."""
    return _fernet().encrypt(secret.encode()).decode()


def decrypt(stored: str) -> str:
    """Decrypt a stored secret (raises RuntimeError if SECRET_KEY changed since)."""
    try:
        return _fernet().decrypt(stored.encode()).decode()
    except InvalidToken as exc:
        raise RuntimeError("webhook secret cannot be decrypted: was SECRET_KEY changed?") from exc
