"""API clients: register, list, delete; their service accounts and the tokens they are issued."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.audit import record
from app.database import utcnow
from app.errors import FieldError, ValidationFailed
from app.extensions import db
from app.identity import service as identity
from app.identity.models import ApiToken, User
from app.wards import service as ward_service
from integrations.clients.exceptions import ClientNotFound
from integrations.clients.models import (
    ALL_WARDS,
    SERVICE_ACCOUNT_ISSUER,
    ApiClient,
    secret_hash,
)
from integrations.clients.surface import SCOPE_LABELS, SCOPES

TOKEN_LIFETIME = timedelta(hours=1)
SCOPES_LABEL = "Phạm vi truy cập"
WARDS_LABEL = "Phường, xã"


@dataclass(frozen=True)
class Registered:
    """A client just registered, with its secret: the only time the secret is known."""

    client: ApiClient
    secret: str


def _check_scopes(scopes: list[str]) -> str:
    """Return the scopes as stored (space-separated, in the surface's order), or raise 422."""
    errors = [
        FieldError(f"scopes.{i}", f"{SCOPES_LABEL} {i + 1}", f"Không có phạm vi «{s}».")
        for i, s in enumerate(scopes)
        if s not in SCOPE_LABELS
    ]
    if errors:
        raise ValidationFailed.on_fields(errors)
    return " ".join(s for s in SCOPES if s in scopes)


def _check_wards(wards: list[str] | str) -> str:
    """Return the wards as stored ("all", or codes by code), or raise 422 naming unknown ones."""
    if wards == ALL_WARDS:
        return ALL_WARDS
    found, unknown = ward_service.resolve_many(wards)
    errors = [
        FieldError(f"wards.{i}", f"{WARDS_LABEL} {i + 1}", f"Không có phường, xã «{raw}».")
        for i, raw in enumerate(wards)
        if raw in unknown
    ]
    if errors:
        raise ValidationFailed.on_fields(errors)
    return " ".join(ward.code for ward in found)


def create(*, name: str, scopes: list[str], wards: list[str] | str, created_by: User) -> Registered:
    """Register a client with its service account; return it with its secret (shown once)."""
    stored_scopes = _check_scopes(scopes)
    stored_wards = _check_wards(wards)
    client_id = "pxsc_" + secrets.token_hex(12)
    secret = "pxss_" + secrets.token_urlsafe(32)
    account = User(issuer=SERVICE_ACCOUNT_ISSUER, sub=client_id, name=name[:120])
    db.session.add(account)
    db.session.flush()
    client = ApiClient(
        client_id=client_id,
        secret_hash=secret_hash(secret),
        name=name,
        scopes=stored_scopes,
        wards=stored_wards,
        user_id=account.id,
        created_by_id=created_by.id,
        created_at=utcnow(),
    )
    db.session.add(client)
    db.session.flush()
    record("client.created", "api_client", client.client_id, name)
    return Registered(client, secret)


def _active() -> sa.Select:
    return sa.select(ApiClient).where(ApiClient.deleted_at.is_(None))


def list_active() -> list[ApiClient]:
    """Return the clients not deleted, newest first."""
    stmt = _active().options(selectinload(ApiClient.created_by)).order_by(ApiClient.id.desc())
    return list(db.session.scalars(stmt))


def find(client_id: str | None) -> ApiClient | None:
    """Return the active client with this client_id, if any (Authlib's query_client)."""
    if not client_id or len(client_id) > 40:
        return None
    return db.session.scalar(_active().where(ApiClient.client_id == client_id))


def get(client_id: str) -> ApiClient:
    """Return the active client with this client_id, or raise ClientNotFound."""
    client = find(client_id)
    if client is None:
        raise ClientNotFound()
    return client


def delete(client: ApiClient) -> int:
    """Delete a client: revoke every token at once and close its service account.

    One UPDATE revokes the tokens, so a token issued a moment ago stops working with the
    commit; the closed account (`erased_at`) would refuse any token all the same. Returns how
    many live tokens were revoked.
    """
    now = utcnow()
    revoked = db.session.execute(
        sa.update(ApiToken)
        .where(ApiToken.user_id == client.user_id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=now)
        .returning(ApiToken.id)
    ).all()
    client.deleted_at = now
    account = client.service_account
    account.erased_at = now
    account.session_version += 1
    db.session.flush()
    record("client.deleted", "api_client", client.client_id, client.name)
    return len(revoked)


def issue_token(client: ApiClient, scope: str) -> tuple[str, int]:
    """Issue a one-hour token of the client's service account, holding `scope` and its wards."""
    return identity.issue_token(
        client.service_account, scope=scope, wards=client.wards, lifetime=TOKEN_LIFETIME
    )


def find_token(raw: str) -> ApiToken | None:
    """Return the token row of a raw token (any state), by its hash."""
    if not raw or len(raw) > 200:
        return None
    return db.session.scalar(
        sa.select(ApiToken).where(ApiToken.token_hash == identity.token_hash(raw))
    )


def client_of_token(token: ApiToken) -> ApiClient | None:
    """Return the client whose service account holds the token, if any."""
    return db.session.scalar(sa.select(ApiClient).where(ApiClient.user_id == token.user_id))


def revoke_token(token: ApiToken) -> None:
    """Revoke one token (RFC 7009), logged as the client's act for the city (no ward)."""
    if token.revoked_at is None:
        identity.revoke_token(token)
        client = client_of_token(token)
        if client is not None:
            record(
                "client.token_revoked",
                "api_token",
                token.id,
                f"{client.name} · mã truy cập #{token.id}",
                actor=client.service_account,
            )
