"""The 126 wards: import, search and lookup."""

import sqlalchemy as sa

from app.extensions import db
from app.wards import service
from app.wards.models import Ward


def test_all_126_units_with_official_codes(client):
    """The list holds 51 phường and 75 xã, with 5-digit codes."""
    items, cursor = [], None
    while True:
        url = "/api/v1/wards?limit=200" + (f"&cursor={cursor}" if cursor else "")
        body = client.get(url).get_json()
        items += body["items"]
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert len(items) == 126
    assert sum(w["type"] == "phuong" for w in items) == 51
    assert sum(w["type"] == "xa" for w in items) == 75
    assert all(len(w["code"]) == 5 and w["code"].isdigit() for w in items)
    assert {
        "code": "00070",
        "name": "Phường Hoàn Kiếm",
        "type": "phuong",
        "slug": "hoan-kiem",
    } in items


def test_pagination_walks_every_ward_once(client):
    """Small pages with the cursor give every ward exactly once."""
    seen, cursor = [], None
    for _ in range(20):
        url = "/api/v1/wards?limit=10" + (f"&cursor={cursor}" if cursor else "")
        body = client.get(url).get_json()
        seen += [w["code"] for w in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == 126 == len(set(seen))


def test_search_with_and_without_diacritics(client):
    """'hoan kiem' and 'Hoàn Kiếm' both find Phường Hoàn Kiếm; 'đa phúc' and 'da phuc' too."""
    for q in ("hoan kiem", "Hoàn Kiếm", "HOAN KIEM"):
        names = [w["name"] for w in client.get(f"/api/v1/wards?q={q}").get_json()["items"]]
        assert names == ["Phường Hoàn Kiếm"], q
    for q in ("đa phúc", "da phuc"):
        names = [w["name"] for w in client.get(f"/api/v1/wards?q={q}").get_json()["items"]]
        assert "Xã Đa Phúc" in names, q


def test_search_wildcards_are_literal(client):
    """A '%' in the query matches nothing rather than everything."""
    assert client.get("/api/v1/wards?q=%25").get_json()["items"] == []


def test_get_by_code_or_slug(client):
    """A ward is found by its code or its slug; an unknown one is a JSON 404."""
    by_code = client.get("/api/v1/wards/00070").get_json()
    by_slug = client.get("/api/v1/wards/hoan-kiem").get_json()
    assert by_code == by_slug
    assert by_code["name"] == "Phường Hoàn Kiếm"
    assert client.get("/api/v1/wards/van-mieu-quoc-tu-giam").status_code == 200
    missing = client.get("/api/v1/wards/khong-co")
    assert missing.status_code == 404
    assert missing.get_json()["error"]["code"] == "ward_not_found"


def test_limit_out_of_range_is_422(client):
    """limit above 200 is refused with the field named."""
    response = client.get("/api/v1/wards?limit=500")
    assert response.status_code == 422
    assert "limit" in response.get_json()["error"]["details"]["fields"]


def test_sync_is_idempotent_and_repairs(app):
    """Running sync twice changes nothing; a damaged row is restored."""
    with app.app_context():
        first = service.sync()
        assert first["created"] == 0 and first["updated"] == 0
        ward = db.session.get(Ward, "00070")
        ward.name = "sai"
        db.session.commit()
        second = service.sync()
        db.session.commit()
        assert second["updated"] == 1
        assert db.session.get(Ward, "00070").name == "Phường Hoàn Kiếm"
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Ward)) == 126
