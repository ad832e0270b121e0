"""Notices keep their reach as counters (audience at publication, reads of that audience), so
that the reach indicator and statistics read notices, never the read receipts.

Existing delivered notices are counted once from their inbox rows.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30 19:15:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    """Add the counters, fill them from the inbox of every delivered notice, index the reach."""
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.add_column(sa.Column('audience_count', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('read_count', sa.Integer(), server_default='0', nullable=False))
    op.execute(
        """
        update notice set
            audience_count = (
                select count(*) from notice_recipient r
                where r.notice_id = notice.id and r.late = false
            ),
            read_count = (
                select count(*) from notice_recipient r
                where r.notice_id = notice.id and r.late = false and r.read_at is not null
            )
        where delivered_at is not null
        """
    )
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.create_check_constraint(
            batch_op.f('ck_notice_read_count'), 'read_count between 0 and audience_count'
        )
        batch_op.create_index(
            'ix_notice_reach', ['delivered_at', 'ward_code', 'audience_count', 'read_count'], unique=False
        )


def downgrade():
    """Drop the counters."""
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.drop_index('ix_notice_reach')
        batch_op.drop_constraint(batch_op.f('ck_notice_read_count'), type_='check')
        batch_op.drop_column('read_count')
        batch_op.drop_column('audience_count')
