"""Two workers at once never send the same delivery twice (leases by conditional UPDATE; rows
picked with SKIP LOCKED on PostgreSQL, SQLite's single writer elsewhere)."""

import threading
from collections import Counter

from app.extensions import db
from integrations.webhooks import service
from tests.integrations.webhooks.conftest import deliver, emit_event


def test_two_workers_racing_send_each_delivery_once(app, admin, register, receiver):
    """200 events, two workers started together: every webhook-id arrives exactly once."""
    register(admin, receiver.url)
    sent = {emit_event(app, n=i) for i in range(200)}
    barrier = threading.Barrier(2)
    counts, errors = [], []

    def worker():
        try:
            barrier.wait()
            counts.append(deliver(app))
        except Exception as exc:  # reported below: a thread's failure must fail the test
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert errors == []
    assert sum(counts) == 200
    assert Counter(receiver.ids()) == Counter({msg_id: 1 for msg_id in sent})


def test_concurrent_claims_are_disjoint(app, admin, register, receiver):
    """Claims taken at the same moment never share a delivery, and each takes at most its
    limit (on PostgreSQL all three at once, skipping each other's locked rows)."""
    register(admin, receiver.url)
    for i in range(120):
        emit_event(app, n=i)
    with app.app_context():
        service.fan_out()
        db.session.commit()
        db.session.remove()
    barrier = threading.Barrier(3)
    claimed: list[list[int]] = []

    def claim():
        with app.app_context():
            barrier.wait()
            items = service.claim_due(limit=50)
            db.session.commit()
            claimed.append([i.delivery_id for i in items])
            db.session.remove()

    threads = [threading.Thread(target=claim) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    every = [i for batch in claimed for i in batch]
    assert len(every) == len(set(every)) == 120
    assert sorted(len(batch) for batch in claimed) == [20, 50, 50]
