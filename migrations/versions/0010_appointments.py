"""Appointments and queue numbers: booking services and hours, slot counters, bookings, ratings,
the hall's daily number sequences and tickets (docs/decisions/0018-appointments-and-queue.md).

No rows are written: services are the wards' own (demo data adds some in the pilot wards).

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30 18:22:28.524348

"""
from alembic import op
import sqlalchemy as sa

import app.database


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    """Create the appointment tables with the constraints that hold capacity and numbering."""
    op.create_table('booking_service',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ward_code', sa.String(length=5), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('location', sa.String(length=300), nullable=False),
    sa.Column('duration_minutes', sa.Integer(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('counters', sa.Integer(), nullable=False),
    sa.Column('book_ahead_days', sa.Integer(), nullable=False),
    sa.Column('walk_in_cap', sa.Integer(), nullable=False),
    sa.Column('calls_before_no_show', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', app.database.UTCDateTime(), nullable=False),
    sa.Column('updated_at', app.database.UTCDateTime(), nullable=False),
    sa.CheckConstraint("kind in ('procedure', 'facility')", name=op.f('ck_booking_service_kind')),
    sa.CheckConstraint('book_ahead_days between 1 and 90', name=op.f('ck_booking_service_book_ahead_days')),
    sa.CheckConstraint('calls_before_no_show between 1 and 5', name=op.f('ck_booking_service_calls_before_no_show')),
    sa.CheckConstraint('capacity between 1 and 100', name=op.f('ck_booking_service_capacity')),
    sa.CheckConstraint('counters between 1 and 50', name=op.f('ck_booking_service_counters')),
    sa.CheckConstraint('duration_minutes between 5 and 480', name=op.f('ck_booking_service_duration_minutes')),
    sa.CheckConstraint('walk_in_cap between 0 and 999', name=op.f('ck_booking_service_walk_in_cap')),
    sa.ForeignKeyConstraint(['ward_code'], ['ward.code'], name=op.f('fk_booking_service_ward_code_ward')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_booking_service'))
    )
    with op.batch_alter_table('booking_service', schema=None) as batch_op:
        batch_op.create_index('ix_booking_service_ward', ['ward_code', 'id'], unique=False)

    op.create_table('appointment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('ward_code', sa.String(length=5), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('code', sa.String(length=8), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('start', app.database.UTCDateTime(), nullable=False),
    sa.Column('end', app.database.UTCDateTime(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('cancelled_at', app.database.UTCDateTime(), nullable=True),
    sa.Column('checked_in_at', app.database.UTCDateTime(), nullable=True),
    sa.Column('reminded_at', app.database.UTCDateTime(), nullable=True),
    sa.Column('created_at', app.database.UTCDateTime(), nullable=False),
    sa.Column('updated_at', app.database.UTCDateTime(), nullable=False),
    sa.CheckConstraint("(status = 'cancelled') = (cancelled_at is not null)", name=op.f('ck_appointment_cancelled')),
    sa.CheckConstraint("status in ('booked', 'cancelled', 'checked_in', 'called', 'done', 'no_show', 'missed')", name=op.f('ck_appointment_status')),
    sa.CheckConstraint('start < "end"', name=op.f('ck_appointment_interval')),
    sa.ForeignKeyConstraint(['service_id'], ['booking_service.id'], name=op.f('fk_appointment_service_id_booking_service')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_appointment_user_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['ward_code'], ['ward.code'], name=op.f('fk_appointment_ward_code_ward')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appointment')),
    sa.UniqueConstraint('code', name=op.f('uq_appointment_code'))
    )
    with op.batch_alter_table('appointment', schema=None) as batch_op:
        batch_op.create_index('ix_appointment_holder', ['user_id', 'id'], unique=False)
        batch_op.create_index('ix_appointment_remind', ['status', 'reminded_at', 'start'], unique=False)
        batch_op.create_index('ix_appointment_schedule', ['ward_code', 'day', 'start', 'id'], unique=False)
        batch_op.create_index('uq_appointment_one_a_day', ['service_id', 'user_id', 'day'], unique=True, sqlite_where=sa.text("status in ('booked', 'checked_in', 'called')"), postgresql_where=sa.text("status in ('booked', 'checked_in', 'called')"))

    op.create_table('booking_hours',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('weekday', sa.Integer(), nullable=False),
    sa.Column('start_minute', sa.Integer(), nullable=False),
    sa.Column('end_minute', sa.Integer(), nullable=False),
    sa.CheckConstraint('start_minute >= 0 and end_minute <= 1440 and start_minute < end_minute', name=op.f('ck_booking_hours_interval')),
    sa.CheckConstraint('weekday between 1 and 7', name=op.f('ck_booking_hours_weekday')),
    sa.ForeignKeyConstraint(['service_id'], ['booking_service.id'], name=op.f('fk_booking_hours_service_id_booking_service'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_booking_hours'))
    )
    with op.batch_alter_table('booking_hours', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_booking_hours_service_id'), ['service_id'], unique=False)

    op.create_table('booking_slot',
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('start', app.database.UTCDateTime(), nullable=False),
    sa.Column('booked', sa.Integer(), nullable=False),
    sa.CheckConstraint('booked >= 0', name=op.f('ck_booking_slot_booked')),
    sa.ForeignKeyConstraint(['service_id'], ['booking_service.id'], name=op.f('fk_booking_slot_service_id_booking_service'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('service_id', 'start', name=op.f('pk_booking_slot'))
    )
    op.create_table('queue_day',
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('last_number', sa.Integer(), nullable=False),
    sa.Column('walk_ins', sa.Integer(), nullable=False),
    sa.CheckConstraint('walk_ins between 0 and last_number', name=op.f('ck_queue_day_walk_ins')),
    sa.ForeignKeyConstraint(['service_id'], ['booking_service.id'], name=op.f('fk_queue_day_service_id_booking_service'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('service_id', 'day', name=op.f('pk_queue_day'))
    )
    op.create_table('appointment_rating',
    sa.Column('appointment_id', sa.Integer(), nullable=False),
    sa.Column('stars', sa.Integer(), nullable=False),
    sa.Column('created_at', app.database.UTCDateTime(), nullable=False),
    sa.CheckConstraint('stars between 1 and 5', name=op.f('ck_appointment_rating_stars')),
    sa.ForeignKeyConstraint(['appointment_id'], ['appointment.id'], name=op.f('fk_appointment_rating_appointment_id_appointment'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('appointment_id', name=op.f('pk_appointment_rating'))
    )
    op.create_table('queue_ticket',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ward_code', sa.String(length=5), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=12), nullable=False),
    sa.Column('appointment_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('counter', sa.Integer(), nullable=True),
    sa.Column('call_count', sa.Integer(), nullable=False),
    sa.Column('queued_at', app.database.UTCDateTime(), nullable=False),
    sa.Column('called_at', app.database.UTCDateTime(), nullable=True),
    sa.Column('finished_at', app.database.UTCDateTime(), nullable=True),
    sa.Column('on_time', sa.Boolean(), nullable=True),
    sa.CheckConstraint("(finished_at is null) = (status in ('waiting', 'called'))", name=op.f('ck_queue_ticket_finished_at')),
    sa.CheckConstraint("(source = 'appointment') = (appointment_id is not null)", name=op.f('ck_queue_ticket_appointment')),
    sa.CheckConstraint("(status = 'waiting') = (called_at is null)", name=op.f('ck_queue_ticket_called_at')),
    sa.CheckConstraint("call_count >= 0 and (status = 'waiting') = (call_count = 0)", name=op.f('ck_queue_ticket_call_count')),
    sa.CheckConstraint("source in ('appointment', 'walk_in')", name=op.f('ck_queue_ticket_source')),
    sa.CheckConstraint("status in ('waiting', 'called', 'done', 'no_show')", name=op.f('ck_queue_ticket_status')),
    sa.CheckConstraint('number >= 1', name=op.f('ck_queue_ticket_number')),
    sa.ForeignKeyConstraint(['appointment_id'], ['appointment.id'], name=op.f('fk_queue_ticket_appointment_id_appointment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['service_id'], ['booking_service.id'], name=op.f('fk_queue_ticket_service_id_booking_service')),
    sa.ForeignKeyConstraint(['ward_code'], ['ward.code'], name=op.f('fk_queue_ticket_ward_code_ward')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_queue_ticket')),
    sa.UniqueConstraint('appointment_id', name=op.f('uq_queue_ticket_appointment_id')),
    sa.UniqueConstraint('service_id', 'day', 'number', name=op.f('uq_queue_ticket_service_id_day_number'))
    )
    with op.batch_alter_table('queue_ticket', schema=None) as batch_op:
        batch_op.create_index('ix_queue_ticket_hall', ['ward_code', 'day', 'status', 'queued_at', 'id'], unique=False)
        batch_op.create_index('ix_queue_ticket_handled', ['service_id', 'status', 'finished_at'], unique=False)


def downgrade():
    """Drop the appointment tables."""
    with op.batch_alter_table('queue_ticket', schema=None) as batch_op:
        batch_op.drop_index('ix_queue_ticket_handled')
        batch_op.drop_index('ix_queue_ticket_hall')

    op.drop_table('queue_ticket')
    op.drop_table('appointment_rating')
    op.drop_table('queue_day')
    op.drop_table('booking_slot')
    with op.batch_alter_table('booking_hours', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_booking_hours_service_id'))

    op.drop_table('booking_hours')
    with op.batch_alter_table('appointment', schema=None) as batch_op:
        batch_op.drop_index('uq_appointment_one_a_day', sqlite_where=sa.text("status in ('booked', 'checked_in', 'called')"), postgresql_where=sa.text("status in ('booked', 'checked_in', 'called')"))
        batch_op.drop_index('ix_appointment_schedule')
        batch_op.drop_index('ix_appointment_remind')
        batch_op.drop_index('ix_appointment_holder')

    op.drop_table('appointment')
    with op.batch_alter_table('booking_service', schema=None) as batch_op:
        batch_op.drop_index('ix_booking_service_ward')

    op.drop_table('booking_service')