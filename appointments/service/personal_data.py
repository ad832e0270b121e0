"""A holder's appointments in the personal-data export, and what erasure does to them."""

import sqlalchemy as sa

from app.database import utcnow
from app.extensions import db
from app.fields import local_isoformat
from app.identity.models import User
from appointments import events
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
    cancelled = [
        appointment
        for appointment in upcoming
        # cancelled_at == now: this call moved it (a holder's own cancel at the same moment
        # has announced it already).
        if cancel(appointment=appointment, user=user, now=now, announce=False).cancelled_at == now
    ]
    # The events last, in ward order: emitting takes the ward feed's row lock until commit, and
    # taking it before the next slot's lock could deadlock with a booking of that slot.
    for appointment in sorted(cancelled, key=lambda a: (a.ward_code, a.id)):
        events.cancelled(appointment, now)
    db.session.execute(
        sa.update(Appointment).where(Appointment.user_id == user.id).values(user_id=None)
    )
