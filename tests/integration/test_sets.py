"""Set commands: SADD, SREM, SISMEMBER, SMISMEMBER, SMEMBERS, SCARD, SPOP,
SRANDMEMBER, SMOVE, SINTER, SINTERCARD, SINTERSTORE, SUNION, SUNIONSTORE,
SDIFF, SDIFFSTORE and SSCAN, with their errors, RESP3 reply types, OBJECT
ENCODING's intset -> hashtable conversion, and (Strata only) a 20k-member set
across a restart and its O(1) DEL. Expected values are those of
redis-server 7.0.15; where Redis's order is unspecified (a hashtable) replies
are compared sorted, where it is not (an intset) exactly."""

import time

import pytest

from resp3 import RespSet
from replies import err, NOT_INT, SYNTAX, WRONGTYPE

NOT_POSITIVE = "ERR value is out of range, must be positive"


def members(c, key):
    return sorted(c.cmd("SMEMBERS", key))


def fill(c, key, n, prefix="m"):
    return c.cmd("SADD", key, *[f"{prefix}{i}" for i in range(n)])


# --------------------------------------------------------------------------
# arity and wrong type
# --------------------------------------------------------------------------

@pytest.mark.parametrize("args", [
    ["SADD", "s"], ["SREM", "s"], ["SISMEMBER", "s"], ["SISMEMBER", "s", "a", "b"],
    ["SMISMEMBER", "s"], ["SMEMBERS"], ["SCARD"], ["SPOP"], ["SRANDMEMBER"],
    ["SMOVE", "a", "b"], ["SINTER"], ["SINTERCARD", "1"], ["SINTERSTORE", "d"],
    ["SUNION"], ["SUNIONSTORE", "d"], ["SDIFF"], ["SDIFFSTORE", "d"], ["SSCAN", "s"],
])
def test_arity(c, args):
    assert err(c.cmd(*args)) == \
        f"ERR wrong number of arguments for '{args[0].lower()}' command"


@pytest.mark.parametrize("args", [
    ["SADD", "str", "a"], ["SREM", "str", "a"], ["SISMEMBER", "str", "a"],
    ["SMISMEMBER", "str", "a"], ["SMEMBERS", "str"], ["SCARD", "str"], ["SPOP", "str"],
    ["SPOP", "str", "0"], ["SRANDMEMBER", "str"], ["SRANDMEMBER", "str", "0"],
    ["SMOVE", "str", "s", "1"], ["SMOVE", "s", "str", "1"], ["SINTER", "s", "str"],
    ["SINTER", "missing", "str"], ["SINTERCARD", "2", "s", "str"],
    ["SINTERSTORE", "d", "str", "s"], ["SUNION", "s", "str"], ["SUNIONSTORE", "d", "str"],
    ["SDIFF", "s", "str"], ["SDIFF", "missing", "str"], ["SDIFFSTORE", "d", "s", "str"],
    ["SSCAN", "str", "0"], ["SSCAN", "str", "0", "COUNT", "0"],
])
def test_wrong_type(c, args):
    c.check("SET", "str", "x")
    c.cmd("SADD", "s", "1", "2")
    assert err(c.cmd(*args)) == WRONGTYPE
    assert c.cmd("GET", "str") == b"x"
    assert c.cmd("SCARD", "s") == 2


def test_smove_from_a_missing_source_ignores_the_destination_type(c):
    c.check("SET", "str", "x")
    assert c.cmd("SMOVE", "missing", "str", "1") == 0


# --------------------------------------------------------------------------
# members
# --------------------------------------------------------------------------

def test_sadd_srem_and_membership(c):
    assert c.cmd("SADD", "s", "a", "b", "a", "c") == 3
    assert c.cmd("SADD", "s", "a", "d") == 1
    assert c.cmd("SCARD", "s") == 4
    assert c.cmd("SCARD", "missing") == 0
    assert members(c, "s") == [b"a", b"b", b"c", b"d"]
    assert c.cmd("SMEMBERS", "missing") == []
    assert c.cmd("SISMEMBER", "s", "a") == 1
    assert c.cmd("SISMEMBER", "s", "z") == 0
    assert c.cmd("SISMEMBER", "missing", "a") == 0
    assert c.cmd("SMISMEMBER", "s", "a", "z", "d", "a") == [1, 0, 1, 1]
    assert c.cmd("SMISMEMBER", "missing", "a", "b") == [0, 0]
    assert c.cmd("SREM", "s", "a", "z", "a") == 1
    assert c.cmd("SREM", "missing", "a") == 0
    assert c.cmd("SREM", "s", "b", "c", "d") == 3
    assert c.cmd("EXISTS", "s") == 0
    assert c.cmd("TYPE", "s") == b"none"
    assert c.cmd("SADD", "s", "new") == 1
    assert c.cmd("SMEMBERS", "s") == [b"new"]


def test_binary_members(c):
    m = b"\x00\xff\r\n"
    assert c.cmd("SADD", "s", m, b"") == 2
    assert c.cmd("SISMEMBER", "s", m) == 1
    assert c.cmd("SISMEMBER", "s", b"") == 1
    assert members(c, "s") == sorted([m, b""])


def test_intset_members_come_in_numeric_order(c):
    c.cmd("SADD", "s", "10", "-5", "3", "9223372036854775807", "-9223372036854775808", "0")
    want = [b"-9223372036854775808", b"-5", b"0", b"3", b"10", b"9223372036854775807"]
    assert c.cmd("SMEMBERS", "s") == want
    assert c.cmd("SSCAN", "s", "0") == [b"0", want]
    assert c.cmd("SRANDMEMBER", "s", "100") == want


def test_smembers_and_set_ops_are_sets_in_resp3(c3):
    c3.cmd("SADD", "a", "x", "y")
    c3.cmd("SADD", "b", "y", "z")
    for args in (["SMEMBERS", "a"], ["SINTER", "a", "b"], ["SUNION", "a", "b"],
                 ["SDIFF", "a", "b"], ["SMEMBERS", "missing"], ["SPOP", "a", "0"],
                 ["SPOP", "missing", "3"]):
        assert isinstance(c3.cmd(*args), RespSet), args
    assert sorted(c3.cmd("SUNION", "a", "b")) == [b"x", b"y", b"z"]
    got = c3.cmd("SRANDMEMBER", "a", "5")
    assert not isinstance(got, RespSet) and sorted(got) == [b"x", b"y"]
    assert c3.cmd("SISMEMBER", "a", "x") == 1
    assert c3.cmd("SMISMEMBER", "a", "x", "q") == [1, 0]


def test_writes_keep_the_ttl(c):
    c.cmd("SADD", "s", "a", "b")
    assert c.cmd("EXPIRE", "s", "100") == 1
    c.cmd("SADD", "s", "c")
    c.cmd("SREM", "s", "a")
    c.cmd("SPOP", "s")
    assert 99 <= c.cmd("TTL", "s") <= 100


# --------------------------------------------------------------------------
# OBJECT ENCODING: intset -> hashtable, never back
# --------------------------------------------------------------------------

def test_encoding_transitions(c):
    c.cmd("SADD", "s", *range(512))
    assert c.cmd("OBJECT", "ENCODING", "s") == b"intset"
    c.cmd("SADD", "s", "512")
    assert c.cmd("OBJECT", "ENCODING", "s") == b"hashtable"
    c.cmd("SREM", "s", *range(500))
    assert c.cmd("OBJECT", "ENCODING", "s") == b"hashtable"
    c.cmd("SADD", "t", "1", "2")
    assert c.cmd("OBJECT", "ENCODING", "t") == b"intset"
    c.cmd("SADD", "t", "a")
    c.cmd("SREM", "t", "a")
    assert c.cmd("OBJECT", "ENCODING", "t") == b"hashtable"
    for i, m in enumerate(["-0", "0010", "9223372036854775808", "1.0", " 1", "+1", "a"]):
        c.cmd("SADD", f"n{i}", m)
        assert c.cmd("OBJECT", "ENCODING", f"n{i}") == b"hashtable", m
    c.cmd("SADD", "i", "-9223372036854775808")
    assert c.cmd("OBJECT", "ENCODING", "i") == b"intset"


def test_encoding_of_built_sets(c):
    c.cmd("SADD", "a", "1", "2", "x")
    c.cmd("SADD", "b", "1", "2", "3")
    assert c.cmd("OBJECT", "ENCODING", "a") == b"hashtable"
    assert c.cmd("SINTERSTORE", "d", "a", "b") == 2
    assert c.cmd("OBJECT", "ENCODING", "d") == b"intset"      # built from scratch
    assert c.cmd("SUNIONSTORE", "d", "a", "b") == 4
    assert c.cmd("OBJECT", "ENCODING", "d") == b"hashtable"
    assert c.cmd("SDIFFSTORE", "d", "a", "b") == 1
    assert c.cmd("OBJECT", "ENCODING", "d") == b"hashtable"
    assert c.cmd("SMOVE", "a", "m1", "2") == 1
    assert c.cmd("OBJECT", "ENCODING", "m1") == b"intset"
    assert c.cmd("SMOVE", "a", "m2", "x") == 1
    assert c.cmd("OBJECT", "ENCODING", "m2") == b"hashtable"
    c.cmd("SADD", "big", *range(600))
    assert c.cmd("SINTERSTORE", "d", "big", "big") == 600
    assert c.cmd("OBJECT", "ENCODING", "d") == b"hashtable"


# --------------------------------------------------------------------------
# SPOP and SRANDMEMBER: properties, not exact picks
# --------------------------------------------------------------------------

def test_spop_and_srandmember_errors(c):
    c.cmd("SADD", "s", "a")
    assert err(c.cmd("SPOP", "s", "-1")) == NOT_POSITIVE
    assert err(c.cmd("SPOP", "s", "x")) == NOT_POSITIVE
    assert err(c.cmd("SPOP", "s", "1", "2")) == SYNTAX
    assert err(c.cmd("SRANDMEMBER", "s", "x")) == NOT_INT
    assert err(c.cmd("SRANDMEMBER", "s", "1", "2")) == SYNTAX
    assert err(c.cmd("SRANDMEMBER", "s", "-9223372036854775808")) == \
        "ERR value is out of range, value must between -9223372036854775807 and " \
        "9223372036854775807"
    assert c.cmd("SPOP", "missing") is None
    assert c.cmd("SPOP", "missing", "3") == []
    assert c.cmd("SRANDMEMBER", "missing") is None
    assert c.cmd("SRANDMEMBER", "missing", "3") == []
    assert c.cmd("SRANDMEMBER", "missing", "-3") == []
    assert c.cmd("SRANDMEMBER", "s", "0") == []
    assert c.cmd("SPOP", "s", "0") == []
    assert c.cmd("SCARD", "s") == 1


@pytest.mark.parametrize("size", [5, 700])
def test_spop_properties(c, size):
    fill(c, "s", size)
    full = {f"m{i}".encode() for i in range(size)}
    one = c.cmd("SPOP", "s")
    assert one in full
    assert c.cmd("SISMEMBER", "s", one) == 0
    left = full - {one}
    got = c.cmd("SPOP", "s", "3")
    assert len(got) == 3 and len(set(got)) == 3 and set(got) <= left
    left -= set(got)
    assert c.cmd("SCARD", "s") == len(left)
    assert set(members(c, "s")) == left
    got = c.cmd("SPOP", "s", str(size))  # more than remain: all of them
    assert sorted(got) == sorted(left)
    assert c.cmd("EXISTS", "s") == 0


@pytest.mark.parametrize("size", [5, 700])
def test_srandmember_properties(c, size):
    fill(c, "s", size)
    full = {f"m{i}".encode() for i in range(size)}
    assert c.cmd("SRANDMEMBER", "s") in full
    for count in (1, 3, size - 1, size, size + 10):
        got = c.cmd("SRANDMEMBER", "s", str(count))
        assert len(got) == min(count, size)
        assert len(set(got)) == len(got) and set(got) <= full
    got = c.cmd("SRANDMEMBER", "s", "-20")
    assert len(got) == 20 and set(got) <= full
    got = c.cmd("SRANDMEMBER", "s", str(-3 * size))
    assert len(got) == 3 * size and len(set(got)) < len(got)
    assert c.cmd("SCARD", "s") == size


# --------------------------------------------------------------------------
# SMOVE
# --------------------------------------------------------------------------

def test_smove(c):
    c.cmd("SADD", "a", "1", "2")
    c.cmd("SADD", "b", "2", "3")
    assert c.cmd("SMOVE", "a", "b", "1") == 1
    assert members(c, "a") == [b"2"] and members(c, "b") == [b"1", b"2", b"3"]
    assert c.cmd("SMOVE", "a", "b", "9") == 0
    assert c.cmd("SMOVE", "a", "b", "2") == 1           # already in b: only leaves a
    assert c.cmd("EXISTS", "a") == 0                     # the last member went
    assert members(c, "b") == [b"1", b"2", b"3"]
    assert c.cmd("SMOVE", "b", "b", "1") == 1
    assert c.cmd("SMOVE", "b", "b", "9") == 0
    assert c.cmd("SMOVE", "b", "new", "3") == 1
    assert members(c, "new") == [b"3"]
    assert c.cmd("SMOVE", "missing", "b", "1") == 0


# --------------------------------------------------------------------------
# SINTER, SUNION, SDIFF and their STORE forms, SINTERCARD
# --------------------------------------------------------------------------

def test_set_algebra(c):
    c.cmd("SADD", "a", "1", "2", "3", "x", "y")
    c.cmd("SADD", "b", "2", "3", "4", "y")
    c.cmd("SADD", "c", "3", "y", "z")
    assert sorted(c.cmd("SINTER", "a", "b", "c")) == [b"3", b"y"]
    assert sorted(c.cmd("SINTER", "a")) == members(c, "a")
    assert c.cmd("SINTER", "a", "missing") == []
    assert sorted(c.cmd("SUNION", "a", "b", "missing", "c")) == \
        [b"1", b"2", b"3", b"4", b"x", b"y", b"z"]
    assert sorted(c.cmd("SDIFF", "a", "b", "missing")) == [b"1", b"x"]
    assert sorted(c.cmd("SDIFF", "a", "b", "c")) == [b"1", b"x"]
    assert c.cmd("SDIFF", "missing", "a") == []
    assert c.cmd("SDIFF", "a", "a") == []
    assert c.cmd("SUNION", "missing") == []
    c.cmd("SADD", "i1", "5", "1", "3")
    c.cmd("SADD", "i2", "3", "4", "1")
    assert c.cmd("SINTER", "i1", "i2") == [b"1", b"3"]     # intset order
    assert c.cmd("SUNION", "i1", "i2") == [b"1", b"3", b"4", b"5"]
    assert c.cmd("SDIFF", "i1", "i2") == [b"5"]


def test_store_forms(c):
    c.cmd("SADD", "a", "1", "2", "3")
    c.cmd("SADD", "b", "2", "3", "4")
    c.check("SET", "d", "a string")
    c.cmd("EXPIRE", "d", "100")
    assert c.cmd("SINTERSTORE", "d", "a", "b") == 2
    assert c.cmd("TYPE", "d") == b"set" and c.cmd("TTL", "d") == -1
    assert c.cmd("SMEMBERS", "d") == [b"2", b"3"]
    assert c.cmd("SUNIONSTORE", "d", "a", "b") == 4
    assert c.cmd("SMEMBERS", "d") == [b"1", b"2", b"3", b"4"]
    assert c.cmd("SDIFFSTORE", "d", "a", "b") == 1
    assert c.cmd("SMEMBERS", "d") == [b"1"]
    # The destination may be a source.
    assert c.cmd("SUNIONSTORE", "a", "a", "b") == 4
    assert c.cmd("SMEMBERS", "a") == [b"1", b"2", b"3", b"4"]
    # An empty result deletes the destination.
    for cmd in ("SINTERSTORE", "SDIFFSTORE", "SUNIONSTORE"):
        c.cmd("SADD", "d", "x")
        assert c.cmd(cmd, "d", "missing", "missing2") == 0
        assert c.cmd("EXISTS", "d") == 0
    assert c.cmd("SINTERSTORE", "d", "a", "missing") == 0
    # A wrong-type source leaves the destination alone.
    c.cmd("SADD", "d", "keep")
    c.check("SET", "str", "x")
    assert err(c.cmd("SUNIONSTORE", "d", "a", "str")) == WRONGTYPE
    assert c.cmd("SMEMBERS", "d") == [b"keep"]


def test_sintercard(c):
    c.cmd("SADD", "a", "1", "2", "3", "4")
    c.cmd("SADD", "b", "2", "3", "4", "5")
    assert c.cmd("SINTERCARD", "2", "a", "b") == 3
    assert c.cmd("SINTERCARD", "2", "a", "b", "LIMIT", "2") == 2
    assert c.cmd("SINTERCARD", "2", "a", "b", "limit", "0") == 3
    assert c.cmd("SINTERCARD", "2", "a", "b", "LIMIT", "10") == 3
    assert c.cmd("SINTERCARD", "1", "a") == 4
    assert c.cmd("SINTERCARD", "2", "a", "missing") == 0
    assert err(c.cmd("SINTERCARD", "0", "a")) == "ERR numkeys should be greater than 0"
    assert err(c.cmd("SINTERCARD", "x", "a")) == "ERR numkeys should be greater than 0"
    assert err(c.cmd("SINTERCARD", "-1", "a")) == "ERR numkeys should be greater than 0"
    assert err(c.cmd("SINTERCARD", "3", "a", "b")) == \
        "ERR Number of keys can't be greater than number of args"
    assert err(c.cmd("SINTERCARD", "1", "a", "LIMIT", "-1")) == "ERR LIMIT can't be negative"
    assert err(c.cmd("SINTERCARD", "1", "a", "LIMIT", "x")) == "ERR LIMIT can't be negative"
    assert err(c.cmd("SINTERCARD", "1", "a", "LIMIT")) == SYNTAX
    assert err(c.cmd("SINTERCARD", "1", "a", "b")) == SYNTAX


def test_set_ops_on_large_sets(c):
    fill(c, "a", 2000)
    c.cmd("SADD", "b", *[f"m{i}" for i in range(0, 4000, 2)])
    assert c.cmd("SINTERCARD", "2", "a", "b") == 1000
    assert c.cmd("SINTERCARD", "2", "a", "b", "LIMIT", "7") == 7
    assert len(c.cmd("SINTER", "b", "a")) == 1000
    assert c.cmd("SUNIONSTORE", "u", "a", "b") == 3000
    assert c.cmd("SDIFFSTORE", "d", "a", "b") == 1000
    assert c.cmd("SISMEMBER", "d", "m1") == 1 and c.cmd("SISMEMBER", "d", "m2") == 0
    assert c.cmd("SDIFFSTORE", "d", "b", "a") == 1000


# --------------------------------------------------------------------------
# SSCAN
# --------------------------------------------------------------------------

def test_sscan(c):
    c.cmd("SADD", "s", "a", "b", "ab")
    cursor, items = c.cmd("SSCAN", "s", "0", "COUNT", "100")
    assert cursor == b"0" and sorted(items) == [b"a", b"ab", b"b"]
    cursor, items = c.cmd("SSCAN", "s", "0", "MATCH", "a*", "COUNT", "100")
    assert cursor == b"0" and sorted(items) == [b"a", b"ab"]
    # An intset comes whole in one call, whatever the COUNT.
    c.cmd("SADD", "i", *range(300))
    cursor, items = c.cmd("SSCAN", "i", "0", "COUNT", "1")
    assert cursor == b"0" and items == [str(i).encode() for i in range(300)]
    cursor, items = c.cmd("SSCAN", "i", "0", "MATCH", "29?")
    assert cursor == b"0" and items == [str(i).encode() for i in range(290, 300)]
    assert c.cmd("SSCAN", "missing", "0") == [b"0", []]
    assert c.cmd("SSCAN", "missing", "0", "COUNT", "0") == [b"0", []]
    assert err(c.cmd("SSCAN", "s", "x")) == "ERR invalid cursor"
    assert err(c.cmd("SSCAN", "s", "0", "COUNT", "0")) == SYNTAX
    assert err(c.cmd("SSCAN", "s", "0", "COUNT", "x")) == NOT_INT
    assert err(c.cmd("SSCAN", "s", "0", "MATCH")) == SYNTAX
    assert err(c.cmd("SSCAN", "s", "0", "TYPE", "set")) == SYNTAX


def test_sscan_large_set_pages(c):
    fill(c, "s", 1500)
    seen, cursor, calls = set(), b"0", 0
    while True:
        cursor, items = c.cmd("SSCAN", "s", cursor, "COUNT", "100")
        seen.update(items)
        calls += 1
        if cursor == b"0":
            break
    assert calls > 5
    assert seen == {f"m{i}".encode() for i in range(1500)}


# --------------------------------------------------------------------------
# Strata only: large sets persist, DEL is O(1)
# --------------------------------------------------------------------------

def bytes_written(c):
    info = c.cmd("INFO", "rocksdb").decode()
    for line in info.splitlines():
        if line.startswith("rocksdb_bytes_written:"):
            return int(line.split(":")[1])
    raise AssertionError(f"no rocksdb_bytes_written in {info!r}")


@pytest.mark.strata_only
def test_large_set_survives_restart_and_deletes_in_o1(server):
    c = server.resp()
    n = 20_000
    for start in range(0, n, 1000):
        assert c.cmd("SADD", "big", *[f"member:{i}" for i in range(start, start + 1000)]) == 1000
    assert c.cmd("OBJECT", "ENCODING", "big") == b"hashtable"
    server.restart()
    c = server.resp()
    assert c.cmd("SCARD", "big") == n
    assert c.cmd("SISMEMBER", "big", "member:19999") == 1
    popped = c.cmd("SPOP", "big", "50")
    assert len(set(popped)) == 50 and c.cmd("SCARD", "big") == n - 50
    assert len(set(c.cmd("SRANDMEMBER", "big", "200"))) == 200
    assert len(c.cmd("SMEMBERS", "big")) == n - 50
    before = bytes_written(c)
    assert c.cmd("DEL", "big") == 1
    assert bytes_written(c) - before < 4096, "DEL of a big set must write only metadata"
    assert c.cmd("SCARD", "big") == 0
    assert c.cmd("SADD", "big", "fresh") == 1
    assert c.cmd("SMEMBERS", "big") == [b"fresh"]


# --------------------------------------------------------------------------
# keyspace integration
# --------------------------------------------------------------------------

def test_sets_through_keyspace_commands(c):
    c.cmd("SADD", "s", "1", "2", "x")
    assert c.cmd("COPY", "s", "s2") == 1
    c.cmd("SREM", "s", "1")
    assert members(c, "s2") == [b"1", b"2", b"x"]            # a copy, not a share
    assert c.cmd("RENAME", "s2", "s3") == b"OK"
    assert c.cmd("SISMEMBER", "s3", "x") == 1
    assert c.cmd("MOVE", "s3", "1") == 1
    c.check("SELECT", "1")
    assert members(c, "s3") == [b"1", b"2", b"x"]
    assert c.cmd("OBJECT", "ENCODING", "s3") == b"hashtable"
    c.check("SELECT", "0")
    assert c.cmd("SCAN", "0", "TYPE", "set") == [b"0", [b"s"]]
    assert c.cmd("PEXPIRE", "s", "1") == 1
    time.sleep(0.05)
    assert c.cmd("SCARD", "s") == 0
    assert c.cmd("SMEMBERS", "s") == []
    assert c.cmd("SADD", "s", "7") == 1
    assert c.cmd("SMEMBERS", "s") == [b"7"]
