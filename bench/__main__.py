"""`python -m bench [scenario ...]`: run the benchmarks (all by default) and report ratios."""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from bench import (
    appointments,
    ballots,
    harness,
    kpi,
    loadgen,
    miniapp,
    payment_qr,
    reports,
    wards,
    webhooks,
)

SCENARIOS = {module.NAME: module for module in (wards, miniapp, payment_qr, ballots, appointments)}
SCENARIOS.update(reports.SCENARIOS)  # reports_board, reports_photo (issue 14)
SCENARIOS[kpi.NAME] = kpi.SCENARIO  # GET /api/v1/kpi at 10,000 and 1,000,000 receipts (issue 16)
SCENARIOS[webhooks.NAME] = webhooks.SCENARIO  # deliveries/s and latency with a backlog (issue 17)


def main(argv: list[str] | None = None) -> int:
    """Run the chosen scenarios against one service and one baseline; print and save the figures."""
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Benchmark the service under gunicorn against a bare Flask baseline.",
        epilog="Settings: BENCH_DURATION (s per run, default 4), BENCH_ROUNDS (3), "
        "BENCH_WARMUP (1), BENCH_CONNECTIONS (32), BENCH_THREADS (2).",
    )
    parser.add_argument("scenarios", nargs="*", metavar="scenario", help=", ".join(SCENARIOS))
    args = parser.parse_args(argv)
    unknown = [name for name in args.scenarios if name not in SCENARIOS]
    if unknown:
        parser.error(f"unknown scenario {', '.join(unknown)} (choose from {', '.join(SCENARIOS)})")
    chosen = list(dict.fromkeys(args.scenarios)) or list(SCENARIOS)

    settings = harness.Settings.from_env()
    print(
        f"bench: {', '.join(chosen)}; load by {loadgen.tool()} with {settings.threads} threads, "
        f"{settings.connections} connections, {settings.rounds} rounds of {settings.duration:g} s "
        f"per target (after {settings.warmup:g} s warm-up), baseline and service interleaved; "
        "figures are medians of the rounds",
        flush=True,
    )
    workdir = Path(tempfile.mkdtemp(prefix="pxs-bench-"))
    bench = harness.Bench(settings, workdir)
    results: dict[str, dict] = {}
    finished = False
    try:
        print("preparing a fresh SQLite database (migrations, wards, demo data) ...", flush=True)
        bench.prepare_database()
        bench.subject.start()
        planned, skipped = {}, {}
        for name in chosen:
            try:
                planned[name] = SCENARIOS[name].prepare(bench)
            except harness.Skipped as reason:
                skipped[name] = str(reason)
        if planned:
            bench.start_baseline()
        for name in chosen:
            module = SCENARIOS[name]
            print(f"\n== {name}: {module.TITLE}", flush=True)
            if name in skipped:
                print(f"  skipped: {skipped[name]}", flush=True)
                results[name] = {"title": module.TITLE, "skipped": skipped[name]}
                continue
            for note in bench.notes.get(name, []):
                print(f"  note: {note}")
            mismatches = module.check(bench)
            for mismatch in mismatches:
                print(f"  warning: the baseline differs from the service: {mismatch}")
            if not mismatches:
                print(f"  checked: the baseline answers what the service answers ({module.SAME})")
            measured = bench.measure(planned[name])
            for result in measured:
                print(harness.format_result(result), flush=True)
            results[name] = {
                "title": module.TITLE,
                "notes": bench.notes.get(name, []),
                "baseline_matches_service": not mismatches,
                "mismatches": mismatches,
                "comparisons": measured,
            }
        path = harness.write_results(settings, results)
        print(f"\nsummary written to {path.relative_to(harness.ROOT)}")
        finished = True
    except RuntimeError as failure:
        # A server that does not start or a failed setup step: say what happened, no traceback.
        print(f"bench: {failure}", file=sys.stderr)
        return 1
    finally:
        bench.baseline.stop()
        bench.subject.stop()
        if finished:
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            print(f"bench: stopped early; servers' logs kept in {workdir}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
