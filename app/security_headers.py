"""The headers every response carries: no MIME sniffing, a referrer policy, a content policy.

Pages that set their own Content-Security-Policy (web/views.py) keep it; everything else gets
the strictest one that still works for it: JSON, files and images need no script or style at
all; the service's own small HTML pages (sign-in problems, the mock provider) load styles only;
the API documentation page runs Swagger UI's inline start-up script.
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


def _policy(response: Response) -> str:
    # The raw header, not `response.mimetype`: parsing it costs more than the rest of this hook.
    if not (response.content_type or "").startswith("text/html"):
        return NOTHING_POLICY
    return DOCS_POLICY if request.path == DOCS_PATH else HTML_POLICY


def init_app(app: Flask) -> None:
    """Add the headers to every response that does not set them itself."""

    @app.after_request
    def _security_headers(response: Response) -> Response:
        headers = response.headers
        if "Content-Security-Policy" in headers:  # a page of the web front (web/views.py)
            headers.setdefault("X-Content-Type-Options", "nosniff")
            headers.setdefault("Referrer-Policy", REFERRER_POLICY)
            return response
        # Every other answer (most are API answers, on hot paths): one extend, not three sets.
        extra = [
            ("Referrer-Policy", REFERRER_POLICY),
            ("Content-Security-Policy", _policy(response)),
        ]
        if "X-Content-Type-Options" not in headers:
            extra.append(("X-Content-Type-Options", "nosniff"))
        headers.extend(extra)
        return response
