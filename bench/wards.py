"""Scenario `wards`: one ward read against a bare Flask app returning the same bytes (issue 2)."""

from __future__ import annotations

from bench.harness import Bench, Comparison, Skipped, Target, differences

NAME = "wards"
TITLE = "GET /api/v1/wards/00070 against a bare Flask app returning the same bytes (issue 2)"
PATH = "/api/v1/wards/00070"
SAME = "same bytes and headers"


def prepare(bench: Bench) -> list[Comparison]:
    """Record the service's answer for the baseline and plan the comparison."""
    reply = bench.subject.get(PATH)
    if reply.status != 200:
        raise Skipped(f"endpoint not available (status {reply.status})")
    bench.serve_bytes(PATH, reply)
    return [
        Comparison(
            name=f"GET {PATH}",
            subject=Target("service", "subject", PATH),
            baseline=Target("bare Flask, same bytes", "baseline", PATH),
            goal=None,
            source="issue 2 asks for the figure only",
        )
    ]


def check(bench: Bench) -> list[str]:
    """Say how the baseline's answer differs from the service's (nothing, normally)."""
    return differences(bench.subject.get(PATH), bench.baseline.get(PATH))
