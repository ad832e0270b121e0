"""The VNeID relying party: an Authlib OIDC client per issuer, and the in-process back channel.

When the issuer is this service's own mock provider, the back-channel calls (discovery, token,
JWKS) are dispatched to the WSGI app in the same process instead of over the network: a
gunicorn worker serving the callback can then never wait on itself. Any other issuer is
reached over real HTTP.
"""

import contextvars
import hashlib
from urllib.parse import urlsplit

import requests
from authlib.integrations.flask_client import FlaskIntegration, FlaskOAuth2App
from authlib.integrations.requests_client import OAuth2Session
from flask import current_app, request
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict
from werkzeug.test import Client

from app.identity.service import MOCK_PATH

SCOPE = "openid profile phone vneid"
CLIENT_PREFIX = "vneid_"
# Sign-ins a browser may have started and not finished (several tabs); each keeps its state,
# nonce and PKCE verifier in the session cookie, which browsers drop beyond 4 KB.
MAX_PENDING_SIGN_INS = 3


class InProcessAdapter(BaseAdapter):
    """A requests transport that hands the request to a WSGI app in this process."""

    def __init__(self, app):
        super().__init__()
        self.app = app

    def send(self, request, **kwargs):
        """Run the request through the app and wrap the answer as a requests.Response."""
        url = urlsplit(request.url)
        client = Client(self.app)
        body = request.body.encode() if isinstance(request.body, str) else request.body
        # Run in an empty context: Flask would otherwise reuse the caller's application
        # context, so the provider would share the relying party's `g` and database session
        # (its commit would commit the caller's work). Like a real HTTP call, it gets its own.
        answer = contextvars.Context().run(
            client.open,
            url.path,
            method=request.method,
            query_string=url.query,
            headers=list(request.headers.items()),
            data=body,
            base_url=f"{url.scheme}://{url.netloc}",
            buffered=True,
        )
        response = requests.Response()
        response.status_code = answer.status_code
        response.headers = CaseInsensitiveDict(answer.headers)
        response._content = answer.get_data()
        response.url = request.url
        response.request = request
        response.encoding = "utf-8"
        answer.close()
        return response

    def close(self):
        """Nothing to release."""


def _client_class(app, issuer: str | None):
    """Return a FlaskOAuth2App class whose sessions reach the mock in process when it is ours."""
    if issuer is None:
        return FlaskOAuth2App

    class InProcessSession(OAuth2Session):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.mount(issuer, InProcessAdapter(app))

    class InProcessApp(FlaskOAuth2App):
        client_cls = InProcessSession

    return InProcessApp


def current_issuer() -> tuple[str, bool]:
    """Return the issuer to sign in with, and whether it is this service's own mock."""
    config = current_app.config
    mock_on = "mock_vneid_server" in current_app.extensions
    own_mock = request.host_url.rstrip("/") + MOCK_PATH
    issuer = config.get("VNEID_ISSUER") or (own_mock if mock_on else None)
    if issuer is None:
        raise RuntimeError("VNEID_ISSUER is not configured")
    issuer = issuer.rstrip("/")
    return issuer, mock_on and issuer == own_mock


def vneid_client() -> FlaskOAuth2App:
    """Return the OIDC client for the current issuer (one per issuer: metadata is cached)."""
    issuer, in_process = current_issuer()
    clients = current_app.extensions.setdefault("vneid_clients", {})
    client = clients.get(issuer)
    if client is None:
        app = current_app._get_current_object()
        cls = _client_class(app, issuer if in_process else None)
        name = CLIENT_PREFIX + hashlib.sha256(issuer.encode()).hexdigest()[:12]
        client = cls(
            FlaskIntegration(name),
            name,
            client_id=current_app.config["VNEID_CLIENT_ID"],
            client_secret=current_app.config["VNEID_CLIENT_SECRET"],
            server_metadata_url=f"{issuer}/.well-known/openid-configuration",
            client_kwargs={
                "scope": SCOPE,
                "code_challenge_method": "S256",
                "token_endpoint_auth_method": "client_secret_basic",
                "timeout": 10,
            },
        )
        clients[issuer] = client
    return client


def prune_pending_sign_ins(session, keep: int = MAX_PENDING_SIGN_INS - 1) -> None:
    """Forget all but the `keep` newest unfinished sign-ins kept in the session."""
    prefix = f"_state_{CLIENT_PREFIX}"
    pending = sorted(
        (key for key in session if key.startswith(prefix)),
        key=lambda key: (session[key] or {}).get("exp") or 0,
    )
    for key in pending[: max(len(pending) - keep, 0)]:
        session.pop(key)
