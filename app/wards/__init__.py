"""The 126 wards and communes of Hà Nội."""

from app.registry import ModuleManifest
from app.wards.cli import wards_cli
from app.wards.models import TYPE_LABELS
from app.wards.views import blp

manifest = ModuleManifest(
    name="wards",
    blueprints=[blp],
    cli_groups=[wards_cli],
    vocabularies={"ward_type": TYPE_LABELS},
)
