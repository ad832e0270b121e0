"""Ward miniapp configs: city templates, ward overrides, drafts, published versions, audit."""

from app.registry import ModuleManifest
from miniapps.config import demo, models, service, views
from miniapps.config.cli import miniapp_cli

__all__ = ["manifest", "models"]

manifest = ModuleManifest(
    name="miniapp_config",
    blueprints=[views.blp],
    cli_groups=[miniapp_cli],
    demo_loaders=[demo.load],
    personal_data_exporters=[service.export_personal_data],
    init_app=views.init_app,
)
