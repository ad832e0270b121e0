"""Rate limits declared on views: counted per caller and view, and kept when the storage fails."""

import os

import pytest
from limits.storage import MemoryStorage
from limits.strategies import FixedWindowRateLimiter

from app.extensions import db
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


def test_each_view_counts_on_its_own(limited):
    """Two limited views keep separate counts for the same caller."""
    client = limited.test_client()
    for expected in (29, 28):
        response = client.get("/auth/login")
        assert int(response.headers["X-RateLimit-Remaining"]) == expected
    callback = client.get("/auth/callback?error=access_denied")
    assert callback.headers["X-RateLimit-Limit"] == "30"
    assert int(callback.headers["X-RateLimit-Remaining"]) == 29


def test_storage_outage_counts_per_process(limited, caplog):
    """With the shared storage down, limited views still answer and still limit."""
    limited.extensions[EXTENSION].shared = FixedWindowRateLimiter(BrokenStorage())
    client = limited.test_client()
    statuses = [client.get("/auth/login").status_code for _ in range(31)]
    assert statuses[:30] == [302] * 30
    assert statuses[30] == 429
    assert "rate-limit storage unreachable" in caplog.text


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
