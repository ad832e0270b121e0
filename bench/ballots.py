"""Ballots benchmark (issues 6 and 12): accepted ballots per second, and none lost at a close.

    .venv/bin/python -m bench ballots      # with the other scenarios' runner
    .venv/bin/python -m bench.ballots      # on its own

For SQLite and for PostgreSQL (a throwaway cluster started like scripts/with-postgres.sh; skipped
with a message when the server binaries are missing), a fresh database gets the real migrations,
the wards, open ward-wide polls, thousands of eligible voters with bearer tokens, a ward admin
and a city admin (seeded with SQL). The real service (`wsgi:app`) and a bare Flask baseline (no
ORM, no auth, no hooks: one `INSERT … ON CONFLICT DO NOTHING` of the same row per request,
through a pool of psycopg or sqlite3 connections) run under the same gunicorn settings; load comes
from 64 concurrent clients (threads over two processes), one ballot per voter. Modes
(`BENCH_BALLOT_MODES`, all by default):

- `keys`: every ballot carries its own `Idempotency-Key` (a UUID), as a careful client sends it;
- `nokeys`: the same ballots without the header;
- `close`: while the clients cast (half of them with a key), a ward admin or a city admin closes
  the poll (`POST /api/v1/polls/{id}/close`); every ballot sent after the close was answered must
  be refused 409.

`keys` and `nokeys` each vote in their own poll; their rounds are interleaved with the baseline's
(baseline, keys, nokeys, …), medians kept, and each is reported as a ratio service/baseline.
`close` runs after them, one fresh poll per round, closed by the two admins in turn. After every
run, each 201's `receipt_hash` must be a stored ballot of that poll, stored once, with one voter
row per 201 and nothing stored that was not acknowledged: lost = duplicated = extra = 0.
Target (issue 12): service ≥ 0.5 × baseline on PostgreSQL, with keys and without.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import http.client
import json
import multiprocessing
import os
import queue
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from bench import harness

NAME = "ballots"
TITLE = (
    "POST /api/v1/polls/{id}/ballots with and without Idempotency-Key, 64 clients, against a "
    "bare pooled INSERT … ON CONFLICT DO NOTHING; a poll closed mid-load (issues 6, 12)"
)
SAME = "one stored row per accepted ballot, checked after the run"
GOAL = 0.5  # on PostgreSQL, with keys and without
CLIENTS = int(os.environ.get("BENCH_BALLOT_CLIENTS", "64"))
VOTERS = int(os.environ.get("BENCH_BALLOT_VOTERS", "60000"))
# Which databases to run on, and what to run on each (comma-separated): all by default.
BACKENDS = os.environ.get("BENCH_BALLOT_BACKENDS", "sqlite,postgresql").split(",")
KNOWN_MODES = ("keys", "nokeys", "close")
MODES = [m.strip() for m in os.environ.get("BENCH_BALLOT_MODES", ",".join(KNOWN_MODES)).split(",")]
# When, as a fraction of a close round, the admin closes the poll.
CLOSE_AT = float(os.environ.get("BENCH_BALLOT_CLOSE_AT", "0.5"))
ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = Path(__file__).resolve().parent / "results"
WARD = "00070"
MODE_LABELS = {"keys": "each with its own Idempotency-Key", "nokeys": "without Idempotency-Key"}


# --- the baseline: a bare Flask app ------------------------------------------------------------


class _Pool:
    """The least a connection pool is: idle connections on a stack, one checked out per request.

    (psycopg_pool is not a dependency of the project.) It never holds more connections than
    the worker has threads, which is also the most the service's pool uses at once.
    """

    def __init__(self, connect) -> None:
        self._connect = connect
        self._idle: queue.LifoQueue = queue.LifoQueue()

    @contextlib.contextmanager
    def connection(self):
        try:
            conn = self._idle.get_nowait()
        except queue.Empty:
            conn = self._connect()
        try:
            yield conn
        finally:
            self._idle.put(conn)


def baseline_app():
    """Return the bare Flask app: POST /ballots inserts one row, like a ballot, and nothing else."""
    from flask import Flask, jsonify, request

    app = Flask(__name__)
    target = os.environ["BALLOT_BASELINE_DB"]
    sql = (
        "INSERT INTO bench_ballot (poll_id, voter_key, answers) VALUES ({p}, {p}, {p}) "
        "ON CONFLICT DO NOTHING"
    )
    if target.startswith("postgresql"):
        import psycopg

        sql = sql.format(p="%s")

        def connect():
            return psycopg.connect(target, autocommit=True)

    else:
        import sqlite3

        sql = sql.format(p="?")

        def connect():
            conn = sqlite3.connect(
                target, isolation_level=None, timeout=30, check_same_thread=False
            )
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            return conn

    pool = _Pool(connect)

    @app.post("/ballots")
    def ballot():
        body = request.get_json()
        answers = json.dumps(body["answers"], separators=(",", ":"), sort_keys=True)
        with pool.connection() as conn:
            cur = conn.execute(sql, (body["poll"], f"u:{body['voter']}", answers))
        if cur.rowcount == 1:
            # The same shape of answer as the service's (the clients read receipt_hash alike).
            receipt = secrets.token_hex(10)
            return jsonify(
                receipt=receipt,
                receipt_hash=hashlib.sha256(receipt.encode()).hexdigest(),
                poll_id=body["poll"],
            ), 201
        return jsonify(error="already voted"), 409

    @app.get("/healthz")
    def healthz():
        return jsonify(status="ok")

    return app


# --- databases ---------------------------------------------------------------------------------


class Postgres:
    """A throwaway PostgreSQL cluster on a free loopback port (as scripts/with-postgres.sh)."""

    def __init__(self) -> None:
        self.bin = next(
            (
                d
                for d in sorted(Path("/usr/lib/postgresql").glob("*/bin"))
                if (d / "initdb").exists()
            ),
            None,
        )
        self.datadir: Path | None = None
        self.url = ""

    def start(self) -> str:
        """Start the cluster; return a SQLAlchemy URL of a fresh database on it."""
        if self.bin is None:
            raise RuntimeError("PostgreSQL server binaries not found (apt-get install postgresql)")
        self.datadir = Path(tempfile.mkdtemp(prefix="pxs-bench-pg."))
        as_pg = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if as_pg:
            shutil.chown(self.datadir, "postgres")
        port = _free_port()
        subprocess.run(
            [
                *as_pg,
                str(self.bin / "initdb"),
                "-D",
                str(self.datadir),
                "-U",
                "pxs",
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ],
            check=True,
            capture_output=True,
        )
        subprocess.run(
            [
                *as_pg,
                str(self.bin / "pg_ctl"),
                "-D",
                str(self.datadir),
                "-w",
                "-l",
                str(self.datadir / "server.log"),
                "-o",
                f"-h 127.0.0.1 -p {port} -k {self.datadir} -c max_connections=300",
                "start",
            ],
            check=True,
            capture_output=True,
        )
        self.url = f"postgresql+psycopg://pxs@127.0.0.1:{port}/postgres"
        return self.url

    def stop(self) -> None:
        """Stop and delete the cluster."""
        if self.datadir is None:
            return
        as_pg = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run(
            [*as_pg, str(self.bin / "pg_ctl"), "-D", str(self.datadir), "-m", "immediate", "stop"],
            check=False,
            capture_output=True,
        )
        shutil.rmtree(self.datadir, ignore_errors=True)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _seed(env: dict, url: str, polls: list[str]) -> dict:
    """Migrate, add wards, VOTERS eligible voters, two admins and one open poll per entry.

    `polls` gives each poll's kind ("vote": ballots linked to their voter key; "election":
    secret). Every voter follows the ward, so every poll's eligibility snapshot holds them all.
    """
    for args in (["db", "upgrade"], ["wards", "sync"]):
        subprocess.run(
            [sys.executable, "-m", "flask", "--app", "wsgi", *args],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
    import sqlalchemy as sa

    from app import create_app
    from app.extensions import db
    from app.identity.models import ApiToken, RoleGrant, User
    from community.groups.models import WardFollow
    from community.polls import service

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": env["SECRET_KEY"],
            "INSTANCE_PATH": env["INSTANCE_PATH"],
        }
    )
    now = datetime.now(UTC)
    expires = datetime(2100, 1, 1, tzinfo=UTC)
    with app.app_context():
        admins = ["bench-ward-admin", "bench-city-admin"]
        db.session.execute(
            sa.insert(User),
            [
                {
                    "issuer": "bench",
                    "sub": sub,
                    "name": sub,
                    "vneid_level": 2,
                    "session_version": 1,
                    "created_at": now,
                    "updated_at": now,
                }
                for sub in [*admins, *(f"bench-{i}" for i in range(1, VOTERS + 1))]
            ],
        )
        ids = dict(
            db.session.execute(sa.select(User.sub, User.id).where(User.issuer == "bench")).all()
        )
        ward_admin_id, city_admin_id = ids.pop(admins[0]), ids.pop(admins[1])
        voter_ids = [ids[f"bench-{i}"] for i in range(1, VOTERS + 1)]
        # Those who may close the polls: a ward admin of the polls' ward, and a city admin.
        db.session.execute(
            sa.insert(RoleGrant),
            [
                {
                    "user_id": ward_admin_id,
                    "role": "ward_admin",
                    "ward_code": WARD,
                    "community_id": None,
                    "scope": f"ward:{WARD}",
                    "granted_at": now,
                },
                {
                    "user_id": city_admin_id,
                    "role": "city_admin",
                    "ward_code": None,
                    "community_id": None,
                    "scope": "city",
                    "granted_at": now,
                },
            ],
        )
        tokens, rows = [], []
        for uid in [ward_admin_id, city_admin_id, *voter_ids]:
            raw = "pxs_" + secrets.token_urlsafe(24)
            tokens.append(raw)
            rows.append(
                {
                    "user_id": uid,
                    "token_hash": hashlib.sha256(raw.encode()).hexdigest(),
                    "created_at": now,
                    "expires_at": expires,
                }
            )
        db.session.execute(sa.insert(ApiToken), rows)
        db.session.execute(
            sa.insert(WardFollow),
            [{"user_id": uid, "ward_code": WARD, "created_at": now} for uid in voter_ids],
        )
        creator = db.session.get(User, ward_admin_id)
        made = []
        for number, kind in enumerate(polls, start=1):
            poll = service.create(
                user=creator,
                ward_code=WARD,
                community_id=None,
                kind=kind,
                title=f"Biểu quyết {number} (benchmark)",
                questions=[{"text": "Đồng ý?", "options": ["Đồng ý", "Không đồng ý"]}],
            )
            service.open_now(poll, actor=creator)
            question = poll.questions[0]
            made.append(
                {
                    "poll": poll.id,
                    "kind": kind,
                    "secret": poll.secret,
                    "question": question.id,
                    "options": [o.id for o in question.options],
                }
            )
        db.session.execute(
            sa.text(
                "CREATE TABLE bench_ballot (poll_id integer NOT NULL, "
                "voter_key varchar(64) NOT NULL, answers text NOT NULL, "
                "PRIMARY KEY (poll_id, voter_key))"
            )
        )
        db.session.commit()
        db.engine.dispose()
    return {
        "polls": made,
        "tokens": tokens[2:],
        "admins": {"ward admin": tokens[0], "city admin": tokens[1]},
    }


def _stored_ballots(url: str, poll_id: int) -> dict:
    """Read what the service stored for a poll: ballots, voters, its state."""
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    with engine.connect() as conn:

        def column(sql):
            return [r[0] for r in conn.execute(sa.text(sql), {"p": poll_id})]

        stored = {
            "receipts": column("SELECT receipt_hash FROM poll_ballot WHERE poll_id = :p"),
            "voters": column("SELECT voter_key FROM poll_voter WHERE poll_id = :p"),
            "status": column("SELECT status FROM poll WHERE id = :p")[0],
        }
    engine.dispose()
    return stored


def _key_records(url: str) -> int:
    """Count the service's Idempotency-Key records (all polls': a run's are the difference)."""
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    with engine.connect() as conn:
        count = conn.execute(sa.text("SELECT count(*) FROM idempotency_record")).scalar_one()
    engine.dispose()
    return count


def _stored_baseline(url: str) -> list[str]:
    """Read the baseline's rows (their voter keys)."""
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    with engine.connect() as conn:
        keys = [r[0] for r in conn.execute(sa.text("SELECT voter_key FROM bench_ballot"))]
    engine.dispose()
    return keys


def _voter_keys(url: str) -> dict[str, str]:
    """Map each bearer token's hash to the voter key it votes under (u:<user id>)."""
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT token_hash, user_id FROM api_token")).all()
    engine.dispose()
    return {h: f"u:{uid}" for h, uid in rows}


def _check_poll(stored: dict, accepted: list, voter_key_of: dict, *, keyed: int | None) -> dict:
    """Compare a poll's 201s (token, receipt_hash, sent at) with what it stored.

    lost: a 201's receipt with no stored ballot (or a 201's voter with no voter row);
    duplicated: a receipt or voter stored twice, or one voter acknowledged twice;
    extra: a stored ballot or voter row no 201 acknowledged.
    `keyed`: how many of the 201s carried an Idempotency-Key (each must have left one record).
    """
    receipts = [a[1] for a in accepted]
    voters = [voter_key_of[hashlib.sha256(a[0].encode()).hexdigest()] for a in accepted]
    stored_receipts, stored_voters = stored["receipts"], stored["voters"]
    found = {
        "acknowledged": len(accepted),
        "ballots": len(stored_receipts),
        "voter_rows": len(stored_voters),
        "lost": len(set(receipts) - set(stored_receipts)) + len(set(voters) - set(stored_voters)),
        "duplicated": (len(stored_receipts) - len(set(stored_receipts)))
        + (len(stored_voters) - len(set(stored_voters)))
        + (len(receipts) - len(set(receipts)))
        + (len(voters) - len(set(voters))),
        "extra": len(set(stored_receipts) - set(receipts)) + len(set(stored_voters) - set(voters)),
        "key_records": stored["records"],
        "key_records_expected": keyed,
    }
    found["ok"] = (
        found["lost"] == found["duplicated"] == found["extra"] == 0
        and found["ballots"] == found["voter_rows"] == found["acknowledged"]
        and (keyed is None or stored["records"] == keyed)
    )
    return found


# --- load --------------------------------------------------------------------------------------


def _error_code(data: bytes) -> str:
    try:
        return json.loads(data)["error"]["code"]
    except (ValueError, KeyError, TypeError):
        return "?"


def _client_loop(port, jobs, deadline, out, lock):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    mine = {"accepted": [], "refused": [], "failed": [], "latencies": [], "ran_out": False}
    while time.monotonic() < deadline:
        try:
            path, body, headers, who = jobs.pop()
        except IndexError:
            mine["ran_out"] = True
            break
        sent = time.monotonic()
        try:
            conn.request("POST", path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException) as error:
            mine["failed"].append((sent, type(error).__name__))
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            continue
        mine["latencies"].append(time.monotonic() - sent)
        if response.status == 201:
            mine["accepted"].append((who, json.loads(data)["receipt_hash"], sent))
        elif response.status == 409:
            mine["refused"].append((sent, _error_code(data)))
        else:
            mine["failed"].append((sent, f"{response.status} {_error_code(data)}"))
    conn.close()
    with lock:
        for name in ("accepted", "refused", "failed", "latencies"):
            out[name] += mine[name]
        out["ran_out"] = out["ran_out"] or mine["ran_out"]


def _process(port, jobs, clients, duration, results):
    out = {"accepted": [], "refused": [], "failed": [], "latencies": [], "ran_out": False}
    lock = threading.Lock()
    deadline = time.monotonic() + duration
    threads = [
        threading.Thread(target=_client_loop, args=(port, jobs, deadline, out, lock))
        for _ in range(clients)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    results.put(out)


def _load(port: int, jobs: list, duration: float, during=None, processes: int = 2) -> dict:
    """Send the jobs (one per voter) from CLIENTS clients for `duration` seconds at most.

    `during(started)`, if given, runs in this process while the clients send (the close).
    """
    ctx = multiprocessing.get_context("fork")
    results = ctx.Queue()
    shares = [jobs[i::processes] for i in range(processes)]
    started = time.monotonic()
    procs = [
        ctx.Process(target=_process, args=(port, share, CLIENTS // processes, duration, results))
        for share in shares
    ]
    for p in procs:
        p.start()
    meanwhile = during(started) if during else None
    parts = [results.get() for _ in procs]
    for p in procs:
        p.join()
    elapsed = time.monotonic() - started
    accepted = [a for part in parts for a in part["accepted"]]
    latencies = sorted(x for part in parts for x in part["latencies"])
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 2 else [0.0] * 99
    return {
        "rps": len(accepted) / elapsed,
        "started": started,
        "accepted": accepted,
        "refused": [r for part in parts for r in part["refused"]],
        "failed": [f for part in parts for f in part["failed"]],
        "p50_ms": cuts[49] * 1000,
        "p99_ms": cuts[98] * 1000,
        # The jobs ran out before the time was up: the round measured fewer requests than it
        # could have (and its start-up weighs more); see VOTERS and the baseline's job count.
        "ran_out": any(p["ran_out"] for p in parts),
        "during": meanwhile,
    }


def _close_after(port: int, poll_id: int, token: str, delay: float):
    """Return a `during` for _load: wait `delay` seconds, then close the poll as the admin."""

    def close(started: float) -> dict:
        time.sleep(max(0.0, started + delay - time.monotonic()))
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        sent = time.monotonic()
        conn.request(
            "POST",
            f"/api/v1/polls/{poll_id}/close",
            body=json.dumps({"reason": "Đóng sớm (benchmark)"}),
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        response = conn.getresponse()
        data = response.read()
        answered = time.monotonic()
        conn.close()
        return {
            "status": response.status,
            "sent": sent,
            "answered": answered,
            "error": None if response.status == 200 else data[:300].decode(errors="replace"),
        }

    return close


# --- one database ------------------------------------------------------------------------------


@dataclasses.dataclass
class _Voting:
    """One poll's jobs: each pending token casts one ballot, with or without a key."""

    poll: dict
    tokens: list
    keys: str  # "all", "none" or "half"
    keyed: set = dataclasses.field(default_factory=set)  # the tokens sent with a key

    def jobs(self, n: int) -> list:
        q, options = self.poll["question"], self.poll["options"]
        made = []
        for _ in range(min(n, len(self.tokens))):
            token = self.tokens.pop()
            answers = [{"question": q, "options": [options[len(self.tokens) % 2]]}]
            headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
            if self.keys == "all" or (self.keys == "half" and len(self.tokens) % 2):
                headers["Idempotency-Key"] = str(uuid.uuid4())
                self.keyed.add(token)
            path = f"/api/v1/polls/{self.poll['poll']}/ballots"
            made.append((path, json.dumps({"answers": answers}), headers, token))
        return made


def _median(runs: list[dict], field: str) -> float:
    return statistics.median(r[field] for r in runs)


def _figures(runs: list[dict]) -> dict:
    return {
        "rps": _median(runs, "rps"),
        "p50_ms": _median(runs, "p50_ms"),
        "p99_ms": _median(runs, "p99_ms"),
        "rounds_rps": [round(r["rps"], 1) for r in runs],
        "refused": sum(len(r["refused"]) for r in runs),
        "failed": sum(len(r["failed"]) for r in runs),
        "failures": dict(Counter(f[1] for r in runs for f in r["failed"]).most_common(5)),
        "ran_out": sum(r["ran_out"] for r in runs),
    }


def _replay(port: int, jobs: list, receipts: dict) -> dict:
    """Send accepted keyed ballots again: each must replay its first answer, nothing new stored."""
    same = 0
    for path, body, headers, token in jobs:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("POST", path, body=body, headers=headers)
        response = conn.getresponse()
        data = response.read()
        conn.close()
        if (
            response.status == 201
            and response.getheader("Idempotent-Replayed") == "true"
            and json.loads(data)["receipt_hash"] == receipts[token]
        ):
            same += 1
    return {"sent": len(jobs), "replayed_identically": same}


def _run_backend(label: str, url: str, settings, workdir: Path) -> dict:
    """Measure one database: baseline and service modes interleaved, then the close runs."""
    from bench.harness import Server

    env = dict(
        os.environ,
        APP_ENV="development",
        DATABASE_URL=url,
        INSTANCE_PATH=str(workdir / f"instance-{label}"),
        SECRET_KEY=f"bench-{secrets.token_urlsafe(24)}",
        FLASK_APP="wsgi",
        PYTHONDONTWRITEBYTECODE="1",
        # Every client holds a keep-alive connection, as no proxy pools them here: with
        # gunicorn's cap (4 × threads a process, gunicorn.conf.py) they filled every slot and the
        # admin's close waited in the listen queue until the load ended. Both servers get room
        # for the clients and the close (a deployment's proxy holds far fewer connections).
        GUNICORN_WORKER_CONNECTIONS=os.environ.get(
            "GUNICORN_WORKER_CONNECTIONS", str(CLIENTS + 16)
        ),
    )
    speed_modes = [m for m in ("keys", "nokeys") if m in MODES]
    closes = settings.rounds if "close" in MODES else 0
    # One poll per speed mode; one per close round, secret (an election) every other round.
    kinds = ["vote"] * len(speed_modes)
    kinds += ["vote" if i % 2 == 0 else "election" for i in range(closes)]
    plan = _seed(env, url, kinds)
    polls = dict(zip(speed_modes, plan["polls"], strict=False))
    close_polls = plan["polls"][len(speed_modes) :]
    plain = url.replace("postgresql+psycopg://", "postgresql://").replace("sqlite:///", "")
    subject = Server(f"ballots-{label}-subject", "wsgi:app", env, workdir)
    baseline = Server(
        f"ballots-{label}-baseline",
        "bench.ballots:baseline_app()",
        dict(env, BALLOT_BASELINE_DB=plain),
        workdir,
    )
    subject.start()
    baseline.start()
    result: dict = {"backend": label, "goal": GOAL if label == "postgresql" else None}
    accepted: dict[str, list] = {side: [] for side in ["baseline", *speed_modes]}
    records = dict.fromkeys(speed_modes, 0)  # Idempotency-Key records each mode left
    samples: dict[str, list] = {side: [] for side in ["baseline", *speed_modes]}
    close_runs = []
    try:
        votings = {
            m: _Voting(polls[m], list(plan["tokens"]), "all" if m == "keys" else "none")
            for m in speed_modes
        }
        keyed_jobs: dict[str, tuple] = {}  # token -> job, for the replay check
        next_baseline = iter(range(1, 10**9))
        first = plan["polls"][0]

        def baseline_jobs(n):
            jobs = []
            for _ in range(n):
                voter = next(next_baseline)
                answers = [
                    {"question": first["question"], "options": [first["options"][voter % 2]]}
                ]
                body = json.dumps({"poll": first["poll"], "voter": voter, "answers": answers})
                jobs.append(("/ballots", body, {"Content-Type": "application/json"}, f"u:{voter}"))
            return jobs

        def service_jobs(mode, n):
            jobs = votings[mode].jobs(n)
            if mode == "keys":
                keyed_jobs.update((job[3], job) for job in jobs)
            return jobs

        per_round = VOTERS // (settings.rounds + 1)
        # The baseline's rows cost nothing to prepare: give it more than it can send in a round,
        # so that its rounds last as long as the service's (a short round weighs its start-up).
        baseline_round = max(per_round, int(settings.duration * 6000))
        if speed_modes:
            # Warm-up, not counted in the figures (but counted in the lost/duplicate check).
            run = _load(baseline.port, baseline_jobs(per_round // 4), settings.warmup)
            accepted["baseline"] += run["accepted"]
            for mode in speed_modes:
                before = _key_records(url)
                run = _load(subject.port, service_jobs(mode, per_round // 4), settings.warmup)
                accepted[mode] += run["accepted"]
                records[mode] += _key_records(url) - before
            for number in range(settings.rounds):
                # keys and nokeys take turns going first, so that neither always follows the
                # baseline.
                order = speed_modes if number % 2 == 0 else speed_modes[::-1]
                run = _load(baseline.port, baseline_jobs(baseline_round), settings.duration)
                samples["baseline"].append(run)
                accepted["baseline"] += run["accepted"]
                for mode in order:
                    before = _key_records(url)
                    run = _load(subject.port, service_jobs(mode, per_round), settings.duration)
                    samples[mode].append(run)
                    accepted[mode] += run["accepted"]
                    records[mode] += _key_records(url) - before
            if "keys" in speed_modes:
                receipts = {a[0]: a[1] for a in accepted["keys"]}
                probe = [keyed_jobs[a[0]] for a in accepted["keys"][:: max(1, len(receipts) // 20)]]
                result["replay"] = _replay(subject.port, probe[:20], receipts)
        admins = list(plan["admins"].items())
        for number, poll in enumerate(close_polls):
            who, token = admins[number % 2]
            voting = _Voting(poll, list(plan["tokens"]), "half")
            before = _key_records(url)
            run = _load(
                subject.port,
                voting.jobs(VOTERS),
                settings.duration,
                during=_close_after(
                    subject.port, poll["poll"], token, settings.duration * CLOSE_AT
                ),
            )
            close_runs.append((poll, who, run, voting.keyed, _key_records(url) - before))
    finally:
        subject.stop()
        baseline.stop()

    voter_key_of = _voter_keys(url)
    if speed_modes:
        result["baseline"] = _figures(samples["baseline"])
        base_keys = _stored_baseline(url)
        base_accepted = [a[0] for a in accepted["baseline"]]
        result["baseline_check"] = {
            "acknowledged": len(base_accepted),
            "stored": len(base_keys),
            "lost": len(set(base_accepted) - set(base_keys)),
            "duplicated": (len(base_keys) - len(set(base_keys)))
            + (len(base_accepted) - len(set(base_accepted))),
            "extra": len(set(base_keys) - set(base_accepted)),
        }
        result["baseline_check"]["ok"] = not any(
            result["baseline_check"][k] for k in ("lost", "duplicated", "extra")
        )
    result["modes"] = {}
    for mode in speed_modes:
        figures = _figures(samples[mode])
        figures["ratio"] = figures["rps"] / result["baseline"]["rps"]
        figures["round_ratios"] = [
            round(s["rps"] / b["rps"], 3)
            for s, b in zip(samples[mode], samples["baseline"], strict=True)
        ]
        figures["check"] = _check_poll(
            {**_stored_ballots(url, polls[mode]["poll"]), "records": records[mode]},
            accepted[mode],
            voter_key_of,
            keyed=len(accepted[mode]) if mode == "keys" else 0,
        )
        result["modes"][mode] = figures
    result["close"] = [
        _close_report(
            poll,
            who,
            run,
            keyed,
            {**_stored_ballots(url, poll["poll"]), "records": made},
            voter_key_of,
        )
        for poll, who, run, keyed, made in close_runs
    ]
    return result


def _close_report(
    poll: dict, who: str, run: dict, keyed: set, stored: dict, voter_key_of: dict
) -> dict:
    """Check a close run: every 201 stored once, nothing else; none accepted after the close."""
    close = run["during"]
    sent, answered = close["sent"], close["answered"]
    accepted = run["accepted"]
    report = {
        "poll": poll["poll"],
        "secret": poll["secret"],
        "closed_by": who,
        "close_status": close["status"],
        "close_error": close["error"],
        "close_sent_s": round(sent - run["started"], 2),
        "close_ms": round((answered - sent) * 1000, 1),
        "poll_status_after": stored["status"],
        "rps_before_close": sum(1 for a in accepted if a[2] < sent) / (sent - run["started"]),
        "accepted_before_close": sum(1 for a in accepted if a[2] < sent),
        "accepted_during_close": sum(1 for a in accepted if sent <= a[2] < answered),
        # Sent after the close was answered: each must have been refused 409.
        "accepted_after_close": sum(1 for a in accepted if a[2] >= answered),
        "failed_after_close": sum(1 for f in run["failed"] if f[0] >= answered),
        "refused_after_close": sum(1 for r in run["refused"] if r[0] >= answered),
        "refused_before_close": sum(1 for r in run["refused"] if r[0] < sent),
        "refusals": dict(Counter(r[1] for r in run["refused"])),
        "failed": len(run["failed"]),
        "failures": dict(Counter(f[1] for f in run["failed"]).most_common(5)),
        "ran_out": run["ran_out"],
    }
    report["check"] = _check_poll(
        stored, accepted, voter_key_of, keyed=sum(1 for a in accepted if a[0] in keyed)
    )
    report["ok"] = (
        report["check"]["ok"]
        and close["status"] == 200
        and stored["status"] == "closed"
        and report["accepted_after_close"] == 0
        and report["failed_after_close"] == 0
        and report["refused_after_close"] > 0
    )
    return report


# --- report --------------------------------------------------------------------------------------


def _check_line(c: dict) -> str:
    line = (
        f"201 {c['acknowledged']}, ballots {c['ballots']}, voter rows {c['voter_rows']}; "
        f"lost {c['lost']}, duplicated {c['duplicated']}, extra {c['extra']}"
    )
    if c["key_records_expected"]:
        line += f"; key records {c['key_records']} (want {c['key_records_expected']})"
    return line + ("" if c["ok"] else "   CHECK FAILED")


def format_result(result: dict) -> list[str]:
    """Render one backend's figures as lines."""
    name = result["backend"]
    lines = []
    if result.get("modes"):
        b = result["baseline"]
        lines.append(
            f"{name}: bare pooled INSERT {b['rps']:.1f}/s (p50 {b['p50_ms']:.1f} ms, "
            f"p99 {b['p99_ms']:.1f} ms; rounds {', '.join(f'{x:.0f}' for x in b['rounds_rps'])})"
        )
    replay = result.get("replay")
    replay_ok = replay is None or replay["replayed_identically"] == replay["sent"]
    for mode, m in result.get("modes", {}).items():
        ok = m["check"]["ok"] and result["baseline_check"]["ok"] and not m["failed"]
        ok = ok and (mode != "keys" or replay_ok)
        if result["goal"] is None:
            verdict = "no target on SQLite"
        else:
            met = m["ratio"] >= result["goal"] and ok
            verdict = f"target ≥ {result['goal']:g} (issue 12): {'MET' if met else 'NOT MET'}"
        spread = ", ".join(f"{r:.2f}" for r in m["round_ratios"])
        lines += [
            f"{name}: service, {MODE_LABELS[mode]}: {m['rps']:.1f} ballots/s (p50 "
            f"{m['p50_ms']:.1f} ms, p99 {m['p99_ms']:.1f} ms)",
            f"{name}: {mode}: ratio service/baseline = {m['ratio']:.2f} (per round: {spread})"
            f"   {verdict}",
            f"{name}: {mode}: check: {_check_line(m['check'])}; refused {m['refused']}, failed "
            f"{m['failed']}" + (f" {m['failures']}" if m["failed"] else ""),
        ]
        if m["ran_out"]:
            lines.append(
                f"{name}: {mode}: note: ran out of voters before the end of {m['ran_out']} "
                "rounds (raise BENCH_BALLOT_VOTERS)"
            )
    if result.get("modes"):
        bc = result["baseline_check"]
        lines.append(
            f"{name}: baseline check: 201 {bc['acknowledged']}, stored {bc['stored']}, lost "
            f"{bc['lost']}, duplicated {bc['duplicated']}, extra {bc['extra']}; failed "
            f"{result['baseline']['failed']}" + ("" if bc["ok"] else "   CHECK FAILED")
        )
    if replay is not None:
        lines.append(
            f"{name}: keys: {replay['replayed_identically']}/{replay['sent']} accepted ballots "
            "sent again with their key replayed their first receipt (counted in the check above)"
            + ("" if replay_ok else "   CHECK FAILED")
        )
    for number, c in enumerate(result.get("close", []), start=1):
        lines += [
            f"{name}: close run {number} ({'secret' if c['secret'] else 'open'} poll, closed by "
            f"the {c['closed_by']} at {c['close_sent_s']:.1f} s → {c['close_status']} in "
            f"{c['close_ms']:.0f} ms, poll {c['poll_status_after']}): 201 sent before the close "
            f"{c['accepted_before_close']} ({c['rps_before_close']:.0f}/s), while it ran "
            f"{c['accepted_during_close']}, after it {c['accepted_after_close']}; 409 after it "
            f"{c['refused_after_close']}, other answers after it {c['failed_after_close']}",
            f"{name}: close run {number}: check: {_check_line(c['check'])}"
            + ("" if c["ok"] else "   FAILED")
            + (f"; close answered: {c['close_error']}" if c["close_error"] else ""),
        ]
    return lines


def _write_json(settings, results: list[dict]) -> Path:
    """Write the figures to bench/results/<timestamp>-ballots.json (the runner's file has notes)."""
    from bench.harness import machine

    RESULTS_DIR.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = RESULTS_DIR / f"{stamp}-ballots.json"
    summary = {
        "time": datetime.now(UTC).isoformat(timespec="seconds"),
        "settings": dataclasses.asdict(settings),
        "ballots": {
            "clients": CLIENTS,
            "voters": VOTERS,
            "modes": MODES,
            "close_at": CLOSE_AT,
        },
        "machine": machine(),
        "results": results,
    }
    path.write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n")
    return path


def run_all(settings, workdir: Path) -> list[dict]:
    """Run the ballot benchmark on SQLite, then on a throwaway PostgreSQL cluster."""
    unknown = [m for m in MODES if m not in KNOWN_MODES]
    if unknown:
        raise RuntimeError(
            f"BENCH_BALLOT_MODES: unknown {', '.join(unknown)} (choose from "
            f"{', '.join(KNOWN_MODES)})"
        )
    if CLIENTS < 32:
        print(f"  note: {CLIENTS} clients; issue 12 asks for 32 or more", flush=True)
    results = []
    if "sqlite" in BACKENDS:
        results.append(
            _run_backend("sqlite", f"sqlite:///{workdir / 'ballots.sqlite3'}", settings, workdir)
        )
        for line in format_result(results[-1]):
            print(f"  {line}", flush=True)
    if "postgresql" in BACKENDS:
        postgres = Postgres()
        try:
            url = postgres.start()
            results.append(_run_backend("postgresql", url, settings, workdir))
            for line in format_result(results[-1]):
                print(f"  {line}", flush=True)
        except RuntimeError as reason:
            print(f"  postgresql: skipped: {reason}", flush=True)
        finally:
            postgres.stop()
    if results:
        path = _write_json(settings, results)
        print(f"  figures written to {path.relative_to(ROOT)}", flush=True)
    return results


# --- the runner's hooks (bench/__main__.py) --------------------------------------------------


_SCENARIO = harness.SelfContained(NAME, run_all, format_result)
prepare, check, main = _SCENARIO.prepare, _SCENARIO.check, _SCENARIO.main


if __name__ == "__main__":
    sys.exit(main())
