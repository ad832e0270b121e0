"""Retention (the `webhooks.purge` job): delivered and failed deliveries go with their attempts
after 30 days of quiet, dispatched events after 90 days, except each feed's newest (the change
feed's head), an event a delivery still refers to, and anything not yet dispatched."""

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
import time_machine

from app.events.models import Event
from app.events.service import last_seq
from app.extensions import db
from integrations.webhooks import service
from integrations.webhooks.models import WebhookAttempt, WebhookDelivery
from tests.integrations.webhooks.conftest import OTHER_WARD, deliver, emit_event

T0 = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)
FEED = "ward:00070"


@pytest.fixture
def clock():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


def purge(app, **kwargs) -> int:
    with app.app_context():
        try:
            return service.purge(**kwargs)
        finally:
            db.session.remove()


def counts(app) -> tuple[int, int, int]:
    with app.app_context():
        found = tuple(
            db.session.scalar(sa.select(sa.func.count()).select_from(table))
            for table in (Event, WebhookDelivery, WebhookAttempt)
        )
        db.session.remove()
    return found


def event_ids(app) -> list[str]:
    with app.app_context():
        found = list(db.session.scalars(sa.select(Event.msg_id).order_by(Event.id)))
        db.session.remove()
    return found


def test_old_delivery_logs_and_events_are_purged_in_batches(app, admin, register, receiver, clock):
    register(admin, receiver.url)
    sent = [emit_event(app, n=i) for i in range(5)]
    other_ward = emit_event(app, ward=OTHER_WARD)  # alone in its feed, no endpoint
    assert deliver(app) == 5
    assert counts(app) == (6, 5, 5)

    clock.shift(timedelta(days=29))
    assert purge(app) == 0
    clock.shift(timedelta(days=2))  # 31 days: the log goes, three rows a transaction
    assert purge(app, batch=3) == 5
    assert counts(app) == (6, 0, 0)

    clock.shift(timedelta(days=58))  # 89 days: events stay
    assert purge(app) == 0
    with app.app_context():
        head = last_seq(FEED)
    clock.shift(timedelta(days=2))  # 91 days: all but each feed's newest
    assert purge(app, batch=2) == 4
    assert event_ids(app) == [sent[-1], other_ward]
    with app.app_context():
        assert last_seq(FEED) == head  # a cursor at the head stays valid
    assert purge(app) == 0


def test_what_is_still_in_use_is_kept(app, admin, register, receiver, clock):
    """Pending deliveries, recently retried or replayed ones, their events and events not yet
    dispatched stay."""
    endpoint = register(admin, receiver.url)
    receiver.stop()
    emit_event(app, n=1)  # will keep failing, then be replayed late
    assert deliver(app) == 1
    receiver.start()
    emit_event(app, n=2)
    emit_event(app, n=3)
    assert deliver(app) == 2
    with app.app_context():
        first = db.session.scalars(sa.select(WebhookDelivery).order_by(WebhookDelivery.id)).first()
        first_id = first.id
        db.session.remove()

    clock.shift(timedelta(days=25))  # the first is retried (delivered) 25 days on
    with app.app_context():
        db.session.execute(
            sa.update(WebhookDelivery)
            .where(WebhookDelivery.id == first_id)
            .values(next_attempt_at=service.utcnow())
        )
        db.session.commit()
        db.session.remove()
    assert deliver(app) == 1
    clock.shift(timedelta(days=6))  # 31 days from the start, 6 from the last attempt
    assert purge(app) == 2
    with app.app_context():
        kept = db.session.scalars(sa.select(WebhookDelivery.id)).all()
        db.session.remove()
    assert kept == [first_id]
    assert counts(app)[2] == 2  # the kept delivery's two attempts

    clock.shift(timedelta(days=70))  # 101 days: the first event still has its delivery
    with app.app_context():
        db.session.execute(
            sa.update(WebhookDelivery).values(status="pending", next_attempt_at=None)
        )
        db.session.commit()
        db.session.remove()
    late = emit_event(app, n=4)  # old, but not dispatched yet
    emit_event(app, n=5)
    with app.app_context():
        db.session.execute(sa.update(Event).where(Event.msg_id == late).values(occurred_at=T0))
        db.session.execute(sa.update(Event).where(Event.msg_id != late).values(dispatched=True))
        db.session.commit()
        db.session.remove()
    assert purge(app) == 2  # the 2nd and 3rd events; not the pending delivery's, nor the late
    assert counts(app) == (3, 1, 2)
    assert deliveries_of(app, endpoint) == 1


def deliveries_of(app, endpoint) -> int:
    with app.app_context():
        found = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(WebhookDelivery)
            .where(WebhookDelivery.endpoint_id == endpoint["id"])
        )
        db.session.remove()
    return found


def test_the_purge_job_is_registered(app):
    from app.jobs import registered_jobs

    jobs = {job.name: job for job in registered_jobs(app)}
    assert jobs["webhooks.purge"].every_seconds == 3600
    result = app.test_cli_runner().invoke(args=["jobs", "once", "webhooks.purge"])
    assert result.output.strip() == "webhooks.purge: 0", result.output
