"""Production settings: https only, and no target resolving to a private or special address,
checked at registration and before each delivery; the sender then connects to the address it
checked and never resolves the name again (DNS rebinding)."""

import datetime as dt
import errno
import socket
import ssl

import pytest
import sqlalchemy as sa
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from app.extensions import db
from integrations.webhooks.models import WebhookDelivery
from integrations.webhooks.sender import Outgoing, Sender
from integrations.webhooks.targets import is_public_address
from tests.integrations.webhooks.conftest import WARD, Receiver, deliver, emit_event

PUBLIC = "93.184.216.34"
OTHER_PUBLIC = "93.184.216.35"


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


@pytest.fixture
def connections(monkeypatch):
    """Every (address, port) a socket connects to, in order; nothing leaves this machine.

    `connections.reach[address] = "127.0.0.1"` makes a made-up public address reach the local
    receiver (as if the receiver were that host); any other non-loopback address is unreachable.
    """

    class Log(list):
        reach: dict[str, str] = {}

    log = Log()
    log.reach = {}
    real = socket.socket.connect

    def connect(sock, address):
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            host, port = address[0], address[1]
            log.append((host, port))
            host = log.reach.get(host, host)
            if not (host == "127.0.0.1" or host == "::1"):
                raise OSError(errno.ENETUNREACH, "unreachable in tests")
            address = (host, port, *address[2:])
        return real(sock, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    return log


def _certificate(subject, issuer, public_key, signing_key, *, ca: bool, names=()):
    now = dt.datetime.now(dt.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
        .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer)]))
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(hours=1))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(signing_key.public_key()),
            critical=False,
        )
    )
    if ca:
        builder = builder.add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False),
            critical=True,
        )
    else:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.DNSName(n) for n in names]), critical=False
        ).add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
    return builder.sign(signing_key, hashes.SHA256())


@pytest.fixture
def https_receiver(tmp_path, monkeypatch):
    """Start an https receiver on 127.0.0.1 whose certificate names `name`, trusted by clients.

    `start(name)` returns the running receiver; `receiver.sni` lists the names clients sent.
    """
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = _certificate("Test CA", "Test CA", ca_key.public_key(), ca_key, ca=True)
    ca_file = tmp_path / "ca.pem"
    ca_file.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    # The sender's connections load the default trust store, which this variable replaces.
    monkeypatch.setenv("SSL_CERT_FILE", str(ca_file))
    started = []

    def start(name: str) -> Receiver:
        key = ec.generate_private_key(ec.SECP256R1())
        cert = _certificate(name, "Test CA", key.public_key(), ca_key, ca=False, names=[name])
        pem = tmp_path / f"{name}.pem"
        pem.write_bytes(
            cert.public_bytes(serialization.Encoding.PEM)
            + key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(pem)
        found = Receiver(tls=context)
        found.sni = []
        context.sni_callback = lambda _sock, server_name, _ctx: found.sni.append(server_name)
        started.append(found.start())
        return found

    yield start
    for found in started:
        found.stop()


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


def test_production_delivers_to_the_checked_address_under_the_real_name(
    app, api, admin, production, dns, connections, https_receiver
):
    """The connection goes to the resolved address; SNI, certificate and Host use the name."""
    receiver = https_receiver("hooks.example.vn")
    dns["hooks.example.vn"] = [PUBLIC]
    connections.reach[PUBLIC] = "127.0.0.1"  # the receiver is the host at PUBLIC
    api.login(admin)
    url = f"https://hooks.example.vn:{receiver.port}/hooks?ward={WARD}"
    response = api.post(
        "/api/v1/webhooks", json={"url": url, "events": ["test.happened"], "ward": WARD}
    )
    assert response.status_code == 201
    emit_event(app)
    deliver(app)
    assert connections == [(PUBLIC, receiver.port)]
    assert receiver.sni == ["hooks.example.vn"]
    [got] = receiver.received
    assert got.path == f"/hooks?ward={WARD}"
    assert got.headers["host"] == f"hooks.example.vn:{receiver.port}"
    row = _single_delivery(app)
    assert row.status == "delivered" and row.last_error is None


def test_a_certificate_for_another_name_is_refused(
    app, api, admin, production, dns, connections, https_receiver
):
    """The certificate is checked against the URL's name, not against the address."""
    receiver = https_receiver("other.example.vn")
    dns["hooks.example.vn"] = [PUBLIC]
    connections.reach[PUBLIC] = "127.0.0.1"
    api.login(admin)
    url = f"https://hooks.example.vn:{receiver.port}/hooks"
    response = api.post(
        "/api/v1/webhooks", json={"url": url, "events": ["test.happened"], "ward": WARD}
    )
    assert response.status_code == 201
    emit_event(app)
    deliver(app)
    assert receiver.received == []
    row = _single_delivery(app)
    assert row.last_error == "Lỗi chứng chỉ TLS của máy nhận."


def test_dns_rebinding_cannot_reach_inside(
    app, api, admin, production, dns, connections, https_receiver
):
    """Public at the check, 127.0.0.1 on any later lookup: the sender connects to the public
    address it checked (unreachable here) and never to the local receiver, although that one
    would answer under the name with a valid certificate."""
    receiver = https_receiver("rebind.example.vn")
    dns["rebind.example.vn"] = [PUBLIC]
    api.login(admin)
    url = f"https://rebind.example.vn:{receiver.port}/hooks"
    response = api.post(
        "/api/v1/webhooks", json={"url": url, "events": ["test.happened"], "ward": WARD}
    )
    assert response.status_code == 201
    # The delivery's check sees the public address; every lookup after it gets 127.0.0.1.
    dns["rebind.example.vn"] = [[PUBLIC], ["127.0.0.1"]]
    emit_event(app)
    deliver(app)
    assert connections == [(PUBLIC, receiver.port)]
    assert receiver.received == [] and receiver.sni == []
    row = _single_delivery(app)
    assert row.status == "pending"
    assert row.last_error == "Không kết nối được tới máy nhận."


def _outgoing(url: str, n: int) -> Outgoing:
    return Outgoing(
        delivery_id=n,
        lease_token="t",
        endpoint_id=1,
        url=url,
        msg_id=f"msg_{n}",
        body=b"{}",
        key=b"k" * 32,
    )


def test_each_attempt_resolves_once_and_keeps_the_connection(dns, connections, https_receiver):
    """One thread, three attempts: the name moves between public addresses; each attempt
    connects to the address its own check returned, and reuses an open connection to it."""
    receiver = https_receiver("keep.example.vn")
    connections.reach[PUBLIC] = connections.reach[OTHER_PUBLIC] = "127.0.0.1"
    dns["keep.example.vn"] = [[PUBLIC], [PUBLIC], [OTHER_PUBLIC]]
    sender = Sender(private_ok=False, timeout=5.0, threads=1)
    try:
        url = f"https://keep.example.vn:{receiver.port}/hooks"
        outcomes = [sender.send(_outgoing(url, n)) for n in range(3)]
    finally:
        sender.close()
    assert [o.status_code for o in outcomes] == [200, 200, 200], outcomes
    assert connections == [(PUBLIC, receiver.port), (OTHER_PUBLIC, receiver.port)]
    assert receiver.ids() == ["msg_0", "msg_1", "msg_2"]


def test_a_name_resolving_inside_is_refused_without_connecting(dns, connections):
    """Checked before the connection: a private answer means no connection at all."""
    dns["inside.example.vn"] = [PUBLIC, "10.0.0.7"]
    sender = Sender(private_ok=False, timeout=5.0, threads=1)
    try:
        outcome = sender.send(_outgoing("https://inside.example.vn/hooks", 1))
    finally:
        sender.close()
    assert outcome.status_code is None and "địa chỉ nội bộ" in outcome.error
    assert connections == []


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


@pytest.mark.parametrize(
    "address",
    ["192.0.0.8", "192.0.0.170", "198.18.0.1", "100.64.0.1", "64:ff9b:1::a9fe:a9fe", "2001:2::1"],
)
def test_special_purpose_ranges_are_refused_whatever_python_says(address):
    """An explicit deny list: Python 3.11's `is_global` takes 192.0.0.0/24 for global."""
    assert not is_public_address(address)


def test_globally_reachable_special_addresses_stay_allowed():
    assert is_public_address("192.0.0.9") and is_public_address("192.0.0.10")


def test_an_ietf_protocol_address_is_refused_in_production(api, admin, production):
    """`https://192.0.0.8/` (192.0.0.0/24, not on the Internet) cannot be registered."""
    api.login(admin)
    response = api.post(
        "/api/v1/webhooks",
        json={"url": "https://192.0.0.8/", "events": ["test.happened"], "ward": WARD},
    )
    assert response.status_code == 422
    assert "địa chỉ nội bộ" in response.get_json()["error"]["message"]
