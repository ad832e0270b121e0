"""Bad input gets a clear JSON error and changes nothing; it never gets a 500."""

import base64
import json
from unittest.mock import ANY

import pytest

from app.identity.demo import citizens_of
from tests.conftest import csrf_headers, grant

WARD = "00592"  # Từ Liêm
HUGE_IDS = [2**31, 2**63, 2**64, 10**30]


def assert_error(response, status, code=None):
    """Check the status and the contract's JSON error body; return its `error`."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    error = response.get_json()["error"]
    assert set(error) == {"code", "message", "details"}
    assert error["message"]
    if code:
        assert error["code"] == code
    return error


@pytest.fixture
def ward_admin(app, client, sign_in):
    """The client signed in as a ward admin of Từ Liêm; returns its CSRF header."""
    sub = citizens_of(WARD)[0].sub
    sign_in(sub)
    grant(app, sub, "ward_admin", ward=WARD)
    return csrf_headers(client)


def zone_names(client) -> list[str]:
    """The names of the ward's market zones."""
    return [z["name"] for z in client.get(f"/api/v1/wards/{WARD}/market-zones").get_json()["items"]]


@pytest.mark.parametrize("number", [*HUGE_IDS, 0])
@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("GET", "/api/v1/merchants/{n}"),
        ("GET", "/api/v1/merchants/{n}/payment-qr"),
        ("GET", "/api/v1/market-zones/{n}/merchants"),
        ("GET", "/api/v1/communities/{n}"),
        ("GET", "/api/v1/notices/{n}"),
        ("GET", "/api/v1/polls/{n}"),
        ("GET", f"/api/v1/wards/{WARD}/miniapp/versions/{{n}}"),
        ("DELETE", "/api/v1/roles/{n}"),
        ("DELETE", "/api/v1/products/{n}"),
    ],
)
def test_id_out_of_range_in_url_is_404(client, method, url, number):
    """An id no row can have (past the database's integer, or zero) finds nothing."""
    response = client.open(url.format(n=number), method=method)
    assert_error(response, 404, "not_found")


@pytest.mark.parametrize(
    "body",
    [
        "[" * 100_000 + "]" * 100_000,
        '{"a":' * 5_000 + "1" + "}" * 5_000,
        '{"name": "Chợ", "name": "Phố", "kind": "street"}',
        '{"name": "Chợ", "kind": "street", "lat": NaN}',
        '{"name": "Chợ", "kind": "street", "lat": Infinity}',
        b'{"name": "Ch\xff", "kind": "street"}',
    ],
    ids=["deep-array", "deep-object", "duplicate-key", "nan", "infinity", "not-utf8"],
)
def test_json_we_cannot_take_is_400(client, ward_admin, body):
    """Too deep, a key given twice, NaN or bytes that are not UTF-8: 400, nothing created."""
    response = client.post(
        f"/api/v1/wards/{WARD}/market-zones",
        data=body,
        content_type="application/json",
        headers=ward_admin,
    )
    assert_error(response, 400, "malformed_json")
    assert zone_names(client) == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ('{"name": "Ch\\u0000ợ", "kind": "street"}', "name"),
        ('{"name": "Ch\\ud800ợ", "kind": "street"}', "name"),
        ('{"name": "Chợ", "kind": "street", "\\udfff": 1}', "_schema"),
        ('{"name": "Chợ", "kind": "street", "location": "\\u0000"}', "location"),
    ],
    ids=["nul", "lone-surrogate", "lone-surrogate-key", "nul-optional"],
)
def test_text_the_database_cannot_store_is_422(client, ward_admin, body, field):
    """NUL (PostgreSQL refuses it) or a lone surrogate (not Unicode text): 422 naming the field."""
    response = client.post(
        f"/api/v1/wards/{WARD}/market-zones",
        data=body,
        content_type="application/json",
        headers=ward_admin,
    )
    error = assert_error(response, 422, "validation_error")
    assert field in error["details"]["fields"]
    assert zone_names(client) == []


def test_nested_unstorable_text_is_named_by_its_path(client, ward_admin):
    """A NUL deep in a body is reported where it is, like marshmallow's own errors."""
    zone = client.post(
        f"/api/v1/wards/{WARD}/market-zones",
        json={"name": "Phố Trần Hữu Dực", "kind": "street"},
        headers=ward_admin,
    ).get_json()["id"]
    body = {
        "name": "Quán Phở",
        "stall": "Số 1",
        "bank_bin": "970436",
        "account_number": "0123456789",
        "account_name": "NGUYEN VAN A",
        "products": [{"name": "Phở", "price": 40000}, {"name": "Bún\x00", "price": 1}],
    }
    response = client.post(f"/api/v1/market-zones/{zone}/merchants", json=body, headers=ward_admin)
    error = assert_error(response, 422, "validation_error")
    assert error["details"]["location"] == "json"
    assert error["details"]["fields"] == {"products": {"1": {"name": [ANY]}}}
    # Shaped like every validation error: a flat list the pages show beside the field.
    assert [e["field"] for e in error["details"]["errors"]] == ["products.1.name"]
    assert error["message"].startswith("«products.1.name»: Không được chứa ký tự NUL")
    listed = client.get(f"/api/v1/market-zones/{zone}/merchants?status=pending").get_json()
    assert listed["items"] == []


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/wards?q=ho%00an",
        "/api/v1/kpi?ward=%00",
        f"/api/v1/wards/{WARD}/market-zones?q=%00",
        f"/api/v1/wards/{WARD}/communities?q=a%00",
    ],
)
def test_nul_in_query_is_422(client, url):
    """A NUL in a query parameter is refused before it reaches a query."""
    error = assert_error(client.get(url), 422, "validation_error")
    assert error["details"]["location"] == "query"


@pytest.mark.parametrize(
    "url", ["/api/v1/wards/%00", f"/api/v1/wards/{WARD}%00/miniapp", "/api/v1/wards/%00/follow"]
)
def test_nul_in_path_is_404(client, url):
    """A NUL in a path names nothing."""
    assert_error(client.get(url), 404, "not_found")


def _cursor(raw) -> str:
    data = raw if isinstance(raw, bytes) else json.dumps(raw).encode()
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


@pytest.mark.parametrize(
    "raw",
    [
        [True],
        [10**30],
        [2**63],
        ["\ud800"],
        ["\x00"],
        [1, 2],
        [{"a": 1}],
        [[1]],
        [],
        b"[1e999]",
        b"[" * 2000,
        b'{"a": 1}',
        b"\xff\xfe",
    ],
)
@pytest.mark.parametrize(
    "url", ["/api/v1/wards", f"/api/v1/wards/{WARD}/market-zones", "/api/v1/me/merchants"]
)
def test_tampered_cursor_is_422(client, ward_admin, url, raw):
    """A cursor edited by the client gets a clear 422, whatever it decodes to."""
    response = client.get(f"{url}?cursor={_cursor(raw)}")
    error = assert_error(response, 422, "validation_error")
    assert list(error["details"]["fields"]) == ["cursor"]
    assert error["details"]["errors"][0]["label"] == "Trang tiếp theo"
    assert error["message"].startswith("Trang tiếp theo: ")


def test_cursor_from_the_api_still_pages(client):
    """Real cursors keep working: the 126 wards come back in pages, each once."""
    seen, url = [], "/api/v1/wards?limit=50"
    while url:
        body = client.get(url).get_json()
        seen += [w["code"] for w in body["items"]]
        cursor = body["next_cursor"]
        url = f"/api/v1/wards?limit=50&cursor={cursor}" if cursor else None
    assert len(seen) == len(set(seen)) == 126


@pytest.mark.parametrize("community_id", [*HUGE_IDS, 0, -1])
def test_grant_with_impossible_community_id_is_422(app, client, sign_in, citizens, community_id):
    """A role for a community id no row can have is refused, and no role is granted."""
    admin = citizens[-1].sub
    sign_in(admin)
    grant(app, admin, "city_admin")
    headers = csrf_headers(client)
    target = citizens_of(WARD)[2]
    body = {"sub": target.sub, "role": "community_leader", "community_id": community_id}
    response = client.post("/api/v1/roles", json=body, headers=headers)
    error = assert_error(response, 422, "validation_error")
    assert "community_id" in error["details"]["fields"]
    roles = client.get(f"/api/v1/wards/{WARD}/roles").get_json()["items"]
    assert all(r["role"] != "community_leader" for r in roles)


@pytest.mark.parametrize(
    "when",
    [
        "0001-01-01T00:00:00+14:00",  # before year 1 once in UTC
        "9999-12-31T23:59:59-12:00",  # after year 9999 once in UTC
        "9999-12-31T20:00:00+00:00",  # fine in UTC, past year 9999 in +07:00
        "2030-01-01T08:00:00",  # no offset
        "2030-01-01",
        "08:00",
        "2030-02-30T08:00:00+07:00",
    ],
)
@pytest.mark.parametrize("field", ["publish_at", "expires_at"])
def test_notice_time_out_of_range_or_without_offset_is_422(app, client, sign_in, field, when):
    """Notice times must carry an offset and fit the calendar in UTC and in Hà Nội."""
    sub = citizens_of(WARD)[0].sub
    sign_in(sub)
    grant(app, sub, "ward_editor", ward=WARD)
    headers = csrf_headers(client)
    body = {"title": "Cắt điện", "body": "Khu A", "ward": WARD, "category": "khac", field: when}
    error = assert_error(client.post("/api/v1/notices", json=body, headers=headers), 422)
    assert field in error["details"]["fields"]
    listed = client.get(f"/api/v1/wards/{WARD}/notices").get_json()["items"]
    assert listed == []


def test_openapi_documents_the_real_error_body(client):
    """Clients generated from the spec expect `{"error": {code, message, details}}`."""
    spec = client.get("/api/openapi.json").get_json()
    schemas = spec["components"]["schemas"]
    error = schemas["Error"]
    assert set(error["properties"]) == {"error"}
    detail = schemas[error["properties"]["error"]["$ref"].rsplit("/", 1)[-1]]
    assert set(detail["properties"]) == {"code", "message", "details"}
    (param,) = spec["paths"]["/api/v1/merchants/{merchant_id}"]["parameters"]
    assert param["schema"] == {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}
    kpi = spec["paths"]["/api/v1/kpi"]["get"]["responses"]["200"]["content"]
    assert {"application/json", "text/csv"} <= set(kpi)


def test_poll_times_at_the_calendar_edge_are_422(app, client, citizens):
    """A poll opening in year 9999 at -12:00 is refused clearly, not a 500, and nothing is made."""
    from tests.conftest import csrf_headers, grant, login_as

    grant(app, citizens[-1].sub, "city_admin")
    login_as(client, citizens[-1].sub)
    body = {
        "title": "Biểu quyết thử",
        "kind": "vote",
        "ward": "00070",
        "questions": [{"text": "Đồng ý?", "options": ["Có", "Không"]}],
        "opens_at": "9999-12-31T23:59:59-12:00",
    }
    response = client.post("/api/v1/polls", json=body, headers=csrf_headers(client))
    assert response.status_code == 422
    assert "opens_at" in response.get_json()["error"]["details"]["fields"]
    assert client.get("/api/v1/polls?ward=00070").get_json()["items"] == []


@pytest.mark.parametrize("values", [["x"], [True], [1, 2], [{}], [2**31], [-5]])
def test_tampered_poll_list_cursor_is_422(client, values):
    """The poll list refuses a cursor that is not one id (or one past the id columns' range,
    a PostgreSQL error otherwise), with the field named."""
    import base64
    import json

    cursor = base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")
    response = client.get(f"/api/v1/polls?ward=00070&cursor={cursor}")
    assert response.status_code == 422
    assert "cursor" in response.get_json()["error"]["details"]["fields"]
