"""The ballot writer's rules, once the process knows the poll's definition.

The first ballot of a poll loads its definition (questions, options, secrecy) and keeps it;
the ballots that follow are one statement on PostgreSQL. These tests cast a first ballot, then
check that every rule still holds, and that a refused ballot writes nothing.
"""

import sqlalchemy as sa

from app.extensions import db
from tests.community.conftest import WARD
from tests.community.polls.conftest import choice, row_counts
from tests.conftest import grant


def _warm(client, poll, voter) -> None:
    """Cast a first ballot, so that the process knows the poll's definition."""
    url = f"/api/v1/polls/{poll['id']}/ballots"
    response = client.post(url, json={"answers": [choice(poll, 0, 0)]}, headers=voter.headers)
    assert response.status_code == 201, response.get_json()


def test_rules_hold_once_the_poll_is_remembered(
    app, client, api, staff, new_poll, make_voters, follow
):
    """422, 403 (ineligible, level 1), 409 (again, closed), 401: nothing written; then 201s."""
    voters = make_voters(3)
    weak = make_voters(1, level=1, prefix="muc-1")
    stranger = make_voters(1, prefix="la")[0]
    follow(voters + weak)
    poll = new_poll(min_vneid_level=2)
    [question] = poll["questions"]
    url = f"/api/v1/polls/{poll['id']}/ballots"
    _warm(client, poll, voters[0])
    before = row_counts(app)

    for answers in (
        [{"question": question["id"], "options": []}],
        [{"question": question["id"], "options": [o["id"] for o in question["options"]]}],
        [{"question": question["id"], "options": [999_999]}],
        [{"question": question["id"], "text": "Đồng ý"}],
        [choice(poll, 0, 0), choice(poll, 0, 1)],
        [],
    ):
        response = client.post(url, json={"answers": answers}, headers=voters[1].headers)
        assert response.status_code == 422, (answers, response.get_json())
        assert response.get_json()["error"]["code"] == "invalid_ballot"
    good = {"answers": [choice(poll, 0, 1)]}
    level = client.post(url, json=good, headers=weak[0].headers)
    assert level.status_code == 403
    assert level.get_json()["error"]["code"] == "vneid_level_required"
    outsider = client.post(url, json=good, headers=stranger.headers)
    assert outsider.status_code == 403 and outsider.get_json()["error"]["code"] == "not_eligible"
    again = client.post(url, json=good, headers=voters[0].headers)
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "already_voted"
    api.logout()
    assert client.post(url, json=good).status_code == 401
    assert row_counts(app) == before

    assert client.post(url, json=good, headers=voters[1].headers).status_code == 201
    api.login(staff)
    assert api.post(f"/api/v1/polls/{poll['id']}/close", json={}).status_code == 200
    closed = client.post(url, json=good, headers=voters[2].headers)
    assert closed.status_code == 409 and closed.get_json()["error"]["code"] == "poll_not_open"
    results = client.get(f"/api/v1/polls/{poll['id']}/results").get_json()
    assert [o["count"] for o in results["questions"][0]["options"]] == [1, 1]


def test_a_poll_past_its_closing_time_takes_no_ballot(app, client, new_poll, make_voters, follow):
    """Remembered open, then past closes_at: 409, and the poll is closed, with nothing written."""
    voters = make_voters(2)
    follow(voters)
    poll = new_poll()
    _warm(client, poll, voters[0])
    with app.app_context():
        db.session.execute(
            sa.text("UPDATE poll SET closes_at = :at WHERE id = :id"),
            {"at": "2000-01-01 00:00:00.000000", "id": poll["id"]},
        )
        db.session.commit()
    before = row_counts(app)
    late = client.post(
        f"/api/v1/polls/{poll['id']}/ballots",
        json={"answers": [choice(poll, 0, 1)]},
        headers=voters[1].headers,
    )
    assert late.status_code == 409 and late.get_json()["error"]["code"] == "poll_not_open"
    assert row_counts(app) == before
    assert client.get(f"/api/v1/polls/{poll['id']}").get_json()["status"] == "closed"


def test_expired_or_revoked_tokens_cannot_vote(app, client, new_poll, make_voters, follow):
    """A revoked or expired bearer token is 401 on the ballot too; an erased voter as well."""
    voters = make_voters(4)
    follow(voters)
    poll = new_poll()
    url = f"/api/v1/polls/{poll['id']}/ballots"
    _warm(client, poll, voters[0])
    assert client.delete("/api/v1/auth/tokens/current", headers=voters[1].headers).status_code in (
        200,
        204,
    )
    with app.app_context():
        db.session.execute(
            sa.text("UPDATE api_token SET expires_at = :at WHERE user_id = :id"),
            {"at": "2000-01-01 00:00:00.000000", "id": voters[2].id},
        )
        db.session.execute(
            sa.text('UPDATE "user" SET erased_at = :at WHERE id = :id'),
            {"at": "2000-01-01 00:00:00.000000", "id": voters[3].id},
        )
        db.session.commit()
    before = row_counts(app)
    for voter in voters[1:]:
        response = client.post(url, json={"answers": [choice(poll, 0, 1)]}, headers=voter.headers)
        assert response.status_code == 401, response.get_json()
    assert row_counts(app) == before


def test_community_polls_and_secret_ballots(
    app, client, api, staff, community, make_voters, enrol, new_poll
):
    """A non-member gets 404, members vote; a secret ballot keeps no voter key."""
    members = make_voters(3)
    outsider = make_voters(1, prefix="ngoai")[0]
    enrol(members, community)
    poll = new_poll(community_id=community["id"], secret=True, title="Bầu tổ trưởng kín")
    url = f"/api/v1/polls/{poll['id']}/ballots"
    _warm(client, poll, members[0])
    body = {"answers": [choice(poll, 0, 1)]}
    assert client.post(url, json=body, headers=outsider.headers).status_code == 404
    assert client.post(url, json=body, headers=members[1].headers).status_code == 201
    assert client.post(url, json=body, headers=members[1].headers).status_code == 409
    assert client.post(url, json=body, headers=members[2].headers).status_code == 201
    with app.app_context():
        keys = db.session.execute(
            sa.text("SELECT voter_key FROM poll_ballot WHERE poll_id = :p"), {"p": poll["id"]}
        ).all()
    assert len(keys) == 3 and all(key is None for (key,) in keys)


def test_unknown_fields_are_refused_as_before(client, new_poll, make_voters, follow):
    """The hand-written check leaves odd bodies to the schema: same 422 naming the field."""
    voters = make_voters(2)
    follow(voters)
    poll = new_poll()
    url = f"/api/v1/polls/{poll['id']}/ballots"
    _warm(client, poll, voters[0])
    extra = client.post(
        url, json={"answers": [choice(poll, 0, 0)], "voter": 1}, headers=voters[1].headers
    )
    assert extra.status_code == 422
    error = extra.get_json()["error"]
    assert error["code"] == "validation_error" and error["details"]["location"] == "json"
    assert "voter" in error["details"]["fields"]
    nested = client.post(
        url,
        json={"answers": [{**choice(poll, 0, 0), "weight": 2}]},
        headers=voters[1].headers,
    )
    assert nested.status_code == 422
    assert nested.get_json()["error"]["details"]["fields"]["answers"]["0"] == {
        "weight": ["Trường này không được hỗ trợ."]
    }


def test_a_member_who_left_after_opening_gets_the_full_paths_answer(
    app, client, community, make_voters, enrol, new_poll
):
    """Eligible when the poll opened, gone since: the same 404 as the full path, nothing written."""
    members = make_voters(3)
    enrol(members, community)
    poll = new_poll(community_id=community["id"])
    url = f"/api/v1/polls/{poll['id']}/ballots"
    _warm(client, poll, members[0])
    leaving = client.delete(
        f"/api/v1/communities/{community['id']}/membership", headers=members[1].headers
    )
    assert leaving.status_code in (200, 204)
    before = row_counts(app)
    body = {"answers": [choice(poll, 0, 1)]}
    response = client.post(url, json=body, headers=members[1].headers)
    assert response.status_code == 404
    assert row_counts(app) == before
    assert client.post(url, json=body, headers=members[2].headers).status_code == 201


def test_a_known_poll_takes_one_statement_per_ballot_on_postgresql(
    app, client, new_poll, make_voters, follow, is_postgres
):
    """Caller, rules, Idempotency-Key record, voter and ballot: one statement on PostgreSQL."""
    voters = make_voters(3)
    follow(voters)
    poll = new_poll()
    url = f"/api/v1/polls/{poll['id']}/ballots"
    _warm(client, poll, voters[0])
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        body = {"answers": [choice(poll, 0, 1)]}
        plain = client.post(url, json=body, headers=voters[1].headers)
        keyed = client.post(
            url, json=body, headers={**voters[2].headers, "Idempotency-Key": "phieu-0001"}
        )
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
    assert plain.status_code == 201 and keyed.status_code == 201
    writes = [s for s in statements if not s.lstrip().upper().startswith(("BEGIN", "COMMIT"))]
    # SQLite has no data-modifying CTE: the same statements run one after the other there.
    assert len(writes) == (2 if is_postgres else 2 + 3)


def test_a_manager_who_left_the_community_is_not_eligible_any_more(
    app, client, community, make_voters, enrol, new_poll
):
    """Staff see every poll of their ward; once out of the community they may not vote (403)."""
    members = make_voters(3)
    enrol(members, community)
    grant(app, members[0].sub, "ward_editor", ward=WARD)
    poll = new_poll(community_id=community["id"])
    url = f"/api/v1/polls/{poll['id']}/ballots"
    assert client.get(f"/api/v1/polls/{poll['id']}", headers=members[0].headers).get_json()["my"][
        "eligible"
    ]
    left = client.delete(
        f"/api/v1/communities/{community['id']}/membership", headers=members[0].headers
    )
    assert left.status_code in (200, 204)
    before = row_counts(app)
    refused = client.post(url, json={"answers": [choice(poll, 0, 0)]}, headers=members[0].headers)
    assert refused.status_code == 403
    assert refused.get_json()["error"]["code"] == "not_eligible"
    assert row_counts(app) == before
    shown = client.get(f"/api/v1/polls/{poll['id']}", headers=members[0].headers).get_json()
    assert shown["my"]["eligible"] is False
    assert (
        client.post(
            url, json={"answers": [choice(poll, 0, 0)]}, headers=members[1].headers
        ).status_code
        == 201
    )


def test_an_idempotency_key_may_hold_spaces(client, new_poll, make_voters, follow):
    """Any printable ASCII, space included (the header's own alphabet), is a valid key."""
    voter = make_voters(1)[0]
    follow([voter])
    poll = new_poll()
    url = f"/api/v1/polls/{poll['id']}/ballots"
    headers = {**voter.headers, "Idempotency-Key": "phiếu 42".encode().decode("latin-1")}
    assert (
        client.post(url, json={"answers": [choice(poll, 0, 0)]}, headers=headers).status_code == 422
    )
    headers["Idempotency-Key"] = "ballot 0042 from phone"
    first = client.post(url, json={"answers": [choice(poll, 0, 0)]}, headers=headers)
    again = client.post(url, json={"answers": [choice(poll, 0, 0)]}, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.get_json() == first.get_json()
