"""Department roles: granted by the CLI and the API, shown in /me, listed and revoked, and who
may grant them."""

from app.identity.demo import DEMO_DEPARTMENT, DEPARTMENT_ADMIN_SUB, demo_role
from tests.conftest import login_as

from .conftest import (
    DEPT_ADMIN,
    HOAN_KIEM,
    OTHER_DEPT_ADMIN,
    RESIDENT,
    SCT,
    SKHCN,
    TARGET,
    WARD_ADMIN,
    grant_role,
)


def _roles(app, sub):
    return {
        (r["role"], r["ward"], r["department"]) for r in login_as(app.test_client(), sub)["roles"]
    }


def _target_signed_in(app):
    login_as(app.test_client(), TARGET)


def test_cli_grants_a_department_role_by_code_or_slug(app):
    """`roles grant <sub> department_admin --department <dept>`; /me shows the department."""
    out = grant_role(app, TARGET, "department_admin", department="skhcn")
    assert "granted department_admin (SKHCN)" in out
    grant_role(app, TARGET, "department_editor", department="cong-thuong")
    grant_role(app, TARGET, "department_admin", department="SKHCN")  # again: nothing new
    assert _roles(app, TARGET) == {
        ("department_admin", None, SKHCN),
        ("department_editor", None, SCT),
    }


def test_cli_refuses_a_department_role_without_or_with_an_unknown_department(app):
    """No department, or one that does not exist: the command fails, nothing granted."""
    runner = app.test_cli_runner()
    assert runner.invoke(args=["roles", "grant", TARGET, "department_admin"]).exit_code != 0
    bad = runner.invoke(args=["roles", "grant", TARGET, "department_admin", "--department", "X"])
    assert bad.exit_code != 0
    _target_signed_in(app)
    assert _roles(app, TARGET) == set()


def test_a_department_admin_grants_within_their_department(app, caller):
    """A department admin grants department roles in their own department, by the API."""
    _target_signed_in(app)
    admin = caller(DEPT_ADMIN, "department_admin", department=SKHCN)
    response = admin.post(
        "/api/v1/roles",
        json={"sub": TARGET, "role": "department_editor", "department": "khoa-hoc-va-cong-nghe"},
    )
    assert response.status_code == 201, response.get_json()
    (created,) = response.get_json()
    assert (created["role"], created["department"], created["ward"]) == (
        "department_editor",
        SKHCN,
        None,
    )
    assert _roles(app, TARGET) == {("department_editor", None, SKHCN)}

    listed = admin.get(f"/api/v1/departments/{SKHCN}/roles")
    assert listed.status_code == 200
    items = listed.get_json()["items"]
    assert {(i["role"], i["department"]) for i in items} == {
        ("department_admin", SKHCN),
        ("department_editor", SKHCN),
    }
    editor = next(i for i in items if i["role"] == "department_editor")
    assert editor["granted_at"].endswith("+07:00") and editor["user_name"]

    revoked = admin.delete(f"/api/v1/roles/{editor['id']}")
    assert revoked.status_code == 204
    assert _roles(app, TARGET) == set()


def test_refusals(app, caller):
    """Another department, a ward role, city_admin, a ward admin granting a department role,
    a resident: 403 and nothing granted; another department's grants are hidden."""
    _target_signed_in(app)
    admin = caller(DEPT_ADMIN, "department_admin", department=SKHCN)
    for body in (
        {"role": "department_editor", "department": SCT},
        {"role": "department_admin", "department": SCT},
        {"role": "ward_editor", "ward": HOAN_KIEM},
        {"role": "city_admin"},
    ):
        response = admin.post("/api/v1/roles", json={"sub": TARGET, **body})
        assert response.status_code == 403, body
        assert response.get_json()["error"]["code"] == "forbidden"
    assert admin.get(f"/api/v1/departments/{SCT}/roles").status_code == 403

    ward_admin = caller(WARD_ADMIN, "ward_admin", ward=HOAN_KIEM)
    refused = ward_admin.post(
        "/api/v1/roles", json={"sub": TARGET, "role": "department_editor", "department": SKHCN}
    )
    assert refused.status_code == 403
    assert ward_admin.get(f"/api/v1/departments/{SKHCN}/roles").status_code == 403

    resident = caller(RESIDENT)
    refused = resident.post(
        "/api/v1/roles", json={"sub": TARGET, "role": "department_admin", "department": SKHCN}
    )
    assert refused.status_code == 403
    assert _roles(app, TARGET) == set()

    # A grant in another department cannot be revoked from here: same answer as no grant.
    other = caller(OTHER_DEPT_ADMIN, "department_admin", department=SCT)
    theirs = other.get(f"/api/v1/departments/{SCT}/roles").get_json()["items"]
    assert admin.delete(f"/api/v1/roles/{theirs[0]['id']}").status_code == 404
    assert admin.delete("/api/v1/roles/999999").status_code == 404


def test_bad_input_is_a_clear_422_or_404(app, city_admin):
    """Missing or misplaced department, unknown department: Vietnamese 422 / 404."""
    _target_signed_in(app)
    missing = city_admin.post("/api/v1/roles", json={"sub": TARGET, "role": "department_admin"})
    assert missing.status_code == 422
    assert missing.get_json()["error"]["details"]["errors"][0]["field"] == "department"
    assert "cần một sở, ngành" in missing.get_json()["error"]["message"]
    misplaced = city_admin.post(
        "/api/v1/roles",
        json={"sub": TARGET, "role": "ward_editor", "ward": HOAN_KIEM, "department": SKHCN},
    )
    assert misplaced.status_code == 422
    unknown = city_admin.post(
        "/api/v1/roles", json={"sub": TARGET, "role": "department_admin", "department": "NOPE"}
    )
    assert unknown.status_code == 404
    assert unknown.get_json()["error"]["code"] == "department_not_found"
    too_long = city_admin.post(
        "/api/v1/roles",
        json={"sub": TARGET, "role": "department_admin", "department": "x" * 500},
    )
    assert too_long.status_code == 422
    assert city_admin.get("/api/v1/departments/NOPE/roles").status_code == 404
    assert _roles(app, TARGET) == set()


def test_a_city_admin_grants_in_any_department(app, city_admin):
    """City admins grant department roles anywhere and list any department's roles."""
    _target_signed_in(app)
    response = city_admin.post(
        "/api/v1/roles", json={"sub": TARGET, "role": "department_admin", "department": "THUE"}
    )
    assert response.status_code == 201
    assert city_admin.get("/api/v1/departments/THUE/roles").status_code == 200
    assert _roles(app, TARGET) == {("department_admin", None, "THUE")}


def test_anonymous_is_401(client):
    """Listing a department's roles needs a signed-in caller."""
    assert client.get(f"/api/v1/departments/{SKHCN}/roles").status_code == 401


def test_the_demo_data_makes_a_department_admin(app, client):
    """The demo loaders give the demo department admin department_admin of SKHCN, once."""
    from app.departments import demo
    from app.extensions import db

    assert demo_role(DEPARTMENT_ADMIN_SUB) == "department_admin"
    for _ in range(2):
        with app.app_context():
            demo.load()
            db.session.commit()
    assert _roles(app, DEPARTMENT_ADMIN_SUB) == {("department_admin", None, DEMO_DEPARTMENT)}
    page = client.get(client.get("/auth/login").headers["Location"]).get_data(as_text=True)
    assert "Quản trị sở, ngành" in page


def test_cli_says_why_an_unknown_department_is_refused(app):
    """The operator reads the Vietnamese reason, not a traceback."""
    result = app.test_cli_runner().invoke(
        args=["roles", "grant", TARGET, "department_admin", "--department", "NOPE"]
    )
    assert result.exit_code != 0
    assert "Không tìm thấy sở, ban, ngành này." in result.output
