"""Liveness, readiness and the API docs."""

from unittest import mock

import sqlalchemy as sa

from app.extensions import db


def test_healthz(client):
    """/healthz answers 200."""
    assert client.get("/healthz").status_code == 200


def test_readyz_at_head(client):
    """/readyz answers 200 on a migrated database."""
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json()["status"] == "ok"


def test_readyz_behind_head(app, client):
    """/readyz answers 503 when the database's revision is not the head."""
    with app.app_context():
        with db.engine.begin() as conn:
            (real,) = conn.execute(sa.text("SELECT version_num FROM alembic_version")).one()
            conn.execute(sa.text("UPDATE alembic_version SET version_num = 'old'"))
        try:
            response = client.get("/readyz")
        finally:
            with db.engine.begin() as conn:
                conn.execute(sa.text("UPDATE alembic_version SET version_num = :v"), {"v": real})
    assert response.status_code == 503


def test_readyz_database_down(client):
    """/readyz answers 503 when the database does not answer."""
    with mock.patch(
        "app.health.migrations_at_head", side_effect=sa.exc.OperationalError("x", {}, None)
    ):
        assert client.get("/readyz").status_code == 503


def test_openapi_lists_full_paths(client):
    """The OpenAPI document lists full /api/v1 paths, with no servers prefix trick."""
    spec = client.get("/api/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    assert "/api/v1/wards" in spec["paths"]
    assert "/api/v1/wards/{ward}" in spec["paths"]
    assert all(p.startswith("/api/v1/") for p in spec["paths"])


def test_docs_page_is_offline(client):
    """The docs page loads its assets from this service, not from a CDN."""
    page = client.get("/api/docs").get_data(as_text=True)
    assert "cdn" not in page.lower() and "unpkg" not in page
    assert "/api/docs-assets/swagger-ui-bundle.js" in page
    with client.get("/api/docs-assets/swagger-ui-bundle.js") as asset:
        assert asset.status_code == 200 and len(asset.data) > 100_000


def test_openapi_documents_each_status_label(client):
    """Every `status_label` the front shows is a documented field naming each status."""
    schemas = client.get("/api/openapi.json").get_json()["components"]["schemas"]
    for name, status in (("Poll", "open"), ("Notice", "withdrawn"), ("Merchant", "rejected")):
        label = schemas[name]["properties"]["status_label"]
        assert label["readOnly"] is True and f"{status} = " in label["description"], name
    assert (
        "to_dan_pho = tổ trưởng"
        in schemas["Community"]["properties"]["leader_label"]["description"]
    )
