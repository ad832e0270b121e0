"""The miniapp config API: public read, drafts, publishing, versions, restore, permissions."""

import os

import pytest
import sqlalchemy as sa

from app.departments.service import DEPARTMENTS
from app.extensions import db
from miniapps.config.document import validate_document
from miniapps.config.models import MiniappAuditEntry, MiniappVersion
from tests.conftest import make_app

from .conftest import DA_PHUC, GIANG_VO, HOAN_KIEM

PUBLIC = "/api/v1/wards/{}/miniapp"
DRAFT = "/api/v1/wards/{}/miniapp/draft"
PUBLISH = "/api/v1/wards/{}/miniapp/publish"
VERSIONS = "/api/v1/wards/{}/miniapp/versions"
AUDIT = "/api/v1/wards/{}/miniapp/audit"


def edit_subtitle(admin, ward, subtitle):
    """Save a draft that only changes the subtitle; return the draft."""
    document = admin.get(DRAFT.format(ward)).get_json()
    document["app"]["subtitle"] = subtitle
    response = admin.put(DRAFT.format(ward), json=document)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def publish_subtitle(admin, ward, subtitle, **body):
    """Save and publish a new subtitle; return the new version."""
    edit_subtitle(admin, ward, subtitle)
    response = admin.post(PUBLISH.format(ward), json=body or None)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


# --- public read -----------------------------------------------------------------------------


def test_every_ward_serves_a_valid_published_config(client):
    """All 126 wards answer with a valid config of their own, version 1, from the start."""
    wards = client.get("/api/v1/wards?limit=200").get_json()["items"]
    assert len(wards) == 126
    for ward in wards:
        response = client.get(PUBLIC.format(ward["code"]))
        assert response.status_code == 200, ward
        config = response.get_json()
        assert validate_document(config) == {}
        assert config["ward"] == {k: ward[k] for k in ("code", "name", "type")}
        assert config["app"]["title"] == ward["name"]
        assert response.headers["X-Miniapp-Version"] == "1"
    by_type = {w["code"]: w["type"] for w in wards}
    assert client.get(PUBLIC.format(DA_PHUC)).get_json()["ward"]["type"] == by_type[DA_PHUC]


def test_slug_and_code_give_the_same_config(client):
    """A ward's slug serves the same bytes and ETag as its code."""
    by_code = client.get(PUBLIC.format(HOAN_KIEM))
    by_slug = client.get(PUBLIC.format("hoan-kiem"))
    assert by_slug.status_code == 200
    assert by_slug.data == by_code.data
    assert by_slug.headers["ETag"] == by_code.headers["ETag"]


def test_unknown_ward_is_404(client):
    """A ward that does not exist answers 404 in the error format."""
    response = client.get(PUBLIC.format("99999"))
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "ward_not_found"


def test_strong_stable_etag_and_cache_control(client):
    """The ETag is strong, the same on every read, and clients must revalidate."""
    first = client.get(PUBLIC.format(HOAN_KIEM))
    second = client.get(PUBLIC.format(HOAN_KIEM))
    etag = first.headers["ETag"]
    assert etag.startswith('"') and etag.endswith('"') and not etag.startswith("W/")
    assert second.headers["ETag"] == etag
    assert second.data == first.data
    assert first.mimetype == "application/json"
    cache_control = first.headers["Cache-Control"]
    assert "no-cache" in cache_control or "max-age=0" in cache_control


@pytest.mark.parametrize(
    "header",
    [
        "{etag}",
        '"something-else", {etag}',
        "*",
        "W/{etag}",
    ],
)
def test_if_none_match_gives_304(client, header):
    """If-None-Match naming the current ETag (alone, in a list, weak, or *) gives 304."""
    etag = client.get(PUBLIC.format(HOAN_KIEM)).headers["ETag"]
    response = client.get(
        PUBLIC.format(HOAN_KIEM), headers={"If-None-Match": header.format(etag=etag)}
    )
    assert response.status_code == 304
    assert response.data == b""
    assert response.headers["ETag"] == etag


def test_other_etag_gives_200(client):
    """An If-None-Match that names another ETag gets the whole config."""
    response = client.get(PUBLIC.format(HOAN_KIEM), headers={"If-None-Match": '"stale"'})
    assert response.status_code == 200
    assert response.get_json()["ward"]["code"] == HOAN_KIEM


# --- drafts and publishing -------------------------------------------------------------------


def test_draft_defaults_to_the_published_document(client, ward_admin):
    """With no draft, GET draft returns the published document."""
    admin = ward_admin(HOAN_KIEM)
    response = admin.get(DRAFT.format(HOAN_KIEM))
    assert response.status_code == 200
    assert response.headers["X-Miniapp-Draft"] == "false"
    assert response.get_json() == client.get(PUBLIC.format(HOAN_KIEM)).get_json()


def test_publish_changes_the_etag_and_the_next_read(client, ward_admin):
    """Saving a draft changes nothing public; publishing does, at once, with a new ETag."""
    admin = ward_admin(HOAN_KIEM)
    before = client.get(PUBLIC.format(HOAN_KIEM))
    draft = edit_subtitle(admin, HOAN_KIEM, "Trái tim của Thủ đô")
    assert draft["app"]["subtitle"] == "Trái tim của Thủ đô"
    assert admin.get(DRAFT.format(HOAN_KIEM)).headers["X-Miniapp-Draft"] == "true"
    assert client.get(PUBLIC.format(HOAN_KIEM)).headers["ETag"] == before.headers["ETag"]

    response = admin.post(PUBLISH.format(HOAN_KIEM))
    assert response.status_code == 201
    version = response.get_json()
    assert version["version"] == 2
    assert version["author"] == admin.me["name"]
    assert version["summary"] == "Đổi app.subtitle"
    assert version["published_at"].endswith("+07:00")

    after = client.get(PUBLIC.format(HOAN_KIEM))
    assert after.headers["ETag"] != before.headers["ETag"]
    assert after.headers["ETag"] == version["etag"]
    assert after.headers["X-Miniapp-Version"] == "2"
    assert after.get_json()["app"]["subtitle"] == "Trái tim của Thủ đô"
    stale = client.get(PUBLIC.format(HOAN_KIEM), headers={"If-None-Match": before.headers["ETag"]})
    assert stale.status_code == 200
    # Publishing cleared the draft: the editor starts again from the live document.
    draft_after = admin.get(DRAFT.format(HOAN_KIEM))
    assert draft_after.headers["X-Miniapp-Draft"] == "false"
    assert draft_after.get_json() == after.get_json()


def test_publish_with_a_summary(ward_admin):
    """A summary given with the publication is kept."""
    admin = ward_admin(HOAN_KIEM)
    version = publish_subtitle(admin, HOAN_KIEM, "Phố cổ", summary="Thêm khẩu hiệu mới")
    assert version["summary"] == "Thêm khẩu hiệu mới"


def test_a_publish_is_seen_by_another_worker_at_once(client, ward_admin, database_url):
    """A second app on the same database (another worker) serves the new version at once."""
    worker = make_app(database_url, os.environ["PXS_TEST_INSTANCE"])
    try:
        other_worker = worker.test_client()
        first = other_worker.get(PUBLIC.format(HOAN_KIEM))
        assert first.headers["X-Miniapp-Version"] == "1"
        again = other_worker.get(PUBLIC.format(HOAN_KIEM))
        assert again.headers["ETag"] == first.headers["ETag"]

        version = publish_subtitle(ward_admin(HOAN_KIEM), HOAN_KIEM, "Hồ Gươm xanh")

        after = other_worker.get(
            PUBLIC.format(HOAN_KIEM), headers={"If-None-Match": first.headers["ETag"]}
        )
        assert after.status_code == 200
        assert after.headers["ETag"] == version["etag"]
        assert after.get_json()["app"]["subtitle"] == "Hồ Gươm xanh"
    finally:
        with worker.app_context():
            db.session.remove()
            db.engine.dispose()


def test_publish_without_draft_or_without_change_is_409(ward_admin):
    """Nothing to publish: no draft, or a draft equal to the published config."""
    admin = ward_admin(HOAN_KIEM)
    response = admin.post(PUBLISH.format(HOAN_KIEM))
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "no_draft"
    document = admin.get(DRAFT.format(HOAN_KIEM)).get_json()
    assert admin.put(DRAFT.format(HOAN_KIEM), json=document).status_code == 200
    response = admin.post(PUBLISH.format(HOAN_KIEM))
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "no_changes"


def test_discard_draft(ward_admin):
    """Deleting the draft brings the editor back to the published document."""
    admin = ward_admin(HOAN_KIEM)
    edit_subtitle(admin, HOAN_KIEM, "Bản thử")
    assert admin.delete(DRAFT.format(HOAN_KIEM)).status_code == 204
    response = admin.get(DRAFT.format(HOAN_KIEM))
    assert response.headers["X-Miniapp-Draft"] == "false"
    assert response.get_json()["app"]["subtitle"] != "Bản thử"


def test_draft_ward_block_comes_from_the_ward(ward_admin):
    """A draft cannot move the config to another ward: the ward block is the ward's own."""
    admin = ward_admin(HOAN_KIEM)
    document = admin.get(DRAFT.format(HOAN_KIEM)).get_json()
    document["ward"] = {"code": "00025", "name": "Phường Giảng Võ", "type": "phuong"}
    saved = admin.put(DRAFT.format(HOAN_KIEM), json=document).get_json()
    assert saved["ward"]["code"] == HOAN_KIEM


def test_invalid_document_is_422_naming_the_fields(ward_admin):
    """An invalid document is refused with every broken field named by its dotted path."""
    admin = ward_admin(HOAN_KIEM)
    document = admin.get(DRAFT.format(HOAN_KIEM)).get_json()
    document["app"]["title"] = "   "
    document["app"]["theme"]["light"]["primary"] = "red"
    document["contacts"]["hotline"] = "12"
    document["colour"] = "#FFFFFF"
    response = admin.put(DRAFT.format(HOAN_KIEM), json=document)
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "validation_error"
    fields = error["details"]["fields"]
    assert {
        "app.title",
        "app.theme.light.primary",
        "contacts.hotline",
        "colour",
    } <= set(fields)
    assert all(isinstance(m, str) and m for messages in fields.values() for m in messages)
    # People read labels, programs read paths.
    assert "Ứng dụng – Tên miniapp: " in error["message"]
    assert "app.title" not in error["message"]
    by_field = {e["field"]: e for e in error["details"]["errors"]}
    assert by_field["app.title"]["label"] == "Ứng dụng – Tên miniapp"
    # Nothing was stored.
    assert admin.get(DRAFT.format(HOAN_KIEM)).headers["X-Miniapp-Draft"] == "false"


def test_tab_bar_naming_an_unknown_module_is_422(ward_admin):
    """A tab that names no module is refused, naming the tab's position."""
    admin = ward_admin(HOAN_KIEM)
    document = admin.get(DRAFT.format(HOAN_KIEM)).get_json()
    document["tab_bar"] = ["notices", "khong-co"]
    response = admin.put(DRAFT.format(HOAN_KIEM), json=document)
    assert response.status_code == 422
    assert list(response.get_json()["error"]["details"]["fields"]) == ["tab_bar.1"]


@pytest.mark.parametrize("body", [[], "text", 3])
def test_a_document_that_is_not_an_object_is_422(ward_admin, body):
    """A JSON body that is not an object is refused as invalid, not a server error."""
    admin = ward_admin(HOAN_KIEM)
    response = admin.put(DRAFT.format(HOAN_KIEM), json=body)
    assert response.status_code == 422
    assert response.get_json()["error"]["details"]["fields"]


# --- versions and restore --------------------------------------------------------------------


def test_version_1_is_listed_from_the_start(ward_admin):
    """A ward nobody has touched lists version 1, made by the system from the template."""
    admin = ward_admin(DA_PHUC)
    body = admin.get(VERSIONS.format(DA_PHUC)).get_json()
    assert body["next_cursor"] is None
    [first] = body["items"]
    assert first["version"] == 1
    assert first["author"] is None
    assert first["summary"]
    assert first["published_at"].endswith("+07:00")


def test_versions_newest_first_with_pagination(ward_admin):
    """Versions come newest first; the cursor walks them all once."""
    admin = ward_admin(HOAN_KIEM)
    for n in range(3):
        publish_subtitle(admin, HOAN_KIEM, f"Khẩu hiệu {n}")
    page1 = admin.get(VERSIONS.format(HOAN_KIEM) + "?limit=2").get_json()
    assert [v["version"] for v in page1["items"]] == [4, 3]
    assert set(page1["items"][0]) >= {"version", "published_at", "author", "summary"}
    page2 = admin.get(VERSIONS.format(HOAN_KIEM) + f"?limit=2&cursor={page1['next_cursor']}")
    assert [v["version"] for v in page2.get_json()["items"]] == [2, 1]
    assert page2.get_json()["next_cursor"] is None


def test_get_one_version(ward_admin):
    """One version comes with its document."""
    admin = ward_admin(HOAN_KIEM)
    publish_subtitle(admin, HOAN_KIEM, "Phiên bản hai")
    body = admin.get(VERSIONS.format(HOAN_KIEM) + "/2").get_json()
    assert body["version"] == 2
    assert body["document"]["app"]["subtitle"] == "Phiên bản hai"
    missing = admin.get(VERSIONS.format(HOAN_KIEM) + "/9")
    assert missing.status_code == 404
    assert missing.get_json()["error"]["code"] == "version_not_found"


def test_restore_publishes_an_old_version_again(client, ward_admin):
    """Restoring version 1 publishes its document as version 3; the public read follows."""
    admin = ward_admin(HOAN_KIEM)
    original = client.get(PUBLIC.format(HOAN_KIEM))
    publish_subtitle(admin, HOAN_KIEM, "Tạm thời")
    response = admin.post(VERSIONS.format(HOAN_KIEM) + "/1/restore")
    assert response.status_code == 201
    restored = response.get_json()
    assert restored["version"] == 3
    assert restored["summary"].startswith("Khôi phục phiên bản 1")
    assert restored["author"] == admin.me["name"]
    now = client.get(PUBLIC.format(HOAN_KIEM))
    assert now.headers["X-Miniapp-Version"] == "3"
    assert now.data == original.data  # the same bytes, hence the same strong ETag
    assert now.headers["ETag"] == original.headers["ETag"]
    versions = admin.get(VERSIONS.format(HOAN_KIEM)).get_json()["items"]
    assert [v["version"] for v in versions] == [3, 2, 1]
    # Restoring what is already live changes nothing.
    again = admin.post(VERSIONS.format(HOAN_KIEM) + "/3/restore")
    assert again.status_code == 409
    assert admin.post(VERSIONS.format(HOAN_KIEM) + "/42/restore").status_code == 404


# --- permissions -----------------------------------------------------------------------------

STAFF_READS = [DRAFT, VERSIONS, VERSIONS + "/1", AUDIT]


@pytest.mark.parametrize("url", STAFF_READS)
def test_anonymous_staff_reads_are_401(client, url):
    """Staff endpoints need a signed-in caller."""
    response = client.get(url.format(HOAN_KIEM))
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"


def test_anonymous_writes_are_401(client):
    """Writes without a session are 401, not 403 or 500."""
    assert client.put(DRAFT.format(HOAN_KIEM), json={}).status_code == 401
    assert client.post(PUBLISH.format(HOAN_KIEM)).status_code == 401


@pytest.mark.parametrize("url", STAFF_READS)
def test_residents_and_other_wards_admins_are_403(resident, ward_admin, caller, url):
    """A resident, another ward's admin, and the ward's own editor may not manage the config."""
    from app.identity.demo import staff_sub

    editor = caller(staff_sub(HOAN_KIEM, "ward_editor"), role="ward_editor", ward=HOAN_KIEM)
    for who in (resident, ward_admin(GIANG_VO), editor):
        response = who.get(url.format(HOAN_KIEM))
        assert response.status_code == 403, url
        assert response.get_json()["error"]["code"] == "forbidden"


def test_other_wards_admin_cannot_write(ward_admin, client):
    """Another ward's admin cannot save, publish or restore."""
    other = ward_admin(GIANG_VO)
    document = client.get(PUBLIC.format(HOAN_KIEM)).get_json()
    assert other.put(DRAFT.format(HOAN_KIEM), json=document).status_code == 403
    assert other.post(PUBLISH.format(HOAN_KIEM)).status_code == 403
    assert other.post(VERSIONS.format(HOAN_KIEM) + "/1/restore").status_code == 403
    assert other.delete(DRAFT.format(HOAN_KIEM)).status_code == 403


def test_city_admin_manages_any_ward(city_admin, client):
    """The city admin edits and publishes any ward's config."""
    version = publish_subtitle(city_admin, DA_PHUC, "Do thành phố cập nhật")
    assert version["author"] == city_admin.me["name"]
    assert client.get(PUBLIC.format(DA_PHUC)).get_json()["app"]["subtitle"] == (
        "Do thành phố cập nhật"
    )


def test_cookie_writes_need_the_csrf_header(ward_admin):
    """A cookie-authenticated PUT without X-CSRF-Token is refused."""
    admin = ward_admin(HOAN_KIEM)
    document = admin.get(DRAFT.format(HOAN_KIEM)).get_json()
    response = admin.client.put(DRAFT.format(HOAN_KIEM), json=document)
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "csrf_failed"
    assert admin.client.post(PUBLISH.format(HOAN_KIEM)).status_code == 403


# --- audit log -------------------------------------------------------------------------------


def test_every_change_is_audited(ward_admin, resident):
    """Saving, publishing, discarding and restoring each leave an entry: who, what, when."""
    admin = ward_admin(HOAN_KIEM)
    publish_subtitle(admin, HOAN_KIEM, "Một")
    edit_subtitle(admin, HOAN_KIEM, "Hai")
    admin.delete(DRAFT.format(HOAN_KIEM))
    admin.post(VERSIONS.format(HOAN_KIEM) + "/1/restore")
    body = admin.get(AUDIT.format(HOAN_KIEM)).get_json()
    actions = [entry["action"] for entry in body["items"]]
    assert actions == [
        "restore",
        "draft_discard",
        "draft_save",
        "publish",
        "draft_save",
        "initial_publish",
    ]
    latest = body["items"][0]
    assert latest["actor"] == admin.me["name"]
    assert latest["details"]["version"] == 3
    assert latest["details"]["restored_version"] == 1
    assert latest["at"].endswith("+07:00")
    assert body["items"][-1]["actor"] is None  # version 1 is the system's
    assert body["items"][3]["details"]["changed_paths"] == ["app.subtitle"]
    assert resident.get(AUDIT.format(HOAN_KIEM)).status_code == 403


# --- personal data ---------------------------------------------------------------------------


def test_author_of_an_erased_account_shows_null(ward_admin, city_admin):
    """Versions keep their author's id only: once the account is erased, no name shows."""
    admin = ward_admin(HOAN_KIEM)
    publish_subtitle(admin, HOAN_KIEM, "Trước khi xóa")
    export = admin.get("/api/v1/me/data").get_json()
    assert export["miniapp_config"]["published_versions"][0]["ward"] == HOAN_KIEM
    assert export["miniapp_config"]["published_versions"][0]["published_at"].endswith("+07:00")
    assert export["miniapp_config"]["audit_entries"][0]["at"].endswith("+07:00")
    assert admin.delete("/api/v1/me").status_code == 204
    versions = city_admin.get(VERSIONS.format(HOAN_KIEM)).get_json()["items"]
    assert versions[0]["version"] == 2 and versions[0]["author"] is None


# --- demo data and all wards -----------------------------------------------------------------


def test_demo_loader_publishes_every_ward_and_two_local_edits(app, client):
    """The demo loader gives all 126 wards version 1, and Hoàn Kiếm and Đa Phúc a version 2."""
    from app.identity import demo as identity_demo
    from miniapps.config import demo

    for _ in range(2):  # idempotent
        with app.app_context():
            identity_demo.load()
            demo.load()
            db.session.commit()
    with app.app_context():
        counts = dict(
            db.session.execute(
                sa.select(MiniappVersion.ward_code, sa.func.count()).group_by(
                    MiniappVersion.ward_code
                )
            ).all()
        )
    # The departments (letter codes) hold version 1 of their own configs beside the wards.
    departments = {code: n for code, n in counts.items() if not code.isdigit()}
    assert set(departments) == {"SKHCN", "SCT", "SVHTT", "SDL", "SNNMT", "SGDDT", "THUE"}
    assert set(departments.values()) == {1}
    counts = {code: n for code, n in counts.items() if code.isdigit()}
    assert len(counts) == 126
    assert {code for code, n in counts.items() if n == 2} == {HOAN_KIEM, DA_PHUC}
    assert all(n in (1, 2) for n in counts.values())
    hoan_kiem = client.get(PUBLIC.format(HOAN_KIEM))
    assert hoan_kiem.headers["X-Miniapp-Version"] == "2"
    da_phuc = client.get(PUBLIC.format(DA_PHUC)).get_json()
    assert "market" in da_phuc["tab_bar"]


def _forget_every_version(app) -> None:
    """Make the database look like one synced before wards had their version 1 at creation."""
    with app.app_context():
        db.session.execute(sa.delete(MiniappAuditEntry))
        db.session.execute(sa.delete(MiniappVersion))
        db.session.commit()


def _version_count(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(MiniappVersion))


def test_wards_sync_gives_every_ward_a_valid_version_1_once(app):
    """`flask wards sync` publishes version 1 for each ward without one; again, nothing new."""
    _forget_every_version(app)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["wards", "sync"]).exit_code == 0
    assert runner.invoke(args=["wards", "sync"]).exit_code == 0
    with app.app_context():
        rows = db.session.scalars(sa.select(MiniappVersion)).all()
    assert len(rows) == 126 and {row.version for row in rows} == {1}
    assert all(validate_document(row.document) == {} for row in rows)
    assert len({row.etag for row in rows}) == 126


def test_miniapp_init_gives_the_missing_versions_1(app):
    """`flask miniapp init` does the same for a database synced before (idempotent)."""
    _forget_every_version(app)
    runner = app.test_cli_runner()
    first = runner.invoke(args=["miniapp", "init"]).output
    assert "126 wards" in first and f"{len(DEPARTMENTS)} departments" in first
    assert "0 wards and 0 departments" in runner.invoke(args=["miniapp", "init"]).output
    assert _version_count(app) == 126 + len(DEPARTMENTS)


def test_reads_never_write(app, client, ward_admin):
    """The public read and the staff reads answer from what is stored, and store nothing."""
    admin = ward_admin(GIANG_VO)
    before = _version_count(app)
    for url in (
        PUBLIC.format(GIANG_VO),
        DRAFT.format(GIANG_VO),
        VERSIONS.format(GIANG_VO),
        VERSIONS.format(GIANG_VO) + "/1",
        AUDIT.format(GIANG_VO),
    ):
        assert admin.get(url).status_code == 200, url
    assert _version_count(app) == before

    _forget_every_version(app)
    missing = client.get(PUBLIC.format(GIANG_VO))
    assert missing.status_code == 404
    assert missing.get_json()["error"]["code"] == "miniapp_not_published"
    assert admin.get(DRAFT.format(GIANG_VO)).status_code == 404
    assert _version_count(app) == 0


def test_openapi_documents_the_endpoints(client):
    """Every miniapp endpoint is in the OpenAPI document, with a summary and schemas."""
    spec = client.get("/api/openapi.json").get_json()
    paths = spec["paths"]
    for path, methods in {
        "/api/v1/wards/{ward}/miniapp": ["get"],
        "/api/v1/wards/{ward}/miniapp/draft": ["get", "put", "delete"],
        "/api/v1/wards/{ward}/miniapp/publish": ["post"],
        "/api/v1/wards/{ward}/miniapp/versions": ["get"],
        "/api/v1/wards/{ward}/miniapp/versions/{number}": ["get"],
        "/api/v1/wards/{ward}/miniapp/versions/{number}/restore": ["post"],
        "/api/v1/wards/{ward}/miniapp/audit": ["get"],
        "/api/v1/miniapp/templates/{ward_type}": ["get", "put"],
        "/api/v1/miniapp/templates/{ward_type}/preview": ["post"],
    }.items():
        for method in methods:
            assert paths[path][method]["summary"], (path, method)
    assert "MiniappConfig" in spec["components"]["schemas"]
    ok = paths["/api/v1/wards/{ward}/miniapp"]["get"]["responses"]
    assert "304" in ok and "ETag" in ok["200"]["headers"]


def test_head_answers_like_get_without_a_body(client):
    """HEAD gives the same ETag and a 304 on a match, as GET does."""
    etag = client.get(PUBLIC.format(HOAN_KIEM)).headers["ETag"]
    head = client.head(PUBLIC.format(HOAN_KIEM))
    assert head.status_code == 200 and head.headers["ETag"] == etag and head.data == b""
    matched = client.head(PUBLIC.format(HOAN_KIEM), headers={"If-None-Match": etag})
    assert matched.status_code == 304
