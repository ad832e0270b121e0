"""Feed benchmark (issue 5): `GET /api/v1/me/feed` with 1,000 and with 1,000,000 notices.

    .venv/bin/python -m bench.feed                      # 1,000 vs 1,000,000 (seeding takes minutes)
    .venv/bin/python -m bench.feed --large 100000       # a quicker look
    BENCH_DATABASE_URL=postgresql+psycopg://… .venv/bin/python -m bench.feed   # on PostgreSQL
      (the URL names a server; a database per size is created and dropped)

Each size gets its own fresh database (real migrations, the wards), seeded directly with SQL:
N published ward-wide notices of Hoàn Kiếm, every one already delivered to the reader's inbox
(and to two other residents, so that the inbox table is three times larger), a mix of pinned and
urgent. The reader then asks for the first page of their feed and for pages deep inside it (by
cursor), in-process through the whole Flask stack (bearer token, one transaction per request).
Printed: p50 / p99 latency and requests per second for each size, and the ratio large/small of
p50 and p99. Target: ≤ 1.2 (keyset pages on the covering index do not grow with the table).
Never run as a test.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench import harness

os.environ.setdefault("APP_ENV", "test")

WARD = "00070"
OTHER_READERS = 2
CHUNK = 20_000
TARGET = 1.2


def _make_app(url: str, instance: str):
    from app import create_app

    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "bench-" + "x" * 40,
            "RATELIMIT_ENABLED": False,
            "INSTANCE_PATH": instance,
        }
    )


def seed(app, notices: int) -> str:
    """Migrate, seed `notices` delivered notices and return a bearer token of the reader."""
    from flask_migrate import upgrade

    from app.extensions import db
    from app.identity import service as identity
    from app.identity.models import User
    from app.wards import service as wards
    from community.notices.models import Notice, NoticeRecipient

    with app.app_context():
        upgrade()
        wards.sync()
        users = [
            User(issuer="bench", sub=f"bench-{i}", name=f"Cư dân {i}")
            for i in range(2 + OTHER_READERS)
        ]
        db.session.add_all(users)
        db.session.flush()
        author, reader, others = users[0], users[1], users[2:]
        token, _ = identity.issue_token(reader)
        db.session.commit()

        start = datetime.now(UTC) - timedelta(days=400)
        step = timedelta(days=399) / notices
        notice_table = Notice.__table__
        recipient_table = NoticeRecipient.__table__
        begun = time.perf_counter()
        for first in range(1, notices + 1, CHUNK):
            ids = range(first, min(first + CHUNK, notices + 1))
            notice_rows, recipient_rows = [], []
            for nid in ids:
                at = start + step * nid
                pinned, urgent = nid % 997 == 0, nid % 101 == 0
                notice_rows.append(
                    {
                        "id": nid,
                        "ward_code": WARD,
                        "author_id": author.id,
                        "title": f"Thông báo số {nid}",
                        "body": "Nội dung thông báo của phường. " * 8,
                        "category": "thong_tin_co_so",
                        "priority": "urgent" if urgent else "normal",
                        "pinned": pinned,
                        "status": "published",
                        "published_at": at,
                        "delivered_at": at,
                        "created_at": at,
                        "updated_at": at,
                    }
                )
                for user in (reader, *others):
                    recipient_rows.append(
                        {
                            "notice_id": nid,
                            "user_id": user.id,
                            "pinned": pinned,
                            "urgent": urgent,
                            "published_at": at,
                            "hidden": False,
                            "late": False,
                            "delivered_at": at,
                        }
                    )
            db.session.execute(notice_table.insert(), notice_rows)
            db.session.execute(recipient_table.insert(), recipient_rows)
            db.session.commit()
            done = ids[-1]
            if done % 100_000 < CHUNK or done == notices:
                elapsed = time.perf_counter() - begun
                print(f"  seeded {done:,} notices ({elapsed:.0f} s)", flush=True)
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("ANALYZE")
                conn.exec_driver_sql(
                    "SELECT setval(pg_get_serial_sequence('notice', 'id'), "
                    "(SELECT max(id) FROM notice))"
                )
        else:
            with db.engine.begin() as conn:
                conn.exec_driver_sql("ANALYZE")
        db.engine.dispose()
    return token


class Feed:
    """A reader's feed on one seeded database: the URLs to ask and the timings taken."""

    def __init__(self, app, token: str):
        self.client = app.test_client()
        self.headers = {"Authorization": f"Bearer {token}"}
        first = self.client.get("/api/v1/me/feed?limit=50", headers=self.headers)
        assert first.status_code == 200, first.get_data(as_text=True)
        # The first page and pages reached by cursor (past the pinned and urgent ones).
        cursors, cursor = [], first.get_json()["next_cursor"]
        for _ in range(15):
            if not cursor:
                break
            cursors.append(cursor)
            page = self.client.get(
                f"/api/v1/me/feed?limit=50&cursor={cursor}", headers=self.headers
            )
            cursor = page.get_json()["next_cursor"]
        self.urls = ["/api/v1/me/feed?limit=50"]
        self.urls += [f"/api/v1/me/feed?limit=50&cursor={c}" for c in cursors]
        self.timings: list[float] = []
        self.elapsed = 0.0

    def run(self, requests: int, *, record: bool = True) -> None:
        """Ask for `requests` pages, cycling through the URLs."""
        begun = time.perf_counter()
        for i in range(requests):
            t0 = time.perf_counter()
            response = self.client.get(self.urls[i % len(self.urls)], headers=self.headers)
            spent = time.perf_counter() - t0
            assert response.status_code == 200
            assert len(response.get_json()["items"]) == 50
            if record:
                self.timings.append(spent)
        if record:
            self.elapsed += time.perf_counter() - begun

    def figures(self) -> dict:
        """Return p50, p99 (ms) and requests per second."""
        timings = sorted(self.timings)
        return {
            "p50_ms": statistics.median(timings) * 1000,
            "p99_ms": timings[min(len(timings) - 1, int(len(timings) * 0.99))] * 1000,
            "rps": len(timings) / self.elapsed,
        }


def prepare(notices: int, tmp: Path, drops: list) -> Feed:
    """Seed one database of `notices` notices and open its reader's feed."""
    url, drop = harness.fresh_database(tmp, f"feed-{notices}", os.environ.get("BENCH_DATABASE_URL"))
    drops.append(drop)
    instance = tmp / f"instance-{notices}"
    print(f"{notices:,} notices: seeding ...", flush=True)
    token = seed(_make_app(url, str(instance)), notices)
    return Feed(_make_app(url, str(instance)), token)


def main(argv: list[str] | None = None) -> int:
    """Run the small and the large case, interleaved, and print the ratio large/small."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.feed", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--large", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=200, help="per round and size")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    drops: list = []
    with tempfile.TemporaryDirectory(prefix="pxs-bench-feed-") as tmp:
        try:
            small = prepare(args.small, Path(tmp), drops)
            large = prepare(args.large, Path(tmp), drops)
            for feed in (small, large):
                feed.run(100, record=False)  # warm-up
            # Interleaved rounds (A B A B ...): a noisy machine slows both sides alike.
            for _ in range(args.rounds):
                small.run(args.requests)
                large.run(args.requests)
        finally:
            for drop in drops:
                drop()
    results = {"small": small.figures(), "large": large.figures()}
    for label, count in (("small", args.small), ("large", args.large)):
        f = results[label]
        print(
            f"{count:,} notices: p50 {f['p50_ms']:.2f} ms, p99 {f['p99_ms']:.2f} ms, "
            f"{f['rps']:.0f} req/s"
        )
    p50 = results["large"]["p50_ms"] / results["small"]["p50_ms"]
    p99 = results["large"]["p99_ms"] / results["small"]["p99_ms"]
    per_request = results["small"]["rps"] / results["large"]["rps"]
    verdict = "MET" if max(p50, p99, per_request) <= TARGET else "NOT MET"
    print(
        f"ratio large/small ({args.large:,} / {args.small:,} notices): p50 {p50:.2f}, "
        f"p99 {p99:.2f}, time per request {per_request:.2f}; target <= {TARGET}: {verdict}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
