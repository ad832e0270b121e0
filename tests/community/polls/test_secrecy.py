"""Secret ballots: nothing links who voted to what was voted; receipts let anyone recount."""

import hashlib
import re
from collections import Counter

import pytest
import sqlalchemy as sa

from app.extensions import db
from tests.community.polls.conftest import choice

ELECTION = {
    "kind": "election",
    "title": "Bầu Ban công tác Mặt trận khu dân cư",
    "questions": [
        {
            "text": "Chọn tối đa 2 người",
            "options": ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"],
            "min_choices": 1,
            "max_choices": 2,
        }
    ],
}


def test_no_column_links_a_ballot_to_a_voter(app):
    """The ballot table has no user, no timestamp and no reference to the voter table."""
    with app.app_context():
        inspector = sa.inspect(db.engine)
        ballot_columns = {c["name"]: c for c in inspector.get_columns("poll_ballot")}
        voter_columns = {c["name"]: c for c in inspector.get_columns("poll_voter")}
        assert set(ballot_columns) == {"id", "poll_id", "receipt_hash", "answers", "voter_key"}
        assert set(voter_columns) == {"poll_id", "voter_key", "user_id"}
        for columns in (ballot_columns, voter_columns):
            assert not any(isinstance(c["type"], sa.DateTime) for c in columns.values())
            assert not any("time" in name or name.endswith("_at") for name in columns)
        assert {fk["referred_table"] for fk in inspector.get_foreign_keys("poll_ballot")} == {
            "poll"
        }
        assert {fk["referred_table"] for fk in inspector.get_foreign_keys("poll_voter")} == {
            "poll",
            "user",
        }
        assert isinstance(ballot_columns["id"]["type"], sa.String)  # no sequence behind it


def test_sqlite_keeps_no_hidden_insertion_order(app, is_postgres):
    """On SQLite, ballots and voters are WITHOUT ROWID tables: no rowid counts the inserts."""
    if is_postgres:
        pytest.skip("rowid is SQLite's; PostgreSQL's row order is rewritten at close (below)")
    with app.app_context():
        for table in ("poll_ballot", "poll_voter"):
            with pytest.raises(sa.exc.OperationalError, match="rowid"):
                db.session.execute(sa.text(f"SELECT rowid FROM {table}"))  # noqa: S608
            db.session.rollback()


def test_secret_election_publishes_ballots_by_receipt_hash(
    app, api, client, staff, new_poll, make_voters, follow
):
    """Secret ballots carry no voter key; after closing, anyone recounts by receipt hash."""
    voters = make_voters(8)
    follow(voters)
    poll = new_poll(**ELECTION)
    assert poll["secret"] is True and poll["allow_change"] is False
    url = f"/api/v1/polls/{poll['id']}"
    picks = [(0,), (1,), (0, 1), (2,), (0, 2), (0,), (1, 2), (0,)]
    receipts = []
    for voter, pick in zip(voters, picks, strict=True):
        response = client.post(
            f"{url}/ballots",
            json={"answers": [choice(poll, 0, *pick)]},
            headers={**voter.headers, "Idempotency-Key": f"key-{voter.sub}-0001"},
        )
        assert response.status_code == 201
        receipts.append(response.get_json()["receipt"])
    assert len(set(receipts)) == 8
    assert all(re.fullmatch(r"([A-Z2-9]{4}-){4}[A-Z2-9]{4}", r) for r in receipts)

    with app.app_context():
        rows = db.session.execute(sa.text("SELECT id, voter_key FROM poll_ballot")).all()
        assert all(key is None for _, key in rows)
        assert all(re.fullmatch(r"[0-9a-f]{32}", ballot_id) for ballot_id, _ in rows)
        # The record kept for Idempotency-Key replays does not hold the receipt in clear.
        stored = db.session.execute(
            sa.text("SELECT key_hash, request_hash, response FROM idempotency_record")
        ).all()
        assert len(stored) == 8
        for key_hash, request_hash, response in stored:
            assert not any(r in response or r.replace("-", "") in response for r in receipts)
            assert not any(v.sub in key_hash + request_hash for v in voters)

    assert client.get(f"{url}/ballots").status_code == 409
    api.login(staff)
    assert api.post(f"{url}/close", json={}).status_code == 200
    api.logout()

    with app.app_context():
        # Rewritten at close: the stored order is the (random) id order, not the casting order.
        ids = [r[0] for r in db.session.execute(sa.text("SELECT id FROM poll_ballot"))]
        assert ids == sorted(ids)

    published = client.get(f"{url}/ballots?limit=5")
    assert published.status_code == 200
    page = published.get_json()
    items = page["items"]
    assert len(items) == 5 and page["next_cursor"]
    items += client.get(f"{url}/ballots?limit=5&cursor={page['next_cursor']}").get_json()["items"]
    hashes = [b["receipt_hash"] for b in items]
    assert hashes == sorted(hashes) and len(hashes) == 8
    assert {hashlib.sha256(r.encode()).hexdigest() for r in receipts} == set(hashes)

    # Anyone can recount from the published ballots and get the announced results.
    recount = Counter(o for b in items for a in b["answers"] for o in a["options"])
    results = client.get(f"{url}/results").get_json()
    assert {o["id"]: o["count"] for o in results["questions"][0]["options"]} == {
        o["id"]: recount[o["id"]] for o in poll["questions"][0]["options"]
    }
    assert results["turnout"] == 8

    # A voter checks their own ballot by the hash of their receipt, computed on their device.
    mine = hashlib.sha256(receipts[2].encode()).hexdigest()
    found = client.get(f"{url}/ballots?receipt_hash={mine}").get_json()["items"]
    assert len(found) == 1
    option_ids = [o["id"] for o in poll["questions"][0]["options"]]
    assert found[0]["answers"][0]["options"] == [option_ids[0], option_ids[1]]


def test_a_secret_ballot_cannot_be_changed(api, staff):
    """allow_change with a secret ballot is refused: changing needs a link to the voter."""
    api.login(staff)
    body = {**ELECTION, "ward": "00070", "allow_change": True}
    response = api.post("/api/v1/polls", json=body)
    assert response.status_code == 422
    assert "allow_change" in response.get_json()["error"]["details"]["fields"]
