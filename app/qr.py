"""QR code images: deterministic PNG and SVG of a payload, cached by content.

The one QR writer: payment codes (miniapps/market), invite codes (community/groups), booking
tickets (appointments) all draw here.

The same payload and scale always give the same bytes, so the cache key is the content itself
and can never serve a stale image (`app.cache`); the ETag is derived from that key, which lets
a revalidation answer 304 without drawing anything.
"""

import hashlib
import io

import qrcode
from PIL import Image
from qrcode.constants import ERROR_CORRECT_M

from app.cache import cached

# Bump when the drawing changes, so that ETags of older images stop matching.
RENDER_VERSION = "1"
BORDER = 4  # the quiet zone the QR standard requires, in modules
DEFAULT_SCALE = 8
MIN_SCALE = 2
MAX_SCALE = 20
CACHE_SIZE = 512


@cached("qr.matrix", size=CACHE_SIZE)
def matrix(payload: str) -> tuple[tuple[bool, ...], ...]:
    """Return the QR modules of the payload (error correction M), quiet zone included."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=1, border=BORDER)
    code.add_data(payload)
    code.make(fit=True)
    return tuple(tuple(row) for row in code.get_matrix())


def etag(payload: str, *, kind: str, scale: int) -> str:
    """Return the strong ETag of an image (a hash of what determines its bytes)."""
    key = f"{RENDER_VERSION}|{kind}|{scale}|{payload}".encode()
    return hashlib.sha256(key).hexdigest()[:32]


@cached("qr.png", size=CACHE_SIZE)
def png(payload: str, scale: int = DEFAULT_SCALE) -> bytes:
    """Draw the payload as a black-and-white PNG, `scale` pixels per module."""
    modules = matrix(payload)
    size = len(modules)
    pixels = bytes(0 if dark else 255 for row in modules for dark in row)
    image = Image.frombytes("L", (size, size), pixels)
    image = image.resize((size * scale, size * scale), Image.Resampling.NEAREST)
    out = io.BytesIO()
    image.convert("1", dither=Image.Dither.NONE).save(out, format="PNG")
    return out.getvalue()


@cached("qr.svg", size=CACHE_SIZE)
def svg(payload: str, scale: int = DEFAULT_SCALE) -> bytes:
    """Draw the payload as an SVG: one path of dark runs on a white square."""
    modules = matrix(payload)
    size = len(modules)
    runs = []
    for y, row in enumerate(modules):
        x = 0
        while x < size:
            if not row[x]:
                x += 1
                continue
            start = x
            while x < size and row[x]:
                x += 1
            runs.append(f"M{start} {y}h{x - start}v1h-{x - start}z")
    pixels = size * scale
    text = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{pixels}" height="{pixels}" '
        f'viewBox="0 0 {size} {size}" shape-rendering="crispEdges">'
        f'<rect width="{size}" height="{size}" fill="#fff"/>'
        f'<path fill="#000" d="{"".join(runs)}"/></svg>\n'
    )
    return text.encode("ascii")
