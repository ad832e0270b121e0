"""City-wide publishing of surveys (and other ward polls): the broadcast that ties one poll
per ward together.

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-30 22:30:00

"""
from alembic import op
import sqlalchemy as sa

import app.database


# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('poll_broadcast',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('department_code', sa.String(length=5), nullable=True),
    sa.Column('ward_count', sa.Integer(), nullable=False),
    sa.Column('created_at', app.database.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_poll_broadcast_author_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['department_code'], ['department.code'], name=op.f('fk_poll_broadcast_department_code_department')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_poll_broadcast'))
    )
    with op.batch_alter_table('poll_broadcast', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_poll_broadcast_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_poll_broadcast_department_code'), ['department_code'], unique=False)

    with op.batch_alter_table('poll', schema=None) as batch_op:
        batch_op.add_column(sa.Column('broadcast_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_poll_broadcast_id'), ['broadcast_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_poll_broadcast_id_poll_broadcast'), 'poll_broadcast', ['broadcast_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('poll', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_poll_broadcast_id_poll_broadcast'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_poll_broadcast_id'))
        batch_op.drop_column('broadcast_id')

    with op.batch_alter_table('poll_broadcast', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_poll_broadcast_department_code'))
        batch_op.drop_index(batch_op.f('ix_poll_broadcast_author_id'))

    op.drop_table('poll_broadcast')
