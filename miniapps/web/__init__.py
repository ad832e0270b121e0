"""The ward miniapp on the web: resident, staff and merchant pages served from `static/`."""

from app.registry import ModuleManifest
from miniapps.web.views import bp

manifest = ModuleManifest(name="web", blueprints=[bp])
