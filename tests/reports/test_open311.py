"""Open311 GeoReport v2: discovery, services, requests (read and posted), errors, in JSON and XML.

Read as a third-party client would: a client of its own (no session), the specification's
field and element names, nothing of this project's API.
"""

import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from tests.reports.conftest import LAT, LONG, OTHER_WARD, WARD, jpeg_with_gps, post_form

BASE = "/open311/v2"
REQUEST_FIELDS = {
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
}


@pytest.fixture
def outsider(app):
    """A third-party client: its own cookie jar, never signed in."""
    return app.test_client()


@pytest.fixture
def token(api):
    """Sign in as `sub` and return a bearer token of theirs (`POST /api/v1/auth/tokens`)."""

    def issue(sub: str) -> str:
        api.login(sub)
        response = api.post("/api/v1/auth/tokens")
        assert response.status_code in (200, 201), response.get_json()
        return response.get_json()["access_token"]

    return issue


def form(**changes) -> dict:
    """A valid Open311 POST of the test ward, with changes (None leaves a field out)."""
    body = {
        "jurisdiction_id": WARD,
        "service_code": "rac_thai",
        "lat": str(LAT),
        "long": str(LONG),
        "address_string": "Đầu ngõ 5 Hàng Bông",
        "description": "Rác đổ trộm ở đầu ngõ, bốc mùi.",
    }
    body.update(changes)
    return {k: v for k, v in body.items() if v is not None}


@pytest.fixture
def post_request(outsider):
    """POST an Open311 request with `api_key` (JSON); returns the new id."""

    def post(api_key: str, **changes) -> int:
        response = outsider.post(f"{BASE}/requests.json", data=form(api_key=api_key, **changes))
        assert response.status_code == 201, response.get_data(as_text=True)
        return response.get_json()[0]["service_request_id"]

    return post


def xml_of(response) -> ET.Element:
    """Parse an XML answer, checking its declaration and content type."""
    assert response.content_type == "text/xml; charset=utf-8"
    assert response.data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    return ET.fromstring(response.data)  # noqa: S314 (our own answer, in a test)


# Discovery and services


def test_discovery_names_this_service_in_both_formats(app):
    """The endpoint's URL comes from the request's host; formats and specification as GeoReport."""
    client = app.test_client()
    response = client.get(f"{BASE}/discovery.json", base_url="http://phuong.example:8123")
    assert response.status_code == 200 and response.content_type == "application/json"
    body = response.get_json()
    assert {"changeset", "contact", "key_service", "endpoints"} <= set(body)
    (endpoint,) = body["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "http://phuong.example:8123/open311/v2"
    assert endpoint["type"] == "test"
    assert set(endpoint["formats"]) == {"text/xml", "application/json"}
    assert response.headers["X-Content-Type-Options"] == "nosniff"

    root = xml_of(client.get(f"{BASE}/discovery.xml", base_url="https://other.example"))
    assert root.tag == "discovery"
    assert root.findtext("endpoints/endpoint/url") == "https://other.example/open311/v2"
    assert root.findtext("endpoints/endpoint/specification") == endpoint["specification"]
    assert {f.text for f in root.findall("endpoints/endpoint/formats/format")} == {
        "text/xml",
        "application/json",
    }
    assert client.get(f"{BASE}/discovery.csv").status_code == 404


def test_services_are_the_wards_categories_by_code_or_slug(outsider, api):
    """A ward without reports lists the city's defaults; by code and by slug alike."""
    categories = api.get(f"/api/v1/wards/{WARD}/report-categories").get_json()["items"]
    by_code = outsider.get(f"{BASE}/services.json?jurisdiction_id={WARD}")
    by_slug = outsider.get(f"{BASE}/services.json?jurisdiction_id=hoan-kiem")
    assert by_code.status_code == 200 and by_code.get_json() == by_slug.get_json()
    services = by_code.get_json()
    assert [s["service_code"] for s in services] == [c["code"] for c in categories]
    first = services[0]
    assert first == {
        "service_code": categories[0]["code"],
        "service_name": categories[0]["name"],
        "description": categories[0]["description"],
        "metadata": False,
        "type": "realtime",
        "keywords": "",
        "group": categories[0]["group"],
    }

    root = xml_of(outsider.get(f"{BASE}/services.xml?jurisdiction_id=hoan-kiem"))
    assert root.tag == "services"
    items = root.findall("service")
    assert [s.findtext("service_code") for s in items] == [c["code"] for c in categories]
    assert items[0].findtext("metadata") == "false" and items[0].findtext("type") == "realtime"
    assert items[0].findtext("service_name") == categories[0]["name"]


def test_a_service_definition_has_no_extra_attributes(outsider):
    """`services/{code}` gives the code and an empty attribute list; an unknown code is 404."""
    body = outsider.get(f"{BASE}/services/rac_thai.json?jurisdiction_id={WARD}").get_json()
    assert body == {"service_code": "rac_thai", "attributes": []}
    root = xml_of(outsider.get(f"{BASE}/services/rac_thai.xml?jurisdiction_id=hoan-kiem"))
    assert root.tag == "service_definition" and root.findtext("service_code") == "rac_thai"
    assert root.find("attributes") is not None and len(root.find("attributes")) == 0
    missing = outsider.get(f"{BASE}/services/khong_co.json?jurisdiction_id={WARD}")
    assert missing.status_code == 404


# Posting and reading requests


def test_a_posted_request_is_a_report_of_its_resident(outsider, api, token, people, post_request):
    """The api_key names the reporter; the report is the API's, with its due time."""
    api_key = token(people[2])
    me = api.me
    response = outsider.post(f"{BASE}/requests.json", data=form(api_key=api_key))
    assert response.status_code == 201, response.get_data(as_text=True)
    (created,) = response.get_json()
    assert set(created) == {"service_request_id", "service_notice"}
    report_id = created["service_request_id"]

    report = api.get(f"/api/v1/reports/{report_id}").get_json()  # signed in as the reporter
    assert report["mine"] is True and report["status"] == "received"
    assert report["category"] == "rac_thai" and report["address"] == "Đầu ngõ 5 Hàng Bông"
    assert me["id"]

    (read,) = outsider.get(f"{BASE}/requests/{report_id}.json?jurisdiction_id={WARD}").get_json()
    assert set(read) == REQUEST_FIELDS
    assert read["status"] == "open" and read["service_code"] == "rac_thai"
    assert read["status_notes"] == report["history"][-1]["note"]
    assert read["expected_datetime"] == report["due_at"]
    assert read["expected_datetime"].endswith("+07:00")
    assert read["requested_datetime"].endswith("+07:00")
    assert (read["lat"], read["long"]) == (report["lat"], report["long"])
    assert read["media_url"] == ""

    root = xml_of(
        outsider.post(f"{BASE}/requests.xml", data=form(api_key=api_key, description="Lần hai."))
    )
    assert root.tag == "service_requests"
    assert int(root.findtext("request/service_request_id")) > report_id


def test_a_retry_with_the_same_idempotency_key_creates_nothing(outsider, api, token, people):
    """Same key and form: the first answer again (in the retry's format); another form: 422."""
    api_key = token(people[2])
    headers = {"Idempotency-Key": "open311-retry-0001"}
    first = outsider.post(f"{BASE}/requests.json", data=form(api_key=api_key), headers=headers)
    again = outsider.post(f"{BASE}/requests.json", data=form(api_key=api_key), headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.get_json() == first.get_json()
    assert again.headers["Idempotent-Replayed"] == "true"
    other = outsider.post(
        f"{BASE}/requests.json", data=form(api_key=api_key, description="Khác."), headers=headers
    )
    assert other.status_code == 422
    listed = outsider.get(f"{BASE}/requests.json?jurisdiction_id={WARD}").get_json()
    assert [r["service_request_id"] for r in listed] == [first.get_json()[0]["service_request_id"]]


def test_requests_filter_by_status_service_dates_and_ids(outsider, api, token, people, staff, move):
    """status open/closed, service_code, start/end_date, service_request_id; newest first."""
    api_key = token(people[2])
    now = datetime.now(UTC)
    with time_machine.travel(now - timedelta(days=120), tick=True):
        ancient = outsider.post(f"{BASE}/requests.json", data=form(api_key=api_key))
        ancient = ancient.get_json()[0]["service_request_id"]
    with time_machine.travel(now - timedelta(days=40), tick=True):
        old = outsider.post(f"{BASE}/requests.json", data=form(api_key=api_key))
        old = old.get_json()[0]["service_request_id"]
    noise = outsider.post(
        f"{BASE}/requests.json", data=form(api_key=api_key, service_code="tieng_on")
    )
    noise = noise.get_json()[0]["service_request_id"]
    fresh = outsider.post(f"{BASE}/requests.json", data=form(api_key=api_key))
    fresh = fresh.get_json()[0]["service_request_id"]
    assert move(staff, fresh, "resolved", note="Đã thu gom rác.").status_code == 200

    def ids(query: str = "") -> list[int]:
        response = outsider.get(f"{BASE}/requests.json?jurisdiction_id={WARD}{query}")
        assert response.status_code == 200, response.get_data(as_text=True)
        return [r["service_request_id"] for r in response.get_json()]

    assert ids() == [fresh, noise, old]  # the last 90 days by default
    assert ids("&status=open") == [noise, old]
    assert ids("&status=closed") == [fresh]
    assert ids("&status=open,closed") == [fresh, noise, old]
    assert ids("&service_code=tieng_on") == [noise]
    start = (now - timedelta(days=50)).isoformat()
    end = (now - timedelta(days=30)).isoformat()
    assert ids(f"&start_date={start}&end_date={end}".replace("+", "%2B")) == [old]
    start = (now - timedelta(days=125)).strftime("%Y-%m-%dT%H:%M:%S")  # no offset: Hà Nội time
    assert ids(f"&start_date={start}") == [old, ancient]  # 90 days from start_date
    assert ids(f"&service_request_id={ancient},{fresh}&status=open") == [fresh, ancient]

    (closed,) = outsider.get(f"{BASE}/requests/{fresh}.json").get_json()
    assert closed["status"] == "closed" and closed["status_notes"] == "Đã thu gom rác."
    assert outsider.get(
        f"{BASE}/requests/{fresh}.json?jurisdiction_id={OTHER_WARD}"
    ).status_code == (404)


def test_requests_in_xml_use_the_standard_elements(outsider, api, token, people, post_request):
    """`<service_requests><request>` with one element per GeoReport field."""
    report_id = post_request(token(people[2]))
    root = xml_of(outsider.get(f"{BASE}/requests.xml?jurisdiction_id=hoan-kiem"))
    assert root.tag == "service_requests"
    (request,) = root.findall("request")
    assert {child.tag for child in request} == REQUEST_FIELDS
    assert request.findtext("service_request_id") == str(report_id)
    assert request.findtext("status") == "open"
    assert float(request.findtext("lat")) == pytest.approx(LAT, abs=1e-4)
    one = xml_of(outsider.get(f"{BASE}/requests/{report_id}.xml?jurisdiction_id={WARD}"))
    assert one.tag == "service_requests" and len(one.findall("request")) == 1


def test_a_third_party_sees_no_reporter_and_no_hidden_text(
    outsider, api, token, people, staff, citizens
):
    """Neither the reporter's name, sub nor id; a hidden text shows the placeholder only."""
    from reports.models import HIDDEN_DESCRIPTION

    api_key = token(people[2])
    reporter = api.me
    secret = "Nhà ông Nguyễn Văn A số 5 đổ rác ra ngõ."
    response = outsider.post(
        f"{BASE}/requests.json", data=form(api_key=api_key, description=secret)
    )
    report_id = response.get_json()[0]["service_request_id"]
    photo = post_form(
        api,
        {"ward": WARD, "category": "rac_thai", "description": "Có ảnh.", "lat": LAT, "long": LONG},
        [("photos", jpeg_with_gps())],
    )
    assert photo.status_code == 201, photo.get_json()
    with_photo = photo.get_json()
    api.login(staff)
    hidden = api.post(
        f"/api/v1/reports/{report_id}/hide", json={"target": "description", "reason": "Lộ tên."}
    )
    assert hidden.status_code == 200
    api.logout()

    sub = next(c.sub for c in citizens if c.sub == people[2])
    for fmt in ("json", "xml"):
        for url in (
            f"{BASE}/requests.{fmt}?jurisdiction_id={WARD}",
            f"{BASE}/requests/{report_id}.{fmt}",
        ):
            text = outsider.get(url).get_data(as_text=True)
            assert secret not in text and "Nguyễn Văn A" not in text
            assert HIDDEN_DESCRIPTION in text
            assert reporter["name"] not in text and sub not in text
            assert "account_id" not in text and "reporter" not in text
    listed = outsider.get(f"{BASE}/requests.json?jurisdiction_id={WARD}").get_json()
    by_id = {r["service_request_id"]: r for r in listed}
    assert set(by_id[report_id]) == REQUEST_FIELDS
    media = by_id[with_photo["id"]]["media_url"]
    assert media == "http://localhost" + with_photo["photos"][0]["url"]
    assert outsider.get(media).status_code == 200


# Errors


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_errors_are_georeport_errors_in_the_format_asked(outsider, token, people, fmt):
    """400 bad or missing parameter, 401/403 api_key, 404 unknown ward, service or request."""
    api_key = token(people[2])

    def error(response, status: int) -> str:
        assert response.status_code == status, response.get_data(as_text=True)
        if fmt == "json":
            assert response.content_type == "application/json"
            (body,) = response.get_json()
            assert set(body) == {"code", "description"} and body["code"] == status
            return body["description"]
        root = xml_of(response)
        assert root.tag == "errors" and root.findtext("error/code") == str(status)
        return root.findtext("error/description")

    get, post = outsider.get, outsider.post
    assert "jurisdiction_id" in error(get(f"{BASE}/services.{fmt}"), 400)
    assert "phường, xã" in error(get(f"{BASE}/services.{fmt}?jurisdiction_id=khong-co"), 404)
    error(get(f"{BASE}/requests.{fmt}?jurisdiction_id={WARD}&status=done"), 400)
    error(get(f"{BASE}/requests.{fmt}?jurisdiction_id={WARD}&start_date=hôm-qua"), 400)
    error(get(f"{BASE}/requests.{fmt}?jurisdiction_id={WARD}&service_request_id=abc"), 400)
    too_long = "&start_date=2026-01-01T00:00:00%2B07:00&end_date=2026-06-01T00:00:00%2B07:00"
    assert "90" in error(get(f"{BASE}/requests.{fmt}?jurisdiction_id={WARD}{too_long}"), 400)
    error(get(f"{BASE}/requests/999999.{fmt}"), 404)
    error(get(f"{BASE}/services/khong_co.{fmt}?jurisdiction_id={WARD}"), 404)

    assert "api_key" in error(post(f"{BASE}/requests.{fmt}", data=form()), 401)
    error(post(f"{BASE}/requests.{fmt}", data=form(api_key="pxs_not-a-token")), 403)
    far = error(post(f"{BASE}/requests.{fmt}", data=form(api_key=api_key, lat="10.77")), 400)
    assert "Hà Nội" in far
    empty = error(post(f"{BASE}/requests.{fmt}", data=form(api_key=api_key, description=" ")), 400)
    assert empty.startswith("description:")
    missing = error(post(f"{BASE}/requests.{fmt}", data=form(api_key=api_key, lat=None)), 400)
    assert missing.startswith("lat:")
    error(post(f"{BASE}/requests.{fmt}", data=form(api_key=api_key, jurisdiction_id="x-y")), 404)
    error(post(f"{BASE}/requests.{fmt}", data=form(api_key=api_key, service_code="khong")), 404)
    # Nothing was created by the refused posts.
    assert get(f"{BASE}/requests.json?jurisdiction_id={WARD}").get_json() == []
    # An unknown format is 404 (described in JSON: the client's format is not known).
    unknown = get(f"{BASE}/services.yaml?jurisdiction_id={WARD}")
    assert unknown.status_code == 404 and unknown.get_json()[0]["code"] == 404


def test_a_cookie_alone_cannot_post(api, people):
    """No CSRF check on this path, so the session cookie is not a credential here."""
    api.login(people[2])
    response = api.client.post(f"{BASE}/requests.json", data=form())
    assert response.status_code == 401


# Cost


def test_the_requests_list_costs_the_same_for_2_or_12(
    outsider, token, people, staff, move, count_statements
):
    """One page of requests: as many statements for 2 reports as for 12 (notes, photos)."""
    api_key = token(people[2])
    ids = []
    for i in range(12):
        response = outsider.post(
            f"{BASE}/requests.json", data=form(api_key=api_key, description=f"Phản ánh {i}")
        )
        ids.append(response.get_json()[0]["service_request_id"])
    for report_id in ids[::3]:
        assert move(staff, report_id, "acknowledged").status_code == 200

    def fetch(n: int):
        chosen = ",".join(str(i) for i in ids[:n])
        return outsider.get(
            f"{BASE}/requests.json?jurisdiction_id={WARD}&service_request_id={chosen}"
        )

    fetch(2)
    few, few_sent = count_statements(lambda: fetch(2))
    many, many_sent = count_statements(lambda: fetch(12))
    assert len(few.get_json()) == 2 and len(many.get_json()) == 12
    assert len(many_sent) == len(few_sent), "\n".join(many_sent)
    _, window_sent = count_statements(
        lambda: outsider.get(f"{BASE}/requests.json?jurisdiction_id={WARD}")
    )
    # The default 90-day window looks up its first id once (reports/service/listing.py).
    assert len(window_sent) <= len(many_sent) + 1


def test_odd_ids_and_cursors_are_refused_not_crashed(client):
    """Unicode digits in ids (int() refuses "²") are a 400, like any other bad id."""
    response = client.get(f"{BASE}/requests.json?jurisdiction_id={WARD}&service_request_id=²")

    assert response.status_code == 400
