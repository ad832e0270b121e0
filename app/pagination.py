"""Opaque keyset cursors and the contract's list envelope."""

import base64
import json

from marshmallow import Schema, fields, validate

from app.errors import ValidationFailed

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


class PageArgsSchema(Schema):
    """`?limit=&cursor=` of every list."""

    limit = fields.Integer(
        load_default=DEFAULT_LIMIT, validate=validate.Range(min=1, max=MAX_LIMIT)
    )
    cursor = fields.String(load_default=None)


def encode_cursor(values: list) -> str:
    """Encode the sort key of the last item as an opaque cursor."""
    raw = json.dumps(values, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> list | None:
    """Decode a cursor made by encode_cursor, or refuse it clearly."""
    if not cursor:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, TypeError) as exc:
        raise ValidationFailed(
            "Con trỏ phân trang không hợp lệ.", details={"fields": {"cursor": ["invalid"]}}
        ) from exc
    if not isinstance(values, list):
        raise ValidationFailed(
            "Con trỏ phân trang không hợp lệ.", details={"fields": {"cursor": ["invalid"]}}
        )
    return values


def page(items: list, *, limit: int, key) -> dict:
    """Cut a list fetched with limit+1 rows into the envelope `{items, next_cursor}`."""
    has_more = len(items) > limit
    items = items[:limit]
    next_cursor = encode_cursor(key(items[-1])) if has_more and items else None
    return {"items": items, "next_cursor": next_cursor}
