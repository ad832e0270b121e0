"""Compressed answers (brotli, gzip) for slow mobile networks: pages, scripts, styles, JSON.

The app compresses rather than a proxy in front, so that every deployment (and `make run`)
gets it; a proxy that compresses too sees Content-Encoding set and leaves the answer alone.
"""

from flask import Flask

from app.extensions import compress

# What is compressed, and how: brotli where it is accepted (smaller), else gzip. zstd is left
# out: not every phone browser in use here takes it.
COMPRESS_MIMETYPES = [
    "text/html",
    "text/css",
    "text/javascript",
    "application/javascript",
    "application/json",
    "image/svg+xml",
]


def init_app(app: Flask) -> None:
    """Register compression; call it before anything else registers an after-request hook.

    After-request hooks run last-registered first, so registering compression first makes it
    run last: it compresses the answer that is really sent, after the database commit (which
    may still turn a success into a 409).
    """
    app.config.setdefault("COMPRESS_MIMETYPES", COMPRESS_MIMETYPES)
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    # Streamed answers (downloads) stay as they are: compressing a stream replaces its
    # iterable and leaves the file behind it unclosed. The web front's own files are sent
    # whole (web/views.py) and compressed.
    app.config.setdefault("COMPRESS_STREAMS", False)
    compress.init_app(app)
