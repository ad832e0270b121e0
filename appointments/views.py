"""Appointment endpoints: booking services, their days and slots, bookings, tickets, ratings.

The hall (check-in, numbers, calls, the display) and the statistics are in appointments/hall.py,
on the same blueprint. Who booked is shown to themselves and the ward's staff only.
"""

from datetime import datetime

from flask import Response
from flask_smorest import Blueprint

from app.database import utcnow
from app.errors import ValidationFailed
from app.extensions import db, limiter
from app.idempotency import idempotent_create
from app.identity import auth
from app.identity.models import User
from app.identity.policy import require
from app.pagination import PageArgsSchema, decode_id_cursor, decode_time_cursor, page
from app.wards import service as wards
from app.wards.models import Ward
from appointments import documents, permissions, service, slots
from appointments.exceptions import AppointmentNotFound
from appointments.models import (
    EXPIRED_LABEL,
    KIND_LABELS,
    MISSED_LABEL,
    SOURCE_LABELS,
    STATUS_LABELS,
    TICKET_STATUS_LABELS,
    WEEKDAY_LABELS,
    Appointment,
    BookingService,
    QueueTicket,
)
from appointments.schemas import (
    AppointmentCreateSchema,
    AppointmentListSchema,
    AppointmentSchema,
    DayListSchema,
    RatingOutSchema,
    RatingSchema,
    ReminderListSchema,
    ScheduleArgsSchema,
    ServiceCreateSchema,
    ServiceListArgsSchema,
    ServiceListSchema,
    ServiceSchema,
    ServiceUpdateSchema,
    SlotArgsSchema,
    SlotListSchema,
)
from appointments.service.queue import Position

blp = Blueprint(
    "appointments",
    __name__,
    description="Đặt lịch hẹn và lấy số thứ tự tại bộ phận một cửa, nhà văn hóa",
)


# Presenting


def service_out(s: BookingService) -> dict:
    """Show a booking service."""
    return {
        "id": s.id,
        "ward": s.ward_code,
        "name": s.name,
        "kind": s.kind,
        "kind_label": KIND_LABELS[s.kind],
        "description": s.description,
        "location": s.location,
        "duration_minutes": s.duration_minutes,
        "capacity": s.capacity,
        "counters": s.counters,
        "book_ahead_days": s.book_ahead_days,
        "walk_in_cap": s.walk_in_cap,
        "calls_before_no_show": s.calls_before_no_show,
        "active": s.active,
        "hours": [
            {
                "weekday": h.weekday,
                "weekday_label": WEEKDAY_LABELS[h.weekday],
                "start": h.start_minute,
                "end": h.end_minute,
            }
            for h in s.hours
        ],
    }


def ticket_out(t: QueueTicket, position: Position | None = None) -> dict:
    """Show a queue ticket; `position` is its place while waiting."""
    return {
        "id": t.id,
        "number": t.number,
        "ward": t.ward_code,
        "service_id": t.service_id,
        "service_name": t.service.name,
        "date": t.day,
        "source": t.source,
        "source_label": SOURCE_LABELS[t.source],
        "appointment_id": t.appointment_id,
        "appointment_start": t.appointment.start if t.appointment is not None else None,
        "status": t.status,
        "status_label": TICKET_STATUS_LABELS[t.status],
        "counter": t.counter,
        "call_count": t.call_count,
        "queued_at": t.queued_at,
        "called_at": t.called_at,
        "finished_at": t.finished_at,
        "waiting_ahead": position.ahead if position else None,
        "estimated_wait_minutes": position.estimated_minutes if position else None,
    }


def appointment_out(
    a: Appointment,
    user: User | None,
    *,
    now: datetime,
    ward: Ward,
    places: dict[int, Position] | None = None,
) -> dict:
    """Show a booking to its holder or the ward's staff (the holder named to staff only).

    `places` holds the waiting tickets' places when a list has worked them out at once;
    otherwise a waiting ticket's place is looked up.
    """
    missed = service.is_missed(a, now)
    expired = service.is_expired(a, now)
    mine = permissions.is_holder(user, a)
    if missed:
        label = MISSED_LABEL
    elif expired:
        label = EXPIRED_LABEL
    else:
        label = STATUS_LABELS[a.status]
    out = {
        "id": a.id,
        "code": a.code,
        "ward": a.ward_code,
        "ward_name": ward.name,
        "service": {
            "id": a.service.id,
            "name": a.service.name,
            "kind": a.service.kind,
            "kind_label": KIND_LABELS[a.service.kind],
            "location": a.service.location,
        },
        "start": a.start,
        "end": a.end,
        "status": a.status,
        "status_label": label,
        "missed": missed,
        "expired": expired,
        "created_at": a.created_at,
        "cancelled_at": a.cancelled_at,
        "ticket": (
            None
            if a.ticket is None
            else ticket_out(a.ticket, None if expired else _place(a.ticket, places))
        ),
        "can_cancel": mine and service.can_cancel(a, now),
        "can_rate": mine and a.status == "done" and a.rating is None,
        "rating": a.rating.stars if a.rating else None,
        "reminded": a.reminded_at is not None,
        "ticket_url": f"/api/v1/appointments/{a.id}/ticket.png",
        "calendar_url": f"/api/v1/appointments/{a.id}/calendar.ics",
    }
    if not mine and permissions.is_ward_staff(user, a.ward_code):
        out["holder"] = None if a.holder is None else {"id": a.holder.id, "name": a.holder.name}
    return out


def _place(ticket: QueueTicket, places: dict[int, Position] | None) -> Position | None:
    if places is not None:
        return places.get(ticket.id)
    return service.position_of(ticket)


def _wards_of(items) -> dict[str, Ward]:
    codes = {item.ward_code for item in items}
    return {code: db.session.get(Ward, code) for code in codes}


def ward_code(ward: str) -> str:
    """Return a ward's code from its code or slug (404 when there is none)."""
    return wards.get(ward).code


def _visible(appointment_id: int, user: User) -> Appointment:
    """Return a booking the caller holds or handles; 404 to everyone else (not even "exists")."""
    appointment = service.get(appointment_id)
    if not permissions.can_see(user, appointment):
        raise AppointmentNotFound("Không tìm thấy lịch hẹn này.")
    return appointment


# Services


@blp.get("/api/v1/wards/<ward>/booking-services")
@blp.arguments(ServiceListArgsSchema, location="query")
@blp.response(200, ServiceListSchema)
def list_services(args, ward):
    """List a ward's booking services (staff may ask for paused ones too)."""
    code = ward_code(ward)
    if args["include_inactive"]:
        require(
            permissions.is_ward_staff(auth.current_user(), code),
            "Chỉ cán bộ phường, xã mới xem được dịch vụ tạm ngừng.",
        )
    found = service.list_for_ward(code, include_inactive=args["include_inactive"])
    return {"items": [service_out(s) for s in found]}


@blp.post("/api/v1/wards/<ward>/booking-services")
@idempotent_create(blp)
@blp.arguments(ServiceCreateSchema)
@blp.response(201, ServiceSchema)
def create_service(args, ward):
    """Add a booking service: its hours, slot length, people per slot, counters (ward staff)."""
    user = auth.require_user()
    code = ward_code(ward)
    require(permissions.is_ward_staff(user, code), "Chỉ cán bộ phường, xã mới thêm được.")
    return service_out(service.create_service(ward_code=code, **args))


@blp.get("/api/v1/booking-services/<int:service_id>")
@blp.response(200, ServiceSchema)
def get_service(service_id):
    """Get a booking service."""
    return service_out(service.get_service(service_id))


@blp.patch("/api/v1/booking-services/<int:service_id>")
@blp.arguments(ServiceUpdateSchema)
@blp.response(200, ServiceSchema)
def update_service(args, service_id):
    """Change a booking service (ward staff); bookings already made keep their time."""
    user = auth.require_user()
    found = service.get_service(service_id)
    require(permissions.is_ward_staff(user, found.ward_code), "Chỉ cán bộ phường, xã mới sửa được.")
    return service_out(service.update_service(found, args))


@blp.get("/api/v1/booking-services/<int:service_id>/days")
@blp.response(200, DayListSchema)
def list_days(service_id):
    """List the days from today to the last bookable one: open or not (and why), places left."""
    found = service.get_service(service_id)
    return {
        "items": [
            {
                "date": d.day,
                "weekday_label": WEEKDAY_LABELS[d.day.isoweekday()],
                "open": d.closed_reason is None,
                "closed_reason": d.closed_reason,
                "remaining": d.remaining,
            }
            for d in service.days(found)
        ]
    }


@blp.get("/api/v1/booking-services/<int:service_id>/slots")
@blp.arguments(SlotArgsSchema, location="query")
@blp.response(200, SlotListSchema)
def list_slots(args, service_id):
    """List a day's bookable slots with the places left (none on holidays or outside hours)."""
    found = service.get_service(service_id)
    now = utcnow()
    return {
        "date": args["date"],
        "closed_reason": service.day_closed_reason(found, args["date"], now),
        "items": [
            {"start": s.start, "end": s.end, "capacity": s.capacity, "remaining": s.remaining}
            for s in service.open_slots(found, args["date"], now)
        ],
    }


# Appointments


@blp.post("/api/v1/appointments")
@idempotent_create(blp)
@limiter.limit("30/hour", key=auth.account_key)
@blp.arguments(AppointmentCreateSchema)
@blp.response(201, AppointmentSchema)
def book(args):
    """Book a slot (signed-in residents): 409 when full or already booked that day."""
    user = auth.require_user()
    found = db.session.get(BookingService, args["service_id"])
    if found is None:
        raise ValidationFailed.on_field("service_id", "Dịch vụ", "Không có dịch vụ này.")
    appointment = service.book(service=found, user=user, start=args["start"])
    return appointment_out(
        appointment, user, now=utcnow(), ward=db.session.get(Ward, found.ward_code)
    )


@blp.get("/api/v1/appointments/<int:appointment_id>")
@blp.response(200, AppointmentSchema)
def get_appointment(appointment_id):
    """Get a booking (its holder, the ward's staff)."""
    user = auth.require_user()
    appointment = _visible(appointment_id, user)
    return appointment_out(
        appointment, user, now=utcnow(), ward=db.session.get(Ward, appointment.ward_code)
    )


@blp.delete("/api/v1/appointments/<int:appointment_id>")
@blp.response(200, AppointmentSchema)
def cancel(appointment_id):
    """Cancel a booking before its start (its holder); the place is free again."""
    user = auth.require_user()
    appointment = service.cancel(appointment=_visible(appointment_id, user), user=user)
    return appointment_out(
        appointment, user, now=utcnow(), ward=db.session.get(Ward, appointment.ward_code)
    )


@blp.get("/api/v1/appointments/<int:appointment_id>/ticket.png")
@blp.response(200, content_type="image/png")
def ticket_png(appointment_id):
    """Get the QR ticket: a PNG holding the booking's code (its holder, the ward's staff)."""
    appointment = _visible(appointment_id, auth.require_user())
    response = Response(documents.ticket_png(appointment), mimetype="image/png")
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response


@blp.get("/api/v1/appointments/<int:appointment_id>/calendar.ics")
@blp.response(200, content_type="text/calendar")
def calendar(appointment_id):
    """Get the booking as an iCalendar file (RFC 5545) with a reminder an hour before."""
    appointment = _visible(appointment_id, auth.require_user())
    ward = db.session.get(Ward, appointment.ward_code)
    response = Response(
        documents.calendar_ics(appointment, ward_name=ward.name, now=utcnow()),
        mimetype="text/calendar",
        headers={"Content-Disposition": f'attachment; filename="lich-hen-{appointment.code}.ics"'},
    )
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@blp.post("/api/v1/appointments/<int:appointment_id>/rating")
@idempotent_create(blp)
@blp.arguments(RatingSchema)
@blp.response(201, RatingOutSchema)
def rate(args, appointment_id):
    """Rate the service, 1 to 5 stars, once, after being served (its holder)."""
    user = auth.require_user()
    rating = service.rate(
        appointment=_visible(appointment_id, user), user=user, stars=args["stars"]
    )
    return {
        "appointment_id": rating.appointment_id,
        "stars": rating.stars,
        "created_at": rating.created_at,
    }


@blp.get("/api/v1/me/appointments")
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, AppointmentListSchema)
def my_appointments(args):
    """List the caller's bookings, newest first, each with its ticket once checked in."""
    user = auth.require_user()
    rows = service.list_mine(
        user=user, after_id=decode_id_cursor(args["cursor"]), limit=args["limit"]
    )
    result = page(rows, limit=args["limit"], key=lambda a: [a.id])
    now, ward_of = utcnow(), _wards_of(result["items"])
    result["items"] = [
        appointment_out(a, user, now=now, ward=ward_of[a.ward_code]) for a in result["items"]
    ]
    return result


@blp.get("/api/v1/me/reminders")
@blp.response(200, ReminderListSchema)
def my_reminders():
    """List the caller's reminders: bookings of tomorrow the worker has reminded them of."""
    user = auth.require_user()
    rows = service.reminders(user=user)
    now, ward_of = utcnow(), _wards_of(rows)
    return {"items": [appointment_out(a, user, now=now, ward=ward_of[a.ward_code]) for a in rows]}


@blp.get("/api/v1/wards/<ward>/appointments")
@blp.arguments(ScheduleArgsSchema, location="query")
@blp.response(200, AppointmentListSchema)
def schedule(args, ward):
    """List a ward's bookings of a day by start, with who booked (ward staff)."""
    user = auth.require_user()
    code = ward_code(ward)
    require(permissions.is_ward_staff(user, code), "Chỉ cán bộ phường, xã mới xem được.")
    now = utcnow()
    day = args["date"] or slots.local_today(now)
    rows = service.list_schedule(
        ward_code=code,
        day=day,
        service_id=args["service_id"],
        status=args["status"],
        after=decode_time_cursor(args["cursor"]),
        limit=args["limit"],
    )
    result = page(rows, limit=args["limit"], key=lambda a: [a.start.isoformat(), a.id])
    ward_row = db.session.get(Ward, code)
    tickets = service.tickets_of_day(ward_code=code, day=day, status="waiting")
    places = service.positions(
        tickets, service.handling_minutes(sorted({t.service_id for t in tickets}))
    )
    result["items"] = [
        appointment_out(a, user, now=now, ward=ward_row, places=places) for a in result["items"]
    ]
    return result
