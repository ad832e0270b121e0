"""`flask kpi …`: record today's indicators (also the worker's hourly job), check counters."""

import click
from flask import current_app
from flask.cli import AppGroup

from app.database import transaction
from app.registry import manifests
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


@kpi_cli.command("check")
def check_command():
    """Recount the counters the indicators read (notice reach …) and report any disagreement."""
    problems = [
        problem
        for manifest in manifests(current_app)
        for check in manifest.counter_checks
        for problem in check()
    ]
    for problem in problems:
        click.echo(problem)
    if problems:
        raise click.ClickException(f"{len(problems)} bộ đếm không khớp với số đếm lại.")
    click.echo("kpi check: mọi bộ đếm khớp với số đếm lại.")
