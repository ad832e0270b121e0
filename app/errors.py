"""One JSON error body for every failure, and the domain exceptions that map to it."""

import logging

from flask import Flask, jsonify, request
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)


class DomainError(Exception):
    """A business rule refused the request; subclasses choose the HTTP status."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, details: dict | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.details = details or {}
        if code:
            self.code = code


class ValidationFailed(DomainError):
    """The input is well-formed but breaks a rule."""

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
    415: ("unsupported_media_type", "Kiểu nội dung không được hỗ trợ; hãy gửi application/json."),
    422: ("validation_error", "Dữ liệu không hợp lệ."),
    429: ("rate_limited", "Quá nhiều yêu cầu; vui lòng thử lại sau."),
    500: ("internal_error", "Lỗi máy chủ. Vui lòng thử lại sau."),
}


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
    # flask-smorest / webargs put field errors under data["messages"].
    data = getattr(exc, "data", None) or {}
    if "messages" in data:
        messages = data["messages"]
        # webargs nests them by location ("json", "query"); one location is the common case.
        if isinstance(messages, dict) and len(messages) == 1:
            ((location, fields),) = messages.items()
            details = {"location": location, "fields": fields}
        else:
            details = {"fields": messages}
        message = "Dữ liệu không hợp lệ: " + ", ".join(_field_names(details.get("fields")))
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


def _field_names(fields) -> list[str]:
    if isinstance(fields, dict):
        return [str(k) for k in fields]
    return []


def _handle_unexpected(exc: Exception):
    if isinstance(exc, HTTPException):
        return _handle_http_exception(exc)
    # Log the type and place only: request bodies may carry personal data.
    log.exception("unhandled error on %s %s", request.method, request.path)
    code, message = _HTTP_MESSAGES[500]
    return error_response(500, code, message)


def init_app(app: Flask) -> None:
    """Register the JSON error handlers (after flask-smorest, so that ours win)."""
    app.register_error_handler(DomainError, _handle_domain_error)
    app.register_error_handler(HTTPException, _handle_http_exception)
    app.register_error_handler(Exception, _handle_unexpected)
