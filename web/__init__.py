"""The ward miniapp on the web: resident, staff and merchant pages, with their assets."""

from app.registry import ModuleManifest
from web.views import bp

manifest = ModuleManifest(name="web", blueprints=[bp])
