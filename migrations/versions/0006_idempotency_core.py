"""Idempotency-Key records serve every create, not only ballots: drop their poll link.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 15:55:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    """Drop `poll_id`: a record belongs to its caller and request, whatever it created."""
    with op.batch_alter_table("idempotency_record", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_idempotency_record_poll_id"))
        batch_op.drop_constraint(
            batch_op.f("fk_idempotency_record_poll_id_poll"), type_="foreignkey"
        )
        batch_op.drop_column("poll_id")


def downgrade():
    """Put the (empty) poll link back."""
    with op.batch_alter_table("idempotency_record", schema=None) as batch_op:
        batch_op.add_column(sa.Column("poll_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_idempotency_record_poll_id_poll"),
            "poll",
            ["poll_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch_op.create_index(
            batch_op.f("ix_idempotency_record_poll_id"), ["poll_id"], unique=False
        )
