"""Chợ 4.0: digital streets and markets, household businesses, VietQR payment codes, posters."""

from app.registry import ModuleManifest
from miniapps.market import demo, service
from miniapps.market import models as _models  # noqa: F401 - register the tables
from miniapps.market.views import blp

manifest = ModuleManifest(
    name="market",
    blueprints=[blp],
    demo_loaders=[demo.load],
    personal_data_exporters=[service.export_personal_data],
    personal_data_erasers=[service.erase_personal_data],
)
