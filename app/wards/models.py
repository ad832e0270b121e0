"""Ward model."""

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.database import Base

TYPE_LABELS = {"phuong": "Phường", "xa": "Xã"}


class Ward(Base):
    """A commune-level unit (phường or xã) of Hà Nội, keyed by its official 5-digit code."""

    __tablename__ = "ward"

    code: Mapped[str] = mapped_column(sa.String(5), primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    type: Mapped[str] = mapped_column(sa.String(10))
    slug: Mapped[str] = mapped_column(sa.String(120), unique=True)
    # Lower-case ASCII of the name, for diacritic-insensitive search.
    search_text: Mapped[str] = mapped_column(sa.String(120))

    __table_args__ = (sa.CheckConstraint("type in ('phuong', 'xa')", name="type"),)
