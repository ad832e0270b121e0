"""Who may do what with communities and notices, built on app.identity.policy's predicates.

Communities are public (name, kind, ward, leaders' names): residents must be able to find
their own group. Invite codes, the full member list and households are for the group's
leaders and the ward's staff.
"""

from dataclasses import dataclass

from app.identity import policy
from app.identity.models import User
from community.groups import service as groups
from community.groups.models import Community


def can_create_community(user: User | None, ward_code: str) -> bool:
    """Tell whether the user may create communities in the ward: its staff."""
    return policy.is_ward_staff(user, ward_code)


def can_run(user: User | None, community: Community) -> bool:
    """Tell whether the user runs the community: its leader or its ward's staff."""
    return policy.can_run_community(user, community_id=community.id, ward_code=community.ward_code)


def can_see_invite_code(user: User | None, community: Community) -> bool:
    """Tell whether the user sees the invite code (and its QR code)."""
    return can_run(user, community)


def can_appoint_leaders(user: User | None, community: Community) -> bool:
    """Tell whether the user may appoint or dismiss leaders: the ward's staff."""
    return policy.is_ward_staff(user, community.ward_code)


def can_remove_member(user: User | None, community: Community, *, target_is_leader: bool) -> bool:
    """Tell whether the user may remove a member; only staff remove a leader."""
    if target_is_leader:
        return policy.is_ward_staff(user, community.ward_code)
    return can_run(user, community)


def member_list_view(user: User | None, community: Community) -> str | None:
    """Return how much of the member list the user sees: "full", "names" or None."""
    if can_run(user, community):
        return "full"
    if groups.is_member(community.id, user):
        return "names"
    return None


def can_publish(
    user: User | None,
    *,
    ward_code: str,
    community_ids: list[int],
    department_code: str | None = None,
) -> bool:
    """Tell whether the user may address a notice to a ward: its staff anywhere in it, an API
    client holding notices:write over it, the staff of the department sending it (ward-wide
    only), leaders to their own communities only (never ward-wide)."""
    if policy.is_ward_staff(user, ward_code):
        return True
    if user is not None and policy.client_may("notices:write", ward_code):
        return True
    if department_code is not None and not community_ids:
        return policy.is_department_staff(user, department_code)
    return bool(community_ids) and all(
        policy.is_community_leader(user, cid) for cid in community_ids
    )


def may_name_department(user: User | None, department_code: str) -> bool:
    """Tell whether the user may send notices in a department's name: its staff (a city
    admin is staff of every department); never an API client."""
    return policy.client_grant() is None and policy.is_department_staff(user, department_code)


def is_notice_manager(user: User | None, notice) -> bool:
    """Tell whether the user manages a notice (withdraw, stats, drafts): ward staff, its
    author, or the staff of the department that sent it."""
    if user is None:
        return False
    if policy.is_ward_staff(user, notice.ward_code) or notice.author_id == user.id:
        return True
    return notice.department_code is not None and policy.is_department_staff(
        user, notice.department_code
    )


def is_broadcast_manager(user: User | None, broadcast) -> bool:
    """Tell whether the user sees a city-wide notice's reach and may withdraw it: city admins,
    the staff of the department that sent it, its author."""
    if user is None:
        return False
    if policy.is_city_admin(user) or broadcast.author_id == user.id:
        return True
    return broadcast.department_code is not None and policy.is_department_staff(
        user, broadcast.department_code
    )


@dataclass(frozen=True)
class NoticeListScope:
    """Which of a ward's notices a user may list: all of them, those of some communities, or
    (`public`) only the live ward-wide ones anyone may read."""

    everything: bool
    community_ids: tuple[int, ...] = ()
    public: bool = False


def notice_list_scope(user: User | None, ward_code: str) -> NoticeListScope | None:
    """Return which of the ward's notices the user may list: its staff all of them, leaders
    those addressed to the communities they lead in that ward, an API client with notices:read
    over the ward the public ones; None for anyone else."""
    if user is None:
        return None
    if policy.is_ward_staff(user, ward_code):
        return NoticeListScope(everything=True)
    if policy.client_may("notices:read", ward_code):
        return NoticeListScope(everything=False, public=True)
    led = sorted(
        {
            g.community_id
            for g in user.grants
            if g.role == "community_leader" and g.community_id is not None
        }
    )
    in_ward = tuple(cid for cid in led if groups.ward_of(cid) == ward_code)
    if not in_ward:
        return None
    return NoticeListScope(everything=False, community_ids=in_ward)
