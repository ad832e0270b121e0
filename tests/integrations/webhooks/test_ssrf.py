"""Production settings: https only, and no target resolving to a private or special address,
checked at registration, before each delivery, and on the connection itself."""

import socket

import pytest
import sqlalchemy as sa

from app.extensions import db
from integrations.webhooks.models import WebhookDelivery
from integrations.webhooks.targets import is_public_address
from tests.integrations.webhooks.conftest import WARD, deliver, emit_event

PUBLIC = "93.184.216.34"


@pytest.fixture
def production(app):
    """The webhook settings of APP_ENV=production."""
    app.config["WEBHOOK_ALLOW_PRIVATE"] = False
    return app


@pytest.fixture
def dns(monkeypatch):
    """A resolver for made-up names: {name: [addresses]} (a list of lists: one per lookup)."""
    names: dict[str, list] = {}
    real = socket.getaddrinfo

    def fake(host, port, *args, **kwargs):
        if host in names:
            answers = names[host]
            found = answers.pop(0) if isinstance(answers[0], list) and len(answers) > 1 else answers
            if isinstance(found[0], list):
                found = found[0]
            family = lambda a: socket.AF_INET6 if ":" in a else socket.AF_INET  # noqa: E731
            return [(family(a), socket.SOCK_STREAM, 6, "", (a, port or 443)) for a in found]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    return names


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.9",
        "192.168.1.1",
        "169.254.169.254",
        "0.0.0.0",  # noqa: S104 - an address to judge, not to bind
        "100.64.0.1",
        "224.0.0.1",
        "240.0.0.1",
        "::1",
        "::",
        "fe80::1",
        "fc00::1",
        "::ffff:10.0.0.1",
        "::ffff:127.0.0.1",
        "2002:0a00:0001::1",
    ],
)
def test_private_and_special_addresses_are_not_public(address):
    """The address rule itself."""
    assert not is_public_address(address)


def test_global_addresses_are_public():
    assert is_public_address(PUBLIC) and is_public_address("2606:4700:4700::1111")
    assert is_public_address("::ffff:93.184.216.34")


@pytest.mark.parametrize("address", ["127.0.0.1", "10.0.0.5", "::1", "169.254.169.254"])
def test_registration_refuses_names_resolving_inside(api, admin, production, dns, address):
    """422 in Vietnamese when the host resolves to a private or loopback address."""
    dns["hooks.example.vn"] = [address]
    api.login(admin)
    response = api.post(
        "/api/v1/webhooks",
        json={"url": "https://hooks.example.vn/in", "events": ["test.happened"], "ward": WARD},
    )
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert "địa chỉ nội bộ" in error["message"]
    assert error["details"]["errors"][0]["field"] == "url"


def test_one_private_address_among_public_ones_is_refused(api, admin, production, dns):
    dns["mixed.example.vn"] = [PUBLIC, "10.0.0.7"]
    api.login(admin)
    response = api.post(
        "/api/v1/webhooks",
        json={"url": "https://mixed.example.vn/", "events": ["test.happened"], "ward": WARD},
    )
    assert response.status_code == 422


def test_production_wants_https_and_resolvable_names(api, admin, production, dns):
    """http:// is refused; a name that does not resolve is refused; a public one is taken."""
    api.login(admin)
    dns["public.example.vn"] = [PUBLIC]
    plain = api.post(
        "/api/v1/webhooks",
        json={"url": "http://public.example.vn/", "events": ["test.happened"], "ward": WARD},
    )
    assert plain.status_code == 422 and "https://" in plain.get_json()["error"]["message"]
    literal = api.post(
        "/api/v1/webhooks",
        json={"url": "https://127.0.0.1/", "events": ["test.happened"], "ward": WARD},
    )
    assert literal.status_code == 422
    ok = api.post(
        "/api/v1/webhooks",
        json={"url": "https://public.example.vn/", "events": ["test.happened"], "ward": WARD},
    )
    assert ok.status_code == 201, ok.get_json()


def test_development_accepts_the_local_receiver(api, admin, receiver):
    """Outside production, http and 127.0.0.1 are fine (local receivers, tests)."""
    api.login(admin)
    response = api.post(
        "/api/v1/webhooks", json={"url": receiver.url, "events": ["test.happened"], "ward": WARD}
    )
    assert response.status_code == 201


def _single_delivery(app):
    with app.app_context():
        row = db.session.scalars(sa.select(WebhookDelivery)).one()
        db.session.expunge(row)
        return row


def test_a_name_that_moved_inside_is_not_sent_to(app, api, admin, production, dns, receiver):
    """Checked again before each delivery: now resolving to 127.0.0.1, it is not sent."""
    dns["moved.example.vn"] = [PUBLIC]
    api.login(admin)
    url = f"https://moved.example.vn:{receiver.port}/hooks"
    response = api.post(
        "/api/v1/webhooks", json={"url": url, "events": ["test.happened"], "ward": WARD}
    )
    assert response.status_code == 201
    dns["moved.example.vn"] = ["127.0.0.1"]
    emit_event(app)
    deliver(app)
    assert receiver.received == []
    row = _single_delivery(app)
    assert row.status == "pending" and "địa chỉ nội bộ" in row.last_error


def test_dns_rebinding_is_caught_at_the_connection(app, api, admin, production, dns, receiver):
    """Public at the check, 127.0.0.1 at the connection: the connection is refused."""
    dns["rebind.example.vn"] = [PUBLIC]
    api.login(admin)
    url = f"https://rebind.example.vn:{receiver.port}/hooks"
    response = api.post(
        "/api/v1/webhooks", json={"url": url, "events": ["test.happened"], "ward": WARD}
    )
    assert response.status_code == 201
    # The delivery's check sees the public address; the connection then gets 127.0.0.1.
    dns["rebind.example.vn"] = [[PUBLIC], ["127.0.0.1"]]
    emit_event(app)
    deliver(app)
    assert receiver.received == []
    row = _single_delivery(app)
    assert row.last_error == "Không gửi: máy chủ trỏ tới địa chỉ nội bộ (bị chặn)."


def test_redirects_are_not_followed(app, api, admin, receiver):
    """A 3xx answer is a failed attempt; the Location is never fetched."""
    api.login(admin)
    api.post(
        "/api/v1/webhooks", json={"url": receiver.url, "events": ["test.happened"], "ward": WARD}
    )
    receiver.answers = [307]
    emit_event(app)
    deliver(app)
    assert len(receiver.received) == 1
    row = _single_delivery(app)
    assert row.status == "pending" and "chuyển hướng" in row.last_error
