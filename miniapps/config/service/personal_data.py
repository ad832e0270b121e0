"""Personal data: the config changes a staff member made."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from app.extensions import db
from app.fields import local_isoformat
from app.identity.models import User
from miniapps.config.models import MiniappAuditEntry, MiniappVersion


def export_personal_data(user: User) -> dict[str, Any]:
    """Return the config changes a staff member made (their official acts), if any."""
    versions = [
        {"ward": code, "version": number, "published_at": local_isoformat(at), "summary": summary}
        for code, number, at, summary in db.session.execute(
            sa.select(
                MiniappVersion.ward_code,
                MiniappVersion.version,
                MiniappVersion.published_at,
                MiniappVersion.summary,
            )
            .where(MiniappVersion.author_id == user.id)
            .order_by(MiniappVersion.id)
        )
    ]
    audit = [
        {"ward": code, "ward_type": ward_type, "action": action, "at": local_isoformat(at)}
        for code, ward_type, action, at in db.session.execute(
            sa.select(
                MiniappAuditEntry.ward_code,
                MiniappAuditEntry.ward_type,
                MiniappAuditEntry.action,
                MiniappAuditEntry.at,
            )
            .where(MiniappAuditEntry.actor_id == user.id)
            .order_by(MiniappAuditEntry.id)
        )
    ]
    if not versions and not audit:
        return {}
    return {"miniapp_config": {"published_versions": versions, "audit_entries": audit}}
