"""Departments as tenants beside the wards: the department table, department roles, and the
miniapp units (wards and departments) that the miniapp config tables now refer to.

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
UNIT_KIND = (
    "(kind = 'ward' AND ward_code = code AND department_code IS NULL) OR "
    "(kind = 'department' AND department_code = code AND ward_code IS NULL)"
)
OLD_TEMPLATE_TYPES = "ward_type in ('phuong', 'xa')"
NEW_TEMPLATE_TYPES = "ward_type in ('phuong', 'xa', 'so')"
# The config tables whose ward_code referred to ward.code and now refers to miniapp_unit.code.
CONFIG_TABLES = ('miniapp_override', 'miniapp_version', 'miniapp_audit')


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

    op.create_table('miniapp_unit',
    sa.Column('code', sa.String(length=5), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('ward_code', sa.String(length=5), nullable=True),
    sa.Column('department_code', sa.String(length=5), nullable=True),
    sa.CheckConstraint(UNIT_KIND, name=op.f('ck_miniapp_unit_kind')),
    sa.ForeignKeyConstraint(['department_code'], ['department.code'], name=op.f('fk_miniapp_unit_department_code_department')),
    sa.ForeignKeyConstraint(['ward_code'], ['ward.code'], name=op.f('fk_miniapp_unit_ward_code_ward')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_miniapp_unit'))
    )
    # Every ward already synced is a unit; departments become units when they are synced.
    op.execute(
        "INSERT INTO miniapp_unit (code, kind, ward_code, department_code) "
        "SELECT code, 'ward', code, NULL FROM ward"
    )
    for table in CONFIG_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f'fk_{table}_ward_code_ward'), type_='foreignkey')
            batch_op.create_foreign_key(batch_op.f(f'fk_{table}_ward_code_miniapp_unit'), 'miniapp_unit', ['ward_code'], ['code'])
    with op.batch_alter_table('miniapp_template', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_miniapp_template_ward_type'), type_='check')
        batch_op.create_check_constraint('ward_type', NEW_TEMPLATE_TYPES)


def downgrade():
    op.execute("DELETE FROM miniapp_template WHERE ward_type = 'so'")
    with op.batch_alter_table('miniapp_template', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_miniapp_template_ward_type'), type_='check')
        batch_op.create_check_constraint('ward_type', OLD_TEMPLATE_TYPES)
    for table in CONFIG_TABLES:
        # A department's config has no ward to belong to.
        op.execute(
            f"DELETE FROM {table} WHERE ward_code IN "
            "(SELECT code FROM miniapp_unit WHERE kind = 'department')"
        )
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f'fk_{table}_ward_code_miniapp_unit'), type_='foreignkey')
            batch_op.create_foreign_key(batch_op.f(f'fk_{table}_ward_code_ward'), 'ward', ['ward_code'], ['code'])
    op.drop_table('miniapp_unit')

    op.execute("delete from role_grant where department_code is not null")
    with op.batch_alter_table('role_grant', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_role_grant_role'), type_='check')
        batch_op.create_check_constraint('role', OLD_ROLES)
        batch_op.drop_constraint(batch_op.f('fk_role_grant_department_code_department'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_role_grant_department_code'))
        batch_op.drop_column('department_code')
    op.drop_table('department')
