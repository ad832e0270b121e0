"""Domain errors of the appointments module (app/errors.py maps them to HTTP)."""

from app.errors import Conflict, Forbidden, NotFound


class ServiceNotFound(NotFound):
    """No such booking service (or not in this ward)."""

    code = "booking_service_not_found"


class AppointmentNotFound(NotFound):
    """No such appointment, or not one the caller may see."""

    code = "appointment_not_found"


class TicketNotFound(NotFound):
    """No such queue ticket."""

    code = "ticket_not_found"


class ServiceInactive(Conflict):
    """The service takes no bookings or numbers now."""

    code = "booking_service_inactive"


class SlotFull(Conflict):
    """Every place of the slot is taken."""

    code = "slot_full"


class AlreadyBooked(Conflict):
    """The person holds an active booking of this service on that day."""

    code = "already_booked"


class NotCancellable(Conflict):
    """The booking has started, been checked in or finished: it cannot be cancelled."""

    code = "not_cancellable"


class CheckInRefused(Conflict):
    """The booking cannot be checked in (cancelled, finished, another day)."""

    code = "check_in_refused"


class WalkInCapReached(Conflict):
    """The day's walk-in numbers of the service are all given out."""

    code = "walk_in_cap_reached"


class QueueEmpty(Conflict):
    """Nobody is waiting."""

    code = "queue_empty"


class TicketStateConflict(Conflict):
    """The ticket is not in a state that allows this step."""

    code = "ticket_state_conflict"


class AlreadyRated(Conflict):
    """The appointment has its rating already."""

    code = "already_rated"


class NotYetServed(Conflict):
    """Only a finished appointment can be rated."""

    code = "appointment_not_served"


class NotTheHolder(Forbidden):
    """Only the person who booked may do this."""

    code = "not_the_holder"
