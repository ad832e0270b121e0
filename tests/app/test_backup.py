"""`flask backup create` / `restore`: every row comes back in an empty database; never over data."""

import os
import uuid

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.identity.demo import citizens_of
from tests.conftest import csrf_headers, make_app

WARD = "00070"


@pytest.fixture
def empty_database_url(database_url, tmp_path):
    """The URL of a brand-new empty database on the same server as the test database."""
    if not database_url.startswith("postgresql"):
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    server = os.environ["TEST_DATABASE_URL"]
    name = f"pxs_restore_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    yield sa.engine.make_url(server).set(database=name).render_as_string(False)
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


def _snapshot(url: str) -> dict[str, list]:
    """Read every table of a database (reflected, so alembic_version too): its rows, sorted."""
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    metadata = sa.MetaData()
    metadata.reflect(engine)
    with engine.connect() as conn:
        found = {
            name: sorted((tuple(row) for row in conn.execute(table.select())), key=repr)
            for name, table in metadata.tables.items()
        }
    engine.dispose()
    return found


def _invoke(app, command: str, file):
    """Run `flask backup COMMAND FILE` on `app`.

    Its own app context: pytest-flask keeps the `app` fixture's pushed, and the CLI would use it.
    """
    with app.app_context():
        return app.test_cli_runner().invoke(args=["backup", command, str(file)])


def _fill(app, client) -> None:
    """Load the demo data, then add a resident who signed in and minted a personal token."""
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    sub = citizens_of(WARD)[5].sub
    response = client.get(f"/auth/login?login_hint={sub}&next=/api/v1/me", follow_redirects=True)
    assert response.status_code == 200
    assert client.post("/api/v1/auth/tokens", headers=csrf_headers(client)).status_code == 201


def test_backup_then_restore_into_an_empty_database_brings_back_every_row(
    app, client, database_url, empty_database_url, tmp_path
):
    """Every table of the metadata and alembic_version holds the same rows after a restore."""
    _fill(app, client)
    backup = tmp_path / "pxs.backup"
    result = app.test_cli_runner().invoke(args=["backup", "create", str(backup)])
    assert result.exit_code == 0, result.output
    assert backup.stat().st_size > 0
    assert sorted(p.name for p in tmp_path.iterdir() if "backup" in p.name) == ["pxs.backup"]

    target = make_app(empty_database_url, os.environ["PXS_TEST_INSTANCE"])
    result = _invoke(target, "restore", backup)
    assert result.exit_code == 0, result.output
    assert "restored" in result.output

    source, restored = _snapshot(database_url), _snapshot(empty_database_url)
    expected_tables = {t.name for t in db.metadata.sorted_tables} | {"alembic_version"}
    assert expected_tables <= set(source)
    assert set(restored) == set(source)
    for name in sorted(source):
        assert restored[name] == source[name], name
    assert len(source["alembic_version"]) == 1
    assert sum(len(rows) for rows in source.values()) > 1000

    # The restored database serves the same answers (and its sequences go on after the rows).
    path = f"/api/v1/wards/{WARD}/communities"
    assert target.test_client().get(path).get_json() == app.test_client().get(path).get_json()
    with target.app_context():
        db.engine.dispose()


def test_restore_refuses_a_database_that_holds_tables_and_changes_nothing(
    app, client, database_url, tmp_path
):
    """Restoring over live data is refused with a message and exit code 1; no row changes."""
    _fill(app, client)
    backup = tmp_path / "pxs.backup"
    runner = app.test_cli_runner()
    assert runner.invoke(args=["backup", "create", str(backup)]).exit_code == 0
    # Something written after the backup, which a restore over the data would lose.
    assert client.post("/api/v1/auth/tokens", headers=csrf_headers(client)).status_code == 201
    before = _snapshot(database_url)

    result = runner.invoke(args=["backup", "restore", str(backup)])

    assert result.exit_code != 0
    assert "not empty" in result.output
    assert _snapshot(database_url) == before


def test_a_failed_backup_leaves_the_previous_file_and_no_partial_file(database_url, tmp_path):
    """A failed backup (the database cannot be read) keeps FILE as it was, nothing beside it."""
    if database_url.startswith("postgresql"):
        broken = sa.engine.make_url(database_url).set(database="pxs_no_such_database")
        broken_url = broken.render_as_string(False)
    else:
        garbage = tmp_path / "garbage.sqlite3"
        garbage.write_bytes(b"this is not a database" * 100)
        broken_url = f"sqlite:///{garbage}"
    out = tmp_path / "backups"
    out.mkdir()
    previous = out / "pxs.backup"
    previous.write_bytes(b"yesterday's backup")
    broken_app = make_app(broken_url, os.environ["PXS_TEST_INSTANCE"])

    result = _invoke(broken_app, "create", previous)

    assert result.exit_code != 0
    assert "failed" in result.output or "cannot" in result.output
    assert previous.read_bytes() == b"yesterday's backup"
    assert [p.name for p in out.iterdir()] == ["pxs.backup"]


def test_a_restore_that_is_not_a_backup_leaves_the_empty_database_empty(
    empty_database_url, tmp_path
):
    """A file that is not a backup is refused; the target stays without any table."""
    junk = tmp_path / "junk.backup"
    junk.write_bytes(b"PGDMP? no." * 200)
    target = make_app(empty_database_url, os.environ["PXS_TEST_INSTANCE"])

    result = _invoke(target, "restore", junk)

    assert result.exit_code != 0
    assert _snapshot(empty_database_url) == {}


def test_the_password_goes_to_pg_dump_in_its_environment_never_on_its_command_line():
    """The libpq URI given to pg_dump/pg_restore has no password; PGPASSWORD carries it."""
    from app.backup import libpq_connection

    url = sa.engine.make_url(
        "postgresql+psycopg://pxs:s3cr%40t@db.example:5433/pxs?sslmode=require"
    )

    uri, env = libpq_connection(url)

    assert uri == "postgresql://pxs@db.example:5433/pxs?sslmode=require"
    assert env["PGPASSWORD"] == "s3cr@t"
    assert "s3cr" not in uri


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+psycopg://pxs@db.example:5433/pxs?password=s3cr%40t&sslmode=require",
        # Both: the query string's wins, as it does for psycopg; neither reaches the URI.
        "postgresql+psycopg://pxs:old-one@db.example:5433/pxs?sslmode=require&password=s3cr%40t",
    ],
)
def test_a_password_in_the_query_string_goes_to_pgpassword_too(url):
    """`?password=` is taken out of the URI given to pg_dump/pg_restore and put in PGPASSWORD."""
    from app.backup import libpq_connection

    uri, env = libpq_connection(sa.engine.make_url(url))

    assert uri == "postgresql://pxs@db.example:5433/pxs?sslmode=require"
    assert env["PGPASSWORD"] == "s3cr@t"
    assert "s3cr" not in uri and "old-one" not in uri and "password" not in uri


@pytest.mark.parametrize("exists", [False, True], ids=["new file", "empty file"])
def test_a_sqlite_restore_makes_the_target_readable_by_its_owner_only(
    app, database_url, tmp_path, exists
):
    """Whatever the umask, the restored database file (personal data) is 0600."""
    if not database_url.startswith("sqlite"):
        pytest.skip("SQLite only")
    backup = tmp_path / "pxs.backup"
    assert _invoke(app, "create", backup).exit_code == 0
    restored = tmp_path / "restored.sqlite3"
    if exists:
        restored.touch(mode=0o644)
        os.chmod(restored, 0o644)
    target = make_app(f"sqlite:///{restored}", os.environ["PXS_TEST_INSTANCE"])
    previous = os.umask(0o022)
    try:
        result = _invoke(target, "restore", backup)
    finally:
        os.umask(previous)
        with target.app_context():
            db.engine.dispose()
    assert result.exit_code == 0, result.output
    assert restored.stat().st_mode & 0o777 == 0o600
