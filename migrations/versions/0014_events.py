"""Events: the outbox of webhooks and the change feed (one row per change, in its
transaction; each feed numbered in commit order by event_sequence).

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30 21:02:22

"""
from alembic import op
import sqlalchemy as sa

import app.database


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('event_sequence',
    sa.Column('feed', sa.String(length=40), nullable=False),
    sa.Column('last', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('feed', name=op.f('pk_event_sequence'))
    )
    op.create_table('event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('msg_id', sa.String(length=40), nullable=False),
    sa.Column('type', sa.String(length=60), nullable=False),
    sa.Column('feed', sa.String(length=40), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=False),
    sa.Column('ward_code', sa.String(length=5), nullable=True),
    sa.Column('occurred_at', app.database.UTCDateTime(), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('dispatched', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.ForeignKeyConstraint(['ward_code'], ['ward.code'], name=op.f('fk_event_ward_code_ward')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event')),
    sa.UniqueConstraint('feed', 'seq', name=op.f('uq_event_feed_seq')),
    sa.UniqueConstraint('msg_id', name=op.f('uq_event_msg_id'))
    )
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.create_index('ix_event_undispatched', ['id'], unique=False, postgresql_where=sa.text('NOT dispatched'), sqlite_where=sa.text('NOT dispatched'))



def downgrade():
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_index('ix_event_undispatched', postgresql_where=sa.text('NOT dispatched'), sqlite_where=sa.text('NOT dispatched'))

    op.drop_table('event')
    op.drop_table('event_sequence')
