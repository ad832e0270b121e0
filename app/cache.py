"""The one kind of cache in the service: named, bounded, per process, for values of their key.

The invalidation rule: **nothing is ever invalidated.** A cache only holds values that are a
pure function of their key: an image of a payload, a payload of its inputs, the bytes named
by their own hash (an ETag), a ward's official code by its slug. Such an entry can never be
stale, so no write elsewhere has to know about it, and every worker or instance may keep its
own. Whatever can change (which config version is live, whether a merchant is verified) is
not cached: it is read from the database on each request, and only the bytes it names are
looked up here. A cache forgets only to stay within its size.

Kept per process (each gunicorn worker has its own): nothing is shared or locked across
processes, and an entry costs at most one computation per worker.

Eviction is a segmented LRU. A new entry goes into a small probation segment; asked for again,
it moves to the protected segment (most of the size). A burst of keys asked for once (a new
amount on every payment code) only churns probation, so a burst never evicts what is asked
for repeatedly (a stall's sticker, a ward's live config): a plain LRU would flush those, and
every worker would have to draw them again. The least recently used protected entry goes
back to probation for a last chance when protected is full.

Data shipped with the package and read once (the bank list, the demo citizens) is not a
cache: it cannot change while the process runs, and it stays loaded with `functools.cache`.
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

PROTECTED_SHARE = 0.8  # of a cache's size: what is asked for more than once
_MISSING = object()
_caches: dict[str, Cache] = {}
_registering = threading.Lock()


class Cache:
    """A bounded segmented-LRU map from keys to values derived from them (see the module)."""

    def __init__(self, name: str, size: int) -> None:
        if size < 2:
            raise ValueError("a cache needs room for at least two entries")
        self.name = name
        self.size = size
        self._protected_size = max(1, int(size * PROTECTED_SHARE))
        self._probation_size = size - self._protected_size
        self._probation: OrderedDict[Hashable, Any] = OrderedDict()
        self._protected: OrderedDict[Hashable, Any] = OrderedDict()
        # gthread workers run several requests at once; the sections below are short.
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._probation) + len(self._protected)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._protected or key in self._probation

    def get(self, key: Hashable, default: Any = None) -> Any:
        """Return the value kept for a key (marking it used), or `default`."""
        # The hit on a protected entry (nearly every lookup of the hot reads) takes no lock:
        # each OrderedDict call is atomic under the GIL, and an entry another thread evicts
        # between the two still had a valid value.
        value = self._protected.get(key, _MISSING)
        if value is not _MISSING:
            try:
                self._protected.move_to_end(key)
            except KeyError:
                return value  # evicted by another thread meanwhile
            return value
        with self._lock:
            value = self._probation.pop(key, _MISSING)
            if value is _MISSING:
                # Another thread may have promoted it since the look above.
                return self._protected.get(key, default)
            self._protected[key] = value  # asked for a second time: worth keeping
            if len(self._protected) > self._protected_size:
                self._admit(*self._protected.popitem(last=False))
            return value

    def put(self, key: Hashable, value: Any) -> None:
        """Keep a value for a key (on probation until it is asked for again)."""
        with self._lock:
            if key in self._protected:
                self._protected[key] = value
                self._protected.move_to_end(key)
            else:
                self._admit(key, value)

    def clear(self) -> None:
        """Forget every entry."""
        with self._lock:
            self._probation.clear()
            self._protected.clear()

    def _admit(self, key: Hashable, value: Any) -> None:
        """Put an entry at the recent end of probation, evicting its oldest (lock held)."""
        self._probation[key] = value
        self._probation.move_to_end(key)
        if len(self._probation) > self._probation_size:
            self._probation.popitem(last=False)


def named(name: str, *, size: int) -> Cache:
    """Return the process's cache of that name, creating it with that size on first use."""
    with _registering:
        cache = _caches.get(name)
        if cache is None:
            cache = _caches[name] = Cache(name, size)
        elif cache.size != size:
            raise ValueError(f"cache {name!r} already exists with size {cache.size}")
        return cache


def cached(name: str, *, size: int) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Cache a pure function's results in a named cache, keyed by its positional arguments.

    Keyword arguments are refused: two spellings of one call would be two keys.
    """
    cache = named(name, size=size)

    def decorate(function: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(function)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            if kwargs:
                raise TypeError(f"{function.__qualname__} is cached: pass arguments by position")
            value = cache.get(args, _MISSING)
            if value is _MISSING:
                # Computed outside the lock: two threads may both compute a missing value,
                # and both get the same value, which is cheaper than making one wait.
                value = function(*args)
                cache.put(args, value)
            return value

        wrapper.cache = cache  # type: ignore[attr-defined]
        return wrapper

    return decorate


def clear_all() -> None:
    """Forget every entry of every cache (tests use it to start cold)."""
    for cache in list(_caches.values()):
        cache.clear()
