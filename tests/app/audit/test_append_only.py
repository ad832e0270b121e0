"""The database itself keeps the audit log append-only: UPDATE and DELETE are refused."""

import os
import sqlite3

import pytest
import sqlalchemy as sa

from app.audit import record
from app.audit.models import AuditEntry
from app.extensions import db
from tests.conftest import make_app

WARD = "00070"


def _one_entry(app) -> int:
    with app.app_context():
        record("notice.published", "notice", 1, "Thông báo", ward_code=WARD)
        db.session.commit()
        return db.session.scalar(sa.select(sa.func.max(AuditEntry.id)))


@pytest.fixture
def strict_app(app, database_url):
    """An app on the test database that, unlike the test harness, may not empty the log."""
    strict = make_app(database_url, os.environ["PXS_TEST_INSTANCE"], AUDIT_LOG_DELETABLE=False)
    yield strict
    with strict.app_context():
        db.engine.dispose()


@pytest.mark.parametrize(
    "statement",
    [
        sa.update(AuditEntry).values(label="sửa lại"),
        sa.update(AuditEntry).values(actor_id=None, actor_kind="system"),
        sa.delete(AuditEntry),
    ],
    ids=["update-label", "update-actor", "delete"],
)
def test_the_database_refuses_to_change_or_delete_an_entry(strict_app, statement):
    """An UPDATE or DELETE on audit_entry fails in the database, and the entry stays."""
    entry_id = _one_entry(strict_app)
    with strict_app.app_context():
        with pytest.raises(sa.exc.DBAPIError, match="append-only"):
            db.session.execute(statement.where(AuditEntry.id == entry_id))
        db.session.rollback()
        kept = db.session.get(AuditEntry, entry_id)
        assert kept.label == "Thông báo" and kept.actor_kind == "system"


def test_outside_the_app_a_delete_is_refused_too(strict_app, is_postgres, database_url):
    """On SQLite a plain connection (the sqlite3 shell) cannot delete either."""
    entry_id = _one_entry(strict_app)
    if is_postgres:
        engine = sa.create_engine(database_url)
        with pytest.raises(sa.exc.DBAPIError, match="append-only"), engine.begin() as conn:
            conn.execute(sa.text("DELETE FROM audit_entry"))
        engine.dispose()
        return
    path = sa.engine.make_url(database_url).database
    conn = sqlite3.connect(path)
    try:
        with pytest.raises(sqlite3.OperationalError, match="audit_entry_deletable"):
            conn.execute("DELETE FROM audit_entry WHERE id = ?", (entry_id,))
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute("UPDATE audit_entry SET label = 'x' WHERE id = ?", (entry_id,))
    finally:
        conn.rollback()
        conn.close()


def test_create_all_gives_the_same_triggers(tmp_path):
    """A schema made with `create_all` (not the migrations) refuses changes the same way."""
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'fresh.sqlite3'}")
    db.metadata.create_all(
        engine,
        tables=[t for t in db.metadata.sorted_tables if t.name in ("ward", "user", "audit_entry")],
    )
    with engine.begin() as conn:
        conn.execute(
            sa.insert(AuditEntry.__table__).values(
                action="notice.published",
                object_type="notice",
                actor_kind="system",
                at=sa.func.current_timestamp(),
            )
        )
    for statement in ("UPDATE audit_entry SET label = 'x'", "DELETE FROM audit_entry"):
        with pytest.raises(sa.exc.DBAPIError), engine.begin() as conn:
            conn.execute(sa.text(statement))
    engine.dispose()
