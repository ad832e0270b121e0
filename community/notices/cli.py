"""`flask notices …`: deliver scheduled notices when due (also a worker job)."""

import click
from flask.cli import AppGroup

from app.database import transaction, utcnow
from community.notices import service

notices_cli = AppGroup("notices", help="Notices.")


def deliver_due_notices() -> int:
    """Fix the audience of each notice whose time has come, one transaction each; return how many.

    Safe in several workers at once: delivery claims each notice with a conditional UPDATE.
    """
    delivered = 0
    for notice_id in service.due_notice_ids(utcnow()):
        with transaction():
            delivered += service.deliver(service.get(notice_id))
    return delivered


@notices_cli.command("deliver-due")
def deliver_due_command():
    """Deliver scheduled notices whose publication time has come."""
    click.echo(f"delivered {deliver_due_notices()} notice(s)")
