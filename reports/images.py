"""Report photos: JPEG, PNG or WebP in; a clean JPEG out, with no metadata at all.

A phone photo carries the phone's GPS position, its make and often the owner's name in EXIF;
re-encoding from the pixels alone drops EXIF, XMP, ICC and anything appended after the image
data. The orientation is applied first, so the picture still stands the right way up. The
long side is brought down to MAX_SIDE: JPEGs are decoded at a reduced scale straight away
(`draft`), which is most of the time saved on a 12-megapixel phone photo.
"""

import hashlib
import io
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 10 * 1024 * 1024
MAX_PHOTOS = 5
MAX_SIDE = 1600
# Refused before decoding (a small file can claim a huge canvas: a decompression bomb).
MAX_PIXELS = 50_000_000
ACCEPTED = frozenset({"JPEG", "PNG", "WEBP"})
QUALITY = 82


class NotAnImage(ValueError):
    """The bytes are not a JPEG, PNG or WebP picture that can be decoded."""


class TooManyPixels(ValueError):
    """The picture claims more pixels than MAX_PIXELS."""


@dataclass(frozen=True)
class CleanPhoto:
    """A re-encoded photo ready to store."""

    data: bytes
    width: int
    height: int
    sha256: str
    mimetype: str = "image/jpeg"


def _target(size: tuple[int, int]) -> tuple[int, int]:
    width, height = size
    scale = min(1.0, MAX_SIDE / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def clean(raw: bytes) -> CleanPhoto:
    """Check and re-encode a photo; raise NotAnImage or TooManyPixels."""
    try:
        with Image.open(io.BytesIO(raw)) as image:
            if image.format not in ACCEPTED:
                raise NotAnImage(image.format)
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise TooManyPixels(f"{width}x{height}")
            if image.format == "JPEG":
                image.draft("RGB", _target(image.size))
            image.load()
            upright = ImageOps.exif_transpose(image)
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        if isinstance(exc, NotAnImage | TooManyPixels):
            raise
        raise NotAnImage(type(exc).__name__) from exc
    except Image.DecompressionBombError as exc:
        raise TooManyPixels(str(exc)) from exc
    if upright.mode in ("RGBA", "LA", "PA") or (
        upright.mode == "P" and "transparency" in upright.info
    ):
        rgba = upright.convert("RGBA")
        pixels = Image.new("RGB", rgba.size, (255, 255, 255))
        pixels.paste(rgba, mask=rgba.getchannel("A"))
    else:
        pixels = upright.convert("RGB")
    pixels.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    # A fresh image from the pixels alone: nothing of the upload's `info` can follow it.
    fresh = Image.new("RGB", pixels.size)
    fresh.paste(pixels)
    out = io.BytesIO()
    fresh.save(out, format="JPEG", quality=QUALITY, optimize=True)
    data = out.getvalue()
    return CleanPhoto(data, fresh.width, fresh.height, hashlib.sha256(data).hexdigest())
