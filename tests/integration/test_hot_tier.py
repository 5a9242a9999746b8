"""The hot tier seen from a client (Strata's own; engine/hot_tier.h).

The tier is forced tiny here so that objects move between RAM and disk all
the time: replies must still be exactly what was written, across restarts
and kill -9, and INFO must account for the tier.
"""
import random

import pytest

pytestmark = pytest.mark.strata_only

TINY = ("--hot-tier-size", "256kb")


def info_ints(client, section):
    return {k: v for k, v in client.info(section).items() if isinstance(v, int)}


@pytest.mark.server_args(*TINY)
def test_info_reports_the_tier_and_the_budget(server):
    c = server.client()
    for i in range(2000):
        c.set(f"k{i}", "v" * 100)
    for i in range(2000):
        assert c.get(f"k{i}") == b"v" * 100
    h = info_ints(c, "hottier")
    assert h["hot_tier_capacity_bytes"] <= 256 * 1024
    assert 0 < h["hot_tier_used_bytes"] <= h["hot_tier_capacity_bytes"]
    assert h["hot_tier_objects"] == h["hot_tier_small_objects"] + h["hot_tier_main_objects"]
    assert h["hot_tier_demotions"] > 0
    assert h["hot_tier_admissions"] >= h["hot_tier_objects"]
    assert h["hot_tier_misses"] > 0
    assert h["memory_budget_bytes"] >= (
        h["memory_budget_block_cache_bytes"] + h["memory_budget_reserve_bytes"])
    # INFO all includes the section (the default keeps Redis's list);
    # used_memory comes from jemalloc.
    assert "hot_tier_objects" in c.info("all")
    assert c.info("memory")["used_memory"] > 0


def test_hot_keys_are_served_from_ram(server):
    c = server.client()
    c.set("hot", "value")
    before = info_ints(c, "hottier")["hot_tier_hits"]
    for _ in range(100):
        assert c.get("hot") == b"value"
    assert info_ints(c, "hottier")["hot_tier_hits"] >= before + 100


@pytest.mark.server_args(*TINY)
def test_random_workload_with_a_tiny_tier_matches_a_model(server):
    c = server.client()
    rng = random.Random(7)
    model = {}
    keys = [f"key:{i}" for i in range(3000)]
    for step in range(15000):
        k = rng.choice(keys)
        op = rng.random()
        if op < 0.35:
            v = str(rng.randrange(10**6)).encode() + b"x" * rng.randrange(200)
            c.set(k, v)
            model[k] = v
        elif op < 0.45:
            assert c.delete(k) == (1 if k in model else 0)
            model.pop(k, None)
        elif op < 0.55:
            if k in model and not model[k].isdigit():
                continue
            model[k] = str(int(model.get(k, b"0")) + 5).encode()
            assert c.incrby(k, 5) == int(model[k])
        else:
            assert c.get(k) == model.get(k), (step, k)
    assert info_ints(c, "hottier")["hot_tier_demotions"] > 0
    assert c.dbsize() == len(model)
    pipe = c.pipeline(transaction=False)
    for k in keys:
        pipe.get(k)
    assert pipe.execute() == [model.get(k) for k in keys]

    # A warm tier is lost with the process; the data is not.
    server.kill9()
    server.start()
    c = server.client()
    pipe = c.pipeline(transaction=False)
    for k in keys:
        pipe.get(k)
    assert pipe.execute() == [model.get(k) for k in keys]
    assert c.dbsize() == len(model)


@pytest.mark.server_args(*TINY)
def test_flushdb_leaves_nothing_cached(server):
    c = server.client()
    c.set("a", "1")
    assert c.get("a") == b"1"
    c.flushdb()
    assert c.get("a") is None
    assert info_ints(c, "hottier")["hot_tier_objects"] == 0


def test_maxmemory_sets_the_budget(server_factory):
    s = server_factory(("--maxmemory", "256mb"))
    h = info_ints(s.client(), "hottier")
    assert h["memory_budget_bytes"] == 256 * 1024 * 1024
    assert (h["hot_tier_capacity_bytes"] + h["memory_budget_block_cache_bytes"]
            + h["memory_budget_reserve_bytes"]) <= 256 * 1024 * 1024


def test_config_set_maxmemory_resizes_the_tier(server):
    c = server.client()
    for i in range(3000):
        c.set(f"k{i}", "v" * 200)
    c.config_set("maxmemory", "128mb")
    h = info_ints(c, "hottier")
    assert h["memory_budget_bytes"] == 128 * 1024 * 1024
    assert h["hot_tier_capacity_bytes"] <= 128 * 1024 * 1024 - h["memory_budget_block_cache_bytes"]
    assert h["hot_tier_used_bytes"] <= h["hot_tier_capacity_bytes"]
    assert c.get("k5") == b"v" * 200
