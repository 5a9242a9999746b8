"""Hash commands: HSET, HMSET, HSETNX, HGET, HMGET, HGETALL, HKEYS, HVALS,
HDEL, HEXISTS, HLEN, HSTRLEN, HINCRBY, HINCRBYFLOAT, HRANDFIELD and HSCAN,
with their errors (arity, wrong type, not an integer/float, overflow), RESP3
reply shapes, OBJECT ENCODING's listpack -> hashtable conversion, and
(Strata only) a 20k-field hash across a restart and its O(1) DEL.
Expected values are those of redis-server 7.0.15."""

import time

import pytest

from resp3 import RespMap
from replies import err, NOT_FLOAT, NOT_INT, SYNTAX, WRONGTYPE


def pairs(flat):
    return dict(zip(flat[0::2], flat[1::2]))


def fill(c, key, n, prefix="f", value=b"v"):
    args = []
    for i in range(n):
        args += [f"{prefix}{i}", value]
    return c.cmd("HSET", key, *args)


# --------------------------------------------------------------------------
# arity and wrong type
# --------------------------------------------------------------------------

@pytest.mark.parametrize("args", [
    ["HSET", "h"], ["HSET", "h", "f"], ["HSET", "h", "f", "v", "g"], ["HMSET", "h", "f"],
    ["HMSET", "h", "f", "v", "g"], ["HSETNX", "h", "f"], ["HGET", "h"], ["HMGET", "h"],
    ["HGETALL"], ["HKEYS"], ["HVALS"], ["HDEL", "h"], ["HEXISTS", "h"], ["HLEN"],
    ["HSTRLEN", "h"], ["HINCRBY", "h", "f"], ["HINCRBYFLOAT", "h", "f"], ["HRANDFIELD"],
    ["HSCAN", "h"], ["HGET", "h", "f", "x"], ["HLEN", "h", "x"],
])
def test_arity(c, args):
    assert err(c.cmd(*args)) == \
        f"ERR wrong number of arguments for '{args[0].lower()}' command"


@pytest.mark.parametrize("args", [
    ["HSET", "s", "f", "v"], ["HMSET", "s", "f", "v"], ["HSETNX", "s", "f", "v"],
    ["HGET", "s", "f"], ["HMGET", "s", "f"], ["HGETALL", "s"], ["HKEYS", "s"], ["HVALS", "s"],
    ["HDEL", "s", "f"], ["HEXISTS", "s", "f"], ["HLEN", "s"], ["HSTRLEN", "s", "f"],
    ["HINCRBY", "s", "f", "1"], ["HINCRBYFLOAT", "s", "f", "1"], ["HRANDFIELD", "s"],
    ["HRANDFIELD", "s", "0"], ["HRANDFIELD", "s", "-3", "WITHVALUES"], ["HSCAN", "s", "0"],
    ["HSCAN", "s", "0", "COUNT", "0"],
])
def test_wrong_type(c, args):
    c.check("SET", "s", "string")
    assert err(c.cmd(*args)) == WRONGTYPE
    assert c.cmd("GET", "s") == b"string"


def test_string_commands_refuse_a_hash(c):
    c.cmd("HSET", "h", "f", "v")
    assert err(c.cmd("GET", "h")) == WRONGTYPE
    assert err(c.cmd("INCR", "h")) == WRONGTYPE
    assert c.cmd("TYPE", "h") == b"hash"


# --------------------------------------------------------------------------
# reads and writes
# --------------------------------------------------------------------------

def test_hset_hget_and_friends(c):
    assert c.cmd("HSET", "h", "a", "1", "b", "2", "a", "3") == 2
    assert c.cmd("HGET", "h", "a") == b"3"
    assert c.cmd("HGET", "h", "zz") is None
    assert c.cmd("HGET", "missing", "a") is None
    assert c.cmd("HSET", "h", "b", "20", "c", "30") == 1
    assert c.cmd("HMSET", "h", "d", "4") == b"OK"
    assert c.cmd("HMGET", "h", "a", "nope", "d") == [b"3", None, b"4"]
    assert c.cmd("HMGET", "missing", "a", "b") == [None, None]
    assert c.cmd("HLEN", "h") == 4
    assert c.cmd("HLEN", "missing") == 0
    assert c.cmd("HKEYS", "h") == [b"a", b"b", b"c", b"d"]
    assert c.cmd("HVALS", "h") == [b"3", b"20", b"30", b"4"]
    assert c.cmd("HGETALL", "h") == [b"a", b"3", b"b", b"20", b"c", b"30", b"d", b"4"]
    for cmd in ("HKEYS", "HVALS", "HGETALL"):
        assert c.cmd(cmd, "missing") == []
    assert c.cmd("HEXISTS", "h", "a") == 1
    assert c.cmd("HEXISTS", "h", "x") == 0
    assert c.cmd("HEXISTS", "missing", "x") == 0
    assert c.cmd("HSTRLEN", "h", "b") == 2
    assert c.cmd("HSTRLEN", "h", "x") == 0
    assert c.cmd("HSTRLEN", "missing", "x") == 0


def test_binary_fields_and_values(c):
    field, value = b"\x00\xff\r\nf", b"v\x00\r\n" * 10
    assert c.cmd("HSET", "h", field, value, b"", b"") == 2
    assert c.cmd("HGET", "h", field) == value
    assert c.cmd("HGET", "h", b"") == b""
    assert c.cmd("HSTRLEN", "h", field) == len(value)
    assert c.cmd("HEXISTS", "h", b"") == 1


def test_hsetnx(c):
    assert c.cmd("HSETNX", "h", "f", "1") == 1
    assert c.cmd("HSETNX", "h", "f", "2") == 0
    assert c.cmd("HGET", "h", "f") == b"1"
    assert c.cmd("HSETNX", "h", "g", "2") == 1
    assert c.cmd("HLEN", "h") == 2


def test_hdel_and_empty_key_deletion(c):
    c.cmd("HSET", "h", "a", "1", "b", "2", "c", "3")
    assert c.cmd("HDEL", "h", "a", "a", "x") == 1
    assert c.cmd("HDEL", "missing", "a") == 0
    assert c.cmd("HDEL", "h", "x") == 0
    assert c.cmd("HDEL", "h", "b", "c") == 2
    assert c.cmd("EXISTS", "h") == 0
    assert c.cmd("TYPE", "h") == b"none"
    assert c.cmd("HLEN", "h") == 0
    # A new hash under the same name starts empty.
    assert c.cmd("HSET", "h", "z", "1") == 1
    assert c.cmd("HGETALL", "h") == [b"z", b"1"]


def test_writes_keep_the_ttl(c):
    c.cmd("HSET", "h", "a", "1")
    assert c.cmd("EXPIRE", "h", "100") == 1
    c.cmd("HSET", "h", "b", "2")
    c.cmd("HINCRBY", "h", "n", "1")
    c.cmd("HDEL", "h", "a")
    assert 99 <= c.cmd("TTL", "h") <= 100


def test_hgetall_is_a_map_in_resp3(c3):
    c3.cmd("HSET", "h", "a", "1", "b", "2")
    got = c3.cmd("HGETALL", "h")
    assert isinstance(got, RespMap)
    assert got == {b"a": b"1", b"b": b"2"}
    empty = c3.cmd("HGETALL", "missing")
    assert isinstance(empty, RespMap) and empty == {}
    assert c3.cmd("HKEYS", "h") == [b"a", b"b"]


# --------------------------------------------------------------------------
# HINCRBY / HINCRBYFLOAT
# --------------------------------------------------------------------------

def test_hincrby(c):
    assert c.cmd("HINCRBY", "h", "n", "5") == 5
    assert c.cmd("HINCRBY", "h", "n", "-7") == -2
    assert c.cmd("HGET", "h", "n") == b"-2"
    assert err(c.cmd("HINCRBY", "h", "n", "1.5")) == NOT_INT
    assert err(c.cmd("HINCRBY", "h", "n", "x")) == NOT_INT
    assert err(c.cmd("HINCRBY", "h", "n", "99999999999999999999")) == NOT_INT
    c.cmd("HSET", "h", "s", "abc", "sp", " 1", "big", "9223372036854775807")
    assert err(c.cmd("HINCRBY", "h", "s", "1")) == "ERR hash value is not an integer"
    assert err(c.cmd("HINCRBY", "h", "sp", "1")) == "ERR hash value is not an integer"
    assert err(c.cmd("HINCRBY", "h", "big", "1")) == "ERR increment or decrement would overflow"
    assert c.cmd("HINCRBY", "h", "big", "-1") == 9223372036854775806
    c.cmd("HSET", "h", "min", "-9223372036854775808")
    assert err(c.cmd("HINCRBY", "h", "min", "-1")) == \
        "ERR increment or decrement would overflow"
    assert c.cmd("HINCRBY", "h", "min", "0") == -9223372036854775808
    # The increment is parsed before the key's type is checked.
    c.check("SET", "str", "x")
    assert err(c.cmd("HINCRBY", "str", "f", "x")) == NOT_INT


def test_hincrby_on_a_missing_key_creates_it(c):
    assert c.cmd("HINCRBY", "h", "f", "0") == 0
    assert c.cmd("HGETALL", "h") == [b"f", b"0"]


@pytest.mark.parametrize("start,incr,want", [
    (None, "10.5", b"10.5"), ("5.0e3", "1", b"5001"), ("3", "-3", b"0"),
    ("1", "0.1", b"1.1"), ("0.1", "0.2", b"0.3"), ("-0", "0", b"0"),
    ("10", "1e2", b"110"), ("1.5", "-2.25", b"-0.75"), ("1", "1e-5", b"1.00001"),
    ("7", " 1", None), ("7", "1 ", None), ("7", "", None), ("7", "0x10", b"23"),
])
def test_hincrbyfloat_formatting(c, start, incr, want):
    if start is not None:
        c.cmd("HSET", "h", "f", start)
    got = c.cmd("HINCRBYFLOAT", "h", "f", incr)
    if want is None:
        assert err(got) == NOT_FLOAT
    else:
        assert got == want
        assert c.cmd("HGET", "h", "f") == want


def test_hincrbyfloat_errors(c):
    c.cmd("HSET", "h", "s", "abc", "big", "1e4932", "n", "1")
    assert err(c.cmd("HINCRBYFLOAT", "h", "s", "1")) == "ERR hash value is not a float"
    assert err(c.cmd("HINCRBYFLOAT", "h", "n", "abc")) == NOT_FLOAT
    assert err(c.cmd("HINCRBYFLOAT", "h", "n", "nan")) == NOT_FLOAT
    assert err(c.cmd("HINCRBYFLOAT", "h", "n", "inf")) == "ERR value is NaN or Infinity"
    assert err(c.cmd("HINCRBYFLOAT", "h", "n", "-inf")) == "ERR value is NaN or Infinity"
    assert err(c.cmd("HINCRBYFLOAT", "h", "big", "1e4932")) == \
        "ERR increment would produce NaN or Infinity"
    assert c.cmd("HGET", "h", "big") == b"1e4932"
    big = c.cmd("HINCRBYFLOAT", "h", "n", "1e300")
    assert len(big) == 301
    assert big.startswith(b"100000000000000000000899732407955919387052394427329074793826")
    c.check("SET", "str", "x")
    assert err(c.cmd("HINCRBYFLOAT", "str", "f", "x")) == NOT_FLOAT  # increment first
    assert err(c.cmd("HINCRBYFLOAT", "str", "f", "1")) == WRONGTYPE


# --------------------------------------------------------------------------
# OBJECT ENCODING: listpack -> hashtable, never back
# --------------------------------------------------------------------------

def test_encoding_by_field_count(c):
    # hash-max-listpack-entries is 512 in a redis-server started without a
    # config file (the sample redis.conf says 128).
    assert fill(c, "h", 512) == 512
    assert c.cmd("OBJECT", "ENCODING", "h") == b"listpack"
    assert c.cmd("HSET", "h", "f0", "again") == 0
    assert c.cmd("OBJECT", "ENCODING", "h") == b"listpack"
    assert c.cmd("HSET", "h", "extra", "1") == 1
    assert c.cmd("OBJECT", "ENCODING", "h") == b"hashtable"
    assert c.cmd("HDEL", "h", *[f"f{i}" for i in range(500)]) == 500
    assert c.cmd("OBJECT", "ENCODING", "h") == b"hashtable"
    assert c.cmd("HLEN", "h") == 13


def test_encoding_by_length(c):
    c.cmd("HSET", "a", "f", "x" * 64, "g" * 64, "v")
    assert c.cmd("OBJECT", "ENCODING", "a") == b"listpack"
    c.cmd("HSET", "b", "f", "x" * 65)
    assert c.cmd("OBJECT", "ENCODING", "b") == b"hashtable"
    c.cmd("HSET", "c", "g" * 65, "v")
    assert c.cmd("OBJECT", "ENCODING", "c") == b"hashtable"
    # HSET checks every argument, also of a field that exists.
    c.cmd("HSET", "d", "f", "1")
    c.cmd("HSET", "d", "f", "y" * 65)
    c.cmd("HSET", "d", "f", "1")
    assert c.cmd("OBJECT", "ENCODING", "d") == b"hashtable"
    # HSETNX converts only when it writes.
    c.cmd("HSET", "e", "f", "1")
    assert c.cmd("HSETNX", "e", "f", "z" * 100) == 0
    assert c.cmd("OBJECT", "ENCODING", "e") == b"listpack"
    assert c.cmd("HSETNX", "e", "g", "z" * 100) == 1
    assert c.cmd("OBJECT", "ENCODING", "e") == b"hashtable"
    c.cmd("HINCRBY", "i", "n" * 65, "1")
    assert c.cmd("OBJECT", "ENCODING", "i") == b"hashtable"
    c.cmd("HINCRBYFLOAT", "j", "n" * 65, "1.5")
    assert c.cmd("OBJECT", "ENCODING", "j") == b"hashtable"
    c.cmd("HINCRBYFLOAT", "k", "n", "1.5")
    assert c.cmd("OBJECT", "ENCODING", "k") == b"listpack"


# --------------------------------------------------------------------------
# HRANDFIELD: properties, not exact picks
# --------------------------------------------------------------------------

def test_hrandfield_errors(c):
    c.cmd("HSET", "h", "a", "1")
    assert err(c.cmd("HRANDFIELD", "h", "x")) == NOT_INT
    assert err(c.cmd("HRANDFIELD", "h", "1.0")) == NOT_INT
    assert err(c.cmd("HRANDFIELD", "h", "-9223372036854775808")) == \
        "ERR value is out of range, value must between -9223372036854775807 and " \
        "9223372036854775807"
    assert err(c.cmd("HRANDFIELD", "h", "1", "WITHVALUE")) == SYNTAX
    assert err(c.cmd("HRANDFIELD", "h", "1", "WITHVALUES", "x")) == SYNTAX
    assert err(c.cmd("HRANDFIELD", "h", "9223372036854775807", "WITHVALUES")) == \
        "ERR value is out of range"
    assert err(c.cmd("HRANDFIELD", "h", "-4611686018427387904", "withvalues")) == \
        "ERR value is out of range"
    # Missing keys: nil, or an empty array once a count is given.
    assert c.cmd("HRANDFIELD", "missing") is None
    assert c.cmd("HRANDFIELD", "missing", "5") == []
    assert c.cmd("HRANDFIELD", "missing", "-5", "WITHVALUES") == []
    assert c.cmd("HRANDFIELD", "h", "0") == []


@pytest.mark.parametrize("size", [5, 600])
def test_hrandfield_properties(c, size):
    fill(c, "h", size, value=b"val")
    full = {f"f{i}".encode(): b"val" for i in range(size)}
    one = c.cmd("HRANDFIELD", "h")
    assert one in full
    for count in (1, 3, size - 1, size, size + 10):
        got = c.cmd("HRANDFIELD", "h", str(count))
        assert len(got) == min(count, size)
        assert len(set(got)) == len(got)
        assert set(got) <= set(full)
    got = c.cmd("HRANDFIELD", "h", str(size + 10))
    assert sorted(got) == sorted(full)
    got = c.cmd("HRANDFIELD", "h", "-20")
    assert len(got) == 20 and set(got) <= set(full)
    got = c.cmd("HRANDFIELD", "h", "-3", "WITHVALUES")
    assert len(got) == 6
    assert all(k in full and v == b"val" for k, v in zip(got[0::2], got[1::2]))
    got = c.cmd("HRANDFIELD", "h", "3", "withvalues")
    assert len(got) == 6 and len(set(got[0::2])) == 3
    # A negative count repeats fields: ask for many more picks than fields.
    got = c.cmd("HRANDFIELD", "h", str(-3 * size))
    assert len(got) == 3 * size and len(set(got)) < len(got)


def test_hrandfield_resp3_pairs(c3):
    c3.cmd("HSET", "h", "a", "1", "b", "2", "c", "3")
    got = c3.cmd("HRANDFIELD", "h", "2", "WITHVALUES")
    assert len(got) == 2
    assert all(isinstance(p, list) and len(p) == 2 for p in got)
    assert all({p[0]: p[1]}.items() <= {b"a": b"1", b"b": b"2", b"c": b"3"}.items()
               for p in got)
    got = c3.cmd("HRANDFIELD", "h", "-5", "WITHVALUES")
    assert len(got) == 5 and all(len(p) == 2 for p in got)
    got = c3.cmd("HRANDFIELD", "h", "2")
    assert len(got) == 2 and all(isinstance(f, bytes) for f in got)


# --------------------------------------------------------------------------
# HSCAN
# --------------------------------------------------------------------------

def test_hscan_small_hash_in_one_call(c):
    c.cmd("HSET", "h", "a", "1", "b", "2", "ab", "3")
    cursor, items = c.cmd("HSCAN", "h", "0", "COUNT", "1")
    assert cursor == b"0"
    assert pairs(items) == {b"a": b"1", b"b": b"2", b"ab": b"3"}
    cursor, items = c.cmd("HSCAN", "h", "0", "MATCH", "a*")
    assert cursor == b"0" and pairs(items) == {b"a": b"1", b"ab": b"3"}
    assert c.cmd("HSCAN", "h", "0", "MATCH", "zz*", "COUNT", "100") == [b"0", []]
    assert c.cmd("HSCAN", "missing", "0") == [b"0", []]


def test_hscan_errors(c):
    c.cmd("HSET", "h", "a", "1")
    assert err(c.cmd("HSCAN", "h", "abc")) == "ERR invalid cursor"
    assert err(c.cmd("HSCAN", "h", "0", "COUNT", "0")) == SYNTAX
    assert err(c.cmd("HSCAN", "h", "0", "COUNT", "-1")) == SYNTAX
    assert err(c.cmd("HSCAN", "h", "0", "COUNT", "x")) == NOT_INT
    assert err(c.cmd("HSCAN", "h", "0", "MATCH")) == SYNTAX
    assert err(c.cmd("HSCAN", "h", "0", "TYPE", "hash")) == SYNTAX
    assert err(c.cmd("HSCAN", "h", "0", "NOVALUES")) == SYNTAX
    # A missing key is an empty scan whatever the options.
    assert c.cmd("HSCAN", "missing", "0", "COUNT", "0") == [b"0", []]
    assert err(c.cmd("HSCAN", "missing", "x")) == "ERR invalid cursor"


def test_hscan_large_hash_pages(c):
    fill(c, "h", 1000, value=b"x")
    assert c.cmd("OBJECT", "ENCODING", "h") == b"hashtable"
    seen = {}
    cursor, calls = b"0", 0
    while True:
        cursor, items = c.cmd("HSCAN", "h", cursor, "COUNT", "50")
        seen.update(pairs(items))
        calls += 1
        if cursor == b"0":
            break
    assert calls > 5
    assert seen == {f"f{i}".encode(): b"x" for i in range(1000)}
    matched = {}
    cursor = b"0"
    while True:
        cursor, items = c.cmd("HSCAN", "h", cursor, "MATCH", "f99*")
        matched.update(pairs(items))
        if cursor == b"0":
            break
    assert set(matched) == {b"f99"} | {f"f99{i}".encode() for i in range(10)}


def test_hscan_resp3_is_a_flat_array(c3):
    c3.cmd("HSET", "h", "a", "1")
    assert c3.cmd("HSCAN", "h", "0") == [b"0", [b"a", b"1"]]


# --------------------------------------------------------------------------
# Strata only: large hashes persist, DEL is O(1)
# --------------------------------------------------------------------------

def bytes_written(c):
    info = c.cmd("INFO", "rocksdb").decode()
    for line in info.splitlines():
        if line.startswith("rocksdb_bytes_written:"):
            return int(line.split(":")[1])
    raise AssertionError(f"no rocksdb_bytes_written in {info!r}")


@pytest.mark.strata_only
def test_large_hash_survives_restart_and_deletes_in_o1(server):
    c = server.resp()
    n = 20_000
    for start in range(0, n, 1000):
        args = []
        for i in range(start, start + 1000):
            args += [f"field:{i}", f"value:{i}"]
        assert c.cmd("HSET", "big", *args) == 1000
    assert c.cmd("HLEN", "big") == n
    assert c.cmd("OBJECT", "ENCODING", "big") == b"hashtable"
    server.restart()
    c = server.resp()
    assert c.cmd("HLEN", "big") == n
    assert c.cmd("HGET", "big", "field:12345") == b"value:12345"
    assert c.cmd("HINCRBY", "big", "counter", "7") == 7
    assert len(c.cmd("HKEYS", "big")) == n + 1
    assert len(c.cmd("HRANDFIELD", "big", "100")) == 100
    before = bytes_written(c)
    assert c.cmd("DEL", "big") == 1
    assert bytes_written(c) - before < 4096, "DEL of a big hash must write only metadata"
    assert c.cmd("EXISTS", "big") == 0
    assert c.cmd("HGET", "big", "field:1") is None
    c.cmd("HSET", "big", "new", "1")
    assert c.cmd("HGETALL", "big") == [b"new", b"1"]


# --------------------------------------------------------------------------
# keyspace integration
# --------------------------------------------------------------------------

def test_hashes_through_keyspace_commands(c):
    c.cmd("HSET", "h", "a", "1", "b", "2")
    assert c.cmd("COPY", "h", "h2") == 1
    c.cmd("HSET", "h", "a", "changed")
    assert c.cmd("HGETALL", "h2") == [b"a", b"1", b"b", b"2"]   # a copy, not a share
    assert c.cmd("RENAME", "h2", "h3") == b"OK"
    assert c.cmd("HGET", "h3", "b") == b"2" and c.cmd("EXISTS", "h2") == 0
    assert c.cmd("MOVE", "h3", "1") == 1
    c.check("SELECT", "1")
    assert c.cmd("HGETALL", "h3") == [b"a", b"1", b"b", b"2"]
    c.check("SELECT", "0")
    assert c.cmd("SCAN", "0", "TYPE", "hash") == [b"0", [b"h"]]
    assert c.cmd("PEXPIRE", "h", "1") == 1
    time.sleep(0.05)
    assert c.cmd("HGET", "h", "a") is None
    assert c.cmd("HLEN", "h") == 0
    assert c.cmd("HSET", "h", "fresh", "1") == 1
    assert c.cmd("HGETALL", "h") == [b"fresh", b"1"]
