"""Liveness and readiness probes.

`/healthz` answers while the process runs (no I/O: a liveness probe that failed with the
database would have the orchestrator restart healthy processes during a database outage); it
says where rate limits count now. `/readyz` asks the database (503 when it does not answer or
is behind the migrations) and Redis: without Redis the service still serves (rate limits count
per process, the worker's queue waits), so Redis down is "degraded", not unready.
"""

import redis
import sqlalchemy as sa
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Blueprint, current_app, jsonify

from app import ratelimit
from app.extensions import db

blp = Blueprint("health", __name__)

# Seconds to wait for Redis's answer before calling it unreachable.
REDIS_TIMEOUT = 1.0


@blp.get("/healthz")
def healthz():
    """Answer 200 while the process runs, with where its rate limits count now."""
    return jsonify(status="ok", rate_limits=ratelimit.storage_state(current_app))


def migrations_at_head() -> tuple[bool, str | None]:
    """Tell whether the database answers and sits at the migrations' head revision."""
    script = ScriptDirectory.from_config(current_app.extensions["migrate"].migrate.get_config())
    heads = set(script.get_heads())
    with db.engine.connect() as conn:
        conn.execute(sa.text("SELECT 1"))
        current = set(MigrationContext.configure(conn).get_current_heads())
    return current == heads, ",".join(sorted(current)) or None


def redis_state() -> str:
    """Tell whether the configured Redis answers: "ok", "unreachable" or "not_configured"."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        return "not_configured"
    client = redis.Redis.from_url(
        url, socket_timeout=REDIS_TIMEOUT, socket_connect_timeout=REDIS_TIMEOUT
    )
    try:
        client.ping()
    except (redis.RedisError, OSError):
        current_app.logger.warning("readiness check: redis unreachable")
        return "unreachable"
    finally:
        client.close()
    return "ok"


@blp.get("/readyz")
def readyz():
    """Answer 200 when the database answers at the migrations' head (Redis down: degraded)."""
    cache = redis_state()
    try:
        ready, revision = migrations_at_head()
    except Exception:  # noqa: BLE001 - any database failure means "not ready"
        current_app.logger.warning("readiness check: database unavailable")
        body = {"status": "unavailable", "database": "unreachable", "redis": cache}
        return jsonify(body), 503
    if not ready:
        body = {"status": "unavailable", "database": "ok", "migrations": "behind", "redis": cache}
        return jsonify(body), 503
    status = "degraded" if cache == "unreachable" else "ok"
    return jsonify(status=status, database="ok", migrations=revision, redis=cache)
