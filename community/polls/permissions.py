"""Who may do what with polls, built on app.identity.policy's predicates.

Ward-wide polls (other than drafts) are public, like the ward's notices; a community's polls
are for its members and the people who run it. A poll the caller may not see answers 404,
the same as a poll that does not exist.
"""

from app.identity import policy
from app.identity.models import User
from community import permissions as community_permissions
from community.groups import service as groups
from community.polls.models import Poll


def can_create(user: User | None, *, ward_code: str, community_id: int | None) -> bool:
    """Tell whether the user may create a poll: the ward's staff, or the community's leader."""
    if community_id is None:
        return policy.is_ward_staff(user, ward_code)
    return policy.can_run_community(user, community_id=community_id, ward_code=ward_code)


def can_send_to_ward(user: User | None, *, ward_code: str, department_code: str | None) -> bool:
    """Tell whether the user may send a city-wide poll to a ward: its staff (a city admin is
    staff of every ward), or the staff of the department sending it (one rule with notices)."""
    if policy.is_ward_staff(user, ward_code):
        return True
    return department_code is not None and community_permissions.may_name_department(
        user, department_code
    )


def can_manage(user: User | None, poll: Poll) -> bool:
    """Tell whether the user manages the poll (open, close, see drafts)."""
    return can_create(user, ward_code=poll.ward_code, community_id=poll.community_id)


def can_see(user: User | None, poll: Poll) -> bool:
    """Tell whether the user may see the poll at all."""
    if poll.community_id is None and poll.status != "draft":
        return True  # a ward's polls are public once out of draft (no need to ask for roles)
    if can_manage(user, poll):
        return True
    if poll.status == "draft":
        return False
    if poll.community_id is None:
        return True
    return groups.is_member(poll.community_id, user)
