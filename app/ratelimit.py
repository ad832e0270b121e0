"""Rate limits declared on the views that need them, and nowhere else.

A limit costs only the requests of the view that declares it: there is no application-wide
hook. Flask-Limiter, which this replaces, checks every request in a `before_request` hook and
adds an after/teardown pair even when no limit applies; on the public config read those three
hooks took the request from 62 to 114 µs in process (docs/decisions/0009). The counting itself is
the `limits` library's (Flask-Limiter's own engine): the same storage URIs
(`RATELIMIT_STORAGE_URI`: `memory://`, `redis://…`) and the same fixed-window strategy.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, Response, after_this_request, current_app, request
from limits import RateLimitItem, parse
from limits.storage import MemoryStorage, storage_from_string
from limits.strategies import FixedWindowRateLimiter
from werkzeug.exceptions import TooManyRequests

log = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable[..., Any])

EXTENSION = "pxs_rate_limiter"
# After the shared storage fails, count in this process for a while before trying it again.
RETRY_STORAGE_AFTER = 30.0
# Seconds to wait for Redis before counting per process: a Redis that hangs (not refusing,
# just silent) must not hold every limited request for the client's default of forever.
REDIS_TIMEOUT = 0.5


def remote_address() -> str:
    """Return the address the request came from (after ProxyFix, the client's own)."""
    return request.remote_addr or "127.0.0.1"


class _Counters:
    """The counters of one app: its shared storage, and a per-process one for outages."""

    def __init__(self, app: Flask) -> None:
        self.headers = bool(app.config.get("RATELIMIT_HEADERS_ENABLED", False))
        uri = app.config.get("RATELIMIT_STORAGE_URI") or "memory://"
        self.in_memory = uri.startswith("memory://")
        options: dict[str, Any] = {}
        if uri.startswith(("redis://", "rediss://", "unix://")):
            options = {"socket_timeout": REDIS_TIMEOUT, "socket_connect_timeout": REDIS_TIMEOUT}
        self.shared = FixedWindowRateLimiter(storage_from_string(uri, **options))
        self.local = FixedWindowRateLimiter(MemoryStorage())
        self.shared_down_until = 0.0

    def state(self) -> str:
        """Tell where the counts are kept now: "memory" (one process by design), "shared",
        or "per_process" (the shared storage failed lately). Does no I/O."""
        if self.in_memory:
            return "memory"
        return "per_process" if time.monotonic() < self.shared_down_until else "shared"

    def shared_storage_answers(self) -> bool:
        """Ask the shared storage whether it answers (a Redis PING, bounded by its timeout)."""
        return bool(self.shared.storage.check())

    def hit(self, item: RateLimitItem, key: str, scope: str) -> tuple[bool, int, float]:
        """Count one request; return (allowed, remaining, reset time) for the response headers."""
        if time.monotonic() >= self.shared_down_until:
            try:
                return self._hit(self.shared, item, key, scope)
            except Exception:  # any storage client error: Redis down, timeout, refused
                # A Redis outage must not turn sign-in into 500s: count per process meanwhile.
                log.warning("rate-limit storage unreachable; counting per process for now")
                self.shared_down_until = time.monotonic() + RETRY_STORAGE_AFTER
        return self._hit(self.local, item, key, scope)

    @staticmethod
    def _hit(
        limiter: FixedWindowRateLimiter, item: RateLimitItem, key: str, scope: str
    ) -> tuple[bool, int, float]:
        allowed = limiter.hit(item, key, scope)
        stats = limiter.get_window_stats(item, key, scope)
        return allowed, stats.remaining, stats.reset_time


class RateLimiter:
    """Per-view rate limits: created unbound in extensions.py, bound by `init_app`."""

    def __init__(self, key_func: Callable[[], str] = remote_address) -> None:
        self.key_func = key_func

    def init_app(self, app: Flask) -> None:
        """Bind the limiter's counters to an app (none when `RATELIMIT_ENABLED` is false)."""
        if app.config.get("RATELIMIT_ENABLED", True):
            app.extensions[EXTENSION] = _Counters(app)

    def limit(self, value: str, *, key: Callable[[], str] | None = None) -> Callable[[F], F]:
        """Limit a view to `value` requests (e.g. "30/minute") per caller; 429 beyond it.

        `key` says who the caller is (the client's address by default); a view for signed-in
        people counts per account, so that neighbours behind one address (a meeting's Wi-Fi, a
        carrier's NAT) do not share one allowance.
        """
        item = parse(value)
        key_func = key or self.key_func

        def decorate(view: F) -> F:
            scope = f"{view.__module__}.{view.__qualname__}"

            @functools.wraps(view)
            def limited(*args: Any, **kwargs: Any) -> Any:
                counters: _Counters | None = current_app.extensions.get(EXTENSION)
                if counters is not None:
                    self._check(counters, item, scope, key_func())
                return view(*args, **kwargs)

            return limited  # type: ignore[return-value]

        return decorate

    def _check(self, counters: _Counters, item: RateLimitItem, scope: str, key: str) -> None:
        """Count this request against the view's limit; refuse it when the limit is spent."""
        allowed, remaining, reset_at = counters.hit(item, key, scope)
        if counters.headers:
            headers = {
                "X-RateLimit-Limit": str(item.amount),
                "X-RateLimit-Remaining": str(remaining),
                "X-RateLimit-Reset": str(int(reset_at)),
            }

            @after_this_request
            def add_headers(response: Response) -> Response:
                response.headers.update(headers)
                return response

        if not allowed:
            # app/errors.py answers with the JSON error body and this Retry-After.
            raise TooManyRequests(retry_after=max(int(reset_at - time.time()), 1))


def storage_state(app: Flask) -> str:
    """Tell where an app's rate limits count now: "off", "memory", "shared" or "per_process"."""
    counters: _Counters | None = app.extensions.get(EXTENSION)
    return "off" if counters is None else counters.state()


def shared_storage_answers(app: Flask) -> bool | None:
    """Ask the shared storage of an app's rate limits whether it answers; None when there is
    none (limits off, or counted in memory)."""
    counters: _Counters | None = app.extensions.get(EXTENSION)
    if counters is None or counters.in_memory:
        return None
    return counters.shared_storage_answers()
