"""Demo booking services in the pilot wards, and a booking in one; loading twice is harmless."""

import sqlalchemy as sa

from app.database import utcnow
from app.extensions import db
from app.identity.demo import PILOT_WARDS, citizens_of, demo_user
from appointments import service
from appointments.models import Appointment, BookingService

OFFICE_HOURS = [
    *(
        {"weekday": day, "start": start, "end": end}
        for day in range(1, 6)
        for start, end in ((7 * 60 + 30, 11 * 60 + 30), (13 * 60 + 30, 17 * 60))
    ),
    {"weekday": 6, "start": 7 * 60 + 30, "end": 11 * 60 + 30},
]
HALL_HOURS = [{"weekday": day, "start": 7 * 60, "end": 21 * 60} for day in range(1, 8)]

SERVICES = (
    {
        "name": "Hộ tịch, chứng thực",
        "kind": "procedure",
        "description": "Đăng ký khai sinh, kết hôn, khai tử; chứng thực bản sao, chữ ký.",
        "location": "Bộ phận một cửa, tầng 1, trụ sở UBND",
        "duration_minutes": 15,
        "capacity": 2,
        "counters": 2,
        "hours": OFFICE_HOURS,
    },
    {
        "name": "Đất đai, xây dựng",
        "kind": "procedure",
        "description": "Tiếp nhận hồ sơ đất đai, cấp phép xây dựng nhà ở riêng lẻ.",
        "location": "Bộ phận một cửa, tầng 1, trụ sở UBND",
        "duration_minutes": 30,
        "capacity": 1,
        "counters": 1,
        "hours": OFFICE_HOURS,
    },
    {
        "name": "Phòng sinh hoạt nhà văn hóa",
        "kind": "facility",
        "description": "Đặt phòng cho họp tổ dân phố, sinh hoạt câu lạc bộ (tối đa 2 giờ).",
        "location": "Nhà văn hóa khu dân cư",
        "duration_minutes": 120,
        "capacity": 1,
        "counters": 1,
        "walk_in_cap": 0,
        "hours": HALL_HOURS,
    },
)


def load() -> None:
    """Create each pilot ward's services unless they exist (known by ward and name), and one
    booking of the first open slot for a demo citizen of the first pilot ward."""
    for ward in PILOT_WARDS:
        for spec in SERVICES:
            exists = db.session.scalar(
                sa.select(BookingService.id).where(
                    BookingService.ward_code == ward, BookingService.name == spec["name"]
                )
            )
            if exists is None:
                service.create_service(ward_code=ward, **spec)
    ward = PILOT_WARDS[0]
    holder = demo_user(citizens_of(ward)[3].sub)
    if db.session.scalar(sa.select(Appointment.id).where(Appointment.user_id == holder.id)):
        return
    first = db.session.scalar(
        sa.select(BookingService)
        .where(BookingService.ward_code == ward, BookingService.kind == "procedure")
        .order_by(BookingService.id)
    )
    now = utcnow()
    for day in service.days(first, now):
        if day.remaining:
            slot = service.open_slots(first, day.day, now)[0]
            service.book(service=first, user=holder, start=slot.start, now=now)
            return
