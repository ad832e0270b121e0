"""The guard: a client's token reaches only the surface, within its scopes and wards (403)."""

import pytest

from app.identity.demo import citizens_of
from tests.conftest import csrf_headers
from tests.integrations.clients.conftest import (
    OTHER_WARD,
    WARD,
    bearer,
    notice_body,
    report_body,
)

INSUFFICIENT = "insufficient_scope"


def refused(response, scope: str | None = None) -> dict:
    """Check a 403 insufficient_scope with its RFC 6750 challenge; return the error."""
    assert response.status_code == 403, response.get_data(as_text=True)
    error = response.get_json()["error"]
    assert error["code"] == INSUFFICIENT
    assert error["message"]
    challenge = response.headers["WWW-Authenticate"]
    assert challenge.startswith('Bearer error="insufficient_scope"')
    if scope:
        assert f'scope="{scope}"' in challenge
        assert error["details"]["scope"] == scope
    return error


def passed(response) -> None:
    """Check the guard let the call through (the view may still refuse it for its own reasons)."""
    if response.status_code == 403:
        assert response.get_json()["error"]["code"] != INSUFFICIENT, response.get_json()


def test_endpoints_outside_the_surface_are_refused(outside, client_token):
    """A client holding every scope and ward still cannot call what is not on the surface."""
    token = client_token(
        ["notices:read", "notices:write", "polls:read", "reports:read", "reports:write"]
        + ["market:read", "kpi:read"],
        "all",
    )
    for method, url in (
        ("GET", "/api/v1/me"),
        ("POST", "/api/v1/auth/tokens"),
        ("GET", "/api/v1/clients"),
        ("POST", "/api/v1/polls"),
        ("GET", f"/api/v1/wards/{WARD}/reports/queue"),
        ("GET", "/api/v1/me/feed"),
        ("DELETE", "/api/v1/me"),
        ("GET", f"/api/v1/wards/{WARD}/miniapp/draft"),
    ):
        refused(outside.open(url, method=method, headers=bearer(token)))
    # Nothing was erased by the refused DELETE /me: the token still works.
    assert outside.get(f"/api/v1/wards/{WARD}/reports", headers=bearer(token)).status_code == 200


def test_unknown_paths_stay_404(outside, client_token):
    """A path that does not exist is 404 for a client as for anyone."""
    token = client_token(["notices:read"], [WARD])
    assert outside.get("/api/v1/nothing-here", headers=bearer(token)).status_code == 404


def test_notices_read(outside, client_token, objects):
    """notices:read: a notice of its ward is read; another ward's or without the scope: 403."""
    token = client_token(["notices:read"], [WARD])
    mine, theirs = objects[WARD]["notice"], objects[OTHER_WARD]["notice"]
    response = outside.get(f"/api/v1/notices/{mine}", headers=bearer(token))
    assert response.status_code == 200, response.get_json()
    passed(outside.get(f"/api/v1/wards/{WARD}/notices", headers=bearer(token)))
    error = refused(outside.get(f"/api/v1/notices/{theirs}", headers=bearer(token)), "notices:read")
    assert error["details"]["wards"] == [OTHER_WARD]
    refused(outside.get(f"/api/v1/wards/{OTHER_WARD}/notices", headers=bearer(token)))
    # A notice that does not exist: the view's own 404.
    assert outside.get("/api/v1/notices/999999", headers=bearer(token)).status_code == 404
    other_scope = client_token(["polls:read"], [WARD])
    refused(outside.get(f"/api/v1/notices/{mine}", headers=bearer(other_scope)), "notices:read")


def test_notices_write(outside, client_token, objects):
    """notices:write: every ward addressed must be granted (`ward`, `wards`, "all")."""
    token = client_token(["notices:write"], [WARD, "giang-vo"])
    passed(outside.post("/api/v1/notices", json=notice_body(WARD), headers=bearer(token)))
    both = notice_body(None, wards=[WARD, OTHER_WARD])
    del both["ward"]
    passed(outside.post("/api/v1/notices", json=both, headers=bearer(token)))
    three = {**both, "wards": [WARD, "00004"]}
    error = refused(outside.post("/api/v1/notices", json=three, headers=bearer(token)))
    assert error["details"]["wards"] == ["00004"]
    # An unknown name beside a known ward not granted does not carry it past the guard.
    sneaky = {**both, "wards": [WARD, "khong-co-phuong-nay", "00004"]}
    error = refused(outside.post("/api/v1/notices", json=sneaky, headers=bearer(token)))
    assert error["details"]["wards"] == ["00004"]
    refused(outside.post("/api/v1/notices", json={**both, "wards": "all"}, headers=bearer(token)))
    refused(outside.post("/api/v1/notices", json=notice_body("00004"), headers=bearer(token)))
    reader = client_token(["notices:read"], "all")
    refused(
        outside.post("/api/v1/notices", json=notice_body(WARD), headers=bearer(reader)),
        "notices:write",
    )
    # Withdrawing: the notice's ward decides.
    theirs = client_token(["notices:write"], [OTHER_WARD])
    passed(
        outside.post(
            f"/api/v1/notices/{objects[OTHER_WARD]['notice']}/withdraw", headers=bearer(theirs)
        )
    )
    refused(
        outside.post(f"/api/v1/notices/{objects[WARD]['notice']}/withdraw", headers=bearer(theirs)),
        "notices:write",
    )


def test_polls_read(admin, outside, client_token, objects):
    """polls:read: the ward's polls and results; another ward, or every ward, is refused."""
    token = client_token(["polls:read"], [WARD])
    listed = outside.get(f"/api/v1/polls?ward={WARD}", headers=bearer(token))
    assert listed.status_code == 200
    assert [p["id"] for p in listed.get_json()["items"]] == [objects[WARD]["poll"]]
    poll = objects[WARD]["poll"]
    assert outside.get(f"/api/v1/polls/{poll}", headers=bearer(token)).status_code == 200
    passed(outside.get(f"/api/v1/polls/{poll}/results", headers=bearer(token)))
    refused(outside.get(f"/api/v1/polls/{objects[OTHER_WARD]['poll']}", headers=bearer(token)))
    refused(outside.get(f"/api/v1/polls?ward={OTHER_WARD}", headers=bearer(token)))
    refused(outside.get("/api/v1/polls", headers=bearer(token)), "polls:read")
    group = {"name": "Tổ dân phố số 1", "kind": "to_dan_pho"}
    community = admin.post(f"/api/v1/wards/{OTHER_WARD}/communities", json=group)
    assert community.status_code == 201, community.get_json()
    other_community = community.get_json()["id"]
    both = f"/api/v1/polls?ward={WARD}&community_id={other_community}"
    refused(outside.get(both, headers=bearer(token)))
    refused(outside.get(f"/api/v1/polls?community_id={other_community}", headers=bearer(token)))
    everywhere = client_token(["polls:read"], "all")
    assert outside.get("/api/v1/polls", headers=bearer(everywhere)).status_code == 200
    refused(outside.get(f"/api/v1/polls/{poll}/ballots", headers=bearer(everywhere)))


def test_reports_read(outside, client_token, objects):
    """reports:read: the ward's board and reports; another ward's are refused."""
    token = client_token(["reports:read"], ["hoan-kiem"])
    assert outside.get(f"/api/v1/wards/{WARD}/reports", headers=bearer(token)).status_code == 200
    report = objects[WARD]["report"]
    assert outside.get(f"/api/v1/reports/{report}", headers=bearer(token)).status_code == 200
    refused(outside.get(f"/api/v1/wards/{OTHER_WARD}/reports", headers=bearer(token)))
    refused(outside.get(f"/api/v1/reports/{objects[OTHER_WARD]['report']}", headers=bearer(token)))
    # Open311's reads too, by jurisdiction_id.
    ok = outside.get(f"/open311/v2/services.json?jurisdiction_id={WARD}", headers=bearer(token))
    assert ok.status_code == 200
    refused(
        outside.get(
            f"/open311/v2/requests.json?jurisdiction_id={OTHER_WARD}", headers=bearer(token)
        )
    )
    # Open311 ignores the other filters when ids are given: the ids' wards decide.
    theirs = objects[OTHER_WARD]["report"]
    by_id = f"/open311/v2/requests.json?jurisdiction_id={WARD}&service_request_id={theirs}"
    refused(outside.get(by_id, headers=bearer(token)), "reports:read")
    mine = objects[WARD]["report"]
    own = f"/open311/v2/requests.json?jurisdiction_id={WARD}&service_request_id={mine}"
    assert outside.get(own, headers=bearer(token)).status_code == 200
    market = client_token(["market:read"], "all")
    refused(outside.get(f"/api/v1/wards/{WARD}/reports", headers=bearer(market)), "reports:read")


def test_reports_write(outside, client_token):
    """reports:write: a report to its ward is created (the service account reports it)."""
    token = client_token(["reports:write"], [WARD])
    created = outside.post("/api/v1/reports", json=report_body(WARD), headers=bearer(token))
    assert created.status_code == 201, created.get_json()
    assert created.get_json()["ward"] == WARD
    error = refused(
        outside.post("/api/v1/reports", json=report_body(OTHER_WARD), headers=bearer(token)),
        "reports:write",
    )
    assert error["details"]["wards"] == [OTHER_WARD]
    reader = client_token(["reports:read"], [WARD])
    refused(
        outside.post("/api/v1/reports", json=report_body(WARD), headers=bearer(reader)),
        "reports:write",
    )


def test_open311_post_checks_a_client_token_given_as_api_key(outside, client_token):
    """Open311 takes the token in the form's api_key: the guard checks it there too."""
    token = client_token(["reports:write"], [WARD])
    form = {
        "service_code": "rac_thai",
        "lat": "21.02885",
        "long": "105.85224",
        "description": "Rác đổ trộm ở đầu ngõ.",
        "api_key": token,
    }
    ok = outside.post("/open311/v2/requests.json", data={**form, "jurisdiction_id": WARD})
    assert ok.status_code == 201, ok.get_data(as_text=True)
    refused(
        outside.post("/open311/v2/requests.json", data={**form, "jurisdiction_id": OTHER_WARD}),
        "reports:write",
    )
    reader = client_token(["reports:read"], "all")
    refused(
        outside.post(
            "/open311/v2/requests.json", data={**form, "api_key": reader, "jurisdiction_id": WARD}
        ),
        "reports:write",
    )


def test_market_read(outside, client_token, objects):
    """market:read: the ward's zones and merchants; another ward's are refused."""
    token = client_token(["market:read"], [WARD])
    zones = outside.get(f"/api/v1/wards/{WARD}/market-zones", headers=bearer(token))
    assert zones.status_code == 200
    zone = objects[WARD]["zone"]
    assert outside.get(f"/api/v1/market-zones/{zone}", headers=bearer(token)).status_code == 200
    merchants = outside.get(f"/api/v1/market-zones/{zone}/merchants", headers=bearer(token))
    assert merchants.status_code == 200
    assert outside.get("/api/v1/banks", headers=bearer(token)).status_code == 200
    refused(outside.get(f"/api/v1/wards/{OTHER_WARD}/market-zones", headers=bearer(token)))
    refused(
        outside.get(f"/api/v1/market-zones/{objects[OTHER_WARD]['zone']}", headers=bearer(token)),
        "market:read",
    )
    kpi = client_token(["kpi:read"], "all")
    refused(outside.get(f"/api/v1/wards/{WARD}/market-zones", headers=bearer(kpi)), "market:read")


def test_kpi_read(outside, client_token):
    """kpi:read: one granted ward with ?ward=; every ward needs a client granted all wards."""
    token = client_token(["kpi:read"], [WARD])
    response = outside.get(f"/api/v1/kpi?ward={WARD}", headers=bearer(token))
    assert response.status_code == 200
    assert [item["ward"]["code"] for item in response.get_json()["items"]] == [WARD]
    refused(outside.get(f"/api/v1/kpi?ward={OTHER_WARD}", headers=bearer(token)), "kpi:read")
    error = refused(outside.get("/api/v1/kpi", headers=bearer(token)), "kpi:read")
    assert "ward" in error["message"]
    pdf = outside.get(f"/api/v1/kpi/report.pdf?ward={WARD}&month=2025-07", headers=bearer(token))
    assert pdf.status_code == 200, pdf.get_json()
    assert pdf.mimetype == "application/pdf"
    everywhere = client_token(["kpi:read"], "all")
    all_units = outside.get("/api/v1/kpi", headers=bearer(everywhere))
    assert all_units.status_code == 200
    assert len(all_units.get_json()["items"]) == 126
    polls = client_token(["polls:read"], "all")
    refused(outside.get("/api/v1/kpi", headers=bearer(polls)), "kpi:read")


def test_change_feed_takes_any_scope_within_the_wards(outside, client_token):
    """GET /api/v1/changes: any scope passes the guard for a granted ward, not for another."""
    token = client_token(["market:read"], [WARD])
    passed(outside.get(f"/api/v1/changes?ward={WARD}", headers=bearer(token)))
    refused(outside.get(f"/api/v1/changes?ward={OTHER_WARD}", headers=bearer(token)))


def test_reference_reads_take_any_scope(outside, client_token):
    """The list of wards and the vocabulary are open to any client."""
    token = client_token(["market:read"], [WARD])
    assert outside.get("/api/v1/wards?q=hoan kiem", headers=bearer(token)).status_code == 200
    assert outside.get(f"/api/v1/wards/{OTHER_WARD}", headers=bearer(token)).status_code == 200
    vocabulary = outside.get("/api/v1/vocabulary", headers=bearer(token))
    assert vocabulary.status_code == 200
    assert vocabulary.get_json()["api_scope"]["kpi:read"].startswith("Đọc chỉ tiêu")


@pytest.mark.parametrize("how", ["token", "session"])
def test_a_persons_token_or_session_is_untouched(app, client, sign_in, how):
    """A resident's own token or session reaches what it always did: the guard is not involved."""
    sub = citizens_of(WARD)[3].sub
    me = sign_in(sub)
    headers = csrf_headers(client)
    if how == "token":
        raw = client.post("/api/v1/auth/tokens", headers=headers).get_json()["access_token"]
        caller, headers = app.test_client(), bearer(raw)
    else:
        caller = client
    assert caller.get("/api/v1/me", headers=headers).get_json()["id"] == me["id"]
    assert caller.get("/api/v1/me/feed", headers=headers).status_code == 200
    created = caller.post("/api/v1/reports", json=report_body(OTHER_WARD), headers=headers)
    assert created.status_code == 201, created.get_json()
    assert caller.get("/api/v1/kpi", headers=headers).status_code == 200


def test_a_client_publishes_and_withdraws_its_notice(outside, client_token):
    """notices:write end to end: the client's notice is created, then withdrawn by the client.

    Needs the notices permission to admit a client (`policy.client_may("notices:write", ward)`
    in community/permissions.py); the client withdraws what it published (it is the author).
    """
    token = client_token(["notices:write", "notices:read"], [WARD])
    created = outside.post("/api/v1/notices", json=notice_body(WARD), headers=bearer(token))
    assert created.status_code == 201, created.get_json()
    notice = created.get_json()["id"]
    withdrawn = outside.post(f"/api/v1/notices/{notice}/withdraw", headers=bearer(token))
    assert withdrawn.status_code == 200, withdrawn.get_json()
    assert withdrawn.get_json()["status"] == "withdrawn"
