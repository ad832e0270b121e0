"""Miniapp configs: templates, ward overrides, drafts, published versions, audit log.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 20:20:00

"""
from alembic import op
import sqlalchemy as sa

import app.database


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('miniapp_audit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ward_code', sa.String(length=5), nullable=True),
    sa.Column('ward_type', sa.String(length=10), nullable=True),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.Column('at', app.database.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user.id'], name=op.f('fk_miniapp_audit_actor_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['ward_code'], ['ward.code'], name=op.f('fk_miniapp_audit_ward_code_ward')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_miniapp_audit'))
    )
    with op.batch_alter_table('miniapp_audit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_miniapp_audit_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_miniapp_audit_ward_code'), ['ward_code'], unique=False)

    op.create_table('miniapp_override',
    sa.Column('ward_code', sa.String(length=5), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('overrides', sa.JSON(), nullable=False),
    sa.Column('updated_at', app.database.UTCDateTime(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("state in ('published', 'draft')", name=op.f('ck_miniapp_override_state')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_miniapp_override_updated_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['ward_code'], ['ward.code'], name=op.f('fk_miniapp_override_ward_code_ward')),
    sa.PrimaryKeyConstraint('ward_code', 'state', name=op.f('pk_miniapp_override'))
    )
    op.create_table('miniapp_template',
    sa.Column('ward_type', sa.String(length=10), nullable=False),
    sa.Column('document', sa.JSON(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_at', app.database.UTCDateTime(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("ward_type in ('phuong', 'xa')", name=op.f('ck_miniapp_template_ward_type')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_miniapp_template_updated_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('ward_type', name=op.f('pk_miniapp_template'))
    )
    op.create_table('miniapp_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ward_code', sa.String(length=5), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('document', sa.JSON(), nullable=False),
    sa.Column('body', sa.LargeBinary(), nullable=False),
    sa.Column('etag', sa.String(length=40), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('published_at', app.database.UTCDateTime(), nullable=False),
    sa.Column('summary', sa.String(length=500), nullable=False),
    sa.CheckConstraint('version >= 1', name=op.f('ck_miniapp_version_version_positive')),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_miniapp_version_author_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['ward_code'], ['ward.code'], name=op.f('fk_miniapp_version_ward_code_ward')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_miniapp_version')),
    sa.UniqueConstraint('ward_code', 'version', name=op.f('uq_miniapp_version_ward_code_version'))
    )
    with op.batch_alter_table('miniapp_version', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_miniapp_version_author_id'), ['author_id'], unique=False)



def downgrade():
    with op.batch_alter_table('miniapp_version', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_miniapp_version_author_id'))

    op.drop_table('miniapp_version')
    op.drop_table('miniapp_template')
    op.drop_table('miniapp_override')
    with op.batch_alter_table('miniapp_audit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_miniapp_audit_ward_code'))
        batch_op.drop_index(batch_op.f('ix_miniapp_audit_actor_id'))

    op.drop_table('miniapp_audit')
