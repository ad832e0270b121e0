"""Snapshots and the series: `kpi snapshot` records each unit's day, `GET /api/v1/kpi/history`
reads it back with each day's status, and `GET /api/v1/kpi` judges the trend."""

from datetime import date, datetime, timedelta

import sqlalchemy as sa
import time_machine

from app.extensions import db
from app.fields import LOCAL_TZ
from app.jobs import registered_jobs
from indicators import history
from indicators.models import KpiSnapshot
from tests.indicators.test_kpi import WARD, Actor, actor, indicators_of, people  # noqa: F401

# Three mornings of December 2026 in Hà Nội.
DAY1 = datetime(2026, 12, 1, 9, 0, tzinfo=LOCAL_TZ)


def _snapshot_rows(app) -> list[tuple]:
    with app.app_context():
        return db.session.execute(
            sa.select(KpiSnapshot.day, KpiSnapshot.value).where(
                KpiSnapshot.ward_code == WARD, KpiSnapshot.indicator_id == "miniapp_customised"
            )
        ).all()


def _publish_own_config(client, actor, people):  # noqa: F811
    actor.login(people[0])
    draft = client.get(f"/api/v1/wards/{WARD}/miniapp/draft").get_json()
    draft["app"]["subtitle"] = "Phường của chúng ta"
    assert actor.put(f"/api/v1/wards/{WARD}/miniapp/draft", draft).status_code == 200
    assert actor.post(f"/api/v1/wards/{WARD}/miniapp/publish").status_code == 201


def test_snapshot_command_records_every_unit_once_a_day(app, client, actor, people):  # noqa: F811
    """A second run the same day replaces the day's values; a new day adds a row."""
    runner = app.test_cli_runner()
    with time_machine.travel(DAY1, tick=False):
        result = runner.invoke(args=["kpi", "snapshot"])
        assert result.exit_code == 0, result.output
        indicators = len(indicators_of(client))
        assert f"{126 * indicators} value(s) recorded" in result.output
        assert _snapshot_rows(app) == [(date(2026, 12, 1), 0.0)]
        _publish_own_config(client, actor, people)
        assert runner.invoke(args=["kpi", "snapshot"]).exit_code == 0
        assert _snapshot_rows(app) == [(date(2026, 12, 1), 1.0)]  # replaced, not added
    with time_machine.travel(DAY1 + timedelta(days=1), tick=False):
        assert runner.invoke(args=["kpi", "snapshot"]).exit_code == 0
    assert _snapshot_rows(app) == [(date(2026, 12, 1), 1.0), (date(2026, 12, 2), 1.0)]
    with app.app_context():
        total = db.session.scalar(sa.select(sa.func.count()).select_from(KpiSnapshot))
    assert total == 2 * 126 * indicators


def test_history_reads_the_days_back_with_their_status(app, client, actor, people):  # noqa: F811
    runner = app.test_cli_runner()
    for day in range(3):
        with time_machine.travel(DAY1 + timedelta(days=day), tick=False):
            if day == 2:
                _publish_own_config(client, actor, people)
            assert runner.invoke(args=["kpi", "snapshot"]).exit_code == 0
    with time_machine.travel(DAY1 + timedelta(days=2), tick=False):
        response = client.get("/api/v1/kpi/history?ward=hoan-kiem&indicator=miniapp_customised")
    assert response.status_code == 200
    body = response.get_json()
    assert body["ward"]["code"] == WARD and body["indicator"] == "miniapp_customised"
    assert body["target"] == 1.0 and body["deadline"] == "2026-12-31"
    assert [(i["date"], i["value"], i["status"]) for i in body["items"]] == [
        ("2026-12-01", 0.0, "at_risk"),
        ("2026-12-02", 0.0, "at_risk"),
        ("2026-12-03", 1.0, "met"),
    ]
    assert body["items"][2]["status_label"] == "Đạt"
    # A window.
    window = client.get(
        "/api/v1/kpi/history?ward=00070&indicator=miniapp_customised&from=2026-12-02&to=2026-12-02"
    ).get_json()
    assert [i["date"] for i in window["items"]] == ["2026-12-02"]


def test_series_judges_each_day_on_its_own_30_days(app):
    """0.10 → 0.40 → 0.65 of a 100% target due 31 December: the first day has no trend (at
    risk), the later ones are on track; a day after the deadline below target is missed."""
    points = {
        date(2026, 11, 1): 0.10,
        date(2026, 11, 16): 0.40,
        date(2026, 12, 1): 0.65,
        date(2027, 1, 2): 0.69,
    }
    with app.app_context():
        db.session.add_all(
            KpiSnapshot(
                day=day,
                ward_code=WARD,
                indicator_id="field_reports_on_time",
                numerator=0,
                denominator=0,
                value=value,
                measured_at=datetime.combine(day, datetime.min.time(), tzinfo=LOCAL_TZ),
            )
            for day, value in points.items()
        )
        db.session.commit()
        items = history.series(WARD, "field_reports_on_time", date(2026, 11, 1), date(2027, 1, 31))
    assert [(i["date"], i["status"]) for i in items] == [
        (date(2026, 11, 1), "at_risk"),
        (date(2026, 11, 16), "on_track"),
        (date(2026, 12, 1), "on_track"),
        (date(2027, 1, 2), "missed"),
    ]


def test_the_kpi_reads_the_trend_from_the_snapshots(app, client):
    """Today's value with an earlier snapshot that shows progress is on track."""
    with app.app_context():
        db.session.add(
            KpiSnapshot(
                day=date(2026, 11, 2),
                ward_code=WARD,
                indicator_id="miniapp_customised",
                numerator=0,
                denominator=1,
                value=-1.0,  # an invented start, so that 0 today is progress of 1/28 a day
                measured_at=datetime(2026, 11, 2, tzinfo=LOCAL_TZ),
            )
        )
        db.session.commit()
    with time_machine.travel(datetime(2026, 11, 30, 9, 0, tzinfo=LOCAL_TZ), tick=False):
        found = indicators_of(client)
    # 0 today, +1/28 a day for 31 days: 1.1 ≥ 1.0 by 31 December.
    assert found["miniapp_customised"]["status"] == "on_track"
    assert found["miniapp_customised"]["status_label"] == "Đúng tiến độ"


def test_history_refuses_bad_questions(client):
    unknown = client.get("/api/v1/kpi/history?ward=00070&indicator=khong_co")
    assert unknown.status_code == 422
    assert unknown.get_json()["error"]["details"]["errors"][0]["label"] == "Chỉ tiêu"
    reversed_ = client.get(
        "/api/v1/kpi/history?ward=00070&indicator=notice_reach&from=2026-12-02&to=2026-12-01"
    )
    assert reversed_.status_code == 422
    assert client.get("/api/v1/kpi/history?ward=khong-co&indicator=notice_reach").status_code == 404
    missing = client.get("/api/v1/kpi/history?ward=00070")
    assert missing.status_code == 422


def test_the_worker_snapshots_every_hour(app):
    jobs = {job.name: job for job in registered_jobs(app)}
    assert jobs["kpi.snapshot"].every_seconds == 3600
