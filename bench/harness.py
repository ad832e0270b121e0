"""The runner's machinery: a throwaway database, the two gunicorn servers, load runs and the report.

The subject is the real service (`wsgi:app`) on a fresh SQLite database with the wards and the
demo data; the baseline is `bench.baseline_app` serving the same bytes. Both run under the same
`gunicorn.conf.py` (same workers, threads, worker class) on loopback. Load comes from a second
process; baseline and subject runs are interleaved (A B A B ...) and the median of each is kept, so
that a noisy machine slows both sides alike and the ratio stays meaningful.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import http.client
import json
import os
import platform
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench import loadgen

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = Path(__file__).resolve().parent / "results"

# Set by gunicorn or the connection itself, so never compared nor replayed by the baseline.
TRANSPORT_HEADERS = frozenset(
    {"date", "server", "connection", "keep-alive", "content-length", "transfer-encoding"}
)
# Amounts of the unmeasured bursts: above every range a "vary amount" run asks for.
BURST_AMOUNT_BASE = 9_000_000_000


class Skipped(Exception):
    """A scenario cannot run here (e.g. its endpoint does not exist yet); the others go on."""


@dataclasses.dataclass(frozen=True)
class Settings:
    """How hard and how long to load each target (from BENCH_* environment variables)."""

    duration: float
    warmup: float
    rounds: int
    connections: int
    threads: int

    @classmethod
    def from_env(cls) -> Settings:
        """Read BENCH_DURATION, BENCH_WARMUP, BENCH_ROUNDS, BENCH_CONNECTIONS, BENCH_THREADS."""
        env = os.environ
        return cls(
            duration=float(env.get("BENCH_DURATION", "4")),
            warmup=float(env.get("BENCH_WARMUP", "1")),
            rounds=int(env.get("BENCH_ROUNDS", "3")),
            connections=int(env.get("BENCH_CONNECTIONS", "32")),
            threads=int(env.get("BENCH_THREADS", "2")),
        )


@dataclasses.dataclass(frozen=True)
class Target:
    """One thing to load: a path on the subject or the baseline, with request headers."""

    label: str
    server: str  # "subject" or "baseline"
    path: str
    headers: tuple[tuple[str, str], ...] = ()
    vary_amount: bool = False  # ask `?amount=<new n>` on every request (a new image each time)
    # Before each run of this target (warm-up included), ask its path for this many amounts
    # never asked before, unmeasured: the run then measures what a burst left of the caches.
    burst_before: int = 0


@dataclasses.dataclass(frozen=True)
class Comparison:
    """A headline figure: subject throughput / baseline throughput, with the issue's target."""

    name: str
    subject: Target
    baseline: Target
    goal: float | None  # the ratio the issue asks for, if any
    source: str  # where the goal comes from, e.g. "issue 4"


@dataclasses.dataclass(frozen=True)
class Reply:
    """An HTTP answer as fetched by the runner."""

    status: int
    headers: dict[str, str]  # lower-cased names
    body: bytes

    def json(self):
        """Decode the body as JSON."""
        return json.loads(self.body)

    def replayable_headers(self) -> list[tuple[str, str]]:
        """Return the headers the baseline must send too (not those gunicorn adds itself)."""
        return [(k, v) for k, v in self.headers.items() if k not in TRANSPORT_HEADERS]


def fresh_database(directory: Path, name: str, server: str | None) -> tuple[str, Callable]:
    """Return the URL of a new, empty database and the function that drops it.

    A SQLite file `name`.sqlite3 under `directory` when `server` is None; otherwise a new
    database on that PostgreSQL server (a SQLAlchemy URL with the rights to create one).
    """
    import uuid

    import sqlalchemy as sa

    if not server:
        return f"sqlite:///{directory / f'{name}.sqlite3'}", lambda: None
    database = f"pxs_bench_{name}_{uuid.uuid4().hex[:8]}".replace("-", "_")
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{database}"')

    def drop():
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        admin.dispose()

    return sa.engine.make_url(server).set(database=database).render_as_string(False), drop


def on_each_backend(
    backends: list[str],
    run_backend: Callable[[str, str | None], dict],
    format_result: Callable[[dict], list[str]],
    setting: str,
) -> list[dict]:
    """Run `run_backend(name, url)` on each backend named ("sqlite": url None, the scenario
    makes its own file; "postgresql": a throwaway cluster's URL), printing each result; a
    cluster that cannot start is skipped with its reason. `setting` names the variable that
    chose the backends, for the error on an unknown one."""
    from bench.ballots import Postgres

    results = []
    for backend in backends:
        if backend == "sqlite":
            results.append(run_backend("sqlite", None))
        elif backend == "postgresql":
            postgres = Postgres()
            try:
                url = postgres.start()
                results.append(run_backend("postgresql", url))
            except (RuntimeError, subprocess.CalledProcessError) as reason:
                print(f"  postgresql: skipped: {reason}", flush=True)
                continue
            finally:
                postgres.stop()
        else:
            raise RuntimeError(f"{setting}: unknown {backend} (sqlite, postgresql)")
        for line in format_result(results[-1]):
            print(f"  {line}", flush=True)
    return results


@dataclasses.dataclass(frozen=True)
class SelfContained:
    """A scenario that brings its own databases and servers (ballots, appointments, kpi): the
    runner's hooks and the module's own `main`, written once.

    `run_all(settings, workdir)` measures and checks everything and returns its results;
    `format_result(result)` gives the lines printed and kept as the runner's notes.
    """

    name: str
    run_all: Callable[[Settings, Path], list[dict]]
    format_result: Callable[[dict], list[str]]

    def prepare(self, bench) -> list:
        """Run the whole scenario first; keep its lines as the runner's notes."""
        print(
            f"\n== {self.name} (measured first: it brings its own servers and databases)",
            flush=True,
        )
        results = self.run_all(bench.settings, bench.workdir)
        bench.notes[self.name] = [line for r in results for line in self.format_result(r)]
        return []

    def check(self, bench) -> list[str]:
        """Nothing more to check: the scenario checks its answers in the run (see the notes)."""
        return []

    def main(self) -> int:
        """Run the scenario on its own; keep the servers' logs if it stops early."""
        import shutil
        import tempfile

        workdir = Path(tempfile.mkdtemp(prefix=f"pxs-bench-{self.name}-"))
        finished = False
        try:
            self.run_all(Settings.from_env(), workdir)
            finished = True
        finally:
            if finished:
                shutil.rmtree(workdir, ignore_errors=True)
            else:
                print(f"stopped early; servers' logs kept in {workdir}", file=sys.stderr)
        return 0


def free_port() -> int:
    """Return a TCP port free on loopback right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(port: int, path: str, headers: dict[str, str] | None = None) -> Reply:
    """GET `path` from a local server without following redirects."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        body = response.read()
        return Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, body)
    finally:
        conn.close()


def differences(subject: Reply, baseline: Reply, *, headers: bool = True) -> list[str]:
    """Say how the baseline's answer differs from the subject's (empty when they match)."""
    found = []
    if subject.status != baseline.status:
        found.append(f"status {baseline.status} instead of {subject.status}")
    if subject.body != baseline.body:
        found.append(f"body differs ({len(baseline.body)} bytes instead of {len(subject.body)})")
    if headers:
        mine, theirs = dict(subject.replayable_headers()), dict(baseline.replayable_headers())
        for name in sorted(mine.keys() | theirs.keys()):
            if mine.get(name) != theirs.get(name):
                found.append(f"header {name}: {theirs.get(name)!r} instead of {mine.get(name)!r}")
    return found


class Server:
    """A gunicorn master serving one app on a free loopback port, logging to a file."""

    def __init__(self, name: str, app_spec: str, env: dict[str, str], workdir: Path) -> None:
        self.name = name
        self.app_spec = app_spec
        self.env = env
        self.log_path = workdir / f"{name}.log"
        self.port = 0
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        """Start gunicorn with the project's gunicorn.conf.py and wait until /healthz answers."""
        self.port = free_port()
        env = dict(self.env, BIND=f"127.0.0.1:{self.port}")
        cmd = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"]
        if _gunicorn_has_control_socket():
            # Two masters would otherwise share ~/.gunicorn/gunicorn.ctl (gunicorn 27 and later).
            cmd.append("--no-control-socket")
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [*cmd, self.app_spec],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} server exited:\n{self.log_tail()}")
            try:
                if fetch(self.port, "/healthz").status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"{self.name} server did not answer /healthz:\n{self.log_tail()}")

    def stop(self) -> None:
        """Stop gunicorn gracefully, then for good if it lingers."""
        if not self.process or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def log_tail(self, lines: int = 30) -> str:
        """Return the end of the server's log."""
        if not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def get(self, path: str, headers: dict[str, str] | None = None) -> Reply:
        """GET `path` from this server."""
        return fetch(self.port, path, headers)


class Bench:
    """One benchmark run: its database, its two servers and what the baseline must serve."""

    def __init__(self, settings: Settings, workdir: Path) -> None:
        self.settings = settings
        self.workdir = workdir
        self.env = dict(
            os.environ,
            APP_ENV="development",
            DATABASE_URL=f"sqlite:///{workdir / 'bench.sqlite3'}",
            INSTANCE_PATH=str(workdir / "instance"),
            SECRET_KEY=f"bench-{secrets.token_urlsafe(24)}",
            FLASK_APP="wsgi",
            PYTHONDONTWRITEBYTECODE="1",
        )
        self.fixtures_path = workdir / "baseline_fixtures.json"
        self.fixtures: dict = {"routes": [], "qr": None}
        self.subject = Server("subject", "wsgi:app", self.env, workdir)
        self.baseline = Server(
            "baseline",
            "bench.baseline_app:app",
            dict(self.env, BENCH_FIXTURES=str(self.fixtures_path)),
            workdir,
        )
        self.notes: dict[str, list[str]] = {}  # scenario name -> remarks printed with it
        self._runs = 0
        self._bursts = 0

    def prepare_database(self) -> None:
        """Migrate a fresh SQLite database, sync the 126 wards and load the demo data.

        A failing `demo load` only warns: the scenarios that need demo data then skip themselves,
        and the others still run.
        """
        for args in (["db", "upgrade"], ["wards", "sync"], ["demo", "load"]):
            done = subprocess.run(
                [sys.executable, "-m", "flask", "--app", "wsgi", *args],
                cwd=ROOT,
                env=self.env,
                capture_output=True,
                text=True,
                check=False,
            )
            if done.returncode == 0:
                continue
            output = "\n".join((done.stdout + done.stderr).strip().splitlines()[-12:])
            if args[0] == "demo":
                print(f"warning: flask demo load failed; going on without demo data:\n{output}")
                continue
            raise RuntimeError(f"flask {' '.join(args)} failed:\n{output}")

    def serve_bytes(self, path: str, full: Reply, not_modified: Reply | None = None) -> None:
        """Have the baseline answer `path` with `full`, or `not_modified` on its ETag."""
        variants = [_variant(full, None)]
        if not_modified is not None:
            variants.append(_variant(not_modified, full.headers["etag"]))
        self.fixtures["routes"].append({"path": path, "variants": variants})

    def serve_payment_qr(self, path: str, static_payload: str, params: dict) -> None:
        """Have the baseline draw payment QR PNGs at `path` from the merchant's static payload."""
        self.fixtures["qr"] = {
            "path": path,
            "static_tags": {k: v for k, v in _root_tags(static_payload) if k != "63"},
            **params,
        }

    def start_baseline(self) -> None:
        """Write what the baseline must serve, then start it."""
        self.fixtures_path.write_text(json.dumps(self.fixtures))
        self.baseline.start()

    def server(self, target: Target) -> Server:
        """Return the server a target is loaded on."""
        return self.subject if target.server == "subject" else self.baseline

    def load(self, target: Target, duration: float) -> loadgen.Measurement:
        """Load one target once from a second process (after its burst, if it has one)."""
        if target.burst_before:
            self.burst(target)
        self._runs += 1
        server = self.server(target)
        return loadgen.run(
            f"http://127.0.0.1:{server.port}{target.path}",
            duration=duration,
            connections=self.settings.connections,
            threads=self.settings.threads,
            headers=dict(target.headers),
            # A fresh range of amounts per run, so no run reuses an image an earlier one cached.
            vary_amount_base=self._runs * 100_000_000 if target.vary_amount else None,
            workdir=self.workdir,
        )

    def burst(self, target: Target) -> None:
        """Ask the target's path for `burst_before` new amounts, as many at once as the load."""
        self._bursts += 1
        port = self.server(target).port
        path = target.path.split("?", 1)[0]
        first = BURST_AMOUNT_BASE + self._bursts * 1_000_000
        amounts = iter(range(first, first + target.burst_before))
        lock = threading.Lock()

        def ask_until_done() -> None:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            try:
                while True:
                    with lock:
                        amount = next(amounts, None)
                    if amount is None:
                        return
                    conn.request("GET", f"{path}?amount={amount}")
                    response = conn.getresponse()
                    response.read()
                    if response.status != 200:
                        raise RuntimeError(f"burst: {path}?amount={amount} -> {response.status}")
            finally:
                conn.close()

        with ThreadPoolExecutor(self.settings.connections) as pool:
            for done in [pool.submit(ask_until_done) for _ in range(self.settings.connections)]:
                done.result()

    def measure(self, comparisons: list[Comparison]) -> list[dict]:
        """Warm up each target, load them in interleaved rounds, and compute the medians."""
        targets: list[Target] = []
        for comparison in comparisons:
            for target in (comparison.baseline, comparison.subject):
                if target not in targets:
                    targets.append(target)
        if self.settings.warmup > 0:
            for target in targets:
                self.load(target, self.settings.warmup)
        samples: dict[Target, list[loadgen.Measurement]] = {t: [] for t in targets}
        for _ in range(self.settings.rounds):
            for target in targets:
                samples[target].append(self.load(target, self.settings.duration))
        return [_summarise(c, samples[c.subject], samples[c.baseline]) for c in comparisons]


def _gunicorn_has_control_socket() -> bool:
    """Tell whether this gunicorn opens a control socket (and so knows --no-control-socket)."""
    from gunicorn.config import KNOWN_SETTINGS

    return any(setting.name == "control_socket_disable" for setting in KNOWN_SETTINGS)


def _variant(reply: Reply, if_none_match: str | None) -> dict:
    """Record an answer for the baseline app."""
    return {
        "if_none_match": if_none_match,
        "status": reply.status,
        "headers": reply.replayable_headers(),
        "body": base64.b64encode(reply.body).decode("ascii"),
    }


def _root_tags(payload: str) -> list[tuple[str, str]]:
    """Split a VietQR payload into its root (tag, value) pairs."""
    tags, i = [], 0
    while i < len(payload):
        tag, length = payload[i : i + 2], int(payload[i + 2 : i + 4])
        tags.append((tag, payload[i + 4 : i + 4 + length]))
        i += 4 + length
    return tags


def _side(samples: list[loadgen.Measurement]) -> dict:
    """Summarise one side's rounds by their medians."""
    return {
        "rps": statistics.median(s.rps for s in samples),
        "p50_ms": statistics.median(s.p50_ms for s in samples),
        "p99_ms": statistics.median(s.p99_ms for s in samples),
        "rounds_rps": [round(s.rps, 1) for s in samples],
        "requests": sum(s.requests for s in samples),
        "failed": sum(s.failed for s in samples),
    }


def _summarise(comparison: Comparison, subject, baseline) -> dict:
    """Turn the rounds of a comparison into its headline ratio and verdict."""
    mine, theirs = _side(subject), _side(baseline)
    ratio = mine["rps"] / theirs["rps"] if theirs["rps"] else 0.0
    # Each round's own ratio (its two runs are neighbours in time) shows how steady the figure is.
    round_ratios = [
        round(s.rps / b.rps, 3) if b.rps else 0.0 for s, b in zip(subject, baseline, strict=True)
    ]
    failed = mine["failed"] or theirs["failed"]
    met = None if comparison.goal is None else (ratio >= comparison.goal and not failed)
    return {
        "name": comparison.name,
        "subject_path": comparison.subject.path,
        "subject_headers": dict(comparison.subject.headers),
        "baseline_label": comparison.baseline.label,
        "subject": mine,
        "baseline": theirs,
        "ratio": ratio,
        "round_ratios": round_ratios,
        "goal": comparison.goal,
        "goal_source": comparison.source,
        "met": met,
    }


def format_result(result: dict) -> str:
    """Render one comparison for the terminal."""
    rows = [
        f"  {result['name']}",
        f"    {'':<34}{'req/s':>10}{'p50':>11}{'p99':>11}",
    ]
    for side, label in (("subject", "service"), ("baseline", result["baseline_label"])):
        figures = result[side]
        failed = f"   ({figures['failed']} failed requests)" if figures["failed"] else ""
        rows.append(
            f"    {label:<34}{figures['rps']:>10.1f}{figures['p50_ms']:>9.2f}ms"
            f"{figures['p99_ms']:>9.2f}ms{failed}"
        )
    if result["goal"] is None:
        verdict = f"no target set ({result['goal_source']})"
    else:
        verdict = f"target ≥ {result['goal']:g} ({result['goal_source']}): " + (
            "MET" if result["met"] else "NOT MET"
        )
    spread = ", ".join(f"{r:.2f}" for r in result["round_ratios"])
    rows.append(
        f"    ratio service/baseline = {result['ratio']:.2f} (per round: {spread})   {verdict}"
    )
    return "\n".join(rows)


def machine() -> dict:
    """Describe the machine and settings a result was measured with."""
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_generator": loadgen.tool(),
        "gunicorn_workers": os.environ.get("WEB_CONCURRENCY", "2 (gunicorn.conf.py default)"),
        "gunicorn_threads": os.environ.get("GUNICORN_THREADS", "8 (gunicorn.conf.py default)"),
    }


def write_results(settings: Settings, scenarios: dict[str, dict]) -> Path:
    """Write the run's JSON summary to bench/results/<timestamp>.json and return its path."""
    RESULTS_DIR.mkdir(exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    path = RESULTS_DIR / f"{stamp}.json"
    summary = {
        "time": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "settings": dataclasses.asdict(settings),
        "machine": machine(),
        "scenarios": scenarios,
    }
    path.write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n")
    return path
