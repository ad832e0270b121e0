"""The baseline: a bare Flask app (no ORM, no auth, no hooks) serving what the service serves.

The runner probes the real service first and writes what it answered to a JSON file named by
`BENCH_FIXTURES`; this app then answers the same paths with the same bytes, status and headers
(`ETag` and `304` included), served by the same gunicorn settings. For the payment QR it draws
the same PNG directly with the qrcode library on every request, which is what the service's
figure is compared with. Served as `gunicorn -c gunicorn.conf.py bench.baseline_app:app`.
"""

from __future__ import annotations

import base64
import binascii
import io
import json
import os

import qrcode
from flask import Flask, Response, jsonify, request

app = Flask(__name__)

_FIXTURES = json.loads(open(os.environ["BENCH_FIXTURES"], encoding="utf-8").read())  # noqa: SIM115


def _static_view(variants: list[dict]):
    """Return a view answering the recorded bytes, or the recorded 304 on a matching ETag."""
    full = next(v for v in variants if v.get("if_none_match") is None)
    full_body = base64.b64decode(full["body"])
    conditional = [v for v in variants if v.get("if_none_match") is not None]
    not_modified = conditional[0] if conditional else None

    def view():
        if not_modified and request.headers.get("If-None-Match") == not_modified["if_none_match"]:
            return Response(b"", not_modified["status"], headers=not_modified["headers"])
        return Response(full_body, full["status"], headers=full["headers"])

    return view


for _number, _route in enumerate(_FIXTURES.get("routes", [])):
    app.add_url_rule(_route["path"], f"route_{_number}", _static_view(_route["variants"]))


_QR = _FIXTURES.get("qr")
if _QR:
    _STATIC_TAGS = _QR["static_tags"]
    _ERROR_CORRECTION = getattr(qrcode.constants, f"ERROR_CORRECT_{_QR['error_correction']}")

    def _payload(amount: int) -> str:
        """Turn the merchant's static VietQR payload into the dynamic one for `amount`."""
        tags = dict(_STATIC_TAGS, **{"01": "12", "54": str(amount)})
        body = "".join(f"{tag}{len(value):02d}{value}" for tag, value in sorted(tags.items()))
        body += "6304"
        # CRC-16/CCITT-FALSE is binascii's CRC-CCITT started at 0xFFFF.
        return body + f"{binascii.crc_hqx(body.encode('ascii'), 0xFFFF):04X}"

    def _png(payload: str) -> bytes:
        """Draw the payload's QR code as a PNG with the service's parameters."""
        code = qrcode.QRCode(
            error_correction=_ERROR_CORRECTION, box_size=_QR["box_size"], border=_QR["border"]
        )
        code.add_data(payload)
        code.make(fit=True)
        out = io.BytesIO()
        code.make_image().save(out)
        return out.getvalue()

    def payment_qr_png():
        """Generate the payment QR PNG directly, on every request."""
        return Response(_png(_payload(int(request.args["amount"]))), mimetype="image/png")

    def payment_qr_payload():
        """Answer the payload the PNG above encodes (the runner checks it against the service)."""
        return jsonify(payload=_payload(int(request.args["amount"])))

    app.add_url_rule(_QR["path"], "payment_qr_png", payment_qr_png)
    app.add_url_rule("/bench/payment-qr-payload", "payment_qr_payload", payment_qr_payload)


@app.get("/healthz")
def healthz():
    """Answer 200 while the process runs."""
    return jsonify(status="ok")


_PHOTO = _FIXTURES.get("photo")
if _PHOTO:
    import hashlib

    from PIL import Image, ImageOps

    _MAX_SIDE = _PHOTO["max_side"]

    def report_photo():
        """Read the report form and re-encode its photo as the service does, and nothing else.

        Decode (at reduced scale for a JPEG), stand it upright, keep the pixels alone (no EXIF,
        GPS, ICC), bring the long side to 1600 px, encode a JPEG: the runner checks that the
        bytes are the service's stored photo.
        """
        request.form.to_dict()
        raw = request.files["photos"].read()
        with Image.open(io.BytesIO(raw)) as image:
            width, height = image.size
            scale = min(1.0, _MAX_SIDE / max(width, height))
            image.draft("RGB", (max(1, round(width * scale)), max(1, round(height * scale))))
            image.load()
            pixels = ImageOps.exif_transpose(image).convert("RGB")
        pixels.thumbnail((_MAX_SIDE, _MAX_SIDE), Image.Resampling.LANCZOS)
        fresh = Image.new("RGB", pixels.size)
        fresh.paste(pixels)
        out = io.BytesIO()
        fresh.save(out, format="JPEG", quality=_PHOTO["quality"], optimize=True)
        data = out.getvalue()
        return jsonify(
            width=fresh.width,
            height=fresh.height,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
        ), 201

    app.add_url_rule(_PHOTO["path"], "report_photo", report_photo, methods=["POST"])
