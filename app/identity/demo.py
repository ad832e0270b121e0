"""Demo accounts: demo citizens of the mock provider, with staff roles in the pilot wards."""

import sqlalchemy as sa

from app.extensions import db
from app.identity import service
from app.identity.models import User
from app.mock_vneid.citizens import all_citizens

PILOT_WARDS = ("00070", "00025", "00592", "00424", "09661", "00283", "00235")


def demo_user(sub: str) -> User:
    """Return the account of a demo citizen, creating it as a first sign-in would."""
    citizen = next(c for c in all_citizens() if c.sub == sub)
    user = db.session.scalar(
        sa.select(User).where(User.issuer == service.MOCK_PROVIDER, User.sub == sub)
    )
    if user is None:
        user = service.sign_in(
            provider=service.MOCK_PROVIDER,
            claims={
                "sub": citizen.sub,
                "name": citizen.name,
                "vneid_level": citizen.vneid_level,
                "personal_id": citizen.personal_id,
            },
        )
    return user


def citizens_of(ward_code: str) -> list:
    """Return the demo citizens living in a ward."""
    return [c for c in all_citizens() if c.ward_code == ward_code]


def staff_sub(ward_code: str, role: str = "ward_admin") -> str:
    """Return the demo citizen who is the ward's admin (first) or editor (second)."""
    people = citizens_of(ward_code)
    return people[0].sub if role == "ward_admin" else people[1].sub


CITY_ADMIN_SUB = all_citizens()[-1].sub
# The admin of a department (a resident of a pilot ward who is not its staff); the role is
# granted by the departments' demo loader, which makes the department first.
DEPARTMENT_ADMIN_SUB = all_citizens()[-2].sub
DEMO_DEPARTMENT = "SKHCN"


def demo_role(sub: str) -> str | None:
    """Return the role the demo data gives a demo citizen (None: a plain resident)."""
    if sub == CITY_ADMIN_SUB:
        return "city_admin"
    if sub == DEPARTMENT_ADMIN_SUB:
        return "department_admin"
    citizen = next((c for c in all_citizens() if c.sub == sub), None)
    if citizen is None or citizen.ward_code not in PILOT_WARDS:
        return None
    for role in ("ward_admin", "ward_editor"):
        if staff_sub(citizen.ward_code, role) == sub:
            return role
    return None


def load() -> None:
    """Create demo staff: a city admin and an admin and an editor in each pilot ward."""
    for citizen in all_citizens():
        role = demo_role(citizen.sub)
        if role is not None and role != "department_admin":
            service.grant_role(
                user=demo_user(citizen.sub),
                role=role,
                ward_code=None if role == "city_admin" else citizen.ward_code,
                community_id=None,
            )
