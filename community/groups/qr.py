"""The invite QR code for a group's meeting board: a PNG of the join link, cached by content."""

import io

import qrcode
from qrcode.constants import ERROR_CORRECT_M

from app.cache import cached


@cached("groups.invite_qr", size=256)
def png(payload: str) -> bytes:
    """Draw the payload as a black-and-white PNG (same payload, same bytes)."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=10, border=4)
    code.add_data(payload)
    code.make(fit=True)
    out = io.BytesIO()
    code.make_image().save(out)
    return out.getvalue()
