"""The ward miniapp on the web: resident, staff and merchant pages, with their assets."""

from flask import Flask, Response, request

from app.extensions import compress
from app.identity.service import MOCK_PATH
from app.registry import ModuleManifest
from web.views import bp

# What is compressed, and how: gzip for every browser, brotli where it is accepted (smaller).
# zstd is left out: not every phone browser in use here takes it.
COMPRESS_MIMETYPES = [
    "text/html",
    "text/css",
    "text/javascript",
    "application/javascript",
    "application/json",
    "image/svg+xml",
]


def init_app(app: Flask) -> None:
    """Compress pages, scripts, styles and API answers (gzip, brotli) for slow mobile networks.

    The app compresses rather than a proxy in front, so that every deployment (and `make run`)
    gets it; a proxy that compresses too sees Content-Encoding set and leaves the answer alone.
    """
    app.config.setdefault("COMPRESS_MIMETYPES", COMPRESS_MIMETYPES)
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    # Streamed answers (downloads) stay as they are: compressing a stream replaces its
    # iterable and leaves the file behind it unclosed. The web front's own files are sent
    # whole (web/views.py) and compressed.
    app.config.setdefault("COMPRESS_STREAMS", False)
    app.config.setdefault("COMPRESS_REGISTER", False)  # registered below, to run last
    compress.init_app(app)

    def compress_response(response: Response) -> Response:
        # The mock provider is reached in process by the sign-in's back channel
        # (app/identity/oidc.py), where no HTTP layer would decode a compressed answer.
        if request.path.startswith(MOCK_PATH):
            return response
        return compress.after_request(response)

    # After-request functions run last-registered first: put compression at the front of the
    # list so that it runs after every other one (the database commit among them) and
    # compresses the answer that is really sent, outside the request's transaction.
    app.after_request_funcs.setdefault(None, []).insert(0, compress_response)


manifest = ModuleManifest(name="web", blueprints=[bp], init_app=init_app)
