"""The city's indicators, measured from the system's own data (never typed in by hand).

Each module registers the indicators it can measure in its manifest (app/registry.py
`Indicator`); this package knows them only through the registry. Each indicator is measured
for all wards with one grouped query, so the city-wide table of 126 units costs the same few
queries as one ward.
"""

import sqlalchemy as sa
from flask import current_app

from app.database import utcnow
from app.extensions import db
from app.registry import Indicator, manifests
from app.wards.models import Ward

STATUS_LABELS = {
    "met": "Đạt",
    "not_met": "Chưa đạt",
    "no_data": "Chưa có số liệu",
    "info": "Theo dõi (không có mục tiêu)",
}


def registered() -> list[Indicator]:
    """Return the installed modules' indicators, in the order of the table."""
    found = [ind for manifest in manifests(current_app) for ind in manifest.indicators]
    return sorted(found, key=lambda ind: ind.position)


def _status(value: float | None, target: float | None) -> str:
    if value is None:
        return "no_data"
    if target is None:
        return "info"
    return "met" if value >= target - 1e-9 else "not_met"


def _value(indicator: Indicator, numerator: int, denominator: int) -> float | None:
    """Return an indicator's value from its counts, by its unit."""
    if indicator.unit == "average":
        return round(numerator / denominator, 2) if denominator else None
    if indicator.unit != "ratio":
        return float(numerator)
    return round(numerator / denominator, 4) if denominator else None


def measure(*, ward_codes: list[str] | None = None) -> list[dict]:
    """Measure every indicator for the given wards (all 126 when None), one entry per ward."""
    stmt = sa.select(Ward).order_by(Ward.code)
    if ward_codes is not None:
        stmt = stmt.where(Ward.code.in_(ward_codes))
    wards = list(db.session.scalars(stmt))
    table = registered()
    measured = {ind.id: ind.measure() for ind in table}
    at = utcnow()
    entries = []
    for ward in wards:
        indicators = []
        for ind in table:
            numerator, denominator = measured[ind.id].get(ward.code, (0, 0))
            value = _value(ind, numerator, denominator)
            indicators.append(
                {
                    "id": ind.id,
                    "name": ind.name,
                    "description": ind.description,
                    "unit": ind.unit,
                    "value": value,
                    "target": ind.target,
                    "status": _status(value, ind.target),
                    "numerator": numerator,
                    "denominator": None if ind.unit == "people" else denominator,
                }
            )
        entries.append(
            {
                "ward": {
                    "code": ward.code,
                    "name": ward.name,
                    "type": ward.type,
                    "slug": ward.slug,
                },
                "indicators": indicators,
                "measured_at": at,
            }
        )
    return entries


def summarize(entries: list[dict]) -> list[dict]:
    """Count, for each indicator, the wards that meet its target."""
    summary = []
    for ind in registered():
        statuses = [i["status"] for e in entries for i in e["indicators"] if i["id"] == ind.id]
        summary.append(
            {
                "id": ind.id,
                "name": ind.name,
                "target": ind.target,
                "wards_met": statuses.count("met"),
                "wards_not_met": statuses.count("not_met"),
                "wards_no_data": statuses.count("no_data"),
            }
        )
    return summary
