"""Audit: the append-only log of privileged acts, read by ward admins and city admins.

Every module's service calls `record(...)` beside the write it audits, in the same
transaction; `GET /api/v1/wards/{ward}/audit` and `GET /api/v1/audit` read the log.
"""

from app.audit import models as _models  # noqa: F401 - register the table
from app.audit.service import SYSTEM_ACTOR, record

__all__ = ["SYSTEM_ACTOR", "manifest", "record"]


def __getattr__(name: str):
    """Build the manifest on first use: the views import identity, which itself imports
    `record` from here, so loading them with the package would be a circular import."""
    if name == "manifest":
        from app.audit.views import blp
        from app.registry import ModuleManifest

        value = ModuleManifest(name="audit", blueprints=[blp], init_app=_models.init_app)
        globals()["manifest"] = value
        return value
    raise AttributeError(name)
