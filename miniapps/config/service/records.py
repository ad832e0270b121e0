"""The rows every concern shares: overrides, versions, the audit log, the template in force."""

from __future__ import annotations

import copy
from typing import Any

import sqlalchemy as sa

from app.departments.models import DEPARTMENT_TYPE, Department
from app.extensions import db
from app.identity.models import User
from app.wards.models import Ward
from miniapps.config.canonical import canonical_bytes, strong_etag
from miniapps.config.exceptions import NoPublishedVersion, TemplateNotFound, VersionNotFound
from miniapps.config.models import (
    MiniappAuditEntry,
    MiniappOverride,
    MiniappTemplate,
    MiniappVersion,
)
from miniapps.config.templates import TEMPLATES, template_for

PUBLISHED, DRAFT = "published", "draft"

# What holds a miniapp config: a ward, or a department (whose `type` is "so"). Both have the
# code, name and type the service reads; the document's `ward` block holds them.
Unit = Ward | Department


def ward_block(ward: Unit) -> dict[str, str]:
    """Return the ward block of a document (a department's too: code, name, type)."""
    return {"code": ward.code, "name": ward.name, "type": ward.type}


def unit_model(ward_type: str) -> type[Ward] | type[Department]:
    """Return the model of the units of a type: departments for "so", else wards."""
    return Department if ward_type == DEPARTMENT_TYPE else Ward


def units_of_type(ward_type: str) -> list[Unit]:
    """Return the units a type's template applies to, by code."""
    model = unit_model(ward_type)
    stmt = sa.select(model).order_by(model.code)
    if model is Ward:
        stmt = stmt.where(Ward.type == ward_type)
    return list(db.session.scalars(stmt))


def unit_codes(ward_type: str) -> sa.Select:
    """Return a SELECT of the codes of a type's units (for IN clauses)."""
    model = unit_model(ward_type)
    stmt = sa.select(model.code)
    return stmt.where(Ward.type == ward_type) if model is Ward else stmt


def audit(
    *,
    action: str,
    actor: User | None,
    ward_code: str | None = None,
    ward_type: str | None = None,
    **details: Any,
) -> None:
    """Record one change in the audit log."""
    db.session.add(
        MiniappAuditEntry(
            action=action,
            actor_id=actor.id if actor else None,
            ward_code=ward_code,
            ward_type=ward_type,
            details=details,
        )
    )


def override_row(ward_code: str, state: str) -> MiniappOverride | None:
    """Return a ward's published or draft overrides row."""
    return db.session.get(MiniappOverride, (ward_code, state))


def latest_version(ward_code: str) -> MiniappVersion | None:
    """Return the ward's latest published version, if it has one."""
    return db.session.scalar(
        sa.select(MiniappVersion)
        .where(MiniappVersion.ward_code == ward_code)
        .order_by(MiniappVersion.version.desc())
        .limit(1)
    )


def live_version(ward_code: str) -> MiniappVersion:
    """Return the ward's latest published version, which every synced ward has."""
    latest = latest_version(ward_code)
    if latest is None:
        raise NoPublishedVersion()
    return latest


def new_version(
    *, ward_code: str, number: int, document: dict, author: User | None, summary: str
) -> MiniappVersion:
    """Build a version row with its canonical bytes and strong ETag."""
    body = canonical_bytes(document)
    return MiniappVersion(
        ward_code=ward_code,
        version=number,
        document=document,
        body=body,
        etag=strong_etag(body),
        author_id=author.id if author else None,
        summary=summary[:500],
    )


def check_ward_type(ward_type: str) -> None:
    """Refuse an unknown ward type."""
    if ward_type not in TEMPLATES:
        raise TemplateNotFound("Không có mẫu chung cho loại đơn vị này (chỉ có: phuong, xa, so).")


def current_template(ward_type: str) -> dict[str, Any]:
    """Return the template in force for a ward type (the saved one, else the built-in one)."""
    row = db.session.get(MiniappTemplate, ward_type)
    return copy.deepcopy(row.document) if row else template_for(ward_type)


def version_row(ward: Unit, number: int) -> MiniappVersion:
    """Return one version of the ward, or raise VersionNotFound."""
    row = db.session.scalar(
        sa.select(MiniappVersion).where(
            MiniappVersion.ward_code == ward.code, MiniappVersion.version == number
        )
    )
    if row is None:
        raise VersionNotFound(f"Không có phiên bản {number} của cấu hình này.")
    return row


def author_name(user_id: int | None) -> str | None:
    """Return a user's current name (None for the system or an erased account)."""
    if user_id is None:
        return None
    user = db.session.get(User, user_id)
    return user.name if user else None
