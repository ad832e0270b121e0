"""Versions and the audit log of a unit's (ward's or department's) config, newest first."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from app.extensions import db
from app.identity.models import User
from miniapps.config.models import MiniappAuditEntry, MiniappVersion
from miniapps.config.service.records import Unit, author_name, version_row


def list_versions(*, ward: Unit, limit: int, before: int | None) -> list[dict[str, Any]]:
    """List the ward's published versions, newest first (limit + 1 rows, for paging)."""
    stmt = (
        sa.select(
            MiniappVersion.version,
            MiniappVersion.published_at,
            MiniappVersion.summary,
            MiniappVersion.etag,
            User.name.label("author"),
        )
        .outerjoin(User, User.id == MiniappVersion.author_id)
        .where(MiniappVersion.ward_code == ward.code)
        .order_by(MiniappVersion.version.desc())
    )
    if before is not None:
        stmt = stmt.where(MiniappVersion.version < before)
    return [dict(row) for row in db.session.execute(stmt.limit(limit + 1)).mappings()]


def get_version(*, ward: Unit, number: int) -> dict[str, Any]:
    """Return one published version with its document."""
    row = version_row(ward, number)
    return {
        "version": row.version,
        "published_at": row.published_at,
        "summary": row.summary,
        "etag": row.etag,
        "author": author_name(row.author_id),
        "document": row.document,
    }


def list_audit(*, ward: Unit, limit: int, before_id: int | None) -> list[dict[str, Any]]:
    """List the audit entries of a ward's config, newest first (limit + 1 rows)."""
    stmt = (
        sa.select(
            MiniappAuditEntry.id,
            MiniappAuditEntry.action,
            MiniappAuditEntry.at,
            MiniappAuditEntry.details,
            MiniappAuditEntry.ward_code.label("ward"),
            User.name.label("actor"),
        )
        .outerjoin(User, User.id == MiniappAuditEntry.actor_id)
        .where(MiniappAuditEntry.ward_code == ward.code)
        .order_by(MiniappAuditEntry.id.desc())
    )
    if before_id is not None:
        stmt = stmt.where(MiniappAuditEntry.id < before_id)
    return [dict(row) for row in db.session.execute(stmt.limit(limit + 1)).mappings()]
