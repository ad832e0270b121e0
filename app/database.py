"""Declarative base, shared column types and the database engine's tuning."""

import contextlib
import contextvars
import os
import sqlite3
import threading
import weakref
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

# The largest id a row can have: ids are PostgreSQL `integer` columns. Larger numbers from a
# client (URL or body) must be refused before they reach a query, which would fail with them.
MAX_ID = 2**31 - 1

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """Return the current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A timestamp stored in UTC and always returned timezone-aware.

    SQLite has no time zones; storing naive UTC and tagging it on the way out keeps both
    databases behaving the same.
    """

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        """Convert an aware datetime to naive UTC for storage."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use timezone-aware datetimes")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        """Tag a stored naive UTC value as UTC."""
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    """Base class of every model, with a constraint naming convention for Alembic."""

    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


class TimestampMixin:
    """Creation and update times."""

    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), default=utcnow, onupdate=utcnow, nullable=False
    )


# Whether the transactions begun in this context will write. SQLite needs to know before the
# first statement (see configure_engine); the request layer says so from the HTTP method, and
# anything outside a request (CLI, worker, tests) writes by default.
_write_intent: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "pxs_write_intent", default=True
)

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def configure_engine(engine: sa.Engine) -> None:
    """Tune an engine: SQLite gets WAL, foreign keys, a busy timeout and IMMEDIATE writes."""
    if engine.dialect.name != "sqlite":
        return

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Let SQLAlchemy emit BEGIN itself (pysqlite's own BEGIN is DEFERRED and late).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn):
        # A deferred transaction that reads and then writes fails at once with "database is
        # locked" when another writer got there first; IMMEDIATE waits on the busy timeout
        # instead. Read-only work stays deferred so that readers never queue.
        conn.exec_driver_sql("BEGIN IMMEDIATE" if _write_intent.get() else "BEGIN")


def intend_write(writes: bool = True) -> None:
    """Declare whether the transactions of the current context (a request, a job) will write.

    Call before the first query. A read request that must write anyway (the sign-in callback,
    which OAuth makes a GET) calls it with no argument; the pending transaction is rolled back
    so that the next one begins as a writer.
    """
    from app.extensions import db

    if writes and not _write_intent.get():
        db.session.rollback()
    _write_intent.set(writes)


def init_app(app) -> None:
    """Give each request one transaction: committed on a success, else rolled back."""
    from flask import request

    from app import errors
    from app.extensions import db

    @app.before_request
    def _declare_intent():
        _write_intent.set(request.method not in READ_METHODS)

    @app.teardown_request
    def _reset_intent(_exc):
        _write_intent.set(True)  # what follows in this thread (a test, a CLI step) may write

    @app.after_request
    def _commit(response):
        if not db.session.registry.has():
            return response  # the request never used the session
        if response.status_code >= 400:
            _rollback_quietly()
            return response
        try:
            db.session.commit()
        except sa.exc.IntegrityError:
            db.session.rollback()
            conflict = errors.error_response(
                409, "conflict", "Xung đột với dữ liệu hiện có; không có gì được ghi."
            )[0]
            conflict.status_code = 409  # an after-request hook returns a response, not a tuple
            return conflict
        except sa.exc.SQLAlchemyError as exc:
            # A fault: the commit did not reach the database (or its answer did not reach us),
            # nothing is acknowledged and the client may retry (503; idempotent creates make
            # that safe). Anything else is a 500. Either way logged without the values.
            _rollback_quietly()
            return errors.database_error_response(exc)
        return response


def _rollback_quietly() -> None:
    """Roll the request's session back; on a broken connection, drop the connection instead.

    After a database fault the rollback itself can fail; the session is then invalidated (its
    connections are discarded, not returned to the pool) so the next request gets a fresh one.
    """
    from app.extensions import db

    try:
        db.session.rollback()
    except sa.exc.DBAPIError:
        db.session.invalidate()


def fetch_one_raw(sql: str, params: tuple) -> tuple | None:
    """Run one read-only query outside the ORM and return its first row.

    For hot public reads only: it skips the ORM, whose per-query overhead is several times the
    cost of an indexed lookup. Write placeholders as `{p}`; they become the driver's own
    (`?` for sqlite3, `%s` for psycopg). The query sees committed data, like any other read:
    the latest commit of any connection, since it runs in no transaction of its own.

    On SQLite each thread keeps one connection for these reads (checking one out of the pool
    and back cost as much as the query); elsewhere it is a raw pooled connection.
    """
    from app.extensions import db

    engine = db.engine
    if engine.dialect.name == "sqlite":
        return _sqlite_reader(engine).fetch_one(sql, params)
    dbapi_error = engine.dialect.loaded_dbapi.Error
    # Outside the ORM the driver's own errors arrive: each is wrapped as SQLAlchemy would, so
    # an unreachable server or a broken connection answers 503 (app/errors.py).
    try:
        raw = engine.raw_connection()
    except dbapi_error as exc:
        raise _wrapped(engine, sql, exc, invalidated=False) from exc
    cursor = None
    try:
        cursor = raw.cursor()
        cursor.execute(sql.format(p="%s"), params)
        row = cursor.fetchone()
        cursor.close()
    except dbapi_error as exc:
        disconnect = engine.dialect.is_disconnect(exc, raw.dbapi_connection, cursor)
        if disconnect:
            raw.invalidate(exc)  # not handed out again
        raise _wrapped(engine, sql, exc, invalidated=disconnect) from exc
    finally:
        raw.close()
    return tuple(row) if row is not None else None


def _wrapped(engine: sa.Engine, sql: str, exc: Exception, *, invalidated: bool) -> Exception:
    """Return a driver's error as SQLAlchemy's exception for it, without statement values."""
    return sa.exc.DBAPIError.instance(
        sql,
        None,
        exc,
        engine.dialect.loaded_dbapi.Error,
        hide_parameters=True,
        dialect=engine.dialect,
        connection_invalidated=invalidated,
    )


class _SqliteReader:
    """One thread's SQLite connection for `fetch_one_raw`, in autocommit mode.

    Taken from the engine (so it has the engine's PRAGMAs) and detached from its pool: it
    neither counts against the pool's size nor is handed to another thread. With no
    transaction open between queries, each query reads the latest committed state. It is
    closed when the reader goes (its thread ends, or its engine is dropped).
    """

    def __init__(self, engine: sa.Engine) -> None:
        try:
            fairy = engine.raw_connection()
        except sqlite3.Error as exc:
            raise _wrapped(engine, "connect", exc, invalidated=False) from exc
        fairy.detach()
        self._connection = fairy.dbapi_connection
        self._sql: dict[str, str] = {}
        self.pid = os.getpid()
        weakref.finalize(self, self._connection.close)

    def fetch_one(self, sql: str, params: tuple) -> tuple | None:
        statement = self._sql.get(sql)
        if statement is None:
            statement = self._sql[sql] = sql.format(p="?")
        try:
            cursor = self._connection.execute(statement, params)
        except sqlite3.Error as exc:
            raise sa.exc.DBAPIError.instance(
                statement, None, exc, sqlite3.Error, hide_parameters=True
            ) from exc
        try:
            row = cursor.fetchone()
        finally:
            cursor.close()  # ends the statement, so no read snapshot outlives the query
        return tuple(row) if row is not None else None


_readers = threading.local()
# Readers inherited through a fork: SQLite must not close a connection in a process that did
# not open it (its WAL locks belong to the parent), so they are kept, unused, for good.
_inherited: list[_SqliteReader] = []


def _sqlite_reader(engine: sa.Engine) -> _SqliteReader:
    """Return this thread's reader for the engine, opening it on first use (or after a fork)."""
    by_engine = getattr(_readers, "by_engine", None)
    if by_engine is None:
        by_engine = _readers.by_engine = weakref.WeakKeyDictionary()
    reader = by_engine.get(engine)
    if reader is None or reader.pid != os.getpid():
        if reader is not None:
            _inherited.append(reader)
        reader = by_engine[engine] = _SqliteReader(engine)
    return reader


def dialect_insert(table):
    """Return an INSERT (with ON CONFLICT) in the bound database's dialect, for a model or table."""
    from sqlalchemy.dialects import postgresql, sqlite

    from app.extensions import db

    name = db.session.get_bind().dialect.name
    return (postgresql.insert if name == "postgresql" else sqlite.insert)(table)


def insert_ignore(model, rows: list[dict], keys: list[str]) -> int:
    """Insert rows, skipping those that would break the unique key; return rows inserted.

    The database decides (ON CONFLICT DO NOTHING … RETURNING), so two simultaneous requests
    never both insert nor fail: this is how "follow", "read", "join" and one ballot per voter
    stay idempotent. (RETURNING, not rowcount: psycopg reports -1 for these.)
    """
    from app.extensions import db

    if not rows:
        return 0
    stmt = dialect_insert(model).values(rows).on_conflict_do_nothing(index_elements=keys)
    return len(db.session.execute(stmt.returning(sa.literal(1))).all())


@contextlib.contextmanager
def transaction():
    """Run a block as one transaction of its own: committed if it ends well, else rolled back.

    For the outer command of work outside a request (a CLI command, a worker job); inside a
    request the request is the transaction.
    """
    from app.extensions import db

    try:
        yield db.session
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
