"""Ballots benchmark (issue 6): accepted ballots per second under 64 concurrent clients.

    .venv/bin/python -m bench ballots      # with the other scenarios' runner
    .venv/bin/python -m bench.ballots      # on its own

For SQLite and for PostgreSQL (a throwaway cluster started like scripts/with-postgres.sh; skipped
with a message when the server binaries are missing), a fresh database gets the real migrations,
the wards, an open ward-wide vote and thousands of eligible voters with bearer tokens (seeded
with SQL). The real service (`wsgi:app`) and a bare Flask baseline (no ORM, no auth, no hooks:
one `INSERT … ON CONFLICT DO NOTHING` of the same row through psycopg, or sqlite3) run under the
same gunicorn settings; each voter POSTs one ballot from 64 concurrent clients (threads over two
processes), rounds interleaved (baseline, service, …), medians kept. After the run, every
accepted ballot (201) must be stored exactly once and nothing else stored: lost = 0,
duplicates = 0. Target: service ≥ 0.5 × baseline on PostgreSQL.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import multiprocessing
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

NAME = "ballots"
TITLE = (
    "POST /api/v1/polls/{id}/ballots, 64 clients, against a bare INSERT … ON CONFLICT DO "
    "NOTHING through psycopg/sqlite3 (issue 6)"
)
SAME = "one stored row per accepted ballot, checked after the run"
GOAL = 0.5  # on PostgreSQL
CLIENTS = int(os.environ.get("BENCH_BALLOT_CLIENTS", "64"))
VOTERS = int(os.environ.get("BENCH_BALLOT_VOTERS", "60000"))
# Which databases to run on (comma-separated): both by default.
BACKENDS = os.environ.get("BENCH_BALLOT_BACKENDS", "sqlite,postgresql").split(",")
ROOT = Path(__file__).resolve().parent.parent
WARD = "00070"


# --- the baseline: a bare Flask app ------------------------------------------------------------


def baseline_app():
    """Return the bare Flask app: POST /ballots inserts one row, like a ballot, and nothing else."""
    from flask import Flask, jsonify, request

    app = Flask(__name__)
    target = os.environ["BALLOT_BASELINE_DB"]
    local = threading.local()
    sql = (
        "INSERT INTO bench_ballot (poll_id, voter_key, answers) VALUES ({p}, {p}, {p}) "
        "ON CONFLICT DO NOTHING"
    )

    def connection():
        if not hasattr(local, "conn"):
            if target.startswith("postgresql"):
                import psycopg

                local.conn = psycopg.connect(target, autocommit=True)
                local.sql = sql.format(p="%s")
            else:
                import sqlite3

                local.conn = sqlite3.connect(target, isolation_level=None, timeout=30)
                local.conn.execute("PRAGMA journal_mode=WAL")
                local.conn.execute("PRAGMA synchronous=NORMAL")
                local.sql = sql.format(p="?")
        return local.conn

    @app.post("/ballots")
    def ballot():
        body = request.get_json()
        answers = json.dumps(body["answers"], separators=(",", ":"), sort_keys=True)
        cur = connection().execute(local.sql, (body["poll"], f"u:{body['voter']}", answers))
        if cur.rowcount == 1:
            return jsonify(receipt=secrets.token_hex(10)), 201
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


def _seed(env: dict, url: str) -> dict:
    """Migrate, add wards, an open ward vote and VOTERS eligible voters; return what to send."""
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
    from app.identity.models import ApiToken, User
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
    tokens = []
    with app.app_context():
        db.session.execute(
            sa.insert(User),
            [
                {
                    "issuer": "bench",
                    "sub": f"bench-{i}",
                    "name": f"Cư dân {i}",
                    "vneid_level": 2,
                    "session_version": 1,
                    "created_at": now,
                    "updated_at": now,
                }
                for i in range(VOTERS + 1)
            ],
        )
        ids = dict(
            db.session.execute(sa.select(User.sub, User.id).where(User.issuer == "bench")).all()
        )
        admin_id = ids.pop("bench-0")
        voter_ids = [ids[f"bench-{i}"] for i in range(1, VOTERS + 1)]
        expires = datetime(2100, 1, 1, tzinfo=UTC)
        rows = []
        for uid in voter_ids:
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
        admin = db.session.get(User, admin_id)
        poll = service.create(
            user=admin,
            ward_code=WARD,
            community_id=None,
            kind="vote",
            title="Biểu quyết (benchmark)",
            questions=[{"text": "Đồng ý?", "options": ["Đồng ý", "Không đồng ý"]}],
        )
        service.open_now(poll, actor=admin)
        question = poll.questions[0]
        plan = {
            "poll": poll.id,
            "question": question.id,
            "options": [o.id for o in question.options],
            "tokens": tokens,
        }
        db.session.execute(
            sa.text(
                "CREATE TABLE bench_ballot (poll_id integer NOT NULL, "
                "voter_key varchar(64) NOT NULL, answers text NOT NULL, "
                "PRIMARY KEY (poll_id, voter_key))"
            )
        )
        db.session.commit()
        db.engine.dispose()
    return plan


def _stored(url: str, poll_id: int) -> dict:
    """Count what each side stored: rows and distinct keys."""
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    with engine.connect() as conn:
        voters = conn.execute(
            sa.text(
                "SELECT count(*), count(DISTINCT voter_key) FROM poll_voter WHERE poll_id = :p"
            ),
            {"p": poll_id},
        ).one()
        ballots = conn.execute(
            sa.text("SELECT count(*) FROM poll_ballot WHERE poll_id = :p"), {"p": poll_id}
        ).scalar()
        keys = {
            r[0]
            for r in conn.execute(
                sa.text("SELECT voter_key FROM poll_voter WHERE poll_id = :p"), {"p": poll_id}
            )
        }
        base = conn.execute(
            sa.text("SELECT count(*), count(DISTINCT voter_key) FROM bench_ballot")
        ).one()
        base_keys = {r[0] for r in conn.execute(sa.text("SELECT voter_key FROM bench_ballot"))}
    engine.dispose()
    return {
        "voters": tuple(voters),
        "ballots": ballots,
        "keys": keys,
        "baseline": tuple(base),
        "baseline_keys": base_keys,
    }


# --- load --------------------------------------------------------------------------------------


def _client_loop(port, jobs, deadline, out, lock):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    mine = {"accepted": [], "refused": 0, "failed": 0, "latencies": [], "ran_out": False}
    while time.perf_counter() < deadline:
        try:
            path, body, headers, key = jobs.pop()
        except IndexError:
            mine["ran_out"] = True
            break
        start = time.perf_counter()
        try:
            conn.request("POST", path, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
        except (OSError, http.client.HTTPException):
            mine["failed"] += 1
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            continue
        mine["latencies"].append(time.perf_counter() - start)
        if response.status == 201:
            mine["accepted"].append(key)
        elif response.status == 409:
            mine["refused"] += 1
        else:
            mine["failed"] += 1
    conn.close()
    with lock:
        for name in ("refused", "failed"):
            out[name] += mine[name]
        out["ran_out"] = out.get("ran_out", False) or mine["ran_out"]
        out["accepted"] += mine["accepted"]
        out["latencies"] += mine["latencies"]


def _process(port, jobs, clients, duration, queue):
    out = {"accepted": [], "refused": 0, "failed": 0, "latencies": []}
    lock = threading.Lock()
    deadline = time.perf_counter() + duration
    threads = [
        threading.Thread(target=_client_loop, args=(port, jobs, deadline, out, lock))
        for _ in range(clients)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    queue.put(out)


def _load(port: int, jobs: list, duration: float, processes: int = 2) -> dict:
    """Send the jobs (one per voter) from CLIENTS clients for `duration` seconds at most."""
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    shares = [jobs[i::processes] for i in range(processes)]
    started = time.perf_counter()
    procs = [
        ctx.Process(target=_process, args=(port, share, CLIENTS // processes, duration, queue))
        for share in shares
    ]
    for p in procs:
        p.start()
    parts = [queue.get() for _ in procs]
    for p in procs:
        p.join()
    elapsed = time.perf_counter() - started
    accepted = [k for part in parts for k in part["accepted"]]
    latencies = sorted(x for part in parts for x in part["latencies"])
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 2 else [0.0] * 99
    return {
        "rps": len(accepted) / elapsed,
        "accepted": accepted,
        "refused": sum(p["refused"] for p in parts),
        "failed": sum(p["failed"] for p in parts),
        "p50_ms": cuts[49] * 1000,
        "p99_ms": cuts[98] * 1000,
        # The jobs ran out before the time was up: the round measured fewer requests than it
        # could have (and its start-up weighs more); see VOTERS and the baseline's job count.
        "ran_out": any(p.get("ran_out") for p in parts),
    }


def _run_backend(label: str, url: str, settings, workdir: Path) -> dict:
    """Measure one database: service and baseline, interleaved rounds; then check the rows."""
    from bench.harness import Server

    env = dict(
        os.environ,
        APP_ENV="development",
        DATABASE_URL=url,
        INSTANCE_PATH=str(workdir / f"instance-{label}"),
        SECRET_KEY=f"bench-{secrets.token_urlsafe(24)}",
        FLASK_APP="wsgi",
        PYTHONDONTWRITEBYTECODE="1",
    )
    plan = _seed(env, url)
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
    try:
        tokens = list(plan["tokens"])
        next_baseline = iter(range(1, 10**9))
        poll, q, options = plan["poll"], plan["question"], plan["options"]

        def subject_jobs(n):
            jobs = []
            for _ in range(min(n, len(tokens))):
                token = tokens.pop()
                answers = [{"question": q, "options": [options[len(tokens) % 2]]}]
                jobs.append(
                    (
                        f"/api/v1/polls/{poll}/ballots",
                        json.dumps({"answers": answers}),
                        {"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
                        token,
                    )
                )
            return jobs

        def baseline_jobs(n):
            jobs = []
            for _ in range(n):
                voter = next(next_baseline)
                answers = [{"question": q, "options": [options[voter % 2]]}]
                body = json.dumps({"poll": poll, "voter": voter, "answers": answers})
                jobs.append(("/ballots", body, {"Content-Type": "application/json"}, f"u:{voter}"))
            return jobs

        per_round = len(tokens) // (settings.rounds + 1)
        # The baseline's rows cost nothing to prepare: give it more than it can send in a round,
        # so that its rounds last as long as the service's (a short round weighs its start-up).
        baseline_round = max(per_round, int(settings.duration * 6000))
        samples = {"service": [], "baseline": []}
        accepted = {"service": [], "baseline": []}
        refused_failed = {"service": [0, 0], "baseline": [0, 0]}
        # Warm-up, not counted in the figures (but counted in the lost/duplicate check).
        for side, server, make in (
            ("baseline", baseline, baseline_jobs),
            ("service", subject, subject_jobs),
        ):
            run = _load(server.port, make(per_round // 4), settings.warmup)
            accepted[side] += run["accepted"]
        for _ in range(settings.rounds):
            for side, server, make, count in (
                ("baseline", baseline, baseline_jobs, baseline_round),
                ("service", subject, subject_jobs, per_round),
            ):
                run = _load(server.port, make(count), settings.duration)
                samples[side].append(run)
                accepted[side] += run["accepted"]
                refused_failed[side][0] += run["refused"]
                refused_failed[side][1] += run["failed"]
    finally:
        subject.stop()
        baseline.stop()

    stored = _stored(url, plan["poll"])
    # Accepted tokens → the voter keys they vote under (u:<user id>), looked up once.
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    hashes = [hashlib.sha256(t.encode()).hexdigest() for t in accepted["service"]]
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT token_hash, user_id FROM api_token")).all()
    engine.dispose()
    by_hash = dict(rows)
    service_keys = [f"u:{by_hash[h]}" for h in hashes]

    def check(keys: list, stored_keys: set, rows_and_distinct: tuple) -> dict:
        rows, distinct = rows_and_distinct
        return {
            "accepted": len(keys),
            "stored": rows,
            "lost": len(set(keys) - stored_keys),
            "duplicates": (rows - distinct)
            + (len(keys) - len(set(keys)))
            + len(stored_keys - set(keys)),
        }

    service_check = check(service_keys, stored["keys"], stored["voters"])
    service_check["ballots_vs_voters"] = stored["ballots"] - stored["voters"][0]
    baseline_check = check(accepted["baseline"], stored["baseline_keys"], stored["baseline"])

    def median(side, field):
        return statistics.median(r[field] for r in samples[side])

    ratio = median("service", "rps") / median("baseline", "rps")
    return {
        "backend": label,
        "service": {f: median("service", f) for f in ("rps", "p50_ms", "p99_ms")},
        "baseline": {f: median("baseline", f) for f in ("rps", "p50_ms", "p99_ms")},
        "round_ratios": [
            s["rps"] / b["rps"]
            for s, b in zip(samples["service"], samples["baseline"], strict=True)
        ],
        "ratio": ratio,
        "refused_failed": refused_failed,
        "ran_out": {side: sum(r["ran_out"] for r in samples[side]) for side in samples},
        "service_check": service_check,
        "baseline_check": baseline_check,
        "goal": GOAL if label == "postgresql" else None,
    }


def format_result(result: dict) -> list[str]:
    """Render one backend's figures as lines."""
    s, b = result["service"], result["baseline"]
    sc, bc = result["service_check"], result["baseline_check"]
    spread = ", ".join(f"{r:.2f}" for r in result["round_ratios"])
    ok = (
        all(c["lost"] == 0 and c["duplicates"] == 0 for c in (sc, bc))
        and sc["ballots_vs_voters"] == 0
    )
    if result["goal"] is None:
        verdict = "no target on SQLite"
    else:
        met = (
            result["ratio"] >= result["goal"] and ok and not result["refused_failed"]["service"][1]
        )
        verdict = f"target ≥ {result['goal']:g} (issue 6): {'MET' if met else 'NOT MET'}"
    return [
        f"{result['backend']}: service {s['rps']:.1f} ballots/s (p50 {s['p50_ms']:.1f} ms, "
        f"p99 {s['p99_ms']:.1f} ms); bare INSERT {b['rps']:.1f}/s (p50 {b['p50_ms']:.1f} ms, "
        f"p99 {b['p99_ms']:.1f} ms)",
        f"{result['backend']}: ratio service/baseline = {result['ratio']:.2f} "
        f"(per round: {spread})   {verdict}",
        f"{result['backend']}: check after the run: service accepted {sc['accepted']}, stored "
        f"{sc['stored']}, lost {sc['lost']}, duplicates {sc['duplicates']}, ballots−voters "
        f"{sc['ballots_vs_voters']}; baseline accepted {bc['accepted']}, stored {bc['stored']}, "
        f"lost {bc['lost']}, duplicates {bc['duplicates']}; failed requests: service "
        f"{result['refused_failed']['service'][1]}, "
        f"baseline {result['refused_failed']['baseline'][1]}" + ("" if ok else "   CHECK FAILED"),
    ] + [
        f"{result['backend']}: note: the {side} ran out of jobs before the end of {count} of "
        f"{len(result['round_ratios'])} rounds (for the service: raise BENCH_BALLOT_VOTERS)"
        for side, count in result.get("ran_out", {}).items()
        if count
    ]


def run_all(settings, workdir: Path) -> list[dict]:
    """Run the ballot benchmark on SQLite, then on a throwaway PostgreSQL cluster."""
    results = []
    if "sqlite" in BACKENDS:
        results.append(
            _run_backend("sqlite", f"sqlite:///{workdir / 'ballots.sqlite3'}", settings, workdir)
        )
        for line in format_result(results[-1]):
            print(f"  {line}", flush=True)
    if "postgresql" not in BACKENDS:
        return results
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
    return results


# --- the runner's hooks (bench/__main__.py) --------------------------------------------------


def prepare(bench) -> list:
    """Run the whole ballot benchmark (its own databases and servers); keep its lines as notes."""
    print(f"\n== {NAME} (measured first: it brings its own servers and databases)", flush=True)
    results = run_all(bench.settings, bench.workdir)
    bench.notes[NAME] = [line for r in results for line in format_result(r)]
    return []


def check(bench) -> list[str]:
    """The lost/duplicate check is part of the run itself (see the notes)."""
    return []


def main() -> int:
    """Run the ballot benchmark on its own."""
    from bench.harness import Settings

    workdir = Path(tempfile.mkdtemp(prefix="pxs-bench-ballots-"))
    try:
        run_all(Settings.from_env(), workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
