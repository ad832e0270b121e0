"""Opaque keyset cursors and the contract's list envelope."""

import base64
import json
import math
from datetime import datetime

from marshmallow import Schema, fields, validate

from app.database import MAX_ID
from app.errors import ValidationFailed
from app.fields import MAX_TIME, MIN_TIME, Text

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


class PageArgsSchema(Schema):
    """`?limit=&cursor=` of every list."""

    limit = fields.Integer(
        load_default=DEFAULT_LIMIT,
        validate=validate.Range(min=1, max=MAX_LIMIT),
        metadata={"label": "Số mục mỗi trang"},
    )
    cursor = Text(load_default=None, allow_blank=True, metadata={"label": "Trang tiếp theo"})


def encode_cursor(values: list) -> str:
    """Encode the sort key of the last item as an opaque cursor."""
    raw = json.dumps(values, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


_INT64 = 2**63  # SQLite's integers are signed 64-bit: a larger bound value fails the query


def decode_cursor(cursor: str | None, shape: tuple[type, ...] | None = None) -> list | None:
    """Decode a cursor made by encode_cursor, or refuse it clearly.

    A cursor comes back from the client, so it may have been edited: its values must be
    scalars a query can bind (no NUL or lone surrogate in text, integers within 64 bits) and,
    when `shape` is given, exactly that many values of those types (a bool is not an int).
    """
    if not cursor:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, TypeError, RecursionError) as exc:
        raise _invalid_cursor() from exc
    if not isinstance(values, list) or not all(_bindable(v) for v in values):
        raise _invalid_cursor()
    if shape is not None and (
        len(values) != len(shape)
        or not all(type(v) is t for v, t in zip(values, shape, strict=True))
    ):
        raise _invalid_cursor()
    return values


def _bindable(value) -> bool:
    if value is None or isinstance(value, bool):
        return True
    if isinstance(value, int):
        return -_INT64 <= value < _INT64
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, str):
        if "\x00" in value:
            return False
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return False
        return True
    return False


def _invalid_cursor() -> ValidationFailed:
    return ValidationFailed.on_field(
        "cursor",
        "Trang tiếp theo",
        "Con trỏ phân trang không hợp lệ; hãy tải lại danh sách từ đầu.",
        location="query",
    )


def page(items: list, *, limit: int, key) -> dict:
    """Cut a list fetched with limit+1 rows into the envelope `{items, next_cursor}`."""
    has_more = len(items) > limit
    items = items[:limit]
    next_cursor = encode_cursor(key(items[-1])) if has_more and items else None
    return {"items": items, "next_cursor": next_cursor}


def decode_id_cursor(cursor: str | None) -> int | None:
    """Decode a cursor holding one id (lists ordered by id), or refuse it clearly (an id
    past the id columns' range too: PostgreSQL's integers are 32-bit)."""
    values = decode_cursor(cursor, shape=(int,))
    if not values:
        return None
    if not 0 <= values[0] <= MAX_ID:
        raise _invalid_cursor()
    return values[0]


def decode_time_cursor(cursor: str | None) -> tuple[datetime, int] | None:
    """Decode a cursor holding (an aware ISO time, an id), for lists ordered by a time then
    id; a forged one (no offset, out of range) is refused like any bad cursor."""
    values = decode_cursor(cursor, shape=(str, int))
    if values is None:
        return None
    try:
        at = datetime.fromisoformat(values[0])
    except ValueError:
        raise _invalid_cursor() from None
    if at.tzinfo is None or not MIN_TIME <= at <= MAX_TIME or not 0 <= values[1] <= MAX_ID:
        raise _invalid_cursor()
    return at, values[1]
