"""Fixtures for the field-report tests: residents and staff of a pilot ward, and report helpers."""

import io

import pytest
from PIL import Image

from app.identity.demo import citizens_of
from tests.community.conftest import Api as CommunityApi
from tests.conftest import grant

WARD = "00070"  # Hoàn Kiếm
OTHER_WARD = "00025"  # Giảng Võ
# A point in Hoàn Kiếm (by Hồ Gươm).
LAT, LONG = 21.02885, 105.85224


class Api(CommunityApi):
    """The community tests' client, with PATCH."""

    def patch(self, url: str, json=None, **kwargs):
        return self.client.patch(url, json=json, headers=self.headers, **kwargs)


@pytest.fixture
def api(client, sign_in):
    """A client that signs in as people and sends their CSRF header."""
    return Api(client, sign_in)


@pytest.fixture
def people():
    """Demo citizens of the test ward, by sub: [0] becomes ward staff, the rest residents."""
    return [c.sub for c in citizens_of(WARD)]


@pytest.fixture
def others():
    """Demo citizens of another ward, by sub: [0] becomes that ward's staff."""
    return [c.sub for c in citizens_of(OTHER_WARD)]


@pytest.fixture
def staff(app, people):
    """The sub of the test ward's editor (ward staff)."""
    grant(app, people[0], "ward_editor", ward=WARD)
    return people[0]


@pytest.fixture
def other_staff(app, others):
    """The sub of the other ward's admin."""
    grant(app, others[0], "ward_admin", ward=OTHER_WARD)
    return others[0]


def report_body(**changes) -> dict:
    """A valid report of the test ward, with changes."""
    body = {
        "ward": WARD,
        "category": "rac_thai",
        "description": "Rác đổ trộm ở đầu ngõ, bốc mùi.",
        "lat": LAT,
        "long": LONG,
        "address": "Đầu ngõ 5 Hàng Bông",
    }
    body.update(changes)
    return {k: v for k, v in body.items() if v is not None}


@pytest.fixture
def send_report(api):
    """Sign in as `sub` and send a report (JSON); returns the created report."""

    def send(sub: str, **changes) -> dict:
        api.login(sub)
        response = api.post("/api/v1/reports", json=report_body(**changes))
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    return send


@pytest.fixture
def move(api):
    """Sign in as `sub` and move a report to a status with a note; returns the response."""

    def do(sub: str, report_id: int, status: str, note: str = "Đã cập nhật.", **more):
        api.login(sub)
        return api.post(
            f"/api/v1/reports/{report_id}/status", json={"status": status, "note": note, **more}
        )

    return do


def jpeg_with_gps(size=(64, 48)) -> bytes:
    """A JPEG carrying EXIF metadata: camera make, owner and a GPS position."""
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "Máy ảnh bí mật"  # Make
    exif[0x013B] = "Nguyen Van Bi Mat"  # Artist
    exif[0x8825] = {1: "N", 2: (21.0, 1.0, 40.0), 3: "E", 4: (105.0, 51.0, 8.0)}  # GPS
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def multipart(fields: dict, files: list[tuple[str, bytes]]) -> tuple[bytes, str]:
    """Build a multipart body by hand (the test client leaves large spooled files open)."""
    boundary = "pxs-report-boundary"
    parts = []
    for name, value in fields.items():
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
        parts.append(f"{head}{value}\r\n".encode())
    for name, data in files:
        parts.append(
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="anh.jpg"\r\nContent-Type: application/octet-stream\r\n\r\n'
            ).encode()
            + data
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def post_form(api, fields: dict, files: list[tuple[str, bytes]], headers: dict | None = None):
    """POST a report as a multipart form."""
    body, content_type = multipart(fields, files)
    return api.client.post(
        "/api/v1/reports",
        data=body,
        content_type=content_type,
        headers={**api.headers, **(headers or {})},
    )
