"""`flask kpi …`: record today's indicators (also the worker's hourly job)."""

import click
from flask.cli import AppGroup

from app.database import transaction
from indicators import history

kpi_cli = AppGroup("kpi", help="The city's indicators.")


def take_snapshot() -> int:
    """Record today's indicators of every unit in a transaction of its own; return the rows."""
    with transaction():
        return history.snapshot()


@kpi_cli.command("snapshot")
def snapshot_command():
    """Record today's indicators for every unit (a second run the same day replaces them)."""
    click.echo(f"kpi snapshot: {take_snapshot()} value(s) recorded")
