"""Chợ 4.0 data rules: stall keys for duplicate warnings; existing payment details normalised.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 09:00:00

Rows written before the rules may hold "0011 0012" or "12ab" as an account number, a lower-case
accented account name, "0912 345 678" as a phone. This migration:
- normalises what can be normalised (account number without separators, account name folded to
  upper-case ASCII, phone to its digits), as miniapps/market/validation.py does on input;
- suspends, with a reason its owner sees, a verified merchant whose account number still breaks
  the rule (letters, too short or too long): it had a payment code no bank app pays, and the
  service now serves none and refuses to verify it until the owner fixes the account. Pending,
  rejected and suspended rows keep their status (verification refuses them until fixed).
- leaves a phone that is not a Vietnamese number as it is (it does not reach a payment code).

The rules are copied here rather than imported: a migration must keep doing what it did when the
application code changes.
"""

import re
import unicodedata

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

_FOLDS = str.maketrans({"đ": "d", "Đ": "D", "Ð": "D", "’": "'", "‘": "'", "–": "-"})
_ACCOUNT = re.compile(r"[0-9]{6,19}")
_ACCOUNT_NAME = re.compile(r"[A-Z0-9 .,\-&'()/]{1,70}")
_PHONE = re.compile(r"0[1-9]\d{8,9}|1\d{2,3}|1[89]00\d{4}(?:\d{2})?")
SUSPEND_REASON = (
    "Số tài khoản không hợp lệ (chỉ gồm chữ số, từ 6 đến 19 số). "
    "Vui lòng sửa số tài khoản; phường sẽ xác minh lại."
)

merchant = sa.table(
    'merchant',
    sa.column('id', sa.Integer),
    sa.column('stall', sa.String),
    sa.column('stall_key', sa.String),
    sa.column('phone', sa.String),
    sa.column('account_number', sa.String),
    sa.column('account_name', sa.String),
    sa.column('status', sa.String),
    sa.column('status_reason', sa.String),
)


def _strip_marks(text):
    decomposed = unicodedata.normalize("NFD", text.translate(_FOLDS))
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")


def _stall_key(stall):
    return re.sub(r"[^a-z0-9]", "", _strip_marks(stall).lower())[:120]


def _account_number(value):
    compact = re.sub(r"[\s.\-]", "", value)
    return compact if _ACCOUNT.fullmatch(compact) else value


def _account_name(value):
    folded = re.sub(r"\s+", " ", _strip_marks(value)).strip().upper()
    return folded if _ACCOUNT_NAME.fullmatch(folded) else value


def _phone(value):
    if value is None:
        return None
    compact = re.sub(r"[\s.\-()]", "", value)
    if compact.startswith("+84"):
        compact = "0" + compact[3:]
    return compact if _PHONE.fullmatch(compact) else value


def upgrade():
    """Add the stall key (with the two lookup indexes) and normalise the payment details."""
    with op.batch_alter_table('merchant', schema=None) as batch_op:
        batch_op.add_column(sa.Column('stall_key', sa.String(length=120), nullable=True))

    connection = op.get_bind()
    rows = connection.execute(
        sa.select(
            merchant.c.id,
            merchant.c.stall,
            merchant.c.phone,
            merchant.c.account_number,
            merchant.c.account_name,
            merchant.c.status,
            merchant.c.status_reason,
        )
    ).all()
    for row in rows:
        values = {
            'stall_key': _stall_key(row.stall),
            'phone': _phone(row.phone),
            'account_number': _account_number(row.account_number),
            'account_name': _account_name(row.account_name),
        }
        if row.status == 'verified' and not _ACCOUNT.fullmatch(values['account_number']):
            values.update(status='suspended', status_reason=SUSPEND_REASON)
        connection.execute(
            sa.update(merchant).where(merchant.c.id == row.id).values(**values)
        )

    with op.batch_alter_table('merchant', schema=None) as batch_op:
        batch_op.alter_column('stall_key', existing_type=sa.String(length=120), nullable=False)
        batch_op.create_index(
            'ix_merchant_bank_account', ['bank_bin', 'account_number'], unique=False
        )
        batch_op.create_index('ix_merchant_zone_stall', ['zone_id', 'stall_key'], unique=False)


def downgrade():
    """Drop the stall key and its indexes (normalised values stay normalised)."""
    with op.batch_alter_table('merchant', schema=None) as batch_op:
        batch_op.drop_index('ix_merchant_zone_stall')
        batch_op.drop_index('ix_merchant_bank_account')
        batch_op.drop_column('stall_key')
