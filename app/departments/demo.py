"""Demo data: the departments, and a demo citizen as the admin of one of them."""


def load() -> None:
    """Create the departments and make the demo department admin (idempotent)."""
    # Imported here: app.identity's models import this package's models (see __init__.py).
    from app.departments import service
    from app.identity import demo as identity_demo
    from app.identity import service as identity

    service.sync()
    identity.grant_role(
        user=identity_demo.demo_user(identity_demo.DEPARTMENT_ADMIN_SUB),
        role="department_admin",
        ward_code=None,
        community_id=None,
        department_code=identity_demo.DEMO_DEPARTMENT,
    )
