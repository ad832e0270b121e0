"""The worker's notice job: a due notice's audience is fixed once, however many workers run."""

import threading
from datetime import UTC, datetime, timedelta

import time_machine

from community.notices import cli as jobs
from tests.community.test_notices import notice


def test_two_workers_deliver_a_due_notice_once(app, api, people, staff, make_community, join):
    """Both workers run at once; one delivers; the audience counts each member once."""
    community = make_community()
    join(people[3], community)
    api.login(staff)
    at = datetime.now(UTC) + timedelta(minutes=1)
    sent = api.post(
        "/api/v1/notices",
        json=notice(community_ids=[community["id"]], publish_at=at.isoformat()),
    ).get_json()
    join(people[4], community)
    delivered: list[int] = []
    start = threading.Barrier(2)

    def worker():
        with app.app_context():
            start.wait()
            delivered.append(jobs.deliver_due_notices())

    with time_machine.travel(at + timedelta(minutes=1), tick=True):
        threads = [threading.Thread(target=worker) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        api.login(staff)
        stats = api.get(f"/api/v1/notices/{sent['id']}/stats").get_json()
    assert sorted(delivered) == [0, 1]
    assert stats["audience"] == 2


def test_who_joins_or_leaves_before_publication_sees_it_right_without_the_worker(
    api, people, staff, make_community, join
):
    """At publish_at, before any delivery: a newcomer has the notice, a leaver has not."""
    community = make_community()
    join(people[3], community)
    join(people[5], community)
    api.login(staff)
    at = datetime.now(UTC) + timedelta(minutes=1)
    sent = api.post(
        "/api/v1/notices",
        json=notice(community_ids=[community["id"]], publish_at=at.isoformat()),
    ).get_json()
    join(people[4], community)  # after scheduling, before publication
    api.login(people[5])
    assert api.delete(f"/api/v1/communities/{community['id']}/membership").status_code in (
        200,
        204,
    )
    with time_machine.travel(at + timedelta(minutes=1), tick=True):
        for person, expected in (
            (people[3], [sent["id"]]),
            (people[4], [sent["id"]]),
            (people[5], []),
        ):
            api.login(person)
            feed = [n["id"] for n in api.get("/api/v1/me/feed").get_json()["items"]]
            assert feed == expected, person
        api.login(people[5])
        assert api.get(f"/api/v1/notices/{sent['id']}").status_code == 404
        api.login(staff)
        assert api.get(f"/api/v1/notices/{sent['id']}/stats").get_json()["audience"] == 2
