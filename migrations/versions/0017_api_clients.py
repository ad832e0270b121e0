"""OAuth 2.0 API clients and their tokens.

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-30 21:15:00

"""
from alembic import op
import sqlalchemy as sa

import app.database


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.add_column(sa.Column('scope', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('wards', sa.Text(), nullable=True))

    # A client's secret is kept only as a hash; its service account is a `user` row.
    op.create_table('api_client',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.String(length=40), nullable=False),
    sa.Column('secret_hash', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('scopes', sa.String(length=255), nullable=False),
    sa.Column('wards', sa.Text(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', app.database.UTCDateTime(), nullable=False),
    sa.Column('deleted_at', app.database.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_api_client_created_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_api_client_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_client')),
    sa.UniqueConstraint('client_id', name=op.f('uq_api_client_client_id')),
    sa.UniqueConstraint('user_id', name=op.f('uq_api_client_user_id'))
    )


def downgrade():
    op.drop_table('api_client')
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.drop_column('wards')
        batch_op.drop_column('scope')
