"""The VNeID relying party: an Authlib client per issuer, and the mock's in-process back channel.

Clients are registered with the app's Authlib registry (`oauth.register(name, …,
server_metadata_url=…)`), one per issuer, because a client caches its provider's metadata and
the development issuer follows the host a request came in on.

When the issuer is this service's own mock provider, the back-channel calls (discovery, token,
JWKS) are dispatched to the WSGI app in the same process instead of over the network: a
gunicorn worker serving the callback can then never wait on itself (docs/decisions/0001). Any
other issuer is reached over real HTTP.
"""

import contextvars
import hashlib
import io
import threading
from urllib.parse import urlsplit

import requests
from authlib.integrations.flask_client import FlaskOAuth2App
from authlib.integrations.requests_client import OAuth2Session
from flask import Response, current_app, redirect, request, session
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict
from werkzeug.test import Client

from app.extensions import oauth
from app.identity.service import MOCK_PATH

SCOPE = "openid profile phone vneid"
CLIENT_PREFIX = "vneid_"
# Sign-ins a browser may have started and not finished (several tabs); each keeps its state,
# nonce and PKCE verifier in the session cookie, which browsers drop beyond 4 KB.
MAX_PENDING_SIGN_INS = 3
# Session key of the unfinished sign-ins, oldest first: [client name, state] pairs.
PENDING_KEY = "vneid_pending"

_registering = threading.Lock()


class InProcessTransport(BaseAdapter):
    """A requests transport that hands each request to the current Flask app, in process."""

    def send(self, request, **kwargs):
        """Run the request through the app and wrap the answer as a requests.Response."""
        url = urlsplit(request.url)
        client = Client(current_app.wsgi_app)
        body = request.body.encode() if isinstance(request.body, str) else request.body
        # Run in an empty context: Flask would otherwise reuse the caller's application
        # context, so the provider would share the relying party's `g` and database session
        # (its commit would commit the caller's work). Like a real HTTP call, it gets its own.
        answer = contextvars.Context().run(
            client.open,
            url.path,
            method=request.method,
            query_string=url.query,
            # Uncompressed: no HTTP layer here would decode a compressed answer.
            headers=[
                *((k, v) for k, v in request.headers.items() if k.lower() != "accept-encoding"),
                ("Accept-Encoding", "identity"),
            ],
            data=body,
            base_url=f"{url.scheme}://{url.netloc}",
            buffered=True,
        )
        response = requests.Response()
        response.status_code = answer.status_code
        response.reason = answer.status.partition(" ")[2]
        response.headers = CaseInsensitiveDict(answer.headers)
        response.raw = io.BytesIO(answer.get_data())
        response.url = request.url
        response.request = request
        response.encoding = "utf-8"
        answer.close()
        return response

    def close(self):
        """Nothing to release."""


def _in_process_client_class(issuer: str) -> type[FlaskOAuth2App]:
    """Return an Authlib client class whose sessions reach `issuer` through the app itself."""

    class InProcessSession(OAuth2Session):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.mount(issuer, InProcessTransport())

    class InProcessClient(FlaskOAuth2App):
        client_cls = InProcessSession

    return InProcessClient


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
    """Return the registered OIDC client of the current issuer, registering it on first use."""
    issuer, in_process = current_issuer()
    # A name of the issuer's digest: the same in every worker, and fit for a session key.
    name = CLIENT_PREFIX + hashlib.sha256(issuer.encode()).hexdigest()[:12]
    client = oauth.create_client(name)
    if client is not None:
        return client
    with _registering:
        if oauth.create_client(name) is None:
            extra = {"client_cls": _in_process_client_class(issuer)} if in_process else {}
            oauth.register(
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
                **extra,
            )
    return oauth.create_client(name)


def start_sign_in(redirect_uri: str, **params: str) -> Response:
    """Redirect to the provider's authorize endpoint, keeping few unfinished sign-ins.

    Authlib's `authorize_redirect` in its two public steps, so that this sign-in's state is
    known: the oldest unfinished ones are forgotten before the session cookie grows too big.
    """
    client = vneid_client()
    pending = [entry for entry in session.get(PENDING_KEY, []) if len(entry) == 2]
    while len(pending) >= MAX_PENDING_SIGN_INS:
        name, state = pending.pop(0)
        started_by = oauth.create_client(name)
        if started_by is not None:
            started_by.framework.clear_state_data(session, state)
    found = client.create_authorization_url(redirect_uri, **params)
    client.save_authorize_data(redirect_uri=redirect_uri, **found)
    session[PENDING_KEY] = [*pending, [client.name, found["state"]]]
    return redirect(found["url"])


def finish_sign_in() -> dict:
    """Exchange the callback's code for tokens (state, PKCE and ID token checked by Authlib)."""
    state = request.args.get("state")
    pending = session.get(PENDING_KEY)
    if state and pending:
        session[PENDING_KEY] = [entry for entry in pending if entry[-1:] != [state]]
    return vneid_client().authorize_access_token()
