"""The city's departments: the list kept in code, its sync, lookup and search."""

import re

import sqlalchemy as sa
from blinker import Namespace
from flask import current_app

from app.departments.exceptions import DepartmentNotFound
from app.departments.models import Department
from app.extensions import db
from app.text import escape_like, fold, slugify

# (code, name, short name). Codes are letters only (ward codes are digits); a code, once
# given, never changes: role grants and miniapp versions refer to it.
DEPARTMENTS: tuple[tuple[str, str, str], ...] = (
    ("SKHCN", "Sở Khoa học và Công nghệ", "Sở KH&CN"),
    ("SCT", "Sở Công Thương", "Sở Công Thương"),
    ("SVHTT", "Sở Văn hóa và Thể thao", "Sở VH&TT"),
    ("SDL", "Sở Du lịch", "Sở Du lịch"),
    ("SNNMT", "Sở Nông nghiệp và Môi trường", "Sở NN&MT"),
    ("SGDDT", "Sở Giáo dục và Đào tạo", "Sở GD&ĐT"),
    ("THUE", "Thuế thành phố Hà Nội", "Thuế Hà Nội"),
)
_CODE = re.compile(r"^[A-Z]{2,5}$")
_SO_PREFIX = re.compile(r"^Sở\s+")

# Sent by sync() (the app as sender) inside its transaction, once the departments are flushed:
# a module that keeps something for every department (miniapps/config: version 1 of its
# config) creates what is missing here, so that no read ever has to create it.
departments_synced = Namespace().signal("departments-synced")


def source_departments() -> list[dict]:
    """Return the departments as plain rows."""
    rows = []
    for code, name, short_name in DEPARTMENTS:
        if not _CODE.match(code):  # a digit would collide with the wards' codes
            raise ValueError(f"department code {code!r} must be 2 to 5 capital letters")
        rows.append(
            {
                "code": code,
                "name": name,
                "short_name": short_name,
                "slug": slugify(_SO_PREFIX.sub("", name)),
                # The code too, so that "skhcn" finds its department.
                "search_text": f"{code.lower()} {fold(name)}",
            }
        )
    return rows


def sync() -> dict:
    """Insert or update the departments; return counts. Idempotent."""
    existing = {d.code: d for d in db.session.scalars(sa.select(Department))}
    created = updated = 0
    for row in source_departments():
        department = existing.get(row["code"])
        if department is None:
            db.session.add(Department(**row))
            created += 1
            continue
        changed = False
        for key, value in row.items():
            if getattr(department, key) != value:
                setattr(department, key, value)
                changed = True
        updated += changed
    db.session.flush()
    departments_synced.send(current_app._get_current_object())
    return {"created": created, "updated": updated, "total": len(existing) + created}


def _key_clause(key: str) -> sa.ColumnElement[bool]:
    """Match a department by its code (any case) or its slug."""
    key = key.strip()
    return sa.or_(Department.code == key.upper(), Department.slug == key.lower())


def get(department: str) -> Department:
    """Find a department by its code (SKHCN, skhcn) or its slug, or raise DepartmentNotFound."""
    # No department has such a key; PostgreSQL would refuse a NUL in the query (web paths reach
    # here without the API's guard).
    if len(department) > 120 or "\x00" in department:
        raise DepartmentNotFound()
    found = db.session.scalar(sa.select(Department).where(_key_clause(department)))
    if found is None:
        raise DepartmentNotFound()
    return found


def search(*, q: str | None, limit: int, after_code: str | None) -> list[Department]:
    """List departments by code, filtered by a query that ignores diacritics."""
    stmt = sa.select(Department).order_by(Department.code)
    if q and q.strip():
        for word in fold(q).split():
            stmt = stmt.where(Department.search_text.like(f"%{escape_like(word)}%", escape="\\"))
    if after_code:
        stmt = stmt.where(Department.code > after_code)
    return list(db.session.scalars(stmt.limit(limit + 1)))
