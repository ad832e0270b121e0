"""The headers every response carries: no MIME sniffing, no framing, a referrer policy, a
content policy, HSTS in production, and `no-store` on what is personal.

Pages that set their own Content-Security-Policy (web/views.py, which also says which device
features each page may use) keep it; everything else gets the strictest one that still works
for it: JSON, files and images need no script or style at all; the service's own small HTML
pages (sign-in problems, the mock provider) load styles only; the API documentation page runs
Swagger UI's inline start-up script.

The hook runs on every answer, the hot public reads included (the config read answers in
~60 µs in process; docs/decisions/0009): it reads the raw headers and the WSGI environ rather
than parsed properties, and adds the API's headers in one `extend`.
"""

from flask import Flask, Response, request

REFERRER_POLICY = "strict-origin-when-cross-origin"
# Nothing to run, style or frame: API answers, images, PDFs, CSV.
NOTHING_POLICY = "default-src 'none'; frame-ancestors 'none'"
# The service's plain HTML pages: same-origin styles (and the mock's inline one), no script.
HTML_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'none'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
# Swagger UI starts with an inline script that flask-smorest writes into its page.
DOCS_PATH = "/api/docs"
DOCS_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'"
)
# No page is meant to be framed: iHanoi opens the miniapp in a webview, not in a frame.
FRAME_OPTIONS = "DENY"
# Device features no page uses; a page of the web front that needs one says so itself
# (web/views.py: the staff console's QR scanner, the miniapp's report location).
PERMISSIONS_NONE = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)
HSTS = "max-age=31536000; includeSubDomains"
NO_STORE = "no-store"
# Whatever is under these paths is the caller's own data: never kept by any cache.
PERSONAL_PATH = "/api/v1/me"


def _is_personal(path: str) -> bool:
    """Tell whether a path is /api/v1/me or below it."""
    return path.startswith(PERSONAL_PATH) and (
        len(path) == len(PERSONAL_PATH) or path[len(PERSONAL_PATH)] == "/"
    )


def init_app(app: Flask) -> None:
    """Add the headers to every response that does not set them itself."""
    hsts = HSTS if app.config.get("HSTS_ENABLED") else None
    cookie_marker = app.config.get("SESSION_COOKIE_NAME", "session") + "="

    @app.after_request
    def _security_headers(response: Response) -> Response:
        headers = response.headers
        environ = request.environ
        if "Content-Security-Policy" in headers:  # a page of the web front (web/views.py)
            headers.setdefault("X-Content-Type-Options", "nosniff")
            headers.setdefault("Referrer-Policy", REFERRER_POLICY)
            headers.setdefault("X-Frame-Options", FRAME_OPTIONS)
            headers.setdefault("Permissions-Policy", PERMISSIONS_NONE)
        else:
            # Every other answer (most are API answers, on hot paths): one extend.
            # The raw header, not `response.mimetype`: parsing it costs more than this hook.
            if (response.content_type or "").startswith("text/html"):
                policy = DOCS_POLICY if environ.get("PATH_INFO") == DOCS_PATH else HTML_POLICY
                extra = [
                    ("Content-Security-Policy", policy),
                    ("Referrer-Policy", REFERRER_POLICY),
                    ("X-Frame-Options", FRAME_OPTIONS),
                    ("Permissions-Policy", PERMISSIONS_NONE),
                ]
            else:
                extra = [
                    ("Content-Security-Policy", NOTHING_POLICY),
                    ("Referrer-Policy", REFERRER_POLICY),
                    ("X-Frame-Options", FRAME_OPTIONS),
                ]
            if "X-Content-Type-Options" not in headers:
                extra.append(("X-Content-Type-Options", "nosniff"))
            headers.extend(extra)
        if hsts:
            headers["Strict-Transport-Security"] = hsts
        # A shared cache (a proxy, the webview's) must not keep an answer made for one person:
        # their own data always, and any answer to a request with credentials unless its view
        # chose a cache policy itself.
        credentials = "HTTP_AUTHORIZATION" in environ or cookie_marker in environ.get(
            "HTTP_COOKIE", ""
        )
        if _is_personal(environ.get("PATH_INFO", "")) or (
            credentials and "Cache-Control" not in headers
        ):
            headers["Cache-Control"] = NO_STORE
        return response
