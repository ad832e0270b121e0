"""Miniapp configs of the wards and the city's departments: city templates, overrides, drafts,
published versions, audit."""

from flask import Flask

from app.registry import EventType, ModuleManifest
from miniapps.config import demo, indicators, models, registry, service, views
from miniapps.config.cli import miniapp_cli

__all__ = ["manifest", "models"]


def init_app(app: Flask) -> None:
    """Check the installed modules' miniapp entries and document the config's schemas."""
    registry.init_app(app)
    views.init_app(app)


manifest = ModuleManifest(
    name="miniapp_config",
    blueprints=[views.blp],
    cli_groups=[miniapp_cli],
    demo_loaders=[demo.load],
    miniapp_modules=[registry.CONTACTS],
    indicators=indicators.INDICATORS,
    personal_data_exporters=[service.export_personal_data],
    event_types=[EventType("miniapp.published", "Xuất bản cấu hình miniapp", scope=None)],
    init_app=init_app,
)
