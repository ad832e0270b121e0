"""Guessing a client's secret at /oauth/token is slowed down per address."""

import os

import pytest

from app.extensions import db
from tests.conftest import make_app


@pytest.fixture
def limited_app(database_url, app):
    """An app with rate limiting on, on the test database (its engine disposed afterwards)."""
    limited = make_app(database_url, os.environ["PXS_TEST_INSTANCE"], RATELIMIT_ENABLED=True)
    yield limited
    with limited.app_context():
        db.session.remove()
        db.engine.dispose()


def test_token_endpoint_is_rate_limited(limited_app):
    """Hammering POST /oauth/token with wrong credentials ends in 429."""
    client = limited_app.test_client()
    headers = {"Authorization": "Basic cHhzY19ub3BlOndyb25n"}  # pxsc_nope:wrong
    form = {"grant_type": "client_credentials"}
    statuses = [
        client.post("/oauth/token", data=form, headers=headers).status_code for _ in range(40)
    ]
    assert statuses[0] == 401
    assert 429 in statuses
    response = client.post("/oauth/token", data=form, headers=headers)
    assert response.status_code == 429
    assert response.headers.get("Retry-After")
