"""Polls, elections, consultations and surveys: questions, options, voters, ballots.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 19:50:00

"""
from alembic import op
import sqlalchemy as sa

import app.database


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    """Create the poll tables (ballots and voters WITHOUT ROWID on SQLite: no insertion order)."""
    op.create_table('poll',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ward_code', sa.String(length=5), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('secret', sa.Boolean(), nullable=False),
    sa.Column('results_visibility', sa.String(length=20), nullable=False),
    sa.Column('quorum_percent', sa.SmallInteger(), nullable=False),
    sa.Column('one_per_household', sa.Boolean(), nullable=False),
    sa.Column('min_vneid_level', sa.SmallInteger(), nullable=False),
    sa.Column('allow_change', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('opens_at', app.database.UTCDateTime(), nullable=True),
    sa.Column('closes_at', app.database.UTCDateTime(), nullable=True),
    sa.Column('opened_at', app.database.UTCDateTime(), nullable=True),
    sa.Column('closed_at', app.database.UTCDateTime(), nullable=True),
    sa.Column('eligible_count', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', app.database.UTCDateTime(), nullable=False),
    sa.Column('updated_at', app.database.UTCDateTime(), nullable=False),
    sa.CheckConstraint("kind in ('vote', 'election', 'consultation', 'survey')", name=op.f('ck_poll_kind')),
    sa.CheckConstraint("results_visibility in ('always', 'after_vote', 'after_close')", name=op.f('ck_poll_results_visibility')),
    sa.CheckConstraint("status in ('draft', 'scheduled', 'open', 'closed')", name=op.f('ck_poll_status')),
    sa.CheckConstraint('min_vneid_level in (1, 2)', name=op.f('ck_poll_min_vneid_level')),
    sa.CheckConstraint('not (secret and allow_change)', name=op.f('ck_poll_secret_no_change')),
    sa.CheckConstraint('quorum_percent between 0 and 100', name=op.f('ck_poll_quorum_percent')),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_poll_community_id_community'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_poll_created_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['ward_code'], ['ward.code'], name=op.f('fk_poll_ward_code_ward')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_poll'))
    )
    with op.batch_alter_table('poll', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_poll_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_poll_ward_code'), ['ward_code'], unique=False)

    op.create_table('idempotency_record',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('request_hash', sa.String(length=64), nullable=False),
    sa.Column('poll_id', sa.Integer(), nullable=True),
    sa.Column('status_code', sa.SmallInteger(), nullable=False),
    sa.Column('response', sa.Text(), nullable=False),
    sa.Column('created_at', app.database.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['poll_id'], ['poll.id'], name=op.f('fk_idempotency_record_poll_id_poll'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_idempotency_record_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_idempotency_record')),
    sa.UniqueConstraint('user_id', 'key_hash', name=op.f('uq_idempotency_record_user_id_key_hash'))
    )
    with op.batch_alter_table('idempotency_record', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_idempotency_record_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_idempotency_record_poll_id'), ['poll_id'], unique=False)

    op.create_table('poll_audit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('poll_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('at', app.database.UTCDateTime(), nullable=False),
    sa.Column('detail', sa.String(length=500), nullable=True),
    sa.CheckConstraint("action in ('created', 'opened', 'closed', 'closed_early')", name=op.f('ck_poll_audit_action')),
    sa.ForeignKeyConstraint(['actor_id'], ['user.id'], name=op.f('fk_poll_audit_actor_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['poll_id'], ['poll.id'], name=op.f('fk_poll_audit_poll_id_poll'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_poll_audit'))
    )
    with op.batch_alter_table('poll_audit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_poll_audit_poll_id'), ['poll_id'], unique=False)

    op.create_table('poll_ballot',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('poll_id', sa.Integer(), nullable=False),
    sa.Column('receipt_hash', sa.String(length=64), nullable=False),
    sa.Column('answers', sa.Text(), nullable=False),
    sa.Column('voter_key', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['poll_id'], ['poll.id'], name=op.f('fk_poll_ballot_poll_id_poll'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_poll_ballot')),
    sa.UniqueConstraint('poll_id', 'voter_key', name=op.f('uq_poll_ballot_poll_id_voter_key')),
    sa.UniqueConstraint('receipt_hash', name=op.f('uq_poll_ballot_receipt_hash')),
    sqlite_with_rowid=False
    )
    with op.batch_alter_table('poll_ballot', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_poll_ballot_poll_id'), ['poll_id'], unique=False)

    op.create_table('poll_eligible',
    sa.Column('poll_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('voter_key', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['poll_id'], ['poll.id'], name=op.f('fk_poll_eligible_poll_id_poll'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_poll_eligible_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('poll_id', 'user_id', name=op.f('pk_poll_eligible'))
    )
    with op.batch_alter_table('poll_eligible', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_poll_eligible_user_id'), ['user_id'], unique=False)

    op.create_table('poll_question',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('poll_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.SmallInteger(), nullable=False),
    sa.Column('text', sa.String(length=500), nullable=False),
    sa.Column('type', sa.String(length=10), nullable=False),
    sa.Column('min_choices', sa.SmallInteger(), nullable=False),
    sa.Column('max_choices', sa.SmallInteger(), nullable=False),
    sa.Column('allow_comment', sa.Boolean(), nullable=False),
    sa.CheckConstraint("type in ('choice', 'text')", name=op.f('ck_poll_question_type')),
    sa.CheckConstraint('min_choices >= 0 and max_choices >= min_choices', name=op.f('ck_poll_question_choices')),
    sa.ForeignKeyConstraint(['poll_id'], ['poll.id'], name=op.f('fk_poll_question_poll_id_poll'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_poll_question')),
    sa.UniqueConstraint('poll_id', 'position', name=op.f('uq_poll_question_poll_id_position'))
    )
    with op.batch_alter_table('poll_question', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_poll_question_poll_id'), ['poll_id'], unique=False)

    op.create_table('poll_voter',
    sa.Column('poll_id', sa.Integer(), nullable=False),
    sa.Column('voter_key', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['poll_id'], ['poll.id'], name=op.f('fk_poll_voter_poll_id_poll'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_poll_voter_user_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('poll_id', 'voter_key', name=op.f('pk_poll_voter')),
    sqlite_with_rowid=False
    )
    with op.batch_alter_table('poll_voter', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_poll_voter_user_id'), ['user_id'], unique=False)

    op.create_table('poll_option',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.SmallInteger(), nullable=False),
    sa.Column('text', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['question_id'], ['poll_question.id'], name=op.f('fk_poll_option_question_id_poll_question'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_poll_option')),
    sa.UniqueConstraint('question_id', 'position', name=op.f('uq_poll_option_question_id_position'))
    )
    with op.batch_alter_table('poll_option', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_poll_option_question_id'), ['question_id'], unique=False)



def downgrade():
    """Drop the poll tables."""
    with op.batch_alter_table('poll_option', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_poll_option_question_id'))

    op.drop_table('poll_option')
    with op.batch_alter_table('poll_voter', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_poll_voter_user_id'))

    op.drop_table('poll_voter')
    with op.batch_alter_table('poll_question', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_poll_question_poll_id'))

    op.drop_table('poll_question')
    with op.batch_alter_table('poll_eligible', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_poll_eligible_user_id'))

    op.drop_table('poll_eligible')
    with op.batch_alter_table('poll_ballot', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_poll_ballot_poll_id'))

    op.drop_table('poll_ballot')
    with op.batch_alter_table('poll_audit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_poll_audit_poll_id'))

    op.drop_table('poll_audit')
    with op.batch_alter_table('idempotency_record', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_idempotency_record_poll_id'))
        batch_op.drop_index(batch_op.f('ix_idempotency_record_created_at'))

    op.drop_table('idempotency_record')
    with op.batch_alter_table('poll', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_poll_ward_code'))
        batch_op.drop_index(batch_op.f('ix_poll_community_id'))

    op.drop_table('poll')
