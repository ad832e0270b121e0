"""Liveness and readiness probes."""

import sqlalchemy as sa
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Blueprint, current_app, jsonify

from app.extensions import db

blp = Blueprint("health", __name__)


@blp.get("/healthz")
def healthz():
    """Answer 200 while the process runs."""
    return jsonify(status="ok")


def migrations_at_head() -> tuple[bool, str | None]:
    """Tell whether the database answers and sits at the migrations' head revision."""
    script = ScriptDirectory.from_config(current_app.extensions["migrate"].migrate.get_config())
    heads = set(script.get_heads())
    with db.engine.connect() as conn:
        conn.execute(sa.text("SELECT 1"))
        current = set(MigrationContext.configure(conn).get_current_heads())
    return current == heads, ",".join(sorted(current)) or None


@blp.get("/readyz")
def readyz():
    """Answer 200 only when the database answers and its migrations are at head."""
    try:
        ready, revision = migrations_at_head()
    except Exception:  # noqa: BLE001 - any database failure means "not ready"
        current_app.logger.warning("readiness check: database unavailable")
        body = {"status": "unavailable", "database": "unreachable"}
        return jsonify(body), 503
    if not ready:
        return jsonify(status="unavailable", database="ok", migrations="behind"), 503
    return jsonify(status="ok", database="ok", migrations=revision)
