"""Image attachments: accept JPEG, PNG or WebP; re-encode with Pillow, keeping no metadata.

Re-encoding from the pixels alone drops EXIF (GPS position, camera, owner), ICC and XMP data and
anything smuggled after the image data; the orientation is applied first so that the picture
still stands the right way up. Large pictures are scaled down to MAX_SIDE.
"""

import io
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from app.errors import ValidationFailed

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000  # refuse decompression bombs before decoding
MAX_SIDE = 2048
ACCEPTED = {"JPEG", "PNG", "WEBP"}


@dataclass(frozen=True)
class CleanImage:
    """A re-encoded image ready to store."""

    data: bytes
    mimetype: str
    width: int
    height: int


def _refuse(message: str, reason: str) -> ValidationFailed:
    return ValidationFailed(message, details={"fields": {"file": [reason]}}, code="invalid_image")


def clean(raw: bytes) -> CleanImage:
    """Check and re-encode an uploaded image, or raise ValidationFailed."""
    if len(raw) > MAX_BYTES:
        raise _refuse("Ảnh quá lớn (tối đa 5 MB).", "too large")
    try:
        with Image.open(io.BytesIO(raw)) as probe:
            kind = probe.format
            width, height = probe.size
        if kind not in ACCEPTED:
            raise _refuse("Chỉ nhận ảnh JPEG, PNG hoặc WebP.", "unsupported type")
        if width * height > MAX_PIXELS:
            raise _refuse("Ảnh có quá nhiều điểm ảnh.", "too many pixels")
        with Image.open(io.BytesIO(raw)) as image:
            image.load()
            image = ImageOps.exif_transpose(image)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise _refuse("Tệp không phải là ảnh hợp lệ.", "not an image") from exc
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )
    # A fresh image from the pixels alone: no EXIF, ICC, XMP or trailing bytes survive.
    pixels = image.convert("RGBA" if has_alpha else "RGB")
    pixels.thumbnail((MAX_SIDE, MAX_SIDE))
    fresh = Image.new(pixels.mode, pixels.size)
    fresh.paste(pixels)
    out = io.BytesIO()
    if has_alpha:
        fresh.save(out, format="PNG", optimize=True)
        mimetype = "image/png"
    else:
        fresh.save(out, format="JPEG", quality=85, optimize=True)
        mimetype = "image/jpeg"
    return CleanImage(out.getvalue(), mimetype, fresh.width, fresh.height)
