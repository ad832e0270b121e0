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
# No inline script or style, nothing from another origin.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data: blob:; object-src 'none'; base-uri 'none'; "
    "form-action 'self'"
)

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


def _page(name: str) -> Response:
    """Return one of the HTML pages with the security headers of the web front."""
    response = _buffered(send_from_directory(STATIC_DIR, name, max_age=PAGE_MAX_AGE))
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    response.headers["X-Content-Type-Options"] = "nosniff"
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
        return _page("staff.html")
    return _page("ward.html")


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
