"""Appointments benchmark (issue 15): 1,000 residents racing for 100 places.

    .venv/bin/python -m bench appointments      # with the other scenarios' runner
    .venv/bin/python -m bench.appointments      # on its own

For PostgreSQL (a throwaway cluster, `bench.ballots.Postgres`) and SQLite, a fresh database gets
the real migrations, the wards, a `ward_admin` of ward 00070 and 1,000 residents with bearer
tokens (seeded with SQL, as `bench/ballots.py` seeds its voters). The real service (`wsgi:app`)
and the ballot bench's baseline (`bench.ballots:baseline_app()`: bare Flask, one pooled
`INSERT … ON CONFLICT DO NOTHING` per request) run under the same gunicorn settings, side by
side, from this process.

Each round, the ward admin creates fresh booking services through the API (`POST
/api/v1/wards/00070/booking-services`, open 00:00–24:00 on all seven weekdays, 60-minute slots),
reads the race day's slots (`GET /api/v1/booking-services/{id}/slots?date=`), and the 1,000
residents race for them: every resident has its own connection, opened beforehand, and all of
them send `POST /api/v1/appointments` at the same instant (released together, threads over
several processes). Two races a round, each on 100 places:

- `one slot of 100`: one slot, capacity 100; all 1,000 requests queue on one counter row;
- `10 slots of 10`: ten consecutive slots (09:00 to 18:00), capacity 10; resident i goes for
  slot i mod 10, so a hundred contend for each ten places.

The race day is the first day three or more local days ahead that is not one of Việt Nam's
public holidays (`app.workdays.holiday_name`). Interleaved with the races (after a warm-up of
each): the ballot bench's bare INSERT ceiling (its 64 clients for BENCH_DURATION seconds) and the
same bare INSERT hit by the race's burst (1,000 connections released at once).

After each race, through the database: 201s = 100 exactly, every other answer 409 `slot_full`,
no other status; each slot's counter (`booking_slot.booked`) = its active appointments, none
above capacity; every 201's appointment stored once for its resident, nothing stored that was
not acknowledged. Figures: p50/p99 latency of the race's requests, accepted bookings/s (201s
over the time from the release to the last 201), all requests/s (answers over the time from the
release to the last answer), and the ratio of the race's requests/s to the bare INSERT ceiling.
"""

from __future__ import annotations

import dataclasses
import hashlib
import http.client
import json
import multiprocessing
import os
import secrets
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bench import ballots, harness

NAME = "appointments"
TITLE = (
    "1,000 residents racing for 100 places: POST /api/v1/appointments all at once (one slot of "
    "100, ten slots of 10), against the ballot bench's bare INSERT ceiling (issue 15)"
)
SAME = "exactly 100 accepted, counters = active bookings, checked after each race"
RESIDENTS = int(os.environ.get("BENCH_APPOINTMENT_RESIDENTS", "1000"))
PLACES = 100
PROCESSES = int(os.environ.get("BENCH_APPOINTMENT_PROCESSES", "4"))
BACKENDS = os.environ.get("BENCH_APPOINTMENT_BACKENDS", "postgresql,sqlite").split(",")
KNOWN_LAYOUTS = {"one": (1, 100), "ten": (10, 10)}  # slots, capacity per slot
LAYOUTS = os.environ.get("BENCH_APPOINTMENT_LAYOUTS", "one,ten").split(",")
LAYOUT_LABELS = {"one": "one slot of 100", "ten": "10 slots of 10"}
ACTIVE = ("booked", "checked_in", "called")
WARD = "00070"
ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = Path(__file__).resolve().parent / "results"
FIRST_SLOT_HOUR = 9  # local time of the first raced slot


def race_day(today: date) -> date:
    """Return the first day at least three days after `today` that is not a public holiday."""
    from app.workdays import holiday_name

    day = today + timedelta(days=3)
    while holiday_name(day):
        day += timedelta(days=1)
    return day


# --- seed -----------------------------------------------------------------------------------


def _seed(env: dict, url: str) -> dict:
    """Migrate, add the wards, a ward admin and RESIDENTS residents, each with a bearer token."""
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

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": env["SECRET_KEY"],
            "INSTANCE_PATH": env["INSTANCE_PATH"],
        }
    )
    now = datetime.now(UTC)
    expires = datetime(2100, 1, 1, tzinfo=UTC)
    subs = ["bench-ward-admin", *(f"bench-resident-{i}" for i in range(1, RESIDENTS + 1))]
    with app.app_context():
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
                for sub in subs
            ],
        )
        ids = dict(
            db.session.execute(sa.select(User.sub, User.id).where(User.issuer == "bench")).all()
        )
        db.session.execute(
            sa.insert(RoleGrant),
            [
                {
                    "user_id": ids[subs[0]],
                    "role": "ward_admin",
                    "ward_code": WARD,
                    "community_id": None,
                    "scope": f"ward:{WARD}",
                    "granted_at": now,
                }
            ],
        )
        tokens, rows = {}, []
        for sub in subs:
            raw = "pxs_" + secrets.token_urlsafe(24)
            tokens[sub] = raw
            rows.append(
                {
                    "user_id": ids[sub],
                    "token_hash": hashlib.sha256(raw.encode()).hexdigest(),
                    "created_at": now,
                    "expires_at": expires,
                }
            )
        db.session.execute(sa.insert(ApiToken), rows)
        # The ballot bench's baseline table (its bare INSERT writes here).
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
        "admin": tokens[subs[0]],
        # (token, user id) of each resident
        "residents": [(tokens[s], ids[s]) for s in subs[1:]],
    }


# --- HTTP -----------------------------------------------------------------------------------


def _call(port: int, method: str, path: str, token: str, body=None, key: bool = False):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Authorization": f"Bearer {token}"}
    if body is not None:
        headers["Content-Type"] = "application/json"
    if key:
        headers["Idempotency-Key"] = str(uuid.uuid4())
    try:
        conn.request(method, path, body=None if body is None else json.dumps(body), headers=headers)
        response = conn.getresponse()
        return response.status, json.loads(response.read() or b"null")
    finally:
        conn.close()


def _make_service(port: int, admin: str, name: str, capacity: int, day: date) -> dict:
    """Create a service as the ward admin (the API); return its id and the day's slots."""
    status, body = _call(
        port,
        "POST",
        f"/api/v1/wards/{WARD}/booking-services",
        admin,
        {
            "name": name,
            "kind": "procedure",
            "location": "Bộ phận một cửa (benchmark)",
            "duration_minutes": 60,
            "capacity": capacity,
            "book_ahead_days": 30,
            "hours": [{"weekday": d, "start": "00:00", "end": "24:00"} for d in range(1, 8)],
        },
        key=True,
    )
    if status != 201:
        raise RuntimeError(f"creating a booking service answered {status}: {body}")
    service_id = body["id"]
    status, slots = _call(
        port, "GET", f"/api/v1/booking-services/{service_id}/slots?date={day}", admin
    )
    if status != 200 or slots.get("closed_reason"):
        raise RuntimeError(f"slots of {day} answered {status}: {slots}")
    return {"id": service_id, "capacity": capacity, "slots": slots["items"]}


# --- the race -------------------------------------------------------------------------------


def _racer(port, job, ready, go, out, lock):
    """One resident: connect, wait for the start, send one request, note the answer."""
    path, body, headers, who = job
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    try:
        conn.connect()
    except OSError as error:
        conn = None
        failure = type(error).__name__
    ready.wait()
    go.wait()
    sent = time.monotonic()
    if conn is None:
        record = (who, "connect " + failure, None, sent, time.monotonic(), None)
    else:
        try:
            conn.request("POST", path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
            answered = time.monotonic()
            code = None
            made = None
            if response.status == 201:
                made = json.loads(data).get("id")
            elif response.status >= 400:
                code = ballots._error_code(data)
            record = (who, response.status, code, sent, answered, made)
        except (OSError, http.client.HTTPException) as error:
            record = (who, type(error).__name__, None, sent, time.monotonic(), None)
        finally:
            conn.close()
    with lock:
        out.append(record)


def _racers(port, jobs, ready_q, go_event, results):
    """A process of racers: connect all, report ready, wait for the start, send together."""
    out: list = []
    lock = threading.Lock()
    connected = threading.Barrier(len(jobs) + 1)
    go = threading.Event()
    threads = [
        threading.Thread(target=_racer, args=(port, job, connected, go, out, lock)) for job in jobs
    ]
    for t in threads:
        t.start()
    connected.wait()  # every racer holds its connection
    ready_q.put(len(jobs))
    go_event.wait()
    go.set()
    for t in threads:
        t.join()
    results.put(out)


def _race(port: int, jobs: list) -> dict:
    """Send every job at once (its own connection each, opened first); return each answer."""
    threading.stack_size(256 * 1024)
    ctx = multiprocessing.get_context("fork")
    ready, results, go = ctx.Queue(), ctx.Queue(), ctx.Event()
    procs = [
        ctx.Process(target=_racers, args=(port, jobs[i::PROCESSES], ready, go, results))
        for i in range(PROCESSES)
    ]
    for p in procs:
        p.start()
    for _ in procs:
        ready.get(timeout=120)
    time.sleep(0.2)
    released = time.monotonic()
    go.set()
    answers = [a for _ in procs for a in results.get(timeout=600)]
    for p in procs:
        p.join()
    statuses = Counter(a[1] for a in answers)
    latencies = sorted(a[4] - a[3] for a in answers)
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 2 else [0.0] * 99
    ended = max(a[4] for a in answers) - released
    accepted = [a for a in answers if a[1] == 201]
    last_accept = max((a[4] for a in accepted), default=released) - released
    # Answered after the last 201: refusals of a full slot (no booking holds its row any more).
    after_full = sum(1 for a in answers if a[4] - released > last_accept)
    return {
        "answers": answers,
        "requests": len(answers),
        "statuses": {str(k): v for k, v in statuses.items()},
        "codes": dict(Counter(f"{a[1]} {a[2]}" for a in answers if a[2])),
        "accepted": len(accepted),
        "refused": statuses.get(409, 0),
        "other": len(answers) - len(accepted) - statuses.get(409, 0),
        "seconds": ended,
        "rps": len(answers) / ended if ended else 0.0,
        "accepted_seconds": last_accept,
        "accepted_per_s": len(accepted) / last_accept if last_accept else 0.0,
        "after_full": after_full,
        "after_full_per_s": after_full / (ended - last_accept) if ended > last_accept else 0.0,
        "p50_ms": cuts[49] * 1000,
        "p99_ms": cuts[98] * 1000,
        "max_ms": latencies[-1] * 1000 if latencies else 0.0,
    }


def _race_jobs(service: dict, residents: list, slots_used: int) -> list:
    """One booking request per resident; resident i goes for slot i mod `slots_used`."""
    local = [s for s in service["slots"] if int(s["start"][11:13]) >= FIRST_SLOT_HOUR]
    chosen = local[:slots_used]
    if len(chosen) < slots_used:
        raise RuntimeError(f"only {len(chosen)} slots from {FIRST_SLOT_HOUR}:00 on the race day")
    jobs = []
    for i, (token, user_id) in enumerate(residents):
        body = json.dumps({"service_id": service["id"], "start": chosen[i % slots_used]["start"]})
        headers = {
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/json",
            "Connection": "close",
        }
        jobs.append(("/api/v1/appointments", body, headers, user_id))
    return jobs


def _check_race(url: str, service: dict, race: dict) -> dict:
    """Compare the race's answers with what the database holds for its service."""
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    with engine.connect() as conn:
        counters = conn.execute(
            sa.text("SELECT start, booked FROM booking_slot WHERE service_id = :s"),
            {"s": service["id"]},
        ).all()
        stored = conn.execute(
            sa.text("SELECT id, user_id, start, status FROM appointment WHERE service_id = :s"),
            {"s": service["id"]},
        ).all()
    engine.dispose()

    def key(moment) -> str:
        # SQLite hands back naive UTC, PostgreSQL aware: compare as UTC text.
        if isinstance(moment, str):
            moment = datetime.fromisoformat(moment)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return moment.astimezone(UTC).isoformat()

    active: Counter = Counter(key(r[2]) for r in stored if r[3] in ACTIVE)
    booked = {key(start): n for start, n in counters}
    acknowledged = {a[5]: a[0] for a in race["answers"] if a[1] == 201}
    stored_ids = {r[0]: r[1] for r in stored}
    found = {
        "slots": len(booked),
        "booked": sum(booked.values()),
        "active_appointments": sum(active.values()),
        "counter_mismatches": sum(
            1 for s in booked.keys() | active.keys() if booked.get(s, 0) != active.get(s, 0)
        ),
        "over_capacity": sum(1 for n in booked.values() if n > service["capacity"]),
        "lost": sum(1 for i, who in acknowledged.items() if stored_ids.get(i) != who),
        "extra": sum(1 for i in stored_ids if i not in acknowledged),
        "residents_twice": len(stored) - len({r[1] for r in stored}),
        "refusals": race["codes"],
    }
    found["ok"] = (
        race["accepted"] == PLACES
        and race["other"] == 0
        and race["refused"] == race["requests"] - PLACES
        and set(race["codes"]) <= {"409 slot_full"}
        and found["booked"] == found["active_appointments"] == PLACES
        and found["counter_mismatches"] == 0
        and found["over_capacity"] == 0
        and found["lost"] == 0
        and found["extra"] == 0
        and found["residents_twice"] == 0
    )
    return found


# --- one database ---------------------------------------------------------------------------


def _run_backend(label: str, url: str, settings, workdir: Path) -> dict:
    """Seed a database, start the service and the baseline, and run the rounds."""
    from bench.harness import Server

    env = dict(
        os.environ,
        APP_ENV="development",
        DATABASE_URL=url,
        INSTANCE_PATH=str(workdir / f"instance-appointments-{label}"),
        SECRET_KEY=f"bench-{secrets.token_urlsafe(24)}",
        FLASK_APP="wsgi",
        PYTHONDONTWRITEBYTECODE="1",
    )
    plan = _seed(env, url)
    plain = url.replace("postgresql+psycopg://", "postgresql://").replace("sqlite:///", "")
    subject = Server(f"appointments-{label}-subject", "wsgi:app", env, workdir)
    baseline = Server(
        f"appointments-{label}-baseline",
        "bench.ballots:baseline_app()",
        dict(env, BALLOT_BASELINE_DB=plain),
        workdir,
    )
    from app.fields import LOCAL_TZ

    day = race_day(datetime.now(LOCAL_TZ).date())
    layouts = [x for x in LAYOUTS if x in KNOWN_LAYOUTS]
    next_voter = iter(range(1, 10**9))

    def baseline_jobs(n: int, close: bool = False) -> list:
        jobs = []
        for _ in range(n):
            voter = next(next_voter)
            body = json.dumps(
                {"poll": 1, "voter": voter, "answers": [{"question": 1, "options": [voter % 2]}]}
            )
            headers = {"Content-Type": "application/json"}
            if close:
                headers["Connection"] = "close"
            jobs.append(("/ballots", body, headers, f"u:{voter}"))
        return jobs

    ceiling, bursts, races = [], [], {x: [] for x in layouts}
    warmup: dict = {}
    subject.start()
    baseline.start()
    try:
        for number in range(settings.rounds + 1):  # round 0: the warm-up, checked, not counted
            if number == 0:
                run = ballots._load(baseline.port, baseline_jobs(6000), settings.warmup)
            else:
                run = ballots._load(
                    baseline.port,
                    baseline_jobs(max(6000, int(settings.duration * 6000))),
                    settings.duration,
                )
            run.pop("accepted")
            if number:
                ceiling.append(run)
            burst = _race(baseline.port, baseline_jobs(RESIDENTS, close=True))
            burst.pop("answers")
            if number:
                bursts.append(burst)
            else:
                warmup["burst"] = burst
            # The two layouts take turns going first.
            for layout in layouts if number % 2 == 0 else layouts[::-1]:
                slots_used, capacity = KNOWN_LAYOUTS[layout]
                service = _make_service(
                    subject.port,
                    plan["admin"],
                    f"Cấp bản sao, {LAYOUT_LABELS[layout]}, lượt {number} (benchmark)",
                    capacity,
                    day,
                )
                race = _race(subject.port, _race_jobs(service, plan["residents"], slots_used))
                race["check"] = _check_race(url, service, race)
                race["service_id"] = service["id"]
                race.pop("answers")
                if number:
                    races[layout].append(race)
                else:
                    warmup[layout] = race
    finally:
        subject.stop()
        baseline.stop()

    result: dict = {
        "backend": label,
        "day": day.isoformat(),
        "residents": RESIDENTS,
        "ceiling": {
            "rps": statistics.median(r["rps"] for r in ceiling),
            "rounds_rps": [round(r["rps"], 1) for r in ceiling],
            "p50_ms": statistics.median(r["p50_ms"] for r in ceiling),
            "p99_ms": statistics.median(r["p99_ms"] for r in ceiling),
            "failed": sum(len(r["failed"]) for r in ceiling),
        },
        "burst": _race_figures(bursts),
        "warmup": {k: _strip(v) for k, v in warmup.items()},
        "layouts": {},
    }
    for layout in layouts:
        figures = _race_figures(races[layout])
        figures["ratio"] = figures["rps"] / result["ceiling"]["rps"]
        figures["round_ratios"] = [
            round(r["rps"] / c["rps"], 3) for r, c in zip(races[layout], ceiling, strict=True)
        ]
        figures["burst_ratio"] = figures["rps"] / result["burst"]["rps"]
        figures["checks"] = [r["check"] for r in races[layout]]
        warm = warmup.get(layout)
        figures["ok"] = all(c["ok"] for c in figures["checks"]) and (
            warm is None or warm["check"]["ok"]
        )
        result["layouts"][layout] = figures
    return result


def _strip(race: dict) -> dict:
    return {k: v for k, v in race.items() if k != "answers"}


def _race_figures(runs: list[dict]) -> dict:
    def median(field):
        return statistics.median(r[field] for r in runs)

    return {
        "rps": median("rps"),
        "accepted_per_s": median("accepted_per_s"),
        "p50_ms": median("p50_ms"),
        "p99_ms": median("p99_ms"),
        "seconds": median("seconds"),
        "rounds": [
            {
                k: (round(r[k], 2) if isinstance(r[k], float) else r[k])
                for k in (
                    "requests",
                    "accepted",
                    "refused",
                    "other",
                    "statuses",
                    "codes",
                    "seconds",
                    "rps",
                    "accepted_seconds",
                    "accepted_per_s",
                    "after_full",
                    "after_full_per_s",
                    "p50_ms",
                    "p99_ms",
                    "max_ms",
                )
            }
            for r in runs
        ],
    }


# --- report ---------------------------------------------------------------------------------


def format_result(result: dict) -> list[str]:
    """Render one backend's figures as lines."""
    name = result["backend"]
    c, b = result["ceiling"], result["burst"]
    lines = [
        f"{name}: race day {result['day']}; {result['residents']} residents, each on its own "
        "connection, released at once",
        f"{name}: bare INSERT ceiling {c['rps']:.1f}/s (ballot bench baseline, "
        f"{ballots.CLIENTS} clients; p50 {c['p50_ms']:.1f} ms, p99 {c['p99_ms']:.1f} ms; rounds "
        f"{', '.join(f'{x:.0f}' for x in c['rounds_rps'])})"
        + (f"   ({c['failed']} failed)" if c["failed"] else ""),
        f"{name}: bare INSERT, the same burst of {result['residents']}: {b['rps']:.1f}/s "
        f"(p50 {b['p50_ms']:.1f} ms, p99 {b['p99_ms']:.1f} ms; rounds "
        f"{', '.join(format(r['rps'], '.0f') for r in b['rounds'])})",
    ]
    for layout, m in result["layouts"].items():
        lines.append(f"{name}: race, {LAYOUT_LABELS[layout]}:")
        for number, (r, check) in enumerate(zip(m["rounds"], m["checks"], strict=True), start=1):
            statuses = ", ".join(
                f"{k}: {v}" for k, v in sorted(r["statuses"].items()) if k not in ("201", "409")
            )
            lines.append(
                f"{name}:   round {number}: 201 {r['accepted']}, 409 {r['refused']}, other "
                f"{r['other']}"
                + (f" ({statuses})" if statuses else "")
                + f"; {r['seconds']:.2f} s, {r['rps']:.0f} req/s, {r['accepted_per_s']:.0f} "
                f"bookings/s (last 201 at {r['accepted_seconds']:.2f} s; {r['after_full']} "
                f"answered after it, {r['after_full_per_s']:.0f}/s); p50 {r['p50_ms']:.0f} ms, "
                f"p99 {r['p99_ms']:.0f} ms"
            )
            lines.append(
                f"{name}:     check: counters {check['booked']} = active bookings "
                f"{check['active_appointments']} over {check['slots']} slot(s); mismatched "
                f"slots {check['counter_mismatches']}, over capacity {check['over_capacity']}, "
                f"lost {check['lost']}, extra {check['extra']}, resident twice "
                f"{check['residents_twice']}; refusals {check['refusals']}"
                + ("" if check["ok"] else "   CHECK FAILED")
            )
        spread = ", ".join(f"{x:.2f}" for x in m["round_ratios"])
        lines += [
            f"{name}:   median: {m['rps']:.1f} req/s, {m['accepted_per_s']:.1f} accepted "
            f"bookings/s, p50 {m['p50_ms']:.0f} ms, p99 {m['p99_ms']:.0f} ms",
            f"{name}:   ratio race req/s / bare INSERT ceiling = {m['ratio']:.2f} (per round: "
            f"{spread}); / the same burst on the bare INSERT = {m['burst_ratio']:.2f}   no "
            "target (issue 15: the figure)",
            f"{name}:   target: exactly {PLACES} × 201, 0 other answers, counters = active "
            f"bookings, none over capacity (issue 15): {'MET' if m['ok'] else 'NOT MET'}",
        ]
    for layout, warm in result["warmup"].items():
        if layout == "burst":
            continue
        check = warm["check"]
        lines.append(
            f"{name}: warm-up race, {LAYOUT_LABELS[layout]} (not in the figures): 201 "
            f"{warm['accepted']}, 409 {warm['refused']}, other {warm['other']}; "
            + ("check ok" if check["ok"] else f"CHECK FAILED {check}")
        )
    return lines


def _write_json(settings, results: list[dict]) -> Path:
    from bench.harness import machine

    RESULTS_DIR.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = RESULTS_DIR / f"{stamp}-appointments.json"
    summary = {
        "time": datetime.now(UTC).isoformat(timespec="seconds"),
        "settings": dataclasses.asdict(settings),
        "appointments": {
            "residents": RESIDENTS,
            "processes": PROCESSES,
            "layouts": LAYOUTS,
            "ceiling_clients": ballots.CLIENTS,
        },
        "machine": machine(),
        "results": results,
    }
    path.write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n")
    return path


def run_all(settings, workdir: Path) -> list[dict]:
    """Run the race on a throwaway PostgreSQL cluster, then on SQLite."""
    unknown = [x for x in LAYOUTS if x not in KNOWN_LAYOUTS]
    if unknown:
        raise RuntimeError(
            f"BENCH_APPOINTMENT_LAYOUTS: unknown {', '.join(unknown)} (choose from "
            f"{', '.join(KNOWN_LAYOUTS)})"
        )
    results = []
    for backend in BACKENDS:
        if backend == "postgresql":
            postgres = ballots.Postgres()
            try:
                url = postgres.start()
                results.append(_run_backend("postgresql", url, settings, workdir))
            except RuntimeError as reason:
                print(f"  postgresql: skipped: {reason}", flush=True)
                continue
            finally:
                postgres.stop()
        elif backend == "sqlite":
            url = f"sqlite:///{workdir / 'appointments.sqlite3'}"
            results.append(_run_backend("sqlite", url, settings, workdir))
        else:
            raise RuntimeError(f"BENCH_APPOINTMENT_BACKENDS: unknown {backend}")
        for line in format_result(results[-1]):
            print(f"  {line}", flush=True)
    if results:
        path = _write_json(settings, results)
        print(f"  figures written to {path.relative_to(ROOT)}", flush=True)
    return results


# --- the runner's hooks (bench/__main__.py) -------------------------------------------------


_SCENARIO = harness.SelfContained(NAME, run_all, format_result)
prepare, check, main = _SCENARIO.prepare, _SCENARIO.check, _SCENARIO.main


if __name__ == "__main__":
    sys.exit(main())
