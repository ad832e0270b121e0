"""The hall's endpoints: check-in, walk-in numbers, calling, finishing, the public display,
and the statistics of the ward's services. On the appointments blueprint (views.py)."""

from flask import current_app

from app.apidoc import json_or_csv
from app.database import utcnow
from app.errors import ValidationFailed
from app.extensions import db
from app.idempotency import idempotent_create
from app.identity import auth
from app.identity.policy import require
from app.pagination import decode_time_cursor, page
from app.spreadsheet import attachment, csv_bytes
from app.wards.models import Ward
from appointments import permissions, service, slots
from appointments.schemas import (
    CallNextSchema,
    CheckInSchema,
    QueueBoardSchema,
    RecallSchema,
    StatsArgsSchema,
    StatsSchema,
    TicketListArgsSchema,
    TicketListSchema,
    TicketSchema,
    WalkInSchema,
)
from appointments.views import blp, ticket_out, ward_code

STAFF_ONLY = "Chỉ cán bộ phường, xã mới làm được việc này."
STATS_MAX_DAYS = 366
STATS_DEFAULT_DAYS = 30


def _staff_ward(ward: str) -> str:
    user = auth.require_user()
    code = ward_code(ward)
    require(permissions.is_ward_staff(user, code), STAFF_ONLY)
    return code


def _staff_ticket(ticket_id: int):
    user = auth.require_user()
    ticket = service.get_ticket(ticket_id)
    require(permissions.is_ward_staff(user, ticket.ward_code), STAFF_ONLY)
    return ticket


def _shown(ticket) -> dict:
    return ticket_out(ticket, service.position_of(ticket))


@blp.post("/api/v1/wards/<ward>/queue/check-in")
@idempotent_create(blp)
@blp.arguments(CheckInSchema)
@blp.response(200, TicketSchema)
def check_in(args, ward):
    """Put a booking in the queue by its code (scanned or typed); a second scan answers the
    same ticket (ward staff)."""
    code = _staff_ward(ward)
    ticket, _new = service.check_in(ward_code=code, code=args["code"])
    return _shown(ticket)


@blp.post("/api/v1/wards/<ward>/queue/tickets")
@idempotent_create(blp)
@blp.arguments(WalkInSchema)
@blp.response(201, TicketSchema)
def issue_ticket(args, ward):
    """Give a walk-in the next number of the service's day, within its daily cap (ward staff)."""
    code = _staff_ward(ward)
    found = service.get_in_ward(args["service_id"], code)
    return _shown(service.issue_walk_in(service=found))


@blp.get("/api/v1/wards/<ward>/queue/tickets")
@blp.arguments(TicketListArgsSchema, location="query")
@blp.response(200, TicketListSchema)
def list_tickets(args, ward):
    """List today's tickets of the ward in queue order, with each waiting one's place (staff)."""
    code = _staff_ward(ward)
    if args["service_id"] is not None:
        service.get_in_ward(args["service_id"], code)
    today = slots.local_today(utcnow())
    after = decode_time_cursor(args["cursor"])
    tickets = service.tickets_of_day(
        ward_code=code,
        day=today,
        service_id=args["service_id"],
        status=args["status"],
        after=after,
        limit=args["limit"],
    )
    result = page(tickets, limit=args["limit"], key=lambda t: [t.queued_at.isoformat(), t.id])
    shown = result["items"]
    ahead = None
    if after is not None:
        ahead = service.waiting_before(
            ward_code=code, day=today, before=after, service_id=args["service_id"]
        )
    places = service.positions(
        shown, service.handling_minutes(sorted({t.service_id for t in shown})), ahead
    )
    result["items"] = [ticket_out(t, places.get(t.id)) for t in shown]
    return result


@blp.post("/api/v1/wards/<ward>/queue/call-next")
@idempotent_create(blp)
@blp.arguments(CallNextSchema)
@blp.response(200, TicketSchema)
def call_next(args, ward):
    """Call the ticket that checked in or was issued first to a counter (ward staff).

    Send an Idempotency-Key: a double tap then calls one person, not two.
    """
    code = _staff_ward(ward)
    found = None
    if args["service_id"] is not None:
        found = service.get_in_ward(args["service_id"], code)
    return ticket_out(service.call_next(ward_code=code, counter=args["counter"], service=found))


@blp.post("/api/v1/queue/tickets/<int:ticket_id>/recall")
@idempotent_create(blp)
@blp.arguments(RecallSchema)
@blp.response(200, TicketSchema)
def recall(args, ticket_id):
    """Call a called ticket again, to the same counter or another (ward staff)."""
    ticket = _staff_ticket(ticket_id)
    return ticket_out(service.recall(ticket=ticket, counter=args["counter"]))


@blp.post("/api/v1/queue/tickets/<int:ticket_id>/done")
@blp.response(200, TicketSchema)
def done(ticket_id):
    """Mark a called ticket served (ward staff); a second tap answers the same ticket."""
    return ticket_out(service.finish(ticket=_staff_ticket(ticket_id)))


@blp.post("/api/v1/queue/tickets/<int:ticket_id>/no-show")
@blp.response(200, TicketSchema)
def no_show(ticket_id):
    """Mark a called ticket absent, once called as often as the service asks (ward staff); a
    second tap answers the same ticket."""
    return ticket_out(service.no_show(ticket=_staff_ticket(ticket_id)))


@blp.get("/api/v1/wards/<ward>/queue")
@blp.response(200, QueueBoardSchema)
def board(ward):
    """The hall's screen (public, no names): numbers being served, waiting, estimated wait."""
    code = ward_code(ward)
    now = utcnow()
    today, boards = service.board(ward_code=code, now=now)
    return {
        "ward": code,
        "ward_name": db.session.get(Ward, code).name,
        "date": today,
        "generated_at": now,
        "services": [
            {
                "service_id": b.service.id,
                "name": b.service.name,
                "serving": [
                    {"number": t.number, "counter": t.counter, "call_count": t.call_count}
                    for t in b.serving
                ],
                "waiting": len(b.waiting),
                "next_numbers": [t.number for t in b.waiting[:5]],
                "estimated_wait_minutes": b.estimated_minutes,
            }
            for b in boards
        ],
    }


CSV_HEADER = (
    "Dịch vụ",
    "Lượt đặt",
    "Đã hủy",
    "Đã phục vụ",
    "Vắng mặt",
    "Lấy số tại chỗ",
    "Chưa phục vụ xong",
    "Chờ trung vị (phút)",
    "Chờ phân vị 90 (phút)",
    "Tỷ lệ gọi đúng giờ",
    "Điểm hài lòng trung bình",
    "Số lượt đánh giá",
)


def _csv_row(row: dict) -> list:
    return [
        row["name"],
        row["bookings"],
        row["cancelled"],
        row["served"],
        row["no_shows"],
        row["walk_ins"],
        row["unfinished"],
        row["median_wait_minutes"],
        row["p90_wait_minutes"],
        row["on_time_share"],
        row["average_rating"],
        row["ratings"],
    ]


@blp.get("/api/v1/wards/<ward>/booking-stats")
@blp.arguments(StatsArgsSchema, location="query")
@blp.response(200, StatsSchema)
@blp.doc(
    **json_or_csv(
        StatsSchema,
        "Per service and in total: JSON, or with ?format=csv a CSV (UTF-8 with a BOM) for Excel",
    )
)
def stats(args, ward):
    """Statistics of the ward's bookings and hall over local days (the last 30 by default)."""
    code = _staff_ward(ward)
    today = slots.local_today(utcnow())
    last = args["to"] or today
    first = args["from_"] or last.fromordinal(last.toordinal() - STATS_DEFAULT_DAYS + 1)
    if first > last:
        raise ValidationFailed.on_field(
            "from", "Từ ngày", "Phải trước hoặc bằng «Đến ngày».", location="query"
        )
    if (last - first).days >= STATS_MAX_DAYS:
        raise ValidationFailed.on_field(
            "from", "Từ ngày", f"Mỗi lần xem tối đa {STATS_MAX_DAYS} ngày.", location="query"
        )
    if args["service_id"] is not None:
        service.get_in_ward(args["service_id"], code, field="service_id")
    rows, total = service.compute_stats(
        ward_code=code, first=first, last=last, service_id=args["service_id"]
    )
    items = [r.as_dict() for r in rows]
    if args["format"] == "csv":
        body = csv_bytes(CSV_HEADER, [_csv_row(r) for r in [*items, total.as_dict()]])
        response = current_app.response_class(
            body,
            mimetype="text/csv",
            headers=attachment(f"thong-ke-dat-lich-{code}-{first}-{last}.csv"),
        )
        response.headers["Content-Type"] = "text/csv; charset=utf-8"
        return response
    return {"from_": first, "to": last, "items": items, "total": total.as_dict()}
