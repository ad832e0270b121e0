"""A department's own miniapp config: public read with ETag, draft, publish, versions, restore,
audit, the department template, and the miniapp.published event in the same transaction."""

import copy

import pytest
import sqlalchemy as sa

from app.events.models import Event
from app.extensions import db
from miniapps.config.document import validate_document
from miniapps.config.models import MiniappVersion

from .conftest import DEPT_ADMIN, DEPT_EDITOR, OTHER_DEPT_ADMIN, RESIDENT, SCT, SKHCN, WARD_ADMIN

BASE = "/api/v1/departments/{}/miniapp"
WARD_BASE = "/api/v1/wards/{}/miniapp"
HOAN_KIEM = "00070"


def _events(app, **where):
    """Return the miniapp.published events (feed, data), oldest first."""
    with app.app_context():
        stmt = sa.select(Event).where(Event.type == "miniapp.published").order_by(Event.id)
        for key, value in where.items():
            stmt = stmt.where(getattr(Event, key) == value)
        return [(e.feed, e.ward_code, e.data) for e in db.session.scalars(stmt)]


def _publish_subtitle(admin, dept, subtitle):
    draft = admin.get(BASE.format(dept) + "/draft").get_json()
    draft["app"]["subtitle"] = subtitle
    saved = admin.put(BASE.format(dept) + "/draft", json=draft)
    assert saved.status_code == 200, saved.get_json()
    published = admin.post(BASE.format(dept) + "/publish", json={"summary": subtitle})
    assert published.status_code == 201, published.get_json()
    return published.get_json()


def test_every_department_serves_version_1_of_its_own_config(client):
    """Each department answers a valid config from the department template, version 1."""
    departments = client.get("/api/v1/departments").get_json()["items"]
    for department in departments:
        response = client.get(BASE.format(department["code"]))
        assert response.status_code == 200, department
        config = response.get_json()
        assert validate_document(config) == {}
        assert config["ward"] == {
            "code": department["code"],
            "name": department["name"],
            "type": "so",
        }
        assert config["app"]["title"] == department["name"]
        assert config["contacts"]["office_address"] == "Trụ sở " + department["name"]
        assert response.headers["X-Miniapp-Version"] == "1"
    skhcn = client.get(BASE.format(SKHCN)).get_json()
    modules = [m["id"] for m in skhcn["modules"]]
    assert "market" not in modules and modules[:2] == ["notices", "polls"]


def test_public_read_by_slug_etag_and_304(client):
    """The slug serves the same bytes; the ETag is strong and If-None-Match gives 304."""
    by_code = client.get(BASE.format(SKHCN))
    by_slug = client.get(BASE.format("khoa-hoc-va-cong-nghe"))
    by_lower = client.get(BASE.format("skhcn"))
    assert by_slug.data == by_code.data == by_lower.data
    etag = by_code.headers["ETag"]
    assert etag.startswith('"') and by_code.headers["Cache-Control"] == "public, no-cache"
    again = client.get(BASE.format(SKHCN), headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.headers["ETag"] == etag
    assert client.get(BASE.format(SCT)).headers["ETag"] != etag


def test_unknown_department_is_404_in_vietnamese(client, dept_admin):
    """A department that does not exist is 404, on the public read and the staff paths."""
    for response in (
        client.get(BASE.format("NOPE")),
        dept_admin.get(BASE.format("NOPE") + "/draft"),
        dept_admin.post(BASE.format("NOPE") + "/publish"),
    ):
        assert response.status_code == 404
        assert response.get_json()["error"]["message"] == "Không tìm thấy sở, ban, ngành này."


def test_draft_publish_restore_and_audit(app, client, dept_admin):
    """The department's admin drafts, publishes and restores; the public read follows."""
    before = client.get(BASE.format(SKHCN))
    v2 = _publish_subtitle(dept_admin, SKHCN, "Khoa học cho mọi người")
    assert v2["version"] == 2 and v2["summary"] == "Khoa học cho mọi người"
    after = client.get(BASE.format(SKHCN))
    assert after.headers["ETag"] != before.headers["ETag"]
    assert after.headers["X-Miniapp-Version"] == "2"
    assert after.get_json()["app"]["subtitle"] == "Khoa học cho mọi người"
    # The draft is gone after publishing.
    draft = dept_admin.get(BASE.format(SKHCN) + "/draft")
    assert draft.headers["X-Miniapp-Draft"] == "false"

    versions = dept_admin.get(BASE.format(SKHCN) + "/versions").get_json()["items"]
    assert [v["version"] for v in versions] == [2, 1]
    assert versions[0]["author"] == dept_admin.me["name"]
    one = dept_admin.get(BASE.format(SKHCN) + "/versions/1").get_json()
    assert one["document"]["ward"]["code"] == SKHCN
    assert dept_admin.get(BASE.format(SKHCN) + "/versions/9").status_code == 404

    restored = dept_admin.post(BASE.format(SKHCN) + "/versions/1/restore")
    assert restored.status_code == 201, restored.get_json()
    assert restored.get_json()["version"] == 3
    assert restored.get_json()["summary"].startswith("Khôi phục phiên bản 1")
    assert client.get(BASE.format(SKHCN)).data == before.data
    assert client.get(BASE.format(SKHCN)).headers["ETag"] == before.headers["ETag"]

    audit = dept_admin.get(BASE.format(SKHCN) + "/audit").get_json()["items"]
    actions = [entry["action"] for entry in audit]
    assert actions[:4] == ["restore", "publish", "draft_save", "initial_publish"]
    assert {entry["ward"] for entry in audit} == {SKHCN}

    # Another department is untouched.
    assert client.get(BASE.format(SCT)).headers["X-Miniapp-Version"] == "1"


def test_discard_and_invalid_drafts(dept_admin):
    """Discarding a draft works; an invalid document is 422 naming the field in Vietnamese."""
    url = BASE.format(SKHCN) + "/draft"
    document = dept_admin.get(url).get_json()
    document["app"]["subtitle"] = "Nháp"
    assert dept_admin.put(url, json=document).status_code == 200
    assert dept_admin.get(url).headers["X-Miniapp-Draft"] == "true"
    assert dept_admin.delete(url).status_code == 204
    assert dept_admin.get(url).headers["X-Miniapp-Draft"] == "false"

    bad = copy.deepcopy(document)
    bad["app"]["theme"]["light"]["primary"] = "red"
    response = dept_admin.put(url, json=bad)
    assert response.status_code == 422
    assert "Màu phải có dạng #RRGGBB" in response.get_json()["error"]["message"]
    assert dept_admin.put(url, json=["not", "an", "object"]).status_code == 422
    # The ward block always comes from the department: a client cannot rename it.
    renamed = copy.deepcopy(document)
    renamed["ward"] = {"code": "00070", "name": "Phường Hoàn Kiếm", "type": "phuong"}
    saved = dept_admin.put(url, json=renamed).get_json()
    assert saved["ward"] == {"code": SKHCN, "name": "Sở Khoa học và Công nghệ", "type": "so"}
    # Nothing to publish without a change: 409.
    dept_admin.delete(url)
    assert dept_admin.post(BASE.format(SKHCN) + "/publish").status_code == 409


@pytest.mark.parametrize(
    "who",
    ["anonymous", "resident", "editor", "other_department", "ward_admin"],
)
def test_only_the_departments_admins_and_city_admins_manage_it(app, client, caller, who):
    """401 anonymous; 403 a resident, the department's editor, another department's admin, a
    ward admin; nothing written."""
    if who == "anonymous":
        response = client.get(BASE.format(SKHCN) + "/draft")
        assert response.status_code == 401
        return
    someone = {
        "resident": lambda: caller(RESIDENT),
        "editor": lambda: caller(DEPT_EDITOR, "department_editor", department=SKHCN),
        "other_department": lambda: caller(OTHER_DEPT_ADMIN, "department_admin", department=SCT),
        "ward_admin": lambda: caller(WARD_ADMIN, "ward_admin", ward=HOAN_KIEM),
    }[who]()
    for response in (
        someone.get(BASE.format(SKHCN) + "/draft"),
        someone.put(BASE.format(SKHCN) + "/draft", json={}),
        someone.post(BASE.format(SKHCN) + "/publish"),
        someone.get(BASE.format(SKHCN) + "/versions"),
        someone.post(BASE.format(SKHCN) + "/versions/1/restore"),
        someone.get(BASE.format(SKHCN) + "/audit"),
    ):
        assert response.status_code == 403, response.get_json()
        assert "sở, ngành này" in response.get_json()["error"]["message"]
    with app.app_context():
        assert (
            db.session.scalar(
                sa.select(sa.func.count())
                .select_from(MiniappVersion)
                .where(MiniappVersion.ward_code == SKHCN)
            )
            == 1
        )


def test_a_department_admin_cannot_manage_a_ward(caller):
    """A department's admin has no say over a ward's config."""
    admin = caller(DEPT_ADMIN, "department_admin", department=SKHCN)
    assert admin.get(WARD_BASE.format(HOAN_KIEM) + "/draft").status_code == 403


def test_a_city_admin_manages_any_department(client, city_admin):
    """City admins publish a department's config too."""
    version = _publish_subtitle(city_admin, SCT, "Công thương Thủ đô")
    assert version["version"] == 2
    assert client.get(BASE.format(SCT)).get_json()["app"]["subtitle"] == "Công thương Thủ đô"


def test_publish_and_restore_write_the_event_in_the_same_transaction(app, dept_admin):
    """miniapp.published goes to the department's feed, with the version and ETag."""
    assert _events(app) == []
    v2 = _publish_subtitle(dept_admin, SKHCN, "Phiên bản hai")
    restored = dept_admin.post(BASE.format(SKHCN) + "/versions/1/restore").get_json()
    events = _events(app)
    assert events == [
        ("department:SKHCN", None, {"department": SKHCN, "version": 2, "etag": v2["etag"]}),
        ("department:SKHCN", None, {"department": SKHCN, "version": 3, "etag": restored["etag"]}),
    ]


def test_a_refused_publish_writes_no_event(app, dept_admin):
    """No change, no version, no event: the event shares the publication's fate."""
    url = BASE.format(SKHCN)
    dept_admin.put(url + "/draft", json=dept_admin.get(url + "/draft").get_json())
    assert dept_admin.post(url + "/publish").status_code == 409
    assert _events(app) == []


def test_the_event_rolls_back_with_a_failed_publication(app, dept_admin, monkeypatch):
    """A publication that fails after the event is written leaves neither version nor event."""
    from miniapps.config.service import publishing

    original = publishing._emit_published

    def emit_then_fail(unit, version):
        original(unit, version)
        db.session.flush()
        raise RuntimeError("the request fails after the event")

    monkeypatch.setattr(publishing, "_emit_published", emit_then_fail)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    url = BASE.format(SKHCN)
    draft = dept_admin.get(url + "/draft").get_json()
    draft["app"]["subtitle"] = "Sẽ không còn"
    dept_admin.put(url + "/draft", json=draft)
    assert dept_admin.post(url + "/publish").status_code == 500
    assert _events(app) == []
    with app.app_context():
        assert (
            db.session.scalar(
                sa.select(sa.func.max(MiniappVersion.version)).where(
                    MiniappVersion.ward_code == SKHCN
                )
            )
            == 1
        )


def test_ward_publications_write_the_event_in_the_ward_feed(app, caller):
    """A ward's publish and restore report miniapp.published in the ward's feed."""
    admin = caller(WARD_ADMIN, "ward_admin", ward=HOAN_KIEM)
    url = WARD_BASE.format(HOAN_KIEM)
    draft = admin.get(url + "/draft").get_json()
    draft["app"]["subtitle"] = "Bên hồ Gươm"
    admin.put(url + "/draft", json=draft)
    v2 = admin.post(url + "/publish").get_json()
    v3 = admin.post(url + "/versions/1/restore").get_json()
    assert _events(app) == [
        ("ward:00070", HOAN_KIEM, {"ward": HOAN_KIEM, "version": 2, "etag": v2["etag"]}),
        ("ward:00070", HOAN_KIEM, {"ward": HOAN_KIEM, "version": 3, "etag": v3["etag"]}),
    ]


def test_the_department_template_republishes_only_departments(app, client, city_admin):
    """The city's "so" template reaches every department, and no ward."""
    template = city_admin.get("/api/v1/miniapp/templates/so")
    assert template.status_code == 200
    document = template.get_json()["document"]
    assert template.get_json()["version"] == 0
    ward_etag = client.get(WARD_BASE.format(HOAN_KIEM)).headers["ETag"]
    document["app"]["subtitle"] = "Sở, ngành Hà Nội phục vụ người dân"
    preview = city_admin.post("/api/v1/miniapp/templates/so/preview", json=document).get_json()
    assert sorted(preview["wards_reached"]) == sorted(
        d["code"] for d in client.get("/api/v1/departments").get_json()["items"]
    )
    saved = city_admin.put("/api/v1/miniapp/templates/so", json=document)
    assert saved.status_code == 200, saved.get_json()
    assert len(saved.get_json()["republished"]) == preview["count"]
    config = client.get(BASE.format(SKHCN)).get_json()
    assert config["app"]["subtitle"] == "Sở, ngành Hà Nội phục vụ người dân"
    assert client.get(WARD_BASE.format(HOAN_KIEM)).headers["ETag"] == ward_etag
    assert len(_events(app)) == preview["count"]
    assert city_admin.get("/api/v1/miniapp/templates/ban").status_code == 404


def test_idempotency_key_replays_a_department_publish(dept_admin):
    """Publishing with the same Idempotency-Key twice publishes once."""
    url = BASE.format(SKHCN)
    draft = dept_admin.get(url + "/draft").get_json()
    draft["app"]["subtitle"] = "Một lần"
    dept_admin.put(url + "/draft", json=draft)
    headers = {"Idempotency-Key": "dept-publish-0001"}
    first = dept_admin.post(url + "/publish", headers=headers)
    second = dept_admin.post(url + "/publish", headers=headers)
    assert first.status_code == second.status_code == 201
    assert second.headers.get("Idempotent-Replayed") == "true"
    assert first.get_json() == second.get_json()
