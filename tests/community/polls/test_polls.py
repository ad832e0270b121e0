"""Polls through the HTTP API: creation, lifecycle, ballots, bad input, results and exports."""

import csv
import hashlib
import io

from tests.community.conftest import OTHER_WARD, WARD
from tests.community.polls.conftest import choice, later, row_counts, vote_body
from tests.conftest import grant


def test_staff_create_a_vote_and_everyone_reads_its_questions(api, client, new_poll, people):
    """201 with ids for questions and options; anyone reads a ward poll; kinds get defaults."""
    poll = new_poll(open_it=False)
    assert poll["status"] == "draft" and poll["kind"] == "vote" and poll["secret"] is False
    api.logout()
    # Drafts are for their managers only.
    assert client.get(f"/api/v1/polls/{poll['id']}").status_code == 404
    poll = new_poll()
    api.logout()
    seen = client.get(f"/api/v1/polls/{poll['id']}").get_json()
    assert seen["status"] == "open"
    [question] = seen["questions"]
    assert question["text"] == "Đồng ý lắp camera?"
    assert [o["text"] for o in question["options"]] == ["Đồng ý", "Không đồng ý"]
    assert all(isinstance(o["id"], int) for o in question["options"])

    consultation = new_poll(
        kind="consultation",
        title="Xin ý kiến dự thảo quy ước tổ dân phố",
        questions=[{"text": "Dự thảo quy ước về vệ sinh chung"}],
    )
    [question] = consultation["questions"]
    assert [o["text"] for o in question["options"]] == ["Đồng ý", "Không đồng ý", "Không ý kiến"]
    assert question["allow_comment"] is True

    election = new_poll(
        kind="election",
        title="Bầu tổ trưởng tổ dân phố nhiệm kỳ mới",
        questions=[
            {"text": "Tổ trưởng (chọn tối đa 2)", "options": ["A", "B", "C"], "max_choices": 2}
        ],
    )
    assert election["secret"] is True
    assert election["questions"][0]["max_choices"] == 2


def test_who_may_create_and_what_is_refused(api, app, staff, people, others, community, appoint):
    """Residents and other wards' staff get 403; leaders create for their own community; 422s."""
    api.login(people[3])
    assert api.post("/api/v1/polls", json=vote_body()).status_code == 403
    grant(app, others[0], "ward_admin", ward=OTHER_WARD)
    api.login(others[0])
    assert api.post("/api/v1/polls", json=vote_body()).status_code == 403
    community_body = vote_body(community_id=community["id"])
    assert api.post("/api/v1/polls", json=community_body).status_code == 403

    appoint(people[2], community)
    api.login(people[2])
    created = api.post("/api/v1/polls", json=community_body)
    assert created.status_code == 201, created.get_json()
    assert created.get_json()["community_id"] == community["id"]
    # A leader cannot run a ward-wide poll.
    assert api.post("/api/v1/polls", json=vote_body()).status_code == 403

    api.login(staff)
    bad = [
        vote_body(kind="plebiscite"),
        vote_body(questions=[]),
        vote_body(questions=[{"text": "Q1", "options": ["A", "B"]}] * 2),  # a vote has one
        vote_body(questions=[{"text": "Q", "options": ["A"]}]),
        vote_body(questions=[{"text": "Q", "options": ["A", "a"]}]),
        vote_body(
            questions=[{"text": "Q", "options": ["A", "B"], "min_choices": 2, "max_choices": 1}]
        ),
        vote_body(questions=[{"text": "Q", "options": ["A", "B"], "max_choices": 3}]),
        vote_body(questions=[{"text": "Q", "type": "text"}]),  # free text: surveys only
        vote_body(secret=True, allow_change=True),
        vote_body(one_per_household=True),  # households belong to communities
        vote_body(closes_at=later(days=-1)),
        vote_body(opens_at=later(days=3), closes_at=later(days=2)),
        vote_body(min_vneid_level=3),
        vote_body(quorum_percent=101),
        vote_body(closes_at="2030-01-01T00:00:00"),  # no offset
        {**vote_body(), "community_id": community["id"]},  # both scopes
        {**vote_body(), "surprise": True},
    ]
    for body in bad:
        response = api.post("/api/v1/polls", json=body)
        assert response.status_code == 422, (body, response.get_json())
        assert response.get_json()["error"]["message"]
    assert api.post("/api/v1/polls", json=vote_body(ward="99999")).status_code == 404


def test_lifecycle_draft_scheduled_open_closed(api, client, new_poll, make_voters, follow):
    """Opening fixes eligibility; a scheduled poll opens on time; closing early is audited."""
    voters = make_voters(3)
    follow(voters[:2])
    draft = new_poll(open_it=False)
    url = f"/api/v1/polls/{draft['id']}"
    ballot = {"answers": [choice(draft, 0, 0)]}
    # A draft is its managers' only: to residents it does not exist yet.
    assert client.post(f"{url}/ballots", json=ballot, headers=voters[0].headers).status_code == 404

    opened = api.post(f"{url}/open").get_json()
    assert opened["status"] == "open" and opened["eligible"] == 2
    assert api.post(f"{url}/open").status_code == 409
    # Following after the opening does not make one eligible: the snapshot decides.
    follow(voters[2:])
    late = client.post(f"{url}/ballots", json=ballot, headers=voters[2].headers)
    assert late.status_code == 403 and late.get_json()["error"]["code"] == "not_eligible"
    assert client.post(f"{url}/ballots", json=ballot, headers=voters[0].headers).status_code == 201

    closed = api.post(f"{url}/close", json={"reason": "Đủ số phiếu"})
    assert closed.status_code == 200 and closed.get_json()["status"] == "closed"
    assert closed.get_json()["status_label"] == "Đã đóng"
    assert api.post(f"{url}/close", json={}).status_code == 409
    assert api.post(f"{url}/open").status_code == 409
    after = client.post(f"{url}/ballots", json=ballot, headers=voters[1].headers)
    assert after.status_code == 409 and after.get_json()["error"]["code"] == "poll_not_open"
    audit = api.get(f"{url}/audit").get_json()["items"]
    assert [e["action"] for e in audit] == ["created", "opened", "closed_early"]
    assert audit[-1]["detail"] == "Đủ số phiếu" and audit[-1]["actor_name"]

    # Scheduled: opens_at in the past means it is open now, with its snapshot.
    scheduled = new_poll(open_it=False, opens_at=later(minutes=-1))
    assert scheduled["status"] == "open" and scheduled["eligible"] == 3
    future = new_poll(open_it=False, opens_at=later(days=1))
    assert (future["status"], future["status_label"]) == ("scheduled", "Sắp mở")
    early = client.post(
        f"/api/v1/polls/{future['id']}/ballots",
        json={"answers": [choice(future, 0, 0)]},
        headers=voters[0].headers,
    )
    assert early.status_code == 409 and early.get_json()["error"]["code"] == "poll_not_open"


def test_bad_ballots_are_refused_and_write_nothing(
    app, client, api, staff, new_poll, make_voters, follow
):
    """Malformed → 422, ineligible or level 1 → 403, not open → 409; no row written."""
    voters = make_voters(2)
    weak = make_voters(1, level=1, prefix="muc-1")
    stranger = make_voters(1, prefix="la")[0]
    follow(voters + weak)
    poll = new_poll(
        kind="survey",
        title="Khảo sát nhu cầu sinh hoạt cộng đồng",
        min_vneid_level=2,
        questions=[
            {
                "text": "Môn thể thao",
                "options": ["Cầu lông", "Bóng bàn", "Dưỡng sinh"],
                "min_choices": 1,
                "max_choices": 2,
            },
            {"text": "Khung giờ", "options": ["Sáng", "Tối"]},
            {"text": "Góp ý khác", "type": "text", "min_choices": 0},
        ],
    )
    sport, hours, note = poll["questions"]
    url = f"/api/v1/polls/{poll['id']}/ballots"
    good_hours = {"question": hours["id"], "options": [hours["options"][0]["id"]]}
    malformed = [
        [{"question": sport["id"], "options": [hours["options"][0]["id"]]}, good_hours],
        [{"question": sport["id"], "options": [o["id"] for o in sport["options"]]}, good_hours],
        [{"question": sport["id"], "options": []}, good_hours],
        [good_hours],  # a required question unanswered
        [choice(poll, 0, 0), good_hours, {"question": 999_999, "options": [1]}],
        [choice(poll, 0, 0), {"question": hours["id"], "text": "Sáng"}],
        [choice(poll, 0, 0), good_hours, {"question": note["id"], "options": [1]}],
        [choice(poll, 0, 0, 0), good_hours],
        [choice(poll, 0, 0), good_hours, good_hours],
        [choice(poll, 0, 0), good_hours, {"question": note["id"], "text": "x" * 1001}],
        [{"question": sport["id"]}],
        [{"question": "một", "options": [1]}],
    ]
    before = row_counts(app)
    for answers in malformed:
        response = client.post(url, json={"answers": answers}, headers=voters[0].headers)
        assert response.status_code == 422, (answers, response.get_json())
        assert response.get_json()["error"]["message"]
    assert client.post(url, json={}, headers=voters[0].headers).status_code == 422
    good = {"answers": [choice(poll, 0, 0, 2), good_hours]}
    level = client.post(url, json=good, headers=weak[0].headers)
    assert level.status_code == 403
    assert level.get_json()["error"]["code"] == "vneid_level_required"
    outsider = client.post(url, json=good, headers=stranger.headers)
    assert outsider.status_code == 403 and outsider.get_json()["error"]["code"] == "not_eligible"
    api.logout()
    assert client.post(url, json=good).status_code == 401
    assert (
        client.post(
            "/api/v1/polls/999999/ballots", json=good, headers=voters[0].headers
        ).status_code
        == 404
    )
    assert row_counts(app) == before

    api.login(staff)
    assert api.post(f"/api/v1/polls/{poll['id']}/close", json={}).status_code == 200
    closed = client.post(url, json=good, headers=voters[0].headers)
    assert closed.status_code == 409
    assert row_counts(app) == before


def test_one_ballot_per_voter_and_changing_only_where_allowed(
    app, client, new_poll, make_voters, follow
):
    """A second ballot is 409 and not counted; with allow_change, the last ballot counts."""
    voters = make_voters(2)
    follow(voters)
    poll = new_poll()
    url = f"/api/v1/polls/{poll['id']}"
    first = client.post(
        f"{url}/ballots", json={"answers": [choice(poll, 0, 0)]}, headers=voters[0].headers
    )
    assert first.status_code == 201
    receipt = first.get_json()["receipt"]
    assert (
        len(receipt) == 24
        and first.get_json()["receipt_hash"] == hashlib.sha256(receipt.encode()).hexdigest()
    )
    again = client.post(
        f"{url}/ballots", json={"answers": [choice(poll, 0, 1)]}, headers=voters[0].headers
    )
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "already_voted"
    counts = [
        o["count"] for o in client.get(f"{url}/results").get_json()["questions"][0]["options"]
    ]
    assert counts == [1, 0]

    changeable = new_poll(allow_change=True, title="Chọn ngày tổng vệ sinh khu phố")
    url = f"/api/v1/polls/{changeable['id']}"
    for position in (0, 1, 1, 0, 1):
        response = client.post(
            f"{url}/ballots",
            json={"answers": [choice(changeable, 0, position)]},
            headers=voters[1].headers,
        )
        assert response.status_code == 201
    results = client.get(f"{url}/results").get_json()
    assert [o["count"] for o in results["questions"][0]["options"]] == [0, 1]
    assert results["turnout"] == 1 and results["eligible"] == 2


def test_idempotency_key_replays_and_refuses_a_different_body(
    app, client, new_poll, make_voters, follow
):
    """Same key + body → the same 201 and receipt, nothing new; other body → 422."""
    voters = make_voters(2)
    follow(voters)
    poll = new_poll()
    url = f"/api/v1/polls/{poll['id']}/ballots"
    body = {"answers": [choice(poll, 0, 1)]}
    key = {"Idempotency-Key": "4f1c2a9e-0d5b-4c1e-9a77-3b2f6d8e1a10"}
    first = client.post(url, json=body, headers={**voters[0].headers, **key})
    assert first.status_code == 201
    counts = row_counts(app)
    replay = client.post(url, json=body, headers={**voters[0].headers, **key})
    assert replay.status_code == 201 and replay.get_json() == first.get_json()
    assert replay.headers["Idempotent-Replayed"] == "true"
    assert row_counts(app) == counts
    other = client.post(
        url, json={"answers": [choice(poll, 0, 0)]}, headers={**voters[0].headers, **key}
    )
    assert other.status_code == 422
    assert other.get_json()["error"]["code"] == "idempotency_key_reused"
    fresh_key = client.post(
        url, json=body, headers={**voters[0].headers, "Idempotency-Key": "another-key-123"}
    )
    assert fresh_key.status_code == 409
    # The key belongs to its caller: someone else using the same key votes for themselves.
    theirs = client.post(url, json=body, headers={**voters[1].headers, **key})
    assert theirs.status_code == 201 and theirs.get_json()["receipt"] != first.get_json()["receipt"]
    assert (
        client.post(
            url, json=body, headers={**voters[1].headers, "Idempotency-Key": "short"}
        ).status_code
        == 422
    )
    results = client.get(f"/api/v1/polls/{poll['id']}/results").get_json()
    assert results["turnout"] == 2


def test_one_vote_per_household(api, client, app, staff, community, make_voters, enrol):
    """Members of one confirmed household share one ballot; unconfirmed ones cannot vote."""
    voters = make_voters(4)
    enrol(voters, community)
    base = f"/api/v1/communities/{community['id']}"
    for voter, household in zip(voters, ["HK-01", "hk-01", "HK-02", "HK-03"], strict=True):
        stated = client.put(
            f"{base}/membership", json={"household": household}, headers=voter.headers
        )
        assert stated.status_code == 200, stated.get_json()
    api.login(staff)
    for voter in voters[:3]:
        assert api.post(f"{base}/members/{voter.id}/confirm-household").status_code == 200
    body = vote_body(one_per_household=True, community_id=community["id"])
    poll = api.post("/api/v1/polls", json=body).get_json()
    poll = api.post(f"/api/v1/polls/{poll['id']}/open").get_json()
    assert poll["eligible"] == 2  # HK-01 (two members) and HK-02; HK-03 is not confirmed
    url = f"/api/v1/polls/{poll['id']}/ballots"
    ballot = {"answers": [choice(poll, 0, 0)]}
    assert client.post(url, json=ballot, headers=voters[0].headers).status_code == 201
    same_house = client.post(url, json=ballot, headers=voters[1].headers)
    assert same_house.status_code == 409
    assert client.post(url, json=ballot, headers=voters[2].headers).status_code == 201
    assert client.post(url, json=ballot, headers=voters[3].headers).status_code == 403
    mine = client.get(f"/api/v1/polls/{poll['id']}", headers=voters[1].headers).get_json()["my"]
    assert mine == {"eligible": True, "voted": True, "can_manage": False, "results_visible": True}
    assert client.get(f"/api/v1/polls/{poll['id']}/results").get_json()["turnout"] == 2


def test_results_visibility_rules(api, client, staff, new_poll, make_voters, follow):
    """always: while open; after_vote: once the caller voted; after_close: only when closed."""
    voters = make_voters(2)
    follow(voters)
    polls = {
        rule: new_poll(results_visibility=rule, title=f"Biểu quyết {rule}")
        for rule in ("always", "after_vote", "after_close")
    }
    api.logout()
    draft = new_poll(open_it=False, results_visibility="always")
    assert api.get(f"/api/v1/polls/{draft['id']}/results").status_code == 403

    def results(rule, voter=None):
        headers = voter.headers if voter else {}
        return client.get(f"/api/v1/polls/{polls[rule]['id']}/results", headers=headers)

    api.logout()
    assert results("always").status_code == 200
    hidden = results("after_vote", voters[0])
    assert hidden.status_code == 403 and hidden.get_json()["error"]["code"] == "results_not_visible"
    assert results("after_close", voters[0]).status_code == 403
    for rule in polls:
        ballot = {"answers": [choice(polls[rule], 0, 0)]}
        url = f"/api/v1/polls/{polls[rule]['id']}/ballots"
        assert client.post(url, json=ballot, headers=voters[0].headers).status_code == 201
    assert results("after_vote", voters[0]).status_code == 200
    assert results("after_vote", voters[1]).status_code == 403
    assert results("after_vote").status_code == 403
    assert results("after_close", voters[0]).status_code == 403
    api.login(staff)
    assert api.post(f"/api/v1/polls/{polls['after_close']['id']}/close", json={}).status_code == 200
    api.logout()
    assert results("after_close").status_code == 200
    assert results("after_close", voters[1]).status_code == 200


def test_results_after_close_quorum_and_exports(api, client, staff, new_poll, make_voters, follow):
    """After closing, results show counts, turnout, eligible, quorum; exports carry SHA-256."""
    voters = make_voters(5)
    follow(voters)
    poll = new_poll(results_visibility="after_close", quorum_percent=50)
    url = f"/api/v1/polls/{poll['id']}"
    for voter, position in zip(voters[:3], (0, 0, 1), strict=True):
        response = client.post(
            f"{url}/ballots", json={"answers": [choice(poll, 0, position)]}, headers=voter.headers
        )
        assert response.status_code == 201
    assert client.get(f"{url}/results").status_code == 403
    assert client.get(f"{url}/ballots").status_code == 409  # published only after closing
    api.login(staff)
    assert api.post(f"{url}/close", json={}).status_code == 200
    results = client.get(f"{url}/results").get_json()
    [question] = results["questions"]
    assert [(o["text"], o["count"]) for o in question["options"]] == [
        ("Đồng ý", 2),
        ("Không đồng ý", 1),
    ]
    assert (
        results["turnout"] == 3 and results["eligible"] == 5 and results["quorum_reached"] is True
    )

    exported = client.get(f"{url}/results?format=json")
    assert exported.status_code == 200 and exported.mimetype == "application/json"
    digest = hashlib.sha256(exported.data).hexdigest()
    assert exported.headers["X-Content-SHA256"] == digest == results["sha256"]
    assert exported.get_json()["turnout"] == 3
    as_csv = client.get(f"{url}/results?format=csv")
    assert as_csv.mimetype == "text/csv"
    assert as_csv.headers["X-Content-SHA256"] == hashlib.sha256(as_csv.data).hexdigest()
    rows = list(csv.reader(io.StringIO(as_csv.data.decode("utf-8-sig"))))
    assert rows[0] == ["Mã câu hỏi", "Câu hỏi", "Mã phương án", "Phương án", "Số phiếu"]
    assert rows[-2][1:] == ["Số phiếu đã bỏ", "", "", "3"]
    assert as_csv.headers["Content-Disposition"].endswith('.csv"')
    assert [r[3:] for r in rows[1:3]] == [["Đồng ý", "2"], ["Không đồng ý", "1"]]
    assert client.get(f"{url}/results?format=xml").status_code == 422


def test_quorum_not_reached(api, client, staff, new_poll, make_voters, follow):
    """Two ballots of five eligible do not reach a 50 % quorum."""
    voters = make_voters(5)
    follow(voters)
    poll = new_poll(quorum_percent=50)
    for voter in voters[:2]:
        client.post(
            f"/api/v1/polls/{poll['id']}/ballots",
            json={"answers": [choice(poll, 0, 0)]},
            headers=voter.headers,
        )
    results = client.get(f"/api/v1/polls/{poll['id']}/results").get_json()
    assert results["turnout"] == 2 and results["quorum_reached"] is False


def test_survey_text_answers_and_consultation_comments(
    api, client, staff, new_poll, make_voters, follow
):
    """Free-text answers and comments are listed with the results, not linked to anyone."""
    voters = make_voters(2)
    follow(voters)
    survey = new_poll(
        kind="survey",
        title="Khảo sát chất lượng thu gom rác",
        questions=[
            {"text": "Mức hài lòng", "options": ["Hài lòng", "Chưa hài lòng"]},
            {"text": "Đề xuất của bạn", "type": "text"},
        ],
    )
    text_q = survey["questions"][1]["id"]
    for voter, text in zip(voters, ["Thu gom  sớm hơn", "Thêm thùng rác"], strict=True):
        response = client.post(
            f"/api/v1/polls/{survey['id']}/ballots",
            json={"answers": [choice(survey, 0, 0), {"question": text_q, "text": text}]},
            headers=voter.headers,
        )
        assert response.status_code == 201
    results = client.get(f"/api/v1/polls/{survey['id']}/results").get_json()
    assert results["questions"][1]["answers"] == ["Thu gom sớm hơn", "Thêm thùng rác"]
    assert results["questions"][0]["options"][0]["count"] == 2

    consultation = new_poll(
        kind="consultation",
        title="Xin ý kiến giờ mở cửa nhà văn hóa",
        questions=[{"text": "Mở cửa đến 22 giờ"}],
    )
    answer = choice(consultation, 0, 2)
    answer["text"] = "Chỉ cuối tuần"
    response = client.post(
        f"/api/v1/polls/{consultation['id']}/ballots",
        json={"answers": [answer]},
        headers=voters[0].headers,
    )
    assert response.status_code == 201
    [question] = client.get(f"/api/v1/polls/{consultation['id']}/results").get_json()["questions"]
    assert question["answers"] == ["Chỉ cuối tuần"]
    assert [o["count"] for o in question["options"]] == [0, 0, 1]


def test_who_sees_which_polls(
    api, client, staff, people, community, new_poll, make_voters, enrol, follow
):
    """Community polls are for members (404 to others); lists and /me/polls follow the same rule."""
    members = make_voters(2, prefix="thanh-vien")
    outsider = make_voters(1, prefix="ngoai")[0]
    enrol(members, community)
    follow([outsider])
    group_poll = new_poll(community_id=community["id"], title="Biểu quyết quỹ tổ dân phố")
    ward_poll = new_poll(title="Biểu quyết toàn phường")
    draft = new_poll(open_it=False, title="Bản nháp")
    url = f"/api/v1/polls/{group_poll['id']}"
    assert client.get(url, headers=members[0].headers).status_code == 200
    assert client.get(url, headers=outsider.headers).status_code == 404
    api.logout()
    assert client.get(url).status_code == 404

    def listed(voter=None, query=""):
        headers = voter.headers if voter else {}
        response = client.get(f"/api/v1/polls{query}", headers=headers)
        assert response.status_code == 200
        return [p["id"] for p in response.get_json()["items"]]

    assert listed(members[0]) == [ward_poll["id"], group_poll["id"]]
    assert listed(outsider) == [ward_poll["id"]]
    assert listed(query=f"?ward={WARD}") == [ward_poll["id"]]
    assert listed(members[0], f"?community_id={community['id']}") == [group_poll["id"]]
    api.login(staff)
    assert draft["id"] in [
        p["id"] for p in api.get("/api/v1/polls?ward=hoan-kiem").get_json()["items"]
    ]

    # Joining a community follows its ward: members get both polls, the outsider the ward's.
    mine = client.get("/api/v1/me/polls", headers=members[0].headers).get_json()["items"]
    assert {p["id"] for p in mine} == {group_poll["id"], ward_poll["id"]}
    theirs = client.get("/api/v1/me/polls", headers=outsider.headers).get_json()["items"]
    assert [p["id"] for p in theirs] == [ward_poll["id"]]
    assert theirs[0]["my"]["eligible"] is True and theirs[0]["my"]["voted"] is False
