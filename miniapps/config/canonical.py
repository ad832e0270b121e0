"""One byte form per config document, and the strong ETag computed from it.

The same document gives the same bytes whatever its key order, on every worker, so the ETag of
a published version is stable and a changed document always gets a new one.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

ETAG_HEX_LENGTH = 32


def canonical_bytes(document: Any) -> bytes:
    """Serialize a document as compact UTF-8 JSON with sorted keys."""
    text = json.dumps(
        document, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
    )
    return text.encode("utf-8")


def strong_etag(data: bytes) -> str:
    """Return a quoted strong ETag: the first 32 hex digits of the data's SHA-256."""
    return '"' + hashlib.sha256(data).hexdigest()[:ETAG_HEX_LENGTH] + '"'
