"""The ward's monthly report: gathers the indicators, their month in the snapshot history, and
the lines each installed module registers (`ModuleManifest.monthly_figures`).

The data only: `report_pdf.render` lays it out. Decision 0019.
"""

from calendar import monthrange
from datetime import date, datetime

from flask import current_app

from app.database import utcnow
from app.registry import MonthlyFigure, manifests
from app.wards.models import Ward
from indicators import history, service
from indicators.report_pdf import IndicatorLine, MonthlyReport

# The wards and communes of the reform began on 1 July 2025: no report before that month.
FIRST_MONTH = date(2025, 7, 1)


def last_day(month: date) -> date:
    """Return the last day of the month `month` falls in."""
    return month.replace(day=monthrange(month.year, month.month)[1])


def indicator_lines(ward_code: str, first: date, last: date, now: datetime) -> list[IndicatorLine]:
    """Return each indicator at the month's start and end (now, in the month under way).

    The start is the month's first snapshot with a value; the end is today's measurement while
    the month lasts, else the month's last snapshot (with the status judged that day).
    """
    today = history.local_today(now)
    (entry,) = service.measure(ward_codes=[ward_code], now=now)
    lines = []
    for current in entry["indicators"]:
        points = history.series(ward_code, current["id"], first, min(last, today))
        known = [p for p in points if p["value"] is not None]
        if last >= today:
            end, status = current["value"], current["status"]
        elif points:
            end, status = points[-1]["value"], points[-1]["status"]
        else:
            end, status = None, "no_data"
        lines.append(
            IndicatorLine(
                name=current["name"],
                unit=current["unit"],
                start=known[0]["value"] if known else None,
                end=end,
                target=current["target"],
                status_label=service.STATUS_LABELS[status],
            )
        )
    return lines


def monthly_figures(ward_code: str, first: date, last: date) -> list[MonthlyFigure]:
    """Return the installed modules' lines for the month, in the modules' order."""
    return [
        figure
        for manifest in manifests(current_app)
        for produce in manifest.monthly_figures
        for figure in produce(ward_code, first, last)
    ]


def build(*, ward: Ward, month: date, now: datetime | None = None) -> MonthlyReport:
    """Gather a ward's report for the month that starts on `month`."""
    now = now or utcnow()
    first, last = month, last_day(month)
    return MonthlyReport(
        ward_name=ward.name,
        ward_code=ward.code,
        month=first,
        last_day=last,
        generated_at=now,
        indicators=indicator_lines(ward.code, first, last, now),
        figures=monthly_figures(ward.code, first, last),
        in_progress=last >= history.local_today(now),
    )
