"""City-wide publishing of notices: the broadcast that ties one notice per ward together,
and the department that sends a notice.

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-30 21:15:00

"""
from alembic import op
import sqlalchemy as sa

import app.database


# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('notice_broadcast',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('department_code', sa.String(length=5), nullable=True),
    sa.Column('ward_count', sa.Integer(), nullable=False),
    sa.Column('created_at', app.database.UTCDateTime(), nullable=False),
    sa.Column('withdrawn_at', app.database.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_notice_broadcast_author_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['department_code'], ['department.code'], name=op.f('fk_notice_broadcast_department_code_department')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notice_broadcast'))
    )
    with op.batch_alter_table('notice_broadcast', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notice_broadcast_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notice_broadcast_department_code'), ['department_code'], unique=False)

    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.add_column(sa.Column('broadcast_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('department_code', sa.String(length=5), nullable=True))
        batch_op.create_index(batch_op.f('ix_notice_broadcast_id'), ['broadcast_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_notice_broadcast_id_notice_broadcast'), 'notice_broadcast', ['broadcast_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_notice_department_code_department'), 'department', ['department_code'], ['code'])


def downgrade():
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_notice_department_code_department'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_notice_broadcast_id_notice_broadcast'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_notice_broadcast_id'))
        batch_op.drop_column('department_code')
        batch_op.drop_column('broadcast_id')

    with op.batch_alter_table('notice_broadcast', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notice_broadcast_department_code'))
        batch_op.drop_index(batch_op.f('ix_notice_broadcast_author_id'))

    op.drop_table('notice_broadcast')
