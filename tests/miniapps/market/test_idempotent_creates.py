"""A double tap on "Gửi đăng ký" (or on a zone, a product) creates one thing."""

import pytest
import sqlalchemy as sa

from app.extensions import db
from tests.miniapps.market.conftest import MERCHANT, WARD


def count(app, table: str) -> int:
    with app.app_context():
        return db.session.scalar(sa.text(f"SELECT count(*) FROM {table}"))  # noqa: S608


def double_tap(caller, url, body, key):
    headers = {**caller.headers, "Idempotency-Key": key}
    return [caller.client.post(url, json=body, headers=headers) for _ in range(2)]


def test_a_stall_registered_twice_by_a_double_tap_exists_once(app, owner, zone):
    first, second = double_tap(
        owner, f"/api/v1/market-zones/{zone}/merchants", MERCHANT, "dang-ky-gian-hang-1"
    )

    assert first.status_code == second.status_code == 201
    assert second.get_json() == first.get_json()
    assert second.headers["Idempotent-Replayed"] == "true"
    assert count(app, "merchant") == 1


def test_a_zone_and_a_product_are_created_once(app, staff, owner, zone):
    before = count(app, "market_zone")
    answers = double_tap(
        staff,
        f"/api/v1/wards/{WARD}/market-zones",
        {"name": "Tuyến phố Cầu Diễn", "kind": "street"},
        "tao-khu-pho-0001",
    )
    assert [a.status_code for a in answers] == [201, 201]
    assert count(app, "market_zone") == before + 1

    merchant = owner.post(f"/api/v1/market-zones/{zone}/merchants", json=MERCHANT).get_json()
    products = count(app, "product")
    answers = double_tap(
        owner,
        f"/api/v1/merchants/{merchant['id']}/products",
        {"name": "Bánh mì pate", "price": 25000},
        "them-san-pham-01",
    )
    assert [a.status_code for a in answers] == [201, 201]
    assert count(app, "product") == products + 1


@pytest.mark.parametrize("changed", [{"stall": "Ki-ốt B7"}, {"account_number": "0011009999"}])
def test_the_same_key_with_another_stall_is_refused(app, owner, zone, changed):
    url = f"/api/v1/market-zones/{zone}/merchants"
    headers = {**owner.headers, "Idempotency-Key": "gian-hang-khac-01"}
    assert owner.client.post(url, json=MERCHANT, headers=headers).status_code == 201

    refused = owner.client.post(url, json={**MERCHANT, **changed}, headers=headers)

    assert refused.status_code == 422
    assert refused.get_json()["error"]["code"] == "idempotency_key_reused"
    assert count(app, "merchant") == 1
