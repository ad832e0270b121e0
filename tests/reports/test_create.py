"""Sending a report: JSON or a form with photos; photos lose their metadata; bad input refused."""

import io

import sqlalchemy as sa
from PIL import Image

from app.extensions import db
from reports.models import Report, ReportPhoto
from tests.reports.conftest import LAT, LONG, WARD, jpeg_with_gps, post_form, report_body


def test_a_resident_sends_a_report_as_json(api, people):
    """201 with id, status `received`, due_at and the contract's fields; the position coarse."""
    api.login(people[2])
    response = api.post("/api/v1/reports", json=report_body())
    assert response.status_code == 201, response.get_json()
    sent = response.get_json()
    assert sent["status"] == "received" and sent["status_label"] == "Đã tiếp nhận"
    assert sent["ward"] == WARD and sent["category"] == "rac_thai"
    assert sent["due_at"].endswith("T23:59:59+07:00")
    assert sent["overdue"] is False and sent["mine"] is True
    assert (sent["lat"], sent["long"]) == (round(LAT, 4), round(LONG, 4))
    assert [h["status"] for h in sent["history"]] == ["received"]
    assert "reporter" not in sent

    shown = api.get(f"/api/v1/reports/{sent['id']}").get_json()
    for key in ("id", "ward", "category", "description", "status", "status_label", "created_at"):
        assert shown[key] == sent[key]
    for key in ("due_at", "overdue", "lat", "long", "address", "photos", "history"):
        assert key in shown


def test_the_ward_may_be_named_by_slug(api, people):
    """`ward` takes the code or the slug."""
    api.login(people[2])
    response = api.post("/api/v1/reports", json=report_body(ward="hoan-kiem"))
    assert response.status_code == 201 and response.get_json()["ward"] == WARD


def test_photos_are_reencoded_without_exif_or_gps(api, people, app):
    """A form with photos: stored re-encoded, no EXIF/GPS, long side at most 1600 px."""
    api.login(people[2])
    big = io.BytesIO()
    Image.new("RGB", (3200, 1200), (10, 120, 30)).save(big, format="PNG")
    raw = jpeg_with_gps()
    assert Image.open(io.BytesIO(raw)).getexif()
    fields = {k: str(v) for k, v in report_body().items()}
    response = post_form(api, fields, [("photos", raw), ("photos", big.getvalue())])
    assert response.status_code == 201, response.get_json()
    sent = response.get_json()
    assert len(sent["photos"]) == 2
    assert (sent["photos"][1]["width"], sent["photos"][1]["height"]) == (1600, 600)

    api.logout()
    for photo in sent["photos"]:
        served = api.get(photo["url"])
        assert served.status_code == 200 and served.mimetype == "image/jpeg"
        assert served.headers["X-Content-Type-Options"] == "nosniff"
        image = Image.open(io.BytesIO(served.data))
        assert not image.getexif() and "exif" not in image.info and "icc_profile" not in image.info
        assert b"Bi Mat" not in served.data and "bí mật".encode() not in served.data
        assert max(image.size) <= 1600
    with app.app_context():
        stored = db.session.scalars(sa.select(ReportPhoto.data)).all()
        assert all(b"Exif" not in data and b"Bi Mat" not in data for data in stored)


def test_a_form_without_photos_and_an_empty_address(api, people):
    """The form works without photos; an empty address box means no address."""
    api.login(people[2])
    fields = {k: str(v) for k, v in report_body(address="").items()}
    response = post_form(api, fields, [])
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["address"] is None


def _error(response) -> dict:
    return response.get_json()["error"]


def test_bad_input_is_refused_by_field(api, people, app):
    """Outside Hà Nội, empty text, unknown category or ward → 422 naming the field."""
    api.login(people[2])
    outside = api.post("/api/v1/reports", json=report_body(lat=10.7769, long=106.7009))
    assert outside.status_code == 422
    assert {e["field"] for e in _error(outside)["details"]["errors"]} == {"lat", "long"}
    assert "Hà Nội" in _error(outside)["message"]
    swapped = api.post("/api/v1/reports", json=report_body(lat=LONG, long=LAT))
    assert swapped.status_code == 422

    empty = api.post("/api/v1/reports", json=report_body(description="   "))
    assert empty.status_code == 422
    assert _error(empty)["details"]["errors"][0]["label"] == "Nội dung phản ánh"

    unknown = api.post("/api/v1/reports", json=report_body(category="khong_co"))
    assert unknown.status_code == 422
    assert _error(unknown)["details"]["errors"][0]["field"] == "category"

    no_ward = api.post("/api/v1/reports", json=report_body(ward="khong-co-phuong"))
    assert no_ward.status_code == 422

    not_a_number = api.post("/api/v1/reports", json=report_body(lat="abc"))
    assert not_a_number.status_code == 422
    missing = api.post("/api/v1/reports", json={"ward": WARD})
    assert missing.status_code == 422
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Report)) == 0


def test_anonymous_is_401(client):
    """Nobody signed in: 401."""
    response = client.post("/api/v1/reports", json=report_body())
    assert response.status_code == 401


def test_a_file_that_is_not_an_image_is_422(api, people):
    """Not an image, or a GIF: 422 naming the photo."""
    api.login(people[2])
    fields = {k: str(v) for k, v in report_body().items()}
    svg = post_form(api, fields, [("photos", b"<svg xmlns='http://www.w3.org/2000/svg'/>")])
    assert svg.status_code == 422
    assert _error(svg)["code"] == "invalid_image"
    assert _error(svg)["details"]["errors"][0]["label"] == "Ảnh 1"
    gif = io.BytesIO()
    Image.new("RGB", (10, 10)).save(gif, format="GIF")
    assert post_form(api, fields, [("photos", gif.getvalue())]).status_code == 422
    six = post_form(api, fields, [("photos", jpeg_with_gps())] * 6)
    assert six.status_code == 422
    other_name = post_form(api, fields, [("file", jpeg_with_gps())])
    assert other_name.status_code == 422


def test_a_photo_over_10_mb_is_413(api, people, app):
    """A photo over 10 MB: 413; the request itself may be larger than the app's usual limit."""
    api.login(people[2])
    fields = {k: str(v) for k, v in report_body().items()}
    too_big = b"\xff\xd8\xff" + b"0" * (10 * 1024 * 1024)
    response = post_form(api, fields, [("photos", too_big)])
    assert response.status_code == 413
    assert _error(response)["code"] == "payload_too_large"
    # Three photos of 7 MB each (over the app's 6 MB body limit, under this route's) reach the
    # photo check: they are not images.
    seven = b"\x00" * (7 * 1024 * 1024)
    response = post_form(api, fields, [("photos", seven)] * 3)
    assert response.status_code == 422 and _error(response)["code"] == "invalid_image"
    # A body over the route's limit is refused before it is read.
    huge = b"\x00" * (9 * 1024 * 1024)
    assert post_form(api, fields, [("photos", huge)] * 6).status_code == 413


def test_a_decompression_bomb_is_refused(api, people):
    """A small PNG claiming a huge canvas is refused before it is decoded."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 30000, 30000, 8, 2, 0, 0, 0)  # 900 Mpx claimed
    png = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b""))
        + chunk(b"IEND", b"")
    )
    api.login(people[2])
    fields = {k: str(v) for k, v in report_body().items()}
    response = post_form(api, fields, [("photos", png)])
    assert response.status_code == 422 and _error(response)["code"] == "invalid_image"


def test_a_retry_with_its_idempotency_key_creates_one_report(api, people, app):
    """The same key and form (photos included) replay the first answer."""
    api.login(people[2])
    fields = {k: str(v) for k, v in report_body().items()}
    key = {"Idempotency-Key": "phan-anh-0001"}
    first = post_form(api, fields, [("photos", jpeg_with_gps())], key)
    again = post_form(api, fields, [("photos", jpeg_with_gps())], key)
    other = post_form(api, fields, [("photos", jpeg_with_gps(size=(32, 32)))], key)
    assert (first.status_code, again.status_code, other.status_code) == (201, 201, 422)
    assert again.get_json()["id"] == first.get_json()["id"]
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Report)) == 1
