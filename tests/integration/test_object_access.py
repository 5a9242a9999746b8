"""OBJECT FREQ, OBJECT IDLETIME and MEMORY USAGE, and the maxmemory-policy
settings, against redis-server 7.0.15's behaviour: the policy decides which
of FREQ and IDLETIME answers, a missing key is a null under any policy, new
keys start at LFU counter 5, and OBJECT, EXISTS and TYPE do not count as an
access while GET and TOUCH do. MEMORY USAGE's figure is each server's own
estimate, so only its shape is compared."""

import time

import pytest

from replies import err, NOT_INT, SYNTAX

FREQ_NEEDS_LFU = (
    "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note "
    "that when switching between policies at runtime LRU and LFU data will take some time to "
    "adjust.")
IDLE_UNDER_LFU = (
    "ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when "
    "switching between policies at runtime LRU and LFU data will take some time to adjust.")
LFU = ("--maxmemory-policy", "allkeys-lfu")


@pytest.fixture
def c(server):
    conn = server.resp()
    yield conn
    conn.close()


def test_default_policy_tracks_idle_time_not_frequency(c):
    assert c.cmd("CONFIG", "GET", "maxmemory-policy") == [b"maxmemory-policy", b"noeviction"]
    c.check("SET", "k", "v")
    assert err(c.cmd("OBJECT", "FREQ", "k")) == FREQ_NEEDS_LFU
    assert c.cmd("OBJECT", "IDLETIME", "k") == 0
    # A missing key is a null before the policy is looked at.
    assert c.cmd_raw("OBJECT", "FREQ", "missing") == b"$-1\r\n"
    assert c.cmd_raw("OBJECT", "IDLETIME", "missing") == b"$-1\r\n"
    for sub in ("FREQ", "IDLETIME"):
        wrong = f"ERR wrong number of arguments for 'object|{sub.lower()}' command"
        assert err(c.cmd("OBJECT", sub)) == wrong
        assert err(c.cmd("OBJECT", sub, "a", "b")) == wrong


@pytest.mark.server_args(*LFU)
def test_lfu_policy_tracks_frequency_not_idle_time(server, c):
    c.check("SET", "k", "v")
    assert c.cmd("OBJECT", "FREQ", "k") == 5  # LFU_INIT_VAL
    assert c.cmd("GET", "k") == b"v"
    assert c.cmd("OBJECT", "FREQ", "k") == 6  # below 5 above the init value: always +1
    assert err(c.cmd("OBJECT", "IDLETIME", "k")) == IDLE_UNDER_LFU
    assert c.cmd_raw("OBJECT", "IDLETIME", "missing") == b"$-1\r\n"
    c3 = server.resp()
    c3.hello(3)
    assert c3.cmd_raw("OBJECT", "FREQ", "missing") == b"_\r\n"
    c3.close()


@pytest.mark.server_args(*LFU, "--lfu-log-factor", "0")
def test_reads_that_are_not_accesses_leave_the_counter_alone(c):
    c.check("SET", "k", "v")
    for _ in range(5):
        assert c.cmd("OBJECT", "FREQ", "k") == 5
        assert c.cmd("OBJECT", "ENCODING", "k") == b"embstr"
        assert c.cmd("EXISTS", "k") == 1
        assert c.cmd("TYPE", "k") == b"string"
        assert isinstance(c.cmd("MEMORY", "USAGE", "k"), int)
    assert c.cmd("OBJECT", "FREQ", "k") == 5
    # With lfu-log-factor 0 every access counts one.
    assert c.cmd("TOUCH", "k", "missing") == 1
    assert c.cmd("OBJECT", "FREQ", "k") == 6
    for _ in range(3):
        c.cmd("GET", "k")
    assert c.cmd("OBJECT", "FREQ", "k") == 9
    c.check("SET", "k", "w")  # an overwrite is one access
    assert c.cmd("OBJECT", "FREQ", "k") == 10


def test_idle_time_counts_from_the_last_access(c):
    # Not small integers: Redis shares those between keys, and their idle time.
    c.check("SET", "a", "va")
    c.check("SET", "b", "vb")
    time.sleep(2.2)
    # OBJECT, EXISTS and TYPE are not accesses.
    assert c.cmd("EXISTS", "a") == 1
    assert c.cmd("TYPE", "a") == b"string"
    assert c.cmd("OBJECT", "ENCODING", "a") == b"embstr"
    assert c.cmd("TOUCH", "b") == 1
    assert 1 <= c.cmd("OBJECT", "IDLETIME", "a") <= 4
    assert c.cmd("OBJECT", "IDLETIME", "b") <= 1
    assert c.cmd("GET", "a") == b"va"
    assert c.cmd("OBJECT", "IDLETIME", "a") <= 1


def test_memory_usage_shape_and_errors(server, c):
    c.check("SET", "small", "x")
    c.check("SET", "big", "x" * 10000)
    small = c.cmd("MEMORY", "USAGE", "small")
    big = c.cmd("MEMORY", "USAGE", "big")
    assert isinstance(small, int) and small > 0
    assert isinstance(big, int) and big > small and big >= 10000
    assert c.cmd("MEMORY", "USAGE", "big", "SAMPLES", "0") == big
    assert c.cmd("MEMORY", "usage", "big", "samples", "5") == big
    assert c.cmd_raw("MEMORY", "USAGE", "missing") == b"$-1\r\n"
    assert err(c.cmd("MEMORY", "USAGE", "big", "SAMPLES")) == SYNTAX
    assert err(c.cmd("MEMORY", "USAGE", "big", "SAMPLES", "-1")) == SYNTAX
    assert err(c.cmd("MEMORY", "USAGE", "big", "SAMPLES", "x")) == NOT_INT
    assert err(c.cmd("MEMORY", "USAGE", "big", "FOO")) == SYNTAX
    # The options are checked before the key is looked up.
    assert err(c.cmd("MEMORY", "USAGE", "missing", "FOO")) == SYNTAX
    assert err(c.cmd("MEMORY", "USAGE")) == \
        "ERR wrong number of arguments for 'memory|usage' command"
    c3 = server.resp()
    c3.hello(3)
    assert c3.cmd_raw("MEMORY", "USAGE", "missing") == b"_\r\n"
    assert c3.cmd("MEMORY", "USAGE", "big") == big
    c3.close()


def test_memory_usage_grows_with_the_value(c):
    sizes = [10, 100, 1000, 20000, 100000]
    usage = []
    for i, n in enumerate(sizes):
        c.check("SET", f"k{i}", "y" * n)
        usage.append(c.cmd("MEMORY", "USAGE", f"k{i}"))
    assert usage == sorted(usage)
    assert usage[-1] >= 100000


def test_eviction_settings_defaults(c):
    got = c.cmd("CONFIG", "GET", "maxmemory-samples")
    assert got == [b"maxmemory-samples", b"5"]
    assert c.cmd("CONFIG", "GET", "lfu-log-factor") == [b"lfu-log-factor", b"10"]
    assert c.cmd("CONFIG", "GET", "lfu-decay-time") == [b"lfu-decay-time", b"1"]


@pytest.mark.parametrize("policy", ["volatile-lru", "volatile-lfu", "volatile-random",
                                    "volatile-ttl", "allkeys-lru", "allkeys-lfu",
                                    "allkeys-random", "noeviction"])
def test_every_policy_is_accepted_at_start(server_factory, policy):
    s = server_factory(extra_args=["--maxmemory-policy", policy.upper(), "--maxmemory-samples",
                                   "7", "--lfu-log-factor", "3", "--lfu-decay-time", "0"])
    c = s.resp()
    assert c.cmd("CONFIG", "GET", "maxmemory-policy") == [b"maxmemory-policy", policy.encode()]
    assert c.cmd("CONFIG", "GET", "maxmemory-samples") == [b"maxmemory-samples", b"7"]
    assert c.cmd("CONFIG", "GET", "lfu-log-factor") == [b"lfu-log-factor", b"3"]
    assert c.cmd("CONFIG", "GET", "lfu-decay-time") == [b"lfu-decay-time", b"0"]
    c.close()


def test_config_set_switches_the_policy_at_run_time(c):
    c.check("SET", "k", "v")
    assert err(c.cmd("OBJECT", "FREQ", "k")) == FREQ_NEEDS_LFU
    assert c.cmd("CONFIG", "SET", "maxmemory-policy", "allkeys-lfu") == b"OK"
    assert isinstance(c.cmd("OBJECT", "FREQ", "k"), int)
    assert err(c.cmd("OBJECT", "IDLETIME", "k")) == IDLE_UNDER_LFU
    assert c.cmd("CONFIG", "SET", "maxmemory-policy", "volatile-ttl",
                 "maxmemory-samples", "10", "lfu-log-factor", "5", "lfu-decay-time", "2") == b"OK"
    assert c.cmd("CONFIG", "GET", "maxmemory-samples") == [b"maxmemory-samples", b"10"]
    assert c.cmd("OBJECT", "IDLETIME", "k") == 0
    assert err(c.cmd("CONFIG", "SET", "maxmemory-policy", "lru")) == (
        "ERR CONFIG SET failed (possibly related to argument 'maxmemory-policy') - argument(s) "
        "must be one of the following: volatile-lru, volatile-lfu, volatile-random, "
        "volatile-ttl, allkeys-lru, allkeys-lfu, allkeys-random, noeviction")
    assert err(c.cmd("CONFIG", "SET", "maxmemory-samples", "0")) == (
        "ERR CONFIG SET failed (possibly related to argument 'maxmemory-samples') - argument "
        "must be between 1 and 2147483647 inclusive")
    assert c.cmd("CONFIG", "GET", "maxmemory-policy") == [b"maxmemory-policy", b"volatile-ttl"]
