"""API clients: outside systems with OAuth 2.0 client credentials, scopes and wards.

A city admin registers a client (`/api/v1/clients`); the client takes one-hour tokens at
`/oauth/token` (Authlib's authorization server), introspects and revokes them; a guard before
every view keeps a client's token to the API surface declared in `surface.py`, within its
scopes and wards (`403 insufficient_scope`). Design: docs/decisions/0020-open-interfaces.md.
"""

import logging

from flask import Flask

from app.registry import ModuleManifest
from integrations.clients import models as _models  # noqa: F401 - register the table
from integrations.clients.surface import SCOPE_LABELS


def init_app(app: Flask) -> None:
    """Build the authorization server, install the guard, declare the OpenAPI scheme."""
    from integrations.clients import guard, openapi, server

    # Authlib logs issued tokens at DEBUG: never let its OAuth loggers go below INFO, whatever
    # the root level, so that no token or client secret reaches the logs.
    logging.getLogger("authlib.oauth2").setLevel(max(logging.INFO, logging.root.level))
    server.make_server(app)
    guard.init_app(app)
    openapi.init_app(app)


def _blueprints() -> list:
    from integrations.clients.oauth_views import bp as oauth_bp
    from integrations.clients.views import blp

    return [blp, oauth_bp]


manifest = ModuleManifest(
    name="clients",
    blueprints=_blueprints(),
    vocabularies={"api_scope": SCOPE_LABELS},
    init_app=init_app,
)
