"""SORT and SORT_RO: every option (ASC/DESC, ALPHA, LIMIT, BY, GET, STORE) on
lists, sets and sorted sets; BY/GET with string keys and hash fields, missing
and wrong-type pattern keys, BY nosort (stored order, LIMIT on the range),
STORE (replacing any type, deleting the destination when empty), LIMIT edge
cases against a model of Redis's window rule, numeric parsing (strtod) and its
error, option errors before the type check, RESP3 nulls, SORT inside MULTI,
and a randomized check against a Python model. Expected values are
redis-server 7.0.15's; a set's own order is compared exactly only where
Redis's is defined (an intset)."""

import random
import threading

import pytest

from replies import err, NOT_INT, SYNTAX, WRONGTYPE
from resp3 import encode_command

NOT_DOUBLE = "ERR One or more scores can't be converted into double"
LMAX = 2**63 - 1
LMIN = -2**63


def b(*xs):
    return [x.encode() if isinstance(x, str) else x for x in xs]


def window(offset, count, size):
    """Redis's LIMIT rule (sort.c), with the overflowing sum saturated."""
    start = max(offset, 0)
    end = size - 1 if count < 0 else min(start + count - 1, LMAX)
    if start >= size:
        start, end = size - 1, size - 2
    end = min(end, size - 1)
    return start, end


def limited(xs, offset, count):
    start, end = window(offset, count, len(xs))
    return xs[start:end + 1] if end >= start else []


# --------------------------------------------------------------------------
# arity, syntax, wrong type
# --------------------------------------------------------------------------

@pytest.mark.parametrize("cmd", ["SORT", "SORT_RO"])
def test_arity(c, cmd):
    assert err(c.cmd(cmd)) == f"ERR wrong number of arguments for '{cmd.lower()}' command"


@pytest.mark.parametrize("args", [
    ["foo"], ["LIMIT"], ["LIMIT", "0"], ["BY"], ["GET"], ["STORE"], ["ASC", "nope"],
    ["LIMIT", "0", "1", "2"], ["DESC", "GET", "#", "BY"],
])
@pytest.mark.parametrize("cmd", ["SORT", "SORT_RO"])
def test_syntax_errors(c, cmd, args):
    c.cmd("RPUSH", "l", "1")
    assert err(c.cmd(cmd, "l", *args)) == SYNTAX


def test_sort_ro_refuses_store(c):
    c.cmd("RPUSH", "l", "2", "1")
    assert err(c.cmd("SORT_RO", "l", "STORE", "d")) == SYNTAX
    assert c.cmd("EXISTS", "d") == 0
    assert c.cmd("SORT_RO", "l") == b("1", "2")


@pytest.mark.parametrize("limit", [["a", "1"], ["0", "x"], ["1.5", "1"], ["0", "99999999999999999999"]])
def test_limit_not_integer(c, limit):
    c.cmd("RPUSH", "l", "1")
    assert err(c.cmd("SORT", "l", "LIMIT", *limit)) == NOT_INT


def test_wrong_type(c):
    c.cmd("SET", "str", "x")
    c.cmd("HSET", "h", "f", "1")
    for key in ("str", "h"):
        assert err(c.cmd("SORT", key)) == WRONGTYPE
        assert err(c.cmd("SORT_RO", key)) == WRONGTYPE
        assert err(c.cmd("SORT", key, "STORE", "d")) == WRONGTYPE
    assert c.cmd("EXISTS", "d") == 0


def test_option_errors_come_before_the_type_check(c):
    c.cmd("SET", "str", "x")
    assert err(c.cmd("SORT", "str", "foo")) == SYNTAX
    assert err(c.cmd("SORT", "str", "LIMIT", "x", "1")) == NOT_INT


def test_missing_key_is_an_empty_list(c):
    assert c.cmd("SORT", "nokey") == []
    assert c.cmd("SORT_RO", "nokey", "BY", "nosort", "GET", "#", "LIMIT", "0", "5") == []
    c.cmd("RPUSH", "d", "x")
    assert c.cmd("SORT", "nokey", "STORE", "d") == 0
    assert c.cmd("EXISTS", "d") == 0


# --------------------------------------------------------------------------
# numeric and ALPHA sorting of each source type
# --------------------------------------------------------------------------

def test_numeric_list(c):
    c.cmd("RPUSH", "l", "3", "-1", "10", "2.5", "1e2", "-inf", "inf", "0")
    assert c.cmd("SORT", "l") == b("-inf", "-1", "0", "2.5", "3", "10", "1e2", "inf")
    assert c.cmd("SORT", "l", "DESC") == b("inf", "1e2", "10", "3", "2.5", "0", "-1", "-inf")
    assert c.cmd("SORT", "l", "ASC") == c.cmd("SORT", "l")
    assert c.cmd("SORT_RO", "l", "DESC") == c.cmd("SORT", "l", "DESC")


def test_numeric_parsing_is_strtod(c):
    # Leading spaces, hex, an empty string (0) parse; equal values tie by bytes.
    c.cmd("RPUSH", "l", "", " 2", "0x10", "-inf", "inf", "1e3", "01", "1", "1.0", "-0")
    assert c.cmd("SORT", "l") == b("-inf", "", "-0", "01", "1", "1.0", " 2", "0x10", "1e3", "inf")
    assert c.cmd("SORT", "l", "DESC") == \
        b("inf", "1e3", "0x10", " 2", "1.0", "1", "01", "-0", "", "-inf")


@pytest.mark.parametrize("bad", ["abc", "1 ", "1x", "nan", "1e400", "1e-400", "--1"])
def test_not_a_double(c, bad):
    c.cmd("RPUSH", "l", "1", bad, "2")
    assert err(c.cmd("SORT", "l")) == NOT_DOUBLE
    assert err(c.cmd("SORT", "l", "STORE", "d")) == NOT_DOUBLE
    assert c.cmd("EXISTS", "d") == 0
    # ALPHA and BY nosort do not parse.
    assert len(c.cmd("SORT", "l", "ALPHA")) == 3
    assert c.cmd("SORT", "l", "BY", "nosort") == b("1", bad, "2")


def test_alpha(c):
    words = ["pear", "Apple", "apple", "banana", "10", "9", "", "zeta", "a b", "\u00e9t\u00e9"]
    c.cmd("RPUSH", "l", *words)
    assert err(c.cmd("SORT", "l")) == NOT_DOUBLE
    expected = sorted(w.encode() for w in words)
    assert c.cmd("SORT", "l", "ALPHA") == expected
    assert c.cmd("SORT", "l", "ALPHA", "DESC") == expected[::-1]
    assert c.cmd("SORT", "l", "ALPHA", "STORE", "d") == len(words)
    assert c.cmd("LRANGE", "d", 0, -1) == expected


def test_binary_elements(c):
    c.cmd("RPUSH", "l", b"b\x00z", b"b\x00a", b"\xff", b"a")
    # STORE compares bytes (memcmp); without it, strcoll stops at a NUL byte.
    assert c.cmd("SORT", "l", "ALPHA", "STORE", "d") == 4
    assert c.cmd("LRANGE", "d", 0, -1) == [b"a", b"b\x00a", b"b\x00z", b"\xff"]
    got = c.cmd("SORT", "l", "ALPHA")
    assert got[0] == b"a" and got[3] == b"\xff" and sorted(got[1:3]) == [b"b\x00a", b"b\x00z"]


def test_intset(c):
    c.cmd("SADD", "s", "5", "-3", "100", "0", "7")
    assert c.cmd("SORT", "s") == b("-3", "0", "5", "7", "100")
    assert c.cmd("SORT", "s", "DESC", "LIMIT", "1", "2") == b("7", "5")
    assert c.cmd("SORT", "s", "ALPHA") == b("-3", "0", "100", "5", "7")
    # BY nosort: the intset's own (ascending) order, then the window.
    assert c.cmd("SORT", "s", "BY", "nosort") == b("-3", "0", "5", "7", "100")
    assert c.cmd("SORT", "s", "BY", "nosort", "LIMIT", "1", "2") == b("0", "5")


def test_hashtable_set(c):
    members = [f"m{i}" for i in range(20)]
    c.cmd("SADD", "s", *members)
    expected = sorted(m.encode() for m in members)
    assert c.cmd("SORT", "s", "ALPHA") == expected
    assert c.cmd("SORT", "s", "ALPHA", "DESC", "LIMIT", "0", "3") == expected[::-1][:3]
    assert err(c.cmd("SORT", "s")) == NOT_DOUBLE
    # BY nosort keeps the set's own order (unspecified) ...
    assert sorted(c.cmd("SORT", "s", "BY", "nosort")) == expected
    # ... except with STORE, where Redis sorts it by bytes for determinism.
    assert c.cmd("SORT", "s", "BY", "nosort", "STORE", "d") == 20
    assert c.cmd("LRANGE", "d", 0, -1) == expected
    assert c.cmd("SORT", "s", "BY", "nosort", "DESC", "LIMIT", "1", "2", "STORE", "d") == 2
    assert c.cmd("LRANGE", "d", 0, -1) == expected[::-1][1:3]


def test_zset(c):
    c.cmd("ZADD", "z", "3", "10", "1", "30", "2", "20", "2", "5")
    # Sorted by the members' values, not the scores.
    assert c.cmd("SORT", "z") == b("5", "10", "20", "30")
    assert c.cmd("SORT", "z", "DESC") == b("30", "20", "10", "5")
    # BY nosort: score order (ties by member), DESC reverses, LIMIT is the range.
    assert c.cmd("SORT", "z", "BY", "nosort") == b("30", "20", "5", "10")
    assert c.cmd("SORT", "z", "BY", "nosort", "DESC") == b("10", "5", "20", "30")
    assert c.cmd("SORT", "z", "BY", "nosort", "LIMIT", "1", "2") == b("20", "5")
    assert c.cmd("SORT", "z", "BY", "nosort", "DESC", "LIMIT", "1", "2") == b("5", "20")
    assert c.cmd("SORT", "z", "BY", "nosort", "LIMIT", "3", "10") == b("10")
    assert c.cmd("SORT", "z", "BY", "nosort", "LIMIT", "4", "1") == []
    c.cmd("ZADD", "z", "0", "word")
    assert err(c.cmd("SORT", "z")) == NOT_DOUBLE
    assert c.cmd("SORT", "z", "BY", "nosort", "LIMIT", "0", "1") == b("word")


@pytest.mark.parametrize("args", [[], ["BY", "nosort", "LIMIT", "0", "0"], ["ALPHA"]])
@pytest.mark.parametrize("cmd", ["SORT", "SORT_RO"])
def test_sort_leaves_a_zset_in_skiplist_encoding(c, cmd, args):
    c.cmd("ZADD", "z", "1", "10", "2", "x")  # "x" makes the numeric sort fail
    assert c.cmd("OBJECT", "ENCODING", "z") == b"listpack"
    c.cmd(cmd, "z", *args)
    assert c.cmd("OBJECT", "ENCODING", "z") == b"skiplist"
    c.cmd("ZADD", "small", "1", "a")
    c.cmd("SORT", "small", "STORE", "small")  # fails: nothing stored
    assert c.cmd("OBJECT", "ENCODING", "small") == b"skiplist"
    assert c.cmd("SORT", "small", "ALPHA", "STORE", "small") == 1
    assert c.cmd("OBJECT", "ENCODING", "small") == b"quicklist"


def test_big_zset_by_nosort(c):
    n = 300  # a skiplist in Redis
    c.cmd("ZADD", "z", *[x for i in range(n) for x in (i % 7, f"m{i:03}")])
    order = sorted((i % 7, f"m{i:03}") for i in range(n))
    members = [m.encode() for _, m in order]
    assert c.cmd("SORT", "z", "BY", "nosort") == members
    assert c.cmd("SORT", "z", "BY", "nosort", "LIMIT", "250", "20") == members[250:270]
    assert c.cmd("SORT", "z", "BY", "nosort", "DESC", "LIMIT", "5", "3") == members[::-1][5:8]
    assert c.cmd("SORT", "z", "ALPHA", "LIMIT", "0", "3") == sorted(members)[:3]


def test_list_by_nosort(c):
    c.cmd("RPUSH", "l", "c", "a", "d", "b")
    assert c.cmd("SORT", "l", "BY", "nosort") == b("c", "a", "d", "b")
    assert c.cmd("SORT", "l", "BY", "nosort", "DESC") == b("b", "d", "a", "c")
    assert c.cmd("SORT", "l", "BY", "nosort", "LIMIT", "1", "2") == b("a", "d")
    assert c.cmd("SORT", "l", "BY", "nosort", "DESC", "LIMIT", "1", "2") == b("d", "a")
    assert c.cmd("SORT", "l", "BY", "nosort", "LIMIT", "3", "5") == b("b")
    assert c.cmd("SORT", "l", "BY", "nosort", "LIMIT", "9", "5") == []
    # Any BY pattern without '*' means "do not sort"; "#" too.
    assert c.cmd("SORT", "l", "BY", "#") == b("c", "a", "d", "b")
    assert c.cmd("SORT", "l", "BY", "w_->f", "DESC") == b("b", "d", "a", "c")
    assert c.cmd("SORT", "l", "BY", "nosort", "STORE", "d") == 4
    assert c.cmd("LRANGE", "d", 0, -1) == b("c", "a", "d", "b")


# --------------------------------------------------------------------------
# LIMIT
# --------------------------------------------------------------------------

LIMITS = [(0, 0), (0, 1), (1, 2), (-5, 2), (2, -1), (-1, -1), (3, 1), (4, 1), (5, 3),
          (0, 100), (1, LMAX), (2, LMAX), (5, LMAX), (LMAX, 1), (LMIN, 2), (0, LMIN),
          (3, 0), (2, LMAX - 1)]


@pytest.mark.parametrize("offset,count", LIMITS)
def test_limit_window(c, offset, count):
    values = [7, 3, 9, 1, 5]
    c.cmd("RPUSH", "l", *values)
    c.cmd("ZADD", "z", *[x for i, v in enumerate(values) for x in (i, v)])
    asc = [str(v).encode() for v in sorted(values)]
    lim = ["LIMIT", offset, count]
    assert c.cmd("SORT", "l", *lim) == limited(asc, offset, count)
    assert c.cmd("SORT", "l", "DESC", *lim) == limited(asc[::-1], offset, count)
    stored = c.cmd("SORT", "l", *lim, "STORE", "d")
    assert stored == len(limited(asc, offset, count))
    assert c.cmd("LRANGE", "d", 0, -1) == limited(asc, offset, count)
    listed = [str(v).encode() for v in values]
    for src in ("l", "z"):  # list order and score order are the same here
        assert c.cmd("SORT", src, "BY", "nosort", *lim) == limited(listed, offset, count)
        assert c.cmd("SORT", src, "BY", "nosort", "DESC", *lim) == \
            limited(listed[::-1], offset, count)
    gets = c.cmd("SORT", "l", *lim, "GET", "#", "GET", "nokey_*")
    assert gets == [x for v in limited(asc, offset, count) for x in (v, None)]


def test_limit_on_empty_source(c):
    assert c.cmd("SORT", "nokey", "LIMIT", "0", "10") == []
    assert c.cmd("SORT", "nokey", "LIMIT", "-1", "-1", "GET", "#") == []


def test_last_option_wins(c):
    c.cmd("RPUSH", "l", "2", "1", "3")
    c.cmd("MSET", "w_1", "3", "w_2", "2", "w_3", "1")
    assert c.cmd("SORT", "l", "DESC", "ASC") == b("1", "2", "3")
    assert c.cmd("SORT", "l", "LIMIT", "0", "1", "LIMIT", "1", "5") == b("2", "3")
    assert c.cmd("SORT", "l", "BY", "w_*") == b("3", "2", "1")
    # A BY without '*' stops sorting for good: a later BY does not undo it.
    assert c.cmd("SORT", "l", "BY", "nosort", "BY", "w_*") == b("2", "1", "3")
    assert c.cmd("SORT", "l", "BY", "w_*", "BY", "nosort") == b("2", "1", "3")
    assert c.cmd("SORT", "l", "STORE", "a", "STORE", "bb") == 3
    assert c.cmd("EXISTS", "a") == 0 and c.cmd("LLEN", "bb") == 3


# --------------------------------------------------------------------------
# BY and GET patterns
# --------------------------------------------------------------------------

def fill_users(c):
    c.cmd("RPUSH", "uids", "1", "2", "3", "4")
    c.cmd("MSET", "weight_1", "40", "weight_2", "10", "weight_3", "30", "weight_4", "20",
          "name_1", "ann", "name_2", "bob", "name_3", "cy")
    c.cmd("HSET", "user_1", "age", "33", "city", "rome")
    c.cmd("HSET", "user_2", "age", "21", "city", "oslo")
    c.cmd("HSET", "user_3", "age", "45")
    c.cmd("HSET", "user_4", "age", "27", "city", "lima")


def test_by_string_keys(c):
    fill_users(c)
    assert c.cmd("SORT", "uids", "BY", "weight_*") == b("2", "4", "3", "1")
    assert c.cmd("SORT", "uids", "BY", "weight_*", "DESC") == b("1", "3", "4", "2")
    assert c.cmd("SORT", "uids", "BY", "weight_*", "LIMIT", "1", "2") == b("4", "3")
    assert c.cmd("SORT_RO", "uids", "BY", "weight_*") == b("2", "4", "3", "1")


def test_by_hash_fields(c):
    fill_users(c)
    assert c.cmd("SORT", "uids", "BY", "user_*->age") == b("2", "4", "1", "3")
    assert c.cmd("SORT", "uids", "BY", "user_*->city", "ALPHA") == b("3", "4", "2", "1")
    assert c.cmd("SORT", "uids", "BY", "user_*->city", "ALPHA", "DESC") == b("1", "2", "4", "3")
    assert err(c.cmd("SORT", "uids", "BY", "user_*->city")) == NOT_DOUBLE


def test_by_missing_keys(c):
    c.cmd("RPUSH", "l", "b", "c", "a", "d")
    c.cmd("MSET", "w_b", "5", "w_d", "-1")
    # A missing key scores 0; ties go by the element's bytes.
    assert c.cmd("SORT", "l", "BY", "w_*") == b("d", "a", "c", "b")
    assert c.cmd("SORT", "l", "BY", "nokey_*") == b("a", "b", "c", "d")
    assert c.cmd("SORT", "l", "BY", "nokey_*", "DESC") == b("d", "c", "b", "a")
    # Under ALPHA a missing key sorts first (ties keep the list's order).
    c.cmd("MSET", "n_b", "x", "n_c", "m")
    assert c.cmd("SORT", "l", "BY", "n_*", "ALPHA") == b("a", "d", "c", "b")
    assert c.cmd("SORT", "l", "BY", "n_*", "ALPHA", "DESC") == b("b", "c", "a", "d")
    assert c.cmd("SORT", "l", "BY", "nokey_*", "ALPHA") == b("b", "c", "a", "d")


def test_by_wrong_type_key_counts_as_missing(c):
    c.cmd("RPUSH", "l", "x", "y")
    c.cmd("RPUSH", "w_x", "9")      # a list, not a string
    c.cmd("SET", "w_y", "1")
    assert c.cmd("SORT", "l", "BY", "w_*") == b("x", "y")
    c.cmd("SET", "h_x", "notahash")
    c.cmd("HSET", "h_y", "f", "-1")
    assert c.cmd("SORT", "l", "BY", "h_*->f") == b("y", "x")
    assert c.cmd("SORT", "l", "GET", "w_*", "GET", "h_*->f", "BY", "nosort") == \
        [None, None, b"1", b"-1"]


def test_pattern_shapes(c):
    c.cmd("RPUSH", "l", "1", "2")
    c.cmd("MSET", "pre1post", "b", "pre2post", "a", "k*1", "s1", "k*2", "s2")
    assert c.cmd("SORT", "l", "BY", "pre*post", "ALPHA") == b("2", "1")
    assert c.cmd("SORT", "l", "BY", "nosort", "GET", "pre*post") == b("b", "a")
    # Only the first '*' is replaced.
    c.cmd("MSET", "1*", "one", "2*", "two")
    assert c.cmd("SORT", "l", "BY", "nosort", "GET", "**") == b("one", "two")
    # "->" with nothing after it is part of the key name.
    c.cmd("MSET", "h1->", "v1")
    assert c.cmd("SORT", "l", "BY", "nosort", "GET", "h*->") == [b"v1", None]
    # "->" before the '*' is not a field separator.
    c.cmd("MSET", "a->b1", "z")
    assert c.cmd("SORT", "l", "BY", "nosort", "GET", "a->b*") == [b"z", None]
    # The field is everything after the first "->" that follows the '*'.
    c.cmd("HSET", "f1", "x->y", "deep")
    assert c.cmd("SORT", "l", "BY", "nosort", "GET", "f*->x->y") == [b"deep", None]
    # A GET pattern without '*' (other than "#") never names a key.
    c.cmd("SET", "fixed", "v")
    assert c.cmd("SORT", "l", "GET", "fixed") == [None, None]


def test_get(c):
    fill_users(c)
    assert c.cmd("SORT", "uids", "BY", "weight_*", "GET", "#", "GET", "name_*",
                 "GET", "user_*->city", "GET", "user_*->age") == \
        [b"2", b"bob", b"oslo", b"21", b"4", None, b"lima", b"27",
         b"3", b"cy", None, b"45", b"1", b"ann", b"rome", b"33"]
    assert c.cmd("SORT", "uids", "GET", "name_*", "LIMIT", "2", "5") == [b"cy", None]
    assert c.cmd("SORT", "uids", "GET", "#", "GET", "#", "LIMIT", "0", "1") == b("1", "1")
    assert c.cmd("SORT", "uids", "BY", "nosort", "GET", "nokey_*") == [None] * 4


def test_get_resp3_nulls(flushed_server):
    c3 = flushed_server.resp(3)
    c3.cmd("RPUSH", "l", "1", "2")
    c3.cmd("SET", "v_1", "a")
    raw = c3.cmd_raw("SORT", "l", "GET", "v_*", "GET", "#")
    assert raw == b"*4\r\n$1\r\na\r\n$1\r\n1\r\n_\r\n$1\r\n2\r\n"
    assert c3.cmd_raw("SORT", "l", "STORE", "d") == b":2\r\n"
    assert c3.cmd_raw("SORT", "nokey") == b"*0\r\n"
    c2 = flushed_server.resp(2)
    assert c2.cmd_raw("SORT", "l", "GET", "v_*") == b"*2\r\n$1\r\na\r\n$-1\r\n"
    c3.close()
    c2.close()


# --------------------------------------------------------------------------
# STORE
# --------------------------------------------------------------------------

def test_store(c):
    fill_users(c)
    assert c.cmd("SORT", "uids", "BY", "weight_*", "GET", "name_*", "STORE", "out") == 4
    # A missing GET value is stored as an empty string.
    assert c.cmd("LRANGE", "out", 0, -1) == b("bob", "", "cy", "ann")
    assert c.cmd("TYPE", "out") == b"list"
    assert c.cmd("OBJECT", "ENCODING", "out") == b"quicklist"
    assert c.cmd("SORT", "uids", "GET", "#", "GET", "user_*->age", "STORE", "out") == 8
    assert c.cmd("LRANGE", "out", 0, -1) == b("1", "33", "2", "21", "3", "45", "4", "27")
    # The stored list is an ordinary list.
    assert c.cmd("RPUSH", "out", "x") == 9
    assert c.cmd("LPOP", "out") == b"1"


def test_store_replaces_any_type_and_clears_ttl(c):
    c.cmd("RPUSH", "l", "2", "1")
    for make in (["SET", "d", "x"], ["HSET", "d", "f", "v"], ["SADD", "d", "m"],
                 ["ZADD", "d", "1", "m"], ["RPUSH", "d", "a", "b", "c", "d", "e"]):
        c.cmd("DEL", "d")
        c.cmd(*make)
        c.cmd("EXPIRE", "d", 1000)
        assert c.cmd("SORT", "l", "STORE", "d") == 2
        assert c.cmd("LRANGE", "d", 0, -1) == b("1", "2")
        assert c.cmd("TTL", "d") == -1


def test_store_empty_result_deletes_destination(c):
    c.cmd("RPUSH", "l", "1", "2")
    c.cmd("SET", "d", "x")
    assert c.cmd("SORT", "l", "LIMIT", "5", "1", "STORE", "d") == 0
    assert c.cmd("EXISTS", "d") == 0
    assert c.cmd("SORT", "l", "LIMIT", "0", "0", "STORE", "d") == 0
    assert c.cmd("EXISTS", "d") == 0


def test_store_onto_the_source(c):
    c.cmd("RPUSH", "l", "3", "1", "2")
    assert c.cmd("SORT", "l", "DESC", "STORE", "l") == 3
    assert c.cmd("LRANGE", "l", 0, -1) == b("3", "2", "1")
    c.cmd("SADD", "s", "b", "a")
    assert c.cmd("SORT", "s", "ALPHA", "STORE", "s") == 2
    assert c.cmd("TYPE", "s") == b"list"
    assert c.cmd("LRANGE", "s", 0, -1) == b("a", "b")


# --------------------------------------------------------------------------
# transactions, larger inputs, a randomized model check
# --------------------------------------------------------------------------

def test_sort_in_multi(c):
    fill_users(c)
    c.check("MULTI")
    c.cmd("SET", "weight_2", "100")
    c.cmd("SORT", "uids", "BY", "weight_*", "GET", "name_*")
    c.cmd("SORT", "uids", "BY", "user_*->age", "STORE", "out")
    c.cmd("SORT_RO", "uids", "DESC", "LIMIT", "0", "2")
    got = c.cmd("EXEC")
    assert got[0] == b"OK"
    assert got[1] == [None, b"cy", b"ann", b"bob"]
    assert got[2] == 4
    assert got[3] == b("4", "3")
    assert c.cmd("LRANGE", "out", 0, -1) == b("2", "4", "1", "3")


def test_large_list_by_and_get(c):
    n = 5000
    rng = random.Random(7)
    weights = rng.sample(range(100000), n)
    c.pipeline([["RPUSH", "l", *range(i, min(i + 1000, n))] for i in range(0, n, 1000)])
    c.pipeline([["MSET", *[x for j in range(i, min(i + 1000, n)) for x in (f"w_{j}", weights[j])]]
                for i in range(0, n, 1000)])
    order = sorted(range(n), key=lambda j: weights[j])
    assert c.cmd("SORT", "l", "BY", "w_*", "LIMIT", "100", "50") == \
        [str(j).encode() for j in order[100:150]]
    assert c.cmd("SORT", "l", "BY", "w_*", "GET", "w_*", "DESC", "STORE", "d") == n
    assert c.cmd("LRANGE", "d", 0, 4) == \
        [str(w).encode() for w in sorted(weights, reverse=True)[:5]]
    assert c.cmd("SORT", "l", "DESC", "LIMIT", "0", "3") == b(str(n - 1), str(n - 2), str(n - 3))


def test_randomized_against_a_model(c):
    rng = random.Random(20261201)
    for round_ in range(40):
        c.cmd("FLUSHDB")
        n = rng.randint(0, 30)
        elements = [str(rng.randint(-50, 50)) for _ in range(n)]
        if elements:
            c.cmd("RPUSH", "l", *elements)
        weights = {}
        for e in set(elements):
            if rng.random() < 0.7:
                weights[e] = rng.choice([rng.randint(-9, 9), rng.uniform(-5, 5)])
                c.cmd("SET", f"w_{e}", repr(weights[e]))
        desc = rng.random() < 0.5
        offset, count = rng.randint(-3, n + 3), rng.randint(-3, n + 3)
        use_by = rng.random() < 0.5
        args = ["SORT", "l", "LIMIT", offset, count] + (["DESC"] if desc else [])
        if use_by:
            args += ["BY", "w_*", "GET", "#", "GET", "w_*"]
            key = lambda e: (weights.get(e, 0), e.encode())
        else:
            key = lambda e: (int(e), e.encode())
        ordered = sorted(elements, key=key, reverse=desc)
        window_ = limited(ordered, offset, count)
        if use_by:
            expected = [x for e in window_ for x in
                        (e.encode(), repr(weights[e]).encode() if e in weights else None)]
        else:
            expected = [e.encode() for e in window_]
        assert c.cmd(*args) == expected, (round_, args, elements)


@pytest.mark.server_args("--io-threads", "4")
def test_by_and_get_see_one_state_under_concurrent_writes(server):
    """A writer keeps replacing every weight at once (MSET of version v:
    w_i = v * 10**6 + i); each SORT ... BY w_* GET w_* must see one version
    throughout, as Redis's single thread guarantees (Strata runs the two
    clients' commands in parallel on its I/O threads)."""
    n, scale = 1000, 10**6
    setup = server.resp()
    setup.check("RPUSH", "l", *range(n))
    setup.check("MSET", *[x for i in range(n) for x in (f"w_{i}", i)])
    stop = threading.Event()
    # Two versions, encoded once, so the writer spends its time in the server.
    msets = [encode_command("MSET", *[x for i in range(n) for x in (f"w_{i}", v * scale + i)])
             for v in (1, 2)]

    def writer():
        w = server.resp()
        v = 0
        while not stop.is_set():
            w.sock.sendall(msets[v % 2])
            assert w.read_reply() == b"OK"
            v += 1
        w.close()

    t = threading.Thread(target=writer)
    t.start()
    mixed = []
    try:
        reader = server.resp()
        for _ in range(40):
            got = [int(x) for x in reader.check("SORT", "l", "BY", "w_*", "GET", "w_*")]
            versions = {x // scale for x in got}
            if len(versions) != 1 or [x % scale for x in got] != list(range(n)):
                mixed.append(sorted(versions))
        reader.close()
    finally:
        stop.set()
        t.join()
        setup.close()
    assert mixed == []
