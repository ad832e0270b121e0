"""Personal data held by the polls module: export and erasure."""

import sqlalchemy as sa

from app.extensions import db
from app.identity.models import User
from community.polls.models import KIND_LABELS, Poll, PollVoter


def export_data(user: User) -> dict:
    """Return the polls the person created and took part in (never what a secret ballot said)."""
    voted = db.session.execute(
        sa.select(Poll.id, Poll.title, Poll.kind, Poll.secret)
        .join(PollVoter, PollVoter.poll_id == Poll.id)
        .where(PollVoter.user_id == user.id)
        .order_by(Poll.id)
    ).all()
    created = db.session.execute(
        sa.select(Poll.id, Poll.title).where(Poll.created_by_id == user.id).order_by(Poll.id)
    ).all()
    return {
        "polls": {
            "voted_in": [
                {"poll_id": pid, "title": title, "kind": KIND_LABELS[kind], "secret": secret}
                for pid, title, kind, secret in voted
            ],
            "created": [{"poll_id": pid, "title": title} for pid, title in created],
        }
    }
