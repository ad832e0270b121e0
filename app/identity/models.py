"""Users, consents, role grants and API tokens."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.database import Base, TimestampMixin, UTCDateTime, utcnow
from app.departments import models as _departments  # noqa: F401 - role grants refer to it

ROLE_LABELS = {
    "city_admin": "Quản trị thành phố",
    "ward_admin": "Quản trị phường, xã",
    "ward_editor": "Biên tập viên phường, xã",
    "community_leader": "Trưởng cộng đồng",
    "department_admin": "Quản trị sở, ngành",
    "department_editor": "Biên tập viên sở, ngành",
}
ROLES = tuple(ROLE_LABELS)
# The issuer of API clients' service accounts (a client acts through a user row of its own).
SERVICE_ACCOUNT_ISSUER = "api-client"


class User(TimestampMixin, Base):
    """A person signed in through VNeID, keyed by (issuer, sub).

    Only what the features need is kept: the display name, the identity level and a keyed
    hash of the personal ID number (for de-duplication and household linking). The number
    itself is never stored.
    """

    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    issuer: Mapped[str] = mapped_column(sa.String(255))
    sub: Mapped[str] = mapped_column(sa.String(255))
    name: Mapped[str | None] = mapped_column(sa.String(120))
    vneid_level: Mapped[int] = mapped_column(sa.SmallInteger, default=1)
    personal_id_hash: Mapped[str | None] = mapped_column(sa.String(64), index=True)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # No longer checked: browser sessions are `UserSession` rows since issue 18. Kept (and still
    # bumped by integrations/clients) until the scripts under bench/ stop writing it.
    session_version: Mapped[int] = mapped_column(default=1)

    grants: Mapped[list["RoleGrant"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", foreign_keys="RoleGrant.user_id"
    )
    consents: Mapped[list["Consent"]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    __table_args__ = (
        sa.UniqueConstraint("issuer", "sub"),
        sa.CheckConstraint("vneid_level in (1, 2)", name="vneid_level"),
    )


class Consent(Base):
    """A resident's consent to a processing purpose under a policy version."""

    __tablename__ = "consent"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(sa.String(60))
    policy_version: Mapped[str] = mapped_column(sa.String(20))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship(back_populates="consents")

    __table_args__ = (sa.UniqueConstraint("user_id", "purpose", "policy_version"),)


class RoleGrant(Base):
    """A role given to a user, city-wide or within one ward, one community or one department.

    `scope` ("city", "ward:00070", "community:12", "department:SKHCN") makes the grant unique
    without relying on NULLs in a unique constraint, which both databases treat as distinct.
    """

    __tablename__ = "role_grant"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(sa.String(30))
    ward_code: Mapped[str | None] = mapped_column(
        sa.String(5), sa.ForeignKey("ward.code"), index=True
    )
    community_id: Mapped[int | None] = mapped_column(index=True)
    department_code: Mapped[str | None] = mapped_column(
        sa.String(5), sa.ForeignKey("department.code"), index=True
    )
    scope: Mapped[str] = mapped_column(sa.String(40))
    granted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship(back_populates="grants", foreign_keys=[user_id])

    __table_args__ = (
        sa.UniqueConstraint("user_id", "role", "scope"),
        sa.CheckConstraint(
            "role in ('city_admin', 'ward_admin', 'ward_editor', 'community_leader', "
            "'department_admin', 'department_editor')",
            name="role",
        ),
    )


class ApiToken(Base):
    """A short-lived bearer token; only its SHA-256 is stored.

    A person's token (`POST /api/v1/auth/tokens`) acts with the person's roles: `scope` and
    `wards` are NULL. An API client's token (OAuth 2.0 client credentials) belongs to the
    client's service account and holds only what was granted: `scope` (space-separated, RFC
    6749) and `wards` (space-separated ward codes, or "all").
    """

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    scope: Mapped[str | None] = mapped_column(sa.String(255))
    wards: Mapped[str | None] = mapped_column(sa.Text)
    # The browser session a person's token descends from (minted with it, or with a token that
    # was): ending the session deletes the token with it, in the database, so no token minted
    # at the same moment survives a sign-out.
    session_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_session.id", ondelete="CASCADE"), index=True
    )


class UserSession(Base):
    """A browser session: the signed cookie holds a random secret, the row only its SHA-256.

    Signing out deletes the row, so a copied cookie stops working at once; erasure and "sign
    out everywhere" delete every row of the person. `expires_at` is absolute (sign-in plus
    PERMANENT_SESSION_LIFETIME); the idle limit is checked from the cookie's signed `seen`
    stamp, so that reading never writes. Nothing about the device or address is kept.
    """

    __tablename__ = "user_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    secret_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
