"""Settings read from the environment, with safe development defaults."""

import hashlib
import hmac
import os
import secrets
from pathlib import Path

# The modules of an installation, loaded in this order (app/registry.py): the core's first.
DEFAULT_INSTALLED_MODULES = (
    "app.wards",
    "app.departments",
    "app.identity",
    "app.idempotency",
    "app.events",
    "app.audit",
    "app.vocabulary",
    "app.mock_vneid",
    "community",
    "community.polls",
    "miniapps.config",
    "miniapps.market",
    "reports",
    "appointments",
    "indicators",
    "integrations.clients",
    "integrations.webhooks",
    "web",
)


class ConfigError(RuntimeError):
    """A required setting is missing or invalid."""


def _instance_secret(instance_path: Path, name: str) -> str:
    """Return a secret kept under instance/, creating it once (safe when workers race)."""
    instance_path.mkdir(parents=True, exist_ok=True)
    path = instance_path / name
    if not path.exists():
        value = secrets.token_urlsafe(48)
        try:
            # O_EXCL: when two workers race, one creates the file and the other reads it.
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as fh:
                fh.write(value)
            return value
    for _ in range(50):
        value = path.read_text().strip()
        if value:
            return value
        import time

        time.sleep(0.01)
    raise ConfigError(f"{path} is empty")


def _derived(secret_key: str, purpose: str) -> str:
    """Derive a purpose-bound secret from the secret key."""
    return hmac.new(secret_key.encode(), purpose.encode(), hashlib.sha256).hexdigest()


def engine_options(database_url: str) -> dict:
    """Return the engine's options for a database URL (create_app: after any test config)."""
    # hide_parameters: a database error's text must not carry the statement's values into the
    # logs (a ballot's answers with the caller's token hash, a person's id).
    if database_url.startswith("sqlite"):
        return {"hide_parameters": True}
    # Pre-ping: a pooled connection the server dropped (a restart, a proxy's idle cut) is
    # replaced at checkout instead of failing the request that drew it.
    return {"pool_recycle": 600, "pool_pre_ping": True, "hide_parameters": True}


def load_config(instance_path: str) -> dict:
    """Build the Flask config mapping from the environment."""
    env = os.environ.get("APP_ENV", "development")
    if env not in {"development", "test", "production"}:
        raise ConfigError("APP_ENV must be development, test or production")
    instance = Path(instance_path)
    production = env == "production"

    secret_key = os.environ.get("SECRET_KEY")
    if not secret_key:
        if production:
            raise ConfigError("SECRET_KEY is required when APP_ENV=production")
        secret_key = _instance_secret(instance, "secret_key")

    database_url = os.environ.get("DATABASE_URL")
    if not database_url:
        instance.mkdir(parents=True, exist_ok=True)
        database_url = f"sqlite:///{instance / 'phuongxaso.sqlite3'}"

    # The key of the personal-ID hash (HMAC-SHA256), apart from SECRET_KEY: whoever holds the
    # session key must not be able to test guesses of a personal ID against its hash. Rotation:
    # README "Keys"; the previous key keeps matching until each person signs in again.
    personal_id_key = os.environ.get("PERSONAL_ID_KEY")
    if not personal_id_key:
        if production:
            raise ConfigError("PERSONAL_ID_KEY is required when APP_ENV=production")
        personal_id_key = _instance_secret(instance, "personal_id_key")

    redis_url = os.environ.get("REDIS_URL") or None
    # Rate limits must count in one place for all gunicorn processes: Redis in production,
    # unless the service runs exactly one process (WEB_CONCURRENCY=1, gunicorn.conf.py).
    if production and not redis_url and os.environ.get("WEB_CONCURRENCY", "") != "1":
        raise ConfigError(
            "REDIS_URL is required when APP_ENV=production with more than one worker "
            "(WEB_CONCURRENCY): rate limits counted in memory would be per process"
        )

    issuer = os.environ.get("VNEID_ISSUER") or None
    client_id = os.environ.get("VNEID_CLIENT_ID") or None
    client_secret = os.environ.get("VNEID_CLIENT_SECRET") or None
    if production and not (issuer and client_id and client_secret):
        raise ConfigError(
            "VNEID_ISSUER, VNEID_CLIENT_ID and VNEID_CLIENT_SECRET are required in production"
        )

    return {
        "APP_ENV": env,
        "INSTALLED_MODULES": list(DEFAULT_INSTALLED_MODULES),
        "SECRET_KEY": secret_key,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "MAX_CONTENT_LENGTH": 6 * 1024 * 1024,
        "JSON_MAX_BYTES": 256 * 1024,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "SESSION_COOKIE_NAME": "pxs_session",
        # Browser sessions are rows (app/identity): signing out, erasure or an administrator's
        # revocation ends them. Absolute lifetime from sign-in, and idle time between requests.
        "PERMANENT_SESSION_LIFETIME": int(os.environ.get("SESSION_MAX_AGE", 7 * 24 * 3600)),
        "SESSION_IDLE_TIMEOUT": int(os.environ.get("SESSION_IDLE_TIMEOUT", 12 * 3600)),
        "PERSONAL_ID_KEY": personal_id_key,
        # During a rotation: the key before PERSONAL_ID_KEY (README "Keys").
        "PERSONAL_ID_KEY_PREVIOUS": os.environ.get("PERSONAL_ID_KEY_PREVIOUS") or None,
        # HSTS on every answer in production (served over https only).
        "HSTS_ENABLED": production,
        "REDIS_URL": redis_url,
        "VNEID_ISSUER": issuer,
        "VNEID_CLIENT_ID": client_id or "phuong-xa-so",
        # Development: the in-process mock and the relying party derive the same secret.
        "VNEID_CLIENT_SECRET": client_secret or _derived(secret_key, "mock-vneid-client"),
        "MOCK_VNEID_ENABLED": not production,
        "API_TITLE": "Phường Xã Số API",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/api",
        "OPENAPI_JSON_PATH": "openapi.json",
        "OPENAPI_SWAGGER_UI_PATH": "docs",
        "OPENAPI_SWAGGER_UI_URL": "/api/docs-assets/",
        "API_SPEC_OPTIONS": {
            "info": {
                "description": "API của các miniapp phường, xã Hà Nội trên iHanoi. "
                'Errors: {"error": {"code", "message", "details"}}.'
            },
            "components": {
                "securitySchemes": {
                    "bearer": {"type": "http", "scheme": "bearer"},
                    "session": {"type": "apiKey", "in": "cookie", "name": "pxs_session"},
                }
            },
        },
        # Limits are declared on views (app/ratelimit.py); Redis shares the counts between
        # workers, and while it is down each process counts on its own.
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        "RATELIMIT_HEADERS_ENABLED": True,
        # Number of reverse proxies in front of the service (X-Forwarded-For hops to trust).
        "TRUSTED_PROXIES": int(os.environ.get("TRUSTED_PROXIES", "0")),
    }
