"""Events: every change outside systems hear of, written in the transaction of the change.

Modules declare their event types in their manifests and call `app.events.emit(...)`; the
webhooks module delivers the events, and `GET /api/v1/changes` lets a city system read a
ward's events in order from a cursor. See docs/decisions/0020-open-interfaces.md.
"""

from app.events import models as _models  # noqa: F401 - register the tables
from app.events.service import emit
from app.events.views import blp
from app.registry import ModuleManifest

manifest = ModuleManifest(name="events", blueprints=[blp])

__all__ = ["emit", "manifest"]
