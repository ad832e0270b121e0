"""`make reliability`: fault scenarios against the service in production shape; a table of losses.

    scripts/with-postgres.sh .venv/bin/python -m bench.reliability   # what `make reliability` runs
    .venv/bin/python -m bench.reliability                            # starts its own cluster

On a throwaway PostgreSQL cluster (TEST_DATABASE_URL from scripts/with-postgres.sh, or a
cluster of its own started like it), a fresh database gets the real migrations, the wards,
RELIABILITY_VOTERS eligible voters with bearer tokens, a ward admin, three open polls and one
webhook endpoint (seeded in process, with SQL and the services). The service runs as in
production: gunicorn with `gunicorn.conf.py` and several workers (WEB_CONCURRENCY, 4 here), the
background worker (`flask jobs run`) beside it, APP_ENV=development. Then, each printing one row
of the table:

(a) ballot load while a gunicorn worker is SIGKILLed, twice (the master starts another);
(b) ballot load while PostgreSQL restarts (`pg_ctl restart -m fast`);
(c) ballot load while a ward admin closes the poll (then 100 late voters, each to be refused);
(d) webhook test events while their receiver is down, then up again.

Each voter casts one ballot with an Idempotency-Key and, on a connection error, a 503, a 429 or
a 500, sends the SAME request with the SAME key again (after Retry-After, at most 1 s), until it
gets another answer or RELIABILITY_GIVE_UP seconds pass. Columns:

- requests: HTTP requests sent (retries included);
- acknowledged: voters answered 2xx (webhooks: test events answered 202);
- counted: ballots stored for the poll (webhooks: distinct acknowledged webhook-ids received);
- lost: acknowledged but not stored, or stored without its voter row (webhooks: never received);
- duplicated: a voter or a receipt stored more than once (webhooks: a webhook-id received twice);
- 5xx: 5xx answers; 503 (a fault answered as such, retried) is expected during (b), 500 is not.

The run fails (exit 1) on any lost, duplicated or 500 (any 5xx but 503), on a voter who gave up,
and on a scenario whose fault did not happen (no worker killed, no restart, the close refused,
a ballot accepted after the close was answered, a delivery still pending at the end). It is not
part of `make test`, and takes about two minutes.
"""

from __future__ import annotations

import contextlib
import dataclasses
import glob
import hashlib
import http.client
import json
import os
import random
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from bench import harness

ROOT = harness.ROOT
WARD = "00070"
VOTERS = int(os.environ.get("RELIABILITY_VOTERS", "1500"))
CLIENTS = int(os.environ.get("RELIABILITY_CLIENTS", "32"))
WORKERS = os.environ.get("RELIABILITY_WORKERS", "4")
GIVE_UP = float(os.environ.get("RELIABILITY_GIVE_UP", "60"))
# Voters of (c) who try only after the close was answered: each must be refused.
LATE_VOTERS = 100
WEBHOOK_EVENTS = int(os.environ.get("RELIABILITY_WEBHOOK_EVENTS", "40"))
# The longest pause between two tries of one request (Retry-After is honoured up to it).
RETRY_CAP = 1.0
AS_POSTGRES = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []


# --- the cluster ------------------------------------------------------------------------------


@dataclasses.dataclass
class Cluster:
    """The PostgreSQL cluster the run uses, and how to restart it."""

    server_url: str  # a SQLAlchemy URL with the right to create databases
    datadir: str
    pg_bin: str
    stop: Callable[[], None] = lambda: None

    def restart(self) -> tuple[int, float, str]:
        """Restart the server (`pg_ctl restart -m fast`); return exit code, seconds, output."""
        started = time.monotonic()
        done = subprocess.run(
            [
                *AS_POSTGRES,
                f"{self.pg_bin}/pg_ctl",
                "-D",
                self.datadir,
                "-m",
                "fast",
                "-w",
                "-l",
                f"{self.datadir}/server.log",
                "restart",
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        return done.returncode, time.monotonic() - started, (done.stderr or done.stdout)[-400:]


def _pg_bin() -> str:
    """The server binaries, as scripts/with-postgres.sh finds them (PG_BIN, the highest version)."""
    candidates = [os.environ.get("PG_BIN", ""), *glob.glob("/usr/lib/postgresql/*/bin")]
    found = [d for d in candidates if d and Path(d, "pg_ctl").exists()]
    if not found:
        on_path = shutil.which("pg_ctl")
        if on_path:
            return str(Path(on_path).parent)
        raise RuntimeError("PostgreSQL server binaries (pg_ctl) not found")
    return max(found, key=lambda d: [int(p) for p in Path(d).parent.name.split(".") if p.isdigit()])


def cluster() -> Cluster:
    """Use scripts/with-postgres.sh's cluster (TEST_DATABASE_URL), or start one like it."""
    import sqlalchemy as sa

    server = os.environ.get("TEST_DATABASE_URL")
    if server:
        engine = sa.create_engine(server)
        with engine.connect() as conn:
            # The cluster's superuser (initdb -U pxs) may read where its data lives.
            datadir = conn.exec_driver_sql("SHOW data_directory").scalar_one()
        engine.dispose()
        return Cluster(server, datadir, _pg_bin())
    from bench.ballots import Postgres

    postgres = Postgres()
    url = postgres.start()
    return Cluster(url, str(postgres.datadir), str(postgres.bin), postgres.stop)


def fresh_database(server: str) -> tuple[str, Callable[[], None]]:
    """Create an empty database on the cluster; return its URL and the function that drops it.

    No pooled admin connection: the restart of scenario (b) would have cut it before the drop.
    """
    import sqlalchemy as sa

    name = f"pxs_reliability_{uuid.uuid4().hex[:8]}"

    def admin(sql: str) -> None:
        engine = sa.create_engine(server, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
        with engine.connect() as conn:
            conn.exec_driver_sql(sql)
        engine.dispose()

    admin(f'CREATE DATABASE "{name}"')
    url = sa.engine.make_url(server).set(database=name).render_as_string(False)
    return url, lambda: admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- seeding ----------------------------------------------------------------------------------


def _flask(env: dict, *args: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        output = "\n".join((done.stdout + done.stderr).strip().splitlines()[-12:])
        raise RuntimeError(f"flask {' '.join(args)} failed:\n{output}")


def seed(env: dict, receiver_url: str, polls: int) -> dict:
    """Migrate; add the voters (following the ward), a ward admin, open polls and an endpoint."""
    _flask(env, "db", "upgrade")
    _flask(env, "wards", "sync")
    import sqlalchemy as sa

    from app import create_app
    from app.extensions import db
    from app.identity.models import ApiToken, RoleGrant, User
    from community.groups.models import WardFollow
    from community.polls import service as polls_service
    from integrations.webhooks import service as webhooks

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": env["DATABASE_URL"],
            "SECRET_KEY": env["SECRET_KEY"],
            "INSTANCE_PATH": env["INSTANCE_PATH"],
        }
    )
    now = datetime.now(UTC)
    expires = datetime(2100, 1, 1, tzinfo=UTC)
    subs = ["reliability-admin", *(f"reliability-{i}" for i in range(VOTERS))]
    with app.app_context():
        db.session.execute(
            sa.insert(User),
            [{"issuer": "reliability", "sub": sub, "name": sub, "vneid_level": 2} for sub in subs],
        )
        ids = dict(
            db.session.execute(
                sa.select(User.sub, User.id).where(User.issuer == "reliability")
            ).all()
        )
        admin_id = ids[subs[0]]
        voter_ids = [ids[sub] for sub in subs[1:]]
        db.session.execute(
            sa.insert(RoleGrant).values(
                user_id=admin_id,
                role="ward_admin",
                ward_code=WARD,
                community_id=None,
                scope=f"ward:{WARD}",
                granted_at=now,
            )
        )
        tokens = {uid: "pxs_" + secrets.token_urlsafe(24) for uid in [admin_id, *voter_ids]}
        db.session.execute(
            sa.insert(ApiToken),
            [
                {
                    "user_id": uid,
                    "token_hash": hashlib.sha256(raw.encode()).hexdigest(),
                    "created_at": now,
                    "expires_at": expires,
                }
                for uid, raw in tokens.items()
            ],
        )
        db.session.execute(
            sa.insert(WardFollow),
            [{"user_id": uid, "ward_code": WARD, "created_at": now} for uid in voter_ids],
        )
        admin = db.session.get(User, admin_id)
        made = []
        for number in range(1, polls + 1):
            poll = polls_service.create(
                user=admin,
                ward_code=WARD,
                community_id=None,
                kind="vote",
                title=f"Biểu quyết {number} (kiểm thử độ bền)",
                questions=[{"text": "Đồng ý?", "options": ["Đồng ý", "Không đồng ý"]}],
            )
            polls_service.open_now(poll, actor=admin)
            question = poll.questions[0]
            made.append(
                {
                    "id": poll.id,
                    "question": question.id,
                    "options": [o.id for o in question.options],
                }
            )
        endpoint, _secret = webhooks.create_endpoint(
            url=receiver_url,
            events=sorted(webhooks.subscribable_types())[:1],
            ward_code=WARD,
            description="reliability",
            created_by=admin,
        )
        db.session.commit()
        plan = {
            "polls": made,
            "admin": tokens[admin_id],
            # A non-secret poll records its voters as u:<user id>.
            "voters": [(tokens[uid], f"u:{uid}") for uid in voter_ids],
            "endpoint": endpoint.id,
        }
        db.session.remove()
        db.engine.dispose()
    return plan


# --- the service --------------------------------------------------------------------------------


class Service:
    """gunicorn (several workers) and the background worker, as scripts/serve.sh runs them."""

    def __init__(self, env: dict, workdir: Path) -> None:
        self.env = env
        self.workdir = workdir
        self.web = harness.Server("reliability-web", "wsgi:app", env, workdir)
        self.worker: subprocess.Popen | None = None

    def start(self) -> None:
        """Start the worker, then gunicorn (it returns once /healthz answers)."""
        log = (self.workdir / "reliability-worker.log").open("ab")
        self.worker = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "wsgi", "jobs", "run"],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.web.start()

    def workers(self) -> list[int]:
        """The pids of gunicorn's worker processes (the master's children)."""
        pid = self.web.process.pid
        with contextlib.suppress(OSError):
            return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
        return []

    def stop(self) -> None:
        """Stop gunicorn and the worker."""
        self.web.stop()
        if self.worker and self.worker.poll() is None:
            self.worker.send_signal(2)  # SIGINT: the worker's own way to stop
            try:
                self.worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.worker.kill()
                self.worker.wait()


# --- ballots under load ---------------------------------------------------------------------


@dataclasses.dataclass
class Tally:
    """What the clients saw: requests, answers by status, each voter's final answer."""

    requests: int = 0
    statuses: Counter = dataclasses.field(default_factory=Counter)
    errors: Counter = dataclasses.field(default_factory=Counter)
    acked: dict = dataclasses.field(default_factory=dict)  # voter key -> (receipt, sent at)
    refused: dict = dataclasses.field(default_factory=dict)  # voter key -> (code, sent at)
    gave_up: list = dataclasses.field(default_factory=list)
    lock: threading.Lock = dataclasses.field(default_factory=threading.Lock)

    @property
    def server_errors(self) -> int:
        """5xx answers."""
        return sum(n for status, n in self.statuses.items() if status >= 500)

    @property
    def failures_5xx(self) -> int:
        """5xx answers other than 503 (a fault must be answered 503, never 500)."""
        return sum(n for status, n in self.statuses.items() if status >= 500 and status != 503)


def _error_code(data: bytes) -> str:
    try:
        return json.loads(data)["error"]["code"]
    except (ValueError, KeyError, TypeError):
        return "?"


def _retry_after(response: http.client.HTTPResponse) -> float:
    try:
        return min(RETRY_CAP, max(0.05, float(response.getheader("Retry-After") or 0.2)))
    except ValueError:
        return 0.2


def _cast(port: int, conn_box: list, poll: dict, voter: tuple, tally: Tally) -> None:
    """Cast one voter's ballot, retrying with the same key until a final answer or GIVE_UP."""
    token, voter_key = voter
    option = poll["options"][hash(voter_key) % 2]
    body = json.dumps({"answers": [{"question": poll["question"], "options": [option]}]})
    headers = {
        "Authorization": f"Bearer {token}",
        "Content-Type": "application/json",
        "Idempotency-Key": str(uuid.uuid4()),
    }
    path = f"/api/v1/polls/{poll['id']}/ballots"
    deadline = time.monotonic() + GIVE_UP
    while True:
        sent = time.monotonic()
        try:
            conn_box[0].request("POST", path, body=body, headers=headers)
            response = conn_box[0].getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException) as error:
            with tally.lock:
                tally.requests += 1
                tally.errors[type(error).__name__] += 1
            conn_box[0].close()
            conn_box[0] = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            wait = 0.1
        else:
            status = response.status
            with tally.lock:
                tally.requests += 1
                tally.statuses[status] += 1
            if 200 <= status < 300:
                with tally.lock:
                    tally.acked[voter_key] = (json.loads(data)["receipt_hash"], sent)
                return
            if status not in (429, 503) and status < 500:
                with tally.lock:
                    tally.refused[voter_key] = (_error_code(data), sent)
                return
            wait = _retry_after(response)
        if time.monotonic() + wait > deadline:
            with tally.lock:
                tally.gave_up.append(voter_key)
            return
        time.sleep(wait)


def ballot_load(port: int, poll: dict, voters: list, fault: Callable[[Tally], dict]) -> tuple:
    """Let CLIENTS threads cast every voter's ballot while `fault(tally)` runs beside them."""
    tally = Tally()
    pending = list(voters)
    random.shuffle(pending)
    take = threading.Lock()

    def client():
        conn_box = [http.client.HTTPConnection("127.0.0.1", port, timeout=60)]
        while True:
            with take:
                if not pending:
                    break
                voter = pending.pop()
            _cast(port, conn_box, poll, voter, tally)
        conn_box[0].close()

    threads = [threading.Thread(target=client, daemon=True) for _ in range(CLIENTS)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    happened = fault(tally)
    for thread in threads:
        thread.join()
    happened["seconds"] = round(time.monotonic() - started, 1)
    return tally, happened


def _wait_for_acks(tally: Tally, count: int, timeout: float = 60) -> None:
    """Wait until `count` voters were acknowledged (the fault then strikes mid-load)."""
    deadline = time.monotonic() + timeout
    while len(tally.acked) < count and time.monotonic() < deadline:
        time.sleep(0.02)


def stored(url: str, poll_id: int) -> dict:
    """Read what the database holds for a poll: voter rows and receipts (with counts), status."""
    import sqlalchemy as sa

    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        voters = dict(
            conn.execute(
                sa.text(
                    "SELECT voter_key, count(*) FROM poll_voter WHERE poll_id = :p "
                    "GROUP BY voter_key"
                ),
                {"p": poll_id},
            ).all()
        )
        receipts = dict(
            conn.execute(
                sa.text(
                    "SELECT receipt_hash, count(*) FROM poll_ballot WHERE poll_id = :p "
                    "GROUP BY receipt_hash"
                ),
                {"p": poll_id},
            ).all()
        )
        status = conn.execute(
            sa.text("SELECT status FROM poll WHERE id = :p"), {"p": poll_id}
        ).scalar_one()
    engine.dispose()
    return {"voters": voters, "receipts": receipts, "status": status}


@dataclasses.dataclass
class Row:
    """One scenario's line of the table, with its notes and verdict."""

    name: str
    requests: int
    acknowledged: int
    counted: int
    lost: int
    duplicated: int
    server_errors: int
    failures_5xx: int
    notes: list[str]
    problems: list[str]

    @property
    def ok(self) -> bool:
        """No loss, no duplicate, no 500, nothing else wrong."""
        return not (self.lost or self.duplicated or self.failures_5xx or self.problems)


def ballot_row(name: str, tally: Tally, found: dict, happened: dict) -> Row:
    """Compare the clients' acknowledgements with the rows stored."""
    voters, receipts = found["voters"], found["receipts"]
    lost = sum(
        1
        for voter_key, (receipt, _sent) in tally.acked.items()
        if voter_key not in voters or receipt not in receipts
    )
    duplicated = sum(n - 1 for n in voters.values()) + sum(n - 1 for n in receipts.values())
    acked_receipts = {receipt for receipt, _sent in tally.acked.values()}
    extra = len(set(receipts) - acked_receipts)
    problems = []
    if tally.gave_up:
        problems.append(f"{len(tally.gave_up)} voter(s) gave up after {GIVE_UP:.0f} s")
    if extra:
        problems.append(f"{extra} ballot(s) stored that no answer acknowledged")
    refusals = Counter(code for code, _sent in tally.refused.values())
    notes = [
        f"{happened.get('what', '')} ({happened['seconds']} s)",
        "answers: "
        + ", ".join(f"{status} × {n}" for status, n in sorted(tally.statuses.items()))
        + (
            "; connection errors: " + ", ".join(f"{k} × {n}" for k, n in tally.errors.items())
            if tally.errors
            else ""
        ),
    ]
    if refusals:
        notes.append("refused: " + ", ".join(f"{k} × {n}" for k, n in refusals.items()))
    problems += happened.get("problems", [])
    return Row(
        name,
        tally.requests,
        len(tally.acked),
        sum(receipts.values()),
        lost,
        duplicated,
        tally.server_errors,
        tally.failures_5xx,
        notes,
        problems,
    )


# --- the scenarios ----------------------------------------------------------------------------


def _sockets(pid: int) -> int:
    """Count the sockets a process holds open (0 if it is gone)."""
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return 0
    count = 0
    for fd in fds:
        with contextlib.suppress(OSError):
            count += os.readlink(f"/proc/{pid}/fd/{fd}").startswith("socket:")
    return count


def kill_a_worker(service: Service) -> Callable[[Tally], dict]:
    """SIGKILL the busiest gunicorn worker at a third of the load, and again at two thirds."""

    def fault(tally: Tally) -> dict:
        killed, problems = [], []
        for share in (3, 1.5):
            _wait_for_acks(tally, int(VOTERS / share))
            workers = service.workers()
            if not workers:
                problems.append("no gunicorn worker found to kill")
                break
            # The busiest one (most client and database sockets open): its requests in flight die.
            victim = max(workers, key=_sockets)
            os.kill(victim, 9)
            killed.append(victim)
        time.sleep(0.5)
        if len(service.workers()) < int(WORKERS):
            problems.append("gunicorn did not replace the killed worker")
        return {
            "what": f"SIGKILLed gunicorn workers {', '.join(map(str, killed))}",
            "problems": problems,
        }

    return fault


def restart_postgres(pg: Cluster) -> Callable[[Tally], dict]:
    """Restart PostgreSQL (fast shutdown: open sessions are cut) at a third of the load."""

    def fault(tally: Tally) -> dict:
        _wait_for_acks(tally, VOTERS // 3)
        code, seconds, output = pg.restart()
        problems = [] if code == 0 else [f"pg_ctl restart failed ({code}): {output}"]
        return {"what": f"pg_ctl restart -m fast took {seconds:.1f} s", "problems": problems}

    return fault


def close_the_poll(
    port: int, poll: dict, admin_token: str, late_voters: list
) -> Callable[[Tally], dict]:
    """Close the poll as the ward admin at 40 % of the load; then `late_voters` try to vote.

    The late voters start only once the close was answered, whatever the other clients are
    doing, so that every run sends ballots that must be refused (a close that waits for the
    load to end would otherwise leave none).
    """

    def fault(tally: Tally) -> dict:
        _wait_for_acks(tally, int((VOTERS - len(late_voters)) * 0.4))
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        sent = time.monotonic()
        conn.request(
            "POST",
            f"/api/v1/polls/{poll['id']}/close",
            body=json.dumps({"reason": "Đóng khi đang bỏ phiếu (kiểm thử độ bền)"}),
            headers={"Authorization": f"Bearer {admin_token}", "Content-Type": "application/json"},
        )
        response = conn.getresponse()
        data = response.read()
        answered = time.monotonic()
        conn.close()
        problems = [] if response.status == 200 else [f"close answered {response.status} {data!r}"]
        late = [http.client.HTTPConnection("127.0.0.1", port, timeout=60)]
        for voter in late_voters:
            _cast(port, late, poll, voter, tally)
        late[0].close()
        return {
            "what": f"poll closed by the ward admin → {response.status} in "
            f"{(answered - sent) * 1000:.0f} ms",
            "problems": problems,
            "close": (sent, answered),
        }

    return fault


def close_checks(tally: Tally, happened: dict, found: dict) -> tuple[list[str], list[str]]:
    """Ballots sent after the close was answered must all be refused; the poll must be closed."""
    sent, answered = happened.get("close", (0.0, 0.0))
    after = sum(1 for _r, at in tally.acked.values() if at >= answered)
    refused_after = sum(1 for code, at in tally.refused.values() if at >= answered)
    notes = [
        f"201 sent before the close {sum(1 for _r, at in tally.acked.values() if at < sent)}, "
        f"while it ran {sum(1 for _r, at in tally.acked.values() if sent <= at < answered)}, "
        f"after it {after}; refused after it {refused_after} (not lost)"
    ]
    problems = []
    if after:
        problems.append(f"{after} ballot(s) accepted after the close was answered")
    if not refused_after:
        problems.append("no ballot was sent after the close was answered")
    if found["status"] != "closed":
        problems.append(f"poll is {found['status']} after the close")
    return notes, problems


class Receiver:
    """A webhook receiver on a fixed loopback port, counting each webhook-id; down until up()."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.seen: Counter = Counter()
        self.server: ThreadingHTTPServer | None = None

    def up(self) -> None:
        """Start answering 200 on the port."""
        seen, lock = self.seen, threading.Lock()

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with lock:
                    seen[self.headers.get("webhook-id", "")] += 1
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        ThreadingHTTPServer.allow_reuse_address = True
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def down(self) -> None:
        """Stop answering."""
        if self.server:
            self.server.shutdown()
            self.server.server_close()


def _deliveries(url: str, endpoint_id: int) -> dict:
    """Count the endpoint's deliveries by status, and the attempts made."""
    import sqlalchemy as sa

    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        states = dict(
            conn.execute(
                sa.text(
                    "SELECT status, count(*) FROM webhook_delivery WHERE endpoint_id = :e "
                    "GROUP BY status"
                ),
                {"e": endpoint_id},
            ).all()
        )
        failed_attempts = conn.execute(
            sa.text(
                "SELECT count(DISTINCT a.delivery_id) FROM webhook_attempt a JOIN "
                "webhook_delivery d ON d.id = a.delivery_id WHERE d.endpoint_id = :e"
            ),
            {"e": endpoint_id},
        ).scalar_one()
    engine.dispose()
    return {"states": states, "tried": failed_attempts}


def webhooks_scenario(port: int, url: str, plan: dict, receiver: Receiver) -> Row:
    """Send test events while the receiver is down; bring it up; each must arrive once."""
    endpoint = plan["endpoint"]
    tally = Tally()
    acked: list[str] = []
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Authorization": f"Bearer {plan['admin']}", "Content-Type": "application/json"}
    started = time.monotonic()
    for _ in range(WEBHOOK_EVENTS):
        key = {"Idempotency-Key": str(uuid.uuid4())}
        for _attempt in range(20):
            try:
                conn.request(
                    "POST",
                    f"/api/v1/webhooks/{endpoint}/test",
                    body=b"",
                    headers={**headers, **key},
                )
                response = conn.getresponse()
                data = response.read()
            except (OSError, http.client.HTTPException) as error:
                tally.requests += 1
                tally.errors[type(error).__name__] += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                time.sleep(0.2)
                continue
            tally.requests += 1
            tally.statuses[response.status] += 1
            if 200 <= response.status < 300:
                acked.append(json.loads(data)["event_id"])
            if response.status not in (429, 503) and response.status < 500:
                break
            time.sleep(_retry_after(response))
    conn.close()
    problems: list[str] = []
    # Down: wait until the worker has tried (and failed) every delivery once.
    deadline = time.monotonic() + 30
    while _deliveries(url, endpoint)["tried"] < len(acked) and time.monotonic() < deadline:
        time.sleep(0.3)
    tried_while_down = _deliveries(url, endpoint)["tried"]
    down_for = time.monotonic() - started
    receiver.up()
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        states = _deliveries(url, endpoint)["states"]
        if not states.get("pending"):
            break
        time.sleep(0.5)
    time.sleep(2)  # anything sent twice would arrive by now
    receiver.down()
    states = _deliveries(url, endpoint)["states"]
    seen = receiver.seen
    lost = sum(1 for msg_id in acked if msg_id not in seen)
    duplicated = sum(n - 1 for n in seen.values() if n > 1)
    if states.get("pending") or states.get("failed"):
        problems.append(f"deliveries not delivered at the end: {states}")
    if tried_while_down < len(acked):
        problems.append(f"only {tried_while_down} of {len(acked)} deliveries tried while down")
    notes = [
        f"receiver down {down_for:.1f} s ({tried_while_down} deliveries failed once), then up; "
        f"deliveries {states}",
        "answers: " + ", ".join(f"{s} × {n}" for s, n in sorted(tally.statuses.items())),
    ]
    return Row(
        "(d) webhook receiver down, then up",
        tally.requests,
        len(acked),
        sum(1 for msg_id in set(acked) if msg_id in seen),
        lost,
        duplicated,
        tally.server_errors,
        tally.failures_5xx,
        notes,
        problems,
    )


# --- the run ----------------------------------------------------------------------------------


HEADER = ("scenario", "requests", "acknowledged", "counted", "lost", "duplicated", "5xx")


def _line(cells) -> str:
    """Lay out one line of the table: the scenario left-aligned, the figures right-aligned."""
    widths = [38, 9, 13, 8, 5, 11, 14]
    return "  ".join(
        str(c).ljust(w) if i == 0 else str(c).rjust(w)
        for i, (c, w) in enumerate(zip(cells, widths, strict=True))
    )


def print_table(rows: list[Row]) -> None:
    """Print the table, then each scenario's notes and problems."""
    header = _line(HEADER)
    print(header)
    print("-" * len(header))
    for row in rows:
        # 503 is a fault answered as one (retried by the clients); anything else is a failure.
        fivexx = str(row.server_errors)
        if row.failures_5xx:
            fivexx += f" ({row.failures_5xx} not 503)"
        elif row.server_errors:
            fivexx += " (all 503)"
        cells = [row.name, row.requests, row.acknowledged, row.counted, row.lost, row.duplicated]
        print(_line([*cells, fivexx]) + ("" if row.ok else "   FAILED"))
    print()
    for row in rows:
        print(f"{row.name}:")
        for note in row.notes:
            print(f"    {note}")
        for problem in row.problems:
            print(f"    PROBLEM: {problem}")


def main() -> int:
    """Run the four scenarios; print the table; exit 1 when anything was lost or went wrong."""
    # The seeding runs the app in this process too: never with production's checks.
    os.environ["APP_ENV"] = "development"
    workdir = Path(tempfile.mkdtemp(prefix="pxs-reliability."))
    began = time.monotonic()
    pg = cluster()
    url, drop = fresh_database(pg.server_url)
    env = dict(
        os.environ,
        APP_ENV="development",
        DATABASE_URL=url,
        INSTANCE_PATH=str(workdir / "instance"),
        SECRET_KEY=f"reliability-{secrets.token_urlsafe(24)}",
        FLASK_APP="wsgi",
        PYTHONDONTWRITEBYTECODE="1",
        WEB_CONCURRENCY=WORKERS,
    )
    receiver = Receiver(harness.free_port())
    service = Service(env, workdir)
    rows: list[Row] = []
    ok = False
    try:
        print(f"seeding {VOTERS} voters on PostgreSQL ({workdir})", flush=True)
        plan = seed(env, f"http://127.0.0.1:{receiver.port}/hook", polls=3)
        service.start()
        port = service.web.port
        print(
            f"service: gunicorn ({WORKERS} workers) on 127.0.0.1:{port} and `flask jobs run`; "
            f"{CLIENTS} clients",
            flush=True,
        )
        poll_a, poll_b, poll_c = plan["polls"]
        voters = plan["voters"]

        tally, happened = ballot_load(port, poll_a, voters, kill_a_worker(service))
        rows.append(
            ballot_row("(a) SIGKILL a gunicorn worker", tally, stored(url, poll_a["id"]), happened)
        )
        print(f"  (a) done in {happened['seconds']} s", flush=True)

        tally, happened = ballot_load(port, poll_b, voters, restart_postgres(pg))
        rows.append(
            ballot_row("(b) restart PostgreSQL", tally, stored(url, poll_b["id"]), happened)
        )
        print(f"  (b) done in {happened['seconds']} s", flush=True)

        late = voters[-LATE_VOTERS:]
        tally, happened = ballot_load(
            port,
            poll_c,
            voters[:-LATE_VOTERS],
            close_the_poll(port, poll_c, plan["admin"], late),
        )
        found = stored(url, poll_c["id"])
        row = ballot_row("(c) close the poll under load", tally, found, happened)
        notes, problems = close_checks(tally, happened, found)
        row.notes += notes
        row.problems += problems
        rows.append(row)
        print(f"  (c) done in {happened['seconds']} s", flush=True)

        if service.worker.poll() is not None:
            rows.append(
                Row(
                    "(d) webhook receiver down, then up",
                    0,
                    0,
                    0,
                    0,
                    0,
                    0,
                    0,
                    [],
                    [f"the background worker exited ({service.worker.returncode})"],
                )
            )
        else:
            rows.append(webhooks_scenario(port, url, plan, receiver))
            print("  (d) done", flush=True)
        ok = all(row.ok for row in rows)
    finally:
        service.stop()
        receiver.down()
        print()
        print_table(rows)
        try:
            drop()
        finally:
            pg.stop()
        if ok:
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            print(f"\nlogs kept in {workdir}")
    print(
        f"\n{'PASSED' if ok else 'FAILED'}: 0 lost, 0 duplicated and no 500 required "
        f"({time.monotonic() - began:.0f} s)"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
