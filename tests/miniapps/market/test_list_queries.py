"""Market lists send as many SQL statements for 12 items as for 2 (no N+1)."""

from tests.conftest import assert_flat_cost
from tests.miniapps.market.conftest import WARD


def test_zones_page_in_a_fixed_number_of_statements(staff, anonymous, zone, count_statements):
    """A ward's zones: a page of 12 costs what a page of 2 does."""
    for number in range(11):
        created = staff.post(
            f"/api/v1/wards/{WARD}/market-zones",
            json={"name": f"Phố số {number}", "kind": "street"},
        )
        assert created.status_code == 201, created.get_json()
    url = f"/api/v1/wards/{WARD}/market-zones?limit="
    assert_flat_cost(count_statements, lambda n: anonymous.get(f"{url}{n}"))


def test_merchants_page_in_a_fixed_number_of_statements(
    staff, owner, stranger, anonymous, zone, register, count_statements
):
    """The directory (anyone), the pending list (staff) and the owner's own stalls."""
    ids = [register(name=f"Cửa hàng số {number}") for number in range(12)]
    url = f"/api/v1/market-zones/{zone}/merchants?limit="
    assert_flat_cost(count_statements, lambda n: staff.get(f"{url}{n}&status=pending"))
    assert_flat_cost(count_statements, lambda n: owner.get(f"/api/v1/me/merchants?limit={n}"))
    for merchant_id in ids:
        verified = staff.post(f"/api/v1/merchants/{merchant_id}/verify")
        assert verified.status_code == 200, verified.get_json()
    for caller in (anonymous, stranger, owner, staff):
        assert_flat_cost(count_statements, lambda n, caller=caller: caller.get(f"{url}{n}"))


def test_duplicate_warnings_cost_one_query_per_page(staff, zone, register, count_statements):
    """Every pending merchant shares the account and the stall of the others: still flat."""
    for number in range(12):
        register(name=f"Cửa hàng số {number}", stall="Ki-ốt A12")
    url = f"/api/v1/market-zones/{zone}/merchants?status=pending&limit="
    assert_flat_cost(count_statements, lambda n: staff.get(f"{url}{n}"))
    items = staff.get(f"{url}12").get_json()["items"]
    assert all(len(item["duplicates"]) == 11 for item in items)
    assert all(d["same_account"] and d["same_stall"] for d in items[0]["duplicates"])
