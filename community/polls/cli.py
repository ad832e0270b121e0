"""`flask polls …`: move due polls on and purge expired idempotency records (for cron)."""

import click
import sqlalchemy as sa

from app.database import utcnow
from app.extensions import db
from community.polls import idempotency, service
from community.polls.models import Poll


@click.group("polls")
def polls_cli():
    """Polls: lifecycle housekeeping."""


@polls_cli.command("advance")
def advance_command():
    """Open scheduled polls and close open ones whose time has come; purge old replays."""
    now = utcnow()
    due = db.session.scalars(
        sa.select(Poll).where(
            sa.or_(
                sa.and_(Poll.status == "scheduled", Poll.opens_at <= now),
                sa.and_(Poll.status == "open", Poll.closes_at <= now),
            )
        )
    ).all()
    for poll in due:
        service.advance(poll, now)
    purged = idempotency.purge(now)
    db.session.commit()
    click.echo(f"{len(due)} poll(s) moved on; {purged} idempotency record(s) purged")
