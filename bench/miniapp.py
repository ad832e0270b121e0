"""Scenario `miniapp`: the public config read, full and 304, against bare Flask (issue 4)."""

from __future__ import annotations

from bench.harness import Bench, Comparison, Skipped, Target, differences

NAME = "miniapp"
TITLE = (
    "GET /api/v1/wards/00070/miniapp, 200 and 304 (If-None-Match), against a bare Flask app "
    "serving the same bytes and ETag (issue 4)"
)
PATH = "/api/v1/wards/00070/miniapp"
GOAL = 0.8
SAME = "same bytes, headers and ETag; same 304"


def _etag(bench: Bench) -> str:
    """Return the ETag the service sends with the config."""
    return bench.subject.get(PATH).headers["etag"]


def prepare(bench: Bench) -> list[Comparison]:
    """Record the service's 200 and 304 answers for the baseline and plan the comparisons."""
    full = bench.subject.get(PATH)
    if full.status != 200:
        raise Skipped(f"endpoint not available (status {full.status})")
    etag = full.headers.get("etag")
    if not etag:
        raise Skipped("the config is served without an ETag")
    conditional = (("If-None-Match", etag),)
    not_modified = bench.subject.get(PATH, dict(conditional))
    bench.serve_bytes(PATH, full, not_modified if not_modified.status == 304 else None)
    comparisons = [
        Comparison(
            name=f"GET {PATH} (200, full body)",
            subject=Target("service", "subject", PATH),
            baseline=Target("bare Flask, same bytes", "baseline", PATH),
            goal=GOAL,
            source="issue 4",
        )
    ]
    if not_modified.status != 304:
        bench.notes.setdefault(NAME, []).append(
            f"304 path skipped: If-None-Match answered {not_modified.status}, not 304"
        )
        return comparisons
    comparisons.append(
        Comparison(
            name=f"GET {PATH} with If-None-Match (304)",
            subject=Target("service", "subject", PATH, conditional),
            baseline=Target("bare Flask, same ETag", "baseline", PATH, conditional),
            goal=GOAL,
            source="issue 4",
        )
    )
    return comparisons


def check(bench: Bench) -> list[str]:
    """Say how the baseline's answers differ from the service's (nothing, normally)."""
    etag = _etag(bench)
    found = differences(bench.subject.get(PATH), bench.baseline.get(PATH))
    conditional = {"If-None-Match": etag}
    found += [
        f"304: {d}"
        for d in differences(
            bench.subject.get(PATH, conditional), bench.baseline.get(PATH, conditional)
        )
    ]
    return found
