"""Polls, elections, consultations and surveys of communities and wards."""

from app.registry import ModuleManifest
from community.polls import cli, demo, service
from community.polls import models as _models  # noqa: F401 - register the tables
from community.polls.views import blp

manifest = ModuleManifest(
    name="polls",
    blueprints=[blp],
    cli_groups=[cli.polls_cli],
    demo_loaders=[demo.load],
    personal_data_exporters=[service.export_data],
    personal_data_erasers=[service.erase],
)
