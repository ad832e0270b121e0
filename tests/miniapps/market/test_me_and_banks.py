"""A merchant finds their own stalls again (`/me/merchants`); the public bank list."""

import pytest

from app.identity.demo import citizens_of
from miniapps.market.banks import list_banks
from tests.miniapps.market.conftest import MERCHANT, OTHER_WARD


def test_the_owner_lists_their_own_merchants_in_every_status(owner, stranger, staff, register):
    """Pending, verified and rejected stalls all come back, with the owner's private details;
    other people's stalls never do."""
    pending = register(name="Bánh cuốn Thanh Vân")
    verified = register(name="Cà phê Mộc")
    rejected = register(name="Hoa quả sạch")
    assert staff.post(f"/api/v1/merchants/{verified}/verify").status_code == 200
    assert (
        staff.post(f"/api/v1/merchants/{rejected}/reject", json={"reason": "Sai số tài khoản"})
    ).status_code == 200
    register(by=stranger, name="Quầy của người khác")

    response = owner.get("/api/v1/me/merchants")
    assert response.status_code == 200
    body = response.get_json()
    assert body["next_cursor"] is None
    assert [(m["id"], m["name"], m["status"]) for m in body["items"]] == [
        (pending, "Bánh cuốn Thanh Vân", "pending"),
        (verified, "Cà phê Mộc", "verified"),
        (rejected, "Hoa quả sạch", "rejected"),
    ]
    first = body["items"][0]
    assert first["is_owner"] is True
    assert first["account_number"] == MERCHANT["account_number"]
    assert first["phone"] == MERCHANT["phone"]
    assert first["ward"]["slug"] == "tu-liem"
    assert first["public_url"].endswith(f"/w/tu-liem/merchants/{pending}")
    assert body["items"][2]["status_reason"] == "Sai số tài khoản"

    others = stranger.get("/api/v1/me/merchants").get_json()["items"]
    assert [m["name"] for m in others] == ["Quầy của người khác"]


def test_staff_see_only_their_own_stalls_here(staff, register):
    """The list is the caller's own, whatever their role: staff get none of the ward's."""
    register()
    assert staff.get("/api/v1/me/merchants").get_json()["items"] == []


def test_pages_of_the_owners_merchants(owner, register):
    ids = [register(name=f"Gian hàng số {n}") for n in range(5)]
    seen, cursor = [], None
    while True:
        url = "/api/v1/me/merchants?limit=2" + (f"&cursor={cursor}" if cursor else "")
        body = owner.get(url).get_json()
        assert len(body["items"]) <= 2
        seen += [m["id"] for m in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == ids
    assert owner.get("/api/v1/me/merchants?cursor=%%%").status_code == 422
    assert owner.get("/api/v1/me/merchants?limit=0").status_code == 422


def test_anonymous_callers_must_sign_in(anonymous):
    response = anonymous.get("/api/v1/me/merchants")
    assert response.status_code == 401
    assert response.get_json()["error"]["code"]


def test_a_stall_in_another_ward_is_listed_with_its_ward(caller, owner, register):
    """A resident may trade in two wards: both stalls come back, each naming its ward."""
    register()
    other_staff = caller(citizens_of(OTHER_WARD)[0].sub, role="ward_admin", ward=OTHER_WARD)
    zone = other_staff.post(
        f"/api/v1/wards/{OTHER_WARD}/market-zones", json={"name": "Chợ Giảng Võ", "kind": "market"}
    ).get_json()
    created = owner.post(f"/api/v1/market-zones/{zone['id']}/merchants", json=MERCHANT)
    assert created.status_code == 201
    wards = [m["ward"]["slug"] for m in owner.get("/api/v1/me/merchants").get_json()["items"]]
    assert wards == ["tu-liem", "giang-vo"]


def test_the_bank_list_is_public_and_complete(anonymous):
    """Anyone gets every bank of the shipped list, in BIN order, with short and legal names."""
    response = anonymous.get("/api/v1/banks")
    assert response.status_code == 200
    assert "max-age" in response.headers["Cache-Control"]
    body = response.get_json()
    assert body["next_cursor"] is None
    items = body["items"]
    assert [b["bin"] for b in items] == [b.bin for b in list_banks()]
    assert len(items) == len(list_banks()) > 40
    vcb = next(b for b in items if b["bin"] == "970436")
    assert vcb["short_name"] == "Vietcombank"
    assert vcb["label"] == "Vietcombank"
    assert "Ngoại thương" in vcb["name"]
    for bank in items:
        assert set(bank) == {"bin", "short_name", "label", "name"}
        assert bank["label"] == (bank["short_name"] or bank["name"])


@pytest.mark.parametrize("path", ["/api/v1/banks", "/api/v1/me/merchants"])
def test_new_paths_are_in_the_openapi_spec(anonymous, path):
    spec = anonymous.get("/api/openapi.json").get_json()
    assert "get" in spec["paths"][path]
    assert spec["paths"][path]["get"]["summary"]


def test_the_old_web_bank_list_is_gone(anonymous):
    assert anonymous.get("/web/banks.json").status_code == 404
