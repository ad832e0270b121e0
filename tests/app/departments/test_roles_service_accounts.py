"""A client's service account holds no roles, whoever tries to grant one."""

import sqlalchemy as sa

from app.extensions import db
from app.identity.models import SERVICE_ACCOUNT_ISSUER, RoleGrant, User


def test_a_service_account_gets_no_role(app):
    """Granting a role to an API client's account by its sub is refused and grants nothing."""
    with app.app_context():
        db.session.add(User(issuer=SERVICE_ACCOUNT_ISSUER, sub="pxsc_test"))
        db.session.commit()

    result = app.test_cli_runner().invoke(
        args=["roles", "grant", "pxsc_test", "ward_admin", "--ward", "00070"]
    )

    assert result.exit_code != 0
    with app.app_context():
        db.session.rollback()
        assert db.session.scalar(sa.select(sa.func.count()).select_from(RoleGrant)) == 0
