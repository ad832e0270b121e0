"""Phường Xã Số: the platform core and the application factory."""

import logging
import os
from pathlib import Path

from flask import Flask, request, send_from_directory
from werkzeug.exceptions import NotFound
from werkzeug.routing import IntegerConverter, ValidationError

from app import compression, database, errors, registry, security_headers
from app.application import Application
from app.config import engine_options, load_config
from app.database import MAX_ID, configure_engine
from app.extensions import api, db, limiter, migrate, oauth
from app.http_limits import RequestLimits

MIGRATIONS_DIR = str(Path(__file__).resolve().parent.parent / "migrations")


def create_app(test_config: dict | None = None) -> Flask:
    """Create and configure the application."""
    instance_path = (test_config or {}).get("INSTANCE_PATH") or os.environ.get("INSTANCE_PATH")
    app = Application(
        __name__, instance_path=instance_path, instance_relative_config=True, static_folder=None
    )
    app.config.from_mapping(load_config(app.instance_path))
    if test_config:
        app.config.update(test_config)
    app.config.setdefault(
        "SQLALCHEMY_ENGINE_OPTIONS", engine_options(app.config["SQLALCHEMY_DATABASE_URI"])
    )
    app.json.ensure_ascii = False
    if app.config["TRUSTED_PROXIES"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    # Outermost: a request line or headers too large are refused (JSON) before anything runs.
    app.wsgi_app = RequestLimits(app.wsgi_app, hsts=bool(app.config.get("HSTS_ENABLED")))
    logging.basicConfig(level=logging.INFO)
    # Before any blueprint: its rules bind the converter when they are added.
    app.url_map.converters["int"] = IdConverter

    compression.init_app(app)  # first: its after-request hook then runs last
    security_headers.init_app(app)
    db.init_app(app)
    with app.app_context():
        configure_engine(db.engine)
    migrate.init_app(app, db, directory=MIGRATIONS_DIR, compare_type=True, render_as_batch=True)
    api.init_app(app)
    oauth.init_app(app)
    limiter.init_app(app)
    errors.init_app(app)
    _register_request_guards(app)
    database.init_app(app)

    for manifest in registry.install(app, app.config["INSTALLED_MODULES"]):
        if manifest.init_app:
            manifest.init_app(app)
        for blueprint in manifest.blueprints:
            _register_blueprint(app, blueprint)
        for group in manifest.cli_groups:
            app.cli.add_command(group)

    from app import health, jobs
    from app.backup import backup_cli
    from app.demo import demo_cli

    jobs.init_app(app)  # after the modules: it schedules the jobs they registered
    app.register_blueprint(health.blp)
    app.cli.add_command(demo_cli)
    app.cli.add_command(backup_cli)
    _register_docs_assets(app)
    return app


def _register_blueprint(app: Flask, blueprint) -> None:
    """Register a flask-smorest blueprint with the API (for OpenAPI), a plain one directly."""
    from flask_smorest import Blueprint as ApiBlueprint

    if isinstance(blueprint, ApiBlueprint):
        api.register_blueprint(blueprint)
    else:
        app.register_blueprint(blueprint)


class IdConverter(IntegerConverter):
    """`<int:…>` in a route names a row: 1 to MAX_ID, anything else matches nothing (404).

    Werkzeug's own accepts any number of digits, and an id past the database's integer
    range made the query itself fail (500) instead of finding nothing.
    """

    def __init__(self, map, fixed_digits=0, min=1, max=MAX_ID, signed=False):  # noqa: A002
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)

    def to_python(self, value: str) -> int:
        try:
            return super().to_python(value)
        except ValidationError:
            # Not werkzeug's "no match": after a sibling rule (same path, other method) it
            # turns into 405, as if the path existed. No object has this id: 404.
            raise NotFound() from None


_BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_ACCEPTED_TYPES = frozenset({"application/json", "multipart/form-data"})


def _register_request_guards(app: Flask) -> None:
    """Refuse API bodies of the wrong type or malformed JSON before any view runs."""

    @app.before_request
    def _check_body():
        req = request._get_current_object()  # one proxy lookup: this runs on every request
        path = req.path
        if not path.startswith("/api/"):
            return None
        if "\x00" in path:
            return errors.error_response(404, "not_found", "Không tìm thấy.")
        if _may_hold_nul(req.query_string):
            bad_args = {
                key: [_NUL_MESSAGE]
                for key, values in req.args.lists()
                if "\x00" in key or any("\x00" in value for value in values)
            }
            if bad_args:
                return _unstorable_text_error("query", bad_args)
        if req.method not in _BODY_METHODS:
            return None
        length = req.content_length
        if not length and not req.headers.get("Transfer-Encoding"):
            return None
        mimetype = req.mimetype
        if mimetype not in _ACCEPTED_TYPES:
            return errors.error_response(
                415,
                "unsupported_media_type",
                "Kiểu nội dung không được hỗ trợ; hãy gửi application/json.",
                {"content_type": mimetype},
            )
        if mimetype == "application/json":
            limit = app.config["JSON_MAX_BYTES"]
            if (length and length > limit) or len(req.get_data(cache=True)) > limit:
                return errors.error_response(413, "payload_too_large", "Dữ liệu gửi lên quá lớn.")
            # Parsed once, strictly (StrictJSONProvider), and kept: views get the same body.
            body = req.get_json(silent=True)
            if body is None:
                return errors.error_response(400, "malformed_json", "Nội dung JSON không đọc được.")
            bad_fields = _unstorable_fields(body)
            if bad_fields:
                return _unstorable_text_error("json", bad_fields)
        return None


def _may_hold_nul(query_string: bytes) -> bool:
    """Tell whether a raw query string can decode to text with NUL (`%00`, or a raw NUL byte).

    Most requests have no query string, or one without NUL: they skip parsing it here.
    """
    return b"%00" in query_string or b"\x00" in query_string


_NUL_MESSAGE = "Không được chứa ký tự NUL hoặc ký tự Unicode không hợp lệ."


def _unstorable(text: str) -> bool:
    """Tell whether a string holds NUL or a lone UTF-16 surrogate (valid JSON, not storable text).

    PostgreSQL refuses NUL in text and no database driver can encode a lone surrogate, so such
    text would fail at the database (500) instead of being refused as bad input.
    """
    if "\x00" in text:
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _unstorable_fields(body) -> dict:
    """Return `{field: messages}` (nested like marshmallow's) for a body's unstorable strings."""
    found: dict = {}
    stack = [(body, ())]  # iterative: the body may be nested as deep as the parser allows
    while stack:
        value, path = stack.pop()
        if isinstance(value, dict):
            items = value.items()
        elif isinstance(value, list):
            items = ((str(i), item) for i, item in enumerate(value))
        else:
            continue
        for key, item in items:
            if _unstorable(key):
                # Such a key cannot be echoed back in the error: name the object holding it.
                _mark(found, path or ("_schema",))
            elif isinstance(item, str) and _unstorable(item):
                _mark(found, (*path, key))
            elif isinstance(item, (dict, list)):
                stack.append((item, (*path, key)))
    return found


def _mark(found: dict, path: tuple) -> None:
    node = found
    for part in path[:-1]:
        node = node.setdefault(part, {})
        if not isinstance(node, dict):
            return  # the enclosing field is already marked
    node[path[-1]] = [_NUL_MESSAGE]


def _unstorable_text_error(location: str, fields: dict):
    """Answer like any validation error: `details.errors` by field (no schema yet, so each field
    is named by its path in quotes rather than by a label)."""
    found = []
    stack = [(fields, ())]
    while stack:
        node, path = stack.pop()
        for key, value in node.items():
            if isinstance(value, dict):
                stack.append((value, (*path, str(key))))
            else:
                dotted = ".".join((*path, str(key)))
                found.append(errors.FieldError(dotted, f"«{dotted}»", _NUL_MESSAGE))
    found.sort(key=lambda error: error.field)
    return errors.error_response(
        422,
        "validation_error",
        errors.join_field_errors(found),
        errors.field_error_details(found, location=location, fields=fields),
    )


def _register_docs_assets(app: Flask) -> None:
    """Serve Swagger UI's files locally so that /api/docs works with no internet."""
    import swagger_ui_bundle

    assets = swagger_ui_bundle.swagger_ui_path

    @app.get("/api/docs-assets/<path:filename>")
    def docs_assets(filename):
        """Serve a Swagger UI asset."""
        return send_from_directory(assets, filename, max_age=86400)
