"""A notice's reach counters agree with its inbox, however the reads and the delivery
interleave; `flask kpi check` finds them when they do not."""

import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
import time_machine

from app.extensions import db
from community.notices.cli import deliver_due_notices
from community.notices.models import Notice
from community.notices.service.publishing import deliver
from tests.community.test_notices import notice
from tests.conftest import csrf_headers, login_as


def _counters(app, notice_id: int) -> tuple[int, int]:
    with app.app_context():
        row = db.session.get(Notice, notice_id)
        return row.audience_count, row.read_count


def test_a_read_before_the_worker_delivers_counts_once(
    app, api, people, staff, make_community, join
):
    community = make_community()
    for person in people[3:6]:
        join(person, community)
    api.login(staff)
    at = datetime.now(UTC) + timedelta(minutes=1)
    sent = api.post(
        "/api/v1/notices", json=notice(community_ids=[community["id"]], publish_at=at.isoformat())
    ).get_json()
    with time_machine.travel(at + timedelta(minutes=1), tick=True):
        api.login(people[3])
        assert api.post(f"/api/v1/notices/{sent['id']}/read").status_code == 200
        assert _counters(app, sent["id"]) == (0, 0)  # not delivered: nothing kept yet
        with app.app_context():
            assert deliver_due_notices() == 1
        assert _counters(app, sent["id"]) == (3, 1)
        api.login(people[4])
        for _ in range(2):
            assert api.post(f"/api/v1/notices/{sent['id']}/read").status_code == 200
        assert _counters(app, sent["id"]) == (3, 2)
        api.login(staff)
        stats = api.get(f"/api/v1/notices/{sent['id']}/stats").get_json()
        assert (stats["audience"], stats["read"]) == (3, 2)
    result = app.test_cli_runner().invoke(args=["kpi", "check"])
    assert result.exit_code == 0, result.output
    assert "mọi bộ đếm khớp" in result.output


def test_kpi_check_names_a_counter_that_drifted(app, api, staff, people, make_community, join):
    community = make_community()
    join(people[3], community)
    api.login(staff)
    sent = api.post("/api/v1/notices", json=notice(community_ids=[community["id"]])).get_json()
    with app.app_context():
        db.session.execute(sa.update(Notice).where(Notice.id == sent["id"]).values(read_count=1))
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["kpi", "check"])
    assert result.exit_code != 0
    assert (
        f"thông báo {sent['id']}: đếm lại 1 người nhận, 0 đã đọc; bộ đếm ghi 1, 1" in result.output
    )


def _held_delivery(app, notice_id: int, delivered: threading.Event, release: threading.Event):
    """Deliver a notice in a transaction of its own and keep it open until released."""
    with app.app_context():
        assert deliver(db.session.get(Notice, notice_id))
        delivered.set()
        release.wait(10)
        db.session.commit()


def _during_delivery(app, notice_id: int, move) -> None:
    """Run `move` (a join or a leave, in its own client) while a delivery is held open."""
    delivered, release = threading.Event(), threading.Event()
    holder = threading.Thread(target=_held_delivery, args=(app, notice_id, delivered, release))
    holder.start()
    assert delivered.wait(10)
    mover = threading.Thread(target=move)
    mover.start()
    time.sleep(0.5)  # the move now waits on the delivery's lock
    release.set()
    holder.join(10)
    mover.join(10)


def _membership(app, sub: str, community: dict, method: str) -> None:
    with app.test_client() as client:
        login_as(client, sub)
        if method == "join":
            response = client.post(
                f"/api/v1/communities/{community['id']}/join",
                json={"invite_code": community["invite_code"]},
                headers=csrf_headers(client),
            )
        else:
            response = client.delete(
                f"/api/v1/communities/{community['id']}/membership",
                headers=csrf_headers(client),
            )
        assert response.status_code in (200, 204), response.get_json()


def test_joining_or_leaving_during_a_delivery_keeps_the_counters_exact(
    app, api, people, staff, make_community, join, is_postgres
):
    """PostgreSQL lets a join or a leave run beside a delivery: they wait for it. The joiner
    gets the notice late (outside the audience) and may read it; the leaver was of the audience
    at publication and stays counted. (SQLite writes one transaction at a time: nothing can
    interleave there, so the scenario is PostgreSQL's.)"""
    if not is_postgres:
        pytest.skip("SQLite serialises writing transactions: no interleaving to test")
    community = make_community()
    for person in people[3:6]:
        join(person, community)
    api.login(staff)
    at = datetime.now(UTC) + timedelta(minutes=1)
    body = notice(community_ids=[community["id"]], publish_at=at.isoformat())
    first = api.post("/api/v1/notices", json=body).get_json()
    second = api.post("/api/v1/notices", json=body).get_json()
    with time_machine.travel(at + timedelta(minutes=1), tick=True):
        _during_delivery(app, first["id"], lambda: _membership(app, people[6], community, "join"))
        _during_delivery(app, second["id"], lambda: _membership(app, people[3], community, "leave"))
        result = app.test_cli_runner().invoke(args=["kpi", "check"])
        assert result.exit_code == 0, result.output
        assert _counters(app, first["id"]) == (3, 0)
        assert _counters(app, second["id"]) == (4, 0)  # people 3–6 at its delivery
        api.login(people[6])
        assert api.post(f"/api/v1/notices/{first['id']}/read").status_code == 200
        assert _counters(app, first["id"]) == (3, 0)  # a late reader adds nothing
