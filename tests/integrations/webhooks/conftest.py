"""Fixtures for the webhook tests: a real HTTP receiver on 127.0.0.1, test event types, people."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import ssl
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from app.config import DEFAULT_INSTALLED_MODULES
from app.events import emit
from app.extensions import db
from app.identity.demo import citizens_of
from integrations.webhooks import service
from tests.community.conftest import Api
from tests.conftest import _empty_tables, grant, make_app

WARD = "00070"  # Hoàn Kiếm
OTHER_WARD = "00025"  # Giảng Võ
TEST_MODULE = "tests.integrations.webhooks.events_for_tests"


@pytest.fixture
def app(database_url):
    """An app with two test event types (`test.happened`, `test.other`) declared."""
    app = make_app(
        database_url,
        os.environ["PXS_TEST_INSTANCE"],
        INSTALLED_MODULES=[*DEFAULT_INSTALLED_MODULES, TEST_MODULE],
        WEBHOOK_SEND_THREADS=8,
        WEBHOOK_TIMEOUT=5.0,
    )
    yield app
    _empty_tables(app)


@dataclass
class Received:
    """One request the receiver got."""

    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> dict:
        return json.loads(self.body)


@dataclass
class Receiver:
    """A local HTTP server that records what it gets and answers `status` (or `answers` in turn).

    `stop()` closes the listening socket and every open connection: the receiver is down
    (connections refused) until `start()` listens again on the same port.
    """

    status: int = 200
    answers: list[int] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)
    port: int = 0
    tls: ssl.SSLContext | None = None  # answer over https with this server context
    _server: ThreadingHTTPServer | None = None
    _connections: set = field(default_factory=set)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks"

    def start(self) -> Receiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as the sender expects

            def setup(self):
                super().setup()
                with receiver._lock:
                    receiver._connections.add(self.connection)

            def finish(self):
                with receiver._lock:
                    receiver._connections.discard(self.connection)
                super().finish()

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver._lock:
                    receiver.received.append(
                        Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                    )
                    status = receiver.answers.pop(0) if receiver.answers else receiver.status
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        if self.tls is not None:
            self._server.socket = self.tls.wrap_socket(self._server.socket, server_side=True)
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        with self._lock:
            for conn in list(self._connections):
                with contextlib.suppress(OSError):
                    conn.shutdown(socket.SHUT_RDWR)
                conn.close()
            self._connections.clear()
        self._server = None

    def ids(self) -> list[str]:
        return [r.headers["webhook-id"] for r in self.received]


@pytest.fixture
def receiver():
    """A running receiver answering 200; stopped after the test."""
    found = Receiver().start()
    yield found
    found.stop()


@pytest.fixture
def api(client, sign_in):
    """A client that signs in as people and sends their CSRF header."""
    return Api(client, sign_in)


@pytest.fixture
def admin(app):
    """The sub of the test ward's admin."""
    sub = citizens_of(WARD)[0].sub
    grant(app, sub, "ward_admin", ward=WARD)
    return sub


@pytest.fixture
def editor(app):
    """The sub of the test ward's editor (staff, not admin)."""
    sub = citizens_of(WARD)[1].sub
    grant(app, sub, "ward_editor", ward=WARD)
    return sub


@pytest.fixture
def other_admin(app):
    """The sub of another ward's admin."""
    sub = citizens_of(OTHER_WARD)[0].sub
    grant(app, sub, "ward_admin", ward=OTHER_WARD)
    return sub


@pytest.fixture
def city_admin(app):
    """The sub of a city admin."""
    sub = citizens_of(OTHER_WARD)[1].sub
    grant(app, sub, "city_admin")
    return sub


@pytest.fixture
def resident():
    """The sub of a resident of the test ward (no role)."""
    return citizens_of(WARD)[2].sub


@pytest.fixture
def register(api):
    """Sign in as `sub` and register an endpoint; return the created endpoint (with secret)."""

    def do(sub: str, url: str, events=("test.happened",), ward: str | None = WARD) -> dict:
        api.login(sub)
        response = api.post(
            "/api/v1/webhooks", json={"url": url, "events": list(events), "ward": ward}
        )
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    return do


def emit_event(app, event_type: str = "test.happened", ward: str | None = WARD, **data) -> str:
    """Commit one event, as a module's request would; return its id (the webhook-id)."""
    with app.app_context():
        msg_id = emit(event_type, data or {"n": 1}, ward_code=ward)
        db.session.commit()
        db.session.remove()
    return msg_id


def deliver(app) -> int:
    """Run the worker's delivery job once, as `jobs once webhooks.deliver` would."""
    with app.app_context():
        try:
            return service.deliver_due()
        finally:
            db.session.remove()
