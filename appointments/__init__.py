"""Appointments and queue numbers (đặt lịch, lấy số) at the ward office and the community hall.

The service (`appointments.service`) is the one writer of the module's tables; the JSON API
(views.py for services and bookings, hall.py for the queue and statistics), the web pages and
the worker's reminder job call it. docs/decisions/0018-appointments-and-queue.md.
"""

from app.database import transaction
from app.registry import EventType, MiniappModule, ModuleManifest, PeriodicJob
from app.strict import StrictSchema
from appointments import demo, hall, indicators, service  # hall registers its routes on blp
from appointments.models import (
    KIND_LABELS,
    SOURCE_LABELS,
    STATUS_LABELS,
    TICKET_STATUS_LABELS,
)
from appointments.monthly import monthly_figures
from appointments.views import blp


def send_reminders() -> int:
    """Remind holders of tomorrow's bookings, in a transaction of its own; return how many."""
    with transaction():
        return service.remind_tomorrow()


class AppointmentsSettingsSchema(StrictSchema):
    """Settings of the booking entry: none yet (the services are the ward's own)."""


manifest = ModuleManifest(
    name="appointments",
    blueprints=[blp],
    # Its id is the address of its pages in the ward miniapp (/w/<ward>/dat-lich).
    miniapp_modules=[
        MiniappModule(
            id="dat-lich",
            title="Đặt lịch, lấy số",
            icon="calendar",
            settings_schema=AppointmentsSettingsSchema,
            description=(
                "Đặt lịch làm thủ tục tại bộ phận một cửa, đặt phòng nhà văn hóa, "
                "nhận số thứ tự bằng mã QR."
            ),
        )
    ],
    demo_loaders=[demo.load],
    indicators=indicators.INDICATORS,
    monthly_figures=[monthly_figures],
    vocabularies={
        "appointment_status": STATUS_LABELS,
        "booking_service_kind": KIND_LABELS,
        "queue_ticket_status": TICKET_STATUS_LABELS,
        "queue_ticket_source": SOURCE_LABELS,
    },
    personal_data_exporters=[service.export_data],
    personal_data_erasers=[service.erase],
    periodic_jobs=[PeriodicJob("appointments.remind", send_reminders, every_seconds=900)],
    # For the ward's staff only (no scope): who booked is never in them (appointments/events.py).
    event_types=[
        EventType("appointment.booked", "Lịch hẹn mới được đặt"),
        EventType("appointment.cancelled", "Lịch hẹn bị hủy"),
    ],
)

__all__ = ["hall", "manifest"]
