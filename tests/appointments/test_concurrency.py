"""Concurrent requests from many clients: the database holds capacity, numbers and calls."""

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import sqlalchemy as sa

from app.extensions import db
from appointments.models import Appointment, BookingSlot
from tests.appointments.conftest import WARD, local, slot_of

THREADS = 16


def _run(app, requests, send):
    """Send each request from a pool of threads, each thread with its own test client."""
    local_state = threading.local()

    def one(request):
        if not hasattr(local_state, "client"):
            local_state.client = app.test_client()
        response = send(local_state.client, request)
        return request, response.status_code, response.get_json()

    with ThreadPoolExecutor(THREADS) as pool:
        return list(pool.map(one, requests))


def test_sixty_people_race_for_five_places(app, client, make_service, make_residents):
    """Exactly 5 × 201, the rest 409 slot_full, no 5xx; the counter equals the bookings."""
    service = make_service(capacity=5)
    people = make_residents(60, prefix="dua")
    start = local(7, 9)

    def send(test_client, person):
        return test_client.post(
            "/api/v1/appointments",
            json={"service_id": service["id"], "start": start},
            headers=person.headers,
        )

    answers = _run(app, people, send)
    statuses = Counter(status for _, status, _ in answers)
    assert statuses == {201: 5, 409: 55}, statuses
    assert {body["error"]["code"] for _, status, body in answers if status == 409} == {"slot_full"}
    winners = {body["id"] for _, status, body in answers if status == 201}
    assert len(winners) == 5
    assert len({body["code"] for _, status, body in answers if status == 201}) == 5

    assert slot_of(client, service, start)["remaining"] == 0
    with app.app_context():
        counter = db.session.scalar(
            sa.select(BookingSlot.booked).where(BookingSlot.service_id == service["id"])
        )
        active = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Appointment)
            .where(Appointment.service_id == service["id"], Appointment.status == "booked")
        )
    assert counter == active == 5


def test_forty_walk_ins_at_once_are_numbered_one_to_forty(app, make_service, staff_headers):
    service = make_service()

    def send(test_client, _):
        return test_client.post(
            f"/api/v1/wards/{WARD}/queue/tickets",
            json={"service_id": service["id"]},
            headers=staff_headers,
        )

    answers = _run(app, range(40), send)
    assert Counter(status for _, status, _ in answers) == {201: 40}, [
        body for _, status, body in answers if status != 201
    ]
    assert sorted(body["number"] for _, _, body in answers) == list(range(1, 41))


def test_walk_ins_at_once_stop_at_the_cap(app, hall, make_service, staff_headers):
    """30 requests, a cap of 12: numbers 1..12 given, 18 refused, none lost."""
    service = make_service(walk_in_cap=12)

    def send(test_client, _):
        return test_client.post(
            f"/api/v1/wards/{WARD}/queue/tickets",
            json={"service_id": service["id"]},
            headers=staff_headers,
        )

    answers = _run(app, range(30), send)
    assert Counter(status for _, status, _ in answers) == {201: 12, 409: 18}
    assert sorted(b["number"] for _, s, b in answers if s == 201) == list(range(1, 13))
    assert {b["error"]["code"] for _, s, b in answers if s == 409} == {"walk_in_cap_reached"}


def test_four_counters_call_thirty_tickets_each_once(app, hall, make_service, staff_headers):
    """Counters 1–4 call next at once until nobody waits: each ticket called once, in all."""
    service = make_service(counters=4)
    issued = [hall.issued(service)["id"] for _ in range(30)]

    def send(test_client, counter):
        called = []
        while True:
            response = test_client.post(
                f"/api/v1/wards/{WARD}/queue/call-next",
                json={"counter": counter, "service_id": service["id"]},
                headers=staff_headers,
            )
            if response.status_code != 200:
                return response, called
            called.append(response.get_json()["id"])

    results = []
    lock = threading.Lock()

    def counter_loop(counter):
        test_client = app.test_client()
        last, called = send(test_client, counter)
        with lock:
            results.append((counter, last.status_code, last.get_json(), called))

    threads = [threading.Thread(target=counter_loop, args=(n,)) for n in range(1, 5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    for _counter, status, body, _ in results:
        assert status == 409 and body["error"]["code"] == "queue_empty", body
    called = [ticket for *_, calls in results for ticket in calls]
    assert sorted(called) == sorted(issued)  # each once, none left out
    tickets = hall.tickets(status="called").get_json()["items"]
    assert len(tickets) == 30
    by_counter = {t["id"]: t["counter"] for t in tickets}
    for counter, *_, calls in results:
        assert all(by_counter[ticket] == counter for ticket in calls)
    assert all(t["call_count"] == 1 for t in tickets)


def test_double_tap_on_two_slots_books_one(app, client, make_service, make_residents):
    """Each person sends two bookings of different slots at once: one stands, no place leaks."""
    service = make_service(capacity=3)
    people = make_residents(20, prefix="cham-hai-lan")
    slots = (local(7, 10), local(7, 10, 15))
    requests = [(person, start) for person in people for start in slots]

    def send(test_client, request):
        person, start = request
        return test_client.post(
            "/api/v1/appointments",
            json={"service_id": service["id"], "start": start},
            headers=person.headers,
        )

    answers = _run(app, requests, send)
    assert all(status in (201, 409) for _, status, _ in answers), Counter(
        status for _, status, _ in answers
    )
    per_person = Counter(person.id for (person, _), status, _ in answers if status == 201)
    assert all(count <= 1 for count in per_person.values()), per_person
    refusals = {body["error"]["code"] for _, status, body in answers if status == 409}
    assert refusals <= {"already_booked", "slot_full"}

    with app.app_context():
        holders = Counter(
            db.session.scalars(
                sa.select(Appointment.user_id).where(
                    Appointment.service_id == service["id"], Appointment.status == "booked"
                )
            )
        )
        counters = dict(
            db.session.execute(
                sa.select(BookingSlot.start, BookingSlot.booked).where(
                    BookingSlot.service_id == service["id"]
                )
            ).all()
        )
        by_slot = Counter(
            start
            for (start,) in db.session.execute(
                sa.select(Appointment.start).where(
                    Appointment.service_id == service["id"], Appointment.status == "booked"
                )
            )
        )
    assert all(n == 1 for n in holders.values())  # one booking per person
    assert sum(per_person.values()) == sum(by_slot.values()) == 6  # both slots full
    assert counters == dict(by_slot)  # no place held by a refused request
    for start in slots:
        assert slot_of(client, service, start)["remaining"] == 0


def test_one_person_double_taps_two_slots(app, client, make_service, make_residents):
    """The plain case: one person, two different slots, sent at once, many times over."""
    service = make_service(capacity=10)
    for round_ in range(5):
        (person,) = make_residents(1, prefix=f"mot-nguoi-{round_}")
        starts = [local(7, 13, 30), local(7, 14)]
        answers = _run(
            app,
            starts,
            lambda test_client, start, person=person: test_client.post(
                "/api/v1/appointments",
                json={"service_id": service["id"], "start": start},
                headers=person.headers,
            ),
        )
        statuses = sorted(status for _, status, _ in answers)
        assert statuses == [201, 409], [body for *_, body in answers]
        mine = client.get("/api/v1/me/appointments", headers=person.headers).get_json()["items"]
        assert len(mine) == 1
    taken = sum(10 - slot_of(client, service, s)["remaining"] for s in starts)
    assert taken == 5
