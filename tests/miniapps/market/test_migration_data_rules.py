"""Migration 0007 on rows written before the data rules: normalised, or suspended with a reason."""

import tempfile
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from app.database import utcnow
from app.extensions import db
from app.wards import service as wards
from tests.conftest import _database_url, make_app

WARD = "00592"
WARD_COLUMNS = ("code", "name", "type", "slug", "search_text")


@pytest.fixture
def old_database():
    """A fresh database upgraded to 0006 (before the rules), dropped afterwards."""
    with tempfile.TemporaryDirectory() as tmp:
        url, server = _database_url(Path(tmp))
        app = make_app(url, tmp)
        with app.app_context():
            upgrade(revision="0006")
            # The wards as rows of that time: today's sync also fills tables of later revisions.
            db.session.execute(
                sa.table("ward", *map(sa.column, WARD_COLUMNS)).insert(),
                [{key: row[key] for key in WARD_COLUMNS} for row in wards.source_wards()],
            )
            db.session.commit()
        yield app
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        if server:
            admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                name = sa.engine.make_url(url).database
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.dispose()


def test_old_rows_are_normalised_or_flagged(old_database):
    """Separators and case are fixed; a verified "12ab" is suspended with a reason to its owner."""
    now = utcnow()
    rows = [
        # (stall, phone, account number, account name, status)
        ("Ki-ốt A12", "+84912345678", "0011001234567", "nguyễn văn an", "verified"),
        ("Ki-ốt B1", "0912345678", "12ab", "NGUYEN B", "verified"),
        ("Ki-ốt B2", "12345678", "12ab", "Đỗ thị c", "pending"),
    ]
    with old_database.app_context():
        with db.engine.begin() as conn:
            zone = conn.execute(
                sa.text(
                    "INSERT INTO market_zone (ward_code, name, kind, search_text, created_at,"
                    " updated_at) VALUES (:w, 'Chợ', 'market', 'cho', :t, :t) RETURNING id"
                ),
                {"w": WARD, "t": now},
            ).scalar_one()
            for stall, phone, account, name, status in rows:
                conn.execute(
                    sa.text(
                        "INSERT INTO merchant (zone_id, name, stall, phone, bank_bin,"
                        " account_number, account_name, status, etax_supported,"
                        " einvoice_supported, sales_software, search_text, created_at,"
                        " updated_at) VALUES (:z, 'X', :stall, :phone, '970436', :account,"
                        " :name, :status, false, false, false, 'x', :t, :t)"
                    ),
                    {
                        "z": zone,
                        "stall": stall,
                        "phone": phone,
                        "account": account,
                        "name": name,
                        "status": status,
                        "t": now,
                    },
                )
        upgrade()
        with db.engine.connect() as conn:
            found = conn.execute(
                sa.text(
                    "SELECT stall_key, phone, account_number, account_name, status, status_reason"
                    " FROM merchant ORDER BY id"
                )
            ).all()
    assert [tuple(row[:5]) for row in found] == [
        ("kiota12", "0912345678", "0011001234567", "NGUYEN VAN AN", "verified"),
        ("kiotb1", "0912345678", "12ab", "NGUYEN B", "suspended"),
        ("kiotb2", "12345678", "12ab", "DO THI C", "pending"),
    ]
    assert found[0][5] is None and found[2][5] is None
    assert found[1][5].startswith("Số tài khoản không hợp lệ")
