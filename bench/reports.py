"""Field-report benchmarks (issue 14): the board's growth at scale, and a 3 MB photo accepted.

    .venv/bin/python -m bench reports_board reports_photo   # with the other scenarios' runner
    .venv/bin/python -m bench.reports board                 # 10,000 vs 1,000,000 (fill: minutes)
    .venv/bin/python -m bench.reports board --large 100000  # a quicker look
    .venv/bin/python -m bench.reports photo                 # the photo alone

`reports_board` (copies `bench/feed.py`): for each size a fresh database (real migrations, the
126 wards, each ward's categories written through `reports.service.ensure_categories`, 1,000
residents) is filled with SQL, `INSERT … SELECT` over a generated series in chunks of 100,000:
reports spread evenly over every ward (the measured ward, 00070, holds 1/126 of them), newest
last, two years of them; the last 3 % recent (every state, most open), the older ones mostly
closed with 2 in 25 left open past their due; duplicates point at an earlier report of their ward;
each report has its `received` history entry and, when it moved on, a second one; every third
report a small photo. Every CHECK of the tables holds (position in Hà Nội's box, `is_open` and
`closed_at` agreeing with the status, `duplicate_of` exactly on duplicates). Then the public board
(`GET /api/v1/wards/00070/reports`: first page, `?status=open`, `?category=duong_via_he`,
`?overdue=true`, the second page by cursor) and, when it exists, Open311's
`GET /open311/v2/requests.json?jurisdiction_id=00070` are asked in-process through the whole
Flask stack, anonymous, the two sizes interleaved (A B A B …). Printed: p50 / p99 per URL and
size, and the ratio large/small. Target: ≤ 1.2 (keyset pages over one index each).
SQLite by default; `BENCH_REPORTS_BACKENDS=sqlite,postgresql` adds a throwaway PostgreSQL
cluster (as the ballots benchmark does), or `BENCH_DATABASE_URL` names a server to use.

`reports_photo`: `POST /api/v1/reports` as a multipart form with one 3 MB 12-megapixel JPEG
(made with Pillow, with EXIF: camera, owner's name, GPS, orientation), by 200 residents each
signed in with a bearer token from `POST /api/v1/auth/tokens` (each token sends a few reports:
the route allows 30 an hour per account), against the bare Flask baseline's `POST
/bench/report-photo` (`bench/baseline_app.py`) which reads the same form and does the same
Pillow re-encode (decode at reduced scale, upright, drop metadata, long side 1600 px, JPEG
quality 82) and nothing else. Load by wrk with a Lua script (the body is the same, the token
turns); baseline and service interleaved; ratio of requests per second. Target ≥ 0.8.
Before measuring, the stored photo is checked byte for byte against the baseline's output and
for the absence of EXIF. Never run as a test.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import sqlalchemy as sa

from bench import harness, loadgen

WARD = "00070"
CATEGORY = "duong_via_he"
SMALL, LARGE = 10_000, 1_000_000
CHUNK = 100_000
RESIDENTS = 1_000
# The same reports per day at every size (10,000 over 60 days): the large database is the small
# one with 100 times the history, so the newest pages hold the same kind of reports at both sizes.
SECONDS_PER_REPORT = 60 * 86400 / SMALL
RECENT_DAYS = 21
# The measured ward takes WARD_WEIGHT shares of the reports, every other ward one (a busy
# central ward: about 3 % of the city's reports).
WARD_WEIGHT = 4
BATCH = 10
PAGE = 20  # the filtered lists are asked a phone's page at a time
GROWTH_TARGET = 1.2
PHOTO_TARGET = 0.8
PHOTO_TOKENS = 200
PHOTO_PATH = "/bench/report-photo"
BOUNDARY = "pxs-bench-report-boundary-7d1c"
DESCRIPTION = (
    "Mặt đường trước cửa số nhà bị sụt lún, ổ gà sâu khoảng 20 cm, trời mưa đọng nước, "
    "xe máy đi qua rất nguy hiểm, đề nghị phường kiểm tra và sửa chữa."
)

# States of the filled reports, by the report's ordinal j within its ward: the recent ones
# (the last RECENT_SHARE of the ids) by j % 10, the older ones by j % 25 (2 in 25 still open,
# past due: the neglected ones). The duplicates' original is their ward's first report (j = 0,
# received) or, for the ward whose ids are multiples of the ward count, its j = 1 (resolved).
RECENT_STATES = (
    "received",
    "received",
    "acknowledged",
    "in_progress",
    "in_progress",
    "resolved",
    "resolved",
    "rejected",
    "referred",
    "duplicate",
)
OLD_STATES = ("received", "resolved", "duplicate", "rejected", "referred", "in_progress") + (
    "resolved",
) * 19
OPEN = ("received", "acknowledged", "in_progress")


# --- board and Open311 growth ----------------------------------------------------------------


def _make_app(url: str, instance: str, secret: str = "bench-" + "x" * 40):
    from app import create_app

    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": secret,
            "RATELIMIT_ENABLED": False,
            "INSTANCE_PATH": instance,
        }
    )


def _tiny_jpeg() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.linear_gradient("L").resize((64, 48)).convert("RGB").save(out, "JPEG", quality=70)
    return out.getvalue()


def _fill_sql(dialect: str) -> str:
    """Return the INSERT … SELECT of reports ids :lo..:hi over a generated series."""
    if dialect == "postgresql":
        series = (
            "SELECT i, CAST(:now_epoch - (:n - i) * :step AS double precision) AS t "
            "FROM generate_series(CAST(:lo AS bigint), CAST(:hi AS bigint)) AS g(i)"
        )

        def ts(expr: str) -> str:
            return f"(to_timestamp({expr}) AT TIME ZONE 'UTC')"

        prefix = f"WITH s AS ({series})"
    else:
        prefix = (
            "WITH RECURSIVE g(i) AS (SELECT :lo UNION ALL SELECT i + 1 FROM g WHERE i < :hi), "
            "s AS (SELECT i, :now_epoch - (:n - i) * :step AS t FROM g)"
        )

        def ts(expr: str) -> str:
            return f"(strftime('%Y-%m-%d %H:%M:%S', {expr}, 'unixepoch') || '.000000')"

    recent = "(CASE WHEN i > :recent_from THEN 1 ELSE 0 END)"
    slot = "(CASE WHEN i > :recent_from THEN (i / :slots) % 10 ELSE (i / :slots) % 25 END)"
    return f"""
{prefix}
INSERT INTO report (id, ward_code, category_id, reporter_id, description, description_hidden,
    lat, long, address, status, is_open, due_at, closed_at, responded_at, duplicate_of_id,
    change_count, seen_count, created_at, updated_at)
SELECT i, c.ward_code, c.category_id,
    CASE WHEN i % 97 = 0 THEN NULL ELSE :first_user + i % :users END,
    'Phản ánh số ' || i || ': ' || :description, i % 211 = 0,
    (208500 + (i * 7919) % 3000) / 10000.0, (1057000 + (i * 1049) % 2000) / 10000.0,
    'Số ' || (i % 200 + 1) || ' ngõ Thử Nghiệm',
    st.status, st.is_open,
    {ts("t + c.deadline_days * 1.4 * 86400")},
    CASE WHEN st.is_open THEN NULL ELSE {ts("t + 3 * 86400")} END,
    CASE WHEN st.status = 'received' THEN NULL ELSE {ts("t + 86400")} END,
    CASE WHEN st.status = 'duplicate'
         THEN (CASE WHEN i % :slots = 0 THEN :slots ELSE i % :slots END) END,
    CASE WHEN st.status = 'received' THEN 0 ELSE 1 END,
    CASE WHEN st.status = 'received' OR i % 3 = 0 THEN 0 ELSE 1 END,
    {ts("t")},
    CASE WHEN st.is_open THEN {ts("t")} ELSE {ts("t + 3 * 86400")} END
FROM s
JOIN bench_cat c ON c.ward_no = i % :slots AND c.cat_no = (i / :slots) % :categories
JOIN bench_status st ON st.recent = {recent} AND st.slot = {slot}
"""  # noqa: S608 (this file's constants only)


def seed(app, reports: int) -> dict:
    """Migrate, write every ward's categories, add residents and fill `reports` reports."""
    from flask_migrate import upgrade

    from app.extensions import db
    from app.identity.models import User
    from app.wards import service as wards
    from app.wards.models import Ward
    from reports import service
    from reports.models import ReportCategory

    with app.app_context():
        upgrade()
        wards.sync()
        codes = sorted(db.session.scalars(sa.select(Ward.code)))
        # Report i goes to the ward of slot i % len(slots): one slot per ward, a few more for WARD.
        slots = codes + [WARD] * (WARD_WEIGHT - 1)
        for code in codes:
            service.ensure_categories(ward_code=code)
        users = [
            User(issuer="bench", sub=f"bench-{i}", name=f"Cư dân {i}") for i in range(RESIDENTS)
        ]
        db.session.add_all(users)
        db.session.flush()
        ids = [u.id for u in users]
        if ids != list(range(ids[0], ids[0] + len(ids))):
            raise RuntimeError("residents' ids are not contiguous")
        db.session.commit()
        categories = db.session.execute(
            sa.select(ReportCategory.ward_code, ReportCategory.id, ReportCategory.deadline_days)
            .where(ReportCategory.active == sa.true())
            .order_by(ReportCategory.ward_code, ReportCategory.id)
        ).all()
        db.session.commit()  # on SQLite the session's transaction holds the write lock
        per_ward: dict[str, list] = {}
        for ward_code, category_id, days in categories:
            per_ward.setdefault(ward_code, []).append((category_id, days))
        n_categories = min(len(v) for v in per_ward.values())
        engine = db.engine
        dialect = engine.dialect.name
        boolean = "boolean" if dialect == "postgresql" else "integer"
        photo = _tiny_jpeg()
        now = datetime.now(UTC)
        params = {
            "now_epoch": now.timestamp(),
            "n": reports,
            "step": SECONDS_PER_REPORT,
            "recent_from": reports - int(RECENT_DAYS * 86400 / SECONDS_PER_REPORT),
            "slots": len(slots),
            "categories": n_categories,
            "first_user": ids[0],
            "users": len(ids),
            "description": DESCRIPTION,
        }
        begun = time.perf_counter()
        with engine.begin() as conn:
            conn.exec_driver_sql("DROP TABLE IF EXISTS bench_cat")
            conn.exec_driver_sql("DROP TABLE IF EXISTS bench_status")
            conn.exec_driver_sql(
                "CREATE TABLE bench_cat (ward_no integer, cat_no integer, ward_code varchar(5), "
                "category_id integer, deadline_days integer, PRIMARY KEY (ward_no, cat_no))"
            )
            conn.exec_driver_sql(
                f"CREATE TABLE bench_status (recent integer, slot integer, status varchar(20), "
                f"is_open {boolean}, PRIMARY KEY (recent, slot))"
            )
            conn.execute(
                sa.text("INSERT INTO bench_cat VALUES (:w, :c, :code, :id, :days)"),
                [
                    {"w": w, "c": c, "code": code, "id": cid, "days": days}
                    for w, code in enumerate(slots)
                    for c, (cid, days) in enumerate(per_ward[code][:n_categories])
                ],
            )
            conn.execute(
                sa.text("INSERT INTO bench_status VALUES (:r, :s, :status, :open)"),
                [
                    {"r": r, "s": s, "status": status, "open": status in OPEN}
                    for r, states in ((0, OLD_STATES), (1, RECENT_STATES))
                    for s, status in enumerate(states)
                ],
            )
        fill = sa.text(_fill_sql(dialect))
        events = (
            sa.text(
                'INSERT INTO report_event (report_id, status, note, "at", actor_id) '
                "SELECT id, 'received', 'Phường, xã đã nhận phản ánh.', created_at, NULL "
                "FROM report WHERE id BETWEEN :lo AND :hi"
            ),
            sa.text(
                'INSERT INTO report_event (report_id, status, note, "at", actor_id) '
                "SELECT id, status, 'Phường, xã cập nhật tình trạng phản ánh.', "
                "coalesce(closed_at, responded_at), NULL "
                "FROM report WHERE id BETWEEN :lo AND :hi AND status <> 'received'"
            ),
        )
        photos = sa.text(
            "INSERT INTO report_photo (report_id, mimetype, width, height, size, sha256, data, "
            "hidden, created_at) SELECT id, 'image/jpeg', 64, 48, :size, :sha, :data, "
            "id % 1009 = 0, created_at FROM report WHERE id BETWEEN :lo AND :hi AND id % 3 = 0"
        )
        photo_params = {"size": len(photo), "sha": hashlib.sha256(photo).hexdigest(), "data": photo}
        for lo in range(1, reports + 1, CHUNK):
            hi = min(lo + CHUNK - 1, reports)
            with engine.begin() as conn:
                conn.execute(fill, dict(params, lo=lo, hi=hi))
                for statement in events:
                    conn.execute(statement, {"lo": lo, "hi": hi})
                conn.execute(photos, dict(photo_params, lo=lo, hi=hi))
            if hi % 200_000 < CHUNK or hi == reports:
                print(
                    f"    filled {hi:,} reports ({time.perf_counter() - begun:.0f} s)", flush=True
                )
        with engine.begin() as conn:
            conn.exec_driver_sql("DROP TABLE bench_cat")
            conn.exec_driver_sql("DROP TABLE bench_status")
            counts = conn.execute(
                sa.text(
                    "SELECT count(*), sum(CASE WHEN ward_code = :w THEN 1 ELSE 0 END), "
                    "sum(CASE WHEN ward_code = :w AND is_open THEN 1 ELSE 0 END) FROM report"
                ),
                {"w": WARD},
            ).one()
        if dialect == "postgresql":
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                for table in ("report", "report_event", "report_photo"):
                    sequence = f"pg_get_serial_sequence('{table}', 'id')"
                    setval = f"SELECT setval({sequence}, (SELECT max(id) FROM {table}))"  # noqa: S608
                    conn.exec_driver_sql(setval)
                conn.exec_driver_sql("VACUUM ANALYZE")
        else:
            with engine.begin() as conn:
                conn.exec_driver_sql("ANALYZE")
        elapsed = time.perf_counter() - begun
        engine.dispose()
    return {
        "reports": counts[0],
        "ward_reports": counts[1],
        "ward_open": counts[2],
        "wards": len(codes),
        "fill_seconds": round(elapsed, 1),
    }


class Board:
    """The URLs asked on one filled database, and the timings taken."""

    def __init__(self, app, open311: bool, open311_from: str = ""):
        self.client = app.test_client()
        base = f"/api/v1/wards/{WARD}/reports"
        first = self.client.get(f"{base}?limit={PAGE}")
        if first.status_code != 200:
            raise harness.Skipped(f"endpoint not available (status {first.status_code})")
        cursor = first.get_json()["next_cursor"]
        self.urls = {
            "board (page of 50)": base,
            f"board ?limit={PAGE}": f"{base}?limit={PAGE}",
            "board ?status=open": f"{base}?status=open&limit={PAGE}",
            f"board ?category={CATEGORY}": f"{base}?category={CATEGORY}&limit={PAGE}",
            "board ?overdue=true": f"{base}?overdue=true&limit={PAGE}",
            "board, 2nd page (cursor)": f"{base}?cursor={cursor}&limit={PAGE}",
        }
        if open311:
            # The last 7 days (GeoReport's own default is 90 days, up to 1000 requests): the
            # same reports at both sizes, every one listed.
            self.urls["open311 requests.json, 7 days"] = (
                f"/open311/v2/requests.json?jurisdiction_id={WARD}&start_date={open311_from}"
            )
        self.counts = {}
        for label, url in self.urls.items():
            response = self.client.get(url)
            if response.status_code != 200:
                raise RuntimeError(f"{url}: {response.status_code} {response.get_data(True)[:300]}")
            body = response.get_json()
            items = body if isinstance(body, list) else body.get("items", [])
            if not items:
                raise RuntimeError(f"{url}: no items")
            self.counts[label] = len(items)
        self.timings: dict[str, list[float]] = {label: [] for label in self.urls}

    def run(self, label: str, requests: int, *, record: bool = True) -> None:
        """Ask one URL `requests` times."""
        url = self.urls[label]
        for _ in range(requests):
            t0 = time.perf_counter()
            response = self.client.get(url)
            spent = time.perf_counter() - t0
            if response.status_code != 200:
                raise RuntimeError(f"{url}: {response.status_code}")
            if record:
                self.timings[label].append(spent)

    def figures(self) -> dict:
        """Return p50 and p99 (ms) per URL."""
        out = {}
        for label, timings in self.timings.items():
            ordered = sorted(timings)
            out[label] = {
                "p50_ms": statistics.median(ordered) * 1000,
                "p99_ms": ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000,
                "items": self.counts[label],
            }
        return out


def _open311_exists(app) -> bool:
    response = app.test_client().get(f"/open311/v2/requests.json?jurisdiction_id={WARD}")
    return response.status_code == 200


def run_board(
    small: int = SMALL,
    large: int = LARGE,
    requests: int = 100,
    rounds: int = 5,
    backend: str = "sqlite",
    server: str | None = None,
) -> dict:
    """Fill a small and a large database, ask the board's URLs interleaved; return the figures."""
    drops: list = []
    result: dict = {"backend": backend, "small": small, "large": large}
    with tempfile.TemporaryDirectory(prefix="pxs-bench-reports-") as tmp:
        try:
            boards, fills = {}, {}  # size label -> app, fill figures
            for label, size in (("small", small), ("large", large)):
                url, drop = harness.fresh_database(Path(tmp), f"reports-{label}", server)
                drops.append(drop)
                instance = str(Path(tmp) / f"instance-{label}")
                print(f"  {backend}: {size:,} reports: filling ...", flush=True)
                fills[label] = seed(_make_app(url, instance), size)
                print(
                    f"    {fills[label]['ward_reports']:,} of them in ward {WARD} "
                    f"({fills[label]['ward_open']:,} open); filled in "
                    f"{fills[label]['fill_seconds']:.0f} s",
                    flush=True,
                )
                boards[label] = _make_app(url, instance)
            open311 = all(_open311_exists(app) for app in boards.values())
            result["open311"] = open311
            if not open311:
                print(
                    "    Open311 GET /open311/v2/requests.json: not available (not measured)",
                    flush=True,
                )
            since = (datetime.now(UTC) - timedelta(days=7)).strftime("%Y-%m-%dT%H:%M:%SZ")
            measured = {label: Board(app, open311, since) for label, app in boards.items()}
            small_board, large_board = measured["small"], measured["large"]
            for label in small_board.urls:  # warm-up
                small_board.run(label, 20, record=False)
                large_board.run(label, 20, record=False)
            # Interleaved in batches of BATCH (A B A B ...): a noisy machine slows both alike.
            for _ in range(rounds * requests // BATCH):
                for label in small_board.urls:
                    small_board.run(label, BATCH)
                    large_board.run(label, BATCH)
        finally:
            for drop in drops:
                drop()
    result["fills"] = fills
    small_f, large_f = measured["small"].figures(), measured["large"].figures()
    rows = []
    for label in small_f:
        s, g = small_f[label], large_f[label]
        p50, p99 = g["p50_ms"] / s["p50_ms"], g["p99_ms"] / s["p99_ms"]
        rows.append(
            {
                "url": label,
                "path": measured["large"].urls[label],
                "small": s,
                "large": g,
                "p50_ratio": p50,
                "p99_ratio": p99,
                "met": max(p50, p99) <= GROWTH_TARGET,
            }
        )
    result["urls"] = rows
    result["met"] = all(r["met"] for r in rows)
    result["samples_per_url"] = requests * rounds
    return result


def format_board(result: dict) -> list[str]:
    """Render a growth result as lines."""
    small, large = result["small"], result["large"]
    lines = [
        f"{result['backend']}: {small:,} vs {large:,} reports "
        f"({result['fills']['large']['ward_reports']:,} in ward {WARD} at {large:,}; "
        f"{result['samples_per_url']} requests per URL and size, in-process, anonymous)",
        f"  {'':<32}{'items':>7}{'p50 small':>10}{'p50 large':>10}{'ratio':>7}"
        f"{'p99 small':>11}{'p99 large':>10}{'ratio':>7}",
    ]
    for r in result["urls"]:
        lines.append(
            f"  {r['url']:<32}{r['small']['items']:>3}/{r['large']['items']:<3}"
            f"{r['small']['p50_ms']:>8.2f}ms{r['large']['p50_ms']:>8.2f}ms"
            f"{r['p50_ratio']:>7.2f}{r['small']['p99_ms']:>9.2f}ms{r['large']['p99_ms']:>8.2f}ms"
            f"{r['p99_ratio']:>7.2f}   {'MET' if r['met'] else 'NOT MET'}"
        )
    if not result.get("open311"):
        lines.append("  Open311 requests.json: endpoint not available yet, not measured")
    lines.append(
        f"  target: p50 and p99 large/small <= {GROWTH_TARGET} for every URL (issue 14): "
        + ("MET" if result["met"] else "NOT MET")
    )
    return lines


def _backends() -> list[str]:
    return [b.strip() for b in os.environ.get("BENCH_REPORTS_BACKENDS", "sqlite").split(",") if b]


def board_all(small: int = SMALL, large: int = LARGE, **kwargs) -> list[dict]:
    """Run the growth benchmark on each backend chosen; print and return the results."""
    from bench.ballots import Postgres

    results = []
    server = os.environ.get("BENCH_DATABASE_URL")
    if server:
        results.append(run_board(small, large, backend="postgresql", server=server, **kwargs))
    for backend in [] if server else _backends():
        if backend == "sqlite":
            results.append(run_board(small, large, **kwargs))
        elif backend == "postgresql":
            postgres = Postgres()
            try:
                url = postgres.start()
                results.append(run_board(small, large, backend=backend, server=url, **kwargs))
            except (RuntimeError, subprocess.CalledProcessError) as reason:
                print(f"  postgresql: skipped: {reason}", flush=True)
            finally:
                postgres.stop()
    for result in results:
        for line in format_board(result):
            print(f"  {line}", flush=True)
    _write_json("reports-board", results)
    return results


# --- a report with a 3 MB phone photo --------------------------------------------------------


def phone_photo() -> bytes:
    """Return a ~3 MB 4032×3024 JPEG with a phone's EXIF (camera, owner, GPS, orientation)."""
    from PIL import Image

    width, height = 4032, 3024
    grad = Image.linear_gradient("L").resize((width, height))
    coarse = Image.effect_noise((width // 4, height // 4), 60).resize(
        (width, height), Image.Resampling.BILINEAR
    )
    fine = Image.effect_noise((width, height), 25)
    blue = grad.transpose(Image.Transpose.ROTATE_90).resize((width, height))
    picture = Image.merge(
        "RGB", (Image.blend(coarse, grad, 0.5), Image.blend(fine, grad, 0.6), blue)
    )
    exif = Image.Exif()
    exif[0x010F] = "BenchPhone"  # Make
    exif[0x0110] = "BP 12"  # Model
    exif[0x013B] = "Nguyễn Văn Thử"  # Artist: the owner's name
    exif[0x0112] = 6  # Orientation: rotate 90° to stand upright
    exif[0x8825] = {1: "N", 2: (21.0, 1.0, 42.0), 3: "E", 4: (105.0, 51.0, 7.0)}  # GPS
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=85, exif=exif)
    return out.getvalue()


def multipart_body(photo: bytes) -> bytes:
    """Return the report form as a phone sends it: the fields and one photo."""
    fields = {
        "ward": WARD,
        "category": CATEGORY,
        "description": DESCRIPTION,
        "lat": "21.0285",
        "long": "105.8542",
        "address": "Số 12 phố Hàng Bạc",
    }
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            + f"{value}\r\n".encode()
        )
    parts.append(
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="photos"; '
        f'filename="IMG_0001.jpg"\r\nContent-Type: image/jpeg\r\n\r\n'.encode()
        + photo
        + b"\r\n"
    )
    parts.append(f"--{BOUNDARY}--\r\n".encode())
    return b"".join(parts)


CONTENT_TYPE = f"multipart/form-data; boundary={BOUNDARY}"

POST_LUA = """\
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

function init(args)
  local f = assert(io.open(args[1], "rb"))
  body = f:read("*a")
  f:close()
  tokens = {}
  for line in io.lines(args[2]) do tokens[#tokens + 1] = line end
  n = tonumber(args[3]) + tid - 1
  step = tonumber(args[4])
  ctype = args[5]
end

function request()
  local token = tokens[(n % #tokens) + 1]
  n = n + step
  return wrk.format("POST", nil,
    {["Content-Type"] = ctype, ["Authorization"] = "Bearer " .. token}, body)
end
"""


def issue_tokens(env: dict, count: int) -> list[str]:
    """Add `count` residents and get each a bearer token from POST /api/v1/auth/tokens.

    In-process on the service's own database: a session is set for the resident (what signing
    in with VNeID leaves behind), then the real endpoint issues the token.
    """
    from app.extensions import db
    from app.identity import service as identity
    from app.identity.models import User

    app = _make_app(env["DATABASE_URL"], env["INSTANCE_PATH"], env["SECRET_KEY"])
    tag = uuid.uuid4().hex[:6]
    with app.app_context():
        users = [
            User(issuer="bench", sub=f"bench-photo-{tag}-{i}", name=f"Người phản ánh {i}")
            for i in range(count)
        ]
        db.session.add_all(users)
        db.session.flush()
        secrets = [identity.create_session(u) for u in users]
        db.session.commit()
        db.engine.dispose()
    tokens = []
    client = app.test_client()
    for secret in secrets:
        with client.session_transaction() as session:
            session.clear()
            session.update(sid=secret, seen=int(time.time()), csrf="bench-csrf")
        answer = client.post("/api/v1/auth/tokens", headers={"X-CSRF-Token": "bench-csrf"})
        if answer.status_code != 201:
            raise RuntimeError(
                f"POST /api/v1/auth/tokens: {answer.status_code} {answer.data[:300]}"
            )
        tokens.append(answer.get_json()["access_token"])
    with app.app_context():
        db.engine.dispose()
    return tokens


def _post(port: int, path: str, body: bytes, token: str | None) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        headers = {"Content-Type": CONTENT_TYPE}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        conn.request("POST", path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def check_photo(
    subject: harness.Server, baseline: harness.Server, body: bytes, token: str
) -> list[str]:
    """Post once to each; the stored photo must be the baseline's bytes, and carry no EXIF."""
    from PIL import Image

    found = []
    status, data = _post(subject.port, "/api/v1/reports", body, token)
    if status != 201:
        raise harness.Skipped(f"endpoint not available (status {status}: {data[:200]!r})")
    report = json.loads(data)
    if len(report.get("photos", [])) != 1:
        return ["the service's report has no photo"]
    stored = subject.get(report["photos"][0]["url"]).body
    status, data = _post(baseline.port, PHOTO_PATH, body, None)
    if status != 201:
        return [f"baseline answered {status}"]
    mine = json.loads(data)
    if mine["sha256"] != hashlib.sha256(stored).hexdigest():
        found.append(
            f"photo differs ({mine['size']} bytes {mine['width']}x{mine['height']} instead of "
            f"{len(stored)} bytes {report['photos'][0]['width']}x{report['photos'][0]['height']})"
        )
    with Image.open(io.BytesIO(stored)) as image:
        if len(image.getexif()) or "exif" in image.info or max(image.size) > 1600:
            found.append(f"stored photo keeps EXIF or is {image.size}")
    return found


def _wrk_post(port: int, path: str, settings, duration: float, offset: int, files: dict):
    seconds = max(1, round(duration))
    cmd = [
        "wrk",
        f"-t{settings.threads}",
        f"-c{settings.connections}",
        f"-d{seconds}s",
        "--latency",
        "--timeout",
        "20s",
        "-s",
        str(files["script"]),
        f"http://127.0.0.1:{port}{path}",
        "--",
        str(files["body"]),
        str(files["tokens"]),
        str(offset),
        str(settings.threads),
        CONTENT_TYPE,
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr.strip() or done.stdout}")
    return loadgen.parse_wrk(done.stdout)


def run_photo(settings, workdir: Path, subject: harness.Server, env: dict) -> dict:
    """Measure POST /api/v1/reports with a 3 MB photo against the bare re-encode."""
    if loadgen.tool() != "wrk":
        raise harness.Skipped("wrk is needed to post the multipart form (apt-get install -y wrk)")
    from reports import images

    photo = phone_photo()
    body = multipart_body(photo)
    print(
        f"  photo: {len(photo) / 1e6:.2f} MB JPEG 4032x3024 with EXIF (GPS, owner); form "
        f"{len(body) / 1e6:.2f} MB; getting {PHOTO_TOKENS} residents' tokens ...",
        flush=True,
    )
    tokens = issue_tokens(env, PHOTO_TOKENS)
    files = {
        "script": workdir / "post_report.lua",
        "body": workdir / "report_form.bin",
        "tokens": workdir / "tokens.txt",
    }
    files["script"].write_text(POST_LUA)
    files["body"].write_bytes(body)
    files["tokens"].write_text("\n".join(tokens[1:]) + "\n")
    fixtures = workdir / "photo_fixtures.json"
    fixtures.write_text(
        json.dumps(
            {
                "routes": [],
                "qr": None,
                "photo": {
                    "path": PHOTO_PATH,
                    "max_side": images.MAX_SIDE,
                    "quality": images.QUALITY,
                },
            }
        )
    )
    baseline = harness.Server(
        "photo-baseline", "bench.baseline_app:app", dict(env, BENCH_FIXTURES=str(fixtures)), workdir
    )
    baseline.start()
    try:
        mismatches = check_photo(subject, baseline, body, tokens[0])
        for mismatch in mismatches:
            print(f"  warning: the baseline differs from the service: {mismatch}", flush=True)
        if not mismatches:
            print(
                "  checked: the stored photo is the baseline's JPEG byte for byte, no EXIF",
                flush=True,
            )
        sent = 0
        samples: dict[str, list] = {"service": [], "baseline": []}
        targets = (("baseline", baseline, PHOTO_PATH), ("service", subject, "/api/v1/reports"))

        def load(server, path, duration):
            nonlocal sent
            measured = _wrk_post(server.port, path, settings, duration, sent, files)
            # Each token sends at most a few reports in all (the route allows 30 an hour).
            sent += measured.requests + settings.connections
            return measured

        if settings.warmup > 0:
            for _, server, path in targets:
                load(server, path, settings.warmup)
        for _ in range(settings.rounds):
            for label, server, path in targets:
                samples[label].append(load(server, path, settings.duration))
    finally:
        baseline.stop()
    mine, theirs = harness._side(samples["service"]), harness._side(samples["baseline"])
    ratio = mine["rps"] / theirs["rps"] if theirs["rps"] else 0.0
    failed = mine["failed"] or theirs["failed"]
    per_token = sent / (len(tokens) - 1)
    return {
        "name": "POST /api/v1/reports, multipart, one 3 MB JPEG with EXIF",
        "photo_bytes": len(photo),
        "form_bytes": len(body),
        "tokens": len(tokens) - 1,
        "reports_per_token": round(per_token, 1),
        "subject": mine,
        "baseline": theirs,
        "baseline_label": "bare re-encode (Pillow)",
        "ratio": ratio,
        "round_ratios": [
            round(s.rps / b.rps, 3) if b.rps else 0.0
            for s, b in zip(samples["service"], samples["baseline"], strict=True)
        ],
        "goal": PHOTO_TARGET,
        "goal_source": "issue 14",
        "met": ratio >= PHOTO_TARGET and not failed,
        "baseline_matches_service": not mismatches,
        "mismatches": mismatches,
    }


# --- the runner's hooks (bench/__main__.py) and the JSON ---------------------------------------


def _write_json(kind: str, results) -> Path:
    harness.RESULTS_DIR.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = harness.RESULTS_DIR / f"{stamp}-{kind}.json"
    summary = {
        "time": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": harness.machine(),
        "results": results,
    }
    path.write_text(json.dumps(summary, ensure_ascii=False, indent=2, default=str) + "\n")
    print(f"  figures written to {path.relative_to(harness.ROOT)}", flush=True)
    return path


def _prepare_board(bench) -> list:
    """Run the whole growth benchmark (its own databases, in-process); keep its lines as notes."""
    print(
        f"\n== reports_board (measured first: it fills its own databases, {SMALL:,} and "
        f"{LARGE:,} reports; the large fill takes a few minutes)",
        flush=True,
    )
    results = board_all(
        int(os.environ.get("BENCH_REPORTS_SMALL", SMALL)),
        int(os.environ.get("BENCH_REPORTS_LARGE", LARGE)),
    )
    bench.notes["reports_board"] = [line for r in results for line in format_board(r)]
    return []


def format_photo(result: dict) -> list[str]:
    """Render the photo result like the runner's comparisons."""
    return harness.format_result(result).splitlines() + [
        f"  ({result['tokens']} residents' tokens, {result['reports_per_token']} reports each "
        f"at most; photo {result['photo_bytes'] / 1e6:.2f} MB, "
        f"form {result['form_bytes'] / 1e6:.2f} MB)"
    ]


def _prepare_photo(bench) -> list:
    """Run the photo benchmark on the runner's service with its own baseline; keep the lines."""
    print("\n== reports_photo (measured first: it brings its own baseline)", flush=True)
    result = run_photo(bench.settings, bench.workdir, bench.subject, bench.env)
    lines = format_photo(result)
    for line in lines:
        print(line, flush=True)
    _write_json("reports-photo", [result])
    bench.notes["reports_photo"] = lines
    return []


BOARD = SimpleNamespace(
    NAME="reports_board",
    TITLE=(
        f"GET /api/v1/wards/{WARD}/reports (and Open311 requests.json) p50/p99 at {SMALL:,} and "
        f"{LARGE:,} reports, growth ratio (issue 14)"
    ),
    SAME="same URLs on both databases, every one answering a full page",
    prepare=_prepare_board,
    check=lambda bench: [],
)
PHOTO = SimpleNamespace(
    NAME="reports_photo",
    TITLE=(
        "POST /api/v1/reports with a 3 MB phone photo (multipart, bearer token) against a bare "
        "Pillow re-encode of it (issue 14)"
    ),
    SAME="checked in the run itself: the stored photo is the baseline's JPEG byte for byte",
    prepare=_prepare_photo,
    check=lambda bench: [],
)
SCENARIOS = {BOARD.NAME: BOARD, PHOTO.NAME: PHOTO}


def main(argv: list[str] | None = None) -> int:
    """Run one or both field-report benchmarks on their own."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.reports", description=__doc__.split("\n")[0]
    )
    parser.add_argument("which", nargs="*", choices=["board", "photo"], default=[])
    parser.add_argument("--small", type=int, default=SMALL)
    parser.add_argument("--large", type=int, default=LARGE)
    parser.add_argument("--requests", type=int, default=100, help="per URL, round and size")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    which = args.which or ["board", "photo"]
    if "board" in which:
        board_all(args.small, args.large, requests=args.requests, rounds=args.rounds)
    if "photo" in which:
        settings = harness.Settings.from_env()
        workdir = Path(tempfile.mkdtemp(prefix="pxs-bench-photo-"))
        bench = harness.Bench(settings, workdir)
        finished = False
        try:
            print(
                "preparing a fresh SQLite database (migrations, wards, demo data) ...", flush=True
            )
            bench.prepare_database()
            bench.subject.start()
            result = run_photo(settings, workdir, bench.subject, bench.env)
            for line in format_photo(result):
                print(line, flush=True)
            _write_json("reports-photo", [result])
            finished = True
        finally:
            bench.subject.stop()
            if finished:
                shutil.rmtree(workdir, ignore_errors=True)
            else:
                print(f"stopped early; servers' logs kept in {workdir}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
