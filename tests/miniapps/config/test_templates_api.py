"""City templates through the API: reach, republication, overrides kept, validation."""

import pytest

from .conftest import DA_PHUC, GIANG_VO, HOAN_KIEM

TEMPLATE = "/api/v1/miniapp/templates/{}"
PREVIEW = "/api/v1/miniapp/templates/{}/preview"
PUBLIC = "/api/v1/wards/{}/miniapp"
DRAFT = "/api/v1/wards/{}/miniapp/draft"
PUBLISH = "/api/v1/wards/{}/miniapp/publish"


def publish(admin, ward, edit):
    """Edit the ward's draft with a function, and publish it."""
    document = admin.get(DRAFT.format(ward)).get_json()
    edit(document)
    assert admin.put(DRAFT.format(ward), json=document).status_code == 200
    response = admin.post(PUBLISH.format(ward))
    assert response.status_code == 201, response.get_json()


def set_subtitle(text):
    """Return an edit that sets the subtitle."""
    return lambda document: document["app"].update(subtitle=text)


def new_subtitle_template(city_admin, text="Chính quyền số gần dân"):
    """Return the phường template with a new subtitle."""
    template = city_admin.get(TEMPLATE.format("phuong")).get_json()["document"]
    template["app"]["subtitle"] = text
    return template


def test_only_city_admins_see_and_edit_templates(client, ward_admin, city_admin):
    """Templates are the city's: 401 anonymous, 403 for a ward admin, 404 unknown type."""
    assert client.get(TEMPLATE.format("phuong")).status_code == 401
    admin = ward_admin(HOAN_KIEM)
    assert admin.get(TEMPLATE.format("phuong")).status_code == 403
    template = city_admin.get(TEMPLATE.format("xa")).get_json()
    assert admin.put(TEMPLATE.format("xa"), json=template["document"]).status_code == 403
    assert admin.post(PREVIEW.format("xa"), json=template["document"]).status_code == 403
    assert template["type"] == "xa" and template["version"] == 0
    assert template["updated_at"] is None
    assert "ward" not in template["document"]
    assert city_admin.get(TEMPLATE.format("thanh-pho")).status_code == 404


def test_preview_shows_the_reach_and_saves_nothing(client, ward_admin, city_admin):
    """A ward that set the field itself is not reached; nothing changes on preview."""
    publish(ward_admin(HOAN_KIEM), HOAN_KIEM, set_subtitle("Phố cổ Hà Nội"))
    response = city_admin.post(PREVIEW.format("phuong"), json=new_subtitle_template(city_admin))
    assert response.status_code == 200
    reach = response.get_json()
    assert reach["changed_paths"] == ["app.subtitle"]
    assert reach["count"] == 50 == len(reach["wards_reached"])
    assert HOAN_KIEM not in reach["wards_reached"]
    assert GIANG_VO in reach["wards_reached"]
    assert city_admin.get(TEMPLATE.format("phuong")).get_json()["version"] == 0
    giang_vo = client.get(PUBLIC.format(GIANG_VO))
    assert giang_vo.get_json()["app"]["subtitle"] != "Chính quyền số gần dân"


def test_template_change_republishes_the_wards_it_reaches(client, ward_admin, city_admin):
    """Reached wards get a new version at once; a ward's own value and other types stay."""
    publish(ward_admin(HOAN_KIEM), HOAN_KIEM, set_subtitle("Phố cổ Hà Nội"))
    giang_vo_before = client.get(PUBLIC.format(GIANG_VO))
    da_phuc_before = client.get(PUBLIC.format(DA_PHUC))

    response = city_admin.put(TEMPLATE.format("phuong"), json=new_subtitle_template(city_admin))
    assert response.status_code == 200
    body = response.get_json()
    assert body["count"] == 50 and HOAN_KIEM not in body["wards_reached"]
    assert {"ward": GIANG_VO, "version": 2} in body["republished"]
    assert len(body["republished"]) == 50
    assert body["template"]["version"] == 1
    assert body["template"]["updated_by"] == city_admin.me["name"]

    giang_vo = client.get(PUBLIC.format(GIANG_VO))
    assert giang_vo.get_json()["app"]["subtitle"] == "Chính quyền số gần dân"
    assert giang_vo.headers["ETag"] != giang_vo_before.headers["ETag"]
    assert giang_vo.headers["X-Miniapp-Version"] == "2"
    hoan_kiem = client.get(PUBLIC.format(HOAN_KIEM))
    assert hoan_kiem.get_json()["app"]["subtitle"] == "Phố cổ Hà Nội"
    assert hoan_kiem.headers["X-Miniapp-Version"] == "2"
    assert client.get(PUBLIC.format(DA_PHUC)).data == da_phuc_before.data

    versions = city_admin.get(f"/api/v1/wards/{GIANG_VO}/miniapp/versions").get_json()["items"]
    assert versions[0]["summary"].startswith("Cập nhật mẫu chung")
    assert versions[0]["author"] == city_admin.me["name"]
    audit = city_admin.get(f"/api/v1/wards/{GIANG_VO}/miniapp/audit").get_json()["items"]
    assert audit[0]["action"] == "template_publish"
    assert audit[0]["details"]["template_version"] == 1


def test_template_change_keeps_a_wards_own_module_fields(client, ward_admin, city_admin):
    """Module fields merge by id: a ward that renamed a module keeps its name."""
    publish(
        ward_admin(HOAN_KIEM),
        HOAN_KIEM,
        lambda d: next(m for m in d["modules"] if m["id"] == "polls").update(title="Lấy ý kiến"),
    )
    template = city_admin.get(TEMPLATE.format("phuong")).get_json()["document"]
    polls = next(m for m in template["modules"] if m["id"] == "polls")
    polls["title"] = "Biểu quyết"
    polls["settings"]["show_closed"] = False
    body = city_admin.put(TEMPLATE.format("phuong"), json=template).get_json()
    assert set(body["changed_paths"]) == {
        "modules.polls.title",
        "modules.polls.settings.show_closed",
    }
    assert HOAN_KIEM in body["wards_reached"]  # reached by the settings change only

    def polls_of(ward):
        config = client.get(PUBLIC.format(ward)).get_json()
        return next(m for m in config["modules"] if m["id"] == "polls")

    assert polls_of(HOAN_KIEM)["title"] == "Lấy ý kiến"
    assert polls_of(HOAN_KIEM)["settings"]["show_closed"] is False
    assert polls_of(GIANG_VO)["title"] == "Biểu quyết"


def test_template_change_reaches_drafts(ward_admin, city_admin):
    """A draft keeps its own edits and picks up the new template for everything else."""
    admin = ward_admin(GIANG_VO)
    document = admin.get(DRAFT.format(GIANG_VO)).get_json()
    document["contacts"]["hotline"] = "024 3845 1234"
    admin.put(DRAFT.format(GIANG_VO), json=document)
    city_admin.put(TEMPLATE.format("phuong"), json=new_subtitle_template(city_admin))
    draft = admin.get(DRAFT.format(GIANG_VO))
    assert draft.headers["X-Miniapp-Draft"] == "true"
    assert draft.get_json()["app"]["subtitle"] == "Chính quyền số gần dân"
    assert draft.get_json()["contacts"]["hotline"] == "024 3845 1234"


def test_unchanged_template_reaches_nobody(city_admin):
    """Saving the template as it is changes nothing and publishes nothing."""
    template = city_admin.get(TEMPLATE.format("xa")).get_json()["document"]
    body = city_admin.put(TEMPLATE.format("xa"), json=template).get_json()
    assert body["count"] == 0 and body["republished"] == [] and body["changed_paths"] == []
    assert body["template"]["version"] == 0


@pytest.mark.parametrize("endpoint", [TEMPLATE, PREVIEW])
def test_invalid_template_is_422_naming_the_fields(city_admin, endpoint):
    """A broken template is refused with its fields named; a ward block is not allowed."""
    template = city_admin.get(TEMPLATE.format("phuong")).get_json()["document"]
    template["app"]["theme"]["dark"]["text"] = "white"
    template["min_host_version"] = "1.0"
    send = city_admin.put if endpoint == TEMPLATE else city_admin.post
    response = send(endpoint.format("phuong"), json=template)
    assert response.status_code == 422
    assert set(response.get_json()["error"]["details"]["fields"]) == {
        "app.theme.dark.text",
        "min_host_version",
    }
    with_ward = {**template, "ward": {"code": "00070"}}
    response = send(endpoint.format("phuong"), json=with_ward)
    assert list(response.get_json()["error"]["details"]["fields"]) == ["ward"]
    assert send(endpoint.format("phuong"), json=[1]).status_code == 422
    assert city_admin.get(TEMPLATE.format("phuong")).get_json()["version"] == 0


def test_template_that_would_break_a_ward_is_refused(client, ward_admin, city_admin):
    """Turning off a module a ward keeps in its own tab bar is refused, naming that ward."""

    def own_tab_bar(document):
        document["tab_bar"] = ["notices", "market", "contacts"]

    publish(ward_admin(HOAN_KIEM), HOAN_KIEM, own_tab_bar)
    template = city_admin.get(TEMPLATE.format("phuong")).get_json()["document"]
    next(m for m in template["modules"] if m["id"] == "market")["enabled"] = False
    template["tab_bar"] = ["notices", "polls", "communities", "contacts"]
    response = city_admin.put(TEMPLATE.format("phuong"), json=template)
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "template_breaks_wards"
    assert list(error["details"]["wards"]) == [HOAN_KIEM]
    assert "tab_bar.1" in error["details"]["wards"][HOAN_KIEM]
    assert client.get(PUBLIC.format(GIANG_VO)).headers["X-Miniapp-Version"] == "1"
