"""The departments: sync, list, search and lookup."""

import sqlalchemy as sa

from app.departments import service
from app.departments.models import Department
from app.extensions import db
from miniapps.config.models import MiniappUnit, MiniappVersion

REQUIRED = {
    "SKHCN": "Sở Khoa học và Công nghệ",
    "SCT": "Sở Công Thương",
    "SVHTT": "Sở Văn hóa và Thể thao",
    "SDL": "Sở Du lịch",
    "SNNMT": "Sở Nông nghiệp và Môi trường",
    "SGDDT": "Sở Giáo dục và Đào tạo",
    "THUE": "Thuế thành phố Hà Nội",
}


def test_the_list_holds_the_city_departments(client):
    """Every department the issue names is listed, with a letter code, a slug and type "so"."""
    body = client.get("/api/v1/departments?limit=200").get_json()
    items = {d["code"]: d for d in body["items"]}
    assert body["next_cursor"] is None
    assert {code: d["name"] for code, d in items.items()} == REQUIRED
    assert all(code.isalpha() and code.isupper() for code in items)
    assert items["SKHCN"] == {
        "code": "SKHCN",
        "name": "Sở Khoa học và Công nghệ",
        "short_name": "Sở KH&CN",
        "slug": "khoa-hoc-va-cong-nghe",
        "type": "so",
    }


def test_pages_walk_every_department_once(client):
    """Small pages with the cursor give each department exactly once."""
    seen, cursor = [], None
    for _ in range(10):
        url = "/api/v1/departments?limit=2" + (f"&cursor={cursor}" if cursor else "")
        body = client.get(url).get_json()
        seen += [d["code"] for d in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == sorted(REQUIRED) and len(seen) == len(set(seen))


def test_search_with_and_without_diacritics(client):
    """ "khoa học", "khoa hoc", "KHOA HOC" and the code all find Sở Khoa học và Công nghệ."""
    for q in ("khoa học", "khoa hoc", "KHOA HOC", "skhcn", "Công nghệ"):
        codes = [d["code"] for d in client.get(f"/api/v1/departments?q={q}").get_json()["items"]]
        assert codes == ["SKHCN"], q
    for q in ("thuế", "thue ha noi"):
        codes = [d["code"] for d in client.get(f"/api/v1/departments?q={q}").get_json()["items"]]
        assert codes == ["THUE"], q
    assert client.get("/api/v1/departments?q=%25").get_json()["items"] == []
    assert client.get("/api/v1/departments?q=du lich").get_json()["items"][0]["code"] == "SDL"


def test_get_by_code_in_any_case_or_slug(client):
    """A department is found by its code (any case) or its slug; otherwise 404 in Vietnamese."""
    for key in ("SKHCN", "skhcn", "khoa-hoc-va-cong-nghe"):
        response = client.get(f"/api/v1/departments/{key}")
        assert response.status_code == 200, key
        assert response.get_json()["code"] == "SKHCN"
    missing = client.get("/api/v1/departments/no-such")
    assert missing.status_code == 404
    error = missing.get_json()["error"]
    assert error["code"] == "department_not_found"
    assert error["message"] == "Không tìm thấy sở, ban, ngành này."
    assert client.get("/api/v1/departments/" + "x" * 300).status_code == 404
    # A ward is not a department.
    assert client.get("/api/v1/departments/00070").status_code == 404


def test_bad_list_arguments_are_422(client):
    """A bad cursor or limit is a clear 422, never a 500."""
    assert client.get("/api/v1/departments?cursor=%%%").status_code == 422
    assert client.get("/api/v1/departments?limit=0").status_code == 422
    assert client.get("/api/v1/departments?limit=abc").status_code == 422


def _counts() -> tuple[int, int, int]:
    return (
        db.session.scalar(sa.select(sa.func.count()).select_from(Department)),
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(MiniappUnit)
            .where(MiniappUnit.kind == "department")
        ),
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(MiniappVersion)
            .where(MiniappVersion.ward_code.in_(sa.select(Department.code)))
        ),
    )


def test_sync_is_idempotent_and_repairs_a_changed_name(app):
    """`departments sync` twice creates nothing new; a name edited by hand is put back."""
    runner = app.test_cli_runner()
    first = runner.invoke(args=["departments", "sync"])
    assert first.exit_code == 0, first.output
    assert f"{len(REQUIRED)} total, 0 created, 0 updated" in first.output
    with app.app_context():
        before = _counts()
        db.session.get(Department, "SDL").name = "Sở Du lịch (cũ)"
        db.session.commit()
    again = runner.invoke(args=["departments", "sync"])
    assert "0 created, 1 updated" in again.output
    with app.app_context():
        assert _counts() == before == (len(REQUIRED), len(REQUIRED), len(REQUIRED))
        assert db.session.get(Department, "SDL").name == "Sở Du lịch"


def test_sync_on_an_empty_database_creates_units_and_version_1(app):
    """A first sync makes each department, its miniapp unit and its config's version 1."""
    with app.app_context():
        for model in (MiniappVersion,):
            db.session.execute(
                sa.delete(model).where(model.ward_code.in_(sa.select(Department.code)))
            )
        from miniapps.config.models import MiniappAuditEntry

        db.session.execute(
            sa.delete(MiniappAuditEntry).where(
                MiniappAuditEntry.ward_code.in_(sa.select(Department.code))
            )
        )
        db.session.execute(sa.delete(MiniappUnit).where(MiniappUnit.kind == "department"))
        db.session.execute(sa.delete(Department))
        db.session.commit()
        assert _counts() == (0, 0, 0)
        result = service.sync()
        db.session.commit()
        assert result == {"created": len(REQUIRED), "updated": 0, "total": len(REQUIRED)}
        assert _counts() == (len(REQUIRED),) * 3


def test_a_unit_row_must_name_its_own_ward_or_department(app):
    """The database refuses a config unit that is not a real ward or department."""
    with app.app_context():
        for row in (
            {"code": "ZZZ", "kind": "department", "department_code": "ZZZ"},  # no such dept
            {"code": "SCT", "kind": "ward", "ward_code": "00070"},  # code mismatch
            {"code": "SDLX", "kind": "department", "department_code": "SDL"},  # mismatch
        ):
            try:
                with db.session.begin_nested():
                    db.session.execute(sa.insert(MiniappUnit).values(**row))
            except sa.exc.IntegrityError:
                continue
            raise AssertionError(f"accepted {row}")
        db.session.rollback()


def test_a_department_code_must_be_letters():
    """A code with a digit would collide with the wards' codes: refused in the source list."""
    original = service.DEPARTMENTS
    try:
        service.DEPARTMENTS = (("S1", "Sở Thử", "Sở Thử"),)
        try:
            service.source_departments()
        except ValueError:
            return
        raise AssertionError("a code with a digit was accepted")
    finally:
        service.DEPARTMENTS = original


def test_openapi_documents_the_department_endpoints_in_vietnamese(client):
    """The new paths appear in the OpenAPI document, each with a summary."""
    spec = client.get("/api/openapi.json").get_json()
    paths = spec["paths"]
    for path, method in (
        ("/api/v1/departments", "get"),
        ("/api/v1/departments/{dept}", "get"),
        ("/api/v1/departments/{dept}/roles", "get"),
        ("/api/v1/departments/{dept}/miniapp", "get"),
        ("/api/v1/departments/{dept}/miniapp/draft", "put"),
        ("/api/v1/departments/{dept}/miniapp/publish", "post"),
        ("/api/v1/departments/{dept}/miniapp/versions", "get"),
        ("/api/v1/departments/{dept}/miniapp/versions/{number}/restore", "post"),
        ("/api/v1/departments/{dept}/miniapp/audit", "get"),
    ):
        assert method in paths[path], path
        assert paths[path][method]["summary"], path
    tags = {t["name"]: t.get("description", "") for t in spec["tags"]}
    assert "Sở, ban, ngành" in tags["departments"]
    draft = paths["/api/v1/departments/{dept}/miniapp/draft"]["put"]["summary"]
    assert "sở, ngành" in draft


def test_nul_and_tampered_input_are_clear_4xx(client):
    """A NUL in the path names nothing (404); in the query, or a tampered cursor: 422."""
    import base64
    import json

    for url in (
        "/api/v1/departments/%00",
        "/api/v1/departments/SKHCN%00/miniapp",
        "/api/v1/departments/%00/roles",
    ):
        assert client.get(url).status_code == 404, url
    assert client.get("/api/v1/departments?q=%00").status_code == 422
    for raw in ([10**30], ["\x00"], [1], []):
        cursor = base64.urlsafe_b64encode(json.dumps(raw).encode()).decode().rstrip("=")
        response = client.get(f"/api/v1/departments?cursor={cursor}")
        assert response.status_code == 422, raw
    page = client.get("/d/%00")
    assert page.status_code == 404
    page.close()
