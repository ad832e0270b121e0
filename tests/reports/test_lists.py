"""The public board, the staff queue, "my reports" with its badge: filters, order, pages, cost."""

from datetime import UTC, datetime, timedelta

import time_machine

from tests.conftest import assert_flat_cost
from tests.reports.conftest import OTHER_WARD, WARD, report_body


def _send_many(api, sub: str, n: int, **changes) -> list[int]:
    api.login(sub)
    ids = []
    for i in range(n):
        response = api.post(
            "/api/v1/reports", json=report_body(description=f"Phản ánh số {i}", **changes)
        )
        assert response.status_code == 201, response.get_json()
        ids.append(response.get_json()["id"])
    return ids


def test_the_board_walks_every_report_once_newest_first(api, people, others):
    """Pages of 3 over 8 reports: each once, newest first; another ward's are not there."""
    ids = _send_many(api, people[2], 8)
    _send_many(api, others[2], 2, ward=OTHER_WARD, lat=21.0278, long=105.819)
    api.logout()
    seen, cursor = [], None
    while True:
        url = "/api/v1/wards/hoan-kiem/reports?limit=3" + (f"&cursor={cursor}" if cursor else "")
        body = api.get(url).get_json()
        seen += [r["id"] for r in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == sorted(ids, reverse=True)
    assert api.get(f"/api/v1/wards/{WARD}/reports?cursor=nope").status_code == 422
    assert api.get("/api/v1/wards/khong-co/reports").status_code == 404


def test_the_board_filters_by_status_category_and_overdue(api, people, staff, move):
    """status (a code, open, closed), category and overdue ("quá hạn") filter the board."""
    with time_machine.travel(datetime.now(UTC) - timedelta(days=20), tick=True):
        old = _send_many(api, people[2], 2, category="tieng_on")
    fresh = _send_many(api, people[2], 2, category="rac_thai")
    move(staff, old[0], "resolved")
    move(staff, fresh[0], "in_progress")
    api.logout()

    def ids(query: str) -> list[int]:
        response = api.get(f"/api/v1/wards/{WARD}/reports?{query}")
        assert response.status_code == 200, response.get_json()
        return [r["id"] for r in response.get_json()["items"]]

    assert ids("status=resolved") == [old[0]]
    assert ids("status=in_progress") == [fresh[0]]
    assert ids("status=closed") == [old[0]]
    assert ids("status=open") == [fresh[1], fresh[0], old[1]]
    assert ids("category=tieng_on") == [old[1], old[0]]
    assert ids("category=khong_co") == []
    assert ids("overdue=true") == [old[1]]
    assert ids("overdue=false") == [fresh[1], fresh[0], old[0]]
    assert ids("status=open&category=rac_thai") == [fresh[1], fresh[0]]
    overdue = api.get(f"/api/v1/reports/{old[1]}").get_json()
    assert overdue["overdue"] is True
    assert api.get(f"/api/v1/wards/{WARD}/reports?status=xong").status_code == 422


def test_the_queue_is_open_reports_by_due_overdue_first(api, people, others, staff, move):
    """Staff only; open reports only; earliest due first, so the overdue lead."""
    with time_machine.travel(datetime.now(UTC) - timedelta(days=20), tick=True):
        (late,) = _send_many(api, people[2], 1, category="duong_via_he")  # 5 working days
    (noise,) = _send_many(api, people[2], 1, category="tieng_on")  # 2 working days
    (road,) = _send_many(api, people[2], 1, category="duong_via_he")
    (closed,) = _send_many(api, people[2], 1)
    move(staff, closed, "rejected", note="Không thuộc thẩm quyền.")

    api.login(people[3])
    assert api.get(f"/api/v1/wards/{WARD}/reports/queue").status_code == 403
    api.logout()
    assert api.get(f"/api/v1/wards/{WARD}/reports/queue").status_code == 401
    api.login(staff)
    body = api.get(f"/api/v1/wards/{WARD}/reports/queue").get_json()
    assert [r["id"] for r in body["items"]] == [late, noise, road]
    assert body["items"][0]["overdue"] is True and body["items"][0]["reporter"]
    walked, cursor = [], None
    while True:
        url = f"/api/v1/wards/{WARD}/reports/queue?limit=1" + (
            f"&cursor={cursor}" if cursor else ""
        )
        page = api.get(url).get_json()
        walked += [r["id"] for r in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert walked == [late, noise, road]


def test_my_reports_carry_their_status_and_a_badge(api, people, staff, move):
    """A change by the ward shows as unseen until the reporter's app marks it seen."""
    mine = _send_many(api, people[2], 2)
    _send_many(api, people[3], 1)
    api.login(people[2])
    body = api.get("/api/v1/me/reports").get_json()
    assert [r["id"] for r in body["items"]] == mine[::-1]
    assert body["unseen_count"] == 0 and all(r["mine"] for r in body["items"])

    move(staff, mine[0], "acknowledged", note="Đã nhận.")
    move(staff, mine[0], "in_progress", note="Đang xử lý.")
    move(staff, mine[1], "acknowledged", note="Đã nhận.")
    api.login(people[2])
    assert api.get("/api/v1/me/reports/unseen-count").get_json() == {"unseen_count": 2}
    items = {r["id"]: r for r in api.get("/api/v1/me/reports").get_json()["items"]}
    assert items[mine[0]]["updated_since_seen"] is True
    assert items[mine[0]]["status"] == "in_progress"

    assert api.post("/api/v1/me/reports/seen", json={"report_ids": [mine[0]]}).status_code == 204
    assert api.get("/api/v1/me/reports/unseen-count").get_json() == {"unseen_count": 1}
    assert api.post("/api/v1/me/reports/seen", json={}).status_code == 204
    assert api.get("/api/v1/me/reports/unseen-count").get_json() == {"unseen_count": 0}
    api.logout()
    assert api.get("/api/v1/me/reports").status_code == 401


def test_list_costs_do_not_grow_with_the_page(api, people, staff, count_statements, move):
    """The board, the queue and my reports send as many statements for 2 items as for 12."""
    ids = _send_many(api, people[2], 13)
    for report_id in ids[:3]:
        move(staff, report_id, "acknowledged", note="Đã nhận.")
    api.login(staff)

    def board(n):
        return api.get(f"/api/v1/wards/{WARD}/reports?limit={n}")

    def queue(n):
        return api.get(f"/api/v1/wards/{WARD}/reports/queue?limit={n}")

    assert_flat_cost(count_statements, board)
    assert_flat_cost(count_statements, queue)
    api.login(people[2])
    assert_flat_cost(count_statements, lambda n: api.get(f"/api/v1/me/reports?limit={n}"))
    api.logout()
    assert_flat_cost(count_statements, board)


def test_a_queue_cursor_past_the_calendar_is_a_422_not_a_crash(api, staff):
    """A crafted cursor whose due time leaves the storable range is refused like any bad one."""
    from app.pagination import encode_cursor

    api.login(staff)
    for due in ("9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00"):
        cursor = encode_cursor([due, 1])
        response = api.get(f"/api/v1/wards/{WARD}/reports/queue?cursor={cursor}")
        assert response.status_code == 422, due
