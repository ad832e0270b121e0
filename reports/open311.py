"""Open311 GeoReport v2 at /open311/v2/, in JSON and XML: field reports for third-party clients.

A client that knows GeoReport v2 and nothing of this project reads and writes here:
- `jurisdiction_id` is a ward's code or slug; a `service` is one of its report categories
  (`service_code` = the category's code); a `request` is a report, `open` or `closed`.
- `status_notes` is the latest public note of the report's history; `expected_datetime` its
  due time; `description` the public text (the placeholder when moderation hid it). The
  reporter is never part of an answer, not even `account_id`.
- `POST requests` is form-encoded; its `api_key` is the reporting resident's bearer token
  (`POST /api/v1/auth/tokens`). A session cookie is not accepted here: this path has no CSRF
  check (app/identity/auth.py applies it to /api/ only), so a browser's cookie must not be
  enough to post in someone's name.
- `GET requests` without `service_request_id` covers the specification's default window: the
  last 90 days (a given range may not span more), newest first, at most 1000 requests — one
  keyset page of the ward's board.
- Errors are GeoReport's `[{code, description}]` (`<errors><error>…`) with the HTTP status as
  `code` and a Vietnamese description, in the format asked for.

Not in the OpenAPI document: its paths are the API's own (/api/v1/…, checked by
tests/app/test_health.py) and GeoReport v2 is specified elsewhere; the README lists the
endpoints. A plain blueprint, then, with `Idempotency-Key` honoured by `_idempotent_post`.
"""

import logging
from datetime import datetime, timedelta

from flask import Blueprint, Response, current_app, request, url_for
from werkzeug.exceptions import HTTPException

from app.database import MAX_ID, utcnow
from app.errors import DomainError, ValidationFailed
from app.extensions import db, limiter
from app.fields import LOCAL_TZ, MAX_TIME, MIN_TIME, local_isoformat
from app.idempotency import service as idempotency
from app.identity import service as identity
from app.identity.models import User
from app.validation import translate_errors
from app.wards import service as wards
from app.wards.models import Ward
from reports import open311_xml, service
from reports.models import Report, shown_description
from reports.schemas import ReportCreateSchema

log = logging.getLogger(__name__)

bp = Blueprint("open311", __name__, url_prefix="/open311/v2")

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# When this interface last changed (GeoReport's `changeset`): bump it with the interface.
CHANGESET = "2026-12-01T00:00:00+07:00"
CONTENT_TYPES = {"json": "application/json", "xml": "text/xml; charset=utf-8"}
FORMATS = ["text/xml", "application/json"]

WINDOW = timedelta(days=90)  # the specification's default span, and the longest one asked
MAX_REQUESTS = 1000  # the specification's default limit
MAX_IDS = MAX_REQUESTS


class Open311Error(DomainError):
    """A GeoReport v2 error: `status` is the HTTP status and the error's `code`."""

    def __init__(self, status: int, description: str):
        super().__init__(description)
        self.status = status


# Rendering


def _format(fmt: str) -> str:
    """Return the format of a path's extension, or raise 404 for one GeoReport does not know."""
    if fmt not in CONTENT_TYPES:
        raise Open311Error(404, f"Định dạng «{fmt}» không được hỗ trợ; hãy dùng .json hoặc .xml.")
    return fmt


def _render(fmt: str, data, *, root: str, status: int = 200) -> Response:
    """Answer `data` as JSON, or as XML under the element `root`."""
    body = open311_xml.document(root, data) if fmt == "xml" else current_app.json.dumps(data)
    response = Response(body, status=status, content_type=CONTENT_TYPES[fmt])
    response.headers["X-Content-Type-Options"] = "nosniff"  # residents' text, never as HTML
    return response


def _errors(status: int, description: str) -> Response:
    """Answer a GeoReport error in the request's format (JSON when the format is unknown)."""
    fmt = (request.view_args or {}).get("fmt")
    fmt = fmt if fmt in CONTENT_TYPES else "json"
    return _render(
        fmt, [{"code": status, "description": description}], root="errors", status=status
    )


@bp.errorhandler(Open311Error)
def _open311_error(exc: Open311Error):
    return _errors(exc.status, exc.message)


@bp.errorhandler(DomainError)
def _domain_error(exc: DomainError):
    # A rule of the service refused the input: GeoReport knows 400, not 422.
    status = 400 if exc.status == 422 else exc.status
    if isinstance(exc, idempotency.IdempotencyKeyReused):
        status = 422  # the contract's answer to one key sent with two bodies
    return _errors(status, exc.message)


# Vietnamese descriptions of the HTTP errors that come from the framework rather than a rule.
_HTTP_DESCRIPTIONS = {
    400: "Yêu cầu không hợp lệ.",
    404: "Không tìm thấy.",
    405: "Phương thức không được hỗ trợ cho địa chỉ này.",
    413: "Dữ liệu gửi lên quá lớn.",
    429: "Quá nhiều yêu cầu; vui lòng thử lại sau.",
    500: "Lỗi máy chủ. Vui lòng thử lại sau.",
}


@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException):
    status = exc.code or 500
    response = _errors(status, _HTTP_DESCRIPTIONS.get(status, "Yêu cầu không hợp lệ."))
    retry_after = getattr(exc, "retry_after", None)
    if status == 429 and retry_after:
        response.headers["Retry-After"] = str(retry_after)
    return response


@bp.errorhandler(Exception)
def _unexpected(exc: Exception):
    # Log the type and place only: request bodies may carry personal data.
    log.exception("unhandled error on %s %s", request.method, request.path)
    return _errors(500, _HTTP_DESCRIPTIONS[500])


# Reading the query


def _jurisdiction(*, required: bool = True) -> Ward | None:
    """Return the ward named by `jurisdiction_id` (its code or slug)."""
    value = (request.values.get("jurisdiction_id") or "").strip()
    if not value:
        if required:
            raise Open311Error(400, "Thiếu jurisdiction_id (mã hoặc tên không dấu của phường, xã).")
        return None
    try:
        return wards.get(value)
    except DomainError:
        raise Open311Error(404, f"Không tìm thấy phường, xã «{value}» (jurisdiction_id).") from None


def _listed(name: str) -> list[str]:
    """Return a parameter's values: repeated, comma-delimited, or both (GeoReport allows each)."""
    values = []
    for raw in request.args.getlist(name):
        values += [v.strip() for v in raw.split(",") if v.strip()]
    return values


def _time(name: str) -> datetime | None:
    """Return an ISO 8601 time parameter (without an offset: Hà Nội's time), or refuse it."""
    raw = (request.args.get(name) or "").strip()
    if not raw:
        return None
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        value = None
    if value is not None and value.tzinfo is None:
        value = value.replace(tzinfo=LOCAL_TZ)
    if value is None or not MIN_TIME <= value <= MAX_TIME:
        raise Open311Error(
            400, f"{name} phải là thời điểm ISO 8601, ví dụ 2026-07-01T08:00:00+07:00."
        )
    return value


def _ids() -> tuple[int, ...]:
    ids = []
    for raw in _listed("service_request_id"):
        if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= MAX_ID:
            raise Open311Error(400, f"service_request_id «{raw}» không phải là mã phản ánh.")
        ids.append(int(raw))
    if len(ids) > MAX_IDS:
        raise Open311Error(400, f"Tối đa {MAX_IDS} service_request_id mỗi lần.")
    return tuple(dict.fromkeys(ids))


def _board_filters(now: datetime) -> tuple[service.BoardFilters, int]:
    """Return the board's filters and page size for GET requests' parameters."""
    ids = _ids()
    if ids:
        # GeoReport: with service_request_id, every other parameter but jurisdiction_id is ignored.
        return service.BoardFilters(ids=ids), len(ids)
    statuses = set(_listed("status"))
    if not statuses <= {"open", "closed"}:
        raise Open311Error(400, "status phải là open hoặc closed.")
    codes = _listed("service_code")
    if len(codes) > 1:
        raise Open311Error(400, "Mỗi lần chỉ lọc theo một service_code.")
    start, end = _time("start_date"), _time("end_date")
    if start is not None and end is not None and end < start:
        raise Open311Error(400, "end_date phải sau start_date.")
    if start is not None and end is not None and end - start > WINDOW:
        raise Open311Error(400, "Khoảng start_date–end_date không được quá 90 ngày.")
    if start is None:
        start = (end or now) - WINDOW
    if end is None and start + WINDOW < now:
        end = start + WINDOW
    filters = service.BoardFilters(
        status=statuses.pop() if len(statuses) == 1 else None,
        category=codes[0] if codes else None,
        created_from=start,
        # end_date is the latest time to include; the board's bound is exclusive.
        created_to=end + timedelta(microseconds=1) if end is not None else None,
    )
    return filters, MAX_REQUESTS


# Presenting


def _agency(ward: Ward) -> str:
    return f"UBND {ward.name}"


def _notice(deadline_days: int) -> str:
    return f"Thời hạn giải quyết: {deadline_days} ngày làm việc."


def _request_out(report: Report, *, ward: Ward, note: str) -> dict:
    """Show a report as a GeoReport service request, as the public sees it."""
    photo = next((p for p in report.photos if not p.hidden), None)
    return {
        "service_request_id": report.id,
        "status": "open" if report.is_open else "closed",
        "status_notes": note,
        "service_name": report.category.name,
        "service_code": report.category.code,
        "description": shown_description(report, sees_hidden=False),  # the public's view
        "agency_responsible": _agency(ward),
        "service_notice": _notice(report.category.deadline_days),
        "requested_datetime": local_isoformat(report.created_at),
        "updated_datetime": local_isoformat(report.updated_at),
        "expected_datetime": local_isoformat(report.due_at),
        "address": report.address or "",
        "address_id": "",
        "zipcode": "",
        "lat": report.lat,
        "long": report.long,
        "media_url": (
            url_for("reports.get_photo", report_id=report.id, photo_id=photo.id, _external=True)
            if photo is not None
            else ""
        ),
    }


# Endpoints


@bp.get("/discovery.<fmt>")
def discovery(fmt):
    """Describe this GeoReport v2 endpoint: where it is, its formats, how to get an api_key."""
    fmt = _format(fmt)
    production = current_app.config["APP_ENV"] == "production"
    base = request.url_root.rstrip("/") + bp.url_prefix
    data = {
        "changeset": CHANGESET,
        "contact": "Phường Xã Số — phản ánh hiện trường của các phường, xã Hà Nội.",
        "key_service": (
            "Đăng nhập VNeID, gọi POST "
            f"{request.url_root.rstrip('/')}/api/v1/auth/tokens và dùng access_token làm api_key."
        ),
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": base,
                "changeset": CHANGESET,
                "type": "production" if production else "test",
                "formats": FORMATS,
            }
        ],
    }
    return _render(fmt, data, root="discovery")


@bp.get("/services.<fmt>")
def list_services(fmt):
    """List a ward's report categories as GeoReport services."""
    fmt = _format(fmt)
    ward = _jurisdiction()
    data = [
        {
            "service_code": c.code,
            "service_name": c.name,
            "description": c.description,
            "metadata": False,
            "type": "realtime",
            "keywords": "",
            "group": c.group,
        }
        for c in service.list_categories(ward_code=ward.code)
    ]
    return _render(fmt, data, root="services")


@bp.get("/services/<service_code>.<fmt>")
def get_service(service_code, fmt):
    """Define a ward's service: no attributes beyond the standard fields."""
    fmt = _format(fmt)
    ward = _jurisdiction()
    if not any(c.code == service_code for c in service.list_categories(ward_code=ward.code)):
        raise Open311Error(404, f"Phường, xã này không có service_code «{service_code}».")
    data = {"service_code": service_code, "attributes": []}
    return _render(fmt, data, root="service_definition")


@bp.get("/requests.<fmt>")
def list_requests(fmt):
    """List a ward's service requests, newest first: the last 90 days, at most 1000."""
    fmt = _format(fmt)
    ward = _jurisdiction()
    now = utcnow()
    filters, limit = _board_filters(now)
    reports = service.list_board(ward_code=ward.code, filters=filters, limit=limit, now=now)
    reports = reports[:limit]
    notes = service.latest_notes(reports)
    data = [_request_out(r, ward=ward, note=notes.get(r.id, "")) for r in reports]
    return _render(fmt, data, root="service_requests")


@bp.get("/requests/<int:request_id>.<fmt>")
def get_request(request_id, fmt):
    """Get one service request, as a one-element list (GeoReport's shape)."""
    fmt = _format(fmt)
    ward = _jurisdiction(required=False)
    try:
        report = service.get(request_id)
    except DomainError:
        report = None
    if report is None or (ward is not None and report.ward_code != ward.code):
        raise Open311Error(404, f"Không tìm thấy phản ánh số {request_id}.")
    ward = ward or wards.get(report.ward_code)
    note = report.history[-1].note if report.history else ""
    return _render(fmt, [_request_out(report, ward=ward, note=note)], root="service_requests")


# Posting a request


_RESIDENT_KEY = "pxs.open311.resident"


def _resident() -> User:
    """Return the resident whose bearer token is the form's `api_key` (401 none, 403 invalid).

    The token is checked by the identity service's one definition of a valid bearer token
    (`caller_select`), the same query `auth.current_user()` runs for an Authorization header.
    """
    if _RESIDENT_KEY in request.environ:
        return request.environ[_RESIDENT_KEY]
    raw = (request.form.get("api_key") or "").strip()
    if not raw:
        raise Open311Error(401, "Thiếu api_key (mã truy cập của người phản ánh).")
    credential = identity.Credential.bearer(raw, utcnow())
    user = db.session.scalar(identity.caller_select(credential.kind, User), credential.params)
    if user is None:
        raise Open311Error(403, "api_key không hợp lệ hoặc đã hết hạn.")
    request.environ[_RESIDENT_KEY] = user
    return user


def _account_key() -> str:
    """Count the posting limit per resident (per address when the api_key is not valid)."""
    try:
        return f"user:{_resident().id}"
    except Open311Error:
        return f"addr:{request.remote_addr or '127.0.0.1'}"


# GeoReport's parameter for each field of the API's report form.
_FORM_FIELDS = {
    "jurisdiction_id": "ward",
    "service_code": "category",
    "description": "description",
    "lat": "lat",
    "long": "long",
    "address_string": "address",
}
_PARAMETERS = {field: name for name, field in _FORM_FIELDS.items()}


def _report_form() -> dict:
    """Read the form as the API's report, checked by its schema; errors name GeoReport's fields.

    Other GeoReport parameters (email, names, phone, device_id, media_url …) are ignored, not
    refused: standard clients send them, and no personal detail is kept but the account.
    """
    if request.mimetype not in ("application/x-www-form-urlencoded", "multipart/form-data"):
        raise Open311Error(400, "Hãy gửi biểu mẫu application/x-www-form-urlencoded.")
    raw = {field: request.form.get(name) for name, field in _FORM_FIELDS.items()}
    raw = {field: value for field, value in raw.items() if value is not None}
    if any("\x00" in value for value in raw.values()):
        raise Open311Error(400, "Dữ liệu không được chứa ký tự NUL.")
    schema = ReportCreateSchema()
    errors = schema.validate(raw)
    if errors:
        _, found = translate_errors(errors, schema)
        description = "; ".join(
            f"{_PARAMETERS.get(e.field, e.field)}: {e.message.rstrip(' .')}" for e in found
        )
        raise Open311Error(400, description + ".")
    return schema.load(raw)


def _created(fmt: str, status: int, body: dict, *, replayed: bool = False) -> Response:
    response = _render(fmt, body["service_requests"], root="service_requests", status=status)
    if replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return response


def _idempotent_post(fmt: str, user: User, create) -> Response:
    """Run `create()` once per `Idempotency-Key` (if sent), replaying its answer on a retry.

    `app.idempotency.idempotent_create` fits flask-smorest views that answer JSON and whose
    caller comes in a header; here the caller is in the form and the answer may be XML. So
    this stores the answer's data and renders it again in the format of the retry's path,
    with the same records (`claim`, `replay`, `settle`). The fingerprint leaves `api_key`
    out: a retry with a renewed token is the same request.
    """
    raw_key = request.headers.get(idempotency.HEADER)
    if raw_key is None:
        return _created(fmt, 201, create())
    form = {k: v for k, v in request.form.to_dict(flat=False).items() if k != "api_key"}
    key = idempotency.key_for(raw_key, method="POST", path=request.path, body=form)
    now = utcnow()
    if not idempotency.claim(user_id=user.id, key=key, now=now):
        replayed = idempotency.replay(user=user, key=key, now=now)
        if replayed is None:  # the first request's record expired between two steps
            raise Open311Error(409, "Yêu cầu đang được xử lý; vui lòng thử lại.")
        return _created(fmt, replayed.status, replayed.body, replayed=True)
    body = create()
    idempotency.settle(user_id=user.id, key=key, status=201, body=body)
    return _created(fmt, 201, body)


@bp.post("/requests.<fmt>")
@limiter.limit("30/hour", key=_account_key)
def create_request(fmt):
    """Create a service request (a field report) in a resident's name, given by `api_key`."""
    fmt = _format(fmt)
    user = _resident()
    args = _report_form()
    ward = _jurisdiction()
    if not any(c.code == args["category"] for c in service.list_categories(ward_code=ward.code)):
        raise Open311Error(404, f"Phường, xã này không nhận service_code «{args['category']}».")

    def create() -> dict:
        try:
            report = service.create_report(
                reporter=user,
                ward_code=ward.code,
                category_code=args["category"],
                description=args["description"],
                lat=args["lat"],
                long=args["long"],
                address=args["address"] or None,
            )
        except ValidationFailed as exc:
            raise Open311Error(400, exc.message) from None
        request_out = {
            "service_request_id": report.id,
            "service_notice": _notice(report.category.deadline_days),
        }
        return {"service_requests": [request_out]}

    return _idempotent_post(fmt, user, create)
