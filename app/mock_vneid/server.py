"""The mock VNeID authorization server, built on Authlib (code flow, PKCE S256, OIDC)."""

import hmac
import secrets
import time
from datetime import timedelta

import sqlalchemy as sa
from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import ClientMixin, grants
from authlib.oauth2.rfc6749.errors import InvalidRequestError
from authlib.oauth2.rfc6750 import BearerTokenGenerator
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import UserInfo
from authlib.oidc.core.grants import OpenIDCode
from flask import Flask, current_app, request, url_for
from joserfc import jwt

from app.database import utcnow
from app.extensions import db
from app.mock_vneid import citizens
from app.mock_vneid.keys import load_signing_key
from app.mock_vneid.models import MockAuthorizationCode

ID_TOKEN_LIFETIME = 600
ACCESS_TOKEN_LIFETIME = 600
CODE_LIFETIME = timedelta(minutes=2)
SCOPES = {"openid", "profile", "phone", "vneid"}


def issuer() -> str:
    """Return the mock's issuer: VNEID_ISSUER if set, else the address the request came in on."""
    configured = current_app.config.get("VNEID_ISSUER")
    return (configured or request.host_url + "mock-vneid").rstrip("/")


def signing_key():
    """Return this instance's signing key (shared by every worker through instance/)."""
    return load_signing_key(current_app.instance_path)


class MockClient(ClientMixin):
    """The one registered client: this service as relying party (confidential, secret basic)."""

    def __init__(self, client_id: str, client_secret: str):
        self.client_id = client_id
        self.client_secret = client_secret

    def get_client_id(self):
        """Return the client id."""
        return self.client_id

    def get_default_redirect_uri(self):
        """Return the service's callback on the host the request came in on."""
        return url_for("identity.callback", _external=True)

    def get_allowed_scope(self, scope):
        """Keep only the scopes the mock knows."""
        return " ".join(s for s in (scope or "").split() if s in SCOPES)

    def check_redirect_uri(self, redirect_uri):
        """Accept only the exact registered callback URI."""
        return redirect_uri == self.get_default_redirect_uri()

    def check_client_secret(self, client_secret):
        """Compare the secret in constant time."""
        return hmac.compare_digest(client_secret or "", self.client_secret)

    def check_endpoint_auth_method(self, method, endpoint):
        """Allow client_secret_basic and client_secret_post at the token endpoint."""
        return endpoint != "token" or method in ("client_secret_basic", "client_secret_post")

    def check_response_type(self, response_type):
        """Allow the code flow only."""
        return response_type == "code"

    def check_grant_type(self, grant_type):
        """Allow the authorization code grant only."""
        return grant_type == "authorization_code"


def registered_client() -> MockClient:
    """Return the client registered from the service's own configuration."""
    config = current_app.config
    return MockClient(config["VNEID_CLIENT_ID"], config["VNEID_CLIENT_SECRET"])


def query_client(client_id):
    """Find a client by id (Authlib callback)."""
    client = registered_client()
    return client if client_id == client.client_id else None


def save_token(token, request):
    """Keep nothing: access tokens are signed JWTs that /userinfo verifies."""


class S256CodeChallenge(CodeChallenge):
    """PKCE required for every client, confidential ones too, and only with S256."""

    SUPPORTED_CODE_CHALLENGE_METHOD = ["S256"]

    def validate_code_challenge(self, grant, redirect_uri):
        """Refuse a request without a challenge or with a method other than S256."""
        data = grant.request.payload.data
        if not data.get("code_challenge"):
            raise InvalidRequestError("PKCE is required: missing 'code_challenge'")
        if data.get("code_challenge_method") != "S256":
            raise InvalidRequestError("Only the S256 'code_challenge_method' is accepted")
        super().validate_code_challenge(grant, redirect_uri)


class AuthorizationCodeGrant(grants.AuthorizationCodeGrant):
    """Codes are one-time, short-lived and kept in the database (shared by all workers)."""

    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]

    def save_authorization_code(self, code, request):
        """Store a new code with its nonce and PKCE challenge; forget the expired ones.

        An expired code is refused whether or not it was used, so its row serves nothing:
        without this the table would keep every sign-in's code (and its citizen) for good.
        """
        db.session.execute(
            sa.delete(MockAuthorizationCode).where(MockAuthorizationCode.expires_at < utcnow())
        )
        data = request.payload.data
        db.session.add(
            MockAuthorizationCode(
                code=code,
                client_id=request.client.get_client_id(),
                redirect_uri=request.payload.redirect_uri,
                scope=request.payload.scope or "",
                nonce=data.get("nonce"),
                code_challenge=data.get("code_challenge"),
                code_challenge_method=data.get("code_challenge_method"),
                citizen_sub=request.user.sub,
                auth_time=int(time.time()),
                expires_at=utcnow() + CODE_LIFETIME,
            )
        )
        db.session.flush()

    def query_authorization_code(self, code, client):
        """Find an unused, unexpired code issued to this client."""
        item = db.session.scalar(
            sa.select(MockAuthorizationCode).where(
                MockAuthorizationCode.code == code,
                MockAuthorizationCode.client_id == client.get_client_id(),
                MockAuthorizationCode.used_at.is_(None),
            )
        )
        if item is None or item.expires_at < utcnow():
            return None
        return item

    def delete_authorization_code(self, authorization_code):
        """Mark the code used; a replay then finds nothing (and the update is atomic)."""
        result = db.session.execute(
            sa.update(MockAuthorizationCode)
            .where(
                MockAuthorizationCode.id == authorization_code.id,
                MockAuthorizationCode.used_at.is_(None),
            )
            .values(used_at=utcnow())
        )
        if result.rowcount != 1:
            # Two token requests raced with the same code: only one may win.
            from authlib.oauth2.rfc6749.errors import InvalidGrantError

            raise InvalidGrantError("Authorization code already used")

    def authenticate_user(self, authorization_code):
        """Return the citizen the code was issued for."""
        return citizens.find(authorization_code.citizen_sub)


class MockOpenIDCode(OpenIDCode):
    """ID tokens signed RS256 with the instance key; nonce required and echoed."""

    def resolve_client_private_key(self, client):
        """Return the signing key."""
        return signing_key()

    def get_client_algorithm(self, client):
        """Sign with RS256."""
        return "RS256"

    def get_encode_header(self, client):
        """Name the key so that the relying party finds it in the JWKS."""
        return {"alg": "RS256", "kid": signing_key().kid}

    def get_client_claims(self, client):
        """Issue ID tokens for this issuer and client, valid ten minutes."""
        return {
            "iss": issuer(),
            "aud": [client.get_client_id()],
            "exp": int(time.time()) + ID_TOKEN_LIFETIME,
        }

    def exists_nonce(self, nonce, request):
        """Tell whether a nonce was already used with an unused code (replay guard)."""
        return (
            db.session.scalar(
                sa.select(MockAuthorizationCode.id).where(MockAuthorizationCode.nonce == nonce)
            )
            is not None
        )

    def generate_user_info(self, user, scope):
        """Return the citizen's claims."""
        return user_claims(user)


def user_claims(citizen: citizens.Citizen) -> UserInfo:
    """Return the claims the mock releases about a citizen."""
    return UserInfo(
        sub=citizen.sub,
        name=citizen.name,
        birthdate=citizen.birthdate,
        gender=citizen.gender,
        phone_number=citizen.phone_number,
        personal_id=citizen.personal_id,
        vneid_level=citizen.vneid_level,
        acr=f"urn:vneid:loa:{citizen.vneid_level}",
    )


def _access_token(client, grant_type, user, scope):
    """Make a signed, short-lived access token that /userinfo can verify statelessly."""
    now = int(time.time())
    claims = {
        "iss": issuer(),
        "sub": user.sub,
        "aud": client.get_client_id(),
        "scope": scope,
        "iat": now,
        "exp": now + ACCESS_TOKEN_LIFETIME,
        "jti": secrets.token_urlsafe(12),
        "token_use": "access",
    }
    key = signing_key()
    return jwt.encode({"alg": "RS256", "kid": key.kid}, claims, key)


def make_server(app: Flask) -> AuthorizationServer:
    """Build the authorization server for one app."""
    server = AuthorizationServer(app, query_client=query_client, save_token=save_token)
    server.register_token_generator(
        "default",
        BearerTokenGenerator(
            access_token_generator=_access_token,
            expires_generator=lambda client, grant_type: ACCESS_TOKEN_LIFETIME,
        ),
    )
    server.register_grant(
        AuthorizationCodeGrant,
        [S256CodeChallenge(required=True), MockOpenIDCode(require_nonce=True)],
    )
    return server
