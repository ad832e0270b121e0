"""Communities, memberships, ward followers, notices, read receipts.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 20:20:00

"""
from alembic import op
import sqlalchemy as sa

import app.database


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    """Create the community and notice tables."""
    op.create_table('community',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ward_code', sa.String(length=5), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('search_text', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('invite_code', sa.String(length=16), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', app.database.UTCDateTime(), nullable=False),
    sa.CheckConstraint("kind in ('to_dan_pho', 'thon', 'chi_bo', 'chi_hoi', 'other')", name=op.f('ck_community_kind')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_community_created_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['ward_code'], ['ward.code'], name=op.f('fk_community_ward_code_ward')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_community')),
    sa.UniqueConstraint('invite_code', name=op.f('uq_community_invite_code')),
    sa.UniqueConstraint('ward_code', 'name', name=op.f('uq_community_ward_code_name'))
    )
    with op.batch_alter_table('community', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_community_ward_code'), ['ward_code'], unique=False)

    op.create_table('notice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ward_code', sa.String(length=5), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('category', sa.String(length=30), nullable=False),
    sa.Column('priority', sa.String(length=10), nullable=False),
    sa.Column('pinned', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('publish_at', app.database.UTCDateTime(), nullable=True),
    sa.Column('expires_at', app.database.UTCDateTime(), nullable=True),
    sa.Column('published_at', app.database.UTCDateTime(), nullable=True),
    sa.Column('delivered_at', app.database.UTCDateTime(), nullable=True),
    sa.Column('withdrawn_at', app.database.UTCDateTime(), nullable=True),
    sa.Column('created_at', app.database.UTCDateTime(), nullable=False),
    sa.Column('updated_at', app.database.UTCDateTime(), nullable=False),
    sa.CheckConstraint("category in ('thong_tin_co_so', 'an_ninh_trat_tu', 'y_te', 'giao_duc', 'moi_truong', 'phong_chong_thien_tai', 'van_hoa', 'phap_luat', 'khac')", name=op.f('ck_notice_category')),
    sa.CheckConstraint("priority in ('normal', 'urgent')", name=op.f('ck_notice_priority')),
    sa.CheckConstraint("status in ('draft', 'published', 'withdrawn')", name=op.f('ck_notice_status')),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_notice_author_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['ward_code'], ['ward.code'], name=op.f('fk_notice_ward_code_ward')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notice'))
    )
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notice_author_id'), ['author_id'], unique=False)
        batch_op.create_index('ix_notice_due', ['delivered_at', 'status', 'published_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_notice_ward_code'), ['ward_code'], unique=False)

    op.create_table('ward_follow',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('ward_code', sa.String(length=5), nullable=False),
    sa.Column('created_at', app.database.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_ward_follow_user_id_user'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['ward_code'], ['ward.code'], name=op.f('fk_ward_follow_ward_code_ward')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ward_follow')),
    sa.UniqueConstraint('user_id', 'ward_code', name=op.f('uq_ward_follow_user_id_ward_code'))
    )
    with op.batch_alter_table('ward_follow', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ward_follow_ward_code'), ['ward_code'], unique=False)

    op.create_table('community_membership',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('leader_title', sa.String(length=10), nullable=True),
    sa.Column('household', sa.String(length=40), nullable=True),
    sa.Column('household_confirmed', sa.Boolean(), nullable=False),
    sa.Column('joined_at', app.database.UTCDateTime(), nullable=False),
    sa.CheckConstraint("leader_title is null or leader_title in ('leader', 'deputy')", name=op.f('ck_community_membership_leader_title')),
    sa.CheckConstraint("status in ('active', 'pending')", name=op.f('ck_community_membership_status')),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_community_membership_community_id_community'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_community_membership_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_community_membership')),
    sa.UniqueConstraint('community_id', 'user_id', name=op.f('uq_community_membership_community_id_user_id'))
    )
    with op.batch_alter_table('community_membership', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_community_membership_user_id'), ['user_id'], unique=False)

    op.create_table('notice_audience',
    sa.Column('notice_id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_notice_audience_community_id_community'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['notice_id'], ['notice.id'], name=op.f('fk_notice_audience_notice_id_notice'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_notice_audience_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('notice_id', 'community_id', 'user_id', name=op.f('pk_notice_audience'))
    )
    op.create_table('notice_community',
    sa.Column('notice_id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_notice_community_community_id_community'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['notice_id'], ['notice.id'], name=op.f('fk_notice_community_notice_id_notice'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('notice_id', 'community_id', name=op.f('pk_notice_community'))
    )
    with op.batch_alter_table('notice_community', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notice_community_community_id'), ['community_id'], unique=False)

    op.create_table('notice_read',
    sa.Column('notice_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('read_at', app.database.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['notice_id'], ['notice.id'], name=op.f('fk_notice_read_notice_id_notice'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_notice_read_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('notice_id', 'user_id', name=op.f('pk_notice_read'))
    )
    with op.batch_alter_table('notice_read', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notice_read_user_id'), ['user_id'], unique=False)

    op.create_table('notice_recipient',
    sa.Column('notice_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('pinned', sa.Boolean(), nullable=False),
    sa.Column('urgent', sa.Boolean(), nullable=False),
    sa.Column('published_at', app.database.UTCDateTime(), nullable=False),
    sa.Column('expires_at', app.database.UTCDateTime(), nullable=True),
    sa.Column('hidden', sa.Boolean(), nullable=False),
    sa.Column('late', sa.Boolean(), nullable=False),
    sa.Column('delivered_at', app.database.UTCDateTime(), nullable=True),
    sa.Column('read_at', app.database.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['notice_id'], ['notice.id'], name=op.f('fk_notice_recipient_notice_id_notice'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_notice_recipient_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('notice_id', 'user_id', name=op.f('pk_notice_recipient'))
    )
    with op.batch_alter_table('notice_recipient', schema=None) as batch_op:
        batch_op.create_index('ix_notice_recipient_feed', ['user_id', 'pinned', 'urgent', 'published_at', 'notice_id', 'hidden', 'expires_at'], unique=False)
        batch_op.create_index('ix_notice_recipient_unread', ['user_id', 'read_at', 'hidden', 'published_at'], unique=False)

    op.create_table('notice_image',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('notice_id', sa.Integer(), nullable=False),
    sa.Column('mimetype', sa.String(length=20), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', app.database.UTCDateTime(), nullable=False),
    sa.CheckConstraint("mimetype in ('image/jpeg', 'image/png')", name=op.f('ck_notice_image_mimetype')),
    sa.ForeignKeyConstraint(['notice_id'], ['notice.id'], name=op.f('fk_notice_image_notice_id_notice'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notice_image'))
    )
    with op.batch_alter_table('notice_image', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notice_image_notice_id'), ['notice_id'], unique=False)


def downgrade():
    """Drop the community and notice tables."""
    with op.batch_alter_table('notice_image', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notice_image_notice_id'))

    op.drop_table('notice_image')

    with op.batch_alter_table('notice_recipient', schema=None) as batch_op:
        batch_op.drop_index('ix_notice_recipient_unread')
        batch_op.drop_index('ix_notice_recipient_feed')

    op.drop_table('notice_recipient')
    with op.batch_alter_table('notice_read', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notice_read_user_id'))

    op.drop_table('notice_read')
    with op.batch_alter_table('notice_community', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notice_community_community_id'))

    op.drop_table('notice_community')
    op.drop_table('notice_audience')
    with op.batch_alter_table('community_membership', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_community_membership_user_id'))

    op.drop_table('community_membership')
    with op.batch_alter_table('ward_follow', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ward_follow_ward_code'))

    op.drop_table('ward_follow')
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notice_ward_code'))
        batch_op.drop_index('ix_notice_due')
        batch_op.drop_index(batch_op.f('ix_notice_author_id'))

    op.drop_table('notice')
    with op.batch_alter_table('community', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_community_ward_code'))

    op.drop_table('community')
