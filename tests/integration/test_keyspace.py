"""Keyspace commands: UNLINK, TOUCH, RENAME, RENAMENX, MOVE, COPY, SWAPDB,
KEYS, SCAN, RANDOMKEY, OBJECT ENCODING/REFCOUNT/HELP, WAIT and FLUSHDB /
FLUSHALL ASYNC|SYNC. Expected replies and error strings are those of
redis-server 7.0.15 (run with --server redis to check them there). The
Strata-only tests at the end cover SCAN under concurrent writes and SWAPDB /
RENAME across a restart."""

import random
import threading
import time

import pytest

from resp3 import SimpleString
from replies import err, NOT_INT, SYNTAX

NOT_INT32 = "ERR value is out of range, value must between -2147483648 and 2147483647"
NO_SUCH_KEY = "ERR no such key"
SAME_OBJECT = "ERR source and destination objects are the same"
DB_RANGE = "ERR DB index is out of range"
INVALID_CURSOR = "ERR invalid cursor"
INT_MAX = 2**31 - 1


@pytest.fixture
def c(flushed_server):
    conn = flushed_server.resp()
    yield conn
    conn.close()


@pytest.fixture
def c3(flushed_server):
    conn = flushed_server.resp()
    conn.hello(3)
    yield conn
    conn.close()


def in_db(c, db, *args):
    """Runs one command in database `db`, then returns to database 0."""
    c.check("SELECT", str(db))
    try:
        return c.cmd(*args)
    finally:
        c.check("SELECT", "0")


def full_scan(c, *options, cursor="0", limit=100000):
    """Every key a complete SCAN returns (with repeats), and the call count."""
    keys, calls = [], 0
    while True:
        reply = c.cmd("SCAN", cursor, *options)
        assert isinstance(reply, list) and len(reply) == 2, reply
        cursor, page = reply
        assert isinstance(cursor, bytes) and cursor.isdigit(), cursor
        keys.extend(page)
        calls += 1
        assert calls < limit, "SCAN did not terminate"
        if cursor == b"0":
            return keys, calls


# --------------------------------------------------------------------------
# UNLINK, TOUCH
# --------------------------------------------------------------------------

def test_unlink_counts_deleted_keys(c):
    c.check("MSET", "a", "1", "b", "2")
    assert c.cmd("UNLINK", "a", "a", "b", "missing") == 2
    assert c.cmd("EXISTS", "a", "b") == 0
    assert c.cmd("DBSIZE") == 0
    assert err(c.cmd("UNLINK")) == "ERR wrong number of arguments for 'unlink' command"


def test_touch_counts_existing_keys(c):
    c.check("MSET", "a", "1", "b", "2")
    assert c.cmd("TOUCH", "a", "a", "b", "missing") == 3
    assert c.cmd("TOUCH", "missing") == 0
    assert err(c.cmd("TOUCH")) == "ERR wrong number of arguments for 'touch' command"


# --------------------------------------------------------------------------
# RENAME, RENAMENX
# --------------------------------------------------------------------------

def test_rename_moves_value(c):
    c.check("SET", "a", "v")
    assert c.cmd_raw("RENAME", "a", "b") == b"+OK\r\n"
    assert c.cmd("GET", "a") is None
    assert c.cmd("GET", "b") == b"v"
    assert c.cmd("DBSIZE") == 1


def test_rename_overwrites_and_keeps_source_ttl(c):
    c.check("SET", "src", "s", "EX", "100")
    c.check("SET", "dst", "d")
    assert c.cmd("RENAME", "src", "dst") == b"OK"
    assert c.cmd("GET", "dst") == b"s"
    assert 99 <= c.cmd("TTL", "dst") <= 100
    assert c.cmd("DBSIZE") == 1
    # A destination's own TTL goes with its old value.
    c.check("SET", "plain", "p")
    c.check("SET", "timed", "t", "EX", "100")
    assert c.cmd("RENAME", "plain", "timed") == b"OK"
    assert c.cmd("TTL", "timed") == -1


def test_rename_keeps_expiry_working(c):
    c.check("SET", "a", "v", "PX", "100")
    c.check("RENAME", "a", "b")
    deadline = time.monotonic() + 3
    while c.cmd("DBSIZE") != 0 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert c.cmd("DBSIZE") == 0
    assert c.cmd("EXISTS", "a", "b") == 0


def test_rename_errors_and_same_key(c):
    assert err(c.cmd("RENAME", "missing", "x")) == NO_SUCH_KEY
    assert err(c.cmd("RENAME", "missing", "missing")) == NO_SUCH_KEY
    c.check("SET", "k", "v", "EX", "100")
    assert c.cmd("RENAME", "k", "k") == b"OK"
    assert c.cmd("GET", "k") == b"v"
    assert 99 <= c.cmd("TTL", "k") <= 100
    assert err(c.cmd("RENAME", "k")) == "ERR wrong number of arguments for 'rename' command"


def test_rename_of_expired_key_is_no_such_key(c):
    c.check("SET", "k", "v", "PX", "1")
    time.sleep(0.01)
    assert err(c.cmd("RENAME", "k", "x")) == NO_SUCH_KEY
    assert c.cmd("EXISTS", "x") == 0


def test_renamenx(c):
    c.check("MSET", "a", "1", "b", "2")
    assert c.cmd("RENAMENX", "a", "b") == 0
    assert c.cmd("GET", "a") == b"1"
    assert c.cmd("RENAMENX", "a", "c") == 1
    assert c.cmd("GET", "c") == b"1"
    assert c.cmd("EXISTS", "a") == 0
    assert c.cmd("RENAMENX", "c", "c") == 0
    assert err(c.cmd("RENAMENX", "missing", "x")) == NO_SUCH_KEY
    assert err(c.cmd("RENAMENX", "missing", "missing")) == NO_SUCH_KEY


def test_renamenx_onto_expired_key(c):
    c.check("SET", "a", "1")
    c.check("SET", "b", "2", "PX", "1")
    time.sleep(0.01)
    assert c.cmd("RENAMENX", "a", "b") == 1
    assert c.cmd("GET", "b") == b"1"
    assert c.cmd("TTL", "b") == -1


# --------------------------------------------------------------------------
# MOVE
# --------------------------------------------------------------------------

def test_move_between_databases(c):
    c.check("SET", "k", "v", "EX", "100")
    assert c.cmd("MOVE", "k", "1") == 1
    assert c.cmd("EXISTS", "k") == 0
    assert c.cmd("DBSIZE") == 0
    assert in_db(c, 1, "GET", "k") == b"v"
    assert 99 <= in_db(c, 1, "TTL", "k") <= 100
    assert in_db(c, 1, "DBSIZE") == 1


def test_move_refuses_existing_or_missing(c):
    c.check("SET", "k", "zero")
    in_db(c, 1, "SET", "k", "one")
    assert c.cmd("MOVE", "k", "1") == 0
    assert c.cmd("GET", "k") == b"zero"
    assert in_db(c, 1, "GET", "k") == b"one"
    assert c.cmd("MOVE", "missing", "1") == 0


def test_move_errors(c):
    c.check("SET", "k", "v")
    assert err(c.cmd("MOVE", "k", "0")) == SAME_OBJECT
    assert err(c.cmd("MOVE", "missing", "0")) == SAME_OBJECT
    assert err(c.cmd("MOVE", "k", "16")) == DB_RANGE
    assert err(c.cmd("MOVE", "k", "-1")) == DB_RANGE
    assert err(c.cmd("MOVE", "k", "abc")) == NOT_INT
    assert err(c.cmd("MOVE", "k", "1.5")) == NOT_INT
    assert err(c.cmd("MOVE", "k", "99999999999")) == NOT_INT32
    assert err(c.cmd("MOVE", "k")) == "ERR wrong number of arguments for 'move' command"


def test_move_keeps_expiry_working(c):
    c.check("SET", "k", "v", "PX", "100")
    assert c.cmd("MOVE", "k", "2") == 1
    deadline = time.monotonic() + 3
    while in_db(c, 2, "DBSIZE") != 0 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert in_db(c, 2, "DBSIZE") == 0


# --------------------------------------------------------------------------
# COPY
# --------------------------------------------------------------------------

def test_copy_in_same_database(c):
    c.check("SET", "a", "v", "EX", "100")
    assert c.cmd("COPY", "a", "b") == 1
    assert c.cmd("GET", "b") == b"v"
    assert 99 <= c.cmd("TTL", "b") <= 100
    assert c.cmd("GET", "a") == b"v"
    assert c.cmd("DBSIZE") == 2
    c.check("SET", "b", "changed")
    assert c.cmd("GET", "a") == b"v"


def test_copy_existing_destination_and_replace(c):
    c.check("MSET", "a", "1", "b", "2")
    c.check("EXPIRE", "b", "100")
    assert c.cmd("COPY", "a", "b") == 0
    assert c.cmd("GET", "b") == b"2"
    assert c.cmd("COPY", "a", "b", "REPLACE") == 1
    assert c.cmd("GET", "b") == b"1"
    assert c.cmd("TTL", "b") == -1
    assert c.cmd("COPY", "missing", "b", "replace") == 0
    assert c.cmd("GET", "b") == b"1"


def test_copy_to_other_database(c):
    c.check("SET", "a", "v")
    assert c.cmd("COPY", "a", "a", "DB", "3") == 1
    assert in_db(c, 3, "GET", "a") == b"v"
    assert in_db(c, 3, "DBSIZE") == 1
    assert c.cmd("COPY", "a", "a", "db", "3") == 0
    assert c.cmd("COPY", "a", "a", "REPLACE", "DB", "3") == 1
    assert c.cmd("COPY", "a", "x", "DB", "1", "REPLACE", "DB", "2") == 1
    assert in_db(c, 2, "GET", "x") == b"v"
    assert in_db(c, 1, "EXISTS", "x") == 0


def test_copy_errors(c):
    c.check("SET", "a", "v")
    assert err(c.cmd("COPY", "a", "a")) == SAME_OBJECT
    assert err(c.cmd("COPY", "missing", "missing")) == SAME_OBJECT
    assert err(c.cmd("COPY", "a", "a", "DB", "0")) == SAME_OBJECT
    assert err(c.cmd("COPY", "a", "b", "DB", "16")) == DB_RANGE
    assert err(c.cmd("COPY", "a", "b", "DB", "-1")) == DB_RANGE
    assert err(c.cmd("COPY", "a", "b", "DB", "x")) == NOT_INT
    assert err(c.cmd("COPY", "a", "b", "DB", "4294967296")) == NOT_INT32
    assert err(c.cmd("COPY", "a", "b", "DB")) == SYNTAX
    assert err(c.cmd("COPY", "a", "b", "FOO")) == SYNTAX
    # Options are checked in order: the first bad one answers.
    assert err(c.cmd("COPY", "a", "b", "DB", "99", "FOO")) == DB_RANGE
    assert err(c.cmd("COPY", "a", "b", "FOO", "DB", "99")) == SYNTAX
    assert err(c.cmd("COPY", "a")) == "ERR wrong number of arguments for 'copy' command"


# --------------------------------------------------------------------------
# SWAPDB
# --------------------------------------------------------------------------

def test_swapdb_swaps_contents_and_counts(c):
    c.check("MSET", "a", "0", "b", "0")
    in_db(c, 1, "SET", "a", "1")
    assert c.cmd_raw("SWAPDB", "0", "1") == b"+OK\r\n"
    assert c.cmd("GET", "a") == b"1"
    assert c.cmd("EXISTS", "b") == 0
    assert c.cmd("DBSIZE") == 1
    assert in_db(c, 1, "MGET", "a", "b") == [b"0", b"0"]
    assert in_db(c, 1, "DBSIZE") == 2
    assert sorted(in_db(c, 1, "KEYS", "*")) == [b"a", b"b"]
    assert c.cmd("SWAPDB", "1", "1") == b"OK"
    assert c.cmd("SWAPDB", "1", "0") == b"OK"
    assert c.cmd("DBSIZE") == 2


def test_swapdb_keeps_ttls_and_expiry(c):
    c.check("SET", "short", "v", "PX", "150")
    c.check("SET", "long", "v", "EX", "100")
    assert c.cmd("SWAPDB", "0", "5") == b"OK"
    assert 99 <= in_db(c, 5, "TTL", "long") <= 100
    deadline = time.monotonic() + 3
    while in_db(c, 5, "DBSIZE") != 1 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert in_db(c, 5, "DBSIZE") == 1
    assert in_db(c, 5, "EXISTS", "short") == 0
    assert c.cmd("DBSIZE") == 0


def test_swapdb_errors(c):
    assert err(c.cmd("SWAPDB", "0", "16")) == DB_RANGE
    assert err(c.cmd("SWAPDB", "-1", "0")) == DB_RANGE
    assert err(c.cmd("SWAPDB", "x", "0")) == "ERR invalid first DB index"
    assert err(c.cmd("SWAPDB", "0", "x")) == "ERR invalid second DB index"
    assert err(c.cmd("SWAPDB", "99999999999", "0")) == "ERR invalid first DB index"
    assert err(c.cmd("SWAPDB", "0", "99999999999")) == "ERR invalid second DB index"
    assert err(c.cmd("SWAPDB", "x", "y")) == "ERR invalid first DB index"
    assert err(c.cmd("SWAPDB", "0")) == "ERR wrong number of arguments for 'swapdb' command"


# --------------------------------------------------------------------------
# KEYS
# --------------------------------------------------------------------------

KEYS_SET = ["hello", "hallo", "hxllo", "hllo", "heeello", "h*llo", "h?llo", "h[a]llo",
            "a", "ab", "abc", "b", "user:1:name", "user:22:name", "user::name", "x\\y",
            "[", "]", "-", "^", "key9", "KEY9", ""]

KEYS_PATTERNS = ["*", "h?llo", "h*llo", "h[ae]llo", "h[^e]llo", "h[a-b]llo", "h[b-a]llo",
                 "h\\*llo", "h\\?llo", "h[a]llo", "h\\[a]llo", "?", "??", "a*", "*b*",
                 "user:*:name", "user:?:name", "[", "[]", "[]]", "[^]", "[a-]", "[\\]]",
                 "x\\\\y", "x\\y", "*[0-9]", "[A-Z]*", "[", "\\", "[!a]*", "**", "*?*",
                 "[abc", "[^a-z]", "a[", "h[^]llo"]


def test_keys_glob_rules(c):
    for k in KEYS_SET:
        c.check("SET", k, "v")
    results = {p: sorted(c.cmd("KEYS", p)) for p in KEYS_PATTERNS}
    expected_star = sorted(k.encode() for k in KEYS_SET)
    assert results["*"] == expected_star
    # "*" lists every key, the empty one too; the matcher itself never
    # matches "" with a pattern starting with '*'.
    assert results["**"] == expected_star[1:]
    assert results["*?*"] == expected_star[1:]
    # Known answers from redis-server 7.0.15.
    assert results["h?llo"] == [b"h*llo", b"h?llo", b"hallo", b"hello", b"hxllo"]
    assert results["h[^e]llo"] == [b"h*llo", b"h?llo", b"hallo", b"hxllo"]
    assert results["h\\*llo"] == [b"h*llo"]
    assert results["[a-]"] == [b"]", b"^", b"a"]
    assert results["[]"] == []
    assert results["x\\\\y"] == [b"x\\y"]
    assert results["x\\y"] == []
    assert results["[A-Z]*"] == [b"KEY9"]
    assert results["?"] == [b"-", b"[", b"]", b"^", b"a", b"b"]
    assert results["h[^]llo"] == results["h?llo"]  # "[^]" is a negated empty class


def test_keys_skips_expired_and_other_databases(c):
    c.check("SET", "live", "v")
    c.check("SET", "dead", "v", "PX", "1")
    in_db(c, 1, "SET", "other", "v")
    time.sleep(0.01)
    assert c.cmd("KEYS", "*") == [b"live"]
    assert c.cmd("KEYS", "nomatch*") == []
    assert err(c.cmd("KEYS")) == "ERR wrong number of arguments for 'keys' command"


def test_keys_resp3_is_an_array(c3):
    c3.check("SET", "k", "v")
    assert c3.cmd_raw("KEYS", "*") == b"*1\r\n$1\r\nk\r\n"


def test_keys_binary_and_long_patterns(c):
    c.check("SET", b"bin\x00\xff", "v")
    assert c.cmd("KEYS", b"bin\x00*") == [b"bin\x00\xff"]
    c.check("SET", "a" * 900, "v")
    assert c.cmd("KEYS", "*a" * 900) == [b"a" * 900]
    # Redis gives up past 1000 nested stars; a pathological pattern is fast.
    c.check("SET", "b" * 1100, "v")
    assert c.cmd("KEYS", "*b" * 1100) == []
    c.check("SET", "c" * 60, "v")
    t = time.monotonic()
    assert c.cmd("KEYS", "*c" * 30 + "x") == []
    assert time.monotonic() - t < 2


# --------------------------------------------------------------------------
# SCAN
# --------------------------------------------------------------------------

def test_scan_full_iteration(c):
    keys = {f"key:{i}".encode() for i in range(500)}
    c.check("MSET", *[x for k in keys for x in (k, b"v")])
    seen, calls = full_scan(c)
    assert set(seen) == keys
    assert calls > 1
    seen, _ = full_scan(c, "COUNT", "1000")
    assert set(seen) == keys
    seen, _ = full_scan(c, "COUNT", "7")
    assert set(seen) == keys


def test_scan_empty_database(c):
    assert c.cmd("SCAN", "0") == [b"0", []]


def test_scan_match_and_type(c):
    for i in range(50):
        c.check("SET", f"user:{i}", "v")
        c.check("SET", f"item:{i}", "v")
    seen, _ = full_scan(c, "MATCH", "user:*")
    assert set(seen) == {f"user:{i}".encode() for i in range(50)}
    seen, _ = full_scan(c, "MATCH", "*:1?", "COUNT", "20")
    assert set(seen) == {f"{p}:1{d}".encode() for p in ("user", "item") for d in range(10)}
    seen, _ = full_scan(c, "TYPE", "string")
    assert len(set(seen)) == 100
    seen, _ = full_scan(c, "TYPE", "STRING", "MATCH", "item:4*")
    assert set(seen) == {b"item:4"} | {f"item:4{d}".encode() for d in range(10)}
    seen, _ = full_scan(c, "TYPE", "list")
    assert seen == []
    seen, _ = full_scan(c, "TYPE", "nosuchtype")
    assert seen == []
    seen, _ = full_scan(c, "MATCH", "*", "MATCH", "user:1")
    assert seen == [b"user:1"]


def test_scan_skips_expired_keys(c):
    c.check("SET", "live", "v")
    c.check("SET", "dead", "v", "PX", "1")
    time.sleep(0.01)
    seen, _ = full_scan(c)
    assert seen == [b"live"]


def test_scan_cursor_forms(c):
    c.check("MSET", "a", "1", "b", "2", "c", "3")
    # strtoul's rules: "" and "-0" are 0, a leading '+' and zeros are fine.
    for start in ("", "-0", "+0", "000"):
        seen, _ = full_scan(c, cursor=start)
        assert sorted(seen) == [b"a", b"b", b"c"], start
    for cursor in ("-1", "18446744073709551615", "12345"):
        reply = c.cmd("SCAN", cursor)
        assert isinstance(reply, list) and reply[0].isdigit(), (cursor, reply)


def test_scan_errors(c):
    for bad in ("x", " 1", "1 ", "1x", "18446744073709551616", "+", "-", "0x1", "1.0"):
        assert err(c.cmd("SCAN", bad)) == INVALID_CURSOR, bad
    # The cursor is checked before the options.
    assert err(c.cmd("SCAN", "x", "COUNT", "0")) == INVALID_CURSOR
    assert err(c.cmd("SCAN", "0", "COUNT", "0")) == SYNTAX
    assert err(c.cmd("SCAN", "0", "COUNT", "-1")) == SYNTAX
    assert err(c.cmd("SCAN", "0", "COUNT", "x")) == NOT_INT
    assert err(c.cmd("SCAN", "0", "COUNT")) == SYNTAX
    assert err(c.cmd("SCAN", "0", "MATCH")) == SYNTAX
    assert err(c.cmd("SCAN", "0", "TYPE")) == SYNTAX
    assert err(c.cmd("SCAN", "0", "FOO", "bar")) == SYNTAX
    assert err(c.cmd("SCAN", "0", "COUNT", "x", "FOO")) == NOT_INT
    assert err(c.cmd("SCAN")) == "ERR wrong number of arguments for 'scan' command"


def test_scan_resp3_shape(c3):
    c3.check("SET", "k", "v")
    assert c3.cmd_raw("SCAN", "0", "COUNT", "100") == b"*2\r\n$1\r\n0\r\n*1\r\n$1\r\nk\r\n"


# --------------------------------------------------------------------------
# RANDOMKEY
# --------------------------------------------------------------------------

def test_randomkey(c, c3):
    assert c.cmd_raw("RANDOMKEY") == b"$-1\r\n"
    assert c3.cmd_raw("RANDOMKEY") == b"_\r\n"
    keys = {f"k{i}".encode() for i in range(20)}
    c.check("MSET", *[x for k in keys for x in (k, b"v")])
    got = {c.cmd("RANDOMKEY") for _ in range(200)}
    assert got <= keys
    assert len(got) > 1
    assert err(c.cmd("RANDOMKEY", "x")) == "ERR wrong number of arguments for 'randomkey' command"


def test_randomkey_skips_expired(c):
    c.check("SET", "dead", "v", "PX", "1")
    c.check("SET", "live", "v")
    time.sleep(0.01)
    for _ in range(20):
        assert c.cmd("RANDOMKEY") == b"live"


# --------------------------------------------------------------------------
# OBJECT
# --------------------------------------------------------------------------

ENCODINGS = [
    ("1", "int", INT_MAX), ("0", "int", INT_MAX), ("9999", "int", INT_MAX),
    ("10000", "int", 1), ("-1", "int", 1), ("9223372036854775807", "int", 1),
    ("-9223372036854775808", "int", 1), ("12345678901234567890", "embstr", 1),
    ("01", "embstr", 1), (" 1", "embstr", 1), ("1.5", "embstr", 1), ("", "embstr", 1),
    ("hello", "embstr", 1), ("x" * 44, "embstr", 1), ("x" * 45, "raw", 1),
    ("1" * 45, "raw", 1),
]


def test_object_encoding_and_refcount_of_strings(c):
    for i, (value, encoding, refcount) in enumerate(ENCODINGS):
        c.check("SET", f"k{i}", value)
        assert c.cmd("OBJECT", "ENCODING", f"k{i}") == encoding.encode(), value
        assert c.cmd("OBJECT", "refcount", f"k{i}") == refcount, value


def test_object_encoding_after_incr_and_copy(c):
    c.check("SET", "n", "abc" * 20)
    c.check("SET", "n", "10")
    assert c.cmd("INCR", "n") == 11
    assert c.cmd("OBJECT", "ENCODING", "n") == b"int"
    assert c.cmd("OBJECT", "REFCOUNT", "n") == INT_MAX
    assert c.cmd("INCRBY", "n", "100000") == 100011
    assert c.cmd("OBJECT", "REFCOUNT", "n") == 1
    c.check("SET", "s", "x" * 50)
    c.check("COPY", "s", "s2")
    c.check("RENAME", "s2", "s3")
    assert c.cmd("OBJECT", "ENCODING", "s3") == b"raw"


def test_object_missing_key_and_errors(c, c3):
    assert c.cmd_raw("OBJECT", "ENCODING", "missing") == b"$-1\r\n"
    assert c3.cmd_raw("OBJECT", "ENCODING", "missing") == b"_\r\n"
    assert c.cmd_raw("OBJECT", "REFCOUNT", "missing") == b"$-1\r\n"
    assert err(c.cmd("OBJECT")) == "ERR wrong number of arguments for 'object' command"
    assert err(c.cmd("OBJECT", "foo")) == "ERR unknown subcommand 'foo'. Try OBJECT HELP."
    assert err(c.cmd("OBJECT", "ENCODING")) == \
        "ERR wrong number of arguments for 'object|encoding' command"
    assert err(c.cmd("OBJECT", "ENCODING", "a", "b")) == \
        "ERR wrong number of arguments for 'object|encoding' command"
    assert err(c.cmd("OBJECT", "HELP", "x")) == \
        "ERR wrong number of arguments for 'object|help' command"


def test_object_help(c, c3):
    lines = c.cmd("OBJECT", "HELP")
    assert all(isinstance(x, SimpleString) for x in lines)
    assert lines[0] == b"OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"
    assert lines[-2:] == [b"HELP", b"    Prints this help."]
    assert b"ENCODING <key>" in lines and b"REFCOUNT <key>" in lines
    assert len(lines) == 15
    assert c3.cmd("OBJECT", "help") == lines


# --------------------------------------------------------------------------
# WAIT, FLUSHDB / FLUSHALL modes
# --------------------------------------------------------------------------

def test_wait_without_replicas(c):
    c.check("SET", "k", "v")
    assert c.cmd("WAIT", "0", "0") == 0
    assert c.cmd("WAIT", "0", "100") == 0
    assert c.cmd("WAIT", "-1", "0") == 0
    assert err(c.cmd("WAIT", "x", "0")) == NOT_INT
    assert err(c.cmd("WAIT", "0", "x")) == "ERR timeout is not an integer or out of range"
    assert err(c.cmd("WAIT", "0", "1.5")) == "ERR timeout is not an integer or out of range"
    assert err(c.cmd("WAIT", "0", "-1")) == "ERR timeout is negative"
    assert err(c.cmd("WAIT", "x", "-1")) == NOT_INT
    assert err(c.cmd("WAIT", "0")) == "ERR wrong number of arguments for 'wait' command"


@pytest.mark.parametrize("mode", [None, "ASYNC", "SYNC", "async", "sync"])
def test_flushdb_and_flushall_modes(c, mode):
    extra = [mode] if mode else []
    c.check("SET", "a", "1")
    in_db(c, 1, "SET", "b", "1")
    assert c.cmd("FLUSHDB", *extra) == b"OK"
    assert c.cmd("DBSIZE") == 0
    assert in_db(c, 1, "DBSIZE") == 1
    assert c.cmd("FLUSHALL", *extra) == b"OK"
    assert in_db(c, 1, "DBSIZE") == 0


def test_flush_mode_errors(c):
    for cmd in ("FLUSHDB", "FLUSHALL"):
        assert err(c.cmd(cmd, "foo")) == SYNTAX
        assert err(c.cmd(cmd, "SYNC", "ASYNC")) == SYNTAX
        assert err(c.cmd(cmd, "ASYNC", "ASYNC")) == SYNTAX


# --------------------------------------------------------------------------
# Strata-only: SCAN's guarantee under concurrent writes; restarts
# --------------------------------------------------------------------------

@pytest.mark.strata_only
def test_scan_returns_every_stable_key_under_concurrent_writes(flushed_server):
    r = flushed_server.client()
    stable = {f"stable:{i}".encode() for i in range(20000)}
    names = sorted(stable)
    for i in range(0, len(names), 1000):
        r.mset({k: b"v" for k in names[i:i + 1000]})
    stop = threading.Event()
    churned = set()

    def churn():
        w = flushed_server.client()
        rng = random.Random(7)
        while not stop.is_set():
            pipe = w.pipeline(transaction=False)
            for _ in range(50):
                k = f"churn:{rng.randrange(5000)}".encode()
                churned.add(k)
                if rng.random() < 0.5:
                    pipe.set(k, b"v")
                else:
                    pipe.delete(k)
            pipe.execute()

    writer = threading.Thread(target=churn)
    writer.start()
    try:
        c = flushed_server.resp()
        seen, calls = full_scan(c, "COUNT", "97", limit=10000)
    finally:
        stop.set()
        writer.join()
    got = set(seen)
    assert stable <= got, f"{len(stable - got)} stable keys missing"
    assert got <= stable | churned
    # Each call advances; the scan ends after about (records / COUNT) calls.
    assert calls <= (len(stable) + 5000) // 97 + 10


@pytest.mark.strata_only
def test_swapdb_and_rename_survive_restart(server):
    c = server.resp()
    c.check("SET", "zero", "0")
    c.check("SET", "ttl", "v", "EX", "1000")
    in_db(c, 1, "SET", "one", "1")
    c.check("SWAPDB", "0", "1")
    c.check("RENAME", "one", "renamed")
    assert in_db(c, 1, "MOVE", "ttl", "3") == 1
    c.close()
    server.restart()
    c = server.resp()
    assert c.cmd("KEYS", "*") == [b"renamed"]
    assert c.cmd("GET", "renamed") == b"1"
    assert c.cmd("DBSIZE") == 1
    assert in_db(c, 1, "KEYS", "*") == [b"zero"]
    assert in_db(c, 1, "DBSIZE") == 1
    assert 990 <= in_db(c, 3, "TTL", "ttl") <= 1000
    info = c.cmd("INFO", "keyspace").decode()
    assert "db0:keys=1,expires=0" in info
    assert "db3:keys=1,expires=1" in info
    c.close()


def test_object_encoding_of_strings_written_in_place(c):
    # Redis decides the encoding by how a value was written: APPEND to an
    # existing key, SETRANGE, SETBIT, BITFIELD and BITOP leave "raw" even for
    # short values; INCRBYFLOAT gives "embstr"; APPEND to a new key encodes.
    c.check("SET", "a", "12")
    assert c.cmd("APPEND", "a", "3") == 3
    assert c.cmd("APPEND", "fresh", "42") == 2
    assert c.cmd("SETRANGE", "r", "0", "7") == 1
    assert c.cmd("SETBIT", "b", "7", "1") == 0
    assert c.cmd("BITFIELD", "f", "SET", "u8", "0", "65") == [0]
    c.check("SET", "src", "x")
    assert c.cmd("BITOP", "NOT", "dst", "src") == 1
    assert c.cmd("INCRBYFLOAT", "fl", "3") == b"3"
    c.check("SET", "big", "z" * 20000)
    c.check("SET", "ex", "5")
    assert c.cmd("APPEND", "ex", "5") == 2
    assert c.cmd("EXPIRE", "ex", "100") == 1
    want = {"a": b"raw", "fresh": b"int", "r": b"raw", "b": b"raw", "f": b"raw",
            "dst": b"raw", "fl": b"embstr", "big": b"raw", "ex": b"raw"}
    assert {k: c.cmd("OBJECT", "ENCODING", k) for k in want} == want
