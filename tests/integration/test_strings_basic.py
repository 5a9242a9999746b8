"""The first string and keyspace commands: SET (every option), GET, DEL,
EXISTS, TYPE, INCR/DECR/INCRBY/DECRBY, MGET, MSET, DBSIZE, FLUSHDB, FLUSHALL,
binary safety and logical databases. Expected values are those of
redis-server 7.0.15."""

import time

import pytest

from replies import err, NOT_INT, SYNTAX, WRONGTYPE

OVERFLOW = "ERR increment or decrement would overflow"
BAD_EXPIRE = "ERR invalid expire time in 'set' command"

LLONG_MAX = 2**63 - 1
LLONG_MIN = -2**63

# Ways to make a key of each non-string type; a test using one of them fails
# until the server has the type's first command.
NON_STRING_CREATORS = {
    "list": ("RPUSH", "{key}", "a"),
    "set": ("SADD", "{key}", "m"),
    "hash": ("HSET", "{key}", "f", "v"),
    "zset": ("ZADD", "{key}", "1", "m"),
}


@pytest.fixture
def srv(flushed_server):
    return flushed_server


# One pytest.param per non-string type, each needing its creating command.
TYPE_PARAMS = [pytest.param(kind, marks=pytest.mark.needs(NON_STRING_CREATORS[kind][0].lower()))
               for kind in sorted(NON_STRING_CREATORS)]


def make_type(c, kind, key):
    args = [a.format(key=key) for a in NON_STRING_CREATORS[kind]]
    v = c.cmd(*args)
    assert v == 1, f"{args} -> {v!r}"


# --------------------------------------------------------------------------
# SET and its options
# --------------------------------------------------------------------------

def test_set_get_basic(c):
    assert c.cmd_raw("SET", "k", "v") == b"+OK\r\n"
    assert c.cmd("GET", "k") == b"v"
    assert c.cmd("SET", "k", "v2") == b"OK"
    assert c.cmd("GET", "k") == b"v2"
    assert c.cmd("GET", "missing") is None
    assert c.cmd("TTL", "k") == -1


def test_set_ex(c):
    assert c.cmd("SET", "k", "v", "EX", "100") == b"OK"
    assert 99 <= c.cmd("TTL", "k") <= 100
    assert 99_000 <= c.cmd("PTTL", "k") <= 100_000


def test_set_px(c):
    assert c.cmd("SET", "k", "v", "PX", "100000") == b"OK"
    assert 99_000 <= c.cmd("PTTL", "k") <= 100_000


def test_set_exat_pxat(c):
    now = time.time()
    assert c.cmd("SET", "a", "v", "EXAT", str(int(now) + 100)) == b"OK"
    assert 98 <= c.cmd("TTL", "a") <= 100
    assert c.cmd("SET", "b", "v", "PXAT", str(int(now * 1000) + 100_000)) == b"OK"
    assert 98_000 <= c.cmd("PTTL", "b") <= 100_000


def test_set_options_case_insensitive(c):
    assert c.cmd("SET", "k", "v", "ex", "100") == b"OK"
    assert c.cmd("SET", "k", "v", "xx", "keepttl", "get") == b"v"
    assert 99 <= c.cmd("TTL", "k") <= 100
    assert c.cmd("SET", "k2", "v", "nx", "Px", "5000") == b"OK"


def test_set_exat_pxat_in_the_past_deletes(c):
    assert c.cmd("SET", "k", "v", "EXAT", "1") == b"OK"
    assert c.cmd("EXISTS", "k") == 0
    assert c.cmd("GET", "k") is None
    c.check("SET", "k", "old")
    assert c.cmd("SET", "k", "new", "PXAT", "1", "GET") == b"old"
    assert c.cmd("EXISTS", "k") == 0


def test_set_px_expires(c):
    assert c.cmd("SET", "k", "v", "PX", "50") == b"OK"
    deadline = time.monotonic() + 3
    while c.cmd("GET", "k") is not None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert c.cmd("GET", "k") is None
    assert c.cmd("EXISTS", "k") == 0


def test_set_nx(c):
    assert c.cmd("SET", "k", "v1", "NX") == b"OK"
    assert c.cmd_raw("SET", "k", "v2", "NX") == b"$-1\r\n"
    assert c.cmd("GET", "k") == b"v1"


def test_set_xx(c):
    assert c.cmd_raw("SET", "k", "v1", "XX") == b"$-1\r\n"
    assert c.cmd("EXISTS", "k") == 0
    c.check("SET", "k", "v1")
    assert c.cmd("SET", "k", "v2", "XX") == b"OK"
    assert c.cmd("GET", "k") == b"v2"


def test_set_plain_clears_ttl(c):
    c.check("SET", "k", "v", "EX", "100")
    c.check("SET", "k", "v2")
    assert c.cmd("TTL", "k") == -1


def test_set_keepttl(c):
    c.check("SET", "k", "v", "EX", "100")
    assert c.cmd("SET", "k", "v2", "KEEPTTL") == b"OK"
    assert 99 <= c.cmd("TTL", "k") <= 100
    assert c.cmd("GET", "k") == b"v2"
    # KEEPTTL on a key without TTL, or a new key: no TTL.
    assert c.cmd("SET", "fresh", "v", "KEEPTTL") == b"OK"
    assert c.cmd("TTL", "fresh") == -1


def test_set_get_option(c):
    assert c.cmd_raw("SET", "k", "v1", "GET") == b"$-1\r\n"
    assert c.cmd("GET", "k") == b"v1"
    assert c.cmd("SET", "k", "v2", "GET") == b"v1"
    assert c.cmd("GET", "k") == b"v2"
    assert c.cmd("SET", "k", "v3", "GET", "EX", "100") == b"v2"
    assert 99 <= c.cmd("TTL", "k") <= 100


def test_set_get_with_nx_xx(c):
    # 7.0 allows NX together with GET.
    assert c.cmd_raw("SET", "k", "v", "NX", "GET") == b"$-1\r\n"
    assert c.cmd("GET", "k") == b"v"
    assert c.cmd("SET", "k", "other", "NX", "GET") == b"v"
    assert c.cmd("GET", "k") == b"v"            # not overwritten
    assert c.cmd("SET", "k", "v2", "XX", "GET") == b"v"
    assert c.cmd("GET", "k") == b"v2"
    assert c.cmd_raw("SET", "nokey", "v", "XX", "GET") == b"$-1\r\n"
    assert c.cmd("EXISTS", "nokey") == 0


def test_set_repeated_options(c):
    # The same option twice is accepted; the last expire value wins.
    assert c.cmd("SET", "k", "v", "EX", "10", "EX", "200") == b"OK"
    assert 199 <= c.cmd("TTL", "k") <= 200
    assert c.cmd("SET", "k", "v", "PX", "5000", "PX", "300000") == b"OK"
    assert 299_000 <= c.cmd("PTTL", "k") <= 300_000
    assert c.cmd("SET", "k", "v", "NX", "NX") is None
    assert c.cmd("SET", "k", "w", "GET", "GET") == b"v"
    assert c.cmd("SET", "k", "v", "KEEPTTL", "KEEPTTL") == b"OK"


@pytest.mark.parametrize("opts", [
    ["NX", "XX"],
    ["XX", "NX"],
    ["EX", "10", "PX", "100"],
    ["PX", "100", "EX", "10"],
    ["EX", "10", "EXAT", "99999999999"],
    ["PXAT", "99999999999999", "EXAT", "99999999999"],
    ["PX", "100", "PXAT", "99999999999999"],
    ["KEEPTTL", "EX", "10"],
    ["EX", "10", "KEEPTTL"],
    ["PXAT", "99999999999999", "KEEPTTL"],
    ["GET", "NX", "XX"],
    ["EX"],                   # missing value
    ["PX"],
    ["EXAT"],
    ["PXAT"],
    ["FOO"],
    ["NX", "FOO"],
    ["FOO", "EX", "0"],       # syntax error is found before the bad time
    ["EX", "0", "FOO"],       # ... wherever it is
    ["10"],
])
def test_set_syntax_errors(c, opts):
    c.check("SET", "k", "orig")
    assert c.cmd_raw("SET", "k", "v", *opts) == b"-ERR syntax error\r\n"
    assert c.cmd("GET", "k") == b"orig"


@pytest.mark.parametrize("opts", [
    ["EX", "0"], ["EX", "-1"], ["PX", "0"], ["PX", "-100"],
    ["EXAT", "0"], ["EXAT", "-5"], ["PXAT", "0"], ["PXAT", "-1"],
    ["EX", str(LLONG_MAX)],               # overflows when converted to ms
    ["EX", "9223372036854775"],            # fits in ms, overflows with now added
    ["PX", str(LLONG_MAX)],                # overflows with now added
    ["EX", "0", "NX"],
    ["NX", "EX", "0"],
])
def test_set_invalid_expire_time(c, opts):
    c.check("SET", "k", "orig")
    assert c.cmd_raw("SET", "k", "v", *opts) == \
        b"-ERR invalid expire time in 'set' command\r\n"
    assert c.cmd("GET", "k") == b"orig"


@pytest.mark.parametrize("value", ["abc", "1.5", "10abc", "", " 10", "99999999999999999999"])
@pytest.mark.parametrize("opt", ["EX", "PX", "EXAT", "PXAT"])
def test_set_expire_not_integer(c, opt, value):
    assert c.cmd_raw("SET", "k", "v", opt, value) == \
        b"-ERR value is not an integer or out of range\r\n"
    assert c.cmd("EXISTS", "k") == 0


def test_set_far_future_absolute_expire_ok(c):
    assert c.cmd("SET", "k", "v", "EXAT", "9223372036854775") == b"OK"
    assert c.cmd("GET", "k") == b"v"
    assert c.cmd("SET", "k", "v", "PXAT", str(LLONG_MAX)) == b"OK"
    assert c.cmd("GET", "k") == b"v"
    assert c.cmd("TTL", "k") > 0


def test_set_arity(c):
    assert err(c.cmd("SET")) == "ERR wrong number of arguments for 'set' command"
    assert err(c.cmd("SET", "k")) == "ERR wrong number of arguments for 'set' command"


@pytest.mark.parametrize("kind", TYPE_PARAMS)
def test_set_over_other_type(c, kind):
    make_type(c, kind, "k")
    # Plain SET and SET XX replace any type.
    assert c.cmd("SET", "k", "v", "XX") == b"OK"
    assert c.cmd("TYPE", "k") == b"string"
    assert c.cmd("GET", "k") == b"v"


@pytest.mark.parametrize("kind", TYPE_PARAMS)
def test_set_get_option_wrong_type(c, kind):
    make_type(c, kind, "k")
    assert err(c.cmd("SET", "k", "v", "GET")) == WRONGTYPE
    assert err(c.cmd("SET", "k", "v", "NX", "GET")) == WRONGTYPE
    assert c.cmd("TYPE", "k") == kind.encode()     # untouched
    assert c.cmd("SET", "k", "v", "NX") is None
    assert c.cmd("TYPE", "k") == kind.encode()


# --------------------------------------------------------------------------
# GET / DEL / EXISTS / TYPE
# --------------------------------------------------------------------------

@pytest.mark.parametrize("kind", TYPE_PARAMS)
def test_get_wrong_type(c, kind):
    make_type(c, kind, "k")
    assert c.cmd_raw("GET", "k") == \
        b"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"


@pytest.mark.parametrize("kind", TYPE_PARAMS)
def test_type_and_exists_other_types(c, kind):
    make_type(c, kind, "k")
    assert c.cmd_raw("TYPE", "k") == b"+" + kind.encode() + b"\r\n"
    assert c.cmd("EXISTS", "k") == 1
    assert c.cmd("DEL", "k") == 1
    assert c.cmd("TYPE", "k") == b"none"


def test_del(c):
    assert c.cmd("DEL", "nokey") == 0
    c.check("MSET", "a", "1", "b", "2", "c", "3")
    assert c.cmd("DEL", "a", "b", "nokey") == 2
    assert c.cmd("MGET", "a", "b", "c") == [None, None, b"3"]
    # Duplicates are counted once.
    assert c.cmd("DEL", "c", "c", "c") == 1
    assert c.cmd("DBSIZE") == 0
    assert err(c.cmd("DEL")) == "ERR wrong number of arguments for 'del' command"


def test_del_many(c):
    keys = [f"k{i}" for i in range(1000)]
    args = []
    for k in keys:
        args += [k, "v"]
    c.check("MSET", *args)
    assert c.cmd("DBSIZE") == 1000
    assert c.cmd("DEL", *keys, "extra") == 1000
    assert c.cmd("DBSIZE") == 0


def test_exists_counts_duplicates(c):
    c.check("SET", "a", "1")
    assert c.cmd("EXISTS", "a") == 1
    assert c.cmd("EXISTS", "nokey") == 0
    assert c.cmd("EXISTS", "a", "a", "a") == 3
    assert c.cmd("EXISTS", "a", "nokey", "a") == 2
    assert err(c.cmd("EXISTS")) == "ERR wrong number of arguments for 'exists' command"


def test_type(c):
    c.check("SET", "s", "v")
    assert c.cmd_raw("TYPE", "s") == b"+string\r\n"
    assert c.cmd_raw("TYPE", "nokey") == b"+none\r\n"
    c.check("SET", "i", "12345")           # integer-encoded is still a string
    assert c.cmd_raw("TYPE", "i") == b"+string\r\n"


# --------------------------------------------------------------------------
# INCR family
# --------------------------------------------------------------------------

def test_incr_decr(c):
    assert c.cmd("INCR", "n") == 1
    assert c.cmd("INCR", "n") == 2
    assert c.cmd("DECR", "n") == 1
    assert c.cmd("INCRBY", "n", "10") == 11
    assert c.cmd("DECRBY", "n", "20") == -9
    assert c.cmd("INCRBY", "n", "-1") == -10
    assert c.cmd("DECRBY", "n", "-10") == 0
    assert c.cmd("GET", "n") == b"0"
    assert c.cmd("DECR", "fresh") == -1
    assert c.cmd("DECRBY", "fresh2", "5") == -5
    assert c.cmd("INCRBY", "fresh3", "0") == 0
    assert c.cmd("GET", "fresh3") == b"0"
    assert c.cmd("TYPE", "n") == b"string"


def test_incr_on_existing_value(c):
    c.check("SET", "n", "41")
    assert c.cmd("INCR", "n") == 42
    c.check("SET", "n", "-7")
    assert c.cmd("INCRBY", "n", "7") == 0
    c.check("SET", "n", str(LLONG_MAX - 1))
    assert c.cmd("INCR", "n") == LLONG_MAX
    assert c.cmd("GET", "n") == str(LLONG_MAX).encode()


def test_incr_keeps_ttl(c):
    c.check("SET", "n", "1", "EX", "100")
    assert c.cmd("INCR", "n") == 2
    assert 99 <= c.cmd("TTL", "n") <= 100


@pytest.mark.parametrize("start, args", [
    (LLONG_MAX, ("INCR", "n")),
    (LLONG_MAX, ("INCRBY", "n", "1")),
    (LLONG_MAX, ("DECRBY", "n", "-1")),
    (LLONG_MIN, ("DECR", "n")),
    (LLONG_MIN, ("DECRBY", "n", "1")),
    (LLONG_MIN, ("INCRBY", "n", "-1")),
    (1, ("INCRBY", "n", str(LLONG_MAX))),
    (-2, ("INCRBY", "n", str(LLONG_MIN))),
])
def test_incr_overflow(c, start, args):
    c.check("SET", "n", str(start))
    assert c.cmd_raw(*args) == b"-ERR increment or decrement would overflow\r\n"
    assert c.cmd("GET", "n") == str(start).encode()


def test_decrby_llong_min(c):
    # Negating LLONG_MIN overflows before the addition: its own message.
    c.check("SET", "n", "0")
    assert c.cmd_raw("DECRBY", "n", str(LLONG_MIN)) == b"-ERR decrement would overflow\r\n"
    assert c.cmd_raw("DECRBY", "nokey", str(LLONG_MIN)) == b"-ERR decrement would overflow\r\n"
    assert c.cmd("EXISTS", "nokey") == 0


def test_incr_reaches_limits_exactly(c):
    assert c.cmd("INCRBY", "n", str(LLONG_MAX)) == LLONG_MAX
    c.check("SET", "m", "-5")
    assert c.cmd("INCRBY", "m", str(LLONG_MIN + 5)) == LLONG_MIN
    assert c.cmd("GET", "m") == str(LLONG_MIN).encode()


@pytest.mark.parametrize("value", [
    "1 2", " 1", "1 ", "01", "+1", "-0", "", "1.0", "abc", "1e3", "0x10",
    "9223372036854775808", "-9223372036854775809", "1\x00", "\t1",
])
def test_incr_on_non_integer_value(c, value):
    c.check("SET", "n", value)
    for args in (("INCR", "n"), ("DECR", "n"), ("INCRBY", "n", "1"), ("DECRBY", "n", "1")):
        assert c.cmd_raw(*args) == b"-ERR value is not an integer or out of range\r\n", args
    assert c.cmd("GET", "n") == value.encode()


@pytest.mark.parametrize("incr", ["abc", "1.5", "", " 1", "9223372036854775808", "1e3"])
def test_incrby_non_integer_increment(c, incr):
    c.check("SET", "n", "5")
    assert err(c.cmd("INCRBY", "n", incr)) == NOT_INT
    assert err(c.cmd("DECRBY", "n", incr)) == NOT_INT
    assert c.cmd("GET", "n") == b"5"


@pytest.mark.parametrize("kind", TYPE_PARAMS)
def test_incr_wrong_type(c, kind):
    make_type(c, kind, "k")
    for args in (("INCR", "k"), ("DECR", "k"), ("INCRBY", "k", "2"), ("DECRBY", "k", "2")):
        assert err(c.cmd(*args)) == WRONGTYPE, args


@pytest.mark.needs("rpush")
def test_incrby_wrong_type_checked_after_increment_parse(c):
    make_type(c, "list", "k")
    # The increment argument is parsed first.
    assert err(c.cmd("INCRBY", "k", "abc")) == NOT_INT


# --------------------------------------------------------------------------
# MGET / MSET
# --------------------------------------------------------------------------

def test_mset_mget(c):
    assert c.cmd_raw("MSET", "a", "1", "b", "2", "c", "3") == b"+OK\r\n"
    assert c.cmd("MGET", "a", "b", "c", "nokey", "a") == [b"1", b"2", b"3", None, b"1"]
    assert c.cmd("MGET", "nokey") == [None]


def test_mset_duplicate_keys_last_wins(c):
    assert c.cmd("MSET", "a", "1", "a", "2", "a", "3") == b"OK"
    assert c.cmd("GET", "a") == b"3"


@pytest.mark.needs("rpush")
def test_mset_clears_ttl_and_replaces_type(c):
    c.check("SET", "a", "v", "EX", "100")
    make_type(c, "list", "l")
    assert c.cmd("MSET", "a", "1", "l", "2") == b"OK"
    assert c.cmd("TTL", "a") == -1
    assert c.cmd("TYPE", "l") == b"string"


@pytest.mark.parametrize("args", [["a"], ["a", "1", "b"], ["a", "1", "b", "2", "c"]])
def test_mset_odd_args(c, args):
    assert c.cmd_raw("MSET", *args) == b"-ERR wrong number of arguments for 'mset' command\r\n"
    assert c.cmd("DBSIZE") == 0


@pytest.mark.needs("rpush")
def test_mget_wrong_type_is_nil(c):
    c.check("SET", "s", "v")
    make_type(c, "list", "l")
    assert c.cmd("MGET", "s", "l", "nokey") == [b"v", None, None]


def test_mget_arity(c):
    assert err(c.cmd("MGET")) == "ERR wrong number of arguments for 'mget' command"


def test_mget_redis_py(srv):
    r = srv.client()
    r.mset({f"k{i}": f"v{i}" for i in range(100)})
    assert r.mget([f"k{i}" for i in range(100)]) == [f"v{i}".encode() for i in range(100)]


# --------------------------------------------------------------------------
# DBSIZE / FLUSHDB / FLUSHALL / databases
# --------------------------------------------------------------------------

def test_dbsize(c):
    assert c.cmd("DBSIZE") == 0
    c.check("SET", "a", "1")
    c.check("MSET", "b", "2", "c", "3", "a", "4")
    assert c.cmd("DBSIZE") == 3
    c.check("DEL", "b")
    assert c.cmd("DBSIZE") == 2
    assert err(c.cmd("DBSIZE", "x")) == "ERR wrong number of arguments for 'dbsize' command"


def test_flushdb_only_current_db(c):
    c.check("SET", "a", "0")
    c.check("SELECT", "1")
    c.check("MSET", "a", "1", "b", "1")
    assert c.cmd("DBSIZE") == 2
    assert c.cmd_raw("FLUSHDB") == b"+OK\r\n"
    assert c.cmd("DBSIZE") == 0
    assert c.cmd("GET", "a") is None
    c.check("SELECT", "0")
    assert c.cmd("GET", "a") == b"0"


def test_flushdb_modes(c):
    for mode in ("ASYNC", "SYNC", "async", "sync"):
        c.check("SET", "a", "1")
        assert c.cmd("FLUSHDB", mode) == b"OK"
        assert c.cmd("DBSIZE") == 0
    assert err(c.cmd("FLUSHDB", "FOO")) == SYNTAX
    assert err(c.cmd("FLUSHDB", "SYNC", "ASYNC")) == SYNTAX


def test_flushall_all_dbs(c):
    for db in (0, 3, 15):
        c.check("SELECT", str(db))
        c.check("SET", f"k{db}", "v")
    assert c.cmd_raw("FLUSHALL") == b"+OK\r\n"
    for db in (0, 3, 15):
        c.check("SELECT", str(db))
        assert c.cmd("DBSIZE") == 0
        assert c.cmd("EXISTS", f"k{db}") == 0


def test_flushall_modes(c):
    for mode in ("ASYNC", "SYNC"):
        c.check("SET", "a", "1")
        assert c.cmd("FLUSHALL", mode) == b"OK"
        assert c.cmd("DBSIZE") == 0
    assert err(c.cmd("FLUSHALL", "FOO")) == SYNTAX


def test_keys_across_dbs(c):
    c.check("SET", "shared", "db0")
    c.check("SELECT", "1")
    assert c.cmd("GET", "shared") is None
    assert c.cmd("EXISTS", "shared") == 0
    c.check("SET", "shared", "db1")
    assert c.cmd("INCR", "counter") == 1
    c.check("SELECT", "2")
    assert c.cmd("INCR", "counter") == 1
    assert c.cmd("DEL", "shared") == 0
    c.check("SELECT", "0")
    assert c.cmd("GET", "shared") == b"db0"
    assert c.cmd("DBSIZE") == 1
    c.check("SELECT", "1")
    assert c.cmd("GET", "shared") == b"db1"
    assert c.cmd("DBSIZE") == 2


def test_redis_py_db_option(srv):
    r0 = srv.client(db=0)
    r9 = srv.client(db=9)
    r9.set("k", "nine")
    assert r0.get("k") is None
    assert r9.get("k") == b"nine"
    assert r9.dbsize() == 1 and r0.dbsize() == 0


# --------------------------------------------------------------------------
# binary safety and sizes
# --------------------------------------------------------------------------

BINARY_KEYS = [b"\x00", b"a\x00b", b"\r\n", b"key with spaces", b"\xff\xfe\x00\x01",
               "ключ-☃".encode(), b"", b"*1\r\n$4\r\nPING\r\n", b"\x00" * 100]


@pytest.mark.parametrize("key", BINARY_KEYS, ids=[repr(k)[:30] for k in BINARY_KEYS])
def test_binary_keys(c, key):
    value = b"v\x00" + key + b"\r\n\xff"
    assert c.cmd("SET", key, value) == b"OK"
    assert c.cmd("GET", key) == value
    assert c.cmd("EXISTS", key) == 1
    assert c.cmd("TYPE", key) == b"string"
    assert c.cmd("MGET", key, key + b"x") == [value, None]
    assert c.cmd("DEL", key) == 1
    assert c.cmd("GET", key) is None


def test_binary_values_all_bytes(c):
    value = bytes(range(256)) * 4
    c.check("SET", "bin", value)
    assert c.cmd("GET", "bin") == value
    assert c.cmd_raw("GET", "bin") == b"$1024\r\n" + value + b"\r\n"


def test_distinct_binary_keys(c):
    # Keys differing only after a NUL byte, or by a trailing NUL, are distinct.
    c.check("SET", b"a\x00b", "1")
    c.check("SET", b"a\x00c", "2")
    c.check("SET", b"a", "3")
    c.check("SET", b"a\x00", "4")
    assert c.cmd("MGET", b"a\x00b", b"a\x00c", b"a", b"a\x00") == [b"1", b"2", b"3", b"4"]
    assert c.cmd("DBSIZE") == 4


def test_empty_value(c):
    c.check("SET", "e", "")
    assert c.cmd_raw("GET", "e") == b"$0\r\n\r\n"
    assert c.cmd("EXISTS", "e") == 1
    assert c.cmd("TYPE", "e") == b"string"


def test_large_values(c):
    one_mb = bytes((i * 7 + 3) % 256 for i in range(1 << 20))
    assert c.cmd("SET", "big", one_mb) == b"OK"
    assert c.cmd("GET", "big") == one_mb
    five_mb = b"x" * (5 << 20) + b"end"
    assert c.cmd("SET", "big5", five_mb) == b"OK"
    assert c.cmd("GET", "big5") == five_mb
    assert c.cmd("MGET", "big", "big5") == [one_mb, five_mb]
    assert c.cmd("SET", "big", "small", "GET") == one_mb
    assert c.cmd("GET", "big") == b"small"


def test_large_key(c):
    key = b"k" * 100_000
    c.check("SET", key, "v")
    assert c.cmd("GET", key) == b"v"
    assert c.cmd("EXISTS", key) == 1
    assert c.cmd("GET", key[:-1]) is None


def test_many_keys_redis_py(srv):
    r = srv.client()
    p = r.pipeline(transaction=False)
    for i in range(5000):
        p.set(f"key:{i}", f"val:{i}")
    p.execute()
    assert r.dbsize() == 5000
    for i in range(0, 5000, 497):
        assert r.get(f"key:{i}") == f"val:{i}".encode()
