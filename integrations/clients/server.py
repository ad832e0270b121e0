"""The OAuth 2.0 authorization server of API clients, on Authlib (RFC 6749 §4.4, 7662, 7009).

Client credentials only, the client authenticated by HTTP Basic (`client_secret_basic`); a
secret in the form body is refused. Tokens are written by the identity service's one token
writer (`issue_token`): an `api_token` row of the client's service account holding the
granted scope and the client's wards, living one hour.
"""

from __future__ import annotations

from datetime import UTC

from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import TokenMixin, grants
from authlib.oauth2.rfc6749.errors import InvalidScopeError
from authlib.oauth2.rfc7009 import RevocationEndpoint
from authlib.oauth2.rfc7662 import IntrospectionEndpoint
from flask import Flask

from app.database import utcnow
from app.identity.models import ApiToken
from integrations.clients import service
from integrations.clients.models import AUTH_METHOD, ApiClient
from integrations.clients.surface import SCOPES

EXTENSION = "pxs_api_clients_server"


class IssuedToken(TokenMixin):
    """An `api_token` row seen by Authlib's introspection and revocation endpoints."""

    def __init__(self, row: ApiToken, client: ApiClient | None):
        self.row = row
        self.client = client

    def check_client(self, client) -> bool:
        """Tell whether the token was issued to this client (its service account holds it)."""
        return self.client is not None and self.client.id == client.id

    def get_scope(self) -> str:
        """Return the token's scope."""
        return self.row.scope or ""

    def get_expires_in(self) -> int:
        """Return the token's lifetime in seconds."""
        return int((self.row.expires_at - self.row.created_at).total_seconds())

    def is_expired(self) -> bool:
        """Tell whether the token has expired."""
        return self.row.expires_at <= utcnow()

    def is_revoked(self) -> bool:
        """Tell whether the token was revoked (by itself or with its client)."""
        return self.row.revoked_at is not None or (
            self.client is not None and self.client.deleted_at is not None
        )


def _timestamp(value) -> int:
    return int(value.replace(tzinfo=value.tzinfo or UTC).timestamp())


def query_token(token_string: str, token_type_hint: str | None) -> IssuedToken | None:
    """Find an access token by its value (there are no refresh tokens)."""
    row = service.find_token(token_string)
    if row is None:
        return None
    return IssuedToken(row, service.client_of_token(row))


class ClientCredentialsGrant(grants.ClientCredentialsGrant):
    """Client credentials with HTTP Basic only; `scope` may narrow the client's scopes."""

    TOKEN_ENDPOINT_AUTH_METHODS = [AUTH_METHOD]

    def validate_requested_scope(self):
        """Refuse a scope the client does not hold (or that does not exist): invalid_scope."""
        scope = self.request.payload.scope
        if scope is None:
            return
        requested = scope.split()
        if not requested or not set(requested) <= set(self.client.scope_list):
            # The request's own words are not echoed: error_description must be plain ASCII.
            raise InvalidScopeError(
                description="The requested scope is empty, unknown or not granted to this client."
            )


def generate_token(
    grant_type, client, user=None, scope=None, expires_in=None, include_refresh_token=True
) -> dict:
    """Issue the token through the identity service's writer; no refresh token."""
    granted = client.get_allowed_scope(scope)
    # The client's order (the surface's), whatever order the request named them in.
    granted = " ".join(s for s in client.scope_list if s in granted.split())
    raw, seconds = service.issue_token(client, granted)
    return {"access_token": raw, "token_type": "Bearer", "expires_in": seconds, "scope": granted}


def save_token(token, request) -> None:
    """Nothing to do: `generate_token` wrote the token (issue_token makes and stores it)."""


class Introspection(IntrospectionEndpoint):
    """RFC 7662: a client introspects its own tokens; any other token is `active: false`."""

    CLIENT_AUTH_METHODS = [AUTH_METHOD]

    def query_token(self, token_string, token_type_hint):
        """Find the token by its value."""
        return query_token(token_string, token_type_hint)

    def check_permission(self, token, client, request) -> bool:
        """Let a client see only the tokens issued to it."""
        return token.check_client(client)

    def introspect_token(self, token: IssuedToken) -> dict:
        """Describe an active token: scope, client, wards, times."""
        row, client = token.row, token.client
        wards = client.ward_list if client is not None else []
        return {
            "active": True,
            "scope": token.get_scope(),
            "client_id": client.client_id if client else None,
            "token_type": "Bearer",
            "sub": client.client_id if client else None,
            "exp": _timestamp(row.expires_at),
            "iat": _timestamp(row.created_at),
            "wards": wards,
        }


class Revocation(RevocationEndpoint):
    """RFC 7009: a client revokes its own tokens; another's token is left alone (still 200)."""

    CLIENT_AUTH_METHODS = [AUTH_METHOD]

    def query_token(self, token_string, token_type_hint):
        """Find the token by its value."""
        return query_token(token_string, token_type_hint)

    def authenticate_token(self, request, client):
        """Return the token if it was issued to this client; otherwise nothing to revoke.

        RFC 7009 answers 200 for a token the server does not know; a token of another client
        gets the same answer, so that a client learns nothing of others' tokens.
        """
        self.check_params(request, client)
        token = self.query_token(request.form["token"], request.form.get("token_type_hint"))
        return token if token is not None and token.check_client(client) else None

    def revoke_token(self, token: IssuedToken, request) -> None:
        """Revoke the token now."""
        service.revoke_token(token.row)


def make_server(app: Flask) -> AuthorizationServer:
    """Build the authorization server for one app."""
    server = AuthorizationServer(app, query_client=service.find, save_token=save_token)
    server.scopes_supported = list(SCOPES)
    server.register_token_generator(grants.ClientCredentialsGrant.GRANT_TYPE, generate_token)
    server.register_grant(ClientCredentialsGrant)
    server.register_endpoint(Introspection)
    server.register_endpoint(Revocation)
    app.extensions[EXTENSION] = server
    return server
