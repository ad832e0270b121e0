"""Helpers shared by the community packages: ids, plain text, local times, counts."""

from datetime import datetime

import sqlalchemy as sa

from app.database import MAX_ID
from app.extensions import db
from app.fields import no_control_chars

__all__ = ["MAX_ID", "as_utc", "count", "no_control_chars", "valid_id"]


def valid_id(value: int) -> bool:
    """Tell whether an id from a URL or a body could name a row."""
    return 1 <= value <= MAX_ID


def as_utc(value: datetime | None) -> datetime | None:
    """Return an aware datetime in UTC (None stays None)."""
    from datetime import UTC

    return value.astimezone(UTC) if value is not None else None


def count(stmt) -> int:
    """Count the rows of a select."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery())) or 0
