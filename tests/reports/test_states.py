"""States and history: who may move a report where, reopening, rating."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from reports.models import CLOSED_STATUSES, STATUS_LABELS, TRANSITIONS


@pytest.mark.parametrize(
    "path",
    [
        ["acknowledged", "in_progress", "resolved"],
        ["acknowledged", "rejected"],
        ["in_progress", "referred"],
        ["resolved"],
    ],
)
def test_staff_move_a_report_and_each_change_is_public_history(
    api, people, staff, send_report, move, path
):
    """Each step is 200 with its note in the history (oldest first); closed ones stop."""
    sent = send_report(people[2])
    for status in path:
        response = move(staff, sent["id"], status, note=f"Ghi chú {status}")
        assert response.status_code == 200, response.get_json()
        body = response.get_json()
        assert body["status"] == status and body["status_label"] == STATUS_LABELS[status]
    api.logout()
    shown = api.get(f"/api/v1/reports/{sent['id']}").get_json()
    assert [h["status"] for h in shown["history"]] == ["received", *path]
    assert [h["note"] for h in shown["history"]][1:] == [f"Ghi chú {s}" for s in path]
    ats = [h["at"] for h in shown["history"]]
    assert ats == sorted(ats) and all(a.endswith("+07:00") for a in ats)
    closed = path[-1] in CLOSED_STATUSES
    assert (shown["closed_at"] is not None) == closed
    if closed:
        again = move(staff, sent["id"], "in_progress")
        assert again.status_code == 409
        assert again.get_json()["error"]["code"] == "transition_not_allowed"


def test_the_transition_table_is_the_rule(api, people, staff, send_report, move):
    """Every (from, to) pair not in TRANSITIONS is 409; a backwards move is refused."""
    sent = send_report(people[2])
    assert move(staff, sent["id"], "in_progress").status_code == 200
    for target in STATUS_LABELS:
        if target in TRANSITIONS["in_progress"]:
            continue
        assert move(staff, sent["id"], target).status_code == 409, target
    assert move(staff, sent["id"], "received").status_code == 409


def test_who_may_change_the_status(api, people, others, staff, other_staff, send_report, move):
    """The reporter, another resident, another ward's staff: 403; nobody signed in: 401."""
    sent = send_report(people[2])
    assert move(people[2], sent["id"], "acknowledged").status_code == 403
    assert move(people[3], sent["id"], "acknowledged").status_code == 403
    assert move(other_staff, sent["id"], "acknowledged").status_code == 403
    api.logout()
    anonymous = api.post(
        f"/api/v1/reports/{sent['id']}/status", json={"status": "acknowledged", "note": "x"}
    )
    assert anonymous.status_code == 401
    assert move(staff, 999999, "acknowledged").status_code == 404


def test_a_bad_status_body_is_422(api, people, staff, send_report, move):
    """Unknown status, empty note, missing note: 422 by field label."""
    sent = send_report(people[2])
    unknown = move(staff, sent["id"], "done")
    assert unknown.status_code == 422
    assert unknown.get_json()["error"]["details"]["errors"][0]["label"] == "Trạng thái"
    assert move(staff, sent["id"], "acknowledged", note="  ").status_code == 422
    api.login(staff)
    no_note = api.post(f"/api/v1/reports/{sent['id']}/status", json={"status": "acknowledged"})
    assert no_note.status_code == 422


def test_a_duplicate_points_at_a_report_of_the_same_ward(
    api, people, others, staff, send_report, move
):
    """`duplicate` needs `duplicate_of`: another report of the ward, not itself, not a copy."""
    original = send_report(people[2])
    copy = send_report(people[3])
    elsewhere = send_report(others[2], ward="00025", lat=21.0278, long=105.819)
    assert move(staff, copy["id"], "duplicate").status_code == 422
    assert move(staff, copy["id"], "duplicate", duplicate_of=elsewhere["id"]).status_code == 422
    assert move(staff, copy["id"], "duplicate", duplicate_of=copy["id"]).status_code == 422
    assert move(staff, copy["id"], "resolved", duplicate_of=original["id"]).status_code == 422
    done = move(staff, copy["id"], "duplicate", duplicate_of=original["id"])
    assert done.status_code == 200 and done.get_json()["duplicate_of"] == original["id"]
    third = send_report(people[4])
    chained = move(staff, third["id"], "duplicate", duplicate_of=copy["id"])
    assert chained.status_code == 422


def test_the_reporter_reopens_within_14_days(api, people, staff, send_report, move):
    """Resolved → reopened by its reporter within 14 days: received again, with a new due."""
    sent = send_report(people[2])
    assert move(people[3], sent["id"], "resolved").status_code == 403  # not staff
    resolved = move(staff, sent["id"], "resolved", note="Đã thu gom.").get_json()

    api.login(people[3])
    assert api.post(f"/api/v1/reports/{sent['id']}/reopen", json={}).status_code == 403
    with time_machine.travel(datetime.now(UTC) + timedelta(days=13), tick=True):
        api.login(people[2])
        shown = api.get(f"/api/v1/reports/{sent['id']}").get_json()
        assert shown["can_reopen"] is True
        reopened = api.post(f"/api/v1/reports/{sent['id']}/reopen", json={"note": "Rác lại bị đổ."})
        assert reopened.status_code == 200, reopened.get_json()
        body = reopened.get_json()
        assert body["status"] == "received" and body["closed_at"] is None
        assert body["due_at"] > resolved["due_at"]
        assert body["history"][-1]["status"] == "received"
        assert "Rác lại bị đổ." in body["history"][-1]["note"]
        again = api.post(f"/api/v1/reports/{sent['id']}/reopen", json={})
        assert again.status_code == 409  # not resolved any more


def test_reopening_after_14_days_or_before_resolution_is_409(api, people, staff, send_report, move):
    """Too late, or not resolved (rejected, in progress): 409."""
    late = send_report(people[2])
    move(staff, late["id"], "resolved")
    with time_machine.travel(datetime.now(UTC) + timedelta(days=15), tick=True):
        api.login(people[2])
        refused = api.post(f"/api/v1/reports/{late['id']}/reopen", json={})
        assert refused.status_code == 409
        assert refused.get_json()["error"]["code"] == "reopen_not_allowed"
    rejected = send_report(people[2])
    move(staff, rejected["id"], "rejected", note="Không thuộc địa bàn.")
    api.login(people[2])
    assert api.post(f"/api/v1/reports/{rejected['id']}/reopen", json={}).status_code == 409
    open_one = send_report(people[2])
    assert api.post(f"/api/v1/reports/{open_one['id']}/reopen", json={}).status_code == 409
    api.logout()
    assert api.post(f"/api/v1/reports/{open_one['id']}/reopen", json={}).status_code == 401


def test_the_reporter_rates_a_closed_report_once(api, people, staff, send_report, move):
    """Stars 1–5 once closed, by the reporter only; twice → 409; open → 409; 6 → 422."""
    sent = send_report(people[2])
    assert api.post(f"/api/v1/reports/{sent['id']}/rating", json={"stars": 5}).status_code == 409
    move(staff, sent["id"], "resolved")
    api.login(people[3])
    assert api.post(f"/api/v1/reports/{sent['id']}/rating", json={"stars": 5}).status_code == 403
    api.login(people[2])
    assert api.post(f"/api/v1/reports/{sent['id']}/rating", json={"stars": 6}).status_code == 422
    assert api.post(f"/api/v1/reports/{sent['id']}/rating", json={"stars": 0}).status_code == 422
    first = api.post(f"/api/v1/reports/{sent['id']}/rating", json={"stars": 4})
    assert first.status_code == 201 and first.get_json()["stars"] == 4
    second = api.post(f"/api/v1/reports/{sent['id']}/rating", json={"stars": 1})
    assert second.status_code == 409 and second.get_json()["error"]["code"] == "already_rated"
    shown = api.get(f"/api/v1/reports/{sent['id']}").get_json()
    assert shown["rating"] == 4 and shown["can_rate"] is False


def test_a_rating_retried_with_its_key_is_replayed(api, people, staff, send_report, move):
    """The same Idempotency-Key replays the 201 instead of answering 409."""
    sent = send_report(people[2])
    move(staff, sent["id"], "resolved")
    api.login(people[2])
    api.headers = {**api.headers, "Idempotency-Key": "danh-gia-00001"}
    url = f"/api/v1/reports/{sent['id']}/rating"
    first = api.post(url, json={"stars": 5})
    again = api.post(url, json={"stars": 5})
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.headers.get("Idempotent-Replayed") == "true"


def test_staff_file_a_report_under_another_category_and_its_deadline_follows(
    api, people, others, staff, other_staff, send_report
):
    """Rubbish (2 working days) → roads (5): due moves on, the change is public history."""
    hanoi = ZoneInfo("Asia/Ho_Chi_Minh")
    with time_machine.travel(datetime(2026, 11, 30, 9, 0, tzinfo=hanoi), tick=True):  # Monday
        sent = send_report(people[2], category="rac_thai")
        assert sent["due_at"].startswith("2026-12-02T23:59:59")
        api.login(people[2])
        refused = api.patch(f"/api/v1/reports/{sent['id']}", json={"category": "duong_via_he"})
        assert refused.status_code == 403
        api.login(other_staff)
        assert (
            api.patch(f"/api/v1/reports/{sent['id']}", json={"category": "duong_via_he"})
        ).status_code == 403

        api.login(staff)
        moved = api.patch(f"/api/v1/reports/{sent['id']}", json={"category": "duong_via_he"})

        assert moved.status_code == 200, moved.get_json()
        body = moved.get_json()
        assert body["category"] == "duong_via_he"
        assert body["due_at"].startswith("2026-12-07T23:59:59")  # 5 working days, a weekend
        assert body["history"][-1]["note"] == "Chuyển sang loại «Đường, vỉa hè hư hỏng»."
        unknown = api.patch(f"/api/v1/reports/{sent['id']}", json={"category": "khong_co"})
        assert unknown.status_code == 422
        assert unknown.get_json()["error"]["details"]["errors"][0]["field"] == "category"
        api.post(
            f"/api/v1/reports/{sent['id']}/status", json={"status": "resolved", "note": "Xong."}
        )
        closed = api.patch(f"/api/v1/reports/{sent['id']}", json={"category": "rac_thai"})
        assert closed.status_code == 409


def test_filing_a_report_back_and_forth_does_not_move_its_deadline(api, people, staff, send_report):
    """The clock starts when the report was received, not at the staff's last change."""
    hanoi = ZoneInfo("Asia/Ho_Chi_Minh")
    with time_machine.travel(datetime(2026, 11, 30, 9, 0, tzinfo=hanoi), tick=True):
        sent = send_report(people[2], category="rac_thai")
    with time_machine.travel(datetime(2026, 12, 2, 9, 0, tzinfo=hanoi), tick=True):
        api.login(staff)
        api.patch(f"/api/v1/reports/{sent['id']}", json={"category": "khac"})
        back = api.patch(f"/api/v1/reports/{sent['id']}", json={"category": "rac_thai"})

    assert back.status_code == 200
    assert back.get_json()["due_at"] == sent["due_at"]
