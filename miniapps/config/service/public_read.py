"""The public read: a unit's live version and its precomputed bytes, with few queries."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from app import cache
from app.database import fetch_one_raw
from app.departments.exceptions import DepartmentNotFound
from app.departments.models import Department
from app.errors import NotFound
from app.extensions import db
from app.wards.models import Ward
from miniapps.config.exceptions import NoPublishedVersion
from miniapps.config.models import MiniappVersion

# Public bodies by ETag. The ETag is a hash of the bytes, so an entry can never be stale: the
# cache only saves reading the body column, never the (indexed) lookup of the latest version.
_bodies = cache.named("config.public_body", size=512)
# Ward key as written in the URL (code or slug) -> official code: neither ever changes.
_ward_codes = cache.named("config.ward_code", size=1024)
# The same for departments (code in any case, or slug), kept apart from the wards' keys.
_department_codes = cache.named("config.department_code", size=256)


@dataclass(frozen=True)
class PublishedRef:
    """Which version of a ward's config is live, and its ETag."""

    ward_code: str
    version: int
    etag: str


_LIVE_SQL = (
    "SELECT version, etag FROM miniapp_version WHERE ward_code = {p} ORDER BY version DESC LIMIT 1"
)


def _live(codes: cache.Cache, key: str) -> PublishedRef | None:
    """Return the live version of the unit a known URL key names (None if not known yet)."""
    code = codes.get(key)
    if code is None:
        return None
    row = fetch_one_raw(_LIVE_SQL, (code,))
    if row is None:
        return None
    return PublishedRef(code, row[0], row[1])


def live_ref(ward_key: str) -> PublishedRef | None:
    """Return a ward's live version with one indexed query on a raw pooled connection.

    The hot path of the public read: it skips the ORM (whose per-query overhead is several
    times the query's own cost) but still asks the database, so that a publish made by any
    worker or instance is seen by the very next read. Returns None when the ward key is not
    yet known to this process; the caller then takes the ORM path, which learns it.
    """
    return _live(_ward_codes, ward_key)


def published_ref(ward_key: str) -> PublishedRef:
    """Return the live version of a ward (by code or slug) with one indexed query."""
    key = ward_key.strip().lower()
    column = Ward.code if key.isdigit() else Ward.slug
    row = db.session.execute(
        sa.select(Ward.code, MiniappVersion.version, MiniappVersion.etag)
        .outerjoin(MiniappVersion, MiniappVersion.ward_code == Ward.code)
        .where(column == key)
        .order_by(MiniappVersion.version.desc())
        .limit(1)
    ).first()
    if row is None:
        raise NotFound("Không tìm thấy phường, xã này.", code="ward_not_found")
    if row.version is None:
        raise NoPublishedVersion()
    _ward_codes.put(ward_key, row.code)
    return PublishedRef(row.code, row.version, row.etag)


def live_department_ref(department_key: str) -> PublishedRef | None:
    """Return a department's live version like `live_ref` (None when its key is not known)."""
    return _live(_department_codes, department_key)


def published_department_ref(department_key: str) -> PublishedRef:
    """Return the live version of a department (by code or slug) with one indexed query."""
    key = department_key.strip()
    row = db.session.execute(
        sa.select(Department.code, MiniappVersion.version, MiniappVersion.etag)
        .outerjoin(MiniappVersion, MiniappVersion.ward_code == Department.code)
        .where(sa.or_(Department.code == key.upper(), Department.slug == key.lower()))
        .order_by(MiniappVersion.version.desc())
        .limit(1)
    ).first()
    if row is None:
        raise DepartmentNotFound()
    if row.version is None:
        raise NoPublishedVersion()
    _department_codes.put(department_key, row.code)
    return PublishedRef(row.code, row.version, row.etag)


def published_body(ref: PublishedRef) -> bytes:
    """Return the precomputed bytes of a published version."""
    body = _bodies.get(ref.etag)
    if body is None:
        body = bytes(
            db.session.scalar(
                sa.select(MiniappVersion.body).where(
                    MiniappVersion.ward_code == ref.ward_code,
                    MiniappVersion.version == ref.version,
                )
            )
        )
        _bodies.put(ref.etag, body)
    return body
