"""The city's departments (sở, ban, ngành): tenants beside the wards."""

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.database import Base

# A department's unit type, where a ward's is "phuong" or "xa" (the miniapp document's
# `ward.type`, the city template it starts from).
DEPARTMENT_TYPE = "so"
TYPE_LABELS = {DEPARTMENT_TYPE: "Sở, ban, ngành"}


class Department(Base):
    """A department of the city (Sở Khoa học và Công nghệ …), keyed by a short letter code.

    Codes are letters (SKHCN, SCT …) and ward codes are digits, so the two never collide where
    a unit's code is stored (a miniapp's config belongs to a ward or a department).
    """

    __tablename__ = "department"

    code: Mapped[str] = mapped_column(sa.String(5), primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    short_name: Mapped[str] = mapped_column(sa.String(60))
    slug: Mapped[str] = mapped_column(sa.String(120), unique=True)
    # Lower-case ASCII of the name, for diacritic-insensitive search.
    search_text: Mapped[str] = mapped_column(sa.String(120))

    @property
    def type(self) -> str:
        """Return the unit type, as a ward's `type` ("so" for every department)."""
        return DEPARTMENT_TYPE
