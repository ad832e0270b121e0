"""What outside systems hear of field reports (webhooks, the change feed): public facts only.

The data are what the public board and Open311 show of a report, less its free text: never
the reporter, never the description or the address a resident typed (moderation may hide the
description later, and an event once delivered cannot be taken back: a mirror reads the text
from the public view, which applies the moderation). The position is the stored one, already
rounded to about 11 m (reports/geo.py), as the public board shows it.
"""

from datetime import datetime

from app.events import emit
from app.fields import local_isoformat
from reports.models import Report


def _ref(report: Report) -> dict:
    return {"report_id": report.id, "category": report.category.code}


def created(report: Report, now: datetime) -> None:
    """Announce a new report."""
    emit(
        "report.created",
        {
            **_ref(report),
            "category_name": report.category.name,
            "status": report.status,
            "lat": report.lat,
            "long": report.long,
            "photos": len(report.photos),
            "created_at": local_isoformat(report.created_at),
            "due_at": local_isoformat(report.due_at),
        },
        ward_code=report.ward_code,
        at=now,
    )


def status_changed(report: Report, *, previous: str, note: str | None, now: datetime) -> None:
    """Announce a report's move from `previous` to its status, with the ward's public answer."""
    emit(
        "report.status_changed",
        {
            **_ref(report),
            "from": previous,
            "to": report.status,
            "note": note,
            "is_open": report.is_open,
            "duplicate_of": report.duplicate_of_id,
            "due_at": local_isoformat(report.due_at),
            "closed_at": local_isoformat(report.closed_at) if report.closed_at else None,
        },
        ward_code=report.ward_code,
        at=now,
    )


def recategorized(report: Report, now: datetime) -> None:
    """Announce that a report was filed under another category (its due time follows)."""
    emit(
        "report.recategorized",
        {
            **_ref(report),
            "category_name": report.category.name,
            "due_at": local_isoformat(report.due_at),
        },
        ward_code=report.ward_code,
        at=now,
    )


def hidden(report: Report, *, target: str, photo_id: int | None, now: datetime) -> None:
    """Announce that moderation hid a report's text or a photo: a mirror drops its copy.

    The reason is not sent (it may quote what was hidden).
    """
    emit(
        "report.hidden",
        {**_ref(report), "target": target, "photo_id": photo_id},
        ward_code=report.ward_code,
        at=now,
    )
