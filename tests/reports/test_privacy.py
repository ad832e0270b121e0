"""The hidden reporter, moderation with its audit, and the reporter's personal data."""

import sqlalchemy as sa

from app.extensions import db
from reports.models import HIDDEN_DESCRIPTION, Report
from tests.reports.conftest import WARD, jpeg_with_gps, post_form, report_body


def _no_reporter(body: dict) -> None:
    assert body["mine"] is False
    assert "reporter" not in body and "updated_since_seen" not in body
    assert "can_reopen" not in body and "can_rate" not in body


def test_the_reporter_is_shown_to_themselves_and_staff_only(api, people, staff, send_report):
    """Public and other residents: no reporter. Reporter: mine. Staff: the reporter's name."""
    sent = send_report(people[2])
    reporter_id, reporter_name = api.me["id"], api.me["name"]
    url = f"/api/v1/reports/{sent['id']}"

    api.logout()
    public = api.get(url).get_json()
    _no_reporter(public)
    board = api.get(f"/api/v1/wards/{WARD}/reports").get_json()["items"]
    _no_reporter(board[0])
    assert reporter_name not in api.get(url).get_data(as_text=True)
    assert not {"reporter", "reporter_id", "user_id", "author"} & set(public)

    api.login(people[3])
    _no_reporter(api.get(url).get_json())

    api.login(people[2])
    mine = api.get(url).get_json()
    assert mine["mine"] is True and "reporter" not in mine

    api.login(staff)
    seen_by_staff = api.get(url).get_json()
    assert seen_by_staff["reporter"]["id"] == reporter_id
    assert seen_by_staff["reporter"]["name"]
    assert seen_by_staff["allowed_statuses"][0] == "acknowledged"
    assert api.get(f"/api/v1/wards/{WARD}/reports").get_json()["items"][0]["reporter"]


def test_staff_hide_the_text_the_original_is_kept_and_audited(api, people, staff, send_report, app):
    """The public sees a placeholder; staff and the reporter the original; the act is audited."""
    sent = send_report(people[2], description="Nhà ông Nguyễn Văn A số 5 đổ rác ra ngõ.")
    url = f"/api/v1/reports/{sent['id']}"

    api.login(people[3])
    assert api.post(f"{url}/hide", json={"target": "description", "reason": "x"}).status_code == 403
    assert api.get(f"{url}/moderation").status_code == 403

    api.login(staff)
    bad = api.post(f"{url}/hide", json={"target": "title", "reason": "Lộ tên người."})
    assert bad.status_code == 422
    hidden = api.post(f"{url}/hide", json={"target": "description", "reason": "Lộ tên người."})
    assert hidden.status_code == 200, hidden.get_json()
    assert hidden.get_json()["description"].startswith("Nhà ông")  # staff see the original
    log = api.get(f"{url}/moderation").get_json()["items"]
    assert len(log) == 1
    entry = log[0]
    assert entry["target"] == "description" and entry["reason"] == "Lộ tên người."
    assert entry["actor"]["id"] == api.me["id"] and entry["at"].endswith("+07:00")
    # Hiding it again records nothing new.
    api.post(f"{url}/hide", json={"target": "description", "reason": "Lần nữa."})
    assert len(api.get(f"{url}/moderation").get_json()["items"]) == 1

    api.logout()
    public = api.get(url).get_json()
    assert public["description"] == HIDDEN_DESCRIPTION and public["description_hidden"] is True
    board = api.get(f"/api/v1/wards/{WARD}/reports").get_json()["items"]
    assert board[0]["description"] == HIDDEN_DESCRIPTION
    api.login(people[2])
    assert api.get(url).get_json()["description"].startswith("Nhà ông")
    with app.app_context():
        kept = db.session.scalar(sa.select(Report.description).where(Report.id == sent["id"]))
        assert kept.startswith("Nhà ông")


def test_staff_hide_a_photo_the_public_stops_seeing_it(api, people, staff):
    """A hidden photo leaves the public answer and its URL is 404; staff still see it."""
    api.login(people[2])
    fields = {k: str(v) for k, v in report_body().items()}
    sent = post_form(api, fields, [("photos", jpeg_with_gps()), ("photos", jpeg_with_gps())])
    sent = sent.get_json()
    photo, kept = sent["photos"]
    url = f"/api/v1/reports/{sent['id']}"

    api.login(staff)
    assert api.post(f"{url}/hide", json={"target": "photo", "reason": "x"}).status_code == 422
    assert (
        api.post(
            f"{url}/hide", json={"target": "photo", "photo_id": 999999, "reason": "x"}
        ).status_code
        == 404
    )
    done = api.post(
        f"{url}/hide",
        json={"target": "photo", "photo_id": photo["id"], "reason": "Lộ mặt người qua đường."},
    )
    assert done.status_code == 200
    assert [p["hidden"] for p in done.get_json()["photos"]] == [True, False]
    assert api.get(photo["url"]).status_code == 200
    log = api.get(f"{url}/moderation").get_json()["items"]
    assert log[0]["target"] == "photo" and log[0]["photo_id"] == photo["id"]

    api.logout()
    public = api.get(url).get_json()
    assert [p["id"] for p in public["photos"]] == [kept["id"]]
    assert api.get(photo["url"]).status_code == 404
    assert api.get(kept["url"]).status_code == 200


def test_export_and_erasure(api, people, staff, send_report, move, app):
    """The export lists the person's reports; erasure unlinks them and keeps the report public."""
    sent = send_report(people[2])
    move(staff, sent["id"], "acknowledged", note="Đã nhận.")
    api.login(people[2])
    exported = api.get("/api/v1/me/data").get_json()
    found = [v for v in exported.values() if isinstance(v, dict) and "field_reports" in v]
    reports = found[0]["field_reports"] if found else exported["field_reports"]
    assert [r["id"] for r in reports] == [sent["id"]]
    assert reports[0]["description"] == sent["description"]

    assert api.delete("/api/v1/me").status_code in (200, 204)
    api.headers = {}
    public = api.get(f"/api/v1/reports/{sent['id']}")
    assert public.status_code == 200 and public.get_json()["status"] == "acknowledged"
    api.login(staff)
    assert api.get(f"/api/v1/reports/{sent['id']}").get_json()["reporter"] is None
    with app.app_context():
        assert db.session.scalar(sa.select(Report.reporter_id)) is None
