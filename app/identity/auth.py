"""Who is calling: bearer tokens or the session cookie, and the CSRF rule for cookies."""

import hashlib
import hmac
import secrets
from datetime import UTC, datetime
from typing import NamedTuple

import sqlalchemy as sa
from flask import Flask, request, session

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


def bearer_digest() -> str | None:
    """Return the SHA-256 (hex) of the request's bearer token, as tokens are stored; None if none.

    For statements that authenticate and act in one round trip (BEARER_CALLER_SQL).
    """
    raw = _bearer()
    return hashlib.sha256(raw.encode()).hexdigest() if raw is not None else None


# A bearer token's caller, for a statement that authenticates and acts in one round trip: the
# rules of _caller_for_token (unrevoked, unexpired, user not erased) with expiry in SQL.
# Parameters: the token's digest, then the current time (naive UTC, as stored).
BEARER_CALLER_SQL = (
    'SELECT u.id AS user_id, u.vneid_level FROM api_token t JOIN "user" u ON u.id = t.user_id '
    "WHERE t.token_hash = {p} AND t.revoked_at IS NULL AND u.erased_at IS NULL "
    "AND t.expires_at > {p}"
)


# Token and user in one query, built once (its compiled form and cache key are reused): every
# bearer request pays for this lookup, so it is kept to one round trip.
_TOKEN_AND_USER = (
    sa.select(User, ApiToken)
    .join(ApiToken, ApiToken.user_id == User.id)
    .where(ApiToken.token_hash == sa.bindparam("token_hash"))
)


def _user_for_token(raw: str) -> tuple[User, ApiToken] | None:
    """Return the user and token for a valid (unexpired, unrevoked) bearer token.

    The same rules as identity.service.user_for_token, with one query instead of two.
    """
    digest = hashlib.sha256(raw.encode()).hexdigest()
    row = db.session.execute(_TOKEN_AND_USER, {"token_hash": digest}).first()
    if row is None:
        return None
    user, token = row
    if token.revoked_at is not None or token.expires_at <= utcnow() or user.erased_at is not None:
        return None
    return user, token


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
    raw = _bearer()
    if raw is not None:
        found = _user_for_token(raw)
        if found:
            user, token = found
    elif "uid" in session:
        candidate = service.get_user(session["uid"])
        if (
            candidate is not None
            and candidate.erased_at is None
            and candidate.session_version == session.get("sv")
        ):
            user = candidate
    request.environ[_CACHE_KEY] = (user, token)
    return user


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


class Caller(NamedTuple):
    """Who is calling, without loading the User: for the hottest writes (casting a ballot)."""

    id: int
    vneid_level: int


_CALLER_KEY = "pxs.auth.caller"
# The same rules as _user_for_token, read with the driver's cursor on the session's connection
# (the request's transaction): no ORM objects. Placeholders are the driver's own.
_CALLER_SQL = (
    'SELECT u.id, u.vneid_level, t.expires_at FROM api_token t JOIN "user" u ON u.id = t.user_id '
    "WHERE t.token_hash = {p} AND t.revoked_at IS NULL AND u.erased_at IS NULL"
)
_CALLER_SQL_QMARK = _CALLER_SQL.format(p="?")
_CALLER_SQL_FORMAT = _CALLER_SQL.format(p="%s")


def _caller_for_token(raw: str) -> Caller | None:
    digest = hashlib.sha256(raw.encode()).hexdigest()
    connection = db.session.connection()
    cursor = connection.connection.cursor()
    try:
        qmark = connection.dialect.paramstyle == "qmark"
        cursor.execute(_CALLER_SQL_QMARK if qmark else _CALLER_SQL_FORMAT, (digest,))
        row = cursor.fetchone()
    finally:
        cursor.close()
    if row is None:
        return None
    user_id, level, expires_at = row
    if isinstance(expires_at, str):  # SQLite keeps naive UTC timestamps as text
        expires_at = datetime.fromisoformat(expires_at)
    if expires_at.replace(tzinfo=UTC) <= utcnow():
        return None
    return Caller(user_id, level)


def current_caller() -> Caller | None:
    """Return who is calling (id and VNeID level), as current_user() would find them.

    A bearer token is checked with one plain query and no ORM objects; a session, or a
    request that loaded its user already, goes through current_user().
    """
    cached = request.environ.get(_CALLER_KEY)
    if cached is not None:
        return cached[0]
    known = request.environ.get(_CACHE_KEY)
    raw = _bearer() if known is None else None
    if raw is not None:
        caller = _caller_for_token(raw)
    else:
        user = current_user()
        caller = Caller(user.id, user.vneid_level) if user is not None else None
    request.environ[_CALLER_KEY] = (caller,)
    return caller


def require_caller() -> Caller:
    """Return who is calling (see current_caller) or raise 401, as require_user() does."""
    caller = current_caller()
    if caller is None:
        raise Unauthorized("Bạn cần đăng nhập bằng VNeID.")
    return caller


def start_session(user: User) -> None:
    """Bind the browser session to the user, with a fresh CSRF token."""
    session.clear()
    session["uid"] = user.id
    session["sv"] = user.session_version
    session["csrf"] = secrets.token_urlsafe(24)
    session.permanent = True
    request.environ[_CACHE_KEY] = (user, None)
    request.environ.pop(_CALLER_KEY, None)


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
