"""A claimed batch ends within its lease: no other worker sends it again meanwhile, and every
outcome is recorded (attempts counted, retries backed off). Claims are sized by the sender's
threads and worst attempt time, one endpoint's share of a claim is capped, and a worker sees
no work in deliveries another worker holds or in a disabled endpoint's."""

import threading
import time
from collections import Counter
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from integrations.webhooks import service
from integrations.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from integrations.webhooks.sender import Sender
from tests.integrations.webhooks.conftest import deliver, emit_event


def slow_receiver(receiver, monkeypatch, seconds: float) -> None:
    handler = receiver._server.RequestHandlerClass
    original = handler.do_POST

    def slow(self):
        time.sleep(seconds)
        original(self)

    monkeypatch.setattr(handler, "do_POST", slow)


def fan_out(app) -> None:
    with app.app_context():
        service.fan_out()
        db.session.commit()
        db.session.remove()


def test_a_second_worker_does_not_resend_a_batch_still_being_sent(
    app, admin, register, receiver, monkeypatch
):
    """Lease 1 s, one thread, a receiver taking 0.6 s, 4 events, a second worker after 1.3 s:
    each webhook-id arrives once and each delivery has one attempt, counted."""
    monkeypatch.setattr(service, "LEASE", timedelta(seconds=1))
    app.config.update(WEBHOOK_SEND_THREADS=1, WEBHOOK_TIMEOUT=1.0)
    register(admin, receiver.url)
    slow_receiver(receiver, monkeypatch, 0.6)
    sent = {emit_event(app, n=i) for i in range(4)}
    counts, errors = [], []

    def worker(delay: float):
        try:
            time.sleep(delay)
            counts.append(deliver(app))
        except Exception as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(d,)) for d in (0, 1.3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert Counter(receiver.ids()) == Counter({msg_id: 1 for msg_id in sent})
    assert sum(counts) == 4
    with app.app_context():
        rows = db.session.execute(sa.select(WebhookDelivery.status, WebhookDelivery.round_attempts))
        assert sorted(rows.all()) == [("delivered", 1)] * 4
        attempts = db.session.scalar(sa.select(sa.func.count()).select_from(WebhookAttempt))
        assert attempts == 4


@pytest.mark.parametrize(
    ("threads", "timeout"),
    [(32, 10.0), (8, 5.0), (1, 1.0), (4, 200.0)],
)
def test_a_claim_never_outlasts_its_lease(threads, timeout):
    """limit ≤ threads × rounds, where rounds × (connect + read timeout) fits the lease."""
    send = Sender(private_ok=True, timeout=timeout, threads=threads)
    try:
        limit, per_endpoint, lease = service.claim_plan(send, batch=500)
    finally:
        send.close()
    worst = send.worst_attempt_seconds
    assert worst == min(5.0, timeout) + 2 * timeout
    rounds = -(-limit // threads)  # the pool's rounds, each at most `worst`
    assert rounds * worst + 20 <= lease.total_seconds()
    assert limit <= threads * max(1, int(service.LEASE.total_seconds() // worst))
    assert 1 <= per_endpoint <= limit
    if threads > 1:
        assert per_endpoint <= threads // 2 * rounds


def test_default_settings_claim_at_most_what_the_lease_covers(app):
    """32 threads, 10 s timeout (25 s worst): 128 a claim at most (not 500), 64 of one endpoint."""
    with app.app_context():
        app.config.update(WEBHOOK_SEND_THREADS=32, WEBHOOK_TIMEOUT=10.0)
        send = service.sender()
        assert service.claim_plan(send, batch=500)[:2] == (128, 64)


def test_deliver_due_claims_in_planned_sizes(app, admin, register, receiver, monkeypatch):
    """8 threads, 5 s timeout (15 s worst): claims of 64 at most (8 rounds of a 2-minute
    lease), 32 of one endpoint."""
    register(admin, receiver.url)
    for i in range(20):
        emit_event(app, n=i)
    claims = []
    real = service.claim_due

    def spy(**kwargs):
        claims.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(service, "claim_due", spy)
    sent = deliver(app)
    assert sent == 20 and len(receiver.received) == 20
    assert {(c["limit"], c["per_endpoint"]) for c in claims} == {(64, 32)}
    assert all(c["lease"] >= timedelta(seconds=10) for c in claims)


def test_one_endpoint_takes_at_most_its_share_of_a_claim(app, admin, register, receiver):
    """A backlog of one endpoint does not fill a claim: the other's deliveries come along,
    and first (each endpoint's first, then each one's second …)."""
    busy = register(admin, receiver.url + "?busy", events=["test.happened"])
    for i in range(10):
        emit_event(app, n=i)
    fan_out(app)
    quiet = register(admin, receiver.url + "?quiet", events=["test.happened"])
    with app.app_context():  # the busy one's backlog stays its own
        db.session.execute(
            sa.update(WebhookEndpoint).where(WebhookEndpoint.id == busy["id"]).values(active=False)
        )
        db.session.commit()
    for i in range(2):
        emit_event(app, n=10 + i)
    fan_out(app)
    with app.app_context():
        db.session.execute(
            sa.update(WebhookEndpoint).where(WebhookEndpoint.id == busy["id"]).values(active=True)
        )
        db.session.commit()
        items = service.claim_due(limit=6, per_endpoint=3)
        db.session.commit()
        db.session.remove()
    owners = [item.endpoint_id for item in items]
    assert Counter(owners) == {busy["id"]: 3, quiet["id"]: 2}
    assert owners[:4] == [busy["id"], quiet["id"], busy["id"], quiet["id"]]


def test_has_work_leaves_out_leased_deliveries_and_disabled_endpoints(
    app, admin, register, receiver
):
    """A due delivery another worker holds, or a disabled endpoint's, is no work: an idle worker
    opens no write transaction for it."""
    endpoint = register(admin, receiver.url)
    emit_event(app)
    fan_out(app)
    with app.app_context():
        assert service.has_work()
        later = service.utcnow() + timedelta(minutes=1)
        db.session.execute(sa.update(WebhookDelivery).values(leased_until=later, lease_token="x"))
        db.session.commit()
        assert not service.has_work()
        db.session.execute(sa.update(WebhookDelivery).values(leased_until=None, lease_token=None))
        db.session.execute(
            sa.update(WebhookEndpoint)
            .where(WebhookEndpoint.id == endpoint["id"])
            .values(active=False)
        )
        db.session.commit()
        assert not service.has_work()
        db.session.remove()
    assert deliver(app) == 0


def test_a_trickled_answer_is_cut_off_so_an_attempt_stays_within_its_worst_case():
    """A receiver that answers 200 and then sends its body a byte at a time (each read within
    the read timeout) is cut off once connect + read timeout have passed: the attempt counts as
    delivered and the connection is closed long before the receiver is done."""
    import socket
    import threading

    from integrations.webhooks.sender import Outgoing

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    sent = []

    def trickle():
        conn, _ = listener.accept()
        conn.recv(65536)
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 65536\r\n\r\n")
        try:
            for _ in range(60):  # 30 s of trickling if nobody hung up
                time.sleep(0.5)
                conn.sendall(b"x")
                sent.append(1)
        except OSError:
            sent.append("closed")
        finally:
            conn.close()

    server = threading.Thread(target=trickle, daemon=True)
    server.start()
    send = Sender(private_ok=True, timeout=1.0, threads=1)
    item = Outgoing(
        delivery_id=1,
        lease_token="t",
        endpoint_id=1,
        url=f"http://127.0.0.1:{listener.getsockname()[1]}/",
        msg_id="msg_trickle",
        body=b"{}",
        key=b"k" * 32,
    )
    try:
        outcome = send.send(item)
    finally:
        send.close()
    server.join(10)
    listener.close()
    assert outcome.delivered
    assert "closed" in sent  # the sender hung up
    assert sent.count(1) < 20  # after a few bytes, not after the receiver's 60
