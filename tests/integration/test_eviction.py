"""Key-deleting eviction (Strata's own; engine/eviction.h): with a deleting
maxmemory-policy and a small dataset limit, writes keep succeeding while the
key count stops growing, keys read recently survive, volatile-* deletes only
keys with a TTL, and noeviction never deletes anything."""
import time

import pytest

pytestmark = pytest.mark.strata_only

VALUE = "v" * 200
LIMIT = ("--maxmemory-dataset", "200kb")


def settle(c, timeout=10.0):
    """Waits until DBSIZE stops changing for half a second; returns it."""
    deadline = time.time() + timeout
    last, since = c.dbsize(), time.time()
    while time.time() < deadline:
        time.sleep(0.1)
        n = c.dbsize()
        if n != last:
            last, since = n, time.time()
        elif time.time() - since >= 0.5:
            return n
    return last


@pytest.mark.server_args("--maxmemory-policy", "allkeys-lru", *LIMIT)
def test_allkeys_lru_bounds_the_key_count_and_keeps_recently_read_keys(server):
    c = server.client()
    hot = [f"hot:{i}" for i in range(30)]
    for k in hot:
        assert c.set(k, VALUE)
    counts = []
    for batch in range(60):
        pipe = c.pipeline(transaction=False)
        for i in range(100):
            pipe.set(f"cold:{batch}:{i}", VALUE)
        assert all(pipe.execute())  # writes are never refused
        # The hot keys are read between every 100 writes: always among the
        # few hundred most recently used keys.
        for k in hot:
            assert c.get(k) == VALUE.encode()
        if batch % 10 == 9:
            counts.append(settle(c))
    # 200 KB of keys of roughly 500 bytes each: a few hundred, not 6000.
    assert counts[-1] < 1000, counts
    assert max(counts[1:]) < 1000, counts
    stats = c.info("stats")
    assert stats["evicted_keys"] >= 6030 - counts[-1] - 50
    survivors = sum(c.exists(k) for k in hot)
    assert survivors >= 27, survivors


@pytest.mark.server_args("--maxmemory-policy", "volatile-lru", *LIMIT)
def test_volatile_policies_delete_only_keys_with_a_ttl(server):
    c = server.client()
    pipe = c.pipeline(transaction=False)
    for i in range(1500):
        pipe.set(f"plain:{i}", VALUE)
        pipe.set(f"ttl:{i}", VALUE, ex=3600)
    pipe.execute()
    settle(c)
    assert c.info("stats")["evicted_keys"] > 0
    plain = sum(c.exists(f"plain:{i}") for i in range(1500))
    assert plain == 1500
    assert c.dbsize() < 3000


@pytest.mark.server_args("--maxmemory-policy", "noeviction", *LIMIT)
def test_noeviction_never_deletes(server):
    c = server.client()
    pipe = c.pipeline(transaction=False)
    for i in range(3000):
        pipe.set(f"k:{i}", VALUE)
    pipe.execute()
    time.sleep(1.0)
    assert c.dbsize() == 3000
    assert c.info("stats")["evicted_keys"] == 0


@pytest.mark.server_args("--maxmemory-policy", "allkeys-lfu", *LIMIT)
def test_allkeys_lfu_keeps_frequently_read_keys_and_survives_restart(server):
    c = server.client()
    hot = [f"hot:{i}" for i in range(20)]
    for k in hot:
        c.set(k, VALUE)
    for _ in range(20):
        for k in hot:
            c.get(k)
    pipe = c.pipeline(transaction=False)
    for i in range(4000):
        pipe.set(f"cold:{i}", VALUE)
    pipe.execute()
    n = settle(c)
    assert n < 1000
    assert sum(c.exists(k) for k in hot) >= 18
    # Evictions are logged deletes: a restart sees the same keys.
    server.restart()
    c = server.client()
    assert c.dbsize() == n


def test_config_set_turns_eviction_on_at_run_time(server):
    c = server.client()
    pipe = c.pipeline(transaction=False)
    for i in range(3000):
        pipe.set(f"k:{i}", VALUE)
    pipe.execute()
    time.sleep(0.3)
    assert c.dbsize() == 3000
    c.config_set("maxmemory-dataset", "200kb")
    time.sleep(0.3)
    assert c.dbsize() == 3000  # still noeviction
    c.config_set("maxmemory-policy", "allkeys-random")
    assert settle(c) < 1000
    assert c.info("stats")["evicted_keys"] > 2000
