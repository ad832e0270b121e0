"""Field reports tell outside systems what changed (report.*), with public facts only: never the
reporter, never the text a resident typed, never a moderation reason."""

import json
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
import time_machine

from app.events.models import Event
from app.extensions import db
from app.identity.models import User
from reports.service.handling import REOPEN_NOTE
from tests.reports.conftest import LAT, LONG, WARD, jpeg_with_gps, multipart
from tests.reports.test_open311 import BASE, form, outsider, token  # noqa: F401

CREATED_KEYS = {
    "report_id",
    "category",
    "category_name",
    "status",
    "lat",
    "long",
    "photos",
    "created_at",
    "due_at",
}
STATUS_KEYS = {
    "report_id",
    "category",
    "from",
    "to",
    "note",
    "is_open",
    "duplicate_of",
    "due_at",
    "closed_at",
}
DESCRIPTION = "Rác đổ trộm ở đầu ngõ, bốc mùi."
ADDRESS = "Đầu ngõ 5 Hàng Bông"


def ward_events(app, ward: str = WARD) -> list[tuple[str, dict]]:
    """Return the ward feed's events, in order, as (type, data)."""
    with app.app_context():
        return [
            (row.type, row.data)
            for row in db.session.scalars(
                sa.select(Event).where(Event.feed == f"ward:{ward}").order_by(Event.seq)
            )
        ]


def assert_nothing_personal(app, data: dict, *words: str) -> None:
    """No user's id, sub or name, nor any of `words`, anywhere in the event data."""
    text = json.dumps(data, ensure_ascii=False)
    with app.app_context():
        users = db.session.execute(sa.select(User.id, User.sub, User.name)).all()
    for _, sub, name in users:
        assert sub not in text
        assert not name or name not in text
    assert "reporter" not in text and "user" not in text
    for word in words:
        assert word not in text


def test_a_new_report_is_announced_without_its_text_or_reporter(app, send_report, people):
    sent = send_report(people[2])
    ((kind, data),) = ward_events(app)
    assert kind == "report.created"
    assert set(data) == CREATED_KEYS
    assert data["report_id"] == sent["id"] and data["category"] == "rac_thai"
    assert data["status"] == "received" and data["photos"] == 0
    # The position as the public board shows it (rounded to about 11 m), and its due time.
    assert (
        (data["lat"], data["long"])
        == (sent["lat"], sent["long"])
        == (round(LAT, 4), round(LONG, 4))
    )
    assert data["due_at"] == sent["due_at"] and data["created_at"] == sent["created_at"]
    assert_nothing_personal(app, data, DESCRIPTION, ADDRESS)


def test_a_report_with_photos_counts_them(app, api, people):
    api.login(people[2])
    fields = {"ward": WARD, "category": "rac_thai", "description": DESCRIPTION}
    fields |= {"lat": LAT, "long": LONG}
    body, content_type = multipart(fields, [("photos", jpeg_with_gps())])
    response = api.client.post(
        "/api/v1/reports", data=body, content_type=content_type, headers=api.headers
    )
    assert response.status_code == 201, response.get_json()
    ((_, data),) = ward_events(app)
    assert data["photos"] == 1


def test_an_open311_request_is_announced_too(app, outsider, token, people):  # noqa: F811
    response = outsider.post(f"{BASE}/requests.json", data=form(api_key=token(people[2])))
    assert response.status_code == 201
    ((kind, data),) = ward_events(app)
    assert kind == "report.created"
    assert data["report_id"] == response.get_json()[0]["service_request_id"]


def test_status_changes_carry_the_public_answer(app, send_report, people, staff, move):
    sent = send_report(people[2])
    assert move(staff, sent["id"], "in_progress", note="Đã giao tổ dân phố.").status_code == 200
    resolved = move(staff, sent["id"], "resolved", note="Đã thu gom xong.").get_json()
    changes = [data for kind, data in ward_events(app) if kind == "report.status_changed"]
    assert [set(d) for d in changes] == [STATUS_KEYS, STATUS_KEYS]
    first, second = changes
    assert (first["from"], first["to"], first["note"]) == (
        "received",
        "in_progress",
        "Đã giao tổ dân phố.",
    )
    assert first["is_open"] is True and first["closed_at"] is None
    assert (second["from"], second["to"], second["is_open"]) == ("in_progress", "resolved", False)
    assert second["closed_at"] == resolved["closed_at"] and second["report_id"] == sent["id"]
    for data in changes:
        assert_nothing_personal(app, data, DESCRIPTION, ADDRESS)


def test_a_duplicate_names_the_original(app, send_report, people, staff, move):
    original = send_report(people[2])
    copy = send_report(people[3])
    assert move(staff, copy["id"], "duplicate", duplicate_of=original["id"]).status_code == 200
    kind, data = ward_events(app)[-1]
    assert kind == "report.status_changed" and data["duplicate_of"] == original["id"]


def test_a_refused_change_announces_nothing(app, send_report, people, staff, move):
    sent = send_report(people[2])
    assert move(staff, sent["id"], "rejected", note="Không thuộc thẩm quyền.").status_code == 200
    before = ward_events(app)
    assert move(staff, sent["id"], "in_progress").status_code == 409
    assert move(people[3], sent["id"], "resolved").status_code == 403
    assert ward_events(app) == before


def test_a_reopening_keeps_the_reporters_words_out(app, api, send_report, people, staff, move):
    sent = send_report(people[2])
    move(staff, sent["id"], "resolved", note="Đã thu gom.")
    with time_machine.travel(datetime.now(UTC) + timedelta(days=1), tick=True):
        api.login(people[2])
        words = "Nhà tôi ở số 7, rác lại bị đổ."
        response = api.post(f"/api/v1/reports/{sent['id']}/reopen", json={"note": words})
        assert response.status_code == 200
    kind, data = ward_events(app)[-1]
    assert kind == "report.status_changed"
    assert (data["from"], data["to"], data["is_open"]) == ("resolved", "received", True)
    assert data["note"] == REOPEN_NOTE and data["due_at"] == response.get_json()["due_at"]
    assert_nothing_personal(app, data, words, DESCRIPTION)


def test_recategorising_and_hiding_are_announced(app, api, send_report, people, staff):
    sent = send_report(people[2])
    api.login(staff)
    moved = api.patch(f"/api/v1/reports/{sent['id']}", json={"category": "duong_via_he"})
    assert moved.status_code == 200
    reason = "Lộ tên người: Nguyễn Văn A."
    hidden = api.post(
        f"/api/v1/reports/{sent['id']}/hide", json={"target": "description", "reason": reason}
    )
    assert hidden.status_code in (200, 201)
    # Hiding what is hidden already records, and announces, nothing.
    api.post(f"/api/v1/reports/{sent['id']}/hide", json={"target": "description", "reason": "x"})
    kinds = [kind for kind, _ in ward_events(app)]
    assert kinds == ["report.created", "report.recategorized", "report.hidden"]
    recategorized, hide = (data for _, data in ward_events(app)[1:])
    assert recategorized["category"] == "duong_via_he"
    assert recategorized["due_at"] == moved.get_json()["due_at"]
    assert hide == {
        "report_id": sent["id"],
        "category": "duong_via_he",
        "target": "description",
        "photo_id": None,
    }
    assert_nothing_personal(app, hide, reason)


def test_the_demo_announces_its_reports(app):
    assert app.test_cli_runner().invoke(args=["demo", "load"]).exit_code == 0
    with app.app_context():
        kinds = set(db.session.scalars(sa.select(Event.type).distinct()))
    assert {"report.created", "report.status_changed"} <= kinds
