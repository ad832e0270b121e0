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
    pass


def downgrade():
    pass
