"""Report categories of a ward: the city's defaults until the ward writes its own.

GET never writes: until something is written for a ward (its first report, or its staff adding
or changing a category), its categories are the defaults, read from code. The first write copies
the defaults into the ward's rows (INSERT … ON CONFLICT DO NOTHING, so two first writes at once
both succeed) and works on the rows from then on; reports point at a row by foreign key.
"""

from dataclasses import dataclass

import sqlalchemy as sa

from app.audit import record
from app.database import insert_ignore
from app.errors import ValidationFailed
from app.extensions import db
from reports.defaults import DEFAULT_CATEGORIES
from reports.exceptions import CategoryExists, CategoryNotFound
from reports.models import ReportCategory

CATEGORY_LABEL = "Loại phản ánh"


@dataclass(frozen=True)
class Category:
    """A ward's category as read: a stored row, or a default not yet written for the ward."""

    code: str
    name: str
    group: str
    description: str
    deadline_days: int
    active: bool = True


def _as_category(row: ReportCategory) -> Category:
    return Category(
        code=row.code,
        name=row.name,
        group=row.group,
        description=row.description,
        deadline_days=row.deadline_days,
        active=row.active,
    )


def _defaults() -> list[Category]:
    return [
        Category(d.code, d.name, d.group, d.description, d.deadline_days)
        for d in DEFAULT_CATEGORIES
    ]


def list_categories(*, ward_code: str, include_inactive: bool = False) -> list[Category]:
    """Return the ward's categories in order (the city's defaults if it has none of its own)."""
    rows = db.session.scalars(
        sa.select(ReportCategory)
        .where(ReportCategory.ward_code == ward_code)
        .order_by(ReportCategory.id)
    ).all()
    found = [_as_category(r) for r in rows] if rows else _defaults()
    return found if include_inactive else [c for c in found if c.active]


def ensure_categories(*, ward_code: str) -> None:
    """Write the city's defaults for the ward unless it has categories already (idempotent)."""
    has_rows = db.session.scalar(
        sa.select(ReportCategory.id).where(ReportCategory.ward_code == ward_code).limit(1)
    )
    if has_rows is not None:
        return
    insert_ignore(
        ReportCategory,
        [
            {
                "ward_code": ward_code,
                "code": d.code,
                "name": d.name,
                "group": d.group,
                "description": d.description,
                "deadline_days": d.deadline_days,
                "active": True,
            }
            for d in DEFAULT_CATEGORIES
        ],
        keys=["ward_code", "code"],
    )


def category_row(*, ward_code: str, code: str) -> ReportCategory:
    """Return the ward's stored category (writing the defaults first), or raise 404."""
    ensure_categories(ward_code=ward_code)
    row = db.session.scalar(
        sa.select(ReportCategory).where(
            ReportCategory.ward_code == ward_code, ReportCategory.code == code
        )
    )
    if row is None:
        raise CategoryNotFound("Phường, xã này không có loại phản ánh này.")
    return row


def category_for_report(*, ward_code: str, code: str) -> ReportCategory:
    """Return the active category a new report is filed under, or refuse the field."""
    try:
        row = category_row(ward_code=ward_code, code=code)
    except CategoryNotFound:
        row = None
    if row is None or not row.active:
        raise ValidationFailed.on_field(
            "category", CATEGORY_LABEL, "Phường, xã này không nhận loại phản ánh này."
        )
    return row


def create_category(
    *, ward_code: str, code: str, name: str, group: str, description: str, deadline_days: int
) -> Category:
    """Add a category to the ward; its code is unique in the ward (the database says so)."""
    ensure_categories(ward_code=ward_code)
    inserted = insert_ignore(
        ReportCategory,
        [
            {
                "ward_code": ward_code,
                "code": code,
                "name": name,
                "group": group,
                "description": description,
                "deadline_days": deadline_days,
                "active": True,
            }
        ],
        keys=["ward_code", "code"],
    )
    if not inserted:
        raise CategoryExists(f"Phường, xã đã có loại phản ánh mã «{code}».")
    record("report_category.created", "report_category", code, name, ward_code=ward_code)
    return _as_category(category_row(ward_code=ward_code, code=code))


UPDATABLE = ("name", "group", "description", "deadline_days", "active")


def update_category(*, ward_code: str, code: str, changes: dict) -> Category:
    """Change a category of the ward; a new deadline applies to reports received from now on."""
    row = category_row(ward_code=ward_code, code=code)
    for key, value in changes.items():
        if key not in UPDATABLE:
            raise ValueError(key)
        setattr(row, key, value)
    db.session.flush()
    record("report_category.updated", "report_category", code, row.name, ward_code=ward_code)
    return _as_category(row)
