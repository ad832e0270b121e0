"""Fixtures: an app on a migrated database (SQLite, or PostgreSQL via TEST_DATABASE_URL)."""

import os
import tempfile
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

os.environ["APP_ENV"] = "test"

from app import (
    cache,  # noqa: E402
    create_app,  # noqa: E402
)
from app.extensions import db  # noqa: E402

SECRET = "test-secret-key-" + "x" * 32
KEEP_TABLES = {"alembic_version", "ward"}
# What `wards sync` and `departments sync` wrote besides the wards (the departments, each
# one's config version 1), by database URL:
# put back after every test, so that each starts from a freshly synced database.
_SYNCED_ROWS: dict[str, list[tuple[sa.Table, list[dict]]]] = {}


def _database_url(tmp_root: Path) -> tuple[str, str | None]:
    """Return the URL of a fresh test database and, for PostgreSQL, its admin URL."""
    server = os.environ.get("TEST_DATABASE_URL")
    if not server:
        return f"sqlite:///{tmp_root / 'test.sqlite3'}", None
    name = f"pxs_test_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    return sa.engine.make_url(server).set(database=name).render_as_string(False), server


def make_app(database_url: str, instance_path: str, **extra):
    """Create an app bound to the test database."""
    config = {
        "TESTING": True,
        "SECRET_KEY": SECRET,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "RATELIMIT_ENABLED": False,
        "INSTANCE_PATH": instance_path,
        # Authlib's client registry is one per process, as the apps of a test session are: they
        # share the client's credentials like the workers of one deployment do.
        "VNEID_CLIENT_SECRET": "test-vneid-client-secret-" + "v" * 24,
        # The harness empties every table after each test; on SQLite that is a DELETE, which
        # the audit log's append-only trigger refuses to any other app (app/audit/models.py).
        "AUDIT_LOG_DELETABLE": True,
    }
    config.update(extra)
    return create_app(config)


@pytest.fixture(scope="session")
def database_url():
    """Create one database for the session and upgrade it to head with the real migrations."""
    from flask_migrate import upgrade

    from app.departments import service as departments
    from app.wards import service as wards

    with tempfile.TemporaryDirectory() as tmp:
        url, server = _database_url(Path(tmp))
        os.environ["PXS_TEST_INSTANCE"] = tmp
        app = make_app(url, tmp)
        with app.app_context():
            upgrade()
            wards.sync()
            departments.sync()
            db.session.commit()
            _SYNCED_ROWS[url] = _rows_besides_the_wards()
            db.session.remove()
            db.engine.dispose()
        yield url
        if server:
            admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.exec_driver_sql(
                    f'DROP DATABASE IF EXISTS "{sa.engine.make_url(url).database}" WITH (FORCE)'
                )
            admin.dispose()


def _rows_besides_the_wards() -> list[tuple[sa.Table, list[dict]]]:
    """Return the rows of every table but the kept ones, parents first, without their ids."""
    found = []
    for table in db.metadata.sorted_tables:
        if table.name in KEEP_TABLES:
            continue
        rows = [dict(row) for row in db.session.execute(table.select()).mappings()]
        if rows:
            # New ids on the way back in: the sequences restart, and a test's rows follow.
            serial = table.autoincrement_column
            skip = {serial.name} if serial is not None else set()
            found.append((table, [{k: v for k, v in r.items() if k not in skip} for r in rows]))
    return found


def _empty_tables(app) -> None:
    """Delete every row the test wrote, keeping the migrated schema and what `wards sync` wrote."""
    # Values derived from rows (a poll's definition by id) would outlive the rows: ids restart.
    cache.clear_all()
    with app.app_context():
        tables = [t for t in reversed(db.metadata.sorted_tables) if t.name not in KEEP_TABLES]
        with db.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                names = ", ".join(f'"{t.name}"' for t in tables)
                conn.exec_driver_sql(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
            else:
                for table in tables:
                    conn.execute(table.delete())
            for table, rows in _SYNCED_ROWS[app.config["SQLALCHEMY_DATABASE_URI"]]:
                conn.execute(table.insert(), rows)
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def app(database_url):
    """An app for one test; the rows it writes are removed afterwards."""
    app = make_app(database_url, os.environ["PXS_TEST_INSTANCE"])
    yield app
    _empty_tables(app)


@pytest.fixture
def is_postgres(database_url) -> bool:
    """Tell whether this run uses PostgreSQL."""
    return database_url.startswith("postgresql")


def login_as(client, sub: str):
    """Sign in through the real OIDC code flow against the in-process mock; return /me."""
    response = client.get(f"/auth/login?login_hint={sub}&next=/api/v1/me", follow_redirects=True)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


@pytest.fixture
def citizens():
    """The mock provider's demo citizens."""
    from app.mock_vneid.citizens import all_citizens

    return all_citizens()


@pytest.fixture
def sign_in(client):
    """Sign the test client in as a demo citizen (by sub); returns /api/v1/me."""
    return lambda sub: login_as(client, sub)


def csrf_headers(client) -> dict:
    """Return the X-CSRF-Token header for the client's session."""
    return {"X-CSRF-Token": client.get("/api/v1/me").get_json()["csrf_token"]}


def grant(app, sub: str, role: str, ward: str | None = None, community_id: int | None = None):
    """Grant a role through the CLI, as an operator would."""
    args = ["roles", "grant", sub, role]
    if ward:
        args += ["--ward", ward]
    if community_id is not None:
        args += ["--community", str(community_id)]
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 0, result.output


@pytest.fixture
def count_statements(app):
    """Return a function that calls `send()` and returns its result and the SQL statements sent.

    For list views: a page of 2 items and a page of 12 must send the same number (no N+1).
    """
    with app.app_context():
        engine = db.engine

    def run(send):
        statements: list[str] = []

        def count(conn, cursor, statement, parameters, context, executemany):
            statements.append(statement)

        sa.event.listen(engine, "before_cursor_execute", count)
        try:
            result = send()
        finally:
            sa.event.remove(engine, "before_cursor_execute", count)
        return result, statements

    return run


def assert_flat_cost(count_statements, fetch, small: int = 2, large: int = 12) -> None:
    """Fetch a page of `small` items, then of `large`: both must send as many statements.

    `fetch(n)` asks for a page of n items. A first call warms what a request reads once
    (caches, the ward keys), so that both measured calls start alike.
    """
    fetch(small)
    few, few_sent = count_statements(lambda: fetch(small))
    many, many_sent = count_statements(lambda: fetch(large))
    assert few.status_code == 200 and many.status_code == 200, many.get_json()
    assert len(few.get_json()["items"]) == small
    assert len(many.get_json()["items"]) == large
    assert len(many_sent) == len(few_sent), "\n".join(many_sent)
