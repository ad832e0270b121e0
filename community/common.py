"""Helpers shared by the community packages: ids, plain text, local times, idempotent inserts."""

import re
from datetime import datetime

import sqlalchemy as sa
from marshmallow import ValidationError
from sqlalchemy.dialects import postgresql, sqlite

from app.database import MAX_ID
from app.extensions import db

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def valid_id(value: int) -> bool:
    """Tell whether an id from a URL or a body could name a row."""
    return 1 <= value <= MAX_ID


def no_control_chars(value: str) -> None:
    """Refuse control characters (NUL breaks PostgreSQL text); newlines and tabs are fine."""
    if _CONTROL.search(value):
        raise ValidationError("Không được chứa ký tự điều khiển.")


def insert_ignore(model, rows: list[dict], keys: list[str]) -> int:
    """Insert rows, skipping those that would break the unique key; return rows inserted.

    The database decides (ON CONFLICT DO NOTHING), so two simultaneous requests never both
    insert nor fail: this is how "follow", "read" and "join" stay idempotent.
    """
    if not rows:
        return 0
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert(model).values(rows).on_conflict_do_nothing(index_elements=keys)
    return db.session.execute(stmt).rowcount or 0


def as_utc(value: datetime | None) -> datetime | None:
    """Return an aware datetime in UTC (None stays None)."""
    from datetime import UTC

    return value.astimezone(UTC) if value is not None else None


def count(stmt) -> int:
    """Count the rows of a select."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery())) or 0
