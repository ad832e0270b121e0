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


def load() -> None:
    """Create demo staff: a city admin and an admin and an editor in each pilot ward."""
    service.grant_role(
        user=demo_user(CITY_ADMIN_SUB), role="city_admin", ward_code=None, community_id=None
    )
    for ward_code in PILOT_WARDS:
        for role in ("ward_admin", "ward_editor"):
            service.grant_role(
                user=demo_user(staff_sub(ward_code, role)),
                role=role,
                ward_code=ward_code,
                community_id=None,
            )
