"""EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT (NX/XX/GT/LT), TTL, PTTL, EXPIRETIME,
PEXPIRETIME and PERSIST, differential against redis-server; and (Strata's
own) active expiry of many keys nobody reads, and TTLs across restarts.
"""
import time

import pytest
import redis


@pytest.fixture
def c(r):
    return r


def err(c, *args):
    with pytest.raises(redis.ResponseError) as e:
        c.execute_command(*args)
    return str(e.value)


def test_ttl_of_missing_and_persistent_keys(c):
    assert c.ttl("missing") == -2
    assert c.pttl("missing") == -2
    assert c.execute_command("EXPIRETIME", "missing") == -2
    assert c.execute_command("PEXPIRETIME", "missing") == -2
    c.set("k", "v")
    assert c.ttl("k") == -1
    assert c.pttl("k") == -1
    assert c.execute_command("EXPIRETIME", "k") == -1
    assert c.execute_command("PEXPIRETIME", "k") == -1


def test_expire_family_sets_ttl(c):
    c.set("a", "v")
    assert c.execute_command("EXPIRE", "a", 100) == 1
    assert 99 <= c.ttl("a") <= 100
    assert c.execute_command("PEXPIRE", "a", 50_000) == 1
    assert 49_000 <= c.pttl("a") <= 50_000
    at = int(time.time()) + 200
    assert c.execute_command("EXPIREAT", "a", at) == 1
    assert c.execute_command("EXPIRETIME", "a") == at
    assert c.execute_command("PEXPIRETIME", "a") == at * 1000
    assert c.execute_command("PEXPIREAT", "a", at * 1000 + 5) == 1
    assert c.execute_command("PEXPIRETIME", "a") == at * 1000 + 5
    assert c.execute_command("EXPIRETIME", "a") == at
    assert c.execute_command("EXPIRE", "missing", 10) == 0
    assert c.execute_command("PEXPIREAT", "missing", 10) == 0


def test_past_or_negative_expiry_deletes(c):
    for cmd, arg in [("EXPIRE", -1), ("PEXPIRE", 0), ("EXPIREAT", 1), ("PEXPIREAT", -5)]:
        c.set("k", "v")
        assert c.execute_command(cmd, "k", arg) == 1
        assert c.exists("k") == 0
        assert c.ttl("k") == -2


def test_conditions(c):
    c.set("k", "v")
    assert c.execute_command("EXPIRE", "k", 100, "XX") == 0  # no TTL yet
    assert c.execute_command("EXPIRE", "k", 100, "GT") == 0  # no TTL counts as infinite
    assert c.ttl("k") == -1
    assert c.execute_command("EXPIRE", "k", 100, "NX") == 1
    assert c.execute_command("EXPIRE", "k", 50, "NX") == 0
    assert c.execute_command("EXPIRE", "k", 200, "XX") == 1
    assert c.execute_command("EXPIRE", "k", 50, "GT") == 0
    assert c.execute_command("EXPIRE", "k", 300, "gt") == 1
    assert c.execute_command("EXPIRE", "k", 400, "LT") == 0
    assert c.execute_command("EXPIRE", "k", 10, "lt") == 1
    assert 9 <= c.ttl("k") <= 10
    c.set("p", "v")
    assert c.execute_command("PEXPIRE", "p", 100_000, "LT") == 1  # below infinite
    assert c.execute_command("PEXPIRE", "missing", 100, "NX") == 0


def test_option_errors(c):
    c.set("k", "v")
    both = "NX and XX, GT or LT options at the same time are not compatible"
    assert err(c, "EXPIRE", "k", 10, "NX", "XX") == both
    assert err(c, "EXPIRE", "k", 10, "NX", "GT") == both
    assert err(c, "PEXPIRE", "k", 10, "XX", "NX") == both
    assert err(c, "EXPIRE", "k", 10, "GT", "LT") == \
        "GT and LT options at the same time are not compatible"
    assert err(c, "EXPIRE", "k", 10, "foo") == "Unsupported option foo"
    assert err(c, "EXPIRE", "k", 1, 2, 3) == "Unsupported option 2"
    assert err(c, "EXPIRE", "k", "abc") == "value is not an integer or out of range"
    assert err(c, "EXPIREAT", "k", "1.5") == "value is not an integer or out of range"
    assert c.ttl("k") == -1


@pytest.mark.parametrize("cmd", ["EXPIRE", "PEXPIRE", "EXPIREAT"])
def test_overflowing_expire_times(c, cmd):
    c.set("k", "v")
    assert err(c, cmd, "k", 9223372036854775807) == \
        f"invalid expire time in '{cmd.lower()}' command"
    assert err(c, "EXPIRE", "k", 92233720368547758) == \
        "invalid expire time in 'expire' command"
    assert c.exists("k") == 1


@pytest.mark.parametrize("cmd", ["EXPIRE", "PEXPIRE", "EXPIREAT", "PEXPIREAT", "TTL", "PTTL",
                                 "EXPIRETIME", "PEXPIRETIME", "PERSIST"])
def test_arity(c, cmd):
    assert err(c, cmd) == f"wrong number of arguments for '{cmd.lower()}' command"


def test_persist(c):
    c.set("k", "v")
    assert c.persist("k") == 0
    c.expire("k", 100)
    assert c.persist("k") == 1
    assert c.ttl("k") == -1
    assert c.persist("k") == 0
    assert c.persist("missing") == 0


def test_expired_key_is_gone_for_every_command(c):
    c.set("k", "v", px=50)
    c.set("s", "v", px=50)
    time.sleep(0.12)
    assert c.get("k") is None
    assert c.exists("s") == 0
    assert c.ttl("s") == -2
    assert c.type("s") == b"none"
    assert c.execute_command("EXPIRE", "s", 100) == 0
    assert c.set("s", "new", nx=True)


def test_expiry_in_other_databases(server):
    c = server.client(db=3)
    c.set("k", "v", px=60)
    assert c.pttl("k") > 0
    assert server.client().exists("k") == 0
    time.sleep(0.15)
    assert c.exists("k") == 0


@pytest.mark.strata_only
def test_many_short_ttls_disappear_without_reads(server):
    c = server.client()
    n = 100_000
    pipe = c.pipeline(transaction=False)
    for i in range(n):
        pipe.set(f"t:{i}", "v")
        if i % 5000 == 4999:
            pipe.execute()
    pipe.execute()
    # Every key expires within half a second of one instant, set after the
    # load so that its duration does not matter.
    at = int(time.time() * 1000) + 5000
    for i in range(n):
        pipe.pexpireat(f"t:{i}", at + i % 500)
        if i % 5000 == 4999:
            pipe.execute()
    pipe.execute()
    c.set("keep", "v")
    if int(time.time() * 1000) < at:
        assert c.dbsize() == n + 1
        assert c.info("keyspace")["db0"]["expires"] == n
    # (On a very slow machine PEXPIREAT may already be in the past for the
    # last keys: those it deletes itself, as Redis does, not the cycle.)
    # Keys may already be expiring while the figures are read, so the count
    # of pending keys is bracketed by expired_keys read before and after it.
    expired_before = c.info("stats")["expired_keys"]
    pending = c.info("keyspace").get("db0", {}).get("expires", 0)
    expired_after_pending = c.info("stats")["expired_keys"]
    deadline = at / 1000 + 500 / 1000 + 15
    while time.time() < deadline and c.dbsize() > 1:
        time.sleep(0.1)
    assert c.dbsize() == 1, "active expiry did not remove the keys on time"
    expired = c.info("stats")["expired_keys"]
    assert expired - expired_after_pending <= pending <= expired - expired_before
    assert "expires" not in c.info("keyspace")["db0"] or \
        c.info("keyspace")["db0"]["expires"] == 0
    assert c.get("keep") == b"v"


@pytest.mark.strata_only
def test_ttls_survive_restart(server):
    c = server.client()
    c.set("long", "v", ex=1000)
    c.set("short", "v", px=400)
    c.set("plain", "v")
    at = c.execute_command("PEXPIRETIME", "long")
    server.restart()
    c = server.client()
    assert c.execute_command("PEXPIRETIME", "long") == at
    assert c.ttl("plain") == -1
    time.sleep(0.5)
    assert c.exists("short") == 0
    assert c.dbsize() == 2
    server.kill9()
    server.start()
    c = server.client()
    assert c.execute_command("PEXPIRETIME", "long") == at
    # An expired key is counted until the expiry cycle deletes it (as in
    # Redis); a kill -9 may undo a deletion nobody waited for, and the cycle
    # then deletes the key again.
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline and c.dbsize() != 2:
        time.sleep(0.05)
    assert c.dbsize() == 2
