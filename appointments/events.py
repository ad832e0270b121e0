"""What outside systems hear of bookings (webhooks; the change feed, for ward staff only).

A booking's data are the service and the slot: never who booked, never the booking code (it
is what the hall's counter checks a person in with). The events' type scope is None: no API
client reads them in the change feed; the ward's staff and city admins do.
"""

from datetime import datetime

from app.events import emit
from app.fields import local_isoformat
from appointments.models import Appointment


def _slot(appointment: Appointment) -> dict:
    service = appointment.service
    return {
        "appointment_id": appointment.id,
        "service_id": service.id,
        "service_name": service.name,
        "service_kind": service.kind,
        "day": appointment.day.isoformat(),
        "start": local_isoformat(appointment.start),
        "end": local_isoformat(appointment.end),
    }


def booked(appointment: Appointment, now: datetime) -> None:
    """Announce that a slot was booked."""
    emit("appointment.booked", _slot(appointment), ward_code=appointment.ward_code, at=now)


def cancelled(appointment: Appointment, now: datetime) -> None:
    """Announce that a booking was cancelled and its place freed."""
    emit("appointment.cancelled", _slot(appointment), ward_code=appointment.ward_code, at=now)
