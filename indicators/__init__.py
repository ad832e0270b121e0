"""Indicators of the city's plans, measured from the system's own data.

The installed modules bring the indicators (app/registry.py); this package measures them all,
adds the residents' satisfaction across modules, serves them at `GET /api/v1/kpi`, records a
snapshot of every unit each day and serves the series (`GET /api/v1/kpi/history`).
"""

from app.registry import EventType, ModuleManifest, PeriodicJob
from indicators import report_views  # noqa: F401 (registers GET /api/v1/kpi/report.pdf)
from indicators.cli import kpi_cli, take_snapshot
from indicators.service import SATISFACTION, STATUS_LABELS
from indicators.views import blp

manifest = ModuleManifest(
    name="indicators",
    blueprints=[blp],
    cli_groups=[kpi_cli],
    indicators=[SATISFACTION],
    vocabularies={"kpi_status": STATUS_LABELS},
    periodic_jobs=[PeriodicJob("kpi.snapshot", take_snapshot, every_seconds=3600)],
    # One per unit and day whose values changed (indicators/history.py).
    event_types=[EventType("kpi.recorded", "Chỉ số trong ngày được ghi nhận", scope="kpi:read")],
)
