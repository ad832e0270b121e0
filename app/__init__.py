"""Phường Xã Số: the platform core and the application factory."""

import logging
import os
from pathlib import Path

from flask import Flask, request, send_from_directory

from app import errors
from app.config import load_config
from app.database import configure_engine
from app.extensions import api, db, limiter, migrate, oauth
from app.registry import load_manifests

CORE_MODULES = ["app.wards", "app.identity", "app.mock_vneid"]
FEATURE_MODULES = [
    "community",
    "community.polls",
    "miniapps.config",
    "miniapps.market",
    "miniapps.kpi",
    "miniapps.web",
]
MIGRATIONS_DIR = str(Path(__file__).resolve().parent.parent / "migrations")


def create_app(test_config: dict | None = None) -> Flask:
    """Create and configure the application."""
    instance_path = (test_config or {}).get("INSTANCE_PATH") or os.environ.get("INSTANCE_PATH")
    app = Flask(
        __name__, instance_path=instance_path, instance_relative_config=True, static_folder=None
    )
    app.config.from_mapping(load_config(app.instance_path))
    if test_config:
        app.config.update(test_config)
    app.json.ensure_ascii = False
    if app.config["TRUSTED_PROXIES"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    logging.basicConfig(level=logging.INFO)

    db.init_app(app)
    with app.app_context():
        configure_engine(db.engine)
    migrate.init_app(app, db, directory=MIGRATIONS_DIR, compare_type=True, render_as_batch=True)
    api.init_app(app)
    oauth.init_app(app)
    limiter.init_app(app)
    # Every limit is declared on its view, whose wrapper checks it; the limiter's global
    # before_request check would only add its cost to every other request (measured: it
    # was a third of the time of the public config read).
    hooks = app.before_request_funcs.get(None, [])
    if limiter._check_request_limit in hooks:
        hooks.remove(limiter._check_request_limit)
    errors.init_app(app)
    _register_request_guards(app)
    _register_transaction(app)

    modules = load_manifests(CORE_MODULES + _installed_features(app))
    app.extensions["pxs_modules"] = modules
    for manifest in modules:
        if manifest.init_app:
            manifest.init_app(app)
        for blueprint in manifest.blueprints:
            _register_blueprint(app, blueprint)
        for group in manifest.cli_groups:
            app.cli.add_command(group)

    from app import health
    from app.demo import demo_cli

    app.register_blueprint(health.blp)
    app.cli.add_command(demo_cli)
    _register_docs_assets(app)
    return app


def _installed_features(app: Flask) -> list[str]:
    """Return the feature packages that exist (the registry knows them by name only)."""
    import importlib

    return [name for name in FEATURE_MODULES if hasattr(importlib.import_module(name), "manifest")]


def _register_blueprint(app: Flask, blueprint) -> None:
    """Register a flask-smorest blueprint with the API (for OpenAPI), a plain one directly."""
    from flask_smorest import Blueprint as ApiBlueprint

    if isinstance(blueprint, ApiBlueprint):
        api.register_blueprint(blueprint)
    else:
        app.register_blueprint(blueprint)


_BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_ACCEPTED_TYPES = frozenset({"application/json", "multipart/form-data"})


def _register_request_guards(app: Flask) -> None:
    """Refuse API bodies of the wrong type or malformed JSON before any view runs."""

    @app.before_request
    def _check_body():
        if request.method not in _BODY_METHODS or not request.path.startswith("/api/"):
            return None
        has_body = bool(request.content_length) or request.headers.get("Transfer-Encoding")
        if not has_body:
            return None
        if request.mimetype not in _ACCEPTED_TYPES:
            return errors.error_response(
                415,
                "unsupported_media_type",
                "Kiểu nội dung không được hỗ trợ; hãy gửi application/json.",
                {"content_type": request.mimetype},
            )
        if request.mimetype == "application/json":
            if request.content_length and request.content_length > app.config["JSON_MAX_BYTES"]:
                return errors.error_response(413, "payload_too_large", "Dữ liệu gửi lên quá lớn.")
            if request.get_json(silent=True) is None:
                return errors.error_response(400, "malformed_json", "Nội dung JSON không đọc được.")
        return None


def _register_transaction(app: Flask) -> None:
    """Commit the request's one transaction when the answer is a success, else roll back."""
    import sqlalchemy as sa

    @app.after_request
    def _commit(response):
        if not db.session.registry.has():
            return response  # the request never used the session
        if response.status_code >= 400:
            db.session.rollback()
            return response
        try:
            db.session.commit()
        except sa.exc.IntegrityError:
            db.session.rollback()
            return errors.error_response(
                409, "conflict", "Xung đột với dữ liệu hiện có; không có gì được ghi."
            )
        return response


def _register_docs_assets(app: Flask) -> None:
    """Serve Swagger UI's files locally so that /api/docs works with no internet."""
    import swagger_ui_bundle

    assets = swagger_ui_bundle.swagger_ui_path

    @app.get("/api/docs-assets/<path:filename>")
    def docs_assets(filename):
        """Serve a Swagger UI asset."""
        return send_from_directory(assets, filename, max_age=86400)
