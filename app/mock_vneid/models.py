"""The mock provider's one-time authorization codes."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.database import Base, UTCDateTime


class MockAuthorizationCode(Base):
    """A one-time authorization code of the mock VNeID provider (kept in the database so
    that every gunicorn worker sees it)."""

    __tablename__ = "mock_vneid_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(120), unique=True)
    client_id: Mapped[str] = mapped_column(sa.String(80))
    redirect_uri: Mapped[str] = mapped_column(sa.Text)
    scope: Mapped[str] = mapped_column(sa.Text)
    nonce: Mapped[str | None] = mapped_column(sa.String(255))
    code_challenge: Mapped[str | None] = mapped_column(sa.String(128))
    code_challenge_method: Mapped[str | None] = mapped_column(sa.String(10))
    citizen_sub: Mapped[str] = mapped_column(sa.String(64))
    auth_time: Mapped[int]
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    def get_redirect_uri(self):
        """Return the redirect URI the code was issued for (Authlib protocol)."""
        return self.redirect_uri

    def get_scope(self):
        """Return the granted scope."""
        return self.scope

    def get_nonce(self):
        """Return the nonce to echo in the ID token."""
        return self.nonce

    def get_auth_time(self):
        """Return when the citizen authenticated."""
        return self.auth_time

    def get_acr(self):
        """Leave acr to the user info claims (it depends on the citizen's level)."""
        return None

    def get_amr(self):
        """Return no authentication methods."""
        return None
