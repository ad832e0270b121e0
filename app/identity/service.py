"""Users, consents, bearer tokens, role grants, export and erasure."""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app

from app.audit import record
from app.database import UTCDateTime, utcnow
from app.errors import NotFound, ValidationFailed
from app.extensions import db
from app.fields import local_isoformat
from app.identity.exceptions import LastCityAdmin
from app.identity.models import (
    ROLE_LABELS,
    ROLES,
    SERVICE_ACCOUNT_ISSUER,
    ApiToken,
    RoleGrant,
    User,
    UserSession,
)
from app.registry import manifests

MOCK_PROVIDER = "mock-vneid"
MOCK_PATH = "/mock-vneid"
TOKEN_LIFETIME = timedelta(hours=1)
# A person's tokens and an API client's differ by prefix, so that a request can tell whether it
# carries a client's token (whose scopes and wards must be checked) without a query.
PERSON_TOKEN_PREFIX = "pxs_"  # noqa: S105 - a prefix, not a secret
CLIENT_TOKEN_PREFIX = "pxc_"  # noqa: S105 - a prefix, not a secret


def provider_key(issuer: str | None) -> str:
    """Return the key users are stored under: the issuer URL, or one name for the mock.

    The mock's issuer follows the host a request came in on; keying its users by a fixed name
    keeps one account per demo citizen whatever address the service is reached at (also when
    VNEID_ISSUER names the mock explicitly). `None` means the configured issuer.
    """
    issuer = (issuer or current_app.config.get("VNEID_ISSUER") or "").rstrip("/")
    mock_mounted = "mock_vneid_server" in current_app.extensions
    if mock_mounted and (not issuer or urlsplit(issuer).path.rstrip("/") == MOCK_PATH):
        return MOCK_PROVIDER
    if not issuer:
        raise RuntimeError("VNEID_ISSUER is not configured")
    return issuer


def personal_id_hash(personal_id: str, key: str | None = None) -> str:
    """Return the keyed hash kept instead of the 12-digit personal ID number.

    HMAC-SHA256 under PERSONAL_ID_KEY (never SECRET_KEY: whoever holds the session key must not
    be able to test the million guesses a birth year, sex and province leave). `key` overrides
    it (the previous key, during a rotation).
    """
    key = key or current_app.config["PERSONAL_ID_KEY"]
    digest = hmac.new(key.encode(), b"personal-id:" + personal_id.encode(), hashlib.sha256)
    return digest.hexdigest()


def personal_id_hashes(personal_id: str) -> list[str]:
    """Return every hash a stored record of this personal ID may hold: current key first.

    During a rotation (PERSONAL_ID_KEY_PREVIOUS set), a person who has not signed in since
    still has a hash made with the previous key: anything that finds or matches people by
    their personal ID must accept both.
    """
    hashes = [personal_id_hash(personal_id)]
    previous = current_app.config.get("PERSONAL_ID_KEY_PREVIOUS")
    if previous:
        hashes.append(personal_id_hash(personal_id, previous))
    return hashes


def personal_id_matches(stored_hash: str | None, personal_id: str) -> bool:
    """Tell whether a stored hash is of this personal ID (under the current or previous key)."""
    if not stored_hash:
        return False
    return any(hmac.compare_digest(stored_hash, h) for h in personal_id_hashes(personal_id))


def get_user(user_id: int) -> User | None:
    """Return a user by id."""
    return db.session.get(User, user_id)


def find_by_sub(sub: str) -> list[User]:
    """Return the users with this subject identifier (one per provider)."""
    return list(db.session.scalars(sa.select(User).where(User.sub == sub)))


def sign_in(*, provider: str, claims: dict) -> User:
    """Create or refresh the user for verified ID-token claims (consent: app/identity/privacy)."""
    sub = str(claims["sub"])
    user = db.session.scalar(sa.select(User).where(User.issuer == provider, User.sub == sub))
    if user is None:
        user = User(issuer=provider, sub=sub)
        try:
            with db.session.begin_nested():
                db.session.add(user)
        except sa.exc.IntegrityError:
            # Another request created the same user a moment ago.
            user = db.session.scalar(
                sa.select(User).where(User.issuer == provider, User.sub == sub)
            )
    user.name = str(claims.get("name") or "")[:120] or None
    level = claims.get("vneid_level")
    user.vneid_level = 2 if str(level) == "2" else 1
    personal_id = claims.get("personal_id")
    # Always under the current key: a hash made with PERSONAL_ID_KEY_PREVIOUS is rewritten at
    # the person's next sign-in (the provider gives the number in clear only then).
    user.personal_id_hash = personal_id_hash(str(personal_id)) if personal_id else None
    user.erased_at = None
    user.last_login_at = utcnow()
    db.session.flush()
    return user


def issue_token(
    user: User,
    *,
    scope: str | None = None,
    wards: str | None = None,
    lifetime: timedelta | None = None,
    not_after: datetime | None = None,
    session_id: int | None = None,
) -> tuple[str, int]:
    """Issue a bearer token; only its hash is stored.

    A person's token has no `scope`; an API client's token (its service account's) holds the
    client's space-separated `scope` and `wards` ("all" or ward codes). `not_after` caps its
    end and `session_id` binds it to a browser session (ending that session deletes it): a
    token asked for with a session or another token ends with them, so a stolen token can
    neither renew itself for ever nor outlive a sign-out.
    """
    now = utcnow()
    expires_at = now + (lifetime or TOKEN_LIFETIME)
    if not_after is not None:
        expires_at = min(expires_at, not_after)
    prefix = PERSON_TOKEN_PREFIX if scope is None else CLIENT_TOKEN_PREFIX
    raw = prefix + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id,
        token_hash=token_hash(raw),
        expires_at=expires_at,
        scope=scope,
        wards=wards,
        session_id=session_id,
    )
    db.session.add(token)
    db.session.flush()
    if scope is None:  # a person's token (a client's are its own module's to record)
        record("token.issued", "api_token", token.id, account_label(user), actor=user)
    return raw, max(int((expires_at - now).total_seconds()), 0)


def account_label(user: User) -> str:
    """Name an account in the audit log without personal data: "tài khoản #12"."""
    return f"tài khoản #{user.id}"


def grant_label(grant: RoleGrant) -> str:
    """Name a grant in the audit log: "Biên tập viên phường, xã — tài khoản #12"."""
    return f"{ROLE_LABELS.get(grant.role, grant.role)} — tài khoản #{grant.user_id}"


def _record_grant(action: str, grant: RoleGrant, *, actor: User | None = None) -> None:
    """Record a grant or revocation in the audit log of the grant's ward (or department)."""
    record(
        action,
        "role_grant",
        grant.id,
        grant_label(grant),
        ward_code=grant.ward_code,
        department_code=grant.department_code,
        actor=actor,
    )


def token_is_valid(hashed, now) -> sa.ColumnElement[bool]:
    """Return the rule of a valid bearer token, as a clause over ApiToken joined to its User.

    Unrevoked, unexpired, its person not erased: every query that authenticates a bearer
    token (the ORM lookup, the one-statement ballot) composes this clause.
    """
    return sa.and_(
        ApiToken.token_hash == hashed,
        ApiToken.revoked_at.is_(None),
        ApiToken.expires_at > now,
        User.erased_at.is_(None),
    )


def session_is_valid(hashed, now) -> sa.ColumnElement[bool]:
    """Return the rule of a valid browser session, as a clause over UserSession joined to User.

    The session's row exists (not signed out, not ended by "sign out everywhere", an
    administrator or erasure), its absolute lifetime has not run out, and the person is not
    erased. The idle limit is the cookie's (auth.credential), checked before any query.
    """
    return sa.and_(
        UserSession.secret_hash == hashed,
        UserSession.expires_at > now,
        User.erased_at.is_(None),
    )


@dataclass(frozen=True)
class Credential:
    """How a caller proves who they are, as the parameters of `caller_select(kind)`.

    `bearer`: a token's hash and the time; `session`: a browser session's secret hash and the
    time; `known`: trusted code acting as a known person (demo data, jobs), no proof needed.
    """

    kind: str
    params: dict

    @classmethod
    def bearer(cls, raw_token: str, now: datetime) -> "Credential":
        """Return the credential of a bearer token, checked at `now`."""
        return cls("bearer", {"caller_token": token_hash(raw_token), "caller_now": now})

    @classmethod
    def session(cls, secret: str, now: datetime) -> "Credential":
        """Return the credential of a browser session's secret (from the cookie), at `now`."""
        return cls("session", {"caller_session": token_hash(secret), "caller_now": now})

    @classmethod
    def known(cls, user_id: int) -> "Credential":
        """Return the credential of trusted code acting as a known person."""
        return cls("known", {"caller_uid": user_id})


def caller_select(kind: str, *columns) -> sa.Select:
    """Return a SELECT of `columns` for the caller a credential of `kind` names (its params bind).

    The one definition of who is calling, built on token_is_valid and session_is_valid with
    bound parameters, so that a statement built once serves every request: current_user()
    runs it for the User, a ballot composes it into its statement. One statement either way.
    """
    stmt = sa.select(*columns).select_from(User)
    now = sa.bindparam("caller_now", type_=UTCDateTime())
    if kind == "bearer":
        return stmt.join(ApiToken, ApiToken.user_id == User.id).where(
            token_is_valid(sa.bindparam("caller_token", type_=sa.String()), now)
        )
    if kind == "session":
        return stmt.join(UserSession, UserSession.user_id == User.id).where(
            session_is_valid(sa.bindparam("caller_session", type_=sa.String()), now)
        )
    if kind == "known":
        return stmt.where(User.id == sa.bindparam("caller_uid"), User.erased_at.is_(None))
    raise ValueError(f"unknown credential kind {kind!r}")


def create_session(user: User) -> str:
    """Start a browser session of the user; return its secret (for the signed cookie only).

    Its absolute end is now plus PERMANENT_SESSION_LIFETIME (seconds). Only the secret's
    SHA-256 is stored: the database alone cannot be used to sign in as anyone.
    """
    secret = secrets.token_urlsafe(32)
    lifetime = timedelta(seconds=int(current_app.config["PERMANENT_SESSION_LIFETIME"]))
    now = utcnow()
    db.session.add(
        UserSession(
            user_id=user.id,
            secret_hash=token_hash(secret),
            created_at=now,
            expires_at=now + lifetime,
        )
    )
    db.session.flush()
    return secret


def end_session(secret: str) -> int:
    """End one browser session by its secret (signing out); return how many rows went (0 or 1)."""
    result = db.session.execute(
        sa.delete(UserSession).where(UserSession.secret_hash == token_hash(secret))
    )
    return result.rowcount or 0


def end_all_sessions(user: User) -> dict[str, int]:
    """End every browser session and revoke every live personal token of the user.

    "Sign out everywhere", an administrator's revocation, erasure. Returns what ended:
    {"sessions": n, "tokens": m}.
    """
    # Tokens first: deleting the sessions deletes the tokens minted with them (cascade).
    tokens = db.session.execute(
        sa.update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    sessions = db.session.execute(sa.delete(UserSession).where(UserSession.user_id == user.id))
    db.session.flush()
    return {"sessions": sessions.rowcount or 0, "tokens": tokens.rowcount or 0}


def sign_out_everywhere(user: User) -> dict[str, int]:
    """End every session and personal token of the user, as an act of its own (recorded).

    The person themselves ("Đăng xuất khỏi mọi thiết bị"), a city admin or an operator's CLI.
    """
    ended = end_all_sessions(user)
    record("sessions.revoked", "user", user.id, account_label(user))
    return ended


def purge_expired_sessions(now: datetime | None = None) -> int:
    """Delete the browser sessions past their absolute end; return how many.

    One conditional DELETE: two workers running it at once delete each row once.
    """
    result = db.session.execute(
        sa.delete(UserSession).where(UserSession.expires_at <= (now or utcnow()))
    )
    return result.rowcount or 0


def token_hash(raw: str) -> str:
    """Return how a bearer token is stored: its SHA-256 in hex."""
    return hashlib.sha256(raw.encode()).hexdigest()


def revoke_token(token: ApiToken) -> None:
    """Revoke a bearer token (a person's is recorded here; a client's by its own module)."""
    token.revoked_at = utcnow()
    db.session.flush()
    if token.scope is None:
        record("token.revoked", "api_token", token.id, f"tài khoản #{token.user_id}")


def grant_role(
    *,
    user: User,
    role: str,
    ward_code: str | None,
    community_id: int | None,
    department_code: str | None = None,
    granted_by: User | None = None,
) -> RoleGrant:
    """Grant a role (idempotent: granting it again returns the existing grant).

    An API client's service account holds no roles: it acts only within its scopes.
    """
    if user.issuer == SERVICE_ACCOUNT_ISSUER:
        raise ValidationFailed.on_field(
            "sub", "Người được cấp", "Đây là tài khoản của một ứng dụng, không cấp vai trò được."
        )
    if role not in ROLES:
        raise ValidationFailed.on_field(
            "role",
            "Vai trò",
            "Phải là một trong: " + ", ".join(ROLE_LABELS[r] for r in ROLES) + ".",
        )
    if role in ("ward_admin", "ward_editor") and not ward_code:
        raise ValidationFailed.on_field("ward", "Phường, xã", "Vai trò này cần một phường, xã.")
    if role == "community_leader" and community_id is None:
        raise ValidationFailed.on_field(
            "community_id", "Cộng đồng", "Vai trò này cần một cộng đồng."
        )
    if role in ("department_admin", "department_editor") and not department_code:
        raise ValidationFailed.on_field("department", "Sở, ngành", "Vai trò này cần một sở, ngành.")
    if role == "city_admin":
        ward_code, community_id, department_code, scope = None, None, None, "city"
    elif role == "community_leader":
        department_code, scope = None, f"community:{community_id}"
    elif role in ("department_admin", "department_editor"):
        ward_code, community_id, scope = None, None, f"department:{department_code}"
    else:
        community_id, department_code, scope = None, None, f"ward:{ward_code}"
    existing = db.session.scalar(
        sa.select(RoleGrant).where(
            RoleGrant.user_id == user.id, RoleGrant.role == role, RoleGrant.scope == scope
        )
    )
    if existing:
        return existing
    grant = RoleGrant(
        user_id=user.id,
        role=role,
        ward_code=ward_code,
        community_id=community_id,
        department_code=department_code,
        scope=scope,
        granted_by_id=granted_by.id if granted_by else None,
    )
    db.session.add(grant)
    db.session.flush()
    _record_grant("role.granted", grant, actor=granted_by)
    return grant


def list_grants(*, ward_code: str | None = None, department_code: str | None = None):
    """List the grants within a ward (or a department), with their holders."""
    where = (
        RoleGrant.ward_code == ward_code
        if department_code is None
        else RoleGrant.department_code == department_code
    )
    return list(
        db.session.scalars(
            sa.select(RoleGrant)
            .where(where)
            .order_by(RoleGrant.id)
            .options(sa.orm.selectinload(RoleGrant.user))  # each grant names its holder
        )
    )


def get_grant(grant_id: int) -> RoleGrant:
    """Return a grant or raise NotFound."""
    grant = db.session.get(RoleGrant, grant_id)
    if grant is None:
        raise NotFound("Không tìm thấy quyền này.")
    return grant


def revoke_grant(grant: RoleGrant) -> None:
    """Remove a grant (the audit log keeps that it was revoked, by whom and when)."""
    _record_grant("role.revoked", grant)
    db.session.delete(grant)
    db.session.flush()


def export_data(user: User) -> dict:
    """Return every personal record held about the user, from every module."""
    data = {
        "profile": {
            "id": user.id,
            "provider": user.issuer,
            "sub": user.sub,
            "name": user.name,
            "vneid_level": user.vneid_level,
            "personal_id": "không lưu; chỉ lưu mã băm có khóa (HMAC)"
            if user.personal_id_hash
            else None,
            "created_at": local_isoformat(user.created_at),
            "last_login_at": local_isoformat(user.last_login_at) if user.last_login_at else None,
        },
        "consents": [
            {
                "purpose": c.purpose,
                "policy_version": c.policy_version,
                "granted_at": local_isoformat(c.granted_at),
            }
            for c in user.consents
        ],
        "roles": [
            {
                "role": g.role,
                "ward": g.ward_code,
                "community_id": g.community_id,
                "granted_at": local_isoformat(g.granted_at),
            }
            for g in user.grants
        ],
        "api_tokens": [
            {
                "created_at": local_isoformat(t.created_at),
                "expires_at": local_isoformat(t.expires_at),
                "revoked": t.revoked_at is not None,
            }
            for t in db.session.scalars(sa.select(ApiToken).where(ApiToken.user_id == user.id))
        ],
    }
    for manifest in manifests(current_app):
        for exporter in manifest.personal_data_exporters:
            data.update(exporter(user))
    return data


def _keep_a_city_admin(*, leaving: User) -> None:
    """Refuse to let the last city administrator go (the grants are locked while checking)."""
    holders = set(
        db.session.scalars(
            sa.select(RoleGrant.user_id).where(RoleGrant.role == "city_admin").with_for_update()
        )
    )
    if holders == {leaving.id}:
        raise LastCityAdmin(
            "Bạn là quản trị thành phố duy nhất: hãy cấp quyền này cho người khác trước khi "
            "xóa tài khoản."
        )


def erase(user: User) -> None:
    """Erase a user's personal data; counted ballots and read receipts keep counting.

    The row stays, holding only the opaque subject identifier: ballots and receipts refer to
    it, and the same person signing in again must not be able to vote twice. The city's last
    administrator cannot erase themselves (409): nobody could grant the role again.
    """
    _keep_a_city_admin(leaving=user)
    for manifest in manifests(current_app):
        for eraser in manifest.personal_data_erasers:
            eraser(user)
    # The person acts (and is erased by then: the log names them «Tài khoản đã xóa»). Their
    # roles end with the account: each ward's log says so, as for any revocation.
    record("account.erased", "user", user.id, account_label(user), actor=user)
    for grant in user.grants:
        _record_grant("role.revoked", grant, actor=user)
    user.name = None
    user.personal_id_hash = None
    user.erased_at = utcnow()
    user.grants.clear()
    user.consents.clear()
    end_all_sessions(user)
