"""`flask roles …` and `flask users …` commands."""

import click
from flask.cli import AppGroup

from app.database import transaction
from app.departments import service as departments
from app.errors import NotFound, ValidationFailed
from app.extensions import db
from app.identity import policy, service
from app.identity.models import SERVICE_ACCOUNT_ISSUER, User
from app.wards import service as wards

roles_cli = AppGroup("roles", help="Grant roles.")


@roles_cli.command("grant")
@click.argument("sub")
@click.argument("role")
@click.option("--ward", default=None, help="Ward code or slug (ward roles).")
@click.option("--community", "community_id", type=int, default=None, help="Community id.")
@click.option("--department", default=None, help="Department code or slug (department roles).")
def grant_command(sub, role, ward, community_id, department):
    """Grant ROLE to the person with subject identifier SUB."""
    try:
        ward_code = wards.get(ward).code if ward else None
        department_code = departments.get(department).code if department else None
    except NotFound as exc:  # the operator gets the message, not a traceback
        raise click.ClickException(str(exc)) from exc
    if role == "community_leader" and community_id is not None and ward_code is None:
        ward_code = policy.community_ward(community_id)
    try:
        with transaction():
            users = service.find_by_sub(sub)
            if not users:
                # Granting before the first sign-in: the account is created now, with no
                # personal data, and is filled in when the person signs in.
                user = User(issuer=service.provider_key(None), sub=sub)
                db.session.add(user)
                db.session.flush()
                users = [user]
            for user in users:
                service.grant_role(
                    user=user,
                    role=role,
                    ward_code=ward_code,
                    community_id=community_id,
                    department_code=department_code,
                )
    except ValidationFailed as exc:  # rolled back; the operator gets the message
        raise click.ClickException(str(exc)) from exc
    if role in ("department_admin", "department_editor"):
        scope = department_code
    else:
        scope = ward_code or (f"community {community_id}" if community_id else "city")
    click.echo(f"granted {role} ({scope}) to {sub}")


users_cli = AppGroup("users", help="Accounts: end their sessions.")


@users_cli.command("sign-out")
@click.argument("user_id", type=int)
def sign_out_command(user_id):
    """End every browser session and personal token of account USER_ID (a lost phone)."""
    with transaction():
        user = service.get_user(user_id)
        if user is None:
            raise click.ClickException(f"no account {user_id}")
        if user.issuer == SERVICE_ACCOUNT_ISSUER:
            raise click.ClickException(
                f"account {user_id} is an API client's: revoke or delete the client instead"
            )
        ended = service.sign_out_everywhere(user)
    click.echo(
        f"account {user_id}: {ended['sessions']} session(s) ended, "
        f"{ended['tokens']} token(s) revoked"
    )
