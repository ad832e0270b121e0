"""Zones, merchant onboarding, visibility, owner-only edits, staff verification and products."""

import pytest

from tests.miniapps.market.conftest import MERCHANT, WARD


def error_fields(response) -> set[str]:
    """Return the field names a 422 answer names."""
    return set(response.get_json()["error"]["details"]["fields"])


# Zones


def test_ward_staff_open_zones_and_anyone_lists_them(staff, anonymous, zone):
    """Staff create a zone (201); the ward's list and the zone itself are public."""
    street = staff.post(
        "/api/v1/wards/tu-liem/market-zones", json={"name": "Phố Trần Hữu Dực", "kind": "street"}
    )
    assert street.status_code == 201
    assert street.get_json()["ward"]["code"] == WARD
    assert street.get_json()["location"] is None

    listed = anonymous.get(f"/api/v1/wards/{WARD}/market-zones").get_json()
    assert [z["name"] for z in listed["items"]] == ["Chợ Phú Diễn", "Phố Trần Hữu Dực"]
    assert listed["next_cursor"] is None
    found = anonymous.get(f"/api/v1/wards/{WARD}/market-zones?q=tran huu duc").get_json()
    assert [z["kind"] for z in found["items"]] == ["street"]
    one = anonymous.get(f"/api/v1/market-zones/{zone}").get_json()
    assert one["name"] == "Chợ Phú Diễn" and one["kind"] == "market"


def test_only_ward_staff_open_zones(owner, other_staff, anonymous, staff):
    """Residents get 403, staff of another ward 403, anonymous callers 401."""
    body = {"name": "Chợ mới", "kind": "market"}
    url = f"/api/v1/wards/{WARD}/market-zones"
    assert owner.post(url, json=body).status_code == 403
    assert other_staff.post(url, json=body).status_code == 403
    assert anonymous.post(url, json=body).status_code == 401
    bad = staff.post(url, json={"name": "Chợ", "kind": "mall"})
    assert bad.status_code == 422 and error_fields(bad) == {"kind"}


def test_zone_names_are_unique_within_a_ward(staff, zone):
    """A second zone with the same name in the same ward is a conflict."""
    again = staff.post(
        f"/api/v1/wards/{WARD}/market-zones", json={"name": "Chợ Phú Diễn", "kind": "market"}
    )
    assert again.status_code == 409


def test_unknown_zone_and_ward(anonymous):
    """Unknown zones and wards are 404."""
    assert anonymous.get("/api/v1/market-zones/999999").status_code == 404
    assert anonymous.get("/api/v1/wards/99999/market-zones").status_code == 404


# Registration


def test_a_resident_registers_their_stall_as_pending(owner, zone):
    """Registration answers 201 with the merchant pending, its products and its full account."""
    response = owner.post(f"/api/v1/market-zones/{zone}/merchants", json=MERCHANT)
    assert response.status_code == 201
    body = response.get_json()
    assert (body["status"], body["status_label"]) == ("pending", "Chờ xác minh")
    assert body["is_owner"] is True
    assert body["account_number"] == "0011001234567"
    assert body["bank"] == {
        "bin": "970436",
        "label": "Vietcombank",
        "name": "Ngân hàng TMCP Ngoại thương Việt Nam",
    }
    assert [(p["name"], p["price"], p["ocop_stars"]) for p in body["products"]] == [
        ("Cà phê sữa đá", 30000, None),
        ("Chè Thái Tân Cương", 180000, 4),
    ]


def test_registration_names_every_missing_required_field(owner, zone):
    """Without name, stall, bank_bin, account_number, account_name → 422 naming them."""
    response = owner.post(f"/api/v1/market-zones/{zone}/merchants", json={"category": "Rau củ"})
    assert response.status_code == 422
    assert error_fields(response) == {
        "name",
        "stall",
        "bank_bin",
        "account_number",
        "account_name",
    }


def test_registration_needs_only_the_required_fields(owner, zone):
    """Category, phone, opening hours and products are optional."""
    minimal = {k: MERCHANT[k] for k in ("name", "stall", "bank_bin", "account_number")}
    response = owner.post(
        f"/api/v1/market-zones/{zone}/merchants", json={**minimal, "account_name": "NGUYEN A"}
    )
    assert response.status_code == 201
    assert response.get_json()["products"] == []


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"bank_bin": "123456"}, "bank_bin"),  # six digits, but no such bank
        ({"bank_bin": "97043"}, "bank_bin"),
        ({"account_number": "12ab"}, "account_number"),
        ({"account_number": "12345"}, "account_number"),
        ({"account_name": "Nguyễn ☕"}, "account_name"),
        ({"account_name": "   "}, "account_name"),
        ({"name": "   "}, "name"),
        ({"account_number": "1" * 20}, "account_number"),
        ({"phone": "call me"}, "phone"),
        ({"products": [{"name": "Bưởi Diễn", "price": -1}]}, "products"),
        ({"products": [{"name": "Bưởi Diễn", "price": 50000, "ocop_stars": 2}]}, "products"),
        ({"products": [{"name": "Bưởi Diễn", "price": 1.5}]}, "products"),
        ({"products": [{"name": "A", "price": 1}, {"name": "A", "price": 2}]}, "products"),
        ({"website": "x"}, "website"),
    ],
)
def test_registration_refuses_bad_input_naming_the_field(owner, zone, changes, field):
    """Unknown BINs, malformed accounts, bad prices or stars → 422 naming the field."""
    response = owner.post(f"/api/v1/market-zones/{zone}/merchants", json={**MERCHANT, **changes})
    assert response.status_code == 422
    assert field in error_fields(response)


def test_registration_needs_sign_in(anonymous, zone):
    """Anonymous callers get 401."""
    response = anonymous.post(f"/api/v1/market-zones/{zone}/merchants", json=MERCHANT)
    assert response.status_code == 401


# Visibility


def test_a_pending_merchant_is_seen_by_its_owner_and_its_ward_staff_only(
    pending, owner, staff, stranger, other_staff, anonymous
):
    """Others get the same 404 as for an id that does not exist."""
    assert owner.get(f"/api/v1/merchants/{pending}").status_code == 200
    assert staff.get(f"/api/v1/merchants/{pending}").status_code == 200
    missing = anonymous.get("/api/v1/merchants/999999")
    for other in (stranger, other_staff, anonymous):
        response = other.get(f"/api/v1/merchants/{pending}")
        assert response.status_code == 404
        assert response.get_json() == missing.get_json()


def test_the_public_storefront_masks_the_account_and_hides_the_phone(verified, anonymous):
    """A verified merchant is public, with `****` + the last four digits and no phone."""
    body = anonymous.get(f"/api/v1/merchants/{verified}").get_json()
    assert body["name"] == "Cà phê Mộc"
    assert body["account_number_masked"] == "****4567"
    assert body["bank"]["label"] == "Vietcombank"
    assert body["ward"]["slug"] == "tu-liem"
    assert body["public_url"] == f"http://localhost/w/tu-liem/merchants/{verified}"
    assert "0011001234567" not in str(body)
    assert "phone" not in body and "account_number" not in body


# Owner edits


def test_the_owner_edits_their_own_merchant(verified, owner):
    """The owner changes the stall's details; it stays verified."""
    response = owner.patch(
        f"/api/v1/merchants/{verified}", json={"opening_hours": "7:00–21:00", "category": None}
    )
    assert response.status_code == 200
    assert response.get_json()["opening_hours"] == "7:00–21:00"
    assert response.get_json()["category"] is None
    assert response.get_json()["status"] == "verified"


def test_changing_the_account_needs_verification_again(verified, owner, anonymous):
    """A new account number sends a verified merchant back to pending: no code until checked."""
    response = owner.patch(f"/api/v1/merchants/{verified}", json={"account_number": "99887766"})
    assert response.get_json()["status"] == "pending"
    assert anonymous.get(f"/api/v1/merchants/{verified}/payment-qr").status_code == 404


def test_nobody_else_edits_a_merchant(
    verified, pending, register, stranger, other_staff, anonymous
):
    """Another resident or another ward's staff: 403 on a public merchant, 404 on a hidden one."""
    assert stranger.patch(f"/api/v1/merchants/{verified}", json={"name": "X"}).status_code == 403
    assert other_staff.patch(f"/api/v1/merchants/{verified}", json={"name": "X"}).status_code == 403
    assert anonymous.patch(f"/api/v1/merchants/{verified}", json={"name": "X"}).status_code == 401
    hidden = register(name="Tạp hoá Lan")
    assert stranger.patch(f"/api/v1/merchants/{hidden}", json={"name": "X"}).status_code == 404


def test_the_owner_manages_products_and_nobody_else(verified, owner, stranger, anonymous):
    """Products: owner adds (201), edits, deletes (204); a duplicate name → 409; others 403."""
    added = owner.post(
        f"/api/v1/merchants/{verified}/products",
        json={"name": "Bưởi Diễn", "price": 60000, "ocop_stars": 4},
    )
    assert added.status_code == 201
    product = added.get_json()["id"]
    duplicate = owner.post(
        f"/api/v1/merchants/{verified}/products", json={"name": "Bưởi Diễn", "price": 1}
    )
    assert duplicate.status_code == 409
    assert stranger.patch(f"/api/v1/products/{product}", json={"price": 1}).status_code == 403
    assert stranger.delete(f"/api/v1/products/{product}").status_code == 403
    assert (
        stranger.post(
            f"/api/v1/merchants/{verified}/products", json={"name": "Y", "price": 1}
        ).status_code
        == 403
    )
    bad = owner.patch(f"/api/v1/products/{product}", json={"ocop_stars": 6})
    assert bad.status_code == 422 and error_fields(bad) == {"ocop_stars"}

    assert owner.patch(f"/api/v1/products/{product}", json={"price": 65000}).status_code == 200
    shown = anonymous.get(f"/api/v1/merchants/{verified}").get_json()["products"]
    assert {"id": product, "name": "Bưởi Diễn", "price": 65000, "ocop_stars": 4} in shown
    assert owner.delete(f"/api/v1/products/{product}").status_code == 204
    assert owner.delete(f"/api/v1/products/{product}").status_code == 404


# Staff decisions


def test_only_the_zone_ward_staff_verify(pending, owner, stranger, other_staff, staff, anonymous):
    """The owner, other residents and another ward's staff cannot verify; the ward's staff can."""
    url = f"/api/v1/merchants/{pending}/verify"
    assert owner.post(url).status_code == 403
    assert stranger.post(url).status_code == 404
    assert other_staff.post(url).status_code == 404
    assert anonymous.post(url).status_code == 401
    assert anonymous.get(f"/api/v1/merchants/{pending}").status_code == 404

    response = staff.post(url)
    assert response.status_code == 200
    assert response.get_json()["status"] == "verified"
    assert response.get_json()["verified_at"].endswith("+07:00")
    assert response.get_json()["created_at"].endswith("+07:00")
    assert anonymous.get(f"/api/v1/merchants/{pending}").status_code == 200
    # Once public, another ward's staff are refused rather than told it does not exist.
    assert (
        other_staff.post(f"/api/v1/merchants/{pending}/suspend", json={"reason": "x"}).status_code
        == 403
    )


def test_staff_suspend_and_reject_with_a_reason(verified, register, staff, owner, anonymous):
    """Suspension hides a verified merchant; rejection closes a registration; both need reasons."""
    url = f"/api/v1/merchants/{verified}/suspend"
    no_reason = staff.post(url, json={})
    assert no_reason.status_code == 422 and error_fields(no_reason) == {"reason"}
    suspended = staff.post(url, json={"reason": "Mã QR bị dán đè"})
    assert suspended.status_code == 200
    assert suspended.get_json()["status"] == "suspended"
    assert anonymous.get(f"/api/v1/merchants/{verified}").status_code == 404
    mine = owner.get(f"/api/v1/merchants/{verified}").get_json()
    assert mine["status_reason"] == "Mã QR bị dán đè"

    other = register(name="Tạp hoá Lan")
    rejected = staff.post(f"/api/v1/merchants/{other}/reject", json={"reason": "Sai số ki-ốt"})
    assert rejected.get_json()["status"] == "rejected"
    # A rejected registration cannot be suspended.
    again = staff.post(f"/api/v1/merchants/{other}/suspend", json={"reason": "x"})
    assert again.status_code == 409


def test_staff_tick_the_support_given(verified, staff, owner):
    """Staff record eTax, e-invoice and sales-software support; the owner cannot."""
    url = f"/api/v1/merchants/{verified}/support"
    assert owner.patch(url, json={"etax_supported": True}).status_code == 403
    body = staff.patch(url, json={"etax_supported": True, "sales_software": True}).get_json()
    assert (body["etax_supported"], body["einvoice_supported"], body["sales_software"]) == (
        True,
        False,
        True,
    )


# Directory


def test_directory_lists_verified_merchants_searching_with_or_without_diacritics(
    zone, register, staff, anonymous
):
    """Anyone lists verified merchants; `q` matches name or category, diacritics optional."""
    ids = {}
    for name, category in [
        ("Cà phê Mộc", "Cà phê"),
        ("Rau sạch cô Thu", "Rau củ"),
        ("Đặc sản Thái Nguyên", "Chè, OCOP"),
    ]:
        ids[name] = register(name=name, category=category)
        staff.post(f"/api/v1/merchants/{ids[name]}/verify")
    register(name="Cà phê chưa duyệt", category="Cà phê")

    def names(query: str) -> list[str]:
        url = f"/api/v1/market-zones/{zone}/merchants{query}"
        return [m["name"] for m in anonymous.get(url).get_json()["items"]]

    assert names("") == ["Cà phê Mộc", "Rau sạch cô Thu", "Đặc sản Thái Nguyên"]
    assert names("?q=cà phê") == ["Cà phê Mộc"]
    assert names("?q=CA PHE") == ["Cà phê Mộc"]
    assert names("?q=rau cu") == ["Rau sạch cô Thu"]  # by category
    assert names("?q=dac san") == ["Đặc sản Thái Nguyên"]
    assert names("?q=%25") == []  # LIKE wildcards match literally

    first = anonymous.get(f"/api/v1/market-zones/{zone}/merchants?limit=2").get_json()
    assert len(first["items"]) == 2 and first["next_cursor"]
    rest = anonymous.get(
        f"/api/v1/market-zones/{zone}/merchants?limit=2&cursor={first['next_cursor']}"
    ).get_json()
    assert [m["name"] for m in rest["items"]] == ["Đặc sản Thái Nguyên"]
    assert rest["next_cursor"] is None


def test_only_staff_list_pending_merchants(pending, zone, staff, owner, other_staff):
    """`status=pending` shows the queue to the ward's staff; others get 403."""
    url = f"/api/v1/market-zones/{zone}/merchants?status=pending"
    items = staff.get(url).get_json()["items"]
    assert [m["id"] for m in items] == [pending]
    assert items[0]["phone"] == "0912345678"
    assert owner.get(url).status_code == 403
    assert other_staff.get(url).status_code == 403


# Personal data


def test_export_and_erasure_of_the_owner(verified, owner, anonymous):
    """The owner's export lists their stall; erasure unlinks them and drops the phone."""
    exported = owner.get("/api/v1/me/data").get_json()["market_merchants"]
    assert [(m["id"], m["phone"]) for m in exported] == [(verified, "0912345678")]
    assert exported[0]["created_at"].endswith("+07:00")

    assert owner.delete("/api/v1/me").status_code == 204
    # The business stays listed (its buyers pay into its account), without its owner's data.
    assert anonymous.get(f"/api/v1/merchants/{verified}").status_code == 200


def test_erasure_unlinks_owner_in_the_database(app, verified, owner):
    """After erasure the merchant row has no owner and no phone."""
    from app.extensions import db
    from miniapps.market.models import Merchant

    owner.delete("/api/v1/me")
    with app.app_context():
        merchant = db.session.get(Merchant, verified)
        assert (merchant.owner_id, merchant.phone) == (None, None)
