"""Append-only audit log of privileged acts

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-01 00:10:00

"""
from alembic import op
import sqlalchemy as sa

import app.database


# revision identifiers, used by Alembic.
revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None

# The database refuses to change or delete an entry (TRUNCATE, an owner's maintenance act,
# stays possible on PostgreSQL). A copy of app/audit/models.py's DDL as of this revision.
REFUSAL = "audit_entry is append-only"
SQLITE_TRIGGERS = (
    "CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_entry "
    f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END",
    # audit_entry_deletable(): defined by the app on its own connections, true only in a
    # test app (app/audit/models.py); missing anywhere else, which fails the DELETE too.
    "CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_entry "
    "WHEN NOT coalesce(audit_entry_deletable(), 0) "
    f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END",
)
POSTGRESQL_TRIGGERS = (
    "CREATE FUNCTION audit_entry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
    f"BEGIN RAISE EXCEPTION '{REFUSAL}' USING ERRCODE = 'insufficient_privilege'; END $$",
    "CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_entry "
    "FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only()",
)


def upgrade():
    op.create_table('audit_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', app.database.UTCDateTime(), nullable=False),
    sa.Column('ward_code', sa.String(length=5), nullable=True),
    sa.Column('department_code', sa.String(length=5), nullable=True),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_kind', sa.String(length=10), nullable=False),
    sa.Column('action', sa.String(length=60), nullable=False),
    sa.Column('object_type', sa.String(length=40), nullable=False),
    sa.Column('object_id', sa.String(length=64), nullable=True),
    sa.Column('label', sa.String(length=200), nullable=True),
    sa.CheckConstraint("actor_kind in ('person', 'client', 'system')", name=op.f('ck_audit_entry_actor_kind')),
    sa.ForeignKeyConstraint(['actor_id'], ['user.id'], name=op.f('fk_audit_entry_actor_id_user')),
    sa.ForeignKeyConstraint(['ward_code'], ['ward.code'], name=op.f('fk_audit_entry_ward_code_ward')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entry'))
    )
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_entry_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index('ix_audit_entry_ward_code_id', ['ward_code', 'id'], unique=False)

    dialect = op.get_bind().dialect.name
    for sql in {"sqlite": SQLITE_TRIGGERS, "postgresql": POSTGRESQL_TRIGGERS}.get(dialect, ()):
        op.execute(sql)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_entry_append_only ON audit_entry")
        op.execute("DROP FUNCTION IF EXISTS audit_entry_append_only()")
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_entry_ward_code_id')
        batch_op.drop_index(batch_op.f('ix_audit_entry_actor_id'))

    op.drop_table('audit_entry')
