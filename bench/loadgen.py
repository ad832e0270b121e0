"""Drive HTTP load from a second process: wrk when installed, else a small Python generator.

Both report the same figures: requests per second, p50 and p99 latency, and the count of failed
requests (socket errors and answers outside 2xx/3xx), so that a broken run never reads as a fast
one.
Run as a module (`python -m bench.loadgen URL ...`) it is the Python generator itself.
"""

from __future__ import annotations

import argparse
import dataclasses
import http.client
import json
import multiprocessing
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

# Each request of a "vary amount" run asks for `?amount=<n>` with an n never asked before in the
# run: wrk's threads each count on from their own offset, and every run has its own base.
VARY_AMOUNT_LUA = """\
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

function init(args)
  base = tonumber(args[1]) + tid * 10000000
  n = 0
end

function request()
  n = n + 1
  return wrk.format("GET", wrk.path .. "?amount=" .. tostring(base + n))
end
"""

_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0, "h": 3600000.0}


@dataclasses.dataclass(frozen=True)
class Measurement:
    """What one load run measured."""

    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    failed: int


def tool() -> str:
    """Name the load generator this machine will use."""
    return "wrk" if shutil.which("wrk") else "python"


def run(
    url: str,
    *,
    duration: float,
    connections: int,
    threads: int,
    headers: dict[str, str] | None = None,
    vary_amount_base: int | None = None,
    workdir: Path,
) -> Measurement:
    """Load `url` for `duration` seconds from a second process and return what was measured."""
    if tool() == "wrk":
        return _run_wrk(
            url, duration, connections, threads, headers or {}, vary_amount_base, workdir
        )
    return _run_python(url, duration, connections, threads, headers or {}, vary_amount_base)


def _run_wrk(url, duration, connections, threads, headers, vary_amount_base, workdir):
    """Run wrk with latency statistics and parse its report."""
    seconds = max(1, round(duration))
    cmd = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--latency",
        "--timeout",
        "10s",
    ]
    for name, value in headers.items():
        cmd += ["-H", f"{name}: {value}"]
    if vary_amount_base is not None:
        script = workdir / "vary_amount.lua"
        if not script.exists():
            script.write_text(VARY_AMOUNT_LUA)
        cmd += ["-s", str(script), url, "--", str(vary_amount_base)]
    else:
        cmd.append(url)
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr.strip() or done.stdout}")
    return parse_wrk(done.stdout)


def parse_wrk(text: str) -> Measurement:
    """Read requests/s, the 50th and 99th latency percentiles and failures from wrk's report."""
    rps = float(_search(r"Requests/sec:\s+([\d.]+)", text))
    requests = int(_search(r"(\d+) requests in", text))
    percentiles = {
        int(p): float(v) * _UNITS_MS[unit]
        for p, v, unit in re.findall(r"^\s+(\d+)%\s+([\d.]+)(us|ms|s|m|h)\s*$", text, re.M)
    }
    failed = 0
    socket = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text
    )
    if socket:
        failed += sum(int(n) for n in socket.groups())
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    if bad:
        failed += int(bad.group(1))
    return Measurement(rps, percentiles.get(50, 0.0), percentiles.get(99, 0.0), requests, failed)


def _search(pattern: str, text: str) -> str:
    """Return the first group of `pattern` in wrk's report, or fail naming it."""
    found = re.search(pattern, text)
    if not found:
        raise RuntimeError(f"unexpected wrk output (no {pattern!r}):\n{text}")
    return found.group(1)


def _run_python(url, duration, connections, threads, headers, vary_amount_base):
    """Run this module as the load generator in a second process and read its JSON report."""
    cmd = [sys.executable, "-m", "bench.loadgen", url, "--duration", str(duration)]
    cmd += ["--connections", str(connections), "--processes", str(threads)]
    for name, value in headers.items():
        cmd += ["--header", f"{name}: {value}"]
    if vary_amount_base is not None:
        cmd += ["--vary-amount", str(vary_amount_base)]
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=root)
    if done.returncode != 0:
        raise RuntimeError(f"python load generator failed: {done.stderr.strip()}")
    return Measurement(**json.loads(done.stdout))


def _connection_loop(url, headers, deadline, amounts, latencies, counts, lock):
    """Send requests on one keep-alive connection until the deadline."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    mine, ok, failed = [], 0, 0
    while (start := time.perf_counter()) < deadline:
        path = parts.path if amounts is None else f"{parts.path}?amount={next(amounts)}"
        try:
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
        except (OSError, http.client.HTTPException):
            failed += 1
            conn.close()
            conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
            continue
        mine.append(time.perf_counter() - start)
        if 200 <= response.status < 400:
            ok += 1
        else:
            failed += 1
    conn.close()
    with lock:
        latencies.extend(mine)
        counts[0] += ok
        counts[1] += failed


def _process(url, headers, duration, connections, amount_base, queue):
    """Run `connections` threads in one process and put (latencies, ok, failed) on the queue."""
    import itertools

    amounts = None if amount_base is None else itertools.count(amount_base)
    latencies, counts, lock = [], [0, 0], threading.Lock()
    deadline = time.perf_counter() + duration
    workers = [
        threading.Thread(
            target=_connection_loop,
            args=(url, headers, deadline, amounts, latencies, counts, lock),
        )
        for _ in range(connections)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    queue.put((latencies, counts[0], counts[1]))


def main(argv: list[str] | None = None) -> None:
    """Generate load with keep-alive connections spread over processes; print JSON figures."""
    parser = argparse.ArgumentParser(prog="python -m bench.loadgen")
    parser.add_argument("url")
    parser.add_argument("--duration", type=float, default=5)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--header", action="append", default=[])
    parser.add_argument("--vary-amount", type=int, default=None)
    args = parser.parse_args(argv)
    headers = dict(h.split(": ", 1) for h in args.header)

    queue = multiprocessing.Queue()
    per_process = max(1, args.connections // args.processes)
    started = time.perf_counter()
    procs = [
        multiprocessing.Process(
            target=_process,
            args=(
                args.url,
                headers,
                args.duration,
                per_process,
                None if args.vary_amount is None else args.vary_amount + i * 10_000_000,
                queue,
            ),
        )
        for i in range(args.processes)
    ]
    for proc in procs:
        proc.start()
    results = [queue.get() for _ in procs]
    for proc in procs:
        proc.join()
    elapsed = time.perf_counter() - started
    latencies = sorted(x for lat, _, _ in results for x in lat)
    ok = sum(r[1] for r in results)
    failed = sum(r[2] for r in results)
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) >= 2 else [0.0] * 99
    print(
        json.dumps(
            {
                "rps": ok / elapsed,
                "p50_ms": cuts[49] * 1000,
                "p99_ms": cuts[98] * 1000,
                "requests": ok + failed,
                "failed": failed,
            }
        )
    )


if __name__ == "__main__":
    main()
