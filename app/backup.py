"""`flask backup create FILE` / `flask backup restore FILE`: whole-database backups.

PostgreSQL: `pg_dump --format=custom` (one consistent snapshot, taken while the service runs) and
`pg_restore` into an empty database, in one transaction. SQLite: the online backup API
(`sqlite3.Connection.backup`), which copies a consistent snapshot while other connections write,
both ways. A backup is written beside FILE under a temporary name and renamed over it only once
complete, so a failed backup never leaves a half file under FILE (nor removes the previous one).
A restore refuses a target that holds any table: it never merges into, nor overwrites, live data.
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import AppGroup

backup_cli = AppGroup("backup", help="Back up the database and restore it into an empty one.")

# Where Debian/Ubuntu install each PostgreSQL major version's client programs.
PG_BIN_GLOB = "/usr/lib/postgresql/*/bin"


@backup_cli.command("create")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def create_command(file: Path) -> None:
    """Write a consistent backup of the configured database to FILE (replaced atomically)."""
    url = sa.engine.make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "postgresql":
        _write_atomically(file, lambda tmp: _pg_dump(url, tmp))
        kind = "PostgreSQL custom-format dump"
    elif url.get_backend_name() == "sqlite":
        _write_atomically(file, lambda tmp: _sqlite_copy(_sqlite_path(url), tmp))
        kind = "SQLite database"
    else:
        raise click.ClickException(f"backup: unsupported database {url.get_backend_name()!r}")
    size = file.stat().st_size
    click.echo(f"backup: {_describe(url)} written to {file} ({kind}, {size:,} bytes)")


@backup_cli.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def restore_command(file: Path) -> None:
    """Restore FILE (made by `backup create`) into the configured database, which must be empty."""
    url = sa.engine.make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "postgresql":
        tables = _pg_tables(url)
        _refuse_unless_empty(url, tables)
        _pg_restore(url, file)
    elif url.get_backend_name() == "sqlite":
        target = _sqlite_path(url)
        tables = _sqlite_tables(target) if target.exists() else []
        _refuse_unless_empty(url, tables)
        _sqlite_restore(file, target)
    else:
        raise click.ClickException(f"backup: unsupported database {url.get_backend_name()!r}")
    click.echo(f"backup: {file} restored into {_describe(url)}")


def _describe(url: sa.URL) -> str:
    """Name the database for the operator, without its password."""
    return url.render_as_string(hide_password=True)


def _refuse_unless_empty(url: sa.URL, tables: list[str]) -> None:
    """Stop with an error when the target database already holds tables."""
    if tables:
        shown = ", ".join(sorted(tables)[:5]) + (", …" if len(tables) > 5 else "")
        raise click.ClickException(
            f"backup: refusing to restore into {_describe(url)}: it is not empty "
            f"({len(tables)} table(s): {shown}). Restore into a new, empty database."
        )


def _write_atomically(file: Path, write: Callable[[Path], None]) -> None:
    """Call `write(tmp)` on a temporary file beside FILE, then rename it over FILE.

    The rename is atomic on one filesystem: FILE is either the previous backup or the new,
    complete one. The temporary file is removed whatever happens.
    """
    directory = file.resolve().parent
    if not directory.is_dir():
        raise click.ClickException(f"backup: directory {directory} does not exist")
    fd, name = tempfile.mkstemp(dir=directory, prefix=f".{file.name}.", suffix=".partial")
    os.close(fd)
    tmp = Path(name)
    try:
        write(tmp)
        with open(tmp, "rb") as done:
            os.fsync(done.fileno())
        os.replace(tmp, file)
    finally:
        tmp.unlink(missing_ok=True)
    # The rename itself must survive a crash: flush the directory entry too.
    dir_fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


# --- PostgreSQL ----------------------------------------------------------------------------------


def _tool_version(path: str) -> tuple[int, ...]:
    """Return a PostgreSQL program's version (`pg_dump (PostgreSQL) 15.4` → (15, 4))."""
    try:
        # The path is one this module found (PATH or the PostgreSQL bin glob), not user input.
        out = subprocess.run(  # noqa: S603
            [path, "--version"], capture_output=True, text=True, check=True
        )
    except (OSError, subprocess.CalledProcessError):
        return ()
    found = re.search(r"(\d+(?:\.\d+)*)", out.stdout)
    return tuple(int(part) for part in found.group(1).split(".")) if found else ()


def pg_tool(name: str) -> str:
    """Find a PostgreSQL client program (pg_dump, pg_restore): the highest version installed.

    Looks on PATH and in /usr/lib/postgresql/*/bin (as scripts/with-postgres.sh does): pg_dump
    refuses a server newer than itself, so the newest one is the safest choice.
    """
    candidates = glob.glob(f"{PG_BIN_GLOB}/{name}")
    on_path = shutil.which(name)
    if on_path:
        candidates.append(on_path)
    versions = {path: _tool_version(path) for path in candidates}
    usable = [path for path, version in versions.items() if version]
    if not usable:
        raise click.ClickException(
            f"backup: {name} not found on PATH nor in {PG_BIN_GLOB} "
            "(install the PostgreSQL client: apt-get install -y postgresql-client)"
        )
    return max(usable, key=lambda path: versions[path])


def libpq_connection(url: sa.URL) -> tuple[str, dict[str, str]]:
    """Turn a SQLAlchemy URL into a libpq URI without the password, and the environment to use.

    The password goes in PGPASSWORD: a command line is readable by every user of the machine
    (`ps`), the environment of a process only by its owner. A `password=` in the query string
    goes there too (and wins over the one before the host, as it does for psycopg).
    """
    env = dict(os.environ)  # without a password in the URL: PGPASSWORD or ~/.pgpass as set
    query = dict(url.query)
    password = query.pop("password", None)
    if isinstance(password, tuple):  # given more than once: the last one counts
        password = password[-1] if password else None
    password = password or url.password
    if password:
        env["PGPASSWORD"] = str(password)
    # URL.create, not url.set(password=None): set() takes None for "leave as it is".
    bare = sa.URL.create(
        "postgresql",
        username=url.username,
        host=url.host,
        port=url.port,
        database=url.database,
        query=query,
    )
    uri = bare.render_as_string(hide_password=False)
    return uri, env


def _run_pg(args: list[str], env: dict[str, str], what: str) -> None:
    """Run a PostgreSQL client program; turn its failure into a CLI error with its message."""
    # No shell: the arguments go to the program as they are (a URI with `&` stays one).
    done = subprocess.run(args, env=env, capture_output=True, text=True)  # noqa: S603
    if done.returncode != 0:
        message = (done.stderr or done.stdout).strip().splitlines()[-10:]
        raise click.ClickException(
            f"backup: {what} failed (exit {done.returncode}): " + "\n".join(message)
        )


def _pg_dump(url: sa.URL, tmp: Path) -> None:
    """Dump the database to `tmp` in pg_dump's custom format (compressed, for pg_restore)."""
    uri, env = libpq_connection(url)
    _run_pg(
        [pg_tool("pg_dump"), "--format=custom", f"--file={tmp}", f"--dbname={uri}"],
        env,
        "pg_dump",
    )


def _pg_tables(url: sa.URL) -> list[str]:
    """List the tables and views of the target database outside PostgreSQL's own schemas."""
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            return list(
                conn.scalars(
                    sa.text(
                        "SELECT table_schema || '.' || table_name FROM information_schema.tables "
                        "WHERE table_schema NOT IN ('pg_catalog', 'information_schema')"
                    )
                )
            )
    finally:
        engine.dispose()


def _pg_restore(url: sa.URL, file: Path) -> None:
    """Restore a custom-format dump into the (empty) database, all or nothing.

    --no-owner and --no-privileges: the roles of the source need not exist here; the objects
    belong to the role that restores. --single-transaction with --exit-on-error: a failure
    leaves the target as empty as it was.
    """
    uri, env = libpq_connection(url)
    _run_pg(
        [
            pg_tool("pg_restore"),
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={uri}",
            str(file),
        ],
        env,
        "pg_restore",
    )


# --- SQLite --------------------------------------------------------------------------------------


def _sqlite_path(url: sa.URL) -> Path:
    """Return the database file of a SQLite URL (an in-memory database has none)."""
    if not url.database or url.database == ":memory:":
        raise click.ClickException("backup: an in-memory SQLite database cannot be backed up")
    return Path(url.database)


def _sqlite_tables(path: Path) -> list[str]:
    """List the tables and views of a SQLite database file."""
    conn = sqlite3.connect(path, timeout=30)
    try:
        return [
            row[0]
            for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') "
                "AND name NOT LIKE 'sqlite_%'"
            )
        ]
    except sqlite3.DatabaseError as error:
        raise click.ClickException(f"backup: cannot read {path}: {error}") from error
    finally:
        conn.close()


def _sqlite_copy(source: Path, target: Path) -> None:
    """Copy a SQLite database with the online backup API: a consistent snapshot, writers go on.

    The copy is switched out of WAL mode so that it is one self-contained file.
    """
    if not source.exists():
        raise click.ClickException(f"backup: database file {source} does not exist")
    src = sqlite3.connect(source, timeout=30)
    dst = sqlite3.connect(target)
    try:
        # pages=-1: the whole database in one step, under one read transaction (one snapshot).
        src.backup(dst, pages=-1)
        dst.execute("PRAGMA journal_mode=DELETE")
        if dst.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise click.ClickException("backup: the copy failed its integrity check")
    except sqlite3.DatabaseError as error:
        raise click.ClickException(f"backup: cannot back up {source}: {error}") from error
    finally:
        dst.close()
        src.close()


def _sqlite_restore(file: Path, target: Path) -> None:
    """Copy the backup FILE into the (empty) target database with the online backup API.

    The target is made readable by its owner only (0600) before any row is written, whatever
    the umask: it holds personal data. SQLite gives its journal the same mode.
    """
    src = sqlite3.connect(f"{file.resolve().as_uri()}?mode=ro", uri=True)
    try:
        if src.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise click.ClickException(f"backup: {file} failed its integrity check")
        _owner_only(target)
        dst = sqlite3.connect(target, timeout=30)
        try:
            src.backup(dst, pages=-1)
        finally:
            dst.close()
    except sqlite3.DatabaseError as error:
        raise click.ClickException(
            f"backup: cannot restore {file} (not a SQLite backup?): {error}"
        ) from error
    finally:
        src.close()


def _owner_only(path: Path) -> None:
    """Create `path` empty if it does not exist; either way give it mode 0600 (not the umask's)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            os.fchmod(fd, 0o600)
        finally:
            os.close(fd)
    except OSError as error:
        raise click.ClickException(f"backup: cannot prepare {path}: {error}") from error
