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


def test_ticket_list_pages_with_flat_cost_and_true_places(
    client, make_service, make_residents, staff_headers, count_statements
):
    """Bookings and walk-ins alike; a later page's places count those waiting before it."""
    service = make_service(capacity=100)
    for n, resident in enumerate(make_residents(12)):
        if n % 2:
            walk_in = client.post(
                f"/api/v1/wards/{WARD}/queue/tickets",
                json={"service_id": service["id"]},
                headers=staff_headers,
            )
            assert walk_in.status_code == 201
            continue
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
        assert checked.status_code == 200

    def tickets(limit: int):
        return client.get(
            f"/api/v1/wards/{WARD}/queue/tickets?limit={limit}", headers=staff_headers
        )

    assert_flat_cost(count_statements, tickets)
    first = tickets(5).get_json()
    second = client.get(
        f"/api/v1/wards/{WARD}/queue/tickets?limit=5&cursor={first['next_cursor']}",
        headers=staff_headers,
    ).get_json()
    places = [t["waiting_ahead"] for t in first["items"] + second["items"]]
    assert places == list(range(10))
    assert [t["number"] for t in first["items"] + second["items"]] == list(range(1, 11))


def test_hall_screen_cost_does_not_grow_with_services(
    client, make_service, staff_headers, count_statements
):
    def board():
        return client.get(f"/api/v1/wards/{WARD}/queue")

    make_service(name="Dịch vụ 0")
    board()
    _, few = count_statements(board)
    for n in range(1, 8):
        make_service(name=f"Dịch vụ {n}")
    response, many = count_statements(board)
    assert len(response.get_json()["services"]) == 8
    assert len(many) == len(few)
