"""The data rules through the API, editing a stall, reasons, duplicate warnings, old bad rows."""

import pytest
import sqlalchemy as sa

from app.extensions import db
from miniapps.market import vietqr
from miniapps.market.models import Merchant
from tests.miniapps.market.conftest import MERCHANT, OTHER_WARD


def errors(response) -> list[dict]:
    """Return the field errors a 422 answer lists, whatever shape it has."""
    details = response.get_json()["error"]["details"]
    if "errors" in details:
        return details["errors"]
    return [{"field": f, "message": m} for f, ms in details["fields"].items() for m in ms]


# Registration normalises what a person types


def test_registration_stores_canonical_payment_details_and_phone(owner, zone):
    """Spaces in the account and phone, a lower-case accented name: stored as banks print them."""
    response = owner.post(
        f"/api/v1/market-zones/{zone}/merchants",
        json={
            **MERCHANT,
            "account_number": "0011 0012.3456-7",
            "account_name": "nguyễn văn an",
            "phone": "+84 912 345 678",
            "name": "  Cà phê Mộc  ",
        },
    )
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["account_number"] == "0011001234567"
    assert body["account_name"] == "NGUYEN VAN AN"
    assert body["phone"] == "0912345678"
    assert body["name"] == "Cà phê Mộc"
    assert body["account_number_masked"] == "****4567"


def test_a_spaced_phone_is_accepted(owner, zone):
    """ "0912 345 678" used to be refused for its spaces."""
    response = owner.post(
        f"/api/v1/market-zones/{zone}/merchants", json={**MERCHANT, "phone": "0912 345 678"}
    )
    assert response.status_code == 201
    assert response.get_json()["phone"] == "0912345678"


def test_an_account_with_letters_is_refused_in_vietnamese_and_nothing_is_stored(app, owner, zone):
    """ "12ab" → 422 naming the account number in Vietnamese; no merchant is created."""
    response = owner.post(
        f"/api/v1/market-zones/{zone}/merchants", json={**MERCHANT, "account_number": "12ab"}
    )
    assert response.status_code == 422
    (error,) = errors(response)
    assert error["field"] == "account_number"
    assert error["message"] == "Số tài khoản chỉ gồm chữ số, từ 6 đến 19 số."
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Merchant.id))) == 0


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("account_number", "12ab"),
        ("account_name", "Nguyễn ☕"),
        ("phone", "call me"),
        ("stall", "   "),
        ("name", ""),
    ],
)
def test_an_edit_applies_the_same_rules(verified, owner, anonymous, field, value):
    """The edit refuses what registration refuses, and changes nothing."""
    before = owner.get(f"/api/v1/merchants/{verified}").get_json()
    response = owner.patch(f"/api/v1/merchants/{verified}", json={field: value})
    assert response.status_code == 422
    assert [e["field"] for e in errors(response)] == [field]
    assert owner.get(f"/api/v1/merchants/{verified}").get_json() == before
    payload = anonymous.get(f"/api/v1/merchants/{verified}/payment-qr").get_json()["payload"]
    assert vietqr.decode(payload).account == "0011001234567"


def test_an_unknown_bank_names_its_field_with_a_label(owner, zone):
    """A 422 the service raises itself carries the field, its Vietnamese label and the message."""
    response = owner.post(
        f"/api/v1/market-zones/{zone}/merchants", json={**MERCHANT, "bank_bin": "123456"}
    )
    assert response.status_code == 422
    details = response.get_json()["error"]["details"]
    assert details["errors"] == [
        {
            "field": "bank_bin",
            "label": "Ngân hàng",
            "message": "Mã BIN không thuộc ngân hàng nào trong danh sách NAPAS.",
        }
    ]


# Editing a stall


def test_the_owner_edits_every_field_of_the_stall(pending, owner):
    """Name, stall, category, phone and payment details; the edit is normalised like a create."""
    response = owner.patch(
        f"/api/v1/merchants/{pending}",
        json={
            "name": "Cà phê Mộc 2",
            "stall": "Ki-ốt B3",
            "category": "Đồ uống",
            "phone": "0987.654.321",
            "bank_bin": "970415",
            "account_number": "1020 3040 5060",
            "account_name": "trần thị bình",
        },
    )
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert (body["name"], body["stall"], body["category"], body["phone"]) == (
        "Cà phê Mộc 2",
        "Ki-ốt B3",
        "Đồ uống",
        "0987654321",
    )
    assert (body["bank"]["bin"], body["account_number"], body["account_name"]) == (
        "970415",
        "102030405060",
        "TRAN THI BINH",
    )
    assert body["status"] == "pending" and body["can_edit"] is True
    assert body["can_manage"] is False


@pytest.mark.parametrize(
    "change",
    [
        {"bank_bin": "970415"},
        {"account_number": "99887766"},
        {"account_name": "Nguyễn Văn Mộc Mới"},
    ],
)
def test_new_payment_details_go_back_to_pending_and_stop_the_code(
    app, verified, owner, anonymous, change
):
    """A verified merchant whose money goes elsewhere is pending again: no code, no listing."""
    response = owner.patch(f"/api/v1/merchants/{verified}", json=change)
    body = response.get_json()
    assert (body["status"], body["status_label"]) == ("pending", "Chờ xác minh")
    assert body["verified_at"] is None
    for suffix in ("payment-qr", "payment-qr.png", "payment-qr.svg", "poster.pdf"):
        assert anonymous.get(f"/api/v1/merchants/{verified}/{suffix}").status_code == 404
    assert anonymous.get(f"/api/v1/merchants/{verified}").status_code == 404
    with app.app_context():
        merchant = db.session.get(Merchant, verified)
        assert (merchant.verified_by_id, merchant.verified_at) == (None, None)


def test_the_same_payment_details_again_keep_the_verification(verified, owner):
    """Sending the stored values (typed differently) is not a change."""
    response = owner.patch(
        f"/api/v1/merchants/{verified}",
        json={"account_number": "0011 0012 34567", "account_name": "nguyen van moc"},
    )
    assert response.get_json()["status"] == "verified"


def test_ward_staff_edit_a_stall_too(verified, staff, anonymous):
    """The ward's staff correct a stall, but never where its payments go."""
    fixed = staff.patch(f"/api/v1/merchants/{verified}", json={"stall": "Ki-ốt A12 (tầng 2)"})
    assert fixed.status_code == 200
    assert fixed.get_json()["status"] == "verified"
    assert fixed.get_json()["can_manage"] is True and fixed.get_json()["is_owner"] is False
    # Where the money goes is the owner's to say: staff could otherwise change it and verify it.
    moved = staff.patch(f"/api/v1/merchants/{verified}", json={"account_number": "123456789"})
    assert moved.status_code == 403
    assert moved.get_json()["error"]["code"] == "payment_details_owner_only"
    payload = anonymous.get(f"/api/v1/merchants/{verified}/payment-qr").get_json()["payload"]
    assert vietqr.decode(payload).account == "0011001234567"


def test_ward_staff_manage_products_too(verified, staff):
    """Products go through the existing endpoints for staff as for the owner."""
    added = staff.post(
        f"/api/v1/merchants/{verified}/products", json={"name": "Bạc xỉu", "price": 35000}
    )
    assert added.status_code == 201
    product = added.get_json()["id"]
    assert staff.patch(f"/api/v1/products/{product}", json={"price": 38000}).status_code == 200
    assert staff.delete(f"/api/v1/products/{product}").status_code == 204


# Reasons


@pytest.mark.parametrize("action", ["reject", "suspend"])
@pytest.mark.parametrize("reason", [None, "", "   ", "\n\t"])
def test_reject_and_suspend_need_a_real_reason(verified, pending, staff, owner, action, reason):
    """No reason, an empty one or only whitespace → 422 naming `reason`; the status stays."""
    body = {} if reason is None else {"reason": reason}
    response = staff.post(f"/api/v1/merchants/{verified}/{action}", json=body)
    assert response.status_code == 422
    assert [e["field"] for e in errors(response)] == ["reason"]
    assert owner.get(f"/api/v1/merchants/{verified}").get_json()["status"] == "verified"


def test_the_owner_sees_why_and_the_public_does_not(register, verified, staff, owner, stranger):
    """The reason is stored trimmed and shown to the owner and staff, never to others."""
    rejected = register(name="Tạp hoá Lan", stall="Ki-ốt C1")
    response = staff.post(
        f"/api/v1/merchants/{rejected}/reject", json={"reason": "  Sai số ki-ốt, vui lòng sửa.  "}
    )
    assert response.get_json()["status_label"] == "Bị từ chối"
    mine = owner.get(f"/api/v1/merchants/{rejected}").get_json()
    assert mine["status_reason"] == "Sai số ki-ốt, vui lòng sửa."
    assert mine["verified_at"] is None
    mine_listed = owner.get("/api/v1/me/merchants").get_json()["items"]
    assert {m["id"]: m["status_reason"] for m in mine_listed}[rejected] == (
        "Sai số ki-ốt, vui lòng sửa."
    )

    staff.post(f"/api/v1/merchants/{verified}/suspend", json={"reason": "Mã QR bị dán đè"})
    assert owner.get(f"/api/v1/merchants/{verified}").get_json()["status_reason"] == (
        "Mã QR bị dán đè"
    )
    assert stranger.get(f"/api/v1/merchants/{verified}").status_code == 404


def test_staff_reinstate_a_suspended_merchant_by_verifying_it(verified, staff, anonymous):
    """Verify again: verified, the reason gone, the code served again."""
    staff.post(f"/api/v1/merchants/{verified}/suspend", json={"reason": "Tạm nghỉ bán"})
    assert anonymous.get(f"/api/v1/merchants/{verified}/payment-qr").status_code == 404
    body = staff.post(f"/api/v1/merchants/{verified}/verify").get_json()
    assert (body["status"], body["status_reason"]) == ("verified", None)
    assert anonymous.get(f"/api/v1/merchants/{verified}/payment-qr").status_code == 200


# Duplicate warnings


def test_staff_are_warned_of_the_same_account_or_the_same_stall(
    register, staff, owner, caller, zone
):
    """Same account anywhere in the ward, same stall (folded) in the zone; a warning, not a 409."""
    first = register(stall="Ki-ốt A12")
    same_account = register(name="Cà phê Mộc 2", stall="Ki-ốt B7")
    same_stall = register(
        name="Trà đá", stall="kiot a-12", account_number="222233334444", account_name="LE C"
    )
    unrelated = register(
        name="Bánh mì", stall="Ki-ốt D1", account_number="555566667777", account_name="LE D"
    )
    other_zone = staff.post(
        "/api/v1/wards/tu-liem/market-zones", json={"name": "Phố Trần Hữu Dực", "kind": "street"}
    ).get_json()["id"]
    elsewhere = owner.post(
        f"/api/v1/market-zones/{other_zone}/merchants", json={**MERCHANT, "stall": "Số 5"}
    ).get_json()["id"]

    body = staff.get(f"/api/v1/merchants/{first}").get_json()
    found = {d["id"]: d for d in body["duplicates"]}
    assert set(found) == {same_account, same_stall, elsewhere}
    assert (found[same_account]["same_account"], found[same_account]["same_stall"]) == (True, False)
    assert (found[same_stall]["same_account"], found[same_stall]["same_stall"]) == (False, True)
    assert found[elsewhere]["zone"]["name"] == "Phố Trần Hữu Dực"
    assert found[same_stall]["status_label"] == "Chờ xác minh"
    assert found[same_stall]["message"] == "Trùng quầy/ki-ốt với «Trà đá» (Chợ Phú Diễn)."
    assert staff.get(f"/api/v1/merchants/{unrelated}").get_json()["duplicates"] == []

    listed = staff.get(f"/api/v1/market-zones/{zone}/merchants?status=pending").get_json()
    by_id = {m["id"]: {d["id"] for d in m["duplicates"]} for m in listed["items"]}
    assert by_id[same_stall] == {first}
    assert by_id[unrelated] == set()

    # The owner and the public never see the warning.
    assert "duplicates" not in owner.get(f"/api/v1/merchants/{first}").get_json()
    assert "duplicates" not in owner.get("/api/v1/me/merchants").get_json()["items"][0]


def test_another_wards_same_account_is_no_duplicate(register, other_staff, owner, staff):
    """The warning stays within the ward."""
    mine = register()
    their_zone = other_staff.post(
        f"/api/v1/wards/{OTHER_WARD}/market-zones", json={"name": "Chợ Giảng Võ", "kind": "market"}
    ).get_json()["id"]
    theirs = owner.post(f"/api/v1/market-zones/{their_zone}/merchants", json=MERCHANT)
    assert theirs.status_code == 201
    assert staff.get(f"/api/v1/merchants/{mine}").get_json()["duplicates"] == []
    seen = other_staff.get(f"/api/v1/merchants/{theirs.get_json()['id']}").get_json()
    assert seen["duplicates"] == []


# Rows older than the rules


def _break_account(app, merchant_id: int, **values) -> None:
    """Write values the API refuses, as rows written before the rules may hold."""
    with app.app_context():
        db.session.execute(sa.update(Merchant).where(Merchant.id == merchant_id).values(**values))
        db.session.commit()


@pytest.mark.parametrize("account", ["12ab", "12345"])
def test_an_invalid_stored_account_never_reaches_a_payload(app, verified, anonymous, account):
    """A verified row holding "12ab": every payment-code endpoint answers 404."""
    _break_account(app, verified, account_number=account)
    for suffix in ("payment-qr", "payment-qr.png", "payment-qr.svg", "poster.pdf"):
        response = anonymous.get(f"/api/v1/merchants/{verified}/{suffix}?amount=1000")
        assert response.status_code == 404, suffix
        assert b"12ab" not in response.data


def test_staff_cannot_verify_an_invalid_stored_account_until_it_is_fixed(
    app, pending, staff, owner
):
    """Verification refuses a lower-case name or a bad account (422 naming it); a fix clears it."""
    _break_account(app, pending, account_number="12ab", account_name="nguyễn văn mộc")
    refused = staff.post(f"/api/v1/merchants/{pending}/verify")
    assert refused.status_code == 422
    assert [e["field"] for e in errors(refused)] == ["account_number"]
    assert "Chủ cửa hàng cần sửa" in refused.get_json()["error"]["message"]
    owner.patch(f"/api/v1/merchants/{pending}", json={"account_number": "0011001234567"})
    refused = staff.post(f"/api/v1/merchants/{pending}/verify")
    assert [e["field"] for e in errors(refused)] == ["account_name"]
    owner.patch(f"/api/v1/merchants/{pending}", json={"account_name": "nguyễn văn mộc"})
    assert staff.post(f"/api/v1/merchants/{pending}/verify").get_json()["status"] == "verified"


@pytest.mark.parametrize("state, action", [("pending", "reject"), ("verified", "suspend")])
def test_an_owner_who_fixes_a_refused_stall_sends_it_back_for_review(
    request, staff, owner, anonymous, state, action
):
    """The fix reaches the staff's "Chờ xác minh" list; the code waits for their verification."""
    merchant = request.getfixturevalue(state)
    refused = staff.post(f"/api/v1/merchants/{merchant}/{action}", json={"reason": "Sai tên"})
    assert refused.status_code == 200

    fixed = owner.patch(f"/api/v1/merchants/{merchant}", json={"name": "Cà phê Mộc Hà Nội"})

    assert fixed.status_code == 200
    assert fixed.get_json()["status"] == "pending"
    assert fixed.get_json()["status_reason"] is None
    assert anonymous.get(f"/api/v1/merchants/{merchant}/payment-qr").status_code == 404


def test_staff_editing_a_rejected_stall_leave_it_rejected(pending, staff):
    assert (
        staff.post(f"/api/v1/merchants/{pending}/reject", json={"reason": "Trùng"}).status_code
        == 200
    )

    edited = staff.patch(f"/api/v1/merchants/{pending}", json={"category": "Đồ uống"})

    assert edited.get_json()["status"] == "rejected"
