"""Writing the audit log (`record`, its one writer) and reading it a page at a time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import has_request_context

from app.audit.actions import ACTIONS
from app.audit.models import AuditEntry
from app.extensions import db

SYSTEM = "system"
# A User row of an API client's service account has this issuer (app/identity/models.py);
# kept as a literal so that writing an entry needs nothing from identity at import time.
_SERVICE_ACCOUNT_ISSUER = "api-client"
ERASED_NAME = "Tài khoản đã xóa"
SYSTEM_NAME = "Hệ thống"


class _System:
    """The actor of acts nobody did by hand (a schedule, the worker): pass `actor=SYSTEM`."""

    def __repr__(self) -> str:
        return "SYSTEM"


SYSTEM_ACTOR = _System()


def _caller():
    """Return the request's signed-in user as the request already knows it, else None.

    Only the caller the request has loaded counts (a privileged act checked it first), and
    only if it belongs to this session: a test's or a CLI's own app context inside a kept
    request context acts as nobody from that request. Never a query.
    """
    if not has_request_context():
        return None
    from app.identity import auth  # identity calls record(): import it late, not at load

    user = auth.loaded_user()
    return user if user is not None and user in db.session else None


def record(
    action: str,
    obj_type: str,
    obj_id: int | str | None,
    label: str | None = None,
    *,
    ward_code: str | None = None,
    department_code: str | None = None,
    actor=None,
) -> None:
    """Add one entry to the audit log in the current transaction (the caller commits).

    `action` is a dotted English verb (`notice.published`, `role.revoked`); `label` names the
    object without personal data (a title, "tài khoản #12"). `actor` defaults to the
    request's signed-in user, else the system; `SYSTEM_ACTOR` says the system acted even
    within a request (a poll opening on its schedule). One INSERT at the next flush, no SELECT.
    """
    if action not in ACTIONS:
        raise ValueError(f"audit action {action!r} is not declared in app/audit/actions.py")
    if actor is None:
        actor = _caller()
    if actor is None or actor is SYSTEM_ACTOR:
        kind, actor_id = SYSTEM, None
    else:
        kind = "client" if actor.issuer == _SERVICE_ACCOUNT_ISSUER else "person"
        actor_id = actor.id
    db.session.add(
        AuditEntry(
            action=action,
            object_type=obj_type,
            object_id=None if obj_id is None else str(obj_id)[:64],
            label=None if label is None else label[:200],
            ward_code=ward_code,
            department_code=department_code,
            actor_id=actor_id,
            actor_kind=kind,
        )
    )


@dataclass(frozen=True)
class Row:
    """An entry with its actor's name as shown now (read at display time, never stored)."""

    entry: AuditEntry
    actor_name: str


@dataclass(frozen=True)
class Page:
    """A page of entries, newest first, and the id to continue after (None at the end)."""

    rows: list[Row]
    next_before: int | None


def read(
    *,
    ward_code: str | None = None,
    action: str | None = None,
    before: int | None = None,
    limit: int = 50,
) -> Page:
    """Return entries newest first (by id), of one ward or all, optionally by action prefix."""
    from app.identity.models import User  # the actor's name, joined at display time

    stmt = (
        sa.select(AuditEntry, User.name, User.erased_at, User.issuer)
        .outerjoin(User, User.id == AuditEntry.actor_id)
        .order_by(AuditEntry.id.desc())
        .limit(limit + 1)
    )
    if ward_code is not None:
        stmt = stmt.where(AuditEntry.ward_code == ward_code)
    if action:
        stmt = stmt.where(AuditEntry.action.startswith(action, autoescape=True))
    if before is not None:
        stmt = stmt.where(AuditEntry.id < before)
    found = db.session.execute(stmt).all()
    rows = [
        Row(entry, _actor_name(entry, name, erased_at, issuer))
        for entry, name, erased_at, issuer in found[:limit]
    ]
    next_before = rows[-1].entry.id if len(found) > limit and rows else None
    return Page(rows, next_before)


def _actor_name(entry: AuditEntry, name: str | None, erased_at: datetime | None, issuer) -> str:
    """Return how the actor is named today: a client keeps its name, an erased person none."""
    if entry.actor_id is None:
        return SYSTEM_NAME
    if issuer == _SERVICE_ACCOUNT_ISSUER:
        return name or ERASED_NAME
    if erased_at is not None or not name:
        return ERASED_NAME
    return name
