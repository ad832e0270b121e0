"""Indicators of the city's plans, measured from the system's own data."""

from app.registry import ModuleManifest
from miniapps.kpi.views import blp

manifest = ModuleManifest(name="kpi", blueprints=[blp])
