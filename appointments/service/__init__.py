"""The appointments service: the one writer of the module's tables (views, jobs, demo call it)."""

from appointments.service.booking import (
    book,
    can_cancel,
    cancel,
    get,
    is_expired,
    is_missed,
    list_mine,
    list_schedule,
    normalise_code,
    rate,
    remind_tomorrow,
    reminders,
)
from appointments.service.personal_data import erase, export_data
from appointments.service.queue import (
    board,
    call_next,
    check_in,
    finish,
    get_ticket,
    handling_minutes,
    issue_walk_in,
    no_show,
    position_of,
    positions,
    recall,
    tickets_of_day,
    waiting_before,
)
from appointments.service.services import create as create_service
from appointments.service.services import (
    day_closed_reason,
    days,
    get_in_ward,
    list_for_ward,
    open_slots,
)
from appointments.service.services import get as get_service
from appointments.service.services import update as update_service
from appointments.service.stats import compute as compute_stats

__all__ = [
    "board",
    "book",
    "call_next",
    "can_cancel",
    "cancel",
    "check_in",
    "compute_stats",
    "create_service",
    "day_closed_reason",
    "days",
    "erase",
    "export_data",
    "finish",
    "get",
    "get_in_ward",
    "get_service",
    "get_ticket",
    "handling_minutes",
    "is_expired",
    "is_missed",
    "issue_walk_in",
    "list_for_ward",
    "list_mine",
    "list_schedule",
    "no_show",
    "normalise_code",
    "open_slots",
    "position_of",
    "positions",
    "rate",
    "recall",
    "remind_tomorrow",
    "reminders",
    "tickets_of_day",
    "update_service",
    "waiting_before",
]
