"""Users, sign-in, roles and the permission policy."""

from app.registry import ModuleManifest

manifest = ModuleManifest(name="identity")

from app.identity import models as _models  # noqa: E402,F401 - register the tables
