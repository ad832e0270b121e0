"""Personal data held by the notices module: export and erasure."""

import sqlalchemy as sa

from app.extensions import db
from app.fields import local_isoformat
from app.identity.models import User
from community.common import count
from community.notices.models import (
    Notice,
    NoticeRead,
    NoticeRecipient,
)


def export_data(user: User) -> dict:
    """Return the person's read receipts and notices they wrote."""
    reads = db.session.execute(
        sa.select(NoticeRead.notice_id, NoticeRead.read_at)
        .where(NoticeRead.user_id == user.id)
        .order_by(NoticeRead.read_at)
    )
    authored = db.session.scalars(
        sa.select(Notice.id).where(Notice.author_id == user.id).order_by(Notice.id)
    )
    return {
        "notice_reads": [{"notice_id": nid, "read_at": local_isoformat(at)} for nid, at in reads],
        "notices_authored": list(authored),
        "notices_received": count(
            sa.select(NoticeRecipient.notice_id).where(NoticeRecipient.user_id == user.id)
        ),
    }


def erase(user: User) -> None:
    """Empty the person's feed; read receipts and deliveries stay (keyed to the opaque user
    id, which holds no personal data) so that the reach of past notices stays exact."""
    db.session.execute(
        sa.update(NoticeRecipient).where(NoticeRecipient.user_id == user.id).values(hidden=True)
    )
    db.session.flush()
