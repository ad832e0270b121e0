"""The city's indicators, measured from the system's own data (never typed in by hand).

Each module registers the indicators it can measure in its manifest (app/registry.py
`Indicator`); this package knows them only through the registry. Each indicator is measured
for all wards with one grouped query, so the city-wide table of 126 units costs the same few
queries as one ward.
"""

from datetime import datetime

import sqlalchemy as sa
from flask import current_app

from app.database import utcnow
from app.extensions import db
from app.registry import Indicator, manifests
from app.wards.models import Ward
from indicators import history
from indicators import status as rules

STATUS_LABELS = rules.STATUS_LABELS


def registered() -> list[Indicator]:
    """Return the installed modules' indicators, in the order of the table."""
    found = [ind for manifest in manifests(current_app) for ind in manifest.indicators]
    return sorted(found, key=lambda ind: ind.position)


def by_id(indicator_id: str) -> Indicator | None:
    """Return the registered indicator with this id, or None."""
    return next((ind for ind in registered() if ind.id == indicator_id), None)


def _satisfaction() -> dict[str, tuple[int, int]]:
    """Sum the stars and count the ratings per ward over every module's rating indicator."""
    total: dict[str, tuple[int, int]] = {}
    for part in SATISFACTION_PARTS:
        indicator = by_id(part)
        if indicator is None:
            continue
        for code, (stars, count) in indicator.measure().items():
            before = total.get(code, (0, 0))
            total[code] = (before[0] + stars, before[1] + count)
    return total


# The residents' satisfaction across the services that ask for stars (issue 16).
SATISFACTION_PARTS = ("field_reports_rating", "appointments_rating")
SATISFACTION = Indicator(
    id="satisfaction",
    name="Mức hài lòng của người dân",
    description=(
        "Điểm trung bình (1 đến 5 sao) người dân chấm khi phản ánh hiện trường được xử lý "
        "xong và khi được phục vụ theo lịch hẹn, gộp cả hai."
    ),
    target=None,
    unit="average",
    measure=_satisfaction,
    position=90,
    source="Kế hoạch không đặt mục tiêu; theo dõi.",
)


def _value(indicator: Indicator, numerator: int, denominator: int) -> float | None:
    """Return an indicator's value from its counts, by its unit."""
    if indicator.unit == "average":
        return round(numerator / denominator, 2) if denominator else None
    if indicator.unit != "ratio":
        return float(numerator)
    return round(numerator / denominator, 4) if denominator else None


def measure(*, ward_codes: list[str] | None = None, now: datetime | None = None) -> list[dict]:
    """Measure every indicator for the given wards (all 126 when None), one entry per ward,
    each with its status against its target, deadline and the last 30 days' trend."""
    stmt = sa.select(Ward).order_by(Ward.code)
    if ward_codes is not None:
        stmt = stmt.where(Ward.code.in_(ward_codes))
    wards = list(db.session.scalars(stmt))
    table = registered()
    measured = {ind.id: ind.measure() for ind in table}
    at = now or utcnow()
    today = history.local_today(at)
    starts = history.trend_starts(today, ward_codes)
    entries = []
    for ward in wards:
        indicators = []
        for ind in table:
            numerator, denominator = measured[ind.id].get(ward.code, (0, 0))
            value = _value(ind, numerator, denominator)
            status = rules.status(
                value=value,
                target=ind.target,
                deadline=ind.deadline,
                today=today,
                earlier=starts.get((ward.code, ind.id)),
            )
            indicators.append(
                {
                    "id": ind.id,
                    "name": ind.name,
                    "description": ind.description,
                    "unit": ind.unit,
                    "value": value,
                    "target": ind.target,
                    "deadline": ind.deadline,
                    "source": ind.source,
                    "status": status,
                    "status_label": STATUS_LABELS[status],
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
    """Count, for each indicator, the wards in each status (`wards_not_met`: below target)."""
    summary = []
    for ind in registered():
        statuses = [i["status"] for e in entries for i in e["indicators"] if i["id"] == ind.id]
        summary.append(
            {
                "id": ind.id,
                "name": ind.name,
                "target": ind.target,
                "deadline": ind.deadline,
                "wards_met": statuses.count("met"),
                "wards_on_track": statuses.count("on_track"),
                "wards_at_risk": statuses.count("at_risk"),
                "wards_missed": statuses.count("missed"),
                "wards_not_met": sum(statuses.count(s) for s in ("on_track", "at_risk", "missed")),
                "wards_no_data": statuses.count("no_data"),
            }
        )
    return summary
