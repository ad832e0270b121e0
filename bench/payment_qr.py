"""Scenario `payment_qr`: payment-QR PNGs per second, against drawing them directly (issue 7).

Uncached: every request asks for a new amount, so every answer is a new image. Cached: the same
URL again and again. Cached before a burst: the same, but before each run the service is asked
for more new amounts than all its workers' image caches hold, as when a market's buyers each
scan a code for their own amount between two scans of a stall's sticker (issue 12). All are
compared with the baseline drawing the same PNG with the qrcode library on every request
(payload for the amount, then the image), in the same run.
"""

from __future__ import annotations

from bench.harness import Bench, Comparison, Skipped, Target, differences

NAME = "payment_qr"
TITLE = (
    "GET /api/v1/merchants/{id}/payment-qr.png, uncached (new amount each request), cached "
    "(same URL), and cached before a burst of new amounts, against drawing the same PNG directly "
    "with qrcode (issues 7, 12)"
)
PILOT_WARDS = ("00592", "00025", "00424", "00070", "09661", "00283", "00235")
UNCACHED_GOAL = 0.8
CACHED_GOAL = 10.0
CACHED_AMOUNT = 50_000
BEFORE_BURST_AMOUNT = 40_000
# New amounts asked before each run of the "cached before a burst" target: six times what one
# worker's image cache holds (app/qr.py), so that even spread unevenly over the
# workers (4 by default here) every one of them sees more new images than it can keep.
BURST = 6 * 512
SAME = "same VietQR payload, byte-identical PNG"
SAMPLE_AMOUNT = 123_457
# What app/qr.py draws with: error correction M, quiet zone 4, 8 pixels per module.
# The runner checks that the baseline's PNG is byte for byte the service's.
QR_PARAMS = {"error_correction": "M", "border": 4, "box_size": 8}


def find_verified_merchant(bench: Bench) -> int:
    """Return the id of a verified demo merchant, found through the public API."""
    for ward in PILOT_WARDS:
        zones = bench.subject.get(f"/api/v1/wards/{ward}/market-zones")
        if zones.status != 200:
            raise Skipped(f"endpoint not available (status {zones.status})")
        for zone in zones.json().get("items", []):
            merchants = bench.subject.get(f"/api/v1/market-zones/{zone['id']}/merchants")
            if merchants.status != 200:
                raise Skipped(f"endpoint not available (status {merchants.status})")
            for merchant in merchants.json().get("items", []):
                if merchant.get("status", "verified") == "verified":
                    return merchant["id"]
    raise Skipped("no verified merchant in the demo data")


def _png_path(bench: Bench) -> str:
    """Return the path of the PNG the baseline serves."""
    return bench.fixtures["qr"]["path"]


def prepare(bench: Bench) -> list[Comparison]:
    """Find a verified merchant, read its static payload, and plan the two comparisons."""
    merchant = find_verified_merchant(bench)
    base = f"/api/v1/merchants/{merchant}/payment-qr"
    static = bench.subject.get(base)
    if static.status != 200:
        raise Skipped(f"endpoint not available (status {static.status})")
    png = f"{base}.png"
    for amount in (CACHED_AMOUNT, BEFORE_BURST_AMOUNT):
        first = bench.subject.get(f"{png}?amount={amount}")  # also fills the cache
        if first.status != 200:
            raise Skipped(f"endpoint not available (status {first.status})")
    bench.serve_payment_qr(png, static.json()["payload"], QR_PARAMS)
    direct = Target("qrcode directly, same image", "baseline", png, vary_amount=True)
    return [
        Comparison(
            name=f"GET {png}?amount=<new each request> (uncached)",
            subject=Target("service", "subject", png, vary_amount=True),
            baseline=direct,
            goal=UNCACHED_GOAL,
            source="issue 7",
        ),
        Comparison(
            name=f"GET {png}?amount={CACHED_AMOUNT} (cached)",
            subject=Target("service", "subject", f"{png}?amount={CACHED_AMOUNT}"),
            baseline=direct,
            goal=CACHED_GOAL,
            source="issue 7",
        ),
        Comparison(
            name=f"GET {png}?amount={BEFORE_BURST_AMOUNT} (cached, then {BURST} new amounts "
            "before each run)",
            subject=Target(
                "service", "subject", f"{png}?amount={BEFORE_BURST_AMOUNT}", burst_before=BURST
            ),
            baseline=direct,
            goal=CACHED_GOAL,
            source="issue 12",
        ),
    ]


def check(bench: Bench) -> list[str]:
    """Check that the baseline encodes the service's payload and draws the service's bytes."""
    png = _png_path(bench)
    found = []
    payload = bench.subject.get(f"{png.removesuffix('.png')}?amount={SAMPLE_AMOUNT}").json()
    mine = bench.baseline.get(f"/bench/payment-qr-payload?amount={SAMPLE_AMOUNT}").json()
    if payload["payload"] != mine["payload"]:
        found.append(f"payload {mine['payload']!r} instead of {payload['payload']!r}")
    sample = f"{png}?amount={SAMPLE_AMOUNT}"
    # The service adds caching headers the direct drawing has no use for: compare status and bytes.
    found += differences(bench.subject.get(sample), bench.baseline.get(sample), headers=False)
    return found
