"""The development OpenID Connect provider that stands in for VNeID."""

from app.registry import ModuleManifest

manifest = ModuleManifest(name="mock_vneid")

from app.mock_vneid import models as _models  # noqa: E402,F401 - register the tables
