"""A holder's appointments in the personal-data export, and what erasure does to them."""

import sqlalchemy as sa

from app.database import utcnow
from app.extensions import db
from app.fields import local_isoformat
from app.identity.models import User
from appointments.models import STATUS_LABELS, Appointment
from appointments.service.booking import cancel


def export_data(user: User) -> dict:
    """Return the user's bookings: service, time, status, code, rating."""
    rows = db.session.scalars(
        sa.select(Appointment).where(Appointment.user_id == user.id).order_by(Appointment.id)
    )
    return {
        "appointments": [
            {
                "id": a.id,
                "code": a.code,
                "ward": a.ward_code,
                "service": a.service.name,
                "start": local_isoformat(a.start),
                "end": local_isoformat(a.end),
                "status": a.status,
                "status_label": STATUS_LABELS[a.status],
                "created_at": local_isoformat(a.created_at),
                "rating": a.rating.stars if a.rating else None,
            }
            for a in rows
        ]
    }


def erase(user: User) -> None:
    """Cancel the user's bookings still to come (freeing their places) and unlink the rest.

    What stays is anonymous: a booking of a service at a time, for the ward's statistics.
    """
    now = utcnow()
    upcoming = db.session.scalars(
        sa.select(Appointment).where(
            Appointment.user_id == user.id,
            Appointment.status == "booked",
            Appointment.start > now,
        )
    ).all()
    for appointment in upcoming:
        cancel(appointment=appointment, user=user, now=now)
    db.session.execute(
        sa.update(Appointment).where(Appointment.user_id == user.id).values(user_id=None)
    )
