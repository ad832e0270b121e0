"""API clients: outside systems that hold OAuth 2.0 client credentials granted by the city."""

import hashlib
import hmac
from datetime import datetime

import sqlalchemy as sa
from authlib.oauth2.rfc6749 import ClientMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.database import Base, UTCDateTime, utcnow
from app.identity.models import SERVICE_ACCOUNT_ISSUER, User  # noqa: F401 - re-exported
from app.wards.schemas import ALL_WARDS  # one spelling of "every ward"

GRANT_TYPE = "client_credentials"
AUTH_METHOD = "client_secret_basic"


def secret_hash(secret: str) -> str:
    """Return how a client secret is stored: its SHA-256 in hex (secrets are 256 random bits)."""
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiClient(ClientMixin, Base):
    """A third party's client registered by a city admin, with the scopes and wards granted.

    The secret is kept only as a hash. The client acts through its service account, a `user`
    row (issuer "api-client", sub = client_id) whose tokens hold the client's scope and wards;
    deleting the client closes that account and revokes its tokens. `scopes` is
    space-separated (RFC 6749), `wards` space-separated ward codes or "all".
    """

    __tablename__ = "api_client"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[str] = mapped_column(sa.String(40), unique=True)
    secret_hash: Mapped[str] = mapped_column(sa.String(64))
    name: Mapped[str] = mapped_column(sa.String(120))
    scopes: Mapped[str] = mapped_column(sa.String(255))
    wards: Mapped[str] = mapped_column(sa.Text)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    service_account: Mapped[User] = relationship(foreign_keys=[user_id])
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])

    @property
    def scope_list(self) -> list[str]:
        """Return the granted scopes."""
        return self.scopes.split()

    @property
    def ward_list(self) -> list[str] | str:
        """Return the granted ward codes, or "all"."""
        codes = self.wards.split()
        return ALL_WARDS if codes == [ALL_WARDS] else codes

    # Authlib's ClientMixin: a confidential client of the client-credentials grant only.

    def get_client_id(self) -> str:
        """Return the public client id."""
        return self.client_id

    def get_default_redirect_uri(self) -> None:
        """Return nothing: the client-credentials grant never redirects."""
        return None

    def get_allowed_scope(self, scope: str | None) -> str:
        """Return the requested scopes the client holds (all of its scopes when none asked)."""
        if not scope:
            return self.scopes
        held = set(self.scope_list)
        return " ".join(s for s in scope.split() if s in held)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        """Refuse every redirect URI (no browser flow)."""
        return False

    def check_client_secret(self, client_secret: str) -> bool:
        """Compare the secret's hash with the stored one in constant time."""
        return hmac.compare_digest(secret_hash(client_secret or ""), self.secret_hash)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        """Accept HTTP Basic authentication only (a secret in a form body is refused)."""
        return method == AUTH_METHOD

    def check_response_type(self, response_type: str) -> bool:
        """Refuse every authorization-endpoint response type."""
        return False

    def check_grant_type(self, grant_type: str) -> bool:
        """Allow the client-credentials grant only."""
        return grant_type == GRANT_TYPE
