"""The city-wide indicators (issue 16, "Fast reads"): `GET /api/v1/kpi` as notices grow.

    .venv/bin/python -m bench kpi                  # with the other scenarios' runner
    .venv/bin/python -m bench.kpi                  # on its own (SQLite, then PostgreSQL)
    BENCH_KPI_BACKENDS=postgresql .venv/bin/python -m bench.kpi

For each database (SQLite; a throwaway PostgreSQL cluster, `bench.ballots.Postgres`) two fresh
databases are migrated (`flask db upgrade`, `wards sync`: the 126 units) and filled with SQL,
`INSERT … SELECT` over a generated series (no API, no ORM):

- residents: RECIPIENTS per ward (12,600 with the default 100), in one statement;
- notices: small = 100, large = 10,000, spread evenly over the 126 wards and over the last 89
  days (inside the indicator's 90-day window, newest last), published and delivered;
- each notice's inbox: one `notice_recipient` row, not `late`, for each of its ward's RECIPIENTS
  residents (10,000 and 1,000,000 rows), of which 30–80 % (it varies by notice) are read
  (`read_at` set, an hour after delivery) with their `notice_read` receipt, as
  `community/notices/service/reading.py mark_read` leaves them;
- when the `notice` table has the maintained counters (`audience_count`, `read_count`,
  migration 0013), each notice carries its own: its not-late recipients and how many of them
  read it. The fill checks their sums against a recount of the rows it wrote, and runs
  `flask --app wsgi kpi check` (the service's own recount) when the command exists.

Then the real service (`gunicorn -c gunicorn.conf.py wsgi:app`) is started on each database of
the pair, and one client (BENCH_KPI_CLIENTS) asks the city-wide `GET /api/v1/kpi` (126 units,
every indicator), anonymous, over keep-alive, the two sizes interleaved (small, large, small, …
BENCH_DURATION s each, BENCH_ROUNDS rounds, after BENCH_WARMUP s of each). Before measuring, each
answer is checked: 200, 126 units, and the notice reach's numerators and denominators adding up
to the reads and recipients written. Printed: p50 / p99 per size, and the growth p99 large ÷ p99
small. Targets: p99 ≤ 50 ms at 1,000,000 receipts, growth ≤ 1.2. Also printed, in process on the
same databases: each indicator's `measure()` (median), to show where a request's time goes.
"""

from __future__ import annotations

import http.client
import json
import os
import secrets
import statistics
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import sqlalchemy as sa

from bench import harness

NAME = "kpi"
PATH = "/api/v1/kpi"
RECIPIENTS = int(os.environ.get("BENCH_KPI_RECIPIENTS", "100"))
SMALL = int(os.environ.get("BENCH_KPI_SMALL", "100"))  # notices
LARGE = int(os.environ.get("BENCH_KPI_LARGE", "10000"))
# Notices older than the window, in the large database only (0: the window is all there is).
OLD = int(os.environ.get("BENCH_KPI_OLD", "0"))
CLIENTS = int(os.environ.get("BENCH_KPI_CLIENTS", "1"))
BACKENDS = [
    b.strip() for b in os.environ.get("BENCH_KPI_BACKENDS", "sqlite,postgresql").split(",") if b
]
P99_TARGET_MS = 50.0
GROWTH_TARGET = 1.2
WINDOW_DAYS = 89  # the indicator counts the last 90 days; a day of slack for a long run
CHUNK = 1_000  # notices per statement (100,000 inbox rows)
READ_MIN, READ_SPREAD = 30, 51  # notice i is read by READ_MIN + i % READ_SPREAD of its 100
TITLE = (
    f"GET {PATH} (126 units, every indicator) p50/p99 through gunicorn at "
    f"{SMALL * RECIPIENTS:,} and {LARGE * RECIPIENTS:,} notice receipts, SQLite and PostgreSQL "
    "(issue 16)"
)


# --- databases and their fill -----------------------------------------------------------------


def _env(url: str, workdir: Path, label: str) -> dict:
    return dict(
        os.environ,
        APP_ENV="development",
        DATABASE_URL=url,
        INSTANCE_PATH=str(workdir / f"instance-{label}"),
        SECRET_KEY=f"bench-{secrets.token_urlsafe(24)}",
        FLASK_APP="wsgi",
        PYTHONDONTWRITEBYTECODE="1",
    )


def _flask(env: dict, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", *args],
        cwd=harness.ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if check and done.returncode != 0:
        output = "\n".join((done.stdout + done.stderr).strip().splitlines()[-12:])
        raise RuntimeError(f"flask {' '.join(args)} failed:\n{output}")
    return done


def _series(dialect: str) -> str:
    """A CTE `s(i)` over :lo..:hi in this dialect."""
    if dialect == "postgresql":
        return (
            "WITH s(i) AS (SELECT * FROM generate_series(CAST(:lo AS bigint), CAST(:hi AS bigint)))"
        )
    return "WITH RECURSIVE s(i) AS (SELECT :lo UNION ALL SELECT i + 1 FROM s WHERE i < :hi)"


def _ts(dialect: str, epoch: str) -> str:
    """A UTC timestamp from seconds since the epoch, stored as SQLAlchemy stores it."""
    if dialect == "postgresql":
        return f"(to_timestamp({epoch}) AT TIME ZONE 'UTC')"
    return f"(strftime('%Y-%m-%d %H:%M:%S', {epoch}, 'unixepoch') || '.000000')"


def _plus_hour(dialect: str, column: str) -> str:
    if dialect == "postgresql":
        return f"({column} + interval '1 hour')"
    return f"(strftime('%Y-%m-%d %H:%M:%S', {column}, '+1 hour') || '.000000')"


def fill(url: str, notices: int, old: int = 0) -> dict:
    """Fill a migrated database with residents, notices and their inboxes; return counts.

    `notices` fall in the indicator's window; `old` more (ids after them) were delivered
    before it, over the year before (history the indicator must not read).
    """
    engine = sa.create_engine(url)
    dialect = engine.dialect.name
    columns = {c["name"] for c in sa.inspect(engine).get_columns("notice")}
    counters = {"audience_count", "read_count"} <= columns
    false = "false" if dialect == "postgresql" else "0"
    now = time.time()
    begun = time.perf_counter()
    with engine.begin() as conn:
        codes = [row[0] for row in conn.exec_driver_sql("SELECT code FROM ward ORDER BY code")]
        wards = len(codes)
        people = wards * RECIPIENTS
        conn.execute(
            sa.text(
                f"""{_series(dialect)}
INSERT INTO "user" (issuer, sub, name, vneid_level, session_version, created_at, updated_at)
SELECT 'bench', 'bench-kpi-' || i, 'Cư dân ' || i, 1, 1, {_ts(dialect, ":now")},
    {_ts(dialect, ":now")}
FROM s"""  # noqa: S608 (this file's constants only)
            ),
            {"lo": 0, "hi": people - 1, "now": now},
        )
        first, last, n = conn.exec_driver_sql(
            "SELECT min(id), max(id), count(*) FROM \"user\" WHERE issuer = 'bench'"
        ).one()
        if last - first + 1 != n or n != people:
            raise RuntimeError("residents' ids are not contiguous")
        conn.exec_driver_sql("DROP TABLE IF EXISTS bench_ward")
        conn.exec_driver_sql("DROP TABLE IF EXISTS bench_k")
        conn.exec_driver_sql(
            "CREATE TABLE bench_ward (ward_no integer PRIMARY KEY, ward_code varchar(5))"
        )
        conn.exec_driver_sql("CREATE TABLE bench_k (k integer PRIMARY KEY)")
        conn.execute(
            sa.text("INSERT INTO bench_ward VALUES (:w, :code)"),
            [{"w": w, "code": code} for w, code in enumerate(codes)],
        )
        conn.execute(
            sa.text("INSERT INTO bench_k VALUES (:k)"), [{"k": k} for k in range(RECIPIENTS)]
        )
    # Notice i: ward i % wards, delivered `step` seconds after notice i - 1, the last one a
    # step ago; read by READ_MIN + i % READ_SPREAD of its RECIPIENTS residents (the resident k
    # reads when (7k + i) % RECIPIENTS falls below that: 7 is prime to 100, so exactly that many).
    step = WINDOW_DAYS * 86400 / notices
    old_step = 365 * 86400 / old if old else 0
    delivered = _ts(
        dialect,
        "CASE WHEN i <= :n THEN :now - (:n - i + 1) * :step "
        "ELSE :now - 91 * 86400 - (i - :n) * :old_step END",
    )
    read_share = f"({READ_MIN} + i % {READ_SPREAD})"
    extra_cols = ", audience_count, read_count" if counters else ""
    extra_vals = f", {RECIPIENTS}, {read_share}" if counters else ""
    notice_sql = sa.text(
        f"""{_series(dialect)}
INSERT INTO notice (id, ward_code, author_id, title, body, category, priority, pinned, status,
    publish_at, expires_at, published_at, delivered_at, withdrawn_at, search_text, created_at,
    updated_at{extra_cols})
SELECT i, w.ward_code, NULL, 'Thông báo số ' || i,
    'Phường thông báo lịch tiêm chủng, thu gom rác và sinh hoạt tổ dân phố tháng này.',
    'thong_tin_co_so', 'normal', {false}, 'published', NULL, NULL, {delivered}, {delivered},
    NULL, 'thong bao so ' || i, {delivered}, {delivered}{extra_vals}
FROM s JOIN bench_ward w ON w.ward_no = i % :wards"""  # noqa: S608
    )
    read_at = _plus_hour(dialect, "n.delivered_at")
    inbox_sql = sa.text(
        f"""INSERT INTO notice_recipient (notice_id, user_id, pinned, urgent, published_at,
    expires_at, hidden, late, delivered_at, read_at)
SELECT n.id, :first + (n.id % :wards) * {RECIPIENTS} + k.k, {false}, {false}, n.published_at,
    NULL, {false}, {false}, n.delivered_at,
    CASE WHEN (7 * k.k + n.id) % {RECIPIENTS} < {READ_MIN} + n.id % {READ_SPREAD}
         THEN {read_at} END
FROM notice n CROSS JOIN bench_k k WHERE n.id BETWEEN :lo AND :hi"""  # noqa: S608
    )
    receipts_sql = sa.text(
        "INSERT INTO notice_read (notice_id, user_id, read_at) SELECT notice_id, user_id, "
        "read_at FROM notice_recipient WHERE notice_id BETWEEN :lo AND :hi AND read_at IS NOT NULL"
    )
    for lo in range(1, notices + old + 1, CHUNK):
        hi = min(lo + CHUNK - 1, notices + old)
        with engine.begin() as conn:
            conn.execute(
                notice_sql,
                {
                    "lo": lo,
                    "hi": hi,
                    "now": now,
                    "n": notices,
                    "step": step,
                    "old_step": old_step,
                    "wards": wards,
                },
            )
            conn.execute(inbox_sql, {"lo": lo, "hi": hi, "first": first, "wards": wards})
            conn.execute(receipts_sql, {"lo": lo, "hi": hi})
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE bench_ward")
        conn.exec_driver_sql("DROP TABLE bench_k")
        recipients, reads, in_window, read_in_window = conn.execute(
            sa.text(
                "SELECT count(*), sum(CASE WHEN read_at IS NULL THEN 0 ELSE 1 END), "
                "sum(CASE WHEN notice_id <= :n THEN 1 ELSE 0 END), "
                "sum(CASE WHEN notice_id <= :n AND read_at IS NOT NULL THEN 1 ELSE 0 END) "
                "FROM notice_recipient WHERE NOT late"
            ),
            {"n": notices},
        ).one()
        receipts = conn.exec_driver_sql("SELECT count(*) FROM notice_read").scalar_one()
        counted = None
        if counters:
            counted = tuple(
                int(v or 0)
                for v in conn.exec_driver_sql(
                    "SELECT sum(audience_count), sum(read_count) FROM notice"
                ).one()
            )
    if counters and counted != (recipients, reads):
        raise RuntimeError(
            f"counters written {counted} differ from the rows written {(recipients, reads)}"
        )
    if dialect == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql(
                "SELECT setval(pg_get_serial_sequence('notice', 'id'), "
                "(SELECT max(id) FROM notice))"
            )
            conn.exec_driver_sql("VACUUM ANALYZE")
    else:
        with engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
    engine.dispose()
    return {
        "notices": notices,
        "old_notices": old,
        "wards": wards,
        "residents": people,
        "recipients": int(in_window),  # of the notices in the window: what the indicator counts
        "reads": int(read_in_window),
        "all_recipients": int(recipients),
        "notice_read": int(receipts),
        "counters": counters,
        "fill_seconds": round(time.perf_counter() - begun, 1),
    }


def kpi_check(env: dict) -> dict:
    """Run `flask --app wsgi kpi check` when the service has it; return what it said."""
    listed = _flask(env, "kpi", "--help", check=False)
    if "check" not in listed.stdout.split("Commands:", 1)[-1]:
        return {"available": False}
    begun = time.perf_counter()
    done = _flask(env, "kpi", "check", check=False)
    output = (done.stdout + done.stderr).strip()
    return {
        "available": True,
        "returncode": done.returncode,
        "seconds": round(time.perf_counter() - begun, 1),
        "output": "\n".join(output.splitlines()[-6:]),
    }


# --- asking the service ---------------------------------------------------------------------


def _reach_totals(body: dict) -> tuple[int, int]:
    read = audience = 0
    for entry in body["items"]:
        for ind in entry["indicators"]:
            if ind["id"] == "notice_reach":
                read += ind["numerator"]
                audience += ind["denominator"] or 0
    return read, audience


def check_answer(server: harness.Server, filled: dict) -> dict:
    """Ask once: 200, 126 units, the notice reach adding up to the rows written."""
    reply = server.get(PATH)
    if reply.status != 200:
        raise harness.Skipped(f"endpoint not available (status {reply.status})")
    body = reply.json()
    found = []
    if len(body["items"]) != filled["wards"]:
        found.append(f"{len(body['items'])} units instead of {filled['wards']}")
    reach = _reach_totals(body)
    if reach != (filled["reads"], filled["recipients"]):
        found.append(
            f"notice reach adds up to {reach[0]:,}/{reach[1]:,}, the rows written to "
            f"{filled['reads']:,}/{filled['recipients']:,}"
        )
    indicators = len(body["items"][0]["indicators"]) if body["items"] else 0
    return {"bytes": len(reply.body), "indicators": indicators, "mismatches": found}


def _ask(port: int, seconds: float, clients: int) -> tuple[list[float], int]:
    """Ask PATH over keep-alive from `clients` threads for `seconds`; latencies (s), failures."""
    deadline = time.perf_counter() + seconds
    latencies: list[float] = []
    failed = [0]
    lock = threading.Lock()

    def loop():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine, bad = [], 0
        try:
            while time.perf_counter() < deadline:
                t0 = time.perf_counter()
                try:
                    conn.request("GET", PATH)
                    response = conn.getresponse()
                    response.read()
                    ok = response.status == 200
                except (OSError, http.client.HTTPException):
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                    ok = False
                if ok:
                    mine.append(time.perf_counter() - t0)
                else:
                    bad += 1
        finally:
            conn.close()
        with lock:
            latencies.extend(mine)
            failed[0] += bad

    threads = [threading.Thread(target=loop) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, failed[0]


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))] * 1000 if ordered else 0.0


def in_process(url: str, instance: str, repeat: int = 15) -> dict:
    """Median ms of each indicator's measure(), and of the whole service.measure(), in process."""
    from app import create_app
    from app.extensions import db
    from indicators import service

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "bench-" + "x" * 40,
            "RATELIMIT_ENABLED": False,
            "INSTANCE_PATH": instance,
        }
    )
    timings: dict[str, list[float]] = {}
    with app.app_context():
        table = service.registered()
        for _ in range(repeat):
            for ind in table:
                t0 = time.perf_counter()
                ind.measure()
                timings.setdefault(ind.id, []).append(time.perf_counter() - t0)
                db.session.rollback()
            t0 = time.perf_counter()
            service.summarize(service.measure())
            timings.setdefault("measure() + summarize(), all", []).append(time.perf_counter() - t0)
            db.session.rollback()
        db.engine.dispose()
    return {label: statistics.median(t) * 1000 for label, t in timings.items()}


def run_backend(backend: str, server_url: str | None, settings, workdir: Path) -> dict:
    """Build both sizes on one database kind, serve each, ask them interleaved; the figures."""
    sizes = {"small": SMALL, "large": LARGE}
    drops, servers = [], {}
    result: dict = {"backend": backend, "clients": CLIENTS, "sizes": {}}
    try:
        for label, notices in sizes.items():
            url, drop = harness.fresh_database(workdir, f"kpi-{backend}-{label}", server_url)
            drops.append(drop)
            env = _env(url, workdir, f"{backend}-{label}")
            print(
                f"  {backend}: {notices:,} notices × {RECIPIENTS} recipients: migrating, "
                "filling ...",
                flush=True,
            )
            _flask(env, "db", "upgrade")
            _flask(env, "wards", "sync")
            filled = fill(url, notices, OLD if label == "large" else 0)
            check = kpi_check(env)
            print(
                f"    {filled['recipients']:,} recipients, {filled['reads']:,} read in the window"
                + (
                    f" (and {filled['old_notices']:,} older notices, "
                    f"{filled['all_recipients'] - filled['recipients']:,} recipients)"
                    if filled["old_notices"]
                    else ""
                )
                + f"; {filled['notice_read']:,} notice_read; counters "
                f"{'written' if filled['counters'] else 'absent (no migration 0013 yet)'}; "
                f"filled in {filled['fill_seconds']:.0f} s",
                flush=True,
            )
            if check["available"]:
                print(
                    f"    flask kpi check: exit {check['returncode']} in {check['seconds']} s: "
                    + check["output"].replace("\n", " | "),
                    flush=True,
                )
            server = harness.Server(f"kpi-{backend}-{label}", "wsgi:app", env, workdir)
            server.start()
            servers[label] = server
            answer = check_answer(server, filled)
            for mismatch in answer["mismatches"]:
                print(f"    CHECK FAILED: {mismatch}", flush=True)
            result["sizes"][label] = {
                "notices": notices,
                "fill": filled,
                "kpi_check": check,
                "answer": answer,
                "url": url,
                "instance": env["INSTANCE_PATH"],
            }
        samples = {label: [] for label in sizes}
        failed = {label: 0 for label in sizes}
        rounds_p99 = {label: [] for label in sizes}
        if settings.warmup > 0:
            for label in sizes:
                _ask(servers[label].port, max(settings.warmup, 1.0), CLIENTS)
        for _ in range(settings.rounds):
            for label in sizes:
                got, bad = _ask(servers[label].port, settings.duration, CLIENTS)
                samples[label].extend(got)
                failed[label] += bad
                rounds_p99[label].append(round(_percentile(got, 0.99), 1))
        for label in sizes:
            result["sizes"][label].update(
                p50_ms=_percentile(samples[label], 0.50),
                p99_ms=_percentile(samples[label], 0.99),
                requests=len(samples[label]),
                failed=failed[label],
                rounds_p99_ms=rounds_p99[label],
            )
    finally:
        for server in servers.values():
            server.stop()
    # Where the time goes: each indicator's query, in process, on the same databases.
    for label in sizes:
        size = result["sizes"][label]
        try:
            size["in_process_ms"] = in_process(size["url"], size["instance"])
        except Exception as error:  # noqa: BLE001 (a diagnostic only)
            size["in_process_ms"] = {"error": repr(error)}
    for drop in drops:
        drop()
    small, large = result["sizes"]["small"], result["sizes"]["large"]
    result["growth_p99"] = large["p99_ms"] / small["p99_ms"] if small["p99_ms"] else 0.0
    result["growth_p50"] = large["p50_ms"] / small["p50_ms"] if small["p50_ms"] else 0.0
    checks_ok = not any(s["answer"]["mismatches"] for s in result["sizes"].values()) and not any(
        s["kpi_check"].get("returncode") for s in result["sizes"].values()
    )
    no_failures = not (small["failed"] or large["failed"])
    result["p99_met"] = large["p99_ms"] <= P99_TARGET_MS and no_failures and checks_ok
    result["growth_met"] = result["growth_p99"] <= GROWTH_TARGET and no_failures and checks_ok
    result["met"] = result["p99_met"] and result["growth_met"]
    return result


def format_result(result: dict) -> list[str]:
    """Render one database's figures as lines."""
    small, large = result["sizes"]["small"], result["sizes"]["large"]
    lines = [
        f"{result['backend']}: GET {PATH}, {large['answer']['indicators']} indicators × "
        f"{large['fill']['wards']} units ({large['answer']['bytes'] / 1000:.0f} kB), "
        f"{result['clients']} client(s) through gunicorn"
        + (
            f"; the large database also holds {large['fill']['old_notices']:,} notices older "
            "than the window"
            if large["fill"].get("old_notices")
            else ""
        )
        + "; counters "
        + ("written" if large["fill"]["counters"] else "absent"),
        f"  {'':<28}{'receipts':>11}{'p50':>10}{'p99':>10}{'requests':>10}   p99 per round",
    ]
    for label, size in (("small", small), ("large", large)):
        failed = f" ({size['failed']} failed)" if size["failed"] else ""
        name = f"{label} ({size['notices']:,} notices × {RECIPIENTS})"
        lines.append(
            f"  {name:<28}"
            f"{size['fill']['recipients']:>11,}{size['p50_ms']:>8.1f}ms{size['p99_ms']:>8.1f}ms"
            f"{size['requests']:>10}   {', '.join(f'{v:.1f}' for v in size['rounds_p99_ms'])}"
            f"{failed}"
        )
    lines.append(
        f"  growth p99 large/small = {result['growth_p99']:.2f} (p50 {result['growth_p50']:.2f}), "
        f"target ≤ {GROWTH_TARGET}: {'MET' if result['growth_met'] else 'NOT MET'}; "
        f"p99 at {large['fill']['recipients']:,} = {large['p99_ms']:.1f} ms, target ≤ "
        f"{P99_TARGET_MS:g} ms: {'MET' if result['p99_met'] else 'NOT MET'} (issue 16)"
    )
    for label, size in (("small", small), ("large", large)):
        for mismatch in size["answer"]["mismatches"]:
            lines.append(f"  CHECK FAILED ({label}): {mismatch}")
        check = size["kpi_check"]
        if check["available"]:
            lines.append(
                f"  flask kpi check ({label}): exit {check['returncode']}: "
                + check["output"].replace("\n", " | ")
            )
        elif label == "large":
            lines.append("  flask kpi check: not available (not run)")
    spent = {"small": small.get("in_process_ms", {}), "large": large.get("in_process_ms", {})}
    if "error" not in spent["small"] and "error" not in spent["large"]:
        lines.append("  in process, median ms per call (small → large):")
        for key in spent["large"]:
            lines.append(
                f"    {key:<34}{spent['small'].get(key, 0):>8.2f} → {spent['large'][key]:>8.2f}"
            )
    else:
        lines.append(f"  in process: {spent['large'].get('error') or spent['small'].get('error')}")
    return lines


def _write_json(results: list[dict]) -> Path:
    harness.RESULTS_DIR.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = harness.RESULTS_DIR / f"{stamp}-kpi.json"
    summary = {
        "time": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": harness.machine(),
        "results": results,
    }
    path.write_text(json.dumps(summary, ensure_ascii=False, indent=2, default=str) + "\n")
    print(f"  figures written to {path.relative_to(harness.ROOT)}", flush=True)
    return path


def run_all(settings, workdir: Path) -> list[dict]:
    """Run on SQLite, then on a throwaway PostgreSQL cluster (BENCH_KPI_BACKENDS)."""
    results = harness.on_each_backend(
        BACKENDS,
        lambda name, url: run_backend(name, url, settings, workdir),
        format_result,
        "BENCH_KPI_BACKENDS",
    )
    if results:
        _write_json(results)
    return results


# --- the runner's hooks (bench/__main__.py) ---------------------------------------------------


_SCENARIO = harness.SelfContained(NAME, run_all, format_result)
prepare, check, main = _SCENARIO.prepare, _SCENARIO.check, _SCENARIO.main

SAME = "checked in the run itself: 126 units, the notice reach adding up to the rows written"
SCENARIO = SimpleNamespace(NAME=NAME, TITLE=TITLE, SAME=SAME, prepare=prepare, check=check)


if __name__ == "__main__":
    sys.exit(main())
