"""Poll lists send as many SQL statements for a page of 12 as for a page of 2 (no N+1)."""

from tests.community.conftest import WARD
from tests.community.polls.conftest import choice
from tests.conftest import assert_flat_cost, grant


def test_the_poll_list_is_one_query_per_kind_of_row(
    api, client, new_poll, make_voters, follow, count_statements
):
    """Residents (bearer) and staff (session) page through 12 polls with 2 polls' statements."""
    voters = make_voters(1)
    follow(voters)
    new_poll(title="Bản nháp", open_it=False)  # the staff's pages hold drafts too
    polls = [new_poll(title=f"Biểu quyết số {number}") for number in range(12)]
    voted = client.post(  # the resident's standing in each poll is read with the page
        f"/api/v1/polls/{polls[-1]['id']}/ballots",
        json={"answers": [choice(polls[-1], 0, 0)]},
        headers=voters[0].headers,
    )
    assert voted.status_code == 201, voted.get_json()
    url = f"/api/v1/polls?ward={WARD}&limit="
    assert_flat_cost(count_statements, lambda n: client.get(f"{url}{n}", headers=voters[0].headers))
    assert_flat_cost(count_statements, lambda n: api.get(f"{url}{n}"))  # the staff, by session
    api.logout()
    assert_flat_cost(count_statements, lambda n: api.get(f"{url}{n}"))


def test_my_open_polls_are_read_in_a_fixed_number_of_statements(
    client, new_poll, make_voters, follow, count_statements
):
    """The caller's open polls: 2 or 12 of them, with their questions, cost the same."""
    voters = make_voters(1)
    follow(voters)
    polls = [new_poll(title=f"Biểu quyết số {number}") for number in range(2)]
    voted = polls[0]
    client.post(
        f"/api/v1/polls/{voted['id']}/ballots",
        json={"answers": [choice(voted, 0, 0)]},
        headers=voters[0].headers,
    )

    def mine():
        return client.get("/api/v1/me/polls", headers=voters[0].headers)

    mine()
    two, two_sent = count_statements(mine)
    for number in range(2, 12):
        new_poll(title=f"Biểu quyết số {number}")
    mine()
    twelve, twelve_sent = count_statements(mine)
    assert len(two.get_json()["items"]) == 2 and len(twelve.get_json()["items"]) == 12
    assert len(twelve_sent) == len(two_sent), "\n".join(twelve_sent)


def test_the_audit_log_names_its_actors_in_one_query(
    app, api, staff, people, new_poll, count_statements
):
    """A poll's audit log costs the same with one entry as with three by three people."""
    draft = new_poll(open_it=False)
    closed = new_poll(open_it=False)
    for sub, action in ((people[1], "open"), (people[2], "close")):
        grant(app, sub, "ward_editor", ward=WARD)
        api.login(sub)
        assert api.post(f"/api/v1/polls/{closed['id']}/{action}", json={}).status_code == 200
    api.login(staff)

    def audit(poll):
        return api.get(f"/api/v1/polls/{poll['id']}/audit")

    audit(draft)
    one, one_sent = count_statements(lambda: audit(draft))
    three, three_sent = count_statements(lambda: audit(closed))
    assert len(one.get_json()["items"]) == 1 and len(three.get_json()["items"]) == 3
    assert len(three_sent) == len(one_sent), "\n".join(three_sent)


def test_published_ballots_page_in_a_fixed_number_of_statements(
    api, client, new_poll, make_voters, follow, count_statements
):
    """A closed open-ballot poll's ballots: a page of 12 costs what a page of 2 does."""
    voters = make_voters(12)
    follow(voters)
    poll = new_poll(secret=False)
    for voter in voters:
        cast = client.post(
            f"/api/v1/polls/{poll['id']}/ballots",
            json={"answers": [choice(poll, 0, 0)]},
            headers=voter.headers,
        )
        assert cast.status_code == 201, cast.get_json()
    assert api.post(f"/api/v1/polls/{poll['id']}/close", json={}).status_code == 200
    url = f"/api/v1/polls/{poll['id']}/ballots?limit="
    assert_flat_cost(count_statements, lambda n: api.get(f"{url}{n}"))
