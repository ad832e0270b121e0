"""The endpoints API: who may register and manage endpoints, and what input is refused."""

import pytest
import sqlalchemy as sa

from app.events.models import Event
from app.extensions import db
from integrations.webhooks.models import WebhookDelivery
from tests.integrations.webhooks.conftest import OTHER_WARD, WARD

URL = "https://he-thong.example.vn/webhooks"


def body(**changes) -> dict:
    found = {"url": URL, "events": ["test.happened"], "ward": WARD}
    found.update(changes)
    return found


def test_anonymous_is_401(client):
    """Every webhook endpoint needs a signed-in caller."""
    assert client.get("/api/v1/webhooks").status_code == 401
    assert client.post("/api/v1/webhooks", json=body()).status_code == 401
    assert client.get("/api/v1/webhooks/1").status_code == 401
    assert client.get("/api/v1/webhooks/1/deliveries").status_code == 401


def test_ward_admin_registers_for_the_ward(api, admin):
    """201 with id, secret, url, events, ward; the slug works as the ward."""
    api.login(admin)
    response = api.post(
        "/api/v1/webhooks",
        json=body(ward="hoan-kiem", events=["test.other", "test.happened", "test.other"]),
    )
    assert response.status_code == 201, response.get_json()
    created = response.get_json()
    assert created["ward"] == WARD and created["url"] == URL
    assert created["events"] == ["test.happened", "test.other"]
    assert created["secret"].startswith("whsec_") and created["status"] == "active"
    assert created["id"] > 0


@pytest.mark.parametrize("who", ["resident", "editor", "other_admin"])
def test_others_may_not_register_for_the_ward(api, request, who):
    """A resident, the ward's editor and another ward's admin: 403 in Vietnamese."""
    api.login(request.getfixturevalue(who))
    response = api.post("/api/v1/webhooks", json=body())
    assert response.status_code == 403
    assert "quản trị" in response.get_json()["error"]["message"]
    assert api.get(f"/api/v1/webhooks?ward={WARD}").status_code == 403


def test_every_ward_endpoints_are_for_city_admins(api, admin, city_admin):
    """ward null (or omitted): city admins only."""
    api.login(admin)
    refused = api.post("/api/v1/webhooks", json=body(ward=None))
    assert refused.status_code == 403 and "thành phố" in refused.get_json()["error"]["message"]
    api.login(city_admin)
    response = api.post("/api/v1/webhooks", json={"url": URL, "events": ["test.happened"]})
    assert response.status_code == 201 and response.get_json()["ward"] is None


def test_an_endpoint_outside_reach_is_404(api, admin, other_admin):
    """Another ward's admin neither sees, deletes, replays nor tests the ward's endpoint."""
    api.login(admin)
    created = api.post("/api/v1/webhooks", json=body()).get_json()
    api.login(other_admin)
    base = f"/api/v1/webhooks/{created['id']}"
    assert api.get(base).status_code == 404
    assert api.delete(base).status_code == 404
    assert api.get(base + "/deliveries").status_code == 404
    assert api.post(base + "/test").status_code == 404
    assert api.post(base + "/enable").status_code == 404
    assert api.get("/api/v1/webhooks").get_json()["items"] == []
    api.login(admin)
    assert api.get(base).status_code == 200


def test_lists_what_the_caller_manages(api, admin, other_admin, city_admin):
    """A ward admin lists their ward's; a city admin every one, or one ward's with ?ward=."""
    api.login(admin)
    mine = api.post("/api/v1/webhooks", json=body()).get_json()
    api.login(other_admin)
    theirs = api.post("/api/v1/webhooks", json=body(ward=OTHER_WARD)).get_json()
    api.login(city_admin)
    city = api.post("/api/v1/webhooks", json=body(ward=None)).get_json()
    listed = [e["id"] for e in api.get("/api/v1/webhooks").get_json()["items"]]
    assert listed == [city["id"], theirs["id"], mine["id"]]
    one = [e["id"] for e in api.get(f"/api/v1/webhooks?ward={WARD}").get_json()["items"]]
    assert one == [mine["id"]]
    api.login(admin)
    assert [e["id"] for e in api.get("/api/v1/webhooks").get_json()["items"]] == [mine["id"]]


def test_unknown_event_types_are_422_listing_the_known(api, admin):
    """An unknown type is named, and the known ones listed."""
    api.login(admin)
    response = api.post("/api/v1/webhooks", json=body(events=["test.happened", "no.such"]))
    assert response.status_code == 422
    message = response.get_json()["error"]["message"]
    assert "no.such" in message and "test.happened" in message and "test.other" in message
    assert "Loại sự kiện" in message
    test_only = api.post("/api/v1/webhooks", json=body(events=["webhook.test"]))
    assert test_only.status_code == 422


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("ftp://example.vn/x", "https://"),
        ("javascript:alert(1)", "https://"),
        ("https://user:pass@example.vn/x", "mật khẩu"),
        ("https:///nohost", "tên máy chủ"),
        ("https://example.vn:99999/x", "không hợp lệ"),
        ("https://example.vn/" + "a" * 2000, "2000"),
    ],
)
def test_bad_urls_are_422_in_vietnamese(api, admin, url, words):
    """Only http(s), no credentials, a host, a valid port, at most 2000 characters."""
    api.login(admin)
    response = api.post("/api/v1/webhooks", json=body(url=url))
    assert response.status_code == 422, response.get_json()
    assert words in response.get_json()["error"]["message"]


@pytest.mark.parametrize(
    "bad",
    [
        {"events": []},
        {"events": "test.happened"},
        {"url": None},
        {"ward": "no-such-ward"},
        {"unknown": 1},
    ],
)
def test_malformed_bodies_are_4xx_never_500(api, admin, bad):
    """Shape errors are 422 (404 for an unknown ward), never a server error."""
    api.login(admin)
    response = api.post("/api/v1/webhooks", json=body(**bad))
    assert response.status_code in (404, 422), response.get_json()


def test_event_types_are_listed_with_labels(client):
    """The console builds its checkboxes from this list (Vietnamese labels)."""
    items = client.get("/api/v1/webhooks/event-types").get_json()["items"]
    labels = {i["name"]: i["label"] for i in items}
    assert labels["test.happened"] == "Sự việc thử"


def test_a_double_tap_on_send_test_sends_one_test_event(app, api, admin, register, receiver):
    """`POST …/test` with the same Idempotency-Key twice: one event, one delivery, 202 replayed."""
    endpoint = register(admin, receiver.url)
    url = f"/api/v1/webhooks/{endpoint['id']}/test"
    headers = {**api.headers, "Idempotency-Key": "gui-thu-0001"}
    first = api.client.post(url, headers=headers)
    again = api.client.post(url, headers=headers)
    assert first.status_code == again.status_code == 202, first.get_json()
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert again.get_json() == first.get_json()
    with app.app_context():
        events = db.session.scalar(
            sa.select(sa.func.count()).select_from(Event).where(Event.type == "webhook.test")
        )
        deliveries = db.session.scalar(sa.select(sa.func.count()).select_from(WebhookDelivery))
    assert (events, deliveries) == (1, 1)
    # Another key is another test event.
    other = {**api.headers, "Idempotency-Key": "gui-thu-0002"}
    assert api.client.post(url, headers=other).status_code == 202
