"""The OAuth 2.0 endpoints under /oauth/: token, introspection, revocation (form-encoded).

Outside /api/: their bodies are `application/x-www-form-urlencoded` as the RFCs say, the
client authenticates with HTTP Basic (no session, no CSRF token), and errors are RFC 6749's
`{"error", "error_description"}`.
"""

from flask import Blueprint, current_app

from app.extensions import limiter
from integrations.clients.server import EXTENSION

# Per address: a guessed client secret costs a request each, and honest clients need few (a
# token lives an hour).
OAUTH_LIMIT = "30/minute"

bp = Blueprint("oauth", __name__, url_prefix="/oauth")


def _server():
    return current_app.extensions[EXTENSION]


@bp.post("/token")
@limiter.limit(OAUTH_LIMIT)
def token():
    """Issue an access token to a client (grant_type=client_credentials, optional scope)."""
    return _server().create_token_response()


@bp.post("/introspect")
@limiter.limit(OAUTH_LIMIT)
def introspect():
    """Describe one of the calling client's tokens (RFC 7662); others are inactive."""
    return _server().create_endpoint_response("introspection")


@bp.post("/revoke")
@limiter.limit(OAUTH_LIMIT)
def revoke():
    """Revoke one of the calling client's tokens (RFC 7009)."""
    return _server().create_endpoint_response("revocation")
