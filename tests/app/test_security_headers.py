"""Every response carries nosniff, a Referrer-Policy and a Content-Security-Policy."""

import pytest

from app.security_headers import DOCS_POLICY, HTML_POLICY, NOTHING_POLICY


@pytest.mark.parametrize(
    "path, policy",
    [
        ("/api/v1/wards?limit=1", NOTHING_POLICY),
        ("/api/v1/wards/khong-co-phuong-nay", NOTHING_POLICY),  # an error answer too
        ("/api/openapi.json", NOTHING_POLICY),
        ("/healthz", NOTHING_POLICY),
        ("/api/docs", DOCS_POLICY),
        ("/mock-vneid/authorize", HTML_POLICY),  # the mock's own page (an error page here)
        ("/w/khong-co-phuong-nay", HTML_POLICY),
    ],
)
def test_every_answer_carries_the_three_headers(client, path, policy):
    with client.get(path, headers={"Accept": "text/html,*/*;q=0.8"}) as response:
        headers = response.headers

    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["Content-Security-Policy"] == policy


def test_pages_keep_their_own_policy(client):
    """The web front's pages set a policy of their own (scripts from the same origin)."""
    with client.get("/w/hoan-kiem") as response:
        headers = response.headers

    assert headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert "script-src 'none'" not in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
