"""Serve the web front: the landing page, a ward's miniapp shell, its staff console, its hall
display, a department's console, assets.

The pages are static files (no build step, no template rendering): the JavaScript reads the
ward from the address and asks the public API for everything else. The server only checks that
the ward exists, so that a mistyped address answers 404 rather than an empty shell.
"""

from pathlib import Path

from flask import Blueprint, Response, send_from_directory

from app.departments import service as departments
from app.errors import NotFound
from app.wards import service as wards

# The pages and their assets ship inside this package (package data in pyproject.toml).
STATIC_DIR = Path(__file__).resolve().parent / "static"
# Pages change with each deploy and carry no version in their name: let clients revalidate.
PAGE_MAX_AGE = 0
ASSET_MAX_AGE = 300
# No inline script or style, nothing from another origin, and no framing: iHanoi opens the
# miniapp in a webview of its own, never in a frame, and a framed staff console could be
# clickjacked.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data: blob:; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
# The device features each page may use, and only from this origin: the staff console reads
# booking QR codes with the camera; the miniapp's report form asks for the location.
_NO_FEATURES = "accelerometer=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()"
PERMISSIONS_POLICY = f"camera=(), geolocation=(), {_NO_FEATURES}"
STAFF_PERMISSIONS_POLICY = f"camera=(self), geolocation=(), {_NO_FEATURES}"
WARD_PERMISSIONS_POLICY = f"camera=(), geolocation=(self), {_NO_FEATURES}"

bp = Blueprint("web", __name__)

NOT_FOUND_PAGE = """<!doctype html>
<html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Không tìm thấy – Phường Xã Số</title><link rel="stylesheet" href="/static/app.css">
</head><body><main class="page"><h1>Không tìm thấy phường, xã này</h1>
<p><a href="/">Về danh sách 126 phường, xã của Hà Nội</a></p></main></body></html>
"""

DEPARTMENT_NOT_FOUND_PAGE = """<!doctype html>
<html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Không tìm thấy – Phường Xã Số</title><link rel="stylesheet" href="/static/app.css">
</head><body><main class="page"><h1>Không tìm thấy sở, ban, ngành này</h1>
<p><a href="/">Về danh sách 126 phường, xã của Hà Nội</a></p></main></body></html>
"""


def _buffered(response: Response) -> Response:
    """Hold a sent file's bytes in the answer instead of streaming the file.

    The files are small (the largest is a few kB), and an answer held whole is compressed
    whole by flask-compress (web/__init__.py), with its ETag and 304 intact; a streamed one
    would not be compressed. The file is still closed when the answer is.
    """
    if response.status_code == 200 and response.is_streamed:
        response.direct_passthrough = False
        response.make_sequence()
    return response


def _page(name: str, permissions: str = PERMISSIONS_POLICY) -> Response:
    """Return one of the HTML pages with the security headers of the web front."""
    response = _buffered(send_from_directory(STATIC_DIR, name, max_age=PAGE_MAX_AGE))
    headers = response.headers
    headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    headers["X-Content-Type-Options"] = "nosniff"
    headers["X-Frame-Options"] = "DENY"
    headers["Permissions-Policy"] = permissions
    return response


@bp.get("/")
def landing():
    """Serve the landing page: the 126 wards and communes with a search box."""
    return _page("index.html")


@bp.get("/city")
def city_console():
    """Serve the city console: the 126 units' indicators for city admins (the script checks)."""
    return _page("city.html")


@bp.get("/w/<ward>/queue")
def queue_display(ward: str):
    """Serve a ward's hall display: the numbers called at its counters, refreshed by the script."""
    try:
        wards.get(ward)
    except NotFound:
        return Response(NOT_FOUND_PAGE, status=404, mimetype="text/html")
    return _page("queue.html")


@bp.get("/w/<ward>")
@bp.get("/w/<ward>/<path:rest>")
def ward_page(ward: str, rest: str = ""):
    """Serve a ward's miniapp shell (or its staff console); the script routes sub-pages."""
    try:
        wards.get(ward)
    except NotFound:
        return Response(NOT_FOUND_PAGE, status=404, mimetype="text/html")
    if rest == "staff" or rest.startswith("staff/"):
        return _page("staff.html", STAFF_PERMISSIONS_POLICY)
    return _page("ward.html", WARD_PERMISSIONS_POLICY)


@bp.get("/d/<dept>")
def department_console(dept: str):
    """Serve a department's console: its miniapp config and notices to the wards (staff)."""
    try:
        departments.get(dept)
    except NotFound:
        return Response(DEPARTMENT_NOT_FOUND_PAGE, status=404, mimetype="text/html")
    return _page("department.html")


@bp.get("/static/<path:filename>")
def asset(filename: str):
    """Serve a file of the web front."""
    response = _buffered(send_from_directory(STATIC_DIR, filename, max_age=ASSET_MAX_AGE))
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
