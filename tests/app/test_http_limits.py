"""A request line or headers too large answer JSON 414/431, in process and through gunicorn."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.http_limits import MAX_HEADER_BYTES, MAX_HEADERS, MAX_REQUEST_LINE
from app.security_headers import NOTHING_POLICY

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent

LONG_QUERY = "/api/v1/wards?q=" + "a" * 5000  # the fuzzer's request line over 4 kB
BIG_HEADER = {"X-Fuzz": "b" * 16 * 1024}  # one header of 16 kB
MANY_HEADERS = {f"X-Fuzz-{i}": "c" for i in range(200)}  # 200 headers


def assert_json_error(status, content_type, body, expected, code):
    """Check a refusal: its status, a JSON content type and the contract's error body."""
    assert status == expected, body
    assert content_type.startswith("application/json")
    error = json.loads(body)["error"]
    assert error["code"] == code
    assert error["message"] and error["message"].isascii() is False  # Vietnamese, with diacritics
    assert isinstance(error["details"], dict)


@pytest.mark.parametrize(
    "path, headers, status, code",
    [
        (LONG_QUERY, {}, 414, "uri_too_long"),
        ("/healthz", BIG_HEADER, 431, "request_header_fields_too_large"),
        ("/healthz", MANY_HEADERS, 431, "request_header_fields_too_large"),
    ],
)
def test_in_process_refusals_are_json(client, path, headers, status, code):
    """The middleware answers before Flask: JSON body, and the headers of every API answer."""
    response = client.get(path, headers=headers)
    assert_json_error(
        response.status_code, response.content_type, response.get_data(), status, code
    )
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"] == NOTHING_POLICY


def test_requests_within_the_limits_pass(client):
    """A line just under 4 kB, a header just under 8 kB and 90 headers reach the app."""
    line_room = MAX_REQUEST_LINE - len("GET  HTTP/1.1") - len("/healthz?x=")
    assert client.get("/healthz?x=" + "a" * line_room).status_code == 200
    header = {"X-Big": "b" * (MAX_HEADER_BYTES - len("X-Big: "))}
    assert client.get("/healthz", headers=header).status_code == 200
    many = {f"X-Ok-{i}": "c" for i in range(MAX_HEADERS - 10)}
    assert client.get("/healthz", headers=many).status_code == 200


# Through a real gunicorn with the project's gunicorn.conf.py: its own parser must let these
# requests through to the app instead of answering them with its HTML pages.


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _serving_env(tmp_path: Path, **extra) -> dict:
    env = {
        **os.environ,
        "APP_ENV": "test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'pxs.sqlite3'}",
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "HOME": str(tmp_path),  # gunicorn's control socket goes under ~/.gunicorn
        "WEB_CONCURRENCY": "1",
        "GUNICORN_THREADS": "2",
    }
    env.pop("TEST_DATABASE_URL", None)
    env.update(extra)
    return env


@pytest.fixture(scope="module")
def gunicorn_server(tmp_path_factory):
    """Start `gunicorn -c gunicorn.conf.py wsgi:app` on a free port over a migrated SQLite."""
    tmp_path = tmp_path_factory.mktemp("gunicorn")
    port = _free_port()
    env = _serving_env(tmp_path, BIND=f"127.0.0.1:{port}")
    subprocess.run(
        [BIN / "flask", "--app", "wsgi", "db", "upgrade"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    log = open(tmp_path / "gunicorn.log", "wb")  # noqa: SIM115 - closed after the server stops
    server = subprocess.Popen(
        [BIN / "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        for _ in range(300):  # waits for the port, not for a duration
            if server.poll() is not None:
                raise RuntimeError((tmp_path / "gunicorn.log").read_text())
            try:
                status, _, _ = _send(port, b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
                if status == 200:
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError("gunicorn did not start: " + (tmp_path / "gunicorn.log").read_text())
        yield port
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        log.close()


def _send(port: int, raw: bytes) -> tuple[int, str, bytes]:
    """Send one raw HTTP/1.1 request; return status, content type and body."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(raw)
        data = b""
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
            head, sep, body = data.partition(b"\r\n\r\n")
            if sep:
                lines = head.decode("latin-1").split("\r\n")
                fields = dict(line.split(": ", 1) for line in lines[1:])
                length = int(fields.get("Content-Length", "-1"))
                if len(body) >= length >= 0:
                    break
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    fields = {k.lower(): v for k, v in (line.split(": ", 1) for line in lines[1:])}
    return int(lines[0].split()[1]), fields.get("content-type", ""), body


def _request(path: str, headers: dict) -> bytes:
    lines = [f"GET {path} HTTP/1.1", "Host: localhost", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


@pytest.mark.parametrize(
    "path, headers, status, code",
    [
        (LONG_QUERY, {}, 414, "uri_too_long"),
        ("/api/v1/wards", BIG_HEADER, 431, "request_header_fields_too_large"),
        ("/api/v1/wards", MANY_HEADERS, 431, "request_header_fields_too_large"),
    ],
)
def test_gunicorn_lets_the_app_answer_json(gunicorn_server, path, headers, status, code):
    """The findings' three requests, sent to gunicorn: JSON 414/431, not gunicorn's HTML."""
    got, content_type, body = _send(gunicorn_server, _request(path, headers))
    assert_json_error(got, content_type, body, status, code)


def test_gunicorn_serves_requests_within_the_limits(gunicorn_server):
    """A request with a 3 kB query and 50 headers is served as usual."""
    headers = {f"X-Ok-{i}": "c" for i in range(50)}
    got, content_type, body = _send(gunicorn_server, _request("/healthz?x=" + "a" * 3000, headers))
    assert got == 200 and json.loads(body)["status"] == "ok"


def test_gunicorn_refuses_per_process_limits_with_several_workers_in_production(tmp_path):
    """Production without Redis and two workers: gunicorn's master refuses to start."""
    env = _serving_env(
        tmp_path, APP_ENV="production", REDIS_URL="", BIND=f"127.0.0.1:{_free_port()}"
    )
    result = subprocess.run(
        [BIN / "gunicorn", "-c", "gunicorn.conf.py", "-w", "2", "wsgi:app"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert b"rate limits would be counted per process" in result.stderr
