"""The roles held within a department (read by the identity endpoints).

Kept out of the package's __init__: it imports app.identity's models, which import this
package's models.
"""

import sqlalchemy as sa

from app.extensions import db
from app.identity.models import RoleGrant

DEPARTMENT_ROLES = ("department_admin", "department_editor")


def list_grants(*, department_code: str) -> list[RoleGrant]:
    """List the grants within a department, with their holders."""
    return list(
        db.session.scalars(
            sa.select(RoleGrant)
            .where(RoleGrant.department_code == department_code)
            .order_by(RoleGrant.id)
            .options(sa.orm.selectinload(RoleGrant.user))  # each grant names its holder
        )
    )
