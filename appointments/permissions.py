"""Who may do what with bookings and the hall, built on app.identity.policy's predicates.

A booking is its holder's and the ward's: the holder sees, cancels and rates it; the staff of
the service's ward (and city admins) see it with the holder's name and run the hall.
"""

from app.identity import policy
from app.identity.models import User
from appointments.models import Appointment


def is_ward_staff(user: User | None, ward_code: str) -> bool:
    """Tell whether the user runs the ward's services and hall (its staff, or a city admin)."""
    return policy.is_ward_staff(user, ward_code)


def is_holder(user: User | None, appointment: Appointment) -> bool:
    """Tell whether the user made this booking."""
    return user is not None and appointment.user_id is not None and appointment.user_id == user.id


def can_see(user: User | None, appointment: Appointment) -> bool:
    """Tell whether the user may see the booking (and its ticket and calendar file)."""
    return is_holder(user, appointment) or is_ward_staff(user, appointment.ward_code)
