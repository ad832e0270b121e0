"""Version 1: every ward and department has a published config from its first moment."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from app.database import insert_ignore
from app.departments.models import Department
from app.extensions import db
from app.wards.models import Ward
from miniapps.config.models import MiniappUnit, MiniappVersion
from miniapps.config.service.records import (
    Unit,
    audit,
    current_template,
    latest_version,
    new_version,
)
from miniapps.config.templates import effective_config

INITIAL_SUMMARY = "Tạo cấu hình ban đầu từ mẫu chung."


def ensure_units() -> int:
    """Make every ward and department a miniapp unit (idempotent); return how many were new."""
    rows = [
        {"code": code, "kind": "ward", "ward_code": code, "department_code": None}
        for code in db.session.scalars(sa.select(Ward.code))
    ] + [
        {"code": code, "kind": "department", "ward_code": None, "department_code": code}
        for code in db.session.scalars(sa.select(Department.code))
    ]
    return insert_ignore(MiniappUnit, rows, keys=["code"])


def ensure_initial_version(ward: Unit) -> MiniappVersion:
    """Return the unit's latest version, creating version 1 from the template if it has none.

    Safe when two requests race: the loser's INSERT hits UNIQUE(ward_code, version) inside a
    savepoint, and it reads the winner's row instead.
    """
    latest = latest_version(ward.code)
    if latest is not None:
        return latest
    document = effective_config(template=current_template(ward.type), overrides={}, ward=ward)
    version = new_version(
        ward_code=ward.code, number=1, document=document, author=None, summary=INITIAL_SUMMARY
    )
    try:
        with db.session.begin_nested():
            db.session.add(version)
            audit(action="initial_publish", actor=None, ward_code=ward.code, version=1)
            db.session.flush()
    except sa.exc.IntegrityError:
        latest = latest_version(ward.code)
        if latest is None:  # not the race we expected: let it surface
            raise
        return latest
    return version


def _ensure_versions(model: type[Ward] | type[Department]) -> int:
    """Give version 1 to every unit of the model that has none yet; return how many."""
    ensure_units()
    have = set(db.session.scalars(sa.select(MiniappVersion.ward_code).distinct()))
    created = 0
    for unit in db.session.scalars(sa.select(model).order_by(model.code)):
        if unit.code not in have:
            ensure_initial_version(unit)
            created += 1
    return created


def ensure_initial_versions() -> int:
    """Give version 1 to every ward that has none yet; return how many were created."""
    return _ensure_versions(Ward)


def ensure_initial_department_versions() -> int:
    """Give version 1 to every department that has none yet; return how many were created."""
    return _ensure_versions(Department)


def on_wards_synced(_app: Any, **_extra: Any) -> None:
    """Publish version 1 for the wards `wards sync` created (and any ward still without one)."""
    ensure_initial_versions()


def on_departments_synced(_app: Any, **_extra: Any) -> None:
    """Publish version 1 for the departments `departments sync` created (or still without one)."""
    ensure_initial_department_versions()
