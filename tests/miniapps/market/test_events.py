"""The market tells outside systems of its public listing (merchant.*): the storefront's facts,
never the payment account, the phone, the owner or staff's reasons."""

import json

import sqlalchemy as sa

from app.events.models import Event
from app.extensions import db
from tests.miniapps.market.conftest import MERCHANT, WARD

PUBLIC_KEYS = {
    "merchant_id",
    "zone_id",
    "zone",
    "zone_kind",
    "name",
    "stall",
    "category",
    "opening_hours",
    "status",
}
SECRETS = (
    MERCHANT["account_number"],
    MERCHANT["account_name"],
    MERCHANT["phone"],
    MERCHANT["bank_bin"],
    "account",
    "phone",
    "owner",
    "reason",
)


def market_events(app) -> list[tuple[str, dict]]:
    """Return the test ward's events, in order, as (type, data)."""
    with app.app_context():
        return [
            (row.type, row.data)
            for row in db.session.scalars(
                sa.select(Event).where(Event.feed == f"ward:{WARD}").order_by(Event.seq)
            )
        ]


def assert_public(data: dict, *more: str) -> None:
    text = json.dumps(data, ensure_ascii=False)
    for secret in SECRETS + more:
        assert secret not in text, secret


def test_registering_is_not_announced_verifying_is(app, pending, staff, zone):
    assert market_events(app) == []  # a pending registration is not public
    assert staff.post(f"/api/v1/merchants/{pending}/verify").status_code == 200
    assert staff.post(f"/api/v1/merchants/{pending}/verify").status_code == 200  # idempotent
    ((kind, data),) = market_events(app)
    assert kind == "merchant.verified"
    assert set(data) == PUBLIC_KEYS
    assert data == {
        "merchant_id": pending,
        "zone_id": zone,
        "zone": "Chợ Phú Diễn",
        "zone_kind": "market",
        "name": MERCHANT["name"],
        "stall": MERCHANT["stall"],
        "category": MERCHANT["category"],
        "opening_hours": MERCHANT["opening_hours"],
        "status": "verified",
    }
    assert_public(data)


def test_suspending_rejecting_and_reinstating(app, verified, staff, register):
    reason = "Bán hàng giả, chủ hộ Nguyễn Văn Mộc đã bị nhắc nhở."
    assert (
        staff.post(f"/api/v1/merchants/{verified}/suspend", json={"reason": reason}).status_code
        == 200
    )
    kind, data = market_events(app)[-1]
    assert (kind, data) == (
        "merchant.suspended",
        {
            "merchant_id": verified,
            "zone_id": data["zone_id"],
            "from": "verified",
            "status": "suspended",
        },
    )
    assert staff.post(f"/api/v1/merchants/{verified}/verify").status_code == 200
    assert market_events(app)[-1][0] == "merchant.verified"  # reinstated

    other = register(name="Tạp hóa Bà Tư", stall="Ki-ốt B01", account_number="0011009999999")
    assert (
        staff.post(f"/api/v1/merchants/{other}/reject", json={"reason": reason}).status_code == 200
    )
    kind, data = market_events(app)[-1]
    assert kind == "merchant.rejected"
    assert data == {
        "merchant_id": other,
        "zone_id": data["zone_id"],
        "from": "pending",
        "status": "rejected",
    }
    assert_public(data, reason, "Tạp hóa Bà Tư")  # a registration never listed stays unnamed
    for _, data in market_events(app):
        assert_public(data, reason)


def test_a_listed_merchants_public_changes_are_announced(app, verified, owner, staff):
    before = len(market_events(app))
    # A change of what only staff and the owner see: nothing public changed.
    assert owner.patch(f"/api/v1/merchants/{verified}", json={"phone": "0987654321"}).status_code
    assert len(market_events(app)) == before
    # The public storefront changed.
    response = owner.patch(f"/api/v1/merchants/{verified}", json={"opening_hours": "7:00–21:00"})
    assert response.status_code == 200
    kind, data = market_events(app)[-1]
    assert kind == "merchant.updated" and data["opening_hours"] == "7:00–21:00"
    assert data["status"] == "verified"
    # Its products changed: a mirror reads the merchant again.
    added = owner.post(
        f"/api/v1/merchants/{verified}/products", json={"name": "Bưởi Diễn", "price": 60000}
    )
    assert added.status_code == 201
    assert owner.patch(f"/api/v1/products/{added.get_json()['id']}", json={"price": 1}).status_code
    assert owner.delete(f"/api/v1/products/{added.get_json()['id']}").status_code == 204
    assert [kind for kind, _ in market_events(app)[-3:]] == ["merchant.updated"] * 3
    # A new account: back to pending, out of the listing, without a word of the account.
    new_account = "0011007777777"
    response = owner.patch(f"/api/v1/merchants/{verified}", json={"account_number": new_account})
    assert response.get_json()["status"] == "pending"
    kind, data = market_events(app)[-1]
    assert (kind, data["status"]) == ("merchant.updated", "pending")
    assert_public(data, new_account)
    # Pending: its changes are nobody's business outside.
    count = len(market_events(app))
    owner.patch(f"/api/v1/merchants/{verified}", json={"name": "Cà phê Mộc 2"})
    assert len(market_events(app)) == count
    assert staff.post(f"/api/v1/merchants/{verified}/verify").status_code == 200
    kind, data = market_events(app)[-1]
    assert (kind, data["name"]) == ("merchant.verified", "Cà phê Mộc 2")


def test_the_demo_verifies_through_the_service_and_announces_it(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    with app.app_context():
        verified = db.session.scalar(
            sa.select(sa.func.count()).select_from(Event).where(Event.type == "merchant.verified")
        )
    assert verified > 0
    assert runner.invoke(args=["demo", "load"]).exit_code == 0  # idempotent: no more events
    with app.app_context():
        again = db.session.scalar(
            sa.select(sa.func.count()).select_from(Event).where(Event.type == "merchant.verified")
        )
    assert again == verified
