"""The appointment lists cost the same number of statements for 2 items as for 12 (no N+1)."""

from tests.appointments.conftest import WARD, local
from tests.conftest import assert_flat_cost


def test_day_schedule_with_waiting_tickets_has_a_flat_cost(
    client, make_service, make_residents, staff_headers, count_statements
):
    service = make_service(capacity=100)
    for resident in make_residents(12):
        booked = client.post(
            "/api/v1/appointments",
            json={"service_id": service["id"], "start": local(7, 8, 0)},
            headers=resident.headers,
        )
        assert booked.status_code == 201, booked.get_json()
        checked = client.post(
            f"/api/v1/wards/{WARD}/queue/check-in",
            json={"code": booked.get_json()["code"]},
            headers=staff_headers,
        )
        assert checked.status_code == 200, checked.get_json()

    def schedule(limit: int):
        return client.get(
            f"/api/v1/wards/{WARD}/appointments?date=2026-12-07&limit={limit}",
            headers=staff_headers,
        )

    assert_flat_cost(count_statements, schedule)
    items = schedule(12).get_json()["items"]
    # Each waiting ticket knows how many wait before it, in check-in order.
    assert [i["ticket"]["waiting_ahead"] for i in items] == list(range(12))
    assert all(i["holder"]["name"].startswith("Người dân") for i in items)


def test_my_bookings_have_a_flat_cost(client, make_service, make_residents, count_statements):
    services = [make_service(name=f"Dịch vụ {n}") for n in range(12)]
    (resident,) = make_residents(1)
    for service in services:
        booked = client.post(
            "/api/v1/appointments",
            json={"service_id": service["id"], "start": local(8, 9, 0)},
            headers=resident.headers,
        )
        assert booked.status_code == 201, booked.get_json()

    def mine(limit: int):
        return client.get(f"/api/v1/me/appointments?limit={limit}", headers=resident.headers)

    assert_flat_cost(count_statements, mine)


def test_day_schedule_pages_by_start_then_id(client, make_service, make_residents, staff_headers):
    service = make_service(capacity=2)
    starts = [local(7, 9, 0), local(7, 8, 0), local(7, 8, 0), local(7, 10, 30)]
    for resident, start in zip(make_residents(4), starts, strict=True):
        booked = client.post(
            "/api/v1/appointments",
            json={"service_id": service["id"], "start": start},
            headers=resident.headers,
        )
        assert booked.status_code == 201, booked.get_json()
    url = f"/api/v1/wards/{WARD}/appointments?date=2026-12-07&limit=3"
    first = client.get(url, headers=staff_headers).get_json()
    second = client.get(f"{url}&cursor={first['next_cursor']}", headers=staff_headers).get_json()
    assert [a["start"] for a in first["items"] + second["items"]] == sorted(starts)
    assert second["next_cursor"] is None
    ids = [a["id"] for a in first["items"] + second["items"]]
    assert len(set(ids)) == 4 and ids[0] < ids[1]  # same start: by id
