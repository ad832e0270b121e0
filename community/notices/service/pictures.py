"""Pictures of a notice: re-encoded and stripped of metadata on the way in."""

from app.extensions import db
from community.common import valid_id
from community.notices import images
from community.notices.exceptions import ImageNotFound, NoticeWithdrawn, TooManyImages
from community.notices.models import (
    Notice,
    NoticeImage,
)

MAX_IMAGES = 10


def add_image(*, notice: Notice, raw: bytes) -> NoticeImage:
    """Attach a picture, re-encoded without metadata (at most MAX_IMAGES per notice)."""
    import hashlib

    if notice.status == "withdrawn":
        raise NoticeWithdrawn("Thông báo đã thu hồi.")
    if len(notice.images) >= MAX_IMAGES:
        raise TooManyImages(f"Mỗi thông báo có tối đa {MAX_IMAGES} ảnh.")
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
        raise ImageNotFound("Không tìm thấy ảnh này.")
    return image


def delete_image(image: NoticeImage) -> None:
    """Remove a picture."""
    db.session.delete(image)
    db.session.flush()
