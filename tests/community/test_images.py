"""Image attachments: re-encoded, stripped of metadata, limited in type and size."""

import io

from PIL import Image

from tests.community.conftest import WARD
from tests.community.test_notices import notice


def _jpeg_with_gps(size=(64, 48)) -> bytes:
    """A JPEG carrying EXIF metadata (camera and GPS position)."""
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "Máy ảnh bí mật"  # Make
    exif[0x8825] = {1: "N", 2: (21.0, 1.0, 40.0)}  # GPS info
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def _upload(api, notice_id: int, data: bytes, name: str = "anh.jpg"):
    # The multipart body is built here: the test client spools a large one to a temporary
    # file that it never closes (a ResourceWarning, an error under filterwarnings=error).
    boundary = "pxs-test-boundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return api.client.post(
        f"/api/v1/notices/{notice_id}/images",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
        headers=api.headers,
    )


def test_image_is_reencoded_without_metadata(api, people, staff, make_community, join):
    """The stored picture has no EXIF; members see it; outsiders get 404."""
    community = make_community()
    join(people[3], community)
    api.login(staff)
    sent = api.post("/api/v1/notices", json=notice(community_ids=[community["id"]])).get_json()
    raw = _jpeg_with_gps()
    assert Image.open(io.BytesIO(raw)).getexif()
    uploaded = _upload(api, sent["id"], raw)
    assert uploaded.status_code == 201, uploaded.get_json()
    meta = uploaded.get_json()
    assert (meta["mimetype"], meta["width"], meta["height"]) == ("image/jpeg", 64, 48)

    api.login(people[3])
    shown = api.get(f"/api/v1/notices/{sent['id']}").get_json()
    assert [i["id"] for i in shown["images"]] == [meta["id"]]
    picture = api.get(meta["url"])
    assert picture.status_code == 200 and picture.mimetype == "image/jpeg"
    stored = Image.open(io.BytesIO(picture.data))
    assert not stored.getexif() and "exif" not in stored.info
    assert b"bi mat" not in picture.data and "bí mật".encode() not in picture.data
    assert _upload(api, sent["id"], raw).status_code == 403

    api.login(people[4])
    assert api.get(meta["url"]).status_code == 404


def test_only_images_of_accepted_types_and_sizes(api, staff):
    """Not an image, an unaccepted type or a too-large file is 422; a big picture is scaled."""
    api.login(staff)
    sent = api.post("/api/v1/notices", json=notice(ward=WARD)).get_json()
    assert _upload(api, sent["id"], b"<svg xmlns='http://www.w3.org/2000/svg'/>").status_code == 422
    gif = io.BytesIO()
    Image.new("RGB", (10, 10)).save(gif, format="GIF")
    assert _upload(api, sent["id"], gif.getvalue(), "a.gif").status_code == 422
    too_big = b"\xff\xd8\xff" + b"0" * (5 * 1024 * 1024)
    assert _upload(api, sent["id"], too_big).status_code in (413, 422)

    large = io.BytesIO()
    Image.new("RGBA", (3000, 1000), (0, 0, 0, 0)).save(large, format="PNG")
    scaled = _upload(api, sent["id"], large.getvalue(), "a.png").get_json()
    assert (scaled["mimetype"], scaled["width"], scaled["height"]) == ("image/png", 2048, 683)
    assert api.delete(scaled["url"]).status_code == 204
    assert api.get(scaled["url"]).status_code == 404


def test_a_picture_sent_twice_with_its_key_is_attached_once(api, staff):
    """The upload's fingerprint covers the file: the same picture replays, another is 422."""
    api.login(staff)
    notice_id = api.post("/api/v1/notices", json=notice()).get_json()["id"]
    api.headers = {**api.headers, "Idempotency-Key": "anh-thong-bao-0001"}

    first = _upload(api, notice_id, _jpeg_with_gps())
    again = _upload(api, notice_id, _jpeg_with_gps())
    other = _upload(api, notice_id, _jpeg_with_gps(size=(32, 32)))

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.get_json() == first.get_json()
    assert other.status_code == 422
    assert other.get_json()["error"]["code"] == "idempotency_key_reused"
    assert len(api.get(f"/api/v1/notices/{notice_id}").get_json()["images"]) == 1
