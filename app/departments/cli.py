"""`flask departments …` commands."""

import click
from flask.cli import AppGroup

from app.departments import service
from app.extensions import db

departments_cli = AppGroup("departments", help="Manage the city's departments.")


@departments_cli.command("sync")
def sync_command():
    """Create or update the city's departments (idempotent)."""
    result = service.sync()
    db.session.commit()
    click.echo(
        f"departments: {result['total']} total, {result['created']} created, "
        f"{result['updated']} updated"
    )
