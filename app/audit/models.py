"""The audit log: one row per privileged act, never changed, never deleted.

The database itself refuses UPDATE and DELETE on `audit_entry` (a trigger on PostgreSQL and on
SQLite, created by migration 0020 and, for schemas made with `create_all`, by the DDL events
below). Nothing personal is copied in: the actor is a user id whose name is read when the log
is shown, and `label` names the object (a notice's title, "tài khoản #12"), never a resident.
"""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.database import Base, UTCDateTime, utcnow
from app.extensions import db

ACTOR_KINDS = ("person", "client", "system")


class AuditEntry(Base):
    """One privileged act: who (`actor_id`, `actor_kind`), when, what, on which object.

    `ward_code` is the ward of the object (None for an act of the whole city, such as a
    city-wide broadcast); `department_code` the department acting, when one did.
    """

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    ward_code: Mapped[str | None] = mapped_column(sa.String(5), sa.ForeignKey("ward.code"))
    department_code: Mapped[str | None] = mapped_column(sa.String(5))
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"), index=True)
    actor_kind: Mapped[str] = mapped_column(sa.String(10))
    action: Mapped[str] = mapped_column(sa.String(60))
    object_type: Mapped[str] = mapped_column(sa.String(40))
    object_id: Mapped[str | None] = mapped_column(sa.String(64))
    label: Mapped[str | None] = mapped_column(sa.String(200))

    __table_args__ = (
        sa.CheckConstraint("actor_kind in ('person', 'client', 'system')", name="actor_kind"),
        sa.Index("ix_audit_entry_ward_code_id", "ward_code", "id"),
    )


# The append-only rule, as the database states it. Migration 0020 holds its own copy (a
# migration is history and must not follow later edits); these make `create_all` match it.
REFUSAL = "audit_entry is append-only"

SQLITE_TRIGGERS = (
    "CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_entry "
    f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END",
    # `audit_entry_deletable()` exists only on the app's own connections (init_app below):
    # elsewhere (the sqlite3 shell) the DELETE fails on the missing function all the same.
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

for _sql in SQLITE_TRIGGERS:
    sa.event.listen(AuditEntry.__table__, "after_create", sa.DDL(_sql).execute_if(dialect="sqlite"))
for _sql in POSTGRESQL_TRIGGERS:
    sa.event.listen(
        AuditEntry.__table__, "after_create", sa.DDL(_sql).execute_if(dialect="postgresql")
    )
sa.event.listen(
    AuditEntry.__table__,
    "after_drop",
    sa.DDL("DROP FUNCTION IF EXISTS audit_entry_append_only()").execute_if(dialect="postgresql"),
)


def init_app(app) -> None:
    """On SQLite, tell the delete trigger whether this app may empty the table.

    Only a test app that says so may (`AUDIT_LOG_DELETABLE`, tests/conftest.py): the test harness
    empties every table after each test with DELETE (tests/conftest.py), where PostgreSQL's
    TRUNCATE fires no row trigger. Every other app's DELETE is refused. PostgreSQL has no
    such switch.
    """
    deletable = 1 if app.config.get("AUDIT_LOG_DELETABLE", False) else 0
    with app.app_context():
        engine = db.engine
    if engine.dialect.name != "sqlite":
        return

    @sa.event.listens_for(engine, "connect")
    def _define_switch(dbapi_connection, _record):
        dbapi_connection.create_function(
            "audit_entry_deletable", 0, lambda: deletable, deterministic=True
        )
