"""The module's indicators in GET /api/v1/kpi, and its demo data."""

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
import time_machine

from app.extensions import db
from reports.models import Report, ReportRating
from tests.reports.conftest import WARD


@pytest.fixture(autouse=True)
def before_the_deadline():
    """The plans' deadline is 31 December 2026: below target is `at_risk` before it and
    `missed` after. These tests run on a day before it, whatever the machine's date."""
    with time_machine.travel(datetime(2026, 11, 30, 2, 0, tzinfo=UTC), tick=True):
        yield


def _indicators(client) -> dict:
    body = client.get(f"/api/v1/kpi?ward={WARD}").get_json()
    return {i["id"]: i for i in body["items"][0]["indicators"]}


def test_on_time_published_and_rating(api, people, staff, send_report, move, client):
    """An overdue open report counts against on-time; answered share; average stars."""
    assert _indicators(client)["field_reports_on_time"]["status"] == "no_data"
    with time_machine.travel(datetime.now(UTC) - timedelta(days=30), tick=True):
        late_open = send_report(people[2])  # never answered: overdue now
        late_closed = send_report(people[2])
    with time_machine.travel(datetime.now(UTC) - timedelta(days=10), tick=True):
        move(staff, late_closed["id"], "resolved", note="Đã xử lý (muộn).")
    quick = send_report(people[3])
    move(staff, quick["id"], "resolved", note="Đã xử lý.")
    send_report(people[4])  # new, not yet due: counts nowhere yet
    api.login(people[3])
    assert api.post(f"/api/v1/reports/{quick['id']}/rating", json={"stars": 4}).status_code == 201
    api.login(people[2])
    assert (
        api.post(f"/api/v1/reports/{late_closed['id']}/rating", json={"stars": 1}).status_code
        == 201
    )

    found = _indicators(client)
    on_time = found["field_reports_on_time"]
    assert (on_time["numerator"], on_time["denominator"]) == (1, 3)
    assert on_time["value"] == round(1 / 3, 4) and on_time["status"] == "at_risk"
    assert on_time["target"] == 1.0 and on_time["unit"] == "ratio"
    published = found["field_reports_published"]
    assert (published["numerator"], published["denominator"]) == (2, 3)
    rating = found["field_reports_rating"]
    assert rating["unit"] == "average" and rating["value"] == 2.5
    assert rating["status"] == "info" and rating["denominator"] == 2
    assert late_open["id"]


def test_demo_load_is_idempotent(app, client):
    """`flask demo load` twice: the same reports, in two pilot wards, in several states."""
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo", "load"]).exit_code == 0

    def counts():
        with app.app_context():
            return (
                db.session.scalar(sa.select(sa.func.count()).select_from(Report)),
                db.session.scalar(sa.select(sa.func.count()).select_from(ReportRating)),
            )

    first = counts()
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    assert counts() == first and first[0] >= 4 and first[1] >= 1
    statuses = set()
    for ward in ("00070", "00025"):
        items = client.get(f"/api/v1/wards/{ward}/reports").get_json()["items"]
        assert items
        statuses |= {r["status"] for r in items}
    assert len(statuses) >= 4
