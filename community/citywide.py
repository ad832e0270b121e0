"""What city-wide notices and surveys share: the wards they go to, the department that sends
them, and the refusal when the sender may not reach some of the wards.

Who may reach a ward is each module's own rule (community.permissions for notices,
community.polls.permissions for polls); naming a department is one rule for both
(community.permissions.may_name_department).
"""

from collections.abc import Callable

import sqlalchemy as sa
from marshmallow import validate

from app.departments.models import Department
from app.errors import ValidationFailed
from app.extensions import db
from app.fields import Text
from app.identity import policy
from app.identity.models import User
from app.identity.policy import require
from app.pagination import PageArgsSchema
from app.wards import service as ward_service
from app.wards.models import Ward
from community import permissions


def resolve_wards(wards: str | list[str]) -> list[Ward]:
    """Return the wards named by codes or slugs (or every ward for "all"), by code, each once.

    Unknown names are refused together, each named, so that the sender can fix them at once.
    """
    found, unknown = ward_service.resolve_many(wards)
    if unknown:
        raise ValidationFailed.on_field(
            "wards",
            "Phường, xã",
            "Không có phường, xã: " + ", ".join(unknown) + ".",
        )
    return found


def get_department(code: str) -> Department:
    """Return the department with this code, or refuse the field naming it."""
    found = db.session.get(Department, code.strip().upper())
    if found is None:
        raise ValidationFailed.on_field("department", "Sở, ngành", f"Không có sở, ngành mã {code}.")
    return found


def sender(user: User, code: str | None, noun: str) -> str | None:
    """Return the code of the department the body names as sender, if its staff may."""
    if code is None:
        return None
    department = get_department(code)
    require(
        permissions.may_name_department(user, department.code),
        f"Bạn chỉ gửi được {noun} dưới tên sở, ngành của mình.",
    )
    return department.code


def require_reach(
    user: User,
    targets: list[Ward],
    *,
    department_code: str | None,
    may: Callable[[Ward], bool],
    noun: str,
) -> None:
    """Refuse unless the user may reach every target ward (`may`): department staff who named
    no department are asked to name one; anyone else is told which wards are out of reach."""
    refused = [w for w in targets if not may(w)]
    if not refused:
        return
    if department_code is None and policy.staff_department_codes(user):
        raise ValidationFailed.on_field(
            "department", "Sở, ngành gửi", f"Hãy chọn sở, ngành gửi {noun}."
        )
    names = ", ".join(w.name for w in refused[:5])
    more = f" và {len(refused) - 5} đơn vị khác" if len(refused) > 5 else ""
    require(False, f"Bạn không có quyền gửi {noun} tới {names}{more}.")


class BroadcastListArgsSchema(PageArgsSchema):
    """`?department=&limit=&cursor=` of the lists of city-wide sends."""

    department = Text(
        load_default=None,
        validate=validate.Length(min=1, max=20),
        metadata={"label": "Sở, ngành", "description": "Only those sent in its name (its code)"},
    )


def visible_broadcasts(
    model,
    *,
    user: User,
    department_codes: set[str] | None,
    before_id: int | None,
    limit: int,
    department: str | None = None,
) -> list:
    """List a kind of broadcast (notices' or polls') newest first, as one may see them: every
    one (department_codes None, a city admin), else those of the given departments and those
    the user sent; only those sent in `department`'s name if given; limit+1 rows."""
    stmt = sa.select(model).options(
        sa.orm.selectinload(model.department), sa.orm.selectinload(model.author)
    )
    if department_codes is not None:
        stmt = stmt.where(
            sa.or_(
                model.author_id == user.id,
                model.department_code.in_(sorted(department_codes)),
            )
        )
    if department is not None:
        stmt = stmt.where(model.department_code == department.strip().upper())
    if before_id is not None:
        stmt = stmt.where(model.id < before_id)
    return list(db.session.scalars(stmt.order_by(model.id.desc()).limit(limit + 1)))
