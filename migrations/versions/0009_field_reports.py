"""Field reports (phản ánh hiện trường): categories, reports, photos, history, ratings, moderation.

No rows are written: a ward's categories are the city's defaults (reports/defaults.py) until its
first report or its staff's first change writes them (docs/decisions/0016-field-reports.md).

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 16:08:40

"""
from alembic import op
import sqlalchemy as sa

import app.database


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    """Create the field-report tables and the indexes of the board, the queue and the reporter."""
    op.create_table('report_category',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ward_code', sa.String(length=5), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('group', sa.String(length=80), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('deadline_days', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', app.database.UTCDateTime(), nullable=False),
    sa.Column('updated_at', app.database.UTCDateTime(), nullable=False),
    sa.CheckConstraint('deadline_days between 1 and 60', name=op.f('ck_report_category_deadline_days')),
    sa.ForeignKeyConstraint(['ward_code'], ['ward.code'], name=op.f('fk_report_category_ward_code_ward')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_category')),
    sa.UniqueConstraint('ward_code', 'code', name=op.f('uq_report_category_ward_code_code'))
    )
    op.create_table('report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ward_code', sa.String(length=5), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('reporter_id', sa.Integer(), nullable=True),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('description_hidden', sa.Boolean(), nullable=False),
    sa.Column('lat', sa.Float(), nullable=False),
    sa.Column('long', sa.Float(), nullable=False),
    sa.Column('address', sa.String(length=300), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('is_open', sa.Boolean(), nullable=False),
    sa.Column('due_at', app.database.UTCDateTime(), nullable=False),
    sa.Column('closed_at', app.database.UTCDateTime(), nullable=True),
    sa.Column('responded_at', app.database.UTCDateTime(), nullable=True),
    sa.Column('duplicate_of_id', sa.Integer(), nullable=True),
    sa.Column('change_count', sa.Integer(), nullable=False),
    sa.Column('seen_count', sa.Integer(), nullable=False),
    sa.Column('created_at', app.database.UTCDateTime(), nullable=False),
    sa.Column('updated_at', app.database.UTCDateTime(), nullable=False),
    sa.CheckConstraint("(status = 'duplicate') = (duplicate_of_id is not null)", name=op.f('ck_report_duplicate_of')),
    sa.CheckConstraint("is_open = (status in ('received', 'acknowledged', 'in_progress'))", name=op.f('ck_report_is_open')),
    sa.CheckConstraint("status in ('received', 'acknowledged', 'in_progress', 'resolved', 'rejected', 'duplicate', 'referred')", name=op.f('ck_report_status')),
    sa.CheckConstraint('(closed_at is null) = is_open', name=op.f('ck_report_closed_at')),
    sa.CheckConstraint('duplicate_of_id <> id', name=op.f('ck_report_not_own_duplicate')),
    sa.CheckConstraint('lat between 20.53 and 21.4 and long between 105.28 and 106.03', name=op.f('ck_report_in_hanoi')),
    sa.CheckConstraint('seen_count between 0 and change_count', name=op.f('ck_report_seen_count')),
    sa.ForeignKeyConstraint(['category_id'], ['report_category.id'], name=op.f('fk_report_category_id_report_category')),
    sa.ForeignKeyConstraint(['duplicate_of_id'], ['report.id'], name=op.f('fk_report_duplicate_of_id_report')),
    sa.ForeignKeyConstraint(['reporter_id'], ['user.id'], name=op.f('fk_report_reporter_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['ward_code'], ['ward.code'], name=op.f('fk_report_ward_code_ward')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report'))
    )
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.create_index('ix_report_board', ['ward_code', 'id'], unique=False)
        batch_op.create_index('ix_report_board_category', ['ward_code', 'category_id', 'id'], unique=False)
        batch_op.create_index('ix_report_board_created', ['ward_code', 'created_at', 'id'], unique=False)
        batch_op.create_index('ix_report_board_open', ['ward_code', 'is_open', 'id'], unique=False)
        batch_op.create_index('ix_report_board_status', ['ward_code', 'status', 'id'], unique=False)
        batch_op.create_index('ix_report_duplicate_of_id', ['duplicate_of_id'], unique=False)
        batch_op.create_index('ix_report_queue', ['ward_code', 'is_open', 'due_at', 'id'], unique=False)
        batch_op.create_index('ix_report_reporter', ['reporter_id', 'id'], unique=False)

    op.create_table('report_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('at', app.database.UTCDateTime(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("status in ('received', 'acknowledged', 'in_progress', 'resolved', 'rejected', 'duplicate', 'referred')", name=op.f('ck_report_event_status')),
    sa.ForeignKeyConstraint(['actor_id'], ['user.id'], name=op.f('fk_report_event_actor_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['report_id'], ['report.id'], name=op.f('fk_report_event_report_id_report'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_event'))
    )
    with op.batch_alter_table('report_event', schema=None) as batch_op:
        batch_op.create_index('ix_report_event_report', ['report_id', 'id'], unique=False)

    op.create_table('report_photo',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('mimetype', sa.String(length=20), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('hidden', sa.Boolean(), nullable=False),
    sa.Column('created_at', app.database.UTCDateTime(), nullable=False),
    sa.CheckConstraint("mimetype = 'image/jpeg'", name=op.f('ck_report_photo_mimetype')),
    sa.ForeignKeyConstraint(['report_id'], ['report.id'], name=op.f('fk_report_photo_report_id_report'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_photo'))
    )
    with op.batch_alter_table('report_photo', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_photo_report_id'), ['report_id'], unique=False)

    op.create_table('report_rating',
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('stars', sa.SmallInteger(), nullable=False),
    sa.Column('created_at', app.database.UTCDateTime(), nullable=False),
    sa.CheckConstraint('stars between 1 and 5', name=op.f('ck_report_rating_stars')),
    sa.ForeignKeyConstraint(['report_id'], ['report.id'], name=op.f('fk_report_rating_report_id_report'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('report_id', name=op.f('pk_report_rating'))
    )
    op.create_table('report_moderation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('target', sa.String(length=20), nullable=False),
    sa.Column('photo_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('at', app.database.UTCDateTime(), nullable=False),
    sa.CheckConstraint("(target = 'photo') = (photo_id is not null)", name=op.f('ck_report_moderation_photo_id')),
    sa.CheckConstraint("target in ('description', 'photo')", name=op.f('ck_report_moderation_target')),
    sa.ForeignKeyConstraint(['actor_id'], ['user.id'], name=op.f('fk_report_moderation_actor_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['photo_id'], ['report_photo.id'], name=op.f('fk_report_moderation_photo_id_report_photo'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['report_id'], ['report.id'], name=op.f('fk_report_moderation_report_id_report'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_moderation'))
    )
    with op.batch_alter_table('report_moderation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_moderation_report_id'), ['report_id'], unique=False)


def downgrade():
    """Drop the field-report tables."""
    with op.batch_alter_table('report_moderation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_moderation_report_id'))

    op.drop_table('report_moderation')
    op.drop_table('report_rating')
    with op.batch_alter_table('report_photo', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_photo_report_id'))

    op.drop_table('report_photo')
    with op.batch_alter_table('report_event', schema=None) as batch_op:
        batch_op.drop_index('ix_report_event_report')

    op.drop_table('report_event')
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.drop_index('ix_report_reporter')
        batch_op.drop_index('ix_report_queue')
        batch_op.drop_index('ix_report_duplicate_of_id')
        batch_op.drop_index('ix_report_board_status')
        batch_op.drop_index('ix_report_board_open')
        batch_op.drop_index('ix_report_board_category')
        batch_op.drop_index('ix_report_board_created')
        batch_op.drop_index('ix_report_board')

    op.drop_table('report')
    op.drop_table('report_category')
