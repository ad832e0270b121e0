"""A double tap at the counter does one thing: one person called, one number given."""

from tests.appointments.conftest import WARD


def _walk_in(client, service, headers, key=None):
    extra = {"Idempotency-Key": key} if key else {}
    response = client.post(
        f"/api/v1/wards/{WARD}/queue/tickets",
        json={"service_id": service["id"]},
        headers={**headers, **extra},
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_call_next_twice_with_one_key_calls_one_person(client, make_service, staff_headers):
    service = make_service()
    first = _walk_in(client, service, staff_headers)
    second = _walk_in(client, service, staff_headers)
    tap = {**staff_headers, "Idempotency-Key": "goi-so-quay-1-0001"}
    answers = [
        client.post(f"/api/v1/wards/{WARD}/queue/call-next", json={"counter": 1}, headers=tap)
        for _ in range(2)
    ]
    assert [a.status_code for a in answers] == [200, 200]
    assert answers[0].get_json()["id"] == answers[1].get_json()["id"] == first["id"]
    assert answers[1].headers.get("Idempotent-Replayed") == "true"
    waiting = client.get(
        f"/api/v1/wards/{WARD}/queue/tickets?status=waiting", headers=staff_headers
    ).get_json()["items"]
    assert [t["id"] for t in waiting] == [second["id"]]


def test_walk_in_double_tap_gives_one_number(client, make_service, staff_headers):
    service = make_service()
    a = _walk_in(client, service, staff_headers, key="cap-so-0000001")
    b = _walk_in(client, service, staff_headers, key="cap-so-0000001")
    assert a == b and a["number"] == 1
    assert _walk_in(client, service, staff_headers)["number"] == 2


def test_done_and_no_show_twice_answer_the_same_ticket(client, make_service, staff_headers):
    service = make_service(calls_before_no_show=1)
    for _ in range(2):
        _walk_in(client, service, staff_headers)
    call = f"/api/v1/wards/{WARD}/queue/call-next"
    served = client.post(call, json={"counter": 1}, headers=staff_headers).get_json()
    absent = client.post(call, json={"counter": 2}, headers=staff_headers).get_json()
    for ticket, action, status in ((served, "done", "done"), (absent, "no-show", "no_show")):
        url = f"/api/v1/queue/tickets/{ticket['id']}/{action}"
        answers = [client.post(url, headers=staff_headers) for _ in range(2)]
        assert [a.status_code for a in answers] == [200, 200]
        assert [a.get_json()["status"] for a in answers] == [status, status]
        assert answers[0].get_json()["finished_at"] == answers[1].get_json()["finished_at"]
    # A served ticket cannot then be marked absent (nor the reverse).
    wrong = client.post(f"/api/v1/queue/tickets/{served['id']}/no-show", headers=staff_headers)
    assert wrong.status_code == 409
    assert wrong.get_json()["error"]["code"] == "ticket_state_conflict"
