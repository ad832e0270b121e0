"""Database faults answer 503 with Retry-After, lose nothing, and log no statement values."""

import contextlib
import logging
import os
import socket

import pytest
import sqlalchemy as sa
from flask import Blueprint, jsonify

from app.extensions import db
from tests.conftest import _empty_tables, csrf_headers, make_app

SECRET_VALUE = "zz-gia-tri-bi-mat-4242"


def assert_unavailable(response):
    """Check the 503 contract: JSON error body, Vietnamese message, Retry-After."""
    assert response.status_code == 503, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    error = response.get_json()["error"]
    assert error["code"] == "service_unavailable"
    assert "thử lại" in error["message"]
    assert int(response.headers["Retry-After"]) > 0
    # The headers every answer carries are on this one too.
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def _closed_port() -> int:
    """Return a loopback port nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _unreachable_app(url: str, instance):
    """Return an app whose database cannot be reached (nothing is created at start)."""
    return make_app(url, str(instance), TESTING=False)


@pytest.mark.parametrize("path", ["/api/v1/wards?limit=1", "/api/v1/wards/hoan-kiem"])
def test_unreachable_postgresql_answers_503(tmp_path, path):
    """Nothing listens at the database's address: the ORM read and the raw read both answer 503."""
    url = f"postgresql+psycopg://pxs@127.0.0.1:{_closed_port()}/pxs?connect_timeout=2"
    app = _unreachable_app(url, tmp_path)
    assert_unavailable(app.test_client().get(path))


@pytest.mark.parametrize("path", ["/api/v1/wards?limit=1", "/api/v1/wards/hoan-kiem"])
def test_unopenable_sqlite_answers_503(tmp_path, path):
    """A SQLite file that cannot be opened (its folder is gone) answers 503, not 500."""
    app = _unreachable_app(f"sqlite:///{tmp_path / 'gone' / 'pxs.sqlite3'}", tmp_path)
    assert_unavailable(app.test_client().get(path))


class _DriverError(Exception):
    """A driver's exception, like psycopg's, whose text quotes a statement's value."""


def _sqlite_error(text: str):
    import sqlite3

    return sa.exc.OperationalError("SELECT 1", {}, sqlite3.OperationalError(text))


@pytest.mark.parametrize(
    "error, status",
    [
        # SQLite's lock held by another writer past the busy timeout
        (_sqlite_error("database is locked"), 503),
        # no pooled connection came free in time
        (sa.exc.TimeoutError("QueuePool limit of size 5 overflow 10 reached"), 503),
        # the driver's connection object is closed
        (sa.exc.InterfaceError("SELECT 1", {}, _DriverError("connection already closed")), 503),
        # psycopg: "server closed the connection unexpectedly", seen as a disconnect
        (
            sa.exc.DBAPIError("SELECT 1", {}, _DriverError("closed"), connection_invalidated=True),
            503,
        ),
        # a statement SQLite cannot run is a bug, not a fault
        (_sqlite_error("no such column: nope"), 500),
        (sa.exc.DataError("SELECT 1", {}, _DriverError(f'invalid input: "{SECRET_VALUE}"')), 500),
    ],
)
def test_which_database_errors_are_faults(app, client, monkeypatch, caplog, error, status):
    """Faults of the database answer 503 with Retry-After; other errors stay 500. Neither log
    line carries the driver's text."""

    def fail(*args, **kwargs):
        raise error

    for name in ("execute", "scalars", "scalar"):
        monkeypatch.setattr(db.session, name, fail)
    response = client.get("/api/v1/wards?limit=1")
    if status == 503:
        assert_unavailable(response)
    else:
        assert response.status_code == 500
        assert response.get_json()["error"]["code"] == "internal_error"
        assert "Retry-After" not in response.headers
    assert "GET /api/v1/wards" in caplog.text
    assert SECRET_VALUE not in caplog.text


def _pg_error(name: str):
    """Return SQLAlchemy's OperationalError around a psycopg error of that class (its sqlstate
    is the class's), its text quoting a value as PostgreSQL's DETAIL does."""
    import psycopg

    orig = getattr(psycopg.errors, name)(f"failed\nDETAIL: Key (code)=({SECRET_VALUE})")
    return sa.exc.OperationalError("SELECT 1", {}, orig)


@pytest.mark.parametrize(
    "name, status",
    [
        ("OperationalError", 503),  # no SQLSTATE: the server never answered
        ("ConnectionFailure", 503),  # 08006
        ("ConnectionException", 503),  # 08000
        ("DiskFull", 503),  # 53100
        ("OutOfMemory", 503),  # 53200
        ("TooManyConnections", 503),  # 53300
        ("AdminShutdown", 503),  # 57P01
        ("CannotConnectNow", 503),  # 57P03: starting up, in recovery
        ("QueryCanceled", 503),  # 57014: statement_timeout
        ("SerializationFailure", 503),  # 40001
        ("DeadlockDetected", 503),  # 40P01
        ("LockNotAvailable", 503),  # 55P03: lock_timeout, NOWAIT
        ("ProgramLimitExceeded", 500),  # 54000: would recur
        ("StatementTooComplex", 500),  # 54001
        ("TooManyColumns", 500),  # 54011
        ("ObjectInUse", 500),  # 55006
        ("SystemError", 500),  # 58000
    ],
)
def test_postgresql_errors_are_faults_by_their_sqlstate(
    app, client, monkeypatch, caplog, name, status
):
    """A PostgreSQL OperationalError is a fault (503) only for the SQLSTATEs worth a retry."""
    error = _pg_error(name)

    def fail(*args, **kwargs):
        raise error

    for method in ("execute", "scalars", "scalar"):
        monkeypatch.setattr(db.session, method, fail)
    response = client.get("/api/v1/wards?limit=1")
    if status == 503:
        assert_unavailable(response)
    else:
        assert response.status_code == 500
        assert response.get_json()["error"]["code"] == "internal_error"
        assert "Retry-After" not in response.headers
    assert f".{name}) on GET /api/v1/wards" in caplog.text
    assert SECRET_VALUE not in caplog.text


def test_a_commit_that_fails_otherwise_is_a_500_logged_without_values(app, client, caplog):
    """An error at COMMIT that is not a fault: JSON 500, and the driver's text stays out."""
    real_commit = db.session.commit

    def failing_commit():
        db.session.rollback()
        raise sa.exc.DataError("COMMIT", {}, _DriverError(f'value too long: "{SECRET_VALUE}"'))

    db.session.commit = failing_commit
    try:
        response = client.post("/api/v1/auth/tokens")  # anonymous: 401 before any commit
        assert response.status_code == 401
        response = client.get("/api/v1/wards?limit=1")  # a read commits its (empty) transaction
    finally:
        db.session.commit = real_commit
    assert response.status_code == 500
    assert response.get_json()["error"]["code"] == "internal_error"
    assert "database error (" in caplog.text
    assert SECRET_VALUE not in caplog.text


def test_a_failed_commit_answers_503_and_writes_nothing(app, client, sign_in, citizens, caplog):
    """The connection breaks at COMMIT: 503, nothing written, the next request works."""
    sign_in(citizens[0].sub)
    headers = csrf_headers(client)
    with app.app_context():
        before = db.session.scalar(sa.text("SELECT count(*) FROM api_token"))
    real_commit = db.session.commit

    def broken_commit():
        db.session.rollback()
        raise sa.exc.OperationalError(
            "COMMIT", {}, ConnectionError("server closed the connection unexpectedly")
        )

    db.session.commit = broken_commit
    try:
        response = client.post("/api/v1/auth/tokens", headers=headers)
    finally:
        db.session.commit = real_commit
    assert_unavailable(response)
    assert "database unavailable (builtins.ConnectionError) on POST /api/v1/auth/tokens" in (
        caplog.text
    )
    with app.app_context():
        assert db.session.scalar(sa.text("SELECT count(*) FROM api_token")) == before
    assert client.post("/api/v1/auth/tokens", headers=headers).status_code == 201


@pytest.fixture
def faulty_app(database_url):
    """An app with a route whose statement fails with a distinctive parameter value."""
    app = make_app(database_url, os.environ["PXS_TEST_INSTANCE"], TESTING=False)
    blp = Blueprint("faulty", __name__)

    @blp.get("/api/v1/faulty")
    def faulty():
        # PostgreSQL quotes the value in its own message (invalid input syntax for type
        # integer: "…"); on SQLite the table is missing. Either way: a 500, not a fault.
        sql = "SELECT CAST(:v AS integer) FROM ward WHERE code = :v AND no_such_column = 1"
        db.session.execute(sa.text(sql), {"v": SECRET_VALUE})
        return jsonify(ok=True)

    app.register_blueprint(blp)
    yield app
    _empty_tables(app)


def test_a_database_error_is_logged_without_its_values(faulty_app, caplog):
    """The log names the error's class and the request; the statement's values stay out."""
    caplog.set_level(logging.INFO)
    response = faulty_app.test_client().get("/api/v1/faulty")
    assert response.status_code == 500
    assert response.get_json()["error"]["code"] == "internal_error"
    assert "database error (" in caplog.text and "GET /api/v1/faulty" in caplog.text
    assert SECRET_VALUE not in caplog.text
    assert SECRET_VALUE not in response.get_data(as_text=True)


# A column whose name is distinctive too: SQLite names the column of a unique violation,
# PostgreSQL quotes the value ("DETAIL: Key (…)=(…)").
SECRET_COLUMN = "zz_cot_bi_mat_4242"


class _ProbeBase(sa.orm.DeclarativeBase):
    """A table of the test's own, outside the app's metadata."""


class _Probe(_ProbeBase):
    __tablename__ = "zz_error_probe"
    id: sa.orm.Mapped[int] = sa.orm.mapped_column(primary_key=True)
    value: sa.orm.Mapped[str] = sa.orm.mapped_column(SECRET_COLUMN, sa.String(80), unique=True)


@pytest.fixture
def violating_app(database_url):
    """An app with routes that break a unique constraint with a distinctive value:
    `/violation` lets the IntegrityError out, `/pending` goes on after a failed flush
    (PendingRollbackError, which quotes the original error), `/chained` raises another error
    while handling it."""
    app = make_app(database_url, os.environ["PXS_TEST_INSTANCE"], TESTING=False)
    with app.app_context():
        _ProbeBase.metadata.create_all(db.engine)
    blp = Blueprint("violating", __name__)

    def violate():
        db.session.add(_Probe(value=SECRET_VALUE))
        db.session.flush()
        db.session.add(_Probe(value=SECRET_VALUE))
        db.session.flush()

    @blp.get("/api/v1/violation")
    def violation():
        violate()
        return jsonify(ok=True)

    @blp.get("/api/v1/pending")
    def pending():
        with contextlib.suppress(sa.exc.IntegrityError):
            violate()  # the bug: no rollback after it
        db.session.execute(sa.text("SELECT 1"))
        return jsonify(ok=True)

    @blp.get("/api/v1/chained")
    def chained():
        try:
            violate()
        except sa.exc.IntegrityError:
            # The implicit chain ("During handling of the above exception…") is the point.
            raise ValueError("could not save the probe")  # noqa: B904
        return jsonify(ok=True)

    app.register_blueprint(blp)
    yield app
    with app.app_context():
        db.session.remove()
        _ProbeBase.metadata.drop_all(db.engine)
    _empty_tables(app)


@pytest.mark.parametrize(
    "path, logged",
    [
        ("/api/v1/violation", "database error ("),
        ("/api/v1/pending", "database error (sqlalchemy.exc.PendingRollbackError)"),
        ("/api/v1/chained", "unhandled error (builtins.ValueError)"),
    ],
)
def test_a_unique_violation_is_logged_by_class_and_frames_only(violating_app, caplog, path, logged):
    """However the error surfaces, the log has its class, the request and the stack's frames,
    never the driver's or SQLAlchemy's text (neither the value nor the column)."""
    response = violating_app.test_client().get(path)
    assert response.status_code == 500
    assert response.get_json()["error"]["code"] == "internal_error"
    assert f"{logged}" in caplog.text and f"GET {path}" in caplog.text
    assert f"in {path.rsplit('/', 1)[1]}" in caplog.text  # the frames are there
    for secret in (SECRET_VALUE, SECRET_COLUMN, "Original exception", "DETAIL"):
        assert secret not in caplog.text


def test_an_unreachable_database_is_logged_without_its_values(tmp_path, caplog):
    """A fault's log line holds the class, method and path, and no value of the statement."""
    caplog.set_level(logging.INFO)
    url = f"postgresql+psycopg://pxs@127.0.0.1:{_closed_port()}/pxs?connect_timeout=2"
    # The search text is a parameter of the statement that could not be sent.
    response = _unreachable_app(url, tmp_path).test_client().get(f"/api/v1/wards?q={SECRET_VALUE}")
    assert_unavailable(response)
    assert "database unavailable (psycopg.OperationalError) on GET /api/v1/wards" in caplog.text
    records = [r.getMessage() for r in caplog.records if r.name.startswith(("app", "sqlalchemy"))]
    assert not any(SECRET_VALUE in message for message in records)


# PostgreSQL: the server drops every pooled connection (a restart, an administrator, a proxy's
# idle cut). The next request must not fail: the pool pings a connection before handing it out.


@pytest.fixture
def pg_app(database_url, is_postgres):
    """Return a factory of apps configured as production would be for this PostgreSQL URL."""
    if not is_postgres:
        pytest.skip("PostgreSQL only: run under scripts/with-postgres.sh")
    # The engine options follow the app's database URL (app/config.py: engine_options).
    made = []

    def build(**extra):
        app = make_app(database_url, os.environ["PXS_TEST_INSTANCE"], TESTING=False, **extra)
        made.append(app)
        return app

    yield build
    for app in made:
        with app.app_context():
            db.engine.dispose()


def _terminate_pool(app) -> int:
    """Terminate, from another connection, every other backend of the app's database."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    admin = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with admin.connect() as conn:
        killed = conn.execute(
            sa.text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        ).scalar_one()
    admin.dispose()
    return killed


@pytest.mark.parametrize("path", ["/api/v1/wards?limit=1", "/api/v1/wards/hoan-kiem"])
def test_connections_the_server_dropped_do_not_fail_a_request(pg_app, path):
    """With pre-ping (the configuration), a dropped pooled connection is replaced: 200."""
    app = pg_app()
    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"]["pool_pre_ping"] is True
    client = app.test_client()
    assert client.get(path).status_code == 200  # the pool now holds a connection
    assert _terminate_pool(app) >= 1
    assert client.get(path).status_code == 200


def test_without_pre_ping_a_dropped_connection_fails_once_as_503(pg_app):
    """The scenario is real: without pre-ping the first request after it fails (503, not 500),
    and the pool, having seen the disconnect, serves the next one."""
    app = pg_app(SQLALCHEMY_ENGINE_OPTIONS={"hide_parameters": True})
    client = app.test_client()
    assert client.get("/api/v1/wards?limit=1").status_code == 200
    assert _terminate_pool(app) >= 1
    assert_unavailable(client.get("/api/v1/wards?limit=1"))
    assert client.get("/api/v1/wards?limit=1").status_code == 200


# Redis: the rate limits' shared counts and the worker's queue. Nothing a request does may fail
# with it (no request enqueues a job: the worker only runs periodic ones).


@pytest.fixture
def redis_down(database_url):
    """An app whose Redis (rate limits and job queue) refuses connections."""
    url = f"redis://127.0.0.1:{_closed_port()}/0"
    app = make_app(
        database_url,
        os.environ["PXS_TEST_INSTANCE"],
        TESTING=False,
        RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE_URI=url,
        REDIS_URL=url,
    )
    yield app
    _empty_tables(app)


def test_redis_down_never_fails_a_request(redis_down, caplog):
    """Limited views answer (counted per process meanwhile); health says so."""
    client = redis_down.test_client()
    assert client.get("/healthz").get_json()["rate_limits"] == "shared"
    assert client.get("/auth/login").status_code == 302
    assert "rate-limit storage unreachable" in caplog.text
    assert client.get("/healthz").get_json()["rate_limits"] == "per_process"
    ready = client.get("/readyz")
    assert ready.status_code == 200  # the service serves without Redis
    assert ready.get_json() | {"migrations": None} == {
        "status": "degraded",
        "database": "ok",
        "migrations": None,
        "redis": "unreachable",
    }


def test_readiness_reports_an_unreachable_database(tmp_path):
    """/readyz: 503 naming the database; /healthz (liveness) still answers 200."""
    url = f"postgresql+psycopg://pxs@127.0.0.1:{_closed_port()}/pxs?connect_timeout=2"
    client = _unreachable_app(url, tmp_path).test_client()
    ready = client.get("/readyz")
    assert ready.status_code == 503
    assert ready.get_json() == {
        "status": "unavailable",
        "database": "unreachable",
        "redis": "not_configured",
    }
    assert client.get("/healthz").status_code == 200


@pytest.mark.parametrize(
    "sql, status, logged",
    [
        # 57014 query_canceled: the statement ran past statement_timeout; may pass next time
        (
            "SET LOCAL statement_timeout = 50; SELECT pg_sleep(1)",
            503,
            "database unavailable (psycopg.errors.QueryCanceled)",
        ),
        # 54000 program_limit_exceeded: the same request would fail again
        (
            "SELECT array_fill(1, ARRAY[100000, 100000, 100000])",
            500,
            "database error (psycopg.errors.ProgramLimitExceeded)",
        ),
    ],
)
def test_real_postgresql_errors_by_sqlstate(pg_app, caplog, sql, status, logged):
    """On a real server: a cancelled statement is a fault, a program limit a 500."""
    app = pg_app()
    blp = Blueprint("sqlstates", __name__)

    @blp.get("/api/v1/sqlstate")
    def sqlstate():
        for statement in sql.split("; "):
            db.session.execute(sa.text(statement))
        return jsonify(ok=True)

    app.register_blueprint(blp)
    response = app.test_client().get("/api/v1/sqlstate")
    if status == 503:
        assert_unavailable(response)
    else:
        assert response.status_code == 500
        assert "Retry-After" not in response.headers
    assert f"{logged} on GET /api/v1/sqlstate" in caplog.text
