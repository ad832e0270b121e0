"""Miniapp config tables: city templates, ward overrides and drafts, published versions, audit."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.database import Base, UTCDateTime, utcnow

OVERRIDE_STATES = ("published", "draft")
# The unit types a template exists for: urban wards, rural communes, the city's departments.
UNIT_TYPES = ("phuong", "xa", "so")
UNIT_KINDS = ("ward", "department")


class MiniappUnit(Base):
    """A unit that holds a miniapp config: a ward or a department, by its code.

    The config tables refer to this table, so that a config row can only belong to a unit
    that exists; each unit row in turn refers to its ward or its department (the check makes
    sure it is exactly one, under the same code). Ward codes are digits and department codes
    letters, so they never collide. Filled when `wards sync` and `departments sync` run.
    """

    __tablename__ = "miniapp_unit"

    code: Mapped[str] = mapped_column(sa.String(5), primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(10))
    ward_code: Mapped[str | None] = mapped_column(sa.ForeignKey("ward.code"))
    department_code: Mapped[str | None] = mapped_column(sa.ForeignKey("department.code"))

    __table_args__ = (
        sa.CheckConstraint(
            "(kind = 'ward' AND ward_code = code AND department_code IS NULL) OR "
            "(kind = 'department' AND department_code = code AND ward_code IS NULL)",
            name="kind",
        ),
    )


class MiniappTemplate(Base):
    """The city-wide template of one unit type (phuong, xa, so), as last saved by a city admin.

    No row means the built-in template of `miniapps.config.templates` (version 0). `version`
    is SQLAlchemy's version counter: a concurrent edit fails instead of being lost.
    """

    __tablename__ = "miniapp_template"

    ward_type: Mapped[str] = mapped_column(sa.String(10), primary_key=True)
    document: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    version: Mapped[int] = mapped_column(sa.Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (sa.CheckConstraint("ward_type in ('phuong', 'xa', 'so')", name="ward_type"),)


class MiniappOverride(Base):
    """A ward's overrides on top of its template: the published ones, and its draft.

    Overrides (not whole documents) are kept so that a later template change still reaches the
    fields the ward did not set itself.
    """

    __tablename__ = "miniapp_override"

    ward_code: Mapped[str] = mapped_column(sa.ForeignKey("miniapp_unit.code"), primary_key=True)
    state: Mapped[str] = mapped_column(sa.String(10), primary_key=True)
    overrides: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))

    __table_args__ = (sa.CheckConstraint("state in ('published', 'draft')", name="state"),)


class MiniappVersion(Base):
    """An immutable published version of a ward's effective config.

    `body` holds the canonical bytes served to the public and `etag` their strong ETag, both
    computed once at publication. UNIQUE(ward_code, version) makes concurrent publishers (and
    concurrent lazy creators of version 1) collide in the database rather than both win.
    """

    __tablename__ = "miniapp_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    ward_code: Mapped[str] = mapped_column(sa.ForeignKey("miniapp_unit.code"))
    version: Mapped[int] = mapped_column(sa.Integer)
    document: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    body: Mapped[bytes] = mapped_column(sa.LargeBinary)
    etag: Mapped[str] = mapped_column(sa.String(40))
    # The author's name is read from the user row, so an erased account shows no name.
    author_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    published_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    summary: Mapped[str] = mapped_column(sa.String(500))

    __table_args__ = (
        sa.UniqueConstraint("ward_code", "version"),
        sa.CheckConstraint("version >= 1", name="version_positive"),
    )


class MiniappAuditEntry(Base):
    """One change to a ward's config or to a city template: who, what, when."""

    __tablename__ = "miniapp_audit"

    id: Mapped[int] = mapped_column(primary_key=True)
    ward_code: Mapped[str | None] = mapped_column(sa.ForeignKey("miniapp_unit.code"), index=True)
    ward_type: Mapped[str | None] = mapped_column(sa.String(10))
    actor_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    action: Mapped[str] = mapped_column(sa.String(40))
    details: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
