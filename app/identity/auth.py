"""Who is calling: bearer tokens or the session cookie, and the CSRF rule for cookies."""

import hmac
import secrets
from datetime import datetime

import sqlalchemy as sa
from flask import Flask, request, session

from app.cache import cached
from app.database import utcnow
from app.errors import Unauthorized
from app.extensions import db
from app.identity import service
from app.identity.exceptions import CsrfFailed
from app.identity.models import ApiToken, User

_UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})


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
    if "uid" in session:
        return service.Credential.session(session["uid"], session.get("sv"))
    return None


@cached("identity.caller_user_queries", size=4)
def _user_query(kind: str) -> sa.Select:
    """Return the query of the caller's User (and ApiToken for a bearer), built once per kind."""
    if kind == "bearer":
        return service.caller_select(kind, User, ApiToken)
    return service.caller_select(kind, User)


# The caller is cached on the request itself, not on `g`: `g` belongs to the application
# context, which a nested in-process request or a test's pushed context can share with other
# requests, and a cached caller must never outlive its request.
_CACHE_KEY = "pxs.auth"


def current_user() -> User | None:
    """Return the signed-in user (bearer token first, then session), loaded once per request."""
    cached = request.environ.get(_CACHE_KEY)
    if cached is not None:
        return cached[0]
    user, token = None, None
    found = credential()
    if found is not None:
        row = db.session.execute(_user_query(found.kind), found.params).first()
        if row is not None:
            user, token = row[0], (row[1] if found.kind == "bearer" else None)
    request.environ[_CACHE_KEY] = (user, token)
    return user


def account_key() -> str:
    """Return who is calling, for a rate limit: their account if signed in, else their address."""
    user = current_user()
    if user is not None:
        return f"user:{user.id}"
    return f"addr:{request.remote_addr or '127.0.0.1'}"


def current_token():
    """Return the bearer token row of this request, if it used one."""
    current_user()
    return request.environ[_CACHE_KEY][1]


def require_user() -> User:
    """Return the signed-in user or raise 401."""
    user = current_user()
    if user is None:
        raise Unauthorized("Bạn cần đăng nhập bằng VNeID.")
    return user


def start_session(user: User) -> None:
    """Bind the browser session to the user, with a fresh CSRF token."""
    session.clear()
    session["uid"] = user.id
    session["sv"] = user.session_version
    session["csrf"] = secrets.token_urlsafe(24)
    session.permanent = True
    request.environ[_CACHE_KEY] = (user, None)


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
    """Enforce X-CSRF-Token on unsafe requests authenticated by the session cookie."""

    @app.before_request
    def _check_csrf():
        if request.method not in _UNSAFE or not _csrf_applies():
            return
        if _bearer() is not None or "uid" not in session:
            return  # bearer requests need no CSRF; anonymous ones will get 401
        sent = request.headers.get("X-CSRF-Token") or request.form.get("csrf_token") or ""
        expected = session.get("csrf") or ""
        if not expected or not hmac.compare_digest(sent, expected):
            raise CsrfFailed("Thiếu hoặc sai mã X-CSRF-Token.")
