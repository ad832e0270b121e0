"""Chợ 4.0: market zones, merchants, products.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 20:20:00

"""
from alembic import op
import sqlalchemy as sa

import app.database


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'market_zone',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('ward_code', sa.String(length=5), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('location', sa.String(length=300), nullable=True),
        sa.Column('search_text', sa.String(length=200), nullable=False),
        sa.Column('created_at', app.database.UTCDateTime(), nullable=False),
        sa.Column('updated_at', app.database.UTCDateTime(), nullable=False),
        sa.CheckConstraint("kind in ('street', 'market')", name=op.f('ck_market_zone_kind')),
        sa.ForeignKeyConstraint(
            ['ward_code'], ['ward.code'], name=op.f('fk_market_zone_ward_code_ward')
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_market_zone')),
        sa.UniqueConstraint('ward_code', 'name', name=op.f('uq_market_zone_ward_code_name')),
    )
    with op.batch_alter_table('market_zone', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_market_zone_ward_code'), ['ward_code'], unique=False)

    op.create_table(
        'merchant',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('zone_id', sa.Integer(), nullable=False),
        sa.Column('owner_id', sa.Integer(), nullable=True),
        sa.Column('name', sa.String(length=120), nullable=False),
        sa.Column('stall', sa.String(length=120), nullable=False),
        sa.Column('category', sa.String(length=80), nullable=True),
        sa.Column('opening_hours', sa.String(length=120), nullable=True),
        sa.Column('phone', sa.String(length=20), nullable=True),
        sa.Column('bank_bin', sa.String(length=6), nullable=False),
        sa.Column('account_number', sa.String(length=19), nullable=False),
        sa.Column('account_name', sa.String(length=70), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('status_reason', sa.String(length=300), nullable=True),
        sa.Column('verified_by_id', sa.Integer(), nullable=True),
        sa.Column('verified_at', app.database.UTCDateTime(), nullable=True),
        sa.Column('etax_supported', sa.Boolean(), nullable=False),
        sa.Column('einvoice_supported', sa.Boolean(), nullable=False),
        sa.Column('sales_software', sa.Boolean(), nullable=False),
        sa.Column('search_text', sa.String(length=210), nullable=False),
        sa.Column('created_at', app.database.UTCDateTime(), nullable=False),
        sa.Column('updated_at', app.database.UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "status in ('pending', 'verified', 'suspended', 'rejected')",
            name=op.f('ck_merchant_status'),
        ),
        sa.CheckConstraint(
            "status not in ('suspended', 'rejected') or status_reason is not null",
            name=op.f('ck_merchant_reason_given'),
        ),
        sa.CheckConstraint('length(bank_bin) = 6', name=op.f('ck_merchant_bank_bin_length')),
        sa.ForeignKeyConstraint(
            ['owner_id'], ['user.id'], name=op.f('fk_merchant_owner_id_user'), ondelete='SET NULL'
        ),
        sa.ForeignKeyConstraint(
            ['verified_by_id'],
            ['user.id'],
            name=op.f('fk_merchant_verified_by_id_user'),
            ondelete='SET NULL',
        ),
        sa.ForeignKeyConstraint(
            ['zone_id'], ['market_zone.id'], name=op.f('fk_merchant_zone_id_market_zone')
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_merchant')),
    )
    with op.batch_alter_table('merchant', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_merchant_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_merchant_zone_id'), ['zone_id'], unique=False)

    op.create_table(
        'product',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('merchant_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=120), nullable=False),
        sa.Column('price', sa.BigInteger(), nullable=False),
        sa.Column('ocop_stars', sa.SmallInteger(), nullable=True),
        sa.Column('created_at', app.database.UTCDateTime(), nullable=False),
        sa.Column('updated_at', app.database.UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            'ocop_stars is null or ocop_stars between 3 and 5',
            name=op.f('ck_product_ocop_stars'),
        ),
        sa.CheckConstraint(
            'price >= 0 and price <= 9999999999', name=op.f('ck_product_price')
        ),
        sa.ForeignKeyConstraint(
            ['merchant_id'],
            ['merchant.id'],
            name=op.f('fk_product_merchant_id_merchant'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_product')),
        sa.UniqueConstraint('merchant_id', 'name', name=op.f('uq_product_merchant_id_name')),
    )
    with op.batch_alter_table('product', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_product_merchant_id'), ['merchant_id'], unique=False)


def downgrade():
    with op.batch_alter_table('product', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_product_merchant_id'))
    op.drop_table('product')

    with op.batch_alter_table('merchant', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_merchant_zone_id'))
        batch_op.drop_index(batch_op.f('ix_merchant_owner_id'))
    op.drop_table('merchant')

    with op.batch_alter_table('market_zone', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_market_zone_ward_code'))
    op.drop_table('market_zone')
