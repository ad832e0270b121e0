"""Users, sign-in, roles and the permission policy."""

from flask import Flask

from app.database import transaction
from app.identity import auth, demo
from app.identity import models as _models  # noqa: F401 - register the tables
from app.identity.cli import roles_cli, users_cli
from app.identity.service import purge_expired_sessions
from app.identity.views import api_blp, blp
from app.registry import ModuleManifest, PeriodicJob


def purge_sessions() -> int:
    """Delete the browser sessions past their absolute end, in a transaction of its own."""
    with transaction():
        return purge_expired_sessions()


def init_app(app: Flask) -> None:
    """Install the CSRF rule."""
    auth.init_app(app)


manifest = ModuleManifest(
    name="identity",
    blueprints=[blp, api_blp],
    cli_groups=[roles_cli, users_cli],
    periodic_jobs=[PeriodicJob("identity.purge-sessions", purge_sessions, every_seconds=3600)],
    init_app=init_app,
    demo_loaders=[demo.load],
    vocabularies={"role": _models.ROLE_LABELS},
)
