"""Notices get a folded search text: residents search their feed with or without diacritics.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 16:00:00

"""
import re
import unicodedata

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

_D = str.maketrans({"đ": "d", "Đ": "D"})


def _fold(text: str) -> str:
    # Copied from app.text.fold (a migration keeps doing what it did when the code changes).
    decomposed = unicodedata.normalize("NFD", text.translate(_D))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return re.sub(r"\s+", " ", stripped).strip().lower()


def upgrade():
    """Add `notice.search_text` and fill it from each notice's title and body."""
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.add_column(sa.Column('search_text', sa.Text(), nullable=False, server_default=''))
    notice = sa.table(
        'notice', sa.column('id', sa.Integer), sa.column('title', sa.String),
        sa.column('body', sa.Text), sa.column('search_text', sa.Text),
    )
    conn = op.get_bind()
    rows = conn.execute(sa.select(notice.c.id, notice.c.title, notice.c.body)).all()
    for notice_id, title, body in rows:
        conn.execute(
            notice.update().where(notice.c.id == notice_id)
            .values(search_text=_fold(f"{title}\n{body}"))
        )


def downgrade():
    """Drop the search text."""
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.drop_column('search_text')
