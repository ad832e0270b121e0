"""Who may do what to field reports, built on app.identity.policy's predicates.

Reports are public; their reporter is not. The reporter is known to themselves and to the
staff of the report's ward (and city admins).
"""

from app.identity import policy
from app.identity.models import User
from reports.models import Report


def is_ward_staff(user: User | None, ward_code: str) -> bool:
    """Tell whether the user handles the ward's reports (its staff, or a city admin)."""
    return policy.is_ward_staff(user, ward_code)


def is_reporter(user: User | None, report: Report) -> bool:
    """Tell whether the user sent this report."""
    return user is not None and report.reporter_id is not None and report.reporter_id == user.id


def can_handle(user: User | None, report: Report) -> bool:
    """Tell whether the user may change the report's status and moderate it."""
    return is_ward_staff(user, report.ward_code)


def can_see_reporter(user: User | None, report: Report) -> bool:
    """Tell whether the user may know who sent the report."""
    return is_reporter(user, report) or can_handle(user, report)


def can_see_hidden(user: User | None, report: Report) -> bool:
    """Tell whether the user sees what moderation hid: the ward's staff, and the reporter
    (their own text and photos, which they hold anyway)."""
    return can_see_reporter(user, report)
