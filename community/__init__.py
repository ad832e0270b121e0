"""Official digital communities (tổ dân phố, thôn, chi bộ, chi hội) and their notices."""

from flask import Flask

from app.registry import ModuleManifest
from community import demo
from community.groups import models as _group_models  # noqa: F401 - register the tables
from community.groups import service as group_service
from community.groups.views import blp as groups_blp
from community.notices import models as _notice_models  # noqa: F401 - register the tables
from community.notices import service as notice_service
from community.notices.cli import notices_cli
from community.notices.views import blp as notices_blp


def init_app(app: Flask) -> None:
    """Tell identity's grant API which ward a community belongs to."""
    app.extensions["community_ward_resolver"] = group_service.ward_of


manifest = ModuleManifest(
    name="community",
    blueprints=[groups_blp, notices_blp],
    cli_groups=[notices_cli],
    demo_loaders=[demo.load],
    personal_data_exporters=[group_service.export_data, notice_service.export_data],
    personal_data_erasers=[group_service.erase, notice_service.erase],
    init_app=init_app,
)
