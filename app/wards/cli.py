"""`flask wards …` commands."""

import click
from flask.cli import AppGroup

from app.extensions import db
from app.wards import service

wards_cli = AppGroup("wards", help="Manage the wards and communes.")


@wards_cli.command("sync")
def sync_command():
    """Import the 126 wards of Hà Nội from vietnam-provinces (idempotent)."""
    result = service.sync()
    db.session.commit()
    click.echo(
        f"wards: {result['total']} total, {result['created']} created, {result['updated']} updated"
    )
