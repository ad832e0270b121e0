"""Rate limits declared on views: counted per caller and view, and kept when the storage fails."""

import os

import pytest
from limits import parse
from limits.storage import MemoryStorage
from limits.strategies import FixedWindowRateLimiter

from app.extensions import db
from app.identity.views import SIGN_IN_LIMIT
from app.ratelimit import EXTENSION
from tests.conftest import _empty_tables, make_app


class BrokenStorage(MemoryStorage):
    """A storage that fails like an unreachable Redis."""

    def incr(self, *args, **kwargs):
        raise ConnectionError("storage down")


@pytest.fixture
def limited(database_url):
    """An app with rate limiting on."""
    made = make_app(database_url, os.environ["PXS_TEST_INSTANCE"], RATELIMIT_ENABLED=True)
    yield made
    _empty_tables(made)  # the rows a test wrote (signed-in neighbours), as the `app` fixture does


SIGN_INS = parse(SIGN_IN_LIMIT).amount


def test_each_view_counts_on_its_own(limited):
    """Two limited views keep separate counts for the same caller."""
    client = limited.test_client()
    for expected in (SIGN_INS - 1, SIGN_INS - 2):
        response = client.get("/auth/login")
        assert int(response.headers["X-RateLimit-Remaining"]) == expected
    callback = client.get("/auth/callback?error=access_denied")
    assert callback.headers["X-RateLimit-Limit"] == str(SIGN_INS)
    assert int(callback.headers["X-RateLimit-Remaining"]) == SIGN_INS - 1


def test_storage_outage_counts_per_process(limited, caplog):
    """With the shared storage down, limited views still answer and still limit."""
    limited.extensions[EXTENSION].shared = FixedWindowRateLimiter(BrokenStorage())
    client = limited.test_client()
    statuses = [client.get("/auth/login").status_code for _ in range(SIGN_INS + 1)]
    assert statuses[:SIGN_INS] == [302] * SIGN_INS
    assert statuses[SIGN_INS] == 429
    assert "rate-limit storage unreachable" in caplog.text


def assert_too_many(response):
    """A refusal by a limit: JSON 429 with Retry-After, in seconds."""
    assert response.status_code == 429
    assert response.get_json()["error"]["code"] == "rate_limited"
    assert int(response.headers["Retry-After"]) >= 1


def _tokens(app, count: int, prefix: str) -> list[str]:
    """Sign in `count` residents and return a bearer token of each."""
    from app.identity import service as identity

    with app.app_context():
        tokens = []
        for i in range(count):
            user = identity.sign_in(
                provider=identity.MOCK_PROVIDER,
                claims={"sub": f"{prefix}-{i}", "name": f"Cư dân {i}", "vneid_level": 2},
            )
            tokens.append(identity.issue_token(user)[0])
        db.session.commit()
    return tokens


def test_ballots_are_limited_per_account_not_per_address(limited):
    """One account casting over and over is refused; a neighbour on the same Wi-Fi is not."""
    from community.polls.views import BALLOT_LIMIT

    allowed = parse(BALLOT_LIMIT).amount
    eager, neighbour = _tokens(limited, 2, "cu-tri")
    client = limited.test_client()
    body = {"answers": [{"question": 1, "choices": [1]}]}

    def cast(token):
        # No such poll: the limit counts before the view looks (404 until it refuses).
        headers = {"Authorization": f"Bearer {token}"}
        return client.post("/api/v1/polls/999999/ballots", json=body, headers=headers)

    statuses = [cast(eager).status_code for _ in range(allowed)]
    assert 429 not in statuses
    assert_too_many(cast(eager))
    assert cast(neighbour).status_code != 429


def test_the_mock_providers_authorize_is_limited_per_address(limited):
    """The mock's sign-in page: a flood from one address is refused, another address is not."""
    from app.mock_vneid.views import AUTHORIZE_LIMIT

    allowed = parse(AUTHORIZE_LIMIT).amount
    client = limited.test_client()
    meeting = {"REMOTE_ADDR": "203.0.113.7"}
    statuses = [
        client.get("/mock-vneid/authorize", environ_base=meeting).status_code
        for _ in range(allowed)
    ]
    assert 429 not in statuses
    assert_too_many(client.get("/mock-vneid/authorize", environ_base=meeting))
    other = client.get("/mock-vneid/authorize", environ_base={"REMOTE_ADDR": "203.0.113.8"})
    assert other.status_code != 429


def test_a_meeting_behind_one_address_signs_in(limited, citizens):
    """120 sign-ins in a minute from one address (a meeting's Wi-Fi) all pass the limits of the
    sign-in and of the provider's page."""
    for _ in range(120):
        client = limited.test_client()
        response = client.get(
            f"/auth/login?login_hint={citizens[0].sub}&next=/api/v1/me", follow_redirects=True
        )
        assert response.status_code == 200, response.get_data(as_text=True)


def test_signed_in_people_behind_one_address_each_have_their_own_allowance(limited):
    """Token issue counts per account: 25 neighbours on one Wi-Fi all get theirs; one person
    asking 21 times in a minute is refused."""
    from app.identity import service as identity

    with limited.app_context():
        tokens = []
        for i in range(26):
            user = identity.sign_in(
                provider=identity.MOCK_PROVIDER,
                claims={"sub": f"hang-xom-{i}", "name": f"Hàng xóm {i}", "vneid_level": 2},
            )
            tokens.append(identity.issue_token(user)[0])
        db.session.commit()
    client = limited.test_client()
    for token in tokens[:25]:
        response = client.post("/api/v1/auth/tokens", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 201, response.get_json()
    statuses = [
        client.post(
            "/api/v1/auth/tokens", headers={"Authorization": f"Bearer {tokens[25]}"}
        ).status_code
        for _ in range(21)
    ]
    assert statuses == [201] * 20 + [429]


def test_the_ballot_limit_is_keyed_without_a_query(limited):
    """A ballot checks its caller in its one statement; its limit must not add a caller query."""
    import sqlalchemy as sa

    from app.identity import auth

    (token,) = _tokens(limited, 1, "cu-tri-mot-cau")
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    with limited.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        headers = {"Authorization": f"Bearer {token}"}
        with limited.test_request_context("/api/v1/polls/1/ballots", headers=headers):
            key = auth.credential_key()
        with limited.test_request_context("/api/v1/polls/1/ballots"):
            anonymous = auth.credential_key()
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
    assert statements == []
    assert key.startswith("token:") and token not in key  # the hash, never the token
    assert anonymous.startswith("addr:")
