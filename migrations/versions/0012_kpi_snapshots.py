"""Daily snapshots of every unit's indicators: the history of the plans' targets.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30 19:00:00

"""
from alembic import op
import sqlalchemy as sa

import app.database


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    """Create the snapshot table, keyed by day, unit and indicator."""
    op.create_table('kpi_snapshot',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('ward_code', sa.String(length=5), nullable=False),
    sa.Column('indicator_id', sa.String(length=60), nullable=False),
    sa.Column('numerator', sa.Integer(), nullable=False),
    sa.Column('denominator', sa.Integer(), nullable=True),
    sa.Column('value', sa.Float(), nullable=True),
    sa.Column('measured_at', app.database.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['ward_code'], ['ward.code'], name=op.f('fk_kpi_snapshot_ward_code_ward')),
    sa.PrimaryKeyConstraint('day', 'ward_code', 'indicator_id', name=op.f('pk_kpi_snapshot'))
    )
    with op.batch_alter_table('kpi_snapshot', schema=None) as batch_op:
        batch_op.create_index('ix_kpi_snapshot_series', ['ward_code', 'indicator_id', 'day'], unique=False)


def downgrade():
    """Drop the snapshot table."""
    with op.batch_alter_table('kpi_snapshot', schema=None) as batch_op:
        batch_op.drop_index('ix_kpi_snapshot_series')

    op.drop_table('kpi_snapshot')
