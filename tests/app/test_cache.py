"""The one cache kind: bounded, and a burst of keys asked for once never evicts a reused one."""

import threading

import pytest

from app.cache import Cache, cached, named


def test_keeps_what_it_is_given_within_its_size():
    cache = Cache("test.size", size=10)
    for n in range(100):
        cache.put(n, str(n))
    assert len(cache) <= 10
    assert cache.get(99) == "99"
    assert cache.get(0) is None
    assert cache.get(0, "absent") == "absent"


def test_a_burst_of_new_keys_never_evicts_a_key_asked_for_again():
    cache = Cache("test.burst", size=10)
    cache.put("sticker", b"png")
    assert cache.get("sticker") == b"png"  # asked for a second time: kept
    for amount in range(10_000):
        cache.put(("dynamic", amount), b"png")
    assert cache.get("sticker") == b"png"
    assert len(cache) <= 10


def test_reused_keys_beyond_the_size_give_way_least_recently_used_first():
    cache = Cache("test.lru", size=10)
    for key in range(20):
        cache.put(key, key)
        cache.get(key)
    assert len(cache) <= 10
    assert cache.get(19) == 19
    assert cache.get(0) is None


def test_a_new_value_for_a_kept_key_replaces_it():
    cache = Cache("test.replace", size=4)
    cache.put("a", 1)
    cache.get("a")
    cache.put("a", 2)
    assert cache.get("a") == 2


def test_cached_computes_once_per_key_and_refuses_keywords():
    calls = []

    @cached("test.decorated", size=8)
    def square(n):
        calls.append(n)
        return n * n

    assert [square(3), square(3), square(4)] == [9, 9, 16]
    assert calls == [3, 4]
    with pytest.raises(TypeError):
        square(n=3)


def test_a_name_is_one_cache_of_one_size():
    assert named("test.named", size=4) is named("test.named", size=4)
    with pytest.raises(ValueError):
        named("test.named", size=5)


def test_threads_sharing_a_cache_keep_it_whole():
    cache = Cache("test.threads", size=64)
    errors = []

    def work(offset):
        try:
            for n in range(2_000):
                key = (offset * 7 + n) % 200
                if cache.get(key) is None:
                    cache.put(key, key)
        except Exception as exc:  # noqa: BLE001 - any failure in a thread fails the test
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(t,)) for t in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(cache) <= 64
    assert all(cache.get(key) in (None, key) for key in range(200))
