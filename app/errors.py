"""One JSON error body for every failure, and the domain exceptions that map to it."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Self

import sqlalchemy as sa
from flask import Flask, Response, jsonify, request
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)


class DomainError(Exception):
    """A business rule refused the request; subclasses choose the HTTP status.

    A refusal about particular input fields says so with `on_field` / `on_fields`, which give
    the same body as a schema's errors: the message names the fields by their labels, and
    `details` holds `location`, `fields` and `errors[{field, label, message}]`.
    """

    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, details: dict | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.details = details or {}
        if code:
            self.code = code

    @classmethod
    def on_field(cls, field: str, label: str, message: str, *, location: str = "json") -> Self:
        """Return the error about one field: `field` dotted path, `label` for people."""
        return cls.on_fields([FieldError(field, label, message)], location=location)

    @classmethod
    def on_fields(
        cls, errors: Iterable[FieldError], *, location: str = "json", fields: Any = None
    ) -> Self:
        """Return the error about several fields, in the order given."""
        errors = list(errors)
        return cls(
            join_field_errors(errors),
            details=field_error_details(errors, location=location, fields=fields),
        )


@dataclass(frozen=True)
class FieldError:
    """One message about one input field.

    `field` is the dotted path for programs ("questions.0.text"); `label` names the field for
    people, list positions counted from 1 ("Câu hỏi 1 – Nội dung"); `message` is Vietnamese.
    """

    field: str
    label: str
    message: str

    def as_dict(self) -> dict[str, str]:
        """Return the entry of `details.errors`."""
        return {"field": self.field, "label": self.label, "message": self.message}

    def sentence(self) -> str:
        """Return "<label>: <message>", or the message alone when there is no label."""
        return f"{self.label}: {self.message}" if self.label else self.message


def join_field_errors(errors: Iterable[FieldError]) -> str:
    """Return the top-level message of a validation error: "Tiêu đề: …; Nội dung: …."."""
    sentences = [error.sentence().rstrip(" .") for error in errors]
    return "; ".join(sentences) + "." if sentences else ""


def field_error_details(
    errors: Iterable[FieldError], *, location: str = "json", fields: Any = None
) -> dict[str, Any]:
    """Return `details` of a validation error: `{location, fields, errors}`.

    `fields` is the nested structure marshmallow would give (list indexes as integer keys);
    when not given it is built from the dotted paths.
    """
    errors = list(errors)
    if fields is None:
        fields = {}
        for error in errors:
            _place(fields, [int(p) if p.isdigit() else p for p in error.field.split(".")], error)
        _keys_comparable(fields)
    return {
        "location": location,
        "fields": fields,
        "errors": [error.as_dict() for error in errors],
    }


def _place(fields: dict, parts: list, error: FieldError) -> None:
    """Put one message at its path in `fields`, merged as marshmallow merges errors.

    A field with messages of its own and about its parts ("hours" and "hours.0.end") keeps
    its own under "_schema" beside the parts' (marshmallow's `merge_errors`).
    """
    node = fields
    for part in parts[:-1]:
        child = node.get(part)
        if child is None:
            child = node[part] = {}
        elif isinstance(child, list):
            child = node[part] = {"_schema": child}
        node = child
    found = node.get(parts[-1])
    if isinstance(found, dict):
        found.setdefault("_schema", []).append(error.message)
    else:
        node.setdefault(parts[-1], []).append(error.message)


def _keys_comparable(fields: dict) -> None:
    """Name list positions with strings where "_schema" sits beside them (JSON sorts keys)."""
    stack = [fields]
    while stack:
        node = stack.pop()
        if "_schema" in node and any(isinstance(key, int) for key in node):
            for key in [key for key in node if isinstance(key, int)]:
                node[str(key)] = node.pop(key)
        stack.extend(value for value in node.values() if isinstance(value, dict))


class ValidationFailed(DomainError):
    """The input is well-formed but breaks a rule (`ValidationFailed.on_field` for one field)."""

    status = 422
    code = "validation_error"


class NotFound(DomainError):
    """The object does not exist, or the caller may not know that it does."""

    status = 404
    code = "not_found"


class Conflict(DomainError):
    """The request conflicts with the current state."""

    status = 409
    code = "conflict"


class Unauthorized(DomainError):
    """The caller is not signed in."""

    status = 401
    code = "unauthorized"


class Forbidden(DomainError):
    """The caller is signed in but may not do this."""

    status = 403
    code = "forbidden"


# Vietnamese messages for the HTTP errors that come from the framework rather than a rule.
_HTTP_MESSAGES = {
    400: ("bad_request", "Yêu cầu không hợp lệ."),
    401: ("unauthorized", "Bạn cần đăng nhập."),
    403: ("forbidden", "Bạn không có quyền thực hiện thao tác này."),
    404: ("not_found", "Không tìm thấy."),
    405: ("method_not_allowed", "Phương thức không được hỗ trợ cho địa chỉ này."),
    409: ("conflict", "Xung đột với trạng thái hiện tại."),
    413: ("payload_too_large", "Dữ liệu gửi lên quá lớn."),
    414: ("uri_too_long", "Địa chỉ yêu cầu quá dài."),
    415: ("unsupported_media_type", "Kiểu nội dung không được hỗ trợ; hãy gửi application/json."),
    422: ("validation_error", "Dữ liệu không hợp lệ."),
    429: ("rate_limited", "Quá nhiều yêu cầu; vui lòng thử lại sau."),
    431: (
        "request_header_fields_too_large",
        "Phần đầu (header) của yêu cầu quá lớn hoặc quá nhiều.",
    ),
    500: ("internal_error", "Lỗi máy chủ. Vui lòng thử lại sau."),
    503: (
        "service_unavailable",
        "Hệ thống tạm thời không truy cập được cơ sở dữ liệu; vui lòng thử lại sau ít giây.",
    ),
}

# Seconds a client should wait after a 503: a database restart or failover takes a few.
RETRY_AFTER_SECONDS = 5

# SQLite reports both a transient fault (a lock held past the busy timeout, a file it cannot
# open) and a mistake in the SQL as OperationalError: only the former is "unavailable".
_SQLITE_TRANSIENT = (
    "database is locked",
    "database table is locked",
    "unable to open database file",
    "disk i/o error",
)


def is_database_unavailable(exc: BaseException) -> bool:
    """Tell whether an exception means the database could not be reached or the connection broke.

    Such a failure says nothing about the request: the same request may succeed in a few
    seconds, so it answers 503 with Retry-After rather than 500. A broken statement, a
    constraint or a bug stays a 500.
    """
    if isinstance(exc, sa.exc.TimeoutError):  # no pooled connection became free in time
        return True
    if not isinstance(exc, sa.exc.DBAPIError):
        return False
    if exc.connection_invalidated or isinstance(exc, sa.exc.InterfaceError):
        return True
    if not isinstance(exc, sa.exc.OperationalError):
        return False
    if type(exc.orig).__module__.startswith("sqlite3"):
        text = str(exc.orig).lower()
        return any(fault in text for fault in _SQLITE_TRANSIENT)
    return is_transient_sqlstate(_sqlstate(exc.orig))


# PostgreSQL's SQLSTATEs worth a retry, by class (the first two characters): a connection
# refused or broken (08), resources short for now (53: disk full, out of memory, too many
# connections), an operator's intervention (57: shutdown, a server starting or in recovery, a
# statement cancelled by statement_timeout), a transaction rolled back (40: serialization
# failure, deadlock). A program limit exceeded (54) and the like would recur: a 500.
_TRANSIENT_SQLSTATE_CLASSES = frozenset({"08", "53", "57", "40"})
_TRANSIENT_SQLSTATES = frozenset({"55P03"})  # lock_not_available (lock_timeout, NOWAIT)


def _sqlstate(orig: BaseException | None) -> str | None:
    """Return the SQLSTATE of a driver's error (psycopg's `sqlstate`, psycopg2's `pgcode`)."""
    return getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None) or None


def is_transient_sqlstate(sqlstate: str | None) -> bool:
    """Tell whether a PostgreSQL OperationalError with this SQLSTATE is a fault to retry.

    No SQLSTATE at all: the server never answered (the connection was never made, or broke).
    """
    if not sqlstate:
        return True
    return sqlstate[:2] in _TRANSIENT_SQLSTATE_CLASSES or sqlstate in _TRANSIENT_SQLSTATES


def service_unavailable_response() -> Response:
    """Answer 503 with the contract's body and Retry-After."""
    code, message = _HTTP_MESSAGES[503]
    response = error_response(503, code, message)[0]
    response.status_code = 503
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def log_database_fault(exc: BaseException) -> None:
    """Log a database fault by its class and the request's method and path only.

    The driver's message is left out: besides the statement it can quote the values
    (PostgreSQL's "DETAIL: Key (…)=(…)"), which may be personal data or token hashes.
    """
    orig = getattr(exc, "orig", None) or exc
    log.warning(
        "database unavailable (%s.%s) on %s %s",
        type(orig).__module__,
        type(orig).__qualname__,
        request.method,
        request.path,
    )


def http_error(status: int) -> tuple[str, str]:
    """Return the code and Vietnamese message of an HTTP error status."""
    return _HTTP_MESSAGES[status]


def error_response(status: int, code: str, message: str, details: dict | None = None):
    """Build the contract's error body with its status."""
    body = {"error": {"code": code, "message": message, "details": details or {}}}
    return jsonify(body), status


def _handle_domain_error(exc: DomainError):
    return error_response(exc.status, exc.code, exc.message, exc.details)


def _handle_http_exception(exc: HTTPException):
    status = exc.code or 500
    code, message = _HTTP_MESSAGES.get(status, ("http_error", exc.description or ""))
    details: dict = {}
    # webargs aborts with the field errors under data["messages"], by location ("json",
    # "query"), and the schema that made them under data["schema"].
    data = getattr(exc, "data", None) or {}
    if "messages" in data:
        message, details = _schema_error_body(data["messages"], data.get("schema"))
    elif status == 400 and "JSON" in (exc.description or ""):
        code, message = "malformed_json", "Nội dung JSON không đọc được."
    elif data.get("message") and status not in (404, 405):
        message = str(data["message"])
    response, status = error_response(status, code, message, details)
    if status == 405 and hasattr(exc, "valid_methods") and exc.valid_methods:
        response.headers["Allow"] = ", ".join(exc.valid_methods)
    if status == 429:
        retry_after = getattr(exc, "retry_after", None)
        if retry_after:
            response.headers["Retry-After"] = str(retry_after)
    return response, status


def _schema_error_body(messages: Any, schema: Any) -> tuple[str, dict]:
    """Return the message and details of a schema's errors, in Vietnamese and by field label."""
    from app.validation import translate_errors  # app.validation builds on this module

    if isinstance(messages, dict) and len(messages) == 1:
        ((location, fields),) = messages.items()
        fields, errors = translate_errors(fields, schema)
        details = field_error_details(errors, location=location, fields=fields)
    else:  # several locations at once: not made by one @arguments, but keep them apart
        fields, errors = {}, []
        for location, located in (messages or {}).items():
            fields[location], found = translate_errors(located, schema)
            errors.extend(found)
        details = field_error_details(errors, location="", fields=fields)
        del details["location"]
    return join_field_errors(errors) or _HTTP_MESSAGES[422][1], details


def database_error_response(exc: BaseException) -> Response:
    """Answer a failure of the database: 503 for a fault (retry later), else 500; log either
    without the driver's text.

    The error's class and its stack's frames are logged, never a message: a driver's message
    can quote the statement's values (PostgreSQL's "DETAIL: Key (…)=(…)"; hide_parameters
    only hides SQLAlchemy's own part), and SQLAlchemy's own errors repeat it
    (PendingRollbackError's "Original exception was: …").
    """
    if is_database_unavailable(exc):
        log_database_fault(exc)
        return service_unavailable_response()
    orig = getattr(exc, "orig", None) or exc
    log.error(
        "database error (%s.%s) on %s %s\n%s",
        type(orig).__module__,
        type(orig).__qualname__,
        request.method,
        request.path,
        _frames_only(exc),
    )
    return _internal_error()


def is_database_error(exc: BaseException) -> bool:
    """Tell whether an exception is SQLAlchemy's or a database driver's (its text may quote
    values)."""
    if isinstance(exc, sa.exc.SQLAlchemyError):
        return True
    return type(exc).__module__.split(".")[0] in ("psycopg", "psycopg2", "sqlite3")


def _chain(exc: BaseException) -> list[BaseException]:
    """Return the exception and those it was raised from or during, outermost first."""
    found: list[BaseException] = []
    while exc is not None and exc not in found:
        found.append(exc)
        exc = exc.__cause__ or (None if exc.__suppress_context__ else exc.__context__)
    return found


def _frames_only(exc: BaseException) -> str:
    """Return the stack of an exception and of those it was chained to: each one's class and
    frames (traceback.format_tb), never a message."""
    parts = []
    for position, link in enumerate(_chain(exc)):
        name = f"{type(link).__module__}.{type(link).__qualname__}"
        heading = name if position == 0 else f"raised while handling {name}"
        frames = "".join(traceback.format_tb(link.__traceback__)).rstrip()
        parts.append(f"{heading}\n{frames}" if frames else heading)
    return "\n".join(parts)


def _internal_error() -> Response:
    code, message = _HTTP_MESSAGES[500]
    response = error_response(500, code, message)[0]
    response.status_code = 500
    return response


def _handle_unexpected(exc: Exception):
    if isinstance(exc, HTTPException):
        return _handle_http_exception(exc)
    if isinstance(exc, sa.exc.SQLAlchemyError):
        return database_error_response(exc)
    if any(is_database_error(link) for link in _chain(exc)):
        # Raised from or while handling a database error: its text would print in the chain.
        log.error(
            "unhandled error (%s.%s) on %s %s\n%s",
            type(exc).__module__,
            type(exc).__qualname__,
            request.method,
            request.path,
            _frames_only(exc),
        )
        return _internal_error()
    # Log the type and place only: request bodies may carry personal data.
    log.exception("unhandled error on %s %s", request.method, request.path)
    return _internal_error()


def init_app(app: Flask) -> None:
    """Register the JSON error handlers (after flask-smorest, so that ours win)."""
    app.register_error_handler(DomainError, _handle_domain_error)
    app.register_error_handler(HTTPException, _handle_http_exception)
    app.register_error_handler(Exception, _handle_unexpected)
