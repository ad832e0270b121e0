"""Who is calling: bearer tokens or the session cookie, and the CSRF rule for cookies.

The session cookie (Flask's signed cookie) holds a browser session's random secret (`sid`), the
time the session was last seen (`seen`, epoch seconds) and the CSRF token. The secret names a
`UserSession` row by its hash: signing out deletes the row, and a copy of the cookie is then
worth nothing. The idle limit (SESSION_IDLE_TIMEOUT) is checked from `seen` before any query;
`seen` is rewritten at most every SEEN_REFRESH seconds, so most answers carry no Set-Cookie and
no request writes to the database to keep a session alive.
"""

import hmac
import secrets
import time
from datetime import datetime

import sqlalchemy as sa
from flask import Flask, current_app, request, session

from app.cache import cached
from app.database import utcnow
from app.errors import Unauthorized
from app.extensions import db
from app.identity import service
from app.identity.exceptions import CsrfFailed
from app.identity.models import ApiToken, User, UserSession

_UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# The cookie's `seen` stamp is rewritten (and the cookie re-signed) at most this often: the idle
# limit is therefore exact to within these seconds.
SEEN_REFRESH = 300
SESSION_KEY = "sid"


def _bearer() -> str | None:
    header = request.headers.get("Authorization", "")
    if header[:7].lower() == "bearer ":
        return header[7:].strip()
    return None


def credential(now: datetime | None = None) -> service.Credential | None:
    """Return how the request's caller proves who they are: a bearer token, else the session."""
    raw = _bearer()
    if raw is not None:
        return service.Credential.bearer(raw, now or utcnow())
    secret = session.get(SESSION_KEY)
    if not isinstance(secret, str):
        return None
    seen = session.get("seen")
    clock = time.time()
    if not isinstance(seen, int) or clock - seen > current_app.config["SESSION_IDLE_TIMEOUT"]:
        return None  # idle too long: the row ends at its absolute time (or the purge)
    if clock - seen > SEEN_REFRESH:
        session["seen"] = int(clock)
    return service.Credential.session(secret, now or utcnow())


@cached("identity.caller_user_queries", size=4)
def _user_query(kind: str) -> sa.Select:
    """Return the query of the caller's User (and ApiToken for a bearer), built once per kind."""
    if kind == "bearer":
        return service.caller_select(kind, User, ApiToken)
    return service.caller_select(kind, User, UserSession.id, UserSession.expires_at)


# The caller is cached on the request itself, not on `g`: `g` belongs to the application
# context, which a nested in-process request or a test's pushed context can share with other
# requests, and a cached caller must never outlive its request.
_CACHE_KEY = "pxs.auth"


def current_user() -> User | None:
    """Return the signed-in user (bearer token first, then session), loaded once per request."""
    cached = request.environ.get(_CACHE_KEY)
    if cached is not None:
        return cached[0]
    user, held = None, None
    found = credential()
    if found is not None:
        row = db.session.execute(_user_query(found.kind), found.params).first()
        if row is not None:
            user = row[0]
            # A bearer's token row; a session's (id, absolute end).
            held = row[1] if found.kind == "bearer" else (row[1], row[2])
    request.environ[_CACHE_KEY] = (user, held)
    return user


def loaded_user() -> User | None:
    """Return the caller this request has already loaded, or None; never a query."""
    cached = request.environ.get(_CACHE_KEY)
    return cached[0] if cached else None


def credential_key() -> str:
    """Return who is calling, for a rate limit, without a query: their credential, else address.

    A credential (a browser session or a token) belongs to one account. For a view that checks
    its caller in its own single statement (a ballot), `account_key` would add a query.
    """
    found = credential()
    if found is None:
        return f"addr:{request.remote_addr or '127.0.0.1'}"
    if found.kind == "bearer":
        return f"token:{found.params['caller_token']}"
    return f"session:{found.params['caller_session']}"


def account_key() -> str:
    """Return who is calling, for a rate limit: their account if signed in, else their address."""
    user = current_user()
    if user is not None:
        return f"user:{user.id}"
    return f"addr:{request.remote_addr or '127.0.0.1'}"


def current_token():
    """Return the bearer token row of this request, if it used one."""
    current_user()
    held = request.environ[_CACHE_KEY][1]
    return held if isinstance(held, ApiToken) else None


def current_session() -> tuple[int, datetime] | None:
    """Return (id, absolute end) of the browser session this request used, if it used one."""
    current_user()
    held = request.environ[_CACHE_KEY][1]
    return held if isinstance(held, tuple) else None


def require_user() -> User:
    """Return the signed-in user or raise 401."""
    user = current_user()
    if user is None:
        raise Unauthorized("Bạn cần đăng nhập bằng VNeID.")
    return user


def start_session(user: User) -> None:
    """Sign the browser in as the user: a new session row, a fresh cookie and CSRF token.

    A session this browser held before (another person's, or an older one) ends first.
    """
    previous = session.get(SESSION_KEY)
    if isinstance(previous, str):
        service.end_session(previous)
    secret = service.create_session(user)
    session.clear()
    session[SESSION_KEY] = secret
    session["seen"] = int(time.time())
    session["csrf"] = secrets.token_urlsafe(24)
    session.permanent = True
    request.environ[_CACHE_KEY] = (user, None)


def end_session() -> None:
    """Sign this browser out: its session row is deleted (copies of the cookie die with it)."""
    secret = session.get(SESSION_KEY)
    if isinstance(secret, str):
        service.end_session(secret)
    session.clear()
    request.environ[_CACHE_KEY] = (None, None)


def forget_session() -> None:
    """Clear this browser's cookie after its session rows were deleted by other means."""
    session.clear()
    request.environ[_CACHE_KEY] = (None, None)


def csrf_token() -> str:
    """Return the session's CSRF token, creating one if needed."""
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(24)
    return session["csrf"]


def _csrf_applies() -> bool:
    # The rule covers the API and our own sign-out; the mock provider's consent form is a
    # separate party's page and keeps its own rules.
    return request.path.startswith("/api/") or request.path == "/auth/logout"


def init_app(app: Flask) -> None:
    """Enforce X-CSRF-Token on unsafe requests authenticated by the session cookie.

    The cookie is re-sent only when it changes (sign-in, the `seen` stamp's refresh, sign-out):
    its lifetime is the session row's, not renewed by every answer.
    """
    app.config["SESSION_REFRESH_EACH_REQUEST"] = False

    @app.before_request
    def _check_csrf():
        if request.method not in _UNSAFE or not _csrf_applies():
            return
        if _bearer() is not None or SESSION_KEY not in session:
            return  # bearer requests need no CSRF; anonymous ones will get 401
        sent = request.headers.get("X-CSRF-Token") or request.form.get("csrf_token") or ""
        expected = session.get("csrf") or ""
        if not expected or not hmac.compare_digest(sent, expected):
            raise CsrfFailed("Thiếu hoặc sai mã X-CSRF-Token.")
