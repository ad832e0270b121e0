"""Users, sign-in, roles and the permission policy."""

from flask import Flask

from app.identity import auth, demo
from app.identity import models as _models  # noqa: F401 - register the tables
from app.identity.cli import roles_cli
from app.identity.views import api_blp, blp
from app.registry import ModuleManifest


def init_app(app: Flask) -> None:
    """Install the CSRF rule."""
    auth.init_app(app)


manifest = ModuleManifest(
    name="identity",
    blueprints=[blp, api_blp],
    cli_groups=[roles_cli],
    init_app=init_app,
    demo_loaders=[demo.load],
    vocabularies={"role": _models.ROLE_LABELS},
)
