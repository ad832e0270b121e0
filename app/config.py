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
        # No pre-ping: it is one more round trip on every request (measured on the ballot
        # path). Connections are recycled before servers or proxies drop them, and a
        # disconnect error invalidates the whole pool, so a database restart costs one
        # failed request per worker rather than one extra round trip per request forever.
        # hide_parameters: a database error's text must not carry the statement's values into
        # the logs (a ballot's answers with the caller's token hash, a person's id).
        "SQLALCHEMY_ENGINE_OPTIONS": (
            {"hide_parameters": True}
            if database_url.startswith("sqlite")
            else {"pool_recycle": 600, "hide_parameters": True}
        ),
        "MAX_CONTENT_LENGTH": 6 * 1024 * 1024,
        "JSON_MAX_BYTES": 256 * 1024,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "SESSION_COOKIE_NAME": "pxs_session",
        "REDIS_URL": os.environ.get("REDIS_URL") or None,
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
        "RATELIMIT_STORAGE_URI": os.environ.get("REDIS_URL") or "memory://",
        "RATELIMIT_HEADERS_ENABLED": True,
        # Number of reverse proxies in front of the service (X-Forwarded-For hops to trust).
        "TRUSTED_PROXIES": int(os.environ.get("TRUSTED_PROXIES", "0")),
    }
