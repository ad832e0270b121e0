"""The ward's statistics over a known day, the CSV for Excel, and the reminder job."""

import csv
import io
from datetime import timedelta

import pytest

import appointments
from app.jobs import registered_jobs
from tests.appointments.conftest import WARD, booked, error, field_errors, local

STATS = f"/api/v1/wards/{WARD}/booking-stats"
DAY = {"from": "2026-12-07", "to": "2026-12-07"}


@pytest.fixture
def busy_monday(client, clock, hall, make_service, make_residents):
    """A morning at the counter with known figures (ADR 0018's definitions).

    Hộ tịch, Monday 7 December: five bookings (one cancelled), two walk-ins; waits 10, 5, 40,
    20 and 40 minutes; a1 called on time, a2 and a5 late, a4 never came (missed once its slot
    ended), a5 called twice then absent; stars 5 and 2. Phòng họp: one walk-in, never called.
    A booking of Tuesday is outside the day.
    """
    s1, s2 = make_service(name="Hộ tịch"), make_service(name="Phòng họp")
    r = make_residents(6)
    a1 = booked(client, r[0], s1, local(7, 8))
    a2 = booked(client, r[1], s1, local(7, 8))
    a3 = booked(client, r[2], s1, local(7, 8, 15))
    a4 = booked(client, r[3], s1, local(7, 8, 30))
    a5 = booked(client, r[4], s1, local(7, 8, 30))
    booked(client, r[5], s1, local(8, 8))  # Tuesday
    assert client.delete(f"/api/v1/appointments/{a3['id']}", headers=r[2].headers).status_code
    hall.issued(s2)

    clock.shift(timedelta(minutes=40))  # 07:40
    w1 = hall.issued(s1)
    clock.shift(timedelta(minutes=10))  # 07:50
    hall.checked_in(a1["code"])
    hall.checked_in(a2["code"])
    assert hall.called(1, s1)["id"] == w1["id"]  # waited 10
    clock.shift(timedelta(minutes=5))  # 07:55
    t1 = hall.called(2, s1)  # a1 waited 5, on time
    assert t1["appointment_id"] == a1["id"]
    hall.done(w1)
    hall.done(t1)

    clock.shift(timedelta(minutes=15))  # 08:10
    w2 = hall.issued(s1)
    hall.checked_in(a5["code"])
    clock.shift(timedelta(minutes=20))  # 08:30
    t2 = hall.called(1, s1)  # a2 waited 40, late (08:30 > 08:15)
    assert t2["appointment_id"] == a2["id"]
    assert hall.called(2, s1)["id"] == w2["id"]  # waited 20
    hall.done(t2)
    hall.done(w2)

    clock.shift(timedelta(minutes=20))  # 08:50: a4's slot ended at 08:45
    t5 = hall.called(1, s1)  # a5 waited 40, late (08:50 > 08:45)
    assert t5["appointment_id"] == a5["id"]
    assert hall.act(t5["id"], "recall").status_code == 200
    assert hall.act(t5["id"], "no-show").status_code == 200

    for made, person, stars in ((a1, r[0], 5), (a2, r[1], 2)):
        rated = client.post(
            f"/api/v1/appointments/{made['id']}/rating",
            json={"stars": stars},
            headers=person.headers,
        )
        assert rated.status_code == 201
    return s1, s2, a4


HOTICH = {
    "bookings": 5,
    "cancelled": 1,
    "served": 4,
    "no_shows": 2,  # a5 absent when called, a4 never came
    "walk_ins": 2,
    "unfinished": 0,
    "median_wait_minutes": 20.0,
    "p90_wait_minutes": 40.0,
    # Called within 15 minutes of the booked start, of the bookings called (ADR 0018): a1 of
    # a1, a2 and a5; a4 never came, a no-show rather than the ward's lateness.
    "on_time_share": 0.3333,
    "average_rating": 3.5,
    "ratings": 2,
}
EMPTY = {
    "bookings": 0,
    "cancelled": 0,
    "served": 0,
    "no_shows": 0,
    "walk_ins": 1,
    "unfinished": 0,
    "median_wait_minutes": None,
    "p90_wait_minutes": None,
    "on_time_share": None,
    "average_rating": None,
    "ratings": 0,
}


def test_statistics_of_a_known_day(client, busy_monday, staff_headers):
    s1, s2, _ = busy_monday
    response = client.get(STATS, query_string=DAY, headers=staff_headers)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert (body["from"], body["to"]) == ("2026-12-07", "2026-12-07")
    items = {i["service_id"]: i for i in body["items"]}
    assert items[s1["id"]] == {"service_id": s1["id"], "name": "Hộ tịch", **HOTICH}
    assert items[s2["id"]] == {"service_id": s2["id"], "name": "Phòng họp", **EMPTY}
    assert body["total"] == {
        "service_id": None,
        "name": body["total"]["name"],
        **HOTICH,
        "walk_ins": 3,
    }


def test_counts_without_the_on_time_share(client, busy_monday, staff_headers):
    """The counts, waits and ratings alone (they do not depend on the on-time definition)."""
    s1, _, _ = busy_monday
    body = client.get(STATS, query_string=DAY, headers=staff_headers).get_json()
    row = next(i for i in body["items"] if i["service_id"] == s1["id"])
    expected = {k: v for k, v in HOTICH.items() if k != "on_time_share"}
    assert {k: row[k] for k in expected} == expected


def test_statistics_of_one_service(client, busy_monday, staff_headers):
    s1, _, _ = busy_monday
    response = client.get(
        STATS, query_string={**DAY, "service_id": s1["id"]}, headers=staff_headers
    )
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert [i["service_id"] for i in body["items"]] == [s1["id"]]
    assert body["total"]["walk_ins"] == 2 and body["total"]["bookings"] == 5


def test_period_bounds(client, busy_monday, staff_headers):
    """Tuesday alone holds its one booking; a period with both days holds six."""
    tuesday = client.get(
        STATS, query_string={"from": "2026-12-08", "to": "2026-12-08"}, headers=staff_headers
    ).get_json()["total"]
    assert (tuesday["bookings"], tuesday["served"], tuesday["walk_ins"]) == (1, 0, 0)
    both = client.get(
        STATS, query_string={"from": "2026-12-01", "to": "2026-12-31"}, headers=staff_headers
    ).get_json()["total"]
    assert (both["bookings"], both["served"], both["walk_ins"]) == (6, 4, 3)


def test_csv_for_excel(client, busy_monday, staff_headers):
    """UTF-8 with a BOM, a Vietnamese header, a row per service and the total."""
    response = client.get(STATS, query_string={**DAY, "format": "csv"}, headers=staff_headers)
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    data = response.get_data()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:6] == [
        "Dịch vụ",
        "Lượt đặt",
        "Đã hủy",
        "Đã phục vụ",
        "Vắng mặt",
        "Lấy số tại chỗ",
    ]
    assert rows[0][6] == "Chưa phục vụ xong"
    assert len(rows[0]) == 12
    assert [r[0] for r in rows[1:]] == ["Hộ tịch", "Phòng họp", "Tổng cộng"]
    assert rows[1][1:9] == ["5", "1", "4", "2", "2", "0", "20.0", "40.0"]
    assert rows[1][10:] == ["3.5", "2"]
    assert rows[2][7:10] == ["", "", ""]  # no wait, no on-time share: empty cells
    assert "attachment" in response.headers["Content-Disposition"]


def test_from_after_to_is_refused(client, staff_headers, make_service):
    response = client.get(
        STATS, query_string={"from": "2026-12-08", "to": "2026-12-07"}, headers=staff_headers
    )
    errors = field_errors(response)
    assert list(errors) == ["from"] and errors["from"]["label"] == "Từ ngày"
    assert error(response)["details"]["location"] == "query"


def test_statistics_are_for_the_wards_staff(
    client, make_service, make_residents, other_staff_headers
):
    make_service()
    (resident,) = make_residents(1)
    assert client.get(STATS, headers=resident.headers).status_code == 403
    assert client.get(STATS, headers=other_staff_headers).status_code == 403
    assert client.get(STATS).status_code == 401
    assert client.get(STATS, headers=make_service.headers).status_code == 200


# Reminders


def test_reminders_of_tomorrows_bookings(app, client, clock, make_service, make_residents):
    """The job reminds tomorrow's bookings once; not today's, not the day after's, not cancelled."""
    desk, room = make_service(name="Hộ tịch"), make_service(name="Phòng họp")
    me, cancelled, neighbour = make_residents(3)
    today = booked(client, me, desk, local(7, 10))
    morning = booked(client, me, desk, local(8, 8))
    afternoon = booked(client, me, room, local(8, 16))
    later = booked(client, me, desk, local(9, 8))
    gone = booked(client, cancelled, desk, local(8, 9))
    client.delete(f"/api/v1/appointments/{gone['id']}", headers=cancelled.headers)
    theirs = booked(client, neighbour, desk, local(8, 9, 30))

    with app.app_context():
        assert appointments.send_reminders() == 3
        assert appointments.send_reminders() == 0

    def reminded(made, person):
        url = f"/api/v1/appointments/{made['id']}"
        return client.get(url, headers=person.headers).get_json()["reminded"]

    assert [reminded(a, me) for a in (today, morning, afternoon, later)] == [
        False,
        True,
        True,
        False,
    ]
    assert reminded(gone, cancelled) is False and reminded(theirs, neighbour) is True

    mine = client.get("/api/v1/me/reminders", headers=me.headers)
    assert mine.status_code == 200
    assert [a["id"] for a in mine.get_json()["items"]] == [morning["id"], afternoon["id"]]
    assert client.get("/api/v1/me/reminders", headers=cancelled.headers).get_json()["items"] == []
    assert client.get("/api/v1/me/reminders").status_code == 401

    clock.shift(timedelta(days=1, hours=1, minutes=5))  # Tuesday 08:05: the morning has begun
    mine = client.get("/api/v1/me/reminders", headers=me.headers).get_json()["items"]
    assert [a["id"] for a in mine] == [afternoon["id"]]
    result = app.test_cli_runner().invoke(args=["jobs", "once", "appointments.remind"])
    assert result.exit_code == 0, result.output
    assert "appointments.remind: 1" in result.output  # Wednesday's booking
    assert reminded(later, me) is True


def test_the_reminder_job_is_registered(app):
    jobs = {job.name: job for job in registered_jobs(app)}
    assert "appointments.remind" in jobs
    job = jobs["appointments.remind"]
    assert job.func is appointments.send_reminders
    assert 0 < job.every_seconds <= 3600
