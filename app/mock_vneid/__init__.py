"""The development OpenID Connect provider that stands in for VNeID."""

from flask import Flask

from app.mock_vneid import models as _models  # noqa: F401 - register the tables
from app.registry import ModuleManifest


def init_app(app: Flask) -> None:
    """Mount the mock provider in development and tests; never in production."""
    if app.config["APP_ENV"] == "production" or not app.config["MOCK_VNEID_ENABLED"]:
        return
    from app.mock_vneid.server import make_server
    from app.mock_vneid.views import blp

    app.extensions["mock_vneid_server"] = make_server(app)
    app.register_blueprint(blp)


manifest = ModuleManifest(name="mock_vneid", init_app=init_app)
