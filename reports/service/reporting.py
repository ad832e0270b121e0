"""Receiving a report: where, what, photos cleaned of metadata, and its working-day deadline."""

from collections.abc import Sequence
from datetime import datetime

from app.database import MAX_ID, utcnow
from app.errors import FieldError, ValidationFailed
from app.extensions import db
from app.identity.models import User
from reports import deadlines, events, geo, images
from reports.exceptions import InvalidPhoto, PhotoNotFound, PhotoTooLarge, ReportNotFound
from reports.models import Report, ReportEvent, ReportPhoto
from reports.service.categories import category_for_report

PHOTOS_LABEL = "Ảnh"
RECEIVED_NOTE = "Phường, xã đã nhận phản ánh."


def _check_position(lat: float, long: float) -> None:
    if not geo.in_hanoi(lat, long):
        message = "Vị trí phải nằm trong địa bàn thành phố Hà Nội."
        raise ValidationFailed.on_fields(
            [FieldError("lat", "Vĩ độ", message), FieldError("long", "Kinh độ", message)]
        )


def clean_photos(photos: Sequence[bytes]) -> list[images.CleanPhoto]:
    """Check and re-encode the photos of a report, or refuse them by position."""
    if len(photos) > images.MAX_PHOTOS:
        raise ValidationFailed.on_field(
            "photos", PHOTOS_LABEL, f"Tối đa {images.MAX_PHOTOS} ảnh cho mỗi phản ánh."
        )
    cleaned = []
    for position, raw in enumerate(photos, start=1):
        label = f"{PHOTOS_LABEL} {position}"
        if len(raw) > images.MAX_BYTES:
            raise PhotoTooLarge.on_field(
                f"photos.{position - 1}",
                label,
                f"Ảnh quá lớn (tối đa {images.MAX_BYTES // (1024 * 1024)} MB).",
                location="files",
            )
        try:
            cleaned.append(images.clean(raw))
        except images.TooManyPixels:
            raise InvalidPhoto.on_field(
                f"photos.{position - 1}", label, "Ảnh có quá nhiều điểm ảnh.", location="files"
            ) from None
        except images.NotAnImage:
            raise InvalidPhoto.on_field(
                f"photos.{position - 1}",
                label,
                "Tệp không phải là ảnh JPEG, PNG hoặc WebP hợp lệ.",
                location="files",
            ) from None
    return cleaned


def create_report(
    *,
    reporter: User,
    ward_code: str,
    category_code: str,
    description: str,
    lat: float,
    long: float,
    address: str | None,
    photos: Sequence[bytes] = (),
    now: datetime | None = None,
) -> Report:
    """Receive a report: position in Hà Nội, an active category of the ward, clean photos."""
    _check_position(lat, long)
    category = category_for_report(ward_code=ward_code, code=category_code)
    cleaned = clean_photos(photos)
    now = now or utcnow()
    report = Report(
        ward_code=ward_code,
        category=category,
        reporter_id=reporter.id,
        description=description,
        lat=geo.coarsen(lat),
        long=geo.coarsen(long),
        address=address,
        status="received",
        is_open=True,
        due_at=deadlines.due_at(now, category.deadline_days),
        created_at=now,
        updated_at=now,
    )
    report.history.append(ReportEvent(status="received", note=RECEIVED_NOTE, at=now))
    for photo in cleaned:
        report.photos.append(
            ReportPhoto(
                width=photo.width,
                height=photo.height,
                size=len(photo.data),
                sha256=photo.sha256,
                data=photo.data,
                created_at=now,
            )
        )
    db.session.add(report)
    db.session.flush()
    events.created(report, now)
    return report


def get(report_id: int) -> Report:
    """Return a report, or raise ReportNotFound."""
    report = db.session.get(Report, report_id) if 1 <= report_id <= MAX_ID else None
    if report is None:
        raise ReportNotFound("Không tìm thấy phản ánh này.")
    return report


def get_photo(*, report: Report, photo_id: int, may_see_hidden: bool) -> ReportPhoto:
    """Return a photo of the report; a hidden one only to those who may see it (else 404)."""
    photo = db.session.get(ReportPhoto, photo_id) if 1 <= photo_id <= MAX_ID else None
    if photo is None or photo.report_id != report.id or (photo.hidden and not may_see_hidden):
        raise PhotoNotFound("Không tìm thấy ảnh này.")
    return photo
