"""200 eligible voters voting at once from concurrent clients, many of them twice."""

import random
import threading
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor

from tests.community.polls.conftest import choice, row_counts

VOTERS = 200
THREADS = 32


def test_every_voter_counts_exactly_once_under_concurrency(
    app, client, new_poll, make_voters, follow
):
    """Retries, double clicks and replays → tally = distinct voters, no 5xx, no lock errors.

    Each voter sends from a pool of threads, each with its own test client on the same app:
    once; twice with different keys and different choices (only one may count); twice with
    the same Idempotency-Key (both answered 201 with the same receipt); or twice with no key.
    """
    voters = make_voters(VOTERS, prefix="bench")
    follow(voters)
    poll = new_poll(allow_change=False, title="Biểu quyết chọn phương án cải tạo vườn hoa")
    url = f"/api/v1/polls/{poll['id']}/ballots"

    requests = []  # (voter index, option position, headers)
    for i, voter in enumerate(voters):
        mode, option = i % 4, i % 2
        if mode == 0:
            requests.append((i, option, voter.headers))
        elif mode == 1:
            requests.append((i, option, {**voter.headers, "Idempotency-Key": f"k1-{i:08d}"}))
            requests.append((i, 1 - option, {**voter.headers, "Idempotency-Key": f"k2-{i:08d}"}))
        elif mode == 2:
            same = {**voter.headers, "Idempotency-Key": f"same-{i:08d}"}
            requests += [(i, option, same), (i, option, same)]
        else:
            requests += [(i, option, voter.headers), (i, option, voter.headers)]
    random.Random(6).shuffle(requests)

    local = threading.local()

    def send(request):
        if not hasattr(local, "client"):
            local.client = app.test_client()
        index, option, headers = request
        response = local.client.post(
            url, json={"answers": [choice(poll, 0, option)]}, headers=headers
        )
        return index, option, headers, response.status_code, response.get_data(as_text=True)

    with ThreadPoolExecutor(THREADS) as pool:
        answers = list(pool.map(send, requests))

    statuses = Counter(status for *_, status, _ in answers)
    assert set(statuses) <= {201, 409}, statuses
    assert not any("locked" in body for *_, body in answers)

    accepted = defaultdict(list)
    for index, option, headers, status, body in answers:
        if status == 201:
            accepted[index].append((option, headers.get("Idempotency-Key"), body))
    assert sorted(accepted) == list(range(VOTERS))
    expected = Counter()
    for index, ballots in accepted.items():
        if index % 4 == 2:
            # The same key twice: both answered 201 with the very same receipt.
            assert len(ballots) == 2 and ballots[0][2] == ballots[1][2]
        else:
            assert len(ballots) == 1, (index, ballots)
        expected[ballots[0][0]] += 1

    results = client.get(f"/api/v1/polls/{poll['id']}/results").get_json()
    counts = [o["count"] for o in results["questions"][0]["options"]]
    assert counts == [expected[0], expected[1]]
    assert results["turnout"] == VOTERS == sum(counts)
    assert results["eligible"] == VOTERS
    rows = row_counts(app)
    assert rows["poll_voter"] == rows["poll_ballot"] == VOTERS
