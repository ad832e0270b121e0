"""Categories per ward: the city's defaults from the start, changed by the ward's staff."""

import sqlalchemy as sa

from app.extensions import db
from reports.defaults import DEFAULT_CATEGORIES
from reports.models import ReportCategory
from tests.reports.conftest import OTHER_WARD, WARD, report_body


def _count(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(ReportCategory))


def test_every_ward_starts_with_the_city_defaults_and_reading_writes_nothing(client, app):
    """Any of the 126 units lists the defaults (code, name, group, deadline, description)."""
    for ward in (WARD, "hoan-kiem", "00025", "09661"):
        response = client.get(f"/api/v1/wards/{ward}/report-categories")
        assert response.status_code == 200
        items = response.get_json()["items"]
        assert [i["code"] for i in items] == [d.code for d in DEFAULT_CATEGORIES]
        for item in items:
            assert {"code", "name", "group", "deadline_days", "description"} <= set(item)
            assert item["deadline_days"] >= 1 and item["name"]
    assert _count(app) == 0
    assert client.get("/api/v1/wards/khong-co/report-categories").status_code == 404


def test_staff_add_a_category_and_residents_report_under_it(api, people, staff, app):
    """201 for staff, 409 for a code taken, 403 for a resident, 401 for nobody."""
    body = {
        "code": "cap_nuoc",
        "name": "Cấp nước sinh hoạt",
        "group": "Hạ tầng đô thị",
        "description": "Mất nước, vỡ ống nước.",
        "deadline_days": 2,
    }
    api.logout()
    assert api.post(f"/api/v1/wards/{WARD}/report-categories", json=body).status_code == 401
    api.login(people[3])
    assert api.post(f"/api/v1/wards/{WARD}/report-categories", json=body).status_code == 403
    api.login(staff)
    created = api.post(f"/api/v1/wards/{WARD}/report-categories", json=body)
    assert created.status_code == 201, created.get_json()
    assert created.get_json()["code"] == "cap_nuoc"
    again = api.post(f"/api/v1/wards/{WARD}/report-categories", json=body)
    assert again.status_code == 409
    taken_default = api.post(
        f"/api/v1/wards/{WARD}/report-categories", json={**body, "code": "rac_thai"}
    )
    assert taken_default.status_code == 409
    bad = api.post(f"/api/v1/wards/{WARD}/report-categories", json={**body, "code": "Cấp Nước"})
    assert bad.status_code == 422
    codes = [
        i["code"] for i in api.get(f"/api/v1/wards/{WARD}/report-categories").get_json()["items"]
    ]
    assert codes == [d.code for d in DEFAULT_CATEGORIES] + ["cap_nuoc"]
    # Another ward is untouched, and does not take the new code.
    other = api.get(f"/api/v1/wards/{OTHER_WARD}/report-categories").get_json()["items"]
    assert "cap_nuoc" not in [i["code"] for i in other]

    api.login(people[2])
    sent = api.post("/api/v1/reports", json=report_body(category="cap_nuoc"))
    assert sent.status_code == 201 and sent.get_json()["category_name"] == "Cấp nước sinh hoạt"
    elsewhere = api.post(
        "/api/v1/reports",
        json=report_body(ward=OTHER_WARD, category="cap_nuoc", lat=21.0278, long=105.819),
    )
    assert elsewhere.status_code == 422


def test_staff_change_a_category_deadline_and_retire_one(api, people, staff):
    """PATCH by code: a new deadline applies to new reports; a retired one takes none."""
    url = f"/api/v1/wards/{WARD}/report-categories"
    api.login(people[2])
    before = api.post("/api/v1/reports", json=report_body(category="khac")).get_json()

    api.login(people[3])
    assert api.patch(f"{url}/khac", json={"deadline_days": 1}).status_code == 403
    api.login(staff)
    changed = api.patch(f"{url}/khac", json={"deadline_days": 10, "name": "Vấn đề khác"})
    assert changed.status_code == 200, changed.get_json()
    assert changed.get_json()["deadline_days"] == 10
    assert api.patch(f"{url}/khong_co", json={"deadline_days": 3}).status_code == 404
    assert api.patch(f"{url}/khac", json={"deadline_days": 0}).status_code == 422
    assert api.patch(f"{url}/khac", json={"code": "x"}).status_code == 422

    api.login(people[2])
    after = api.post("/api/v1/reports", json=report_body(category="khac")).get_json()
    assert after["due_at"] > before["due_at"]
    assert api.get(f"/api/v1/reports/{before['id']}").get_json()["due_at"] == before["due_at"]

    api.login(staff)
    assert api.patch(f"{url}/tieng_on", json={"active": False}).status_code == 200
    public = [i["code"] for i in api.get(url).get_json()["items"]]
    assert "tieng_on" not in public
    everything = api.get(f"{url}?include_inactive=true").get_json()["items"]
    assert {"code": "tieng_on", "active": False}.items() <= next(
        i for i in everything if i["code"] == "tieng_on"
    ).items()
    api.login(people[2])
    assert api.get(f"{url}?include_inactive=true").status_code == 403
    assert api.post("/api/v1/reports", json=report_body(category="tieng_on")).status_code == 422
