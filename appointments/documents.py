"""What a booking gives its holder to keep: the QR ticket and the calendar file (RFC 5545)."""

from datetime import datetime, timedelta

import icalendar

from app import qr
from app.fields import LOCAL_TZ
from appointments.models import Appointment

PRODID = "-//Phường Xã Số//Đặt lịch//VI"
REMINDER_BEFORE = timedelta(hours=1)
TICKET_SCALE = 8


def ticket_png(appointment: Appointment) -> bytes:
    """Return the QR ticket: the booking's code alone, which staff scan at the counter."""
    return qr.png(appointment.code, TICKET_SCALE)


def uid(appointment: Appointment) -> str:
    """Return the event's UID: the same for the booking's whole life, and unlike another
    instance's (ids restart with a new database; the drawn code does not repeat them)."""
    return f"appointment-{appointment.id}-{appointment.code.lower()}@phuong-xa-so"


def calendar_ics(appointment: Appointment, *, ward_name: str, now: datetime) -> bytes:
    """Return one VEVENT for the booking, with its time zone and a reminder an hour before.

    SEQUENCE is the booking's change count, so that a calendar that imported an earlier file
    replaces it (a cancelled booking shows STATUS:CANCELLED).
    """
    service = appointment.service
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    event = icalendar.Event()
    event.add("uid", uid(appointment))
    event.add("sequence", appointment.sequence)
    # DTSTAMP: when this file was made (METHOD:PUBLISH); LAST-MODIFIED: the booking's change.
    event.add("dtstamp", now)
    event.add("last-modified", appointment.updated_at)
    event.add("dtstart", appointment.start.astimezone(LOCAL_TZ))
    event.add("dtend", appointment.end.astimezone(LOCAL_TZ))
    event.add("summary", f"{service.name} – {ward_name}")
    event.add("location", service.location or ward_name)
    event.add(
        "description",
        f"Mã lịch hẹn: {appointment.code}. Đưa mã QR (hoặc đọc mã) cho cán bộ tại quầy "
        "để nhận số thứ tự.",
    )
    event.add("status", "CANCELLED" if appointment.status == "cancelled" else "CONFIRMED")
    alarm = icalendar.Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", f"Sắp đến giờ hẹn: {service.name}")
    alarm.add("trigger", -REMINDER_BEFORE)
    event.add_component(alarm)
    cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()
