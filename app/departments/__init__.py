"""The city's departments (sở, ban, ngành): tenants beside the wards.

Nothing here may import app.identity at import time: app/identity/models.py imports this
package's models (role grants are held on a department), so such an import would be circular.
"""

from app.departments import demo
from app.departments.cli import departments_cli
from app.departments.models import TYPE_LABELS
from app.departments.views import blp
from app.registry import ModuleManifest

manifest = ModuleManifest(
    name="departments",
    blueprints=[blp],
    cli_groups=[departments_cli],
    demo_loaders=[demo.load],
    vocabularies={"department_type": TYPE_LABELS},
)
