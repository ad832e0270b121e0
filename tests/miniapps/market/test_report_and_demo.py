"""The zone report (JSON and CSV) and the demo data."""

import csv
import io

import sqlalchemy as sa

from app.extensions import db
from miniapps.market.models import ZONE_KINDS as KINDS
from miniapps.market.models import MarketZone, Merchant, Product


def test_report_counts_the_zone_merchants(zone, register, staff):
    """Totals by status, with codes, products, OCOP and the support staff ticked."""
    cafe = register(name="Cà phê Mộc")  # two products, one OCOP
    rau = register(name="Rau sạch", products=[{"name": "Rau muống", "price": 10000}])
    bare = register(name="Tạp hoá", products=[])
    register(name="Chờ duyệt", products=[])
    refused = register(name="Sai", products=[])
    for merchant in (cafe, rau, bare):
        staff.post(f"/api/v1/merchants/{merchant}/verify")
    staff.post(f"/api/v1/merchants/{refused}/reject", json={"reason": "Trùng"})
    staff.post(f"/api/v1/merchants/{bare}/suspend", json={"reason": "Nghỉ"})
    staff.patch(f"/api/v1/merchants/{cafe}/support", json={"etax_supported": True})
    staff.patch(
        f"/api/v1/merchants/{rau}/support",
        json={"etax_supported": True, "einvoice_supported": True, "sales_software": True},
    )

    report = staff.get(f"/api/v1/market-zones/{zone}/report").get_json()
    assert {k: report[k] for k in report if k not in ("zone", "ward", "generated_at")} == {
        "merchants_total": 5,
        "pending": 1,
        "verified": 2,
        "suspended": 1,
        "rejected": 1,
        "with_payment_qr": 2,
        "with_products": 2,
        "with_ocop": 1,
        "products_total": 3,
        "ocop_products": 1,
        "etax_supported": 2,
        "einvoice_supported": 1,
        "sales_software": 1,
    }
    assert report["ward"]["code"] == "00592"


def test_report_csv_is_utf8_with_bom_and_vietnamese_headers(zone, register, staff):
    """Excel-friendly CSV: BOM, Vietnamese headers, the same numbers as the JSON."""
    staff.post(f"/api/v1/merchants/{register()}/verify")
    response = staff.get(f"/api/v1/market-zones/{zone}/report?format=csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.data.startswith(b"\xef\xbb\xbf")
    header, values = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    row = dict(zip(header, values, strict=True))
    assert row["Phường/xã"] == "Phường Từ Liêm"
    assert row["Khu"] == "Chợ Phú Diễn"
    assert row["Tổng số hộ kinh doanh"] == "1"
    assert row["Đã xác minh"] == "1"
    assert row["Có sản phẩm OCOP"] == "1"
    assert row["Được hỗ trợ eTax Mobile"] == "0"


def test_report_is_for_the_ward_staff(zone, owner, other_staff, anonymous):
    """Residents and another ward's staff get 403; anonymous callers 401."""
    url = f"/api/v1/market-zones/{zone}/report"
    assert owner.get(url).status_code == 403
    assert other_staff.get(url).status_code == 403
    assert anonymous.get(url).status_code == 401
    assert anonymous.get(f"{url}?format=csv").status_code == 401


def test_demo_loader_is_idempotent(app):
    """Two runs: zones in every pilot ward (a street and a market in three), six merchants each."""
    from app.identity import demo as identity_demo
    from miniapps.market import demo

    def counts():
        return tuple(
            db.session.scalar(sa.select(sa.func.count()).select_from(model))
            for model in (MarketZone, Merchant, Product)
        )

    with app.app_context():
        identity_demo.load()
        demo.load()
        db.session.commit()
        first = counts()
        demo.load()
        db.session.commit()
        assert counts() == first
        zones = db.session.scalars(sa.select(MarketZone)).all()
        pairs = {(z.ward_code, z.kind) for z in zones}
        assert {(ward, kind) for ward in ("00592", "00025", "00424") for kind in KINDS} <= pairs
        # Every pilot ward shows the chợ 4.0 journey.
        assert {z.ward_code for z in zones} == set(identity_demo.PILOT_WARDS)
        statuses = db.session.scalars(sa.select(Merchant.status)).all()
        assert len(statuses) == 6 * len(zones)
        assert statuses.count("pending") + statuses.count("verified") == len(statuses)
        assert 0 < statuses.count("pending") < statuses.count("verified")
        owners = db.session.scalars(sa.select(Merchant).where(Merchant.owner_id.is_(None))).all()
        assert owners == []


def test_demo_merchants_serve_codes(app, client):
    """A verified demo merchant's code decodes to its bank and account."""
    from app.identity import demo as identity_demo
    from miniapps.market import demo, vietqr

    with app.app_context():
        identity_demo.load()
        demo.load()
        db.session.commit()
        merchant = db.session.scalars(
            sa.select(Merchant).where(Merchant.status == "verified").order_by(Merchant.id)
        ).first()
        merchant_id, bank_bin, account = merchant.id, merchant.bank_bin, merchant.account_number
    body = client.get(f"/api/v1/merchants/{merchant_id}/payment-qr").get_json()
    decoded = vietqr.decode(body["payload"])
    assert (decoded.bank_bin, decoded.account) == (bank_bin, account)


def test_report_csv_speaks_vietnamese_only(zone, register, staff):
    """Every header and label is Vietnamese: no status or kind code reaches the spreadsheet."""
    register()
    response = staff.get(f"/api/v1/market-zones/{zone}/report?format=csv")
    text = response.data.decode("utf-8-sig")
    header, values = list(csv.reader(io.StringIO(text)))
    for code in ("pending", "verified", "suspended", "rejected", "market", "street"):
        assert code not in header and code not in values
    assert {"Chờ xác minh", "Đã xác minh", "Tạm dừng", "Bị từ chối"} <= set(header)
    assert dict(zip(header, values, strict=True))["Loại"] == "Chợ"
    assert "bao-cao-khu" in response.headers["Content-Disposition"]


def test_report_is_documented_as_json_or_csv(app):
    """The OpenAPI spec offers both bodies of the report's 200 and the labelled inputs."""
    spec = app.test_client().get("/api/openapi.json").get_json()
    ok = spec["paths"]["/api/v1/market-zones/{zone_id}/report"]["get"]["responses"]["200"]
    assert set(ok["content"]) == {"application/json", "text/csv"}
    merchant = spec["components"]["schemas"]["Merchant"]["properties"]
    assert {"status_reason", "duplicates", "can_edit", "can_manage"} <= set(merchant)
