"""Snapshots of the indicators (one row per local day, unit and indicator) and their series.

`snapshot()` is the one writer of `kpi_snapshot`: `flask --app wsgi kpi snapshot` and the
worker's hourly `kpi.snapshot` call it; a later run the same day replaces that day's values
where they changed, and announces each unit whose day changed with one `kpi.recorded` event
(none for an hourly run that found the same values: 126 events at most per run, and a quiet
day costs nothing in the feeds).
"""

from datetime import date, datetime, timedelta

import sqlalchemy as sa

from app.database import dialect_insert, utcnow
from app.events import emit
from app.extensions import db
from app.fields import LOCAL_TZ
from indicators import status as rules
from indicators.models import KpiSnapshot


def local_today(now: datetime | None = None) -> date:
    """Return today's date in Hà Nội."""
    return (now or utcnow()).astimezone(LOCAL_TZ).date()


def snapshot(now: datetime | None = None) -> int:
    """Measure every unit and record today's values; return the rows written or changed.

    A row whose values are the same as this day's earlier run is left as it was (its
    `measured_at` says when the day's values were last found changed). The database tells
    which rows it wrote (the upsert's WHERE, RETURNING): two workers running at once write
    and announce a change once, since the second waits on the first's row locks and then
    finds the values equal.
    """
    from indicators import service  # service reads the trend from here

    now = now or utcnow()
    today = local_today(now)
    rows = [
        {
            "day": today,
            "ward_code": entry["ward"]["code"],
            "indicator_id": ind["id"],
            "numerator": ind["numerator"],
            "denominator": ind["denominator"],
            "value": ind["value"],
            "measured_at": now,
        }
        for entry in service.measure(now=now)
        for ind in entry["indicators"]
    ]
    if not rows:
        return 0
    stmt = dialect_insert(KpiSnapshot).values(rows)
    stmt = stmt.on_conflict_do_update(
        index_elements=["day", "ward_code", "indicator_id"],
        set_={
            "numerator": stmt.excluded.numerator,
            "denominator": stmt.excluded.denominator,
            "value": stmt.excluded.value,
            "measured_at": stmt.excluded.measured_at,
        },
        where=sa.or_(
            KpiSnapshot.numerator.is_distinct_from(stmt.excluded.numerator),
            KpiSnapshot.denominator.is_distinct_from(stmt.excluded.denominator),
            KpiSnapshot.value.is_distinct_from(stmt.excluded.value),
        ),
    )
    written = db.session.execute(stmt.returning(KpiSnapshot.ward_code)).scalars().all()
    _announce(today, rows, set(written))
    return len(written)


def _announce(today: date, rows: list[dict], changed_wards: set[str]) -> None:
    """Emit `kpi.recorded` for each unit whose day changed, with all its values of the day.

    In ward order, after the writes: emitting holds each ward feed's row lock until the
    commit, so every writer that takes several feeds takes them in one order.
    """
    values: dict[str, list[dict]] = {}
    for row in rows:
        if row["ward_code"] in changed_wards:
            values.setdefault(row["ward_code"], []).append(
                {
                    "id": row["indicator_id"],
                    "value": row["value"],
                    "numerator": row["numerator"],
                    "denominator": row["denominator"],
                }
            )
    for ward_code in sorted(values):
        emit(
            "kpi.recorded",
            {"day": today.isoformat(), "indicators": values[ward_code]},
            ward_code=ward_code,
        )


def trend_starts(today: date, ward_codes: list[str] | None = None) -> dict[tuple, rules.Point]:
    """Return, per (ward, indicator), the earliest snapshot with a value in the TREND_DAYS
    before today: where each trend starts."""
    first = today - timedelta(days=rules.TREND_DAYS)
    earliest = (
        sa.select(
            KpiSnapshot.ward_code,
            KpiSnapshot.indicator_id,
            sa.func.min(KpiSnapshot.day).label("day"),
        )
        .where(
            KpiSnapshot.day >= first,
            KpiSnapshot.day < today,
            KpiSnapshot.value.is_not(None),
        )
        .group_by(KpiSnapshot.ward_code, KpiSnapshot.indicator_id)
    )
    if ward_codes is not None:
        earliest = earliest.where(KpiSnapshot.ward_code.in_(ward_codes))
    earliest = earliest.subquery()
    rows = db.session.execute(
        sa.select(
            KpiSnapshot.ward_code, KpiSnapshot.indicator_id, KpiSnapshot.day, KpiSnapshot.value
        ).join(
            earliest,
            sa.and_(
                earliest.c.ward_code == KpiSnapshot.ward_code,
                earliest.c.indicator_id == KpiSnapshot.indicator_id,
                earliest.c.day == KpiSnapshot.day,
            ),
        )
    )
    return {(code, ind): rules.Point(day, value) for code, ind, day, value in rows}


def series(ward_code: str, indicator_id: str, first: date, last: date) -> list[dict]:
    """Return a unit's indicator day by day from `first` to `last`, oldest first:
    `{date, value, target, status}`, each day's status judged on that day's trend."""
    from indicators import service

    indicator = service.by_id(indicator_id)
    rows = db.session.execute(
        sa.select(KpiSnapshot.day, KpiSnapshot.value)
        .where(
            KpiSnapshot.ward_code == ward_code,
            KpiSnapshot.indicator_id == indicator_id,
            KpiSnapshot.day >= first - timedelta(days=rules.TREND_DAYS),
            KpiSnapshot.day <= last,
        )
        .order_by(KpiSnapshot.day)
    ).all()
    points = [rules.Point(day, value) for day, value in rows if value is not None]
    items = []
    for day, value in rows:
        if day < first:
            continue
        window = day - timedelta(days=rules.TREND_DAYS)
        earlier = next((p for p in points if window <= p.day < day), None)
        status = rules.status(
            value=value,
            target=indicator.target if indicator else None,
            deadline=indicator.deadline if indicator else None,
            today=day,
            earlier=earlier,
        )
        items.append(
            {
                "date": day,
                "value": value,
                "target": indicator.target if indicator else None,
                "status": status,
                "status_label": rules.STATUS_LABELS[status],
            }
        )
    return items
