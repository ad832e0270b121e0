"""Statistics of the hall per service and period, and the indicators built on the same rules.

Definitions (docs/decisions/0018): bookings made for the period's days, cancelled among them,
tickets served, no-shows (tickets marked absent, and bookings missed: never checked in once
their slot ended), walk-in numbers, tickets left unfinished when their day ended, the wait
from joining the queue to the first call (median and 90th percentile, minutes), the share of
bookings first called within 15 minutes of the later of their booked start and their arrival
(of the bookings called), and the average stars.
"""

import math
from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa

from app.database import utcnow
from app.extensions import db
from appointments.models import (
    Appointment,
    AppointmentRating,
    BookingService,
    QueueTicket,
)
from appointments.service.booking import missed
from appointments.slots import local_today


def percentile(values: list[float], share: float) -> float | None:
    """Return the nearest-rank percentile of values (None when there are none)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


@dataclass
class Stats:
    service_id: int | None
    name: str
    bookings: int = 0
    cancelled: int = 0
    served: int = 0
    no_shows: int = 0
    walk_ins: int = 0
    unfinished: int = 0
    waits: list[float] = field(default_factory=list)
    on_time: int = 0
    called_bookings: int = 0
    stars: list[int] = field(default_factory=list)

    def as_dict(self) -> dict:
        """Return the figures the API shows."""
        median = percentile(self.waits, 0.5)
        p90 = percentile(self.waits, 0.9)
        return {
            "service_id": self.service_id,
            "name": self.name,
            "bookings": self.bookings,
            "cancelled": self.cancelled,
            "served": self.served,
            "no_shows": self.no_shows,
            "walk_ins": self.walk_ins,
            "unfinished": self.unfinished,
            "median_wait_minutes": None if median is None else round(median, 1),
            "p90_wait_minutes": None if p90 is None else round(p90, 1),
            "on_time_share": (
                round(self.on_time / self.called_bookings, 4) if self.called_bookings else None
            ),
            "average_rating": round(sum(self.stars) / len(self.stars), 2) if self.stars else None,
            "ratings": len(self.stars),
        }


def compute(
    *,
    ward_code: str,
    first: date,
    last: date,
    service_id: int | None = None,
    now: datetime | None = None,
) -> tuple[list[Stats], Stats]:
    """Return the statistics of each service of a ward over local days first..last, and total."""
    now = now or utcnow()
    services = db.session.scalars(
        sa.select(BookingService)
        .where(BookingService.ward_code == ward_code)
        .where(BookingService.id == service_id if service_id is not None else sa.true())
        .order_by(BookingService.id)
    ).all()
    per = {s.id: Stats(s.id, s.name) for s in services}
    total = Stats(None, "Tổng cộng")
    in_period = sa.and_(Appointment.ward_code == ward_code, Appointment.day.between(first, last))
    if service_id is not None:
        in_period = sa.and_(in_period, Appointment.service_id == service_id)
    rows = db.session.execute(
        sa.select(Appointment.service_id, Appointment.status, Appointment.end).where(in_period)
    )
    for sid, status, end in rows:
        for stats in (per[sid], total):
            stats.bookings += 1
            stats.cancelled += status == "cancelled"
            stats.no_shows += missed(status, end, now)
    ratings = db.session.execute(
        sa.select(Appointment.service_id, AppointmentRating.stars)
        .join(AppointmentRating, AppointmentRating.appointment_id == Appointment.id)
        .where(in_period)
    )
    for sid, stars in ratings:
        per[sid].stars.append(stars)
        total.stars.append(stars)
    ticket_filter = sa.and_(
        QueueTicket.ward_code == ward_code, QueueTicket.day.between(first, last)
    )
    if service_id is not None:
        ticket_filter = sa.and_(ticket_filter, QueueTicket.service_id == service_id)
    tickets = db.session.execute(
        sa.select(
            QueueTicket.service_id,
            QueueTicket.source,
            QueueTicket.status,
            QueueTicket.day,
            QueueTicket.queued_at,
            QueueTicket.called_at,
            QueueTicket.on_time,
        ).where(ticket_filter)
    )
    today = local_today(now)
    for sid, source, status, day, queued_at, called_at, on_time in tickets:
        for stats in (per[sid], total):
            stats.served += status == "done"
            stats.no_shows += status == "no_show"
            stats.walk_ins += source == "walk_in"
            stats.unfinished += status in ("waiting", "called") and day < today
            if called_at is not None:
                stats.waits.append((called_at - queued_at).total_seconds() / 60)
            if on_time is not None:
                stats.called_bookings += 1
                stats.on_time += bool(on_time)
    return list(per.values()), total


# Indicators (all wards in one grouped query each)


def on_time_by_ward() -> dict[str, tuple[int, int]]:
    """Count, per ward, bookings first called within 15 minutes of their start, of those called."""
    rows = db.session.execute(
        sa.select(
            QueueTicket.ward_code,
            sa.func.sum(sa.case((QueueTicket.on_time == sa.true(), 1), else_=0)),
            sa.func.count(),
        )
        .where(QueueTicket.on_time.is_not(None))
        .group_by(QueueTicket.ward_code)
    )
    return {code: (int(n or 0), int(d)) for code, n, d in rows}


def rating_by_ward() -> dict[str, tuple[int, int]]:
    """Sum the stars and count the ratings per ward (the value is their average)."""
    rows = db.session.execute(
        sa.select(Appointment.ward_code, sa.func.sum(AppointmentRating.stars), sa.func.count())
        .join(AppointmentRating, AppointmentRating.appointment_id == Appointment.id)
        .group_by(Appointment.ward_code)
    )
    return {code: (int(stars or 0), int(n)) for code, stars, n in rows}
