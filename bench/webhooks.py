"""Webhook delivery benchmark (issue 17, "Speed"): deliveries per second from one worker, and
the latency of an event-writing request with 10,000 deliveries pending.

    .venv/bin/python -m bench webhooks      # with the other scenarios' runner
    .venv/bin/python -m bench.webhooks      # on its own (SQLite, then PostgreSQL)
    BENCH_WEBHOOK_BACKENDS=sqlite .venv/bin/python -m bench.webhooks

For each database (SQLite; a throwaway PostgreSQL cluster, `bench.ballots.Postgres`) a fresh
database is migrated (`flask db upgrade`, `wards sync`), and seeded in process: a ward admin of
00070 with a bearer token and one webhook endpoint of that ward pointing at a local receiver (a
threaded `http.server` in its own process, answering 200 over keep-alive, counting each
`webhook-id`). The real service runs under gunicorn (`gunicorn.conf.py`).

Three states, each measured by one client sending `POST /api/v1/webhooks/{id}/test` (the
request writes an event and its delivery, nothing more) over keep-alive for BENCH_DURATION
seconds after BENCH_WARMUP seconds, p50/p99; the first two interleaved for BENCH_ROUNDS rounds
(the backlog written, then deleted again), medians of the rounds:

- `none pending`: no worker, no backlog;
- `10,000 pending`: 10,000 events and their pending deliveries written with SQL, no worker;
- `worker draining`: one worker (`flask --app wsgi jobs run`, its `webhooks.deliver` loop every
  second) sending the backlog to the receiver while the requests go on.

Then the worker is left to finish; the figures: deliveries per second (attempts logged, from the
first to the last, per the attempt log), every delivery delivered, each `webhook-id` received
exactly once (never twice). Targets: ≥ 200 deliveries/s; p99 with 10,000 pending ≤ 1.2 × p99
with none (the request only writes the event).
"""

from __future__ import annotations

import hashlib
import http.client
import json
import multiprocessing
import os
import secrets
import signal
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

from bench import harness

NAME = "webhooks"
TITLE = (
    "webhook deliveries/s from one worker to a local receiver, and POST latency of an "
    "event-writing request with 10,000 deliveries pending vs none (issue 17)"
)
SAME = "checked in the run itself: every delivery delivered, each webhook-id received once"
PENDING = int(os.environ.get("BENCH_WEBHOOK_PENDING", "10000"))
BACKENDS = [
    b.strip()
    for b in os.environ.get("BENCH_WEBHOOK_BACKENDS", "sqlite,postgresql").split(",")
    if b.strip()
]
RATE_TARGET = 200.0
GROWTH_TARGET = 1.2
WARD = "00070"
RESULTS_DIR = Path(__file__).resolve().parent / "results"


# --- the receiver -----------------------------------------------------------------------------


def _receive(port_out, counts_out, stop):
    """Serve on a free port; on stop, report {received, distinct} (runs in its own process)."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    seen: dict[str, int] = {}
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            msg_id = self.headers.get("webhook-id", "")
            with lock:
                seen[msg_id] = seen.get(msg_id, 0) + 1
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    ThreadingHTTPServer.request_queue_size = 256  # the worker opens up to 32 connections at once
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port_out.put(server.server_address[1])
    stop.wait()
    server.shutdown()
    with lock:
        counts_out.put({"received": sum(seen.values()), "ids": seen})


class Receiver:
    """The receiver process."""

    def __init__(self) -> None:
        ctx = multiprocessing.get_context("spawn")
        self._port, self._counts, self._stop = ctx.Queue(), ctx.Queue(), ctx.Event()
        self.process = ctx.Process(
            target=_receive, args=(self._port, self._counts, self._stop), daemon=True
        )
        self.port = 0

    def start(self) -> Receiver:
        self.process.start()
        self.port = self._port.get(timeout=30)
        return self

    def stop(self) -> dict:
        self._stop.set()
        counts = self._counts.get(timeout=60)
        self.process.join(10)
        return counts


# --- seeding ----------------------------------------------------------------------------------


def _env(url: str, workdir: Path, label: str) -> dict:
    return dict(
        os.environ,
        APP_ENV="development",
        DATABASE_URL=url,
        INSTANCE_PATH=str(workdir / f"instance-webhooks-{label}"),
        SECRET_KEY=f"bench-{secrets.token_urlsafe(24)}",
        FLASK_APP="wsgi",
        PYTHONDONTWRITEBYTECODE="1",
    )


def _flask(env: dict, *args: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", *args],
        cwd=harness.ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        output = "\n".join((done.stdout + done.stderr).strip().splitlines()[-12:])
        raise RuntimeError(f"flask {' '.join(args)} failed:\n{output}")


def _app(env: dict):
    from app import create_app

    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": env["DATABASE_URL"],
            "SECRET_KEY": env["SECRET_KEY"],
            "INSTANCE_PATH": env["INSTANCE_PATH"],
        }
    )


def seed(env: dict, receiver_url: str) -> dict:
    """Add a ward admin with a bearer token and one endpoint of the ward; return both."""
    import sqlalchemy as sa

    from app.extensions import db
    from app.identity.models import ApiToken, RoleGrant, User
    from integrations.webhooks import service

    app = _app(env)
    now = datetime.now(UTC)
    raw = "pxs_" + secrets.token_urlsafe(24)
    with app.app_context():
        user = User(issuer="bench", sub="bench-webhooks", name="bench", vneid_level=2)
        db.session.add(user)
        db.session.flush()
        db.session.add(
            RoleGrant(
                user_id=user.id,
                role="ward_admin",
                ward_code=WARD,
                scope=f"ward:{WARD}",
                granted_at=now,
            )
        )
        db.session.add(
            ApiToken(
                user_id=user.id,
                token_hash=hashlib.sha256(raw.encode()).hexdigest(),
                created_at=now,
                expires_at=datetime(2100, 1, 1, tzinfo=UTC),
            )
        )
        types = sorted(service.subscribable_types())
        endpoint, _secret = service.create_endpoint(
            url=receiver_url,
            events=types[:1],
            ward_code=WARD,
            description="bench",
            created_by=user,
        )
        db.session.commit()
        found = {"token": raw, "endpoint": endpoint.id}
        db.session.execute(sa.select(1))
        db.session.remove()
        db.engine.dispose()
    return found


def add_backlog(env: dict, endpoint_id: int, count: int) -> None:
    """Write `count` events and their pending deliveries with SQL (as the fan-out leaves them)."""
    import sqlalchemy as sa

    from app.events.models import Event, EventSequence
    from app.events.service import new_msg_id
    from app.extensions import db
    from integrations.webhooks.models import WebhookDelivery

    app = _app(env)
    now = datetime.now(UTC)
    feed = "bench:backlog"
    with app.app_context():
        db.session.execute(sa.insert(EventSequence).values(feed=feed, last=count))
        db.session.execute(
            sa.insert(Event),
            [
                {
                    "msg_id": new_msg_id(),
                    "type": "webhook.test",
                    "feed": feed,
                    "seq": i + 1,
                    "ward_code": WARD,
                    "occurred_at": now,
                    "data": {"n": i, "message": "Sự kiện thử của bench"},
                    "dispatched": True,
                }
                for i in range(count)
            ],
        )
        db.session.execute(
            sa.insert(WebhookDelivery).from_select(
                [
                    "endpoint_id",
                    "event_id",
                    "status",
                    "round_attempts",
                    "next_attempt_at",
                    "created_at",
                ],
                sa.select(
                    sa.literal(endpoint_id),
                    Event.id,
                    sa.literal("pending"),
                    sa.literal(0),
                    sa.literal(now, WebhookDelivery.next_attempt_at.type),
                    sa.literal(now, WebhookDelivery.created_at.type),
                ).where(Event.feed == feed),
            )
        )
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


def remove_backlog(env: dict) -> None:
    """Delete the backlog's events and deliveries (what add_backlog wrote)."""
    import sqlalchemy as sa

    engine = sa.create_engine(env["DATABASE_URL"])
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "DELETE FROM webhook_delivery WHERE event_id IN "
                "(SELECT id FROM event WHERE feed = 'bench:backlog')"
            )
        )
        conn.execute(sa.text("DELETE FROM event WHERE feed = 'bench:backlog'"))
        conn.execute(sa.text("DELETE FROM event_sequence WHERE feed = 'bench:backlog'"))
    engine.dispose()


def delivery_figures(env: dict) -> dict:
    """Read the attempt log: how many attempts, over how long, and the deliveries' states."""
    import sqlalchemy as sa

    from app.extensions import db
    from integrations.webhooks.models import WebhookAttempt, WebhookDelivery

    app = _app(env)
    with app.app_context():
        first, last, attempts, ok = db.session.execute(
            sa.select(
                sa.func.min(WebhookAttempt.at),
                sa.func.max(WebhookAttempt.at),
                sa.func.count(),
                sa.func.count().filter(WebhookAttempt.status_code == 200),
            )
        ).one()
        states = dict(
            db.session.execute(
                sa.select(WebhookDelivery.status, sa.func.count()).group_by(WebhookDelivery.status)
            ).all()
        )
        db.session.remove()
        db.engine.dispose()
    seconds = (last - first).total_seconds() if attempts > 1 else 0.0
    return {
        "attempts": attempts,
        "attempts_200": ok,
        "seconds": round(seconds, 3),
        "per_second": round(attempts / seconds, 1) if seconds else None,
        "states": states,
    }


# --- measuring --------------------------------------------------------------------------------


def _latencies(port: int, token: str, endpoint_id: int, seconds: float, warmup: float) -> dict:
    """POST the test event again and again over one keep-alive connection; p50/p99 in ms."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    path = f"/api/v1/webhooks/{endpoint_id}/test"
    samples, failed = [], 0
    start = time.monotonic()
    while time.monotonic() - start < warmup + seconds:
        began = time.perf_counter()
        conn.request("POST", path, body=b"", headers=headers)
        response = conn.getresponse()
        response.read()
        took = (time.perf_counter() - began) * 1000
        if response.status != 202:
            failed += 1
        if time.monotonic() - start >= warmup:
            samples.append(took)
    conn.close()
    samples.sort()
    return {
        "requests": len(samples),
        "failed": failed,
        "p50_ms": round(statistics.median(samples), 2),
        "p99_ms": round(samples[min(len(samples) - 1, int(len(samples) * 0.99))], 2),
    }


def _median_round(rounds: list[dict]) -> dict:
    """Return the median of each figure over the rounds (requests and failures summed)."""
    return {
        "requests": sum(r["requests"] for r in rounds),
        "failed": sum(r["failed"] for r in rounds),
        "p50_ms": round(statistics.median(r["p50_ms"] for r in rounds), 2),
        "p99_ms": round(statistics.median(r["p99_ms"] for r in rounds), 2),
        "p99_rounds_ms": [r["p99_ms"] for r in rounds],
    }


def _start_worker(env: dict, workdir: Path, label: str) -> subprocess.Popen:
    log = (workdir / f"webhooks-worker-{label}.log").open("ab")
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "jobs", "run", "--workers", "1"],
        cwd=harness.ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _stop_worker(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        worker.send_signal(signal.SIGINT)
        try:
            worker.wait(timeout=60)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def _pending(env: dict) -> int:
    import sqlalchemy as sa

    engine = sa.create_engine(env["DATABASE_URL"])
    with engine.connect() as conn:
        found = conn.execute(
            sa.text("SELECT count(*) FROM webhook_delivery WHERE status = 'pending'")
        ).scalar_one()
    engine.dispose()
    return found


def run_backend(label: str, server_url: str | None, settings, workdir: Path) -> dict:
    """Measure one database: the three states, then the worker's throughput."""
    url, drop = harness.fresh_database(workdir, f"webhooks-{label}", server_url)
    env = _env(url, workdir, label)
    receiver = Receiver().start()
    server = harness.Server(f"webhooks-{label}", "wsgi:app", env, workdir)
    worker = None
    try:
        print(f"  {label}: migrating and seeding ...", flush=True)
        _flask(env, "db", "upgrade")
        _flask(env, "wards", "sync")
        seeded = seed(env, f"http://127.0.0.1:{receiver.port}/hooks")
        server.start()
        token, endpoint = seeded["token"], seeded["endpoint"]
        duration, warmup = settings.duration, settings.warmup
        # Every gunicorn process's first requests are slow (imports, connections): not measured.
        _latencies(server.port, token, endpoint, 0, 3 * warmup + 2)
        # The two states interleaved, round by round (the machine's load varies over a run).
        idle_rounds, backlog_rounds = [], []
        for round_no in range(settings.rounds):
            if round_no:
                remove_backlog(env)
            idle_rounds.append(_latencies(server.port, token, endpoint, duration, warmup))
            add_backlog(env, endpoint, PENDING)
            backlog_rounds.append(_latencies(server.port, token, endpoint, duration, warmup))
        idle, backlog = _median_round(idle_rounds), _median_round(backlog_rounds)
        backlog["pending_before"] = _pending(env)
        worker = _start_worker(env, workdir, label)
        draining = _latencies(server.port, token, endpoint, duration, warmup)
        deadline = time.monotonic() + 600
        while _pending(env) and time.monotonic() < deadline:
            time.sleep(0.5)
        left = _pending(env)
        _stop_worker(worker)
        figures = delivery_figures(env)
    finally:
        if worker is not None:
            _stop_worker(worker)
        server.stop()
        counts = receiver.stop()
        drop()
    ids = counts.pop("ids")
    counts["distinct"] = len(ids)
    counts["twice_or_more"] = sum(1 for n in ids.values() if n > 1)
    growth = backlog["p99_ms"] / idle["p99_ms"] if idle["p99_ms"] else None
    met = (
        figures["per_second"] is not None
        and figures["per_second"] >= RATE_TARGET
        and growth is not None
        and growth <= GROWTH_TARGET
        and left == 0
        and counts["twice_or_more"] == 0
        and figures["attempts_200"] == figures["attempts"]
    )
    return {
        "backend": label,
        "none_pending": idle,
        "pending": backlog,
        "worker_draining": draining,
        "delivery": figures,
        "left_pending": left,
        "receiver": counts,
        "p99_growth": round(growth, 2) if growth else None,
        "met": met,
    }


def format_result(result: dict) -> list[str]:
    """Return the lines printed for one database."""
    d = result["delivery"]
    lines = [
        f"{result['backend']}: {d['per_second']} deliveries/s from one worker "
        f"({d['attempts']} attempts in {d['seconds']} s, {d['attempts_200']} answered 200; "
        f"states {d['states']}; left pending {result['left_pending']}) — target ≥ {RATE_TARGET:g}",
        f"{result['backend']}: receiver got {result['receiver']['received']} requests, "
        f"{result['receiver']['distinct']} distinct webhook-ids, "
        f"{result['receiver']['twice_or_more']} received twice or more",
    ]
    for key, label in (
        ("none_pending", "none pending"),
        ("pending", f"{PENDING:,} pending"),
        ("worker_draining", "worker draining"),
    ):
        r = result[key]
        lines.append(
            f"{result['backend']}: POST /test with {label}: p50 {r['p50_ms']} ms, "
            f"p99 {r['p99_ms']} ms ({r['requests']} requests, {r['failed']} failed)"
        )
    lines.append(
        f"{result['backend']}: p99 growth {PENDING:,} pending ÷ none = {result['p99_growth']} "
        f"(target ≤ {GROWTH_TARGET}) — {'MET' if result['met'] else 'NOT MET'}"
    )
    return lines


def _write_json(results: list[dict]) -> Path:
    RESULTS_DIR.mkdir(exist_ok=True)
    path = RESULTS_DIR / f"webhooks-{datetime.now(UTC).strftime('%Y%m%dT%H%M%SZ')}.json"
    path.write_text(json.dumps({"scenario": NAME, "results": results}, indent=2))
    return path


def run_all(settings, workdir: Path) -> list[dict]:
    """Run on SQLite, then on a throwaway PostgreSQL cluster (BENCH_WEBHOOK_BACKENDS)."""
    results = harness.on_each_backend(
        BACKENDS,
        lambda name, url: run_backend(name, url, settings, workdir),
        format_result,
        "BENCH_WEBHOOK_BACKENDS",
    )
    if results:
        _write_json(results)
    return results


# --- the runner's hooks (bench/__main__.py) ---------------------------------------------------


_SCENARIO = harness.SelfContained(NAME, run_all, format_result)
prepare, check, main = _SCENARIO.prepare, _SCENARIO.check, _SCENARIO.main
SCENARIO = SimpleNamespace(NAME=NAME, TITLE=TITLE, SAME=SAME, prepare=prepare, check=check)


if __name__ == "__main__":
    sys.exit(main())
