"""Browser sessions stored server-side

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-01 00:10:00

"""
from alembic import op
import sqlalchemy as sa

import app.database


# revision identifiers, used by Alembic.
revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
