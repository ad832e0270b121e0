"""The limits on a request's line and headers, answered in the contract's JSON error body.

gunicorn enforces such limits itself while parsing, and answers with an HTML page (414, 431)
that no client of the API can read. gunicorn.conf.py raises its limits above these, so that
a request between the two reaches this middleware, which refuses it before Flask builds a
request: 414 for a request line over 4 kB, 431 for a header over 8 kB or more than 100 headers.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from app.errors import http_error
from app.security_headers import HSTS, NOTHING_POLICY, REFERRER_POLICY

# The request line ("GET /path?query HTTP/1.1"), in bytes: gunicorn's own default, rounded.
MAX_REQUEST_LINE = 4096
# One header ("Name: value"), in bytes, and the number of headers.
MAX_HEADER_BYTES = 8192
MAX_HEADERS = 100

_HEADER_KEYS_WITHOUT_PREFIX = ("CONTENT_TYPE", "CONTENT_LENGTH")


def _request_line_length(environ: dict[str, Any]) -> int:
    """Return the length of the request line as the client sent it (as near as WSGI tells)."""
    uri = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    if uri is None:  # a WSGI server that keeps neither: rebuild it from the decoded parts
        uri = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")
        if environ.get("QUERY_STRING"):
            uri += "?" + environ["QUERY_STRING"]
    method = environ.get("REQUEST_METHOD", "")
    protocol = environ.get("SERVER_PROTOCOL", "")
    return len(method) + 1 + len(uri) + 1 + len(protocol)


# A header whose name and value are each at most this long is within MAX_HEADER_BYTES.
_HALF = MAX_HEADER_BYTES // 2 - 2


def refusal(environ: dict[str, Any]) -> tuple[int, dict] | None:
    """Return (status, details) when the request breaks a limit, else None."""
    if _request_line_length(environ) > MAX_REQUEST_LINE:
        return 414, {"max_bytes": MAX_REQUEST_LINE}
    # Every request passes here: first a coarse look, at C speed, that clears almost all of
    # them (fewer environ entries than the header limit, no long name or value at all).
    if (
        len(environ) <= MAX_HEADERS
        and max(map(len, environ)) <= _HALF
        and max([len(v) for v in environ.values() if v.__class__ is str]) <= _HALF
    ):
        return None
    return _header_refusal(environ)


def _header_refusal(environ: dict[str, Any]) -> tuple[int, dict] | None:
    """Count and measure the headers one by one."""
    count = 0
    for key, value in environ.items():
        if key.startswith("HTTP_"):
            name_length = len(key) - 5
        elif key in _HEADER_KEYS_WITHOUT_PREFIX:
            name_length = len(key)
        else:
            continue
        count += 1
        # ": " between name and value. A header sent several times arrives joined by commas
        # (as HTTP allows): it counts once, with its joined length.
        if name_length + 2 + len(value) > MAX_HEADER_BYTES:
            return 431, {"max_header_bytes": MAX_HEADER_BYTES}
    if count > MAX_HEADERS:
        return 431, {"max_headers": MAX_HEADERS}
    return None


class RequestLimits:
    """WSGI middleware: refuse a request whose line or headers are too large, in JSON."""

    def __init__(self, wsgi_app: Callable, *, hsts: bool = False) -> None:
        self.wsgi_app = wsgi_app
        self.hsts = hsts

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        found = refusal(environ)
        if found is None:
            return self.wsgi_app(environ, start_response)
        status, details = found
        code, message = http_error(status)
        body = json.dumps(
            {"error": {"code": code, "message": message, "details": details}},
            ensure_ascii=False,
        ).encode()
        reason = "URI Too Long" if status == 414 else "Request Header Fields Too Large"
        headers = [
            ("Content-Type", "application/json"),
            ("Content-Length", str(len(body))),
            ("Content-Security-Policy", NOTHING_POLICY),
            ("X-Content-Type-Options", "nosniff"),
            ("Referrer-Policy", REFERRER_POLICY),
            ("Cache-Control", "no-store"),
        ]
        if self.hsts:
            headers.append(("Strict-Transport-Security", HSTS))
        start_response(f"{status} {reason}", headers)
        return [body]
