"""Ballots flowing from many threads while the poll closes: every 201 counts, nothing else does.

The regression test of issue 12: a close used to rewrite the poll's rows while ballots written
outside its transaction were still arriving, and acknowledged ballots were lost. Now the close
takes the poll's row FOR UPDATE and every ballot holds it FOR KEY SHARE: the close waits for
the ballots in flight, and those that come later find the poll closed (409).
"""

import hashlib
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa

from app.extensions import db
from community.polls.service import lifecycle
from tests.community.polls.conftest import choice, row_counts

VOTERS = 240
THREADS = 16
CLOSE_AFTER = 80  # answers received before the close is sent
LATE = 40  # ballots held back until the close is sent, and as many until it is answered


@pytest.mark.parametrize("secret", [True, False], ids=["secret", "open-ballot"])
def test_no_acknowledged_ballot_is_lost_when_the_poll_closes(
    app, api, staff, new_poll, make_voters, follow, secret, monkeypatch
):
    """Close mid-load: the tally, the voters and the ballots are exactly the 201s."""
    rewrite = lifecycle._forget_insertion_order
    counted_by_the_close: list[int] = []
    inside_the_close, closed_done = threading.Event(), threading.Event()

    def slow_rewrite(poll):
        # A poll with tens of thousands of ballots takes a while to rewrite: hold the close
        # open long enough for the ballots sent meanwhile to meet it, then note what the
        # close sees (inside its transaction, under its lock).
        inside_the_close.set()
        time.sleep(0.5)
        counted_by_the_close.append(
            db.session.scalar(
                sa.text("SELECT count(*) FROM poll_ballot WHERE poll_id = :p"), {"p": poll.id}
            )
        )
        rewrite(poll)

    monkeypatch.setattr(lifecycle, "_forget_insertion_order", slow_rewrite)
    voters = make_voters(VOTERS, prefix="dong")
    follow(voters)
    poll = new_poll(secret=secret, title="Biểu quyết đóng giữa chừng")
    url = f"/api/v1/polls/{poll['id']}/ballots"
    answered = threading.Semaphore(0)
    local = threading.local()

    def send(index: int):
        # The last ballots wait: some until the close holds the poll (they meet it), the very
        # last until it has answered (they must be refused), whatever the machine's load.
        if index >= VOTERS - LATE:
            closed_done.wait(timeout=120)
        elif index >= VOTERS - 2 * LATE:
            inside_the_close.wait(timeout=120)
        if not hasattr(local, "client"):
            local.client = app.test_client()
        headers = dict(voters[index].headers)
        if index % 2:
            headers["Idempotency-Key"] = f"dong-{index:08d}"
        response = local.client.post(
            url, json={"answers": [choice(poll, 0, index % 2)]}, headers=headers
        )
        answered.release()
        return response.status_code, response.get_json()

    api.login(staff)  # before the load: signing in is a dozen requests of its own
    with ThreadPoolExecutor(THREADS) as pool:
        futures = [pool.submit(send, i) for i in range(VOTERS)]
        for _ in range(CLOSE_AFTER):
            answered.acquire()
        closed = api.post(f"/api/v1/polls/{poll['id']}/close", json={"reason": "Thử đóng sớm"})
        closed_done.set()
        answers = [future.result() for future in futures]

    assert closed.status_code == 200, closed.get_json()
    statuses = Counter(status for status, _ in answers)
    assert set(statuses) <= {201, 409}, statuses

    acknowledged = {body["receipt_hash"] for status, body in answers if status == 201}
    with app.app_context():
        stored = set(
            db.session.scalars(
                sa.text("SELECT receipt_hash FROM poll_ballot WHERE poll_id = :p"),
                {"p": poll["id"]},
            )
        )
    assert stored == acknowledged
    for status, body in answers:
        if status == 201:
            assert hashlib.sha256(body["receipt"].encode()).hexdigest() == body["receipt_hash"]
    rows = row_counts(app)
    assert rows["poll_voter"] == rows["poll_ballot"] == len(acknowledged)
    # The close came mid-load: the ballots after it were refused, as not open.
    assert statuses[201] >= CLOSE_AFTER // 2 and statuses[409] > 0, statuses
    refused = {body["error"]["code"] for status, body in answers if status == 409}
    assert refused == {"poll_not_open"}

    results = api.get(f"/api/v1/polls/{poll['id']}/results").get_json()
    assert results["final"] is True
    assert [results["turnout"]] == counted_by_the_close  # nothing was counted after the close
    assert results["turnout"] == len(acknowledged)
    assert sum(o["count"] for o in results["questions"][0]["options"]) == len(acknowledged)
