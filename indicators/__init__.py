"""Indicators of the city's plans, measured from the system's own data.

The installed modules bring the indicators (app/registry.py); this package measures them all
and serves them at `GET /api/v1/kpi`.
"""

from app.registry import ModuleManifest
from indicators.service import STATUS_LABELS
from indicators.views import blp

manifest = ModuleManifest(
    name="indicators", blueprints=[blp], vocabularies={"kpi_status": STATUS_LABELS}
)
