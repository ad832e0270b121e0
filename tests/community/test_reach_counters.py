"""A notice's reach counters agree with its inbox, however the reads and the delivery
interleave; `flask kpi check` finds them when they do not."""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
import time_machine

from app.extensions import db
from community.notices.cli import deliver_due_notices
from community.notices.models import Notice
from tests.community.test_notices import notice


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
