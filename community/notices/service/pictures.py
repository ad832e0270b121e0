"""Pictures of a notice: re-encoded and stripped of metadata on the way in."""

from app.errors import Conflict, NotFound, ValidationFailed
from app.extensions import db
from community.common import valid_id
from community.notices import images
from community.notices.models import (
    Notice,
    NoticeImage,
)

MAX_IMAGES = 10


def add_image(*, notice: Notice, raw: bytes) -> NoticeImage:
    """Attach a picture, re-encoded without metadata (at most MAX_IMAGES per notice)."""
    import hashlib

    if notice.status == "withdrawn":
        raise Conflict("Thông báo đã thu hồi.", code="notice_withdrawn")
    if len(notice.images) >= MAX_IMAGES:
        raise ValidationFailed(f"Mỗi thông báo có tối đa {MAX_IMAGES} ảnh.", code="too_many_images")
    clean = images.clean(raw)
    image = NoticeImage(
        mimetype=clean.mimetype,
        width=clean.width,
        height=clean.height,
        size=len(clean.data),
        sha256=hashlib.sha256(clean.data).hexdigest(),
        data=clean.data,
    )
    notice.images.append(image)
    db.session.flush()
    return image


def get_image(*, notice: Notice, image_id: int) -> NoticeImage:
    """Return a picture of the notice or raise NotFound."""
    image = db.session.get(NoticeImage, image_id) if valid_id(image_id) else None
    if image is None or image.notice_id != notice.id:
        raise NotFound("Không tìm thấy ảnh này.", code="image_not_found")
    return image


def delete_image(image: NoticeImage) -> None:
    """Remove a picture."""
    db.session.delete(image)
    db.session.flush()
