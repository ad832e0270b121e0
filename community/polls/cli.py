"""`flask polls …`: move due polls on (also a worker job)."""

import click

from app.database import transaction, utcnow
from community.polls import service


def advance_due_polls() -> int:
    """Open and close the polls whose time has come, each in its own transaction; return how many.

    Safe in several workers at once: each transition locks the poll's row and re-checks its
    state, so a poll moved on by one worker is left alone by the other.
    """
    moved = 0
    for poll_id in service.due_poll_ids(utcnow()):
        with transaction():
            moved += service.advance(service.get(poll_id))
    return moved


@click.group("polls")
def polls_cli():
    """Polls: lifecycle housekeeping."""


@polls_cli.command("advance")
def advance_command():
    """Open scheduled polls and close open ones whose time has come."""
    click.echo(f"{advance_due_polls()} poll(s) moved on")
