"""The registry of residential groups (tổ dân phố, thôn) each ward keeps, and a community's link
to its group (docs/decisions/0019-indicators-over-time.md).

No rows are written: each ward brings its own list (by hand or CSV; demo data adds some in the
pilot wards). Existing communities stay unlinked until staff link them.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30 18:49:19.373803

"""
from alembic import op
import sqlalchemy as sa

import app.database


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    """Create the registry and let a community name its group (one community a group)."""
    op.create_table('residential_group',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ward_code', sa.String(length=5), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('name_key', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('households', sa.Integer(), nullable=False),
    sa.Column('created_at', app.database.UTCDateTime(), nullable=False),
    sa.Column('updated_at', app.database.UTCDateTime(), nullable=False),
    sa.CheckConstraint("kind in ('to_dan_pho', 'thon')", name=op.f('ck_residential_group_kind')),
    sa.CheckConstraint('households >= 0', name=op.f('ck_residential_group_households')),
    sa.ForeignKeyConstraint(['ward_code'], ['ward.code'], name=op.f('fk_residential_group_ward_code_ward')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_residential_group')),
    sa.UniqueConstraint('ward_code', 'name_key', name=op.f('uq_residential_group_ward_code_name_key'))
    )
    with op.batch_alter_table('community', schema=None) as batch_op:
        batch_op.add_column(sa.Column('residential_group_id', sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_community_residential_group_id'), ['residential_group_id'])
        batch_op.create_foreign_key(batch_op.f('fk_community_residential_group_id_residential_group'), 'residential_group', ['residential_group_id'], ['id'], ondelete='SET NULL')


def downgrade():
    """Drop the communities' link, then the registry."""
    with op.batch_alter_table('community', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_community_residential_group_id_residential_group'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_community_residential_group_id'), type_='unique')
        batch_op.drop_column('residential_group_id')

    op.drop_table('residential_group')
