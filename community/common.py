"""Helpers shared by the community packages: ids, plain text, local times, counts."""

import re
from datetime import datetime

import sqlalchemy as sa
from marshmallow import ValidationError

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


def as_utc(value: datetime | None) -> datetime | None:
    """Return an aware datetime in UTC (None stays None)."""
    from datetime import UTC

    return value.astimezone(UTC) if value is not None else None


def count(stmt) -> int:
    """Count the rows of a select."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery())) or 0
