"""`flask miniapp …` commands."""

import click
from flask.cli import AppGroup

from app.extensions import db
from miniapps.config import service

miniapp_cli = AppGroup("miniapp", help="Ward miniapp configs.")


@miniapp_cli.command("init")
def init_command():
    """Publish version 1 of the config of every ward and department without one (idempotent)."""
    wards = service.ensure_initial_versions()
    departments = service.ensure_initial_department_versions()
    db.session.commit()
    click.echo(f"miniapp: version 1 published for {wards} wards and {departments} departments")
