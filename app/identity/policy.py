"""Every permission decision lives here; views ask, they never re-implement checks.

"Ward staff" are the ward's `ward_admin` and `ward_editor`; `city_admin` may do everything.
"""

from dataclasses import dataclass

from flask import current_app, has_request_context

from app import registry
from app.errors import Forbidden
from app.identity.models import User
from app.wards.schemas import ALL_WARDS

WARD_ADMIN_ROLES = frozenset({"ward_admin"})
WARD_STAFF_ROLES = frozenset({"ward_admin", "ward_editor"})
DEPARTMENT_ADMIN_ROLES = frozenset({"department_admin"})
DEPARTMENT_STAFF_ROLES = frozenset({"department_admin", "department_editor"})
DEPARTMENT_ROLES = DEPARTMENT_STAFF_ROLES


def is_city_admin(user: User | None) -> bool:
    """Tell whether the user is a city administrator."""
    return user is not None and any(g.role == "city_admin" for g in user.grants)


def _has_ward_role(user: User | None, ward_code: str, roles: frozenset) -> bool:
    if user is None:
        return False
    return is_city_admin(user) or any(
        g.role in roles and g.ward_code == ward_code for g in user.grants
    )


def is_ward_admin(user: User | None, ward_code: str) -> bool:
    """Tell whether the user administers the ward (or the whole city)."""
    return _has_ward_role(user, ward_code, WARD_ADMIN_ROLES)


def is_ward_staff(user: User | None, ward_code: str) -> bool:
    """Tell whether the user is staff of the ward (admin or editor) or a city admin."""
    return _has_ward_role(user, ward_code, WARD_STAFF_ROLES)


def is_community_leader(user: User | None, community_id: int) -> bool:
    """Tell whether the user leads this community."""
    return user is not None and any(
        g.role == "community_leader" and g.community_id == community_id for g in user.grants
    )


def can_run_community(user: User | None, *, community_id: int, ward_code: str) -> bool:
    """Tell whether the user may run a community: its leader or its ward's staff."""
    return is_community_leader(user, community_id) or is_ward_staff(user, ward_code)


def staff_ward_codes(user: User | None) -> set[str] | None:
    """Return the wards the user is staff of; None means every ward (city admin)."""
    if is_city_admin(user):
        return None
    if user is None:
        return set()
    return {g.ward_code for g in user.grants if g.role in WARD_STAFF_ROLES and g.ward_code}


def _has_department_role(user: User | None, department_code: str, roles: frozenset) -> bool:
    if user is None:
        return False
    return is_city_admin(user) or any(
        g.role in roles and g.department_code == department_code for g in user.grants
    )


def is_department_admin(user: User | None, department_code: str) -> bool:
    """Tell whether the user administers the department (or the whole city)."""
    return _has_department_role(user, department_code, DEPARTMENT_ADMIN_ROLES)


def is_department_staff(user: User | None, department_code: str) -> bool:
    """Tell whether the user is staff of the department (admin or editor) or a city admin."""
    return _has_department_role(user, department_code, DEPARTMENT_STAFF_ROLES)


def staff_department_codes(user: User | None) -> set[str] | None:
    """Return the departments the user is staff of; None means every one (city admin)."""
    if is_city_admin(user):
        return None
    if user is None:
        return set()
    return {
        g.department_code
        for g in user.grants
        if g.role in DEPARTMENT_STAFF_ROLES and g.department_code
    }


@dataclass(frozen=True)
class ClientGrant:
    """What an API client's token was granted: scopes, and wards (None = every ward)."""

    scopes: frozenset[str]
    wards: frozenset[str] | None

    def covers(self, ward_code: str | None) -> bool:
        """Tell whether the grant reaches the ward (None: a call across every ward)."""
        if self.wards is None:
            return True
        return ward_code is not None and ward_code in self.wards


def grant_of(token) -> ClientGrant | None:
    """Return what a bearer token was granted; None for a person's token (no scope).

    A person's own bearer token or session acts with their roles; only a client's token
    (OAuth 2.0 client credentials) carries scopes and wards.
    """
    if token is None or token.scope is None:
        return None
    wards = (token.wards or "").split()
    return ClientGrant(
        scopes=frozenset(token.scope.split()),
        wards=None if wards == [ALL_WARDS] else frozenset(wards),
    )


def client_grant() -> ClientGrant | None:
    """Return the grant of the request's API-client token; None when the caller is a person."""
    from app.identity import auth

    return grant_of(auth.current_token()) if has_request_context() else None


def client_may(scope: str, ward_code: str | None) -> bool:
    """Tell whether the request comes from an API client holding `scope` over the ward."""
    grant = client_grant()
    return grant is not None and scope in grant.scopes and grant.covers(ward_code)


def community_ward(community_id: int) -> str | None:
    """Ask the module that holds communities which ward one belongs to (None if unknown)."""
    return registry.ward_of(current_app, "community_leader", community_id)


def can_grant(
    user: User | None, *, role: str, ward_code: str | None, department_code: str | None = None
) -> bool:
    """Tell whether the user may grant or revoke a role there.

    City admins grant anything; a ward admin grants ward and community roles within their
    own ward only; a department admin grants the department's roles within it; nobody else.
    """
    if is_city_admin(user):
        return True
    if role in DEPARTMENT_ROLES:
        return department_code is not None and is_department_admin(user, department_code)
    if role == "city_admin" or ward_code is None:
        return False
    return is_ward_admin(user, ward_code)


def can_end_sessions_of_others(user: User | None) -> bool:
    """Tell whether the user may end another account's sessions and tokens: city admins only."""
    return is_city_admin(user)


def require(allowed: bool, message: str = "Bạn không có quyền thực hiện thao tác này.") -> None:
    """Raise 403 unless allowed."""
    if not allowed:
        raise Forbidden(message)
