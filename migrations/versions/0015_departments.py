"""Departments as tenants beside the wards: the department table and department roles.

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-30 21:15:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


OLD_ROLES = "role in ('city_admin', 'ward_admin', 'ward_editor', 'community_leader')"
NEW_ROLES = (
    "role in ('city_admin', 'ward_admin', 'ward_editor', 'community_leader', "
    "'department_admin', 'department_editor')"
)


def upgrade():
    op.create_table('department',
    sa.Column('code', sa.String(length=5), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('short_name', sa.String(length=60), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('search_text', sa.String(length=120), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_department')),
    sa.UniqueConstraint('slug', name=op.f('uq_department_slug'))
    )
    with op.batch_alter_table('role_grant', schema=None) as batch_op:
        batch_op.add_column(sa.Column('department_code', sa.String(length=5), nullable=True))
        batch_op.create_index(batch_op.f('ix_role_grant_department_code'), ['department_code'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_role_grant_department_code_department'), 'department', ['department_code'], ['code'])
        batch_op.drop_constraint(batch_op.f('ck_role_grant_role'), type_='check')
        batch_op.create_check_constraint('role', NEW_ROLES)


def downgrade():
    op.execute("delete from role_grant where department_code is not null")
    with op.batch_alter_table('role_grant', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_role_grant_role'), type_='check')
        batch_op.create_check_constraint('role', OLD_ROLES)
        batch_op.drop_constraint(batch_op.f('fk_role_grant_department_code_department'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_role_grant_department_code'))
        batch_op.drop_column('department_code')
    op.drop_table('department')
