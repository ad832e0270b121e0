"""Demo polls load twice harmlessly; the personal-data export lists one's polls."""

import sqlalchemy as sa

from app.extensions import db
from app.identity.demo import PILOT_WARDS
from tests.community.polls.conftest import choice


def _counts(app) -> dict:
    with app.app_context():
        return {
            table: db.session.scalar(sa.text(f"SELECT count(*) FROM {table}"))  # noqa: S608
            for table in ("poll", "poll_question", "poll_voter", "poll_ballot", "poll_eligible")
        }


def test_demo_polls_are_idempotent_and_visible(app, client):
    """An open vote and a closed consultation in Hoàn Kiếm, a survey in Đa Phúc, with ballots."""
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    first = _counts(app)
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    assert _counts(app) == first

    hoan_kiem = client.get("/api/v1/polls?ward=hoan-kiem").get_json()["items"]
    assert sorted((p["kind"], p["status"]) for p in hoan_kiem) == [
        ("consultation", "closed"),
        ("vote", "open"),
    ]
    closed = next(p for p in hoan_kiem if p["kind"] == "consultation")
    results = client.get(f"/api/v1/polls/{closed['id']}/results").get_json()
    assert results["turnout"] == 5 and results["eligible"] >= 5
    assert [o["count"] for o in results["questions"][0]["options"]] == [4, 1, 0]
    [survey] = client.get("/api/v1/polls?ward=00424").get_json()["items"]
    assert survey["kind"] == "survey" and survey["status"] == "open"
    assert client.get(f"/api/v1/polls/{survey['id']}/results").get_json()["turnout"] == 3

    # Every pilot ward shows an open poll to its residents.
    for ward_code in PILOT_WARDS:
        polls = client.get(f"/api/v1/polls?ward={ward_code}").get_json()["items"]
        assert any(p["status"] == "open" for p in polls), ward_code


def test_personal_data_export_lists_polls_not_secret_choices(client, new_poll, make_voters, follow):
    """GET /me/data names the polls one voted in, never what a secret ballot said."""
    [voter] = make_voters(1)
    follow([voter])
    poll = new_poll(
        kind="election",
        title="Bầu trưởng ban công tác Mặt trận",
        questions=[{"text": "Trưởng ban", "options": ["Nguyễn Văn An", "Trần Thị Bình"]}],
    )
    url = f"/api/v1/polls/{poll['id']}/ballots"
    assert (
        client.post(url, json={"answers": [choice(poll, 0, 1)]}, headers=voter.headers).status_code
        == 201
    )
    data = client.get("/api/v1/me/data", headers=voter.headers).get_json()
    assert data["polls"]["voted_in"] == [
        {
            "poll_id": poll["id"],
            "title": "Bầu trưởng ban công tác Mặt trận",
            "kind": "Bầu cử",
            "secret": True,
        }
    ]
    assert "Trần Thị Bình" not in str(data)
