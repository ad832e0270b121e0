"""Delivery: signed by the standard (checked by an independent implementation), retried on the
standard's schedule with the same webhook-id, nothing lost while the receiver is down, 410
disables, replay, the test event, and fan-out only to the endpoints that want an event."""

import base64
import json
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
import time_machine
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from app.extensions import db
from integrations.webhooks import service
from integrations.webhooks.models import WebhookDelivery, WebhookEndpoint
from tests.integrations.webhooks.conftest import OTHER_WARD, WARD, deliver, emit_event

T0 = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)


@pytest.fixture
def clock():
    """A frozen clock; `clock.shift(timedelta)` moves it."""
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


def deliveries(app) -> list[WebhookDelivery]:
    with app.app_context():
        rows = list(db.session.scalars(sa.select(WebhookDelivery).order_by(WebhookDelivery.id)))
        db.session.expunge_all()
        return rows


def test_a_delivery_is_signed_as_standard_webhooks_verifies(app, admin, register, receiver):
    """The standardwebhooks package verifies our signature with the secret shown at creation."""
    endpoint = register(admin, receiver.url)
    secret = endpoint["secret"]
    assert secret.startswith("whsec_") and len(base64.b64decode(secret[6:])) == 32
    msg_id = emit_event(app, title="Lịch tiêm chủng")

    assert deliver(app) == 1
    (got,) = receiver.received
    assert got.headers["webhook-id"] == msg_id
    assert got.headers["content-type"] == "application/json"
    payload = Webhook(secret).verify(got.body, got.headers)
    assert payload["type"] == "test.happened"
    assert payload["data"] == {"title": "Lịch tiêm chủng"}
    assert payload["timestamp"].endswith("+07:00")
    assert set(payload) == {"type", "timestamp", "data"}
    # Another secret does not verify: the check above could fail.
    with pytest.raises(WebhookVerificationError):
        Webhook("whsec_" + base64.b64encode(b"x" * 32).decode()).verify(got.body, got.headers)
    assert [d.status for d in deliveries(app)] == ["delivered"]
    assert deliver(app) == 0  # nothing sent twice


def test_secret_is_encrypted_at_rest_and_never_shown_again(app, admin, register, api, receiver):
    """The database holds the secret encrypted; only the creation answer shows it."""
    endpoint = register(admin, receiver.url)
    with app.app_context():
        stored = db.session.get(WebhookEndpoint, endpoint["id"]).secret
    assert endpoint["secret"] not in stored and endpoint["secret"][6:] not in stored
    shown = api.get(f"/api/v1/webhooks/{endpoint['id']}").get_json()
    assert "secret" not in shown and shown["url"] == receiver.url
    listed = api.get("/api/v1/webhooks?ward=hoan-kiem").get_json()["items"]
    assert [e["id"] for e in listed] == [endpoint["id"]] and "secret" not in listed[0]


def test_receiver_down_then_up_nothing_lost_same_id(app, admin, register, receiver, clock):
    """Events committed while the receiver is down reach it ~5 s later with the same ids."""
    register(admin, receiver.url)
    receiver.stop()
    sent = [emit_event(app, n=i) for i in range(3)]

    assert deliver(app) == 3  # three attempts, all refused
    assert receiver.received == []
    rows = deliveries(app)
    assert {d.status for d in rows} == {"pending"}
    assert {d.next_attempt_at - T0 for d in rows} == {timedelta(seconds=5)}

    receiver.start()
    clock.shift(timedelta(seconds=4))
    assert deliver(app) == 0  # not due yet
    clock.shift(timedelta(seconds=1))
    assert deliver(app) == 3
    assert sorted(receiver.ids()) == sorted(sent)
    assert {d.status for d in deliveries(app)} == {"delivered"}
    with app.app_context():
        log = service.attempts_of([d.id for d in deliveries(app)])
        errors = [[a.error for a in attempts] for attempts in log.values()]
    assert errors == [[None, "Không kết nối được tới máy nhận."]] * 3


def test_delivery_log_shows_attempts_newest_first(app, admin, register, api, receiver, clock):
    """The log pages deliveries newest first, each with its attempts and errors."""
    endpoint = register(admin, receiver.url)
    receiver.answers = [503]
    first = emit_event(app, n=1)
    deliver(app)
    clock.shift(timedelta(seconds=5))
    deliver(app)
    second = emit_event(app, n=2)
    third = emit_event(app, n=3)
    deliver(app)

    url = f"/api/v1/webhooks/{endpoint['id']}/deliveries"
    page1 = api.get(url + "?limit=2").get_json()
    assert [d["event_id"] for d in page1["items"]] == [third, second]
    page2 = api.get(url + f"?limit=2&cursor={page1['next_cursor']}").get_json()
    assert [d["event_id"] for d in page2["items"]] == [first]
    assert page2["next_cursor"] is None
    (oldest,) = page2["items"]
    assert oldest["status"] == "delivered" and oldest["status_label"] == "Đã nhận"
    assert oldest["event_label"] == "Sự việc thử"
    assert [a["status_code"] for a in oldest["attempts"]] == [200, 503]
    assert oldest["attempts"][1]["error"] == "Máy nhận trả lời 503."


def test_retries_follow_the_standard_schedule_then_fail(app, admin, register, receiver, clock):
    """5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h after each failure; then failed."""
    register(admin, receiver.url)
    receiver.status = 500
    msg_id = emit_event(app)
    delays = []
    for _ in range(8):
        assert deliver(app) == 1
        (row,) = deliveries(app)
        if row.next_attempt_at is not None:
            delays.append(row.next_attempt_at - datetime.now(UTC))
            clock.move_to(row.next_attempt_at)
    assert delays == list(service.RETRY_DELAYS)
    (row,) = deliveries(app)
    assert row.status == "failed" and row.last_status_code == 500
    assert receiver.ids() == [msg_id] * 8
    clock.shift(timedelta(days=2))
    assert deliver(app) == 0


def test_timeout_is_a_failed_attempt(app, admin, register, receiver, monkeypatch):
    """A receiver slower than the timeout counts as a failure, retried later."""
    app.config["WEBHOOK_TIMEOUT"] = 0.2
    register(admin, receiver.url)
    import time as real_time

    original = receiver._server.RequestHandlerClass.do_POST

    def slow(handler):
        real_time.sleep(0.6)
        original(handler)

    monkeypatch.setattr(receiver._server.RequestHandlerClass, "do_POST", slow)
    emit_event(app)
    deliver(app)
    (row,) = deliveries(app)
    assert row.status == "pending" and row.last_error.startswith("Hết thời gian chờ")


def test_410_gone_disables_the_endpoint_and_stops_it(app, admin, register, api, receiver):
    """410: the endpoint is disabled, its pending deliveries stop, new events skip it; enable."""
    endpoint = register(admin, receiver.url)
    other = register(admin, receiver.url + "?b=1")
    receiver.answers = [410]
    with app.app_context():  # one send at a time: the 410 goes to the first delivery
        app.config["WEBHOOK_SEND_THREADS"] = 1
    emit_event(app)
    deliver(app)
    shown = api.get(f"/api/v1/webhooks/{endpoint['id']}").get_json()
    assert shown["active"] is False and shown["status_label"] == "Đã tắt"
    assert "410" in shown["disabled_reason"]
    assert api.get(f"/api/v1/webhooks/{other['id']}").get_json()["active"] is True

    receiver.received.clear()
    emit_event(app, n=2)
    deliver(app)
    assert [r.path for r in receiver.received] == ["/hooks?b=1"]  # the disabled one skipped

    response = api.post(f"/api/v1/webhooks/{endpoint['id']}/test")
    assert response.status_code == 409 and "tắt" in response.get_json()["error"]["message"]
    enabled = api.post(f"/api/v1/webhooks/{endpoint['id']}/enable")
    assert enabled.status_code == 200 and enabled.get_json()["active"] is True
    receiver.received.clear()
    emit_event(app, n=3)
    deliver(app)
    assert sorted(r.path for r in receiver.received) == ["/hooks", "/hooks?b=1"]


def test_gone_stops_pending_deliveries_of_that_endpoint(app, admin, register, receiver, clock):
    """Deliveries waiting for a retry fail when the endpoint answers 410 to another one."""
    register(admin, receiver.url)
    receiver.answers = [500]
    emit_event(app, n=1)
    deliver(app)  # first: 500, waits 5 s
    receiver.answers = [410]
    emit_event(app, n=2)
    deliver(app)  # second: 410
    rows = deliveries(app)
    assert [d.status for d in rows] == ["failed", "failed"]
    clock.shift(timedelta(minutes=1))
    assert deliver(app) == 0


def test_replay_sends_again_with_the_same_id(app, admin, register, api, receiver, clock):
    """Replay: a new attempt soon, with the same webhook-id, a new timestamp and signature."""
    endpoint = register(admin, receiver.url)
    msg_id = emit_event(app)
    deliver(app)
    (row,) = deliveries(app)
    clock.shift(timedelta(minutes=3))
    response = api.post(f"/api/v1/webhooks/{endpoint['id']}/deliveries/{row.id}/replay")
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["status"] == "pending"
    assert deliver(app) == 1
    first, again = receiver.received
    assert again.headers["webhook-id"] == first.headers["webhook-id"] == msg_id
    assert int(again.headers["webhook-timestamp"]) - int(first.headers["webhook-timestamp"]) == 180
    Webhook(endpoint["secret"]).verify(again.body, again.headers)
    log = api.get(f"/api/v1/webhooks/{endpoint['id']}/deliveries").get_json()["items"]
    assert len(log[0]["attempts"]) == 2
    # Another endpoint's delivery id, or none: 404.
    missing = api.post(f"/api/v1/webhooks/{endpoint['id']}/deliveries/{row.id + 99}/replay")
    assert missing.status_code == 404


def test_test_event_reaches_that_endpoint_only(app, admin, register, api, receiver):
    """ "Gửi thử" sends webhook.test to this endpoint only, signed like any event."""
    endpoint = register(admin, receiver.url)
    register(admin, receiver.url + "?other=1")
    response = api.post(f"/api/v1/webhooks/{endpoint['id']}/test")
    assert response.status_code == 202, response.get_json()
    assert response.get_json()["event_type"] == "webhook.test"
    assert deliver(app) == 1
    (got,) = receiver.received
    assert got.path == "/hooks"
    payload = Webhook(endpoint["secret"]).verify(got.body, got.headers)
    assert payload["type"] == "webhook.test" and payload["data"]["endpoint_id"] == endpoint["id"]
    # The test type cannot be subscribed to.
    types = [t["name"] for t in api.get("/api/v1/webhooks/event-types").get_json()["items"]]
    assert "webhook.test" not in types and "test.happened" in types


def test_fan_out_matches_ward_and_type(app, admin, other_admin, city_admin, register, receiver):
    """An event reaches endpoints of its ward or every ward that subscribed to its type."""
    mine = register(admin, receiver.url + "?mine", events=["test.happened"])
    register(admin, receiver.url + "?mine-other-type", events=["test.other"])
    register(other_admin, receiver.url + "?other-ward", events=["test.happened"], ward=OTHER_WARD)
    city = register(city_admin, receiver.url + "?city", events=["test.happened"], ward=None)

    ward_event = emit_event(app, "test.happened", ward=WARD)
    city_event = emit_event(app, "test.happened", ward=None)
    deliver(app)
    got = {(r.path, r.headers["webhook-id"]) for r in receiver.received}
    assert got == {
        ("/hooks?mine", ward_event),
        ("/hooks?city", ward_event),
        ("/hooks?city", city_event),
    }
    assert mine["ward"] == WARD and city["ward"] is None
    # Every event is dispatched once: running again sends nothing.
    assert deliver(app) == 0


def test_events_before_the_worker_runs_wait(app, admin, register, receiver):
    """With no worker running nothing is sent; what was committed goes out when it runs."""
    register(admin, receiver.url)
    ids = [emit_event(app, n=i) for i in range(5)]
    assert receiver.received == []
    assert deliver(app) == 5
    assert sorted(receiver.ids()) == sorted(ids)


def test_body_is_computed_once_per_event(app, admin, register, receiver):
    """Two endpoints get byte-identical bodies of an event (signed each with its own secret)."""
    a = register(admin, receiver.url + "?a")
    b = register(admin, receiver.url + "?b")
    emit_event(app, text="Tiếng Việt có dấu")
    deliver(app)
    first, second = sorted(receiver.received, key=lambda r: r.path)
    assert first.body == second.body
    assert json.loads(first.body)["data"] == {"text": "Tiếng Việt có dấu"}
    Webhook(a["secret"]).verify(first.body, first.headers)
    Webhook(b["secret"]).verify(second.body, second.headers)
    assert first.headers["webhook-signature"] != second.headers["webhook-signature"]


def test_deleted_endpoint_gets_nothing_more(app, admin, register, api, receiver):
    """DELETE → 204; its deliveries and log go with it and nothing more is sent."""
    endpoint = register(admin, receiver.url)
    emit_event(app)
    response = api.delete(f"/api/v1/webhooks/{endpoint['id']}")
    assert response.status_code == 204
    assert deliver(app) == 0 and receiver.received == []
    assert api.get(f"/api/v1/webhooks/{endpoint['id']}").status_code == 404


def test_jobs_once_runs_the_delivery_job(app, admin, register, receiver):
    """`flask jobs once webhooks.deliver` delivers like the worker's loop."""
    register(admin, receiver.url)
    emit_event(app)
    result = app.test_cli_runner().invoke(args=["jobs", "once", "webhooks.deliver"])
    assert result.output.strip() == "webhooks.deliver: 1", result.output
    assert len(receiver.received) == 1
