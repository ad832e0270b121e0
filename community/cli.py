"""`flask notices …` commands."""

import click
from flask.cli import AppGroup

from app.extensions import db
from community.notices import service as notices

notices_cli = AppGroup("notices", help="Notices.")


@notices_cli.command("deliver-due")
def deliver_due_command():
    """Deliver scheduled notices whose publication time has come (run it every minute)."""
    delivered = notices.deliver_due()
    db.session.commit()
    click.echo(f"delivered {delivered} notice(s)")
