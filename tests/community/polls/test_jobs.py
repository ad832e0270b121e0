"""The worker's poll jobs: due polls move on, once, however many workers run them."""

import threading
from datetime import timedelta

import sqlalchemy as sa
import time_machine

from app.database import utcnow
from app.extensions import db
from community.polls import cli as jobs
from tests.community.polls.conftest import choice, later


def _audit_actions(app, poll_id: int) -> list[str]:
    with app.app_context():
        return list(
            db.session.scalars(
                sa.text("SELECT action FROM poll_audit WHERE poll_id = :p ORDER BY id"),
                {"p": poll_id},
            )
        )


def test_a_poll_past_closing_reads_closed_before_the_worker_runs(
    app, new_poll, make_voters, follow, request
):
    """Reads derive the state (no write); ballots are refused; the job then closes it for good."""
    voters = make_voters(2)
    follow(voters)
    poll = new_poll(closes_at=later(minutes=1))
    url = f"/api/v1/polls/{poll['id']}/ballots"
    client = app.test_client()
    ballot = {"answers": [choice(poll, 0, 0)]}
    assert client.post(url, json=ballot, headers=voters[0].headers).status_code == 201

    traveller = time_machine.travel(utcnow() + timedelta(minutes=2), tick=True)
    traveller.start()
    request.addfinalizer(traveller.stop)

    shown = client.get(f"/api/v1/polls/{poll['id']}").get_json()
    assert shown["status"] == "closed"
    assert _audit_actions(app, poll["id"]) == ["created", "opened"]  # the read wrote nothing
    refused = client.post(url, json=ballot, headers=voters[1].headers)
    assert refused.status_code == 409
    assert refused.get_json()["error"]["code"] == "poll_not_open"
    assert client.get(f"/api/v1/polls/{poll['id']}/results").get_json()["final"] is False

    result = app.test_cli_runner().invoke(args=["polls", "advance"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("1 poll(s) moved on")
    assert _audit_actions(app, poll["id"]) == ["created", "opened", "closed"]
    assert client.get(f"/api/v1/polls/{poll['id']}/results").get_json()["final"] is True


def test_two_workers_close_a_due_poll_once(app, new_poll):
    """The same job in two threads at once (two workers): one close, one audit entry."""
    poll = new_poll(closes_at=later(minutes=1))
    with time_machine.travel(utcnow() + timedelta(minutes=2), tick=True):
        _race(app)
    assert _audit_actions(app, poll["id"]) == ["created", "opened", "closed"]


def _race(app) -> None:
    """Run the poll job in two threads at once, as two workers would."""
    moved: list[int] = []
    start = threading.Barrier(2)

    def worker():
        with app.app_context():
            start.wait()
            moved.append(jobs.advance_due_polls())

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(moved) == [0, 1]  # one of them moved it, the other found nothing to do
