"""The daily snapshot tells outside systems of a unit's day (kpi.recorded): once per unit when its
values are new or changed, never for an hourly run that found the same values."""

import threading
from datetime import timedelta

import sqlalchemy as sa
import time_machine

from app.events.models import Event
from app.extensions import db
from indicators.cli import take_snapshot
from tests.indicators.test_history import DAY1, _publish_own_config
from tests.indicators.test_kpi import WARD, actor, indicators_of, people  # noqa: F401


def kpi_events(app) -> list[tuple[str | None, dict]]:
    """Return every kpi.recorded event, in id order, as (ward, data)."""
    with app.app_context():
        return [
            (row.ward_code, row.data)
            for row in db.session.scalars(
                sa.select(Event).where(Event.type == "kpi.recorded").order_by(Event.id)
            )
        ]


def test_one_event_per_unit_and_day_when_the_values_change(app, client, actor, people):  # noqa: F811
    runner = app.test_cli_runner()
    with time_machine.travel(DAY1, tick=False):
        first = runner.invoke(args=["kpi", "snapshot"])
        assert first.exit_code == 0, first.output
        recorded = kpi_events(app)
        assert len(recorded) == 126 and len({ward for ward, _ in recorded}) == 126
        shown = indicators_of(client)
        ward_data = dict(recorded)[WARD]
        assert ward_data["day"] == "2026-12-01"
        assert {i["id"] for i in ward_data["indicators"]} == set(shown)
        assert all(
            set(i) == {"id", "value", "numerator", "denominator"} for i in ward_data["indicators"]
        )

        # The next hourly run finds the same values: no row rewritten, nothing announced.
        again = runner.invoke(args=["kpi", "snapshot"])
        assert "0 value(s) recorded" in again.output
        assert len(kpi_events(app)) == 126

        # One ward's value changes: that ward alone is announced, with all its values.
        _publish_own_config(client, actor, people)
        third = runner.invoke(args=["kpi", "snapshot"])
        assert third.exit_code == 0
        new = kpi_events(app)[126:]
        assert [ward for ward, _ in new] == [WARD]
        values = {i["id"]: i["value"] for i in new[0][1]["indicators"]}
        assert values["miniapp_customised"] == 1.0
        assert len(values) == len(shown)
    with time_machine.travel(DAY1 + timedelta(days=1), tick=False):
        assert runner.invoke(args=["kpi", "snapshot"]).exit_code == 0
    next_day = kpi_events(app)[127:]
    assert len(next_day) == 126 and {d["day"] for _, d in next_day} == {"2026-12-02"}


def test_two_workers_at_once_announce_a_day_once(app):
    """Two snapshot jobs at the same moment (two workers): each unit's day is announced once."""
    barrier = threading.Barrier(2)
    errors = []

    def run():
        try:
            with app.app_context():
                barrier.wait()
                take_snapshot()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    with time_machine.travel(DAY1, tick=False):  # the clock is the process's, for both
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert errors == []
    recorded = kpi_events(app)
    assert len(recorded) == 126 and len({ward for ward, _ in recorded}) == 126
