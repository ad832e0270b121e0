"""`flask miniapp …` commands."""

import click
from flask.cli import AppGroup

from app.extensions import db
from miniapps.config import service

miniapp_cli = AppGroup("miniapp", help="Ward miniapp configs.")


@miniapp_cli.command("init")
def init_command():
    """Publish version 1 of the config of every ward that has none yet (idempotent)."""
    created = service.ensure_initial_versions()
    db.session.commit()
    click.echo(f"miniapp: version 1 published for {created} wards")
