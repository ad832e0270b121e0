"""The hall: check-in, walk-in numbers, calling the next, finishing; the public display.

Numbers come from one counter row per service and local day (`queue_day`), raised by an UPDATE
… RETURNING in the request's transaction: a request that fails gives its number back with its
rollback (no gap), and two requests never read the same value (no repeat). A counter claims the
ticket it calls with `UPDATE … WHERE status = 'waiting'`, so two counters never call one person.
"""

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.database import insert_ignore, utcnow
from app.errors import ValidationFailed
from app.extensions import db
from appointments import slots as slot_rules
from appointments.exceptions import (
    AppointmentNotFound,
    CheckInRefused,
    QueueEmpty,
    ServiceInactive,
    TicketNotFound,
    TicketStateConflict,
    WalkInCapReached,
)
from appointments.models import (
    STATUS_LABELS,
    TICKET_STATUS_LABELS,
    Appointment,
    BookingService,
    QueueDay,
    QueueTicket,
)
from appointments.service.booking import normalise_code
from appointments.service.services import list_for_ward

# A booking is served on time when first called within this long after its booked start.
ON_TIME = timedelta(minutes=15)
# The handling time of a service is the mean of its tickets finished in the last 30 days.
HANDLING_DAYS = 30
_CLAIM_ATTEMPTS = 20


def get_ticket(ticket_id: int) -> QueueTicket:
    """Return a ticket, or raise TicketNotFound."""
    ticket = db.session.get(QueueTicket, ticket_id)
    if ticket is None:
        raise TicketNotFound("Không tìm thấy số thứ tự này.")
    return ticket


def _next_number(service: BookingService, day: date, *, walk_in: bool) -> int | None:
    """Draw the next number of a service's day; None when a walk-in would pass the cap."""
    insert_ignore(
        QueueDay,
        [{"service_id": service.id, "day": day, "last_number": 0, "walk_ins": 0}],
        keys=["service_id", "day"],
    )
    stmt = sa.update(QueueDay).where(QueueDay.service_id == service.id, QueueDay.day == day)
    values = {"last_number": QueueDay.last_number + 1}
    if walk_in:
        stmt = stmt.where(QueueDay.walk_ins < service.walk_in_cap)
        values["walk_ins"] = QueueDay.walk_ins + 1
    row = db.session.execute(stmt.values(**values).returning(QueueDay.last_number)).first()
    return None if row is None else row[0]


def check_in(*, ward_code: str, code: str, now: datetime | None = None) -> tuple[QueueTicket, bool]:
    """Put a booking in the hall's queue by its code; return its ticket and whether it is new.

    A code of another ward is unknown here. A second scan answers the same ticket.
    """
    now = now or utcnow()
    appointment = db.session.scalar(
        sa.select(Appointment).where(
            Appointment.code == normalise_code(code), Appointment.ward_code == ward_code
        )
    )
    if appointment is None:
        raise AppointmentNotFound("Không có lịch hẹn nào mang mã này ở phường, xã này.")
    today = slot_rules.local_today(now)
    moved = db.session.execute(
        sa.update(Appointment)
        .where(
            Appointment.id == appointment.id,
            Appointment.status == "booked",
            Appointment.day == today,
        )
        .values(
            status="checked_in",
            checked_in_at=now,
            updated_at=now,
            sequence=Appointment.sequence + 1,
        )
        .returning(Appointment.id)
    ).first()
    db.session.refresh(appointment)
    if moved is None:
        ticket = db.session.scalar(
            sa.select(QueueTicket).where(QueueTicket.appointment_id == appointment.id)
        )
        if ticket is not None and appointment.status in ("checked_in", "called"):
            return ticket, False
        if appointment.status != "booked":
            raise CheckInRefused(
                f"Lịch hẹn này ở trạng thái «{STATUS_LABELS[appointment.status]}»; "
                "không tiếp nhận được."
            )
        raise CheckInRefused(
            f"Lịch hẹn này vào ngày {appointment.day:%d/%m/%Y}, không phải hôm nay."
        )
    number = _next_number(appointment.service, today, walk_in=False)
    ticket = QueueTicket(
        ward_code=ward_code,
        service_id=appointment.service_id,
        day=today,
        number=number,
        source="appointment",
        appointment_id=appointment.id,
        status="waiting",
        queued_at=now,
    )
    db.session.add(ticket)
    db.session.flush()
    return ticket, True


def issue_walk_in(*, service: BookingService, now: datetime | None = None) -> QueueTicket:
    """Give a walk-in the next number of the service's day, within its daily cap."""
    now = now or utcnow()
    if not service.active:
        raise ServiceInactive("Dịch vụ này đang tạm ngừng.")
    today = slot_rules.local_today(now)
    number = _next_number(service, today, walk_in=True)
    if number is None and service.walk_in_cap == 0:
        raise WalkInCapReached("Dịch vụ này không cấp số tại chỗ; chỉ nhận đặt lịch trước.")
    if number is None:
        raise WalkInCapReached(
            f"Đã cấp đủ {service.walk_in_cap} số lấy tại chỗ hôm nay cho dịch vụ này."
        )
    ticket = QueueTicket(
        ward_code=service.ward_code,
        service_id=service.id,
        day=today,
        number=number,
        source="walk_in",
        status="waiting",
        queued_at=now,
    )
    db.session.add(ticket)
    db.session.flush()
    return ticket


def _sync_appointment(ticket: QueueTicket, status: str, now: datetime) -> None:
    """Move the booking of a ticket to the ticket's state (the same writer, the same step)."""
    if ticket.appointment_id is not None:
        db.session.execute(
            sa.update(Appointment)
            .where(Appointment.id == ticket.appointment_id)
            .values(status=status, updated_at=now, sequence=Appointment.sequence + 1)
        )


def _check_counter(counter: int, counters: int, whose: str) -> None:
    if counter > counters:
        raise ValidationFailed.on_field(
            "counter", "Quầy", f"{whose} có {counters} quầy (1 đến {counters})."
        )


def call_next(
    *,
    ward_code: str,
    counter: int,
    service: BookingService | None = None,
    now: datetime | None = None,
) -> QueueTicket:
    """Call the ticket that has waited longest (of one service, or of any) to `counter`."""
    now = now or utcnow()
    if service is not None:
        _check_counter(counter, service.counters, "Dịch vụ này")
    else:
        most = max((s.counters for s in list_for_ward(ward_code)), default=1)
        _check_counter(counter, most, "Phường, xã này")
    today = slot_rules.local_today(now)
    waiting = sa.select(QueueTicket.id).where(
        QueueTicket.ward_code == ward_code,
        QueueTicket.day == today,
        QueueTicket.status == "waiting",
    )
    if service is not None:
        waiting = waiting.where(QueueTicket.service_id == service.id)
    waiting = waiting.order_by(QueueTicket.queued_at, QueueTicket.id).limit(1)
    for _ in range(_CLAIM_ATTEMPTS):
        ticket_id = db.session.scalar(waiting)
        if ticket_id is None:
            raise QueueEmpty("Không còn ai đang chờ.")
        claimed = db.session.execute(
            sa.update(QueueTicket)
            .where(QueueTicket.id == ticket_id, QueueTicket.status == "waiting")
            .values(status="called", counter=counter, call_count=1, called_at=now)
            .returning(QueueTicket.id)
        ).first()
        if claimed is not None:
            ticket = db.session.get(QueueTicket, ticket_id, populate_existing=True)
            if ticket.appointment is not None:
                # From the later of the booked time and the arrival: a resident who comes
                # late and is called at once was served on time.
                expected = max(ticket.appointment.start, ticket.queued_at)
                ticket.on_time = now <= expected + ON_TIME
                _sync_appointment(ticket, "called", now)
            db.session.flush()
            db.session.refresh(ticket)
            return ticket
    raise QueueEmpty("Các quầy khác vừa gọi hết người đang chờ; hãy thử lại.")


def _move(ticket: QueueTicket, *, to: str, now: datetime, extra: dict | None = None) -> QueueTicket:
    """Move a called ticket to `to` by a conditional UPDATE; refuse if it is not called."""
    moved = db.session.execute(
        sa.update(QueueTicket)
        .where(QueueTicket.id == ticket.id, QueueTicket.status == "called")
        .values(status=to, **(extra or {}))
        .returning(QueueTicket.id)
    ).first()
    db.session.refresh(ticket)
    if moved is None and ticket.status == to:
        return ticket  # a double tap: the first one did it
    if moved is None:
        raise TicketStateConflict(
            f"Số {ticket.number} đang ở trạng thái «{ticket_status_label(ticket)}»; "
            "chỉ số đang gọi mới làm được việc này."
        )
    return ticket


def ticket_status_label(ticket: QueueTicket) -> str:
    """Name a ticket's state for people."""
    return TICKET_STATUS_LABELS[ticket.status]


def recall(*, ticket: QueueTicket, counter: int | None = None, now: datetime | None = None):
    """Call a called ticket again (to the same counter, or another)."""
    now = now or utcnow()
    extra = {"call_count": QueueTicket.call_count + 1}
    if counter is not None:
        _check_counter(counter, ticket.service.counters, "Dịch vụ này")
        extra["counter"] = counter
    return _move(ticket, to="called", now=now, extra=extra)


def finish(*, ticket: QueueTicket, now: datetime | None = None) -> QueueTicket:
    """Mark a called ticket served."""
    now = now or utcnow()
    if ticket.status == "done":
        return ticket
    ticket = _move(ticket, to="done", now=now, extra={"finished_at": now})
    _sync_appointment(ticket, "done", now)
    return ticket


def no_show(*, ticket: QueueTicket, now: datetime | None = None) -> QueueTicket:
    """Mark a called ticket absent, once it has been called `calls_before_no_show` times."""
    now = now or utcnow()
    if ticket.status == "no_show":
        return ticket
    needed = ticket.service.calls_before_no_show
    if ticket.status == "called" and ticket.call_count < needed:
        raise TicketStateConflict(
            f"Cần gọi số {ticket.number} đủ {needed} lần trước khi ghi vắng mặt "
            f"(mới gọi {ticket.call_count} lần)."
        )
    ticket = _move(ticket, to="no_show", now=now, extra={"finished_at": now})
    _sync_appointment(ticket, "no_show", now)
    return ticket


# Reading the hall


def tickets_of_day(
    *,
    ward_code: str,
    day: date,
    service_id: int | None = None,
    status: str | None = None,
    after: tuple[datetime, int] | None = None,
    limit: int | None = None,
) -> list[QueueTicket]:
    """Return a ward's tickets of a day in queue order (after a (queued_at, id) key; at most
    `limit` + 1 when a page is asked for), each with its booking."""
    stmt = _day_filter(sa.select(QueueTicket), ward_code, day, service_id, status)
    if after is not None:
        queued_at, ticket_id = after
        stmt = stmt.where(
            sa.or_(
                QueueTicket.queued_at > queued_at,
                sa.and_(QueueTicket.queued_at == queued_at, QueueTicket.id > ticket_id),
            )
        )
    stmt = stmt.options(selectinload(QueueTicket.appointment)).order_by(
        QueueTicket.queued_at, QueueTicket.id
    )
    if limit is not None:
        stmt = stmt.limit(limit + 1)
    return list(db.session.scalars(stmt))


def _day_filter(stmt, ward_code: str, day: date, service_id: int | None, status: str | None):
    stmt = stmt.where(QueueTicket.ward_code == ward_code, QueueTicket.day == day)
    if service_id is not None:
        stmt = stmt.where(QueueTicket.service_id == service_id)
    if status is not None:
        stmt = stmt.where(QueueTicket.status == status)
    return stmt


def waiting_before(
    *, ward_code: str, day: date, before: tuple[datetime, int], service_id: int | None = None
) -> dict[int, int]:
    """Count, per service, the tickets still waiting that joined the queue before a key: where
    a later page's places start."""
    queued_at, ticket_id = before
    stmt = _day_filter(
        sa.select(QueueTicket.service_id, sa.func.count()),
        ward_code,
        day,
        service_id,
        "waiting",
    ).where(
        sa.or_(
            QueueTicket.queued_at < queued_at,
            sa.and_(QueueTicket.queued_at == queued_at, QueueTicket.id <= ticket_id),
        )
    )
    rows = db.session.execute(stmt.group_by(QueueTicket.service_id))
    return {sid: int(n) for sid, n in rows}


def handling_minutes(service_ids: list[int], now: datetime | None = None) -> dict[int, float]:
    """Return the mean minutes from call to done of each service's tickets finished in the
    last HANDLING_DAYS days (one query for all the services)."""
    if not service_ids:
        return {}
    since = (now or utcnow()) - timedelta(days=HANDLING_DAYS)
    rows = db.session.execute(
        sa.select(QueueTicket.service_id, QueueTicket.called_at, QueueTicket.finished_at).where(
            QueueTicket.service_id.in_(service_ids),
            QueueTicket.status == "done",
            QueueTicket.finished_at >= since,
        )
    )
    totals: dict[int, list[float]] = {}
    for service_id, called, done in rows:
        totals.setdefault(service_id, []).append((done - called).total_seconds())
    return {sid: sum(secs) / len(secs) / 60 for sid, secs in totals.items()}


def estimate_minutes(ahead: int, service: BookingService, handling: dict[int, float]) -> int:
    """Estimate the wait of someone with `ahead` people before them, in whole minutes."""
    per_person = handling.get(service.id, service.duration_minutes)
    return math.ceil(ahead * per_person / max(1, service.counters))


@dataclass(frozen=True)
class Position:
    ahead: int
    estimated_minutes: int


def positions(
    tickets: list[QueueTicket],
    handling: dict[int, float],
    ahead_of_list: dict[int, int] | None = None,
) -> dict[int, Position]:
    """Return, for each waiting ticket of a day's list, how many wait before it and how long;
    `ahead_of_list` counts, per service, those waiting before the list starts (a later page)."""
    seen: dict[int, int] = dict(ahead_of_list or {})
    result = {}
    for ticket in tickets:  # in queue order
        if ticket.status != "waiting":
            continue
        ahead = seen.get(ticket.service_id, 0)
        result[ticket.id] = Position(ahead, estimate_minutes(ahead, ticket.service, handling))
        seen[ticket.service_id] = ahead + 1
    return result


def position_of(ticket: QueueTicket) -> Position | None:
    """Return a waiting ticket's place in its service's queue."""
    if ticket.status != "waiting":
        return None
    tickets = tickets_of_day(
        ward_code=ticket.ward_code, day=ticket.day, service_id=ticket.service_id, status="waiting"
    )
    return positions(tickets, handling_minutes([ticket.service_id])).get(ticket.id)


@dataclass(frozen=True)
class ServiceBoard:
    service: BookingService
    serving: list[QueueTicket]
    waiting: list[QueueTicket]
    estimated_minutes: int


def board(*, ward_code: str, now: datetime | None = None) -> tuple[date, list[ServiceBoard]]:
    """Return the hall's screen: per active service, who is being served and who waits.

    Rooms of the community hall (`facility`) show only when someone queues for one today.
    """
    now = now or utcnow()
    today = slot_rules.local_today(now)
    tickets = [
        t
        for t in tickets_of_day(ward_code=ward_code, day=today)
        if t.status in ("waiting", "called")
    ]
    found = list_for_ward(ward_code)
    handling = handling_minutes([s.id for s in found])
    boards = []
    for service in found:
        mine = [t for t in tickets if t.service_id == service.id]
        if service.kind == "facility" and not mine:
            continue  # a room booked ahead has no queue in the hall
        waiting = [t for t in mine if t.status == "waiting"]
        serving = sorted(
            (t for t in mine if t.status == "called"), key=lambda t: t.called_at, reverse=True
        )
        boards.append(
            ServiceBoard(
                service, serving, waiting, estimate_minutes(len(waiting), service, handling)
            )
        )
    return today, boards
