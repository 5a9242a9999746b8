"""Stream commands without consumer groups: XADD (NOMKSTREAM, MAXLEN/MINID
with = and ~, LIMIT, *, ms-*, explicit IDs), XLEN, XRANGE, XREVRANGE, XDEL,
XTRIM, XSETID, XREAD, XINFO STREAM (and FULL), with their exact errors and
RESP3 shapes; TYPE, OBJECT ENCODING, DEL, COPY, RENAME, expiry. Strata only:
a 200k-entry stream read from the middle, restart.
Expected values are those of redis-server 7.0.15."""

import threading
import time

import pytest

from resp3 import RespMap
from replies import err, NOT_INT, SYNTAX, WRONGTYPE

INVALID_ID = "ERR Invalid stream ID specified as stream command argument"
TOO_SMALL = "ERR The ID specified in XADD is equal or smaller than the target stream top item"
ZERO_ID = "ERR The ID specified in XADD must be greater than 0-0"

def add(c, key, ident, *fv):
    return c.cmd("XADD", key, ident, *(fv or ("f", "v")))


def ids(entries):
    return [e[0] for e in entries]


def fill(c, key, n, start=1):
    c.pipeline([("XADD", key, f"{i}-1", "i", str(i)) for i in range(start, start + n)])


# --------------------------------------------------------------------------
# arity and wrong type
# --------------------------------------------------------------------------

@pytest.mark.parametrize("args", [
    ["XADD", "s", "*"], ["XADD", "s", "*", "f"], ["XADD", "s", "*", "f", "v", "g"],
    ["XADD", "s"], ["XADD", "s", "MAXLEN", "5"], ["XADD", "s", "NOMKSTREAM", "*"],
    ["XLEN"], ["XLEN", "s", "x"], ["XRANGE", "s", "-"], ["XREVRANGE", "s", "+"],
    ["XDEL", "s"], ["XTRIM", "s"], ["XTRIM", "s", "MAXLEN"], ["XSETID", "s"],
    ["XREAD", "STREAMS", "s"], ["XREAD", "COUNT", "1"], ["XINFO", "STREAM"], ["XINFO"],
])
def test_arity(c, args):
    name = args[0].lower() if args[0] != "XINFO" or len(args) == 1 else "xinfo|stream"
    assert err(c.cmd(*args)) == f"ERR wrong number of arguments for '{name}' command"


@pytest.mark.parametrize("args", [
    ["XADD", "str", "*", "f", "v"], ["XADD", "str", "NOMKSTREAM", "*", "f", "v"], ["XLEN", "str"],
    ["XRANGE", "str", "-", "+"], ["XREVRANGE", "str", "+", "-"], ["XDEL", "str", "1-1"],
    ["XDEL", "str", "bad"], ["XTRIM", "str", "MAXLEN", "1"], ["XSETID", "str", "1-1"],
    ["XREAD", "STREAMS", "str", "0"], ["XREAD", "STREAMS", "str", "$"],
    ["XINFO", "STREAM", "str"], ["XINFO", "STREAM", "str", "FULL"],
])
def test_wrong_type(c, args):
    c.check("SET", "str", "x")
    assert err(c.cmd(*args)) == WRONGTYPE
    assert c.cmd("GET", "str") == b"x"


def test_type_encoding_and_keyspace(c):
    add(c, "s", "1-1")
    assert c.cmd("TYPE", "s") == b"stream"
    assert c.cmd("OBJECT", "ENCODING", "s") == b"stream"
    assert c.cmd("SCAN", "0", "TYPE", "stream") == [b"0", [b"s"]]
    assert err(c.cmd("GET", "s")) == WRONGTYPE
    assert c.cmd("COPY", "s", "t") == 1
    add(c, "s", "2-1")
    assert c.cmd("XLEN", "t") == 1 and c.cmd("XLEN", "s") == 2
    assert info_map(c, "t")[b"last-generated-id"] == b"1-1"
    assert c.cmd("RENAME", "s", "u") == b"OK"
    assert ids(c.cmd("XRANGE", "u", "-", "+")) == [b"1-1", b"2-1"]
    assert c.cmd("EXISTS", "s") == 0
    assert c.cmd("DEL", "u", "t") == 2
    assert c.cmd("XLEN", "u") == 0
    add(c, "e", "1-1")
    assert c.cmd("PEXPIRE", "e", "50") == 1
    time.sleep(0.1)
    assert c.cmd("XLEN", "e") == 0 and c.cmd("EXISTS", "e") == 0


# --------------------------------------------------------------------------
# XADD
# --------------------------------------------------------------------------

def test_xadd_ids(c):
    before = int(time.time() * 1000)
    auto = c.cmd("XADD", "s", "*", "f", "v")
    ms, seq = map(int, auto.split(b"-"))
    assert before <= ms <= int(time.time() * 1000) + 1 and seq == 0
    assert c.cmd("XADD", "t", "5", "f", "v") == b"5-0"
    assert c.cmd("XADD", "t", "5-*", "f", "v") == b"5-1"
    assert c.cmd("XADD", "t", "6-*", "f", "v") == b"6-0"
    assert c.cmd("XADD", "t", "6-7", "f", "v") == b"6-7"
    assert c.cmd("XADD", "n", "0-*", "f", "v") == b"0-1"
    assert err(c.cmd("XADD", "t", "6-7", "f", "v")) == TOO_SMALL
    assert err(c.cmd("XADD", "t", "6", "f", "v")) == TOO_SMALL
    assert err(c.cmd("XADD", "t", "5-*", "f", "v")) == TOO_SMALL
    assert err(c.cmd("XADD", "z", "0-0", "f", "v")) == ZERO_ID
    assert err(c.cmd("XADD", "z", "0", "f", "v")) == ZERO_ID
    assert c.cmd("EXISTS", "z") == 0
    for bad in ["-", "+", "abc", "1-2-3", "-1", "1-", "18446744073709551616", "1-x", "*-1"]:
        assert err(c.cmd("XADD", "t", bad, "f", "v")) == INVALID_ID, bad
    top = "18446744073709551615-18446744073709551615"
    assert c.cmd("XADD", "t", top, "f", "v") == top.encode()
    assert err(c.cmd("XADD", "t", "*", "f", "v")) == \
        "ERR The stream has exhausted the last possible ID, unable to add more items"
    assert err(c.cmd("XADD", "t", "1-1", "f", "v")) == \
        "ERR The stream has exhausted the last possible ID, unable to add more items"
    c.check("XADD", "m", "18446744073709551615-5", "f", "v")
    assert c.cmd("XADD", "m", "*", "f", "v") == b"18446744073709551615-6"
    assert c.cmd("XADD", "m", "18446744073709551615-*", "f", "v") == b"18446744073709551615-7"


def test_xadd_auto_ids_increase_within_a_millisecond(c):
    got = [c.cmd("XADD", "s", "*", "f", "v") for _ in range(50)]
    parsed = [tuple(map(int, g.split(b"-"))) for g in got]
    assert parsed == sorted(set(parsed))


def test_xadd_fields_and_binary(c):
    c.check("XADD", "s", "1-1", "a", "1", "a", "2", "", "", "bin\x00x", "\xff")
    assert c.cmd("XRANGE", "s", "-", "+") == \
        [[b"1-1", [b"a", b"1", b"a", b"2", b"", b"", b"bin\x00x", "\xff".encode()]]]
    big = "x" * 20000
    c.check("XADD", "s", "2-1", "big", big)
    assert c.cmd("XRANGE", "s", "2", "2") == [[b"2-1", [b"big", big.encode()]]]


def test_xadd_nomkstream(c):
    assert c.cmd("XADD", "s", "NOMKSTREAM", "*", "f", "v") is None
    assert c.cmd("EXISTS", "s") == 0
    add(c, "s", "1-1")
    assert c.cmd("XADD", "s", "nomkstream", "2-1", "f", "v") == b"2-1"


@pytest.mark.parametrize("args,error", [
    (["MAXLEN", "-1"], "ERR The MAXLEN argument must be >= 0."),
    (["MAXLEN", "x"], NOT_INT),
    (["MAXLEN", "~", "x"], NOT_INT),
    (["MAXLEN", "1", "MINID", "5"],
     "ERR syntax error, MAXLEN and MINID options at the same time are not compatible"),
    (["MINID", "1", "MAXLEN", "5"],
     "ERR syntax error, MAXLEN and MINID options at the same time are not compatible"),
    (["MINID", "bad"], INVALID_ID),
    (["MINID", "-"], INVALID_ID),
    (["LIMIT", "5"], "ERR syntax error, LIMIT cannot be used without specifying a trimming strategy"),
    (["LIMIT", "0"], "ERR syntax error, LIMIT cannot be used without the special ~ option"),
    (["MAXLEN", "5", "LIMIT", "5"], "ERR syntax error, LIMIT cannot be used without the special ~ option"),
    (["MAXLEN", "=", "5", "LIMIT", "5"],
     "ERR syntax error, LIMIT cannot be used without the special ~ option"),
    (["MAXLEN", "~", "5", "LIMIT", "-1"], "ERR The LIMIT argument must be >= 0."),
    (["MAXLEN", "~", "5", "LIMIT", "x"], NOT_INT),
])
def test_xadd_trim_option_errors(c, args, error):
    assert err(c.cmd("XADD", "s", *args, "*", "f", "v")) == error
    assert c.cmd("EXISTS", "s") == 0


def test_xadd_maxlen_and_minid_exact(c):
    fill(c, "s", 10)
    assert c.cmd("XADD", "s", "MAXLEN", "5", "11-1", "f", "v") == b"11-1"
    assert ids(c.cmd("XRANGE", "s", "-", "+")) == [f"{i}-1".encode() for i in range(7, 12)]
    assert c.cmd("XADD", "s", "MAXLEN", "=", "3", "12-1", "f", "v") == b"12-1"
    assert c.cmd("XLEN", "s") == 3
    assert c.cmd("XADD", "s", "MINID", "12", "13-1", "f", "v") == b"13-1"
    assert ids(c.cmd("XRANGE", "s", "-", "+")) == [b"12-1", b"13-1"]
    assert c.cmd("XADD", "s", "MAXLEN", "0", "14-1", "f", "v") == b"14-1"
    assert c.cmd("XLEN", "s") == 0 and c.cmd("EXISTS", "s") == 1
    info = c.cmd("XINFO", "STREAM", "s")
    assert info[info.index(b"entries-added") + 1] == 14
    assert info[info.index(b"max-deleted-entry-id") + 1] == b"0-0"


def test_approximate_trimming_removes_whole_nodes(c):
    fill(c, "s", 250)
    # ~ removes only whole 100-entry nodes while the rest holds MAXLEN.
    assert c.cmd("XADD", "s", "MAXLEN", "~", "200", "251-1", "f", "v") == b"251-1"
    assert c.cmd("XLEN", "s") == 251
    assert c.cmd("XTRIM", "s", "MAXLEN", "~", "150") == 100
    assert c.cmd("XRANGE", "s", "-", "+", "COUNT", "1")[0][0] == b"101-1"
    assert c.cmd("XTRIM", "s", "MAXLEN", "~", "0", "LIMIT", "50") == 0
    assert c.cmd("XTRIM", "s", "MINID", "~", "150") == 0
    assert c.cmd("XTRIM", "s", "MINID", "~", "200") == 0
    assert c.cmd("XTRIM", "s", "MINID", "~", "201") == 100
    assert c.cmd("XLEN", "s") == 51
    assert c.cmd("XTRIM", "s", "MAXLEN", "~", "0") == 51
    assert c.cmd("XLEN", "s") == 0


def test_xtrim(c):
    assert c.cmd("XTRIM", "nokey", "MAXLEN", "0") == 0
    assert err(c.cmd("XTRIM", "nokey", "MAXLEN", "x")) == NOT_INT
    fill(c, "s", 10)
    assert err(c.cmd("XTRIM", "s", "FOO", "1")) == SYNTAX
    assert err(c.cmd("XTRIM", "s", "LIMIT", "1", "x")) == SYNTAX
    assert err(c.cmd("XTRIM", "s", "LIMIT", "1", "2")) == SYNTAX
    assert err(c.cmd("XTRIM", "s", "MAXLEN", "1", "LIMIT", "1")) == \
        "ERR syntax error, LIMIT cannot be used without the special ~ option"
    assert err(c.cmd("XTRIM", "s", "MAXLEN", "1", "NOMKSTREAM")) == SYNTAX
    assert c.cmd("XTRIM", "s", "MAXLEN", "8") == 2
    assert c.cmd("XTRIM", "s", "MAXLEN", "8") == 0
    assert c.cmd("XTRIM", "s", "MINID", "5-1") == 2
    assert c.cmd("XTRIM", "s", "MINID", "=", "6") == 1
    assert ids(c.cmd("XRANGE", "s", "-", "+", "COUNT", "1")) == [b"6-1"]
    info = c.cmd("XINFO", "STREAM", "s")
    assert info[info.index(b"recorded-first-entry-id") + 1] == b"6-1"
    assert c.cmd("XTRIM", "s", "MINID", "99") == 5
    assert c.cmd("XLEN", "s") == 0 and c.cmd("TYPE", "s") == b"stream"


# --------------------------------------------------------------------------
# XRANGE / XREVRANGE
# --------------------------------------------------------------------------

def test_ranges(c):
    assert c.cmd("XRANGE", "nokey", "-", "+") == []
    assert c.cmd("XRANGE", "nokey", "-", "+", "COUNT", "0") == []
    fill(c, "s", 5)
    add(c, "s", "5-2")
    all_ids = [b"1-1", b"2-1", b"3-1", b"4-1", b"5-1", b"5-2"]
    assert ids(c.cmd("XRANGE", "s", "-", "+")) == all_ids
    assert ids(c.cmd("XREVRANGE", "s", "+", "-")) == all_ids[::-1]
    assert ids(c.cmd("XRANGE", "s", "2", "4")) == [b"2-1", b"3-1", b"4-1"]
    assert ids(c.cmd("XRANGE", "s", "5", "5")) == [b"5-1", b"5-2"]
    assert ids(c.cmd("XRANGE", "s", "(2-1", "(4-1")) == [b"3-1"]
    assert ids(c.cmd("XRANGE", "s", "(5-1", "+")) == [b"5-2"]
    assert ids(c.cmd("XREVRANGE", "s", "(5-2", "(1-1")) == [b"5-1", b"4-1", b"3-1", b"2-1"]
    assert ids(c.cmd("XRANGE", "s", "-", "+", "COUNT", "2")) == [b"1-1", b"2-1"]
    assert ids(c.cmd("XREVRANGE", "s", "+", "-", "COUNT", "2")) == [b"5-2", b"5-1"]
    assert ids(c.cmd("XRANGE", "s", "-", "+", "COUNT", "1", "COUNT", "3")) == all_ids[:3]
    assert c.cmd("XRANGE", "s", "-", "+", "COUNT", "0") is None
    assert c.cmd("XRANGE", "s", "-", "+", "COUNT", "-1") is None
    assert c.cmd("XRANGE", "s", "4", "2") == []
    assert c.cmd("XREVRANGE", "s", "2", "4") == []
    assert err(c.cmd("XRANGE", "s", "(", "+")) == INVALID_ID
    assert err(c.cmd("XRANGE", "s", "(-", "+")) == INVALID_ID
    assert err(c.cmd("XRANGE", "s", "-", "(+")) == INVALID_ID
    assert err(c.cmd("XRANGE", "s", "x", "+")) == INVALID_ID
    assert err(c.cmd("XRANGE", "nokey", "x", "+")) == INVALID_ID
    assert err(c.cmd("XRANGE", "s", "(18446744073709551615-18446744073709551615", "+")) == \
        "ERR invalid start ID for the interval"
    assert err(c.cmd("XRANGE", "s", "-", "(0-0")) == "ERR invalid end ID for the interval"
    assert err(c.cmd("XRANGE", "s", "-", "+", "COUNT")) == SYNTAX
    assert err(c.cmd("XRANGE", "s", "-", "+", "COUNT", "x")) == NOT_INT
    assert err(c.cmd("XRANGE", "s", "-", "+", "LIMIT", "1")) == SYNTAX
    c.check("SET", "str", "x")
    assert err(c.cmd("XRANGE", "str", "-", "+", "COUNT", "x")) == NOT_INT


def test_range_shapes_resp3(c3):
    c3.check("XADD", "s", "1-1", "a", "1", "b", "2")
    assert c3.cmd("XRANGE", "s", "-", "+") == [[b"1-1", [b"a", b"1", b"b", b"2"]]]
    assert c3.cmd_raw("XRANGE", "s", "-", "+", "COUNT", "0") == b"_\r\n"
    assert c3.cmd_raw("XRANGE", "nokey", "-", "+") == b"*0\r\n"


def test_ranges_match_a_model(c):
    import random
    rng = random.Random(7)
    model = []
    ms = 0
    for _ in range(300):
        ms += rng.choice([0, 1, 2])
        got = c.cmd("XADD", "s", f"{ms}-*", "k", str(ms))
        model.append(got)
    for victim in rng.sample(model, 60):
        assert c.cmd("XDEL", "s", victim) == 1
        model.remove(victim)
    for _ in range(40):
        lo, hi = sorted(rng.randint(0, ms + 1) for _ in range(2))
        count = rng.randint(1, 30)
        want = [i for i in model if lo <= int(i.split(b"-")[0]) <= hi]
        assert ids(c.cmd("XRANGE", "s", lo, hi)) == want
        assert ids(c.cmd("XRANGE", "s", lo, hi, "COUNT", count)) == want[:count]
        assert ids(c.cmd("XREVRANGE", "s", hi, lo, "COUNT", count)) == want[::-1][:count]
    assert c.cmd("XLEN", "s") == len(model)


# --------------------------------------------------------------------------
# XDEL / XSETID / XINFO STREAM
# --------------------------------------------------------------------------

def info_map(c, *args):
    flat = c.cmd("XINFO", "STREAM", *args)
    return dict(zip(flat[0::2], flat[1::2]))


def test_xdel(c):
    assert c.cmd("XDEL", "nokey", "bad") == 0
    fill(c, "s", 5)
    assert err(c.cmd("XDEL", "s", "1-1", "bad")) == INVALID_ID
    assert c.cmd("XLEN", "s") == 5
    assert err(c.cmd("XDEL", "s", "-")) == INVALID_ID
    assert c.cmd("XDEL", "s", "1-1", "1-1", "3", "9-9") == 1
    info = info_map(c, "s")
    assert info[b"max-deleted-entry-id"] == b"1-1"
    assert info[b"recorded-first-entry-id"] == b"2-1"
    assert c.cmd("XDEL", "s", "3-1", "2-1") == 2
    info = info_map(c, "s")
    assert info[b"max-deleted-entry-id"] == b"3-1"
    assert info[b"recorded-first-entry-id"] == b"4-1"
    assert c.cmd("XDEL", "s", "4-1", "5-1") == 2
    info = info_map(c, "s")
    assert info[b"length"] == 0 and info[b"recorded-first-entry-id"] == b"0-0"
    assert info[b"last-generated-id"] == b"5-1" and info[b"entries-added"] == 5
    assert info[b"first-entry"] is None and info[b"last-entry"] is None
    assert c.cmd("EXISTS", "s") == 1
    assert err(c.cmd("XADD", "s", "5-1", "f", "v")) == TOO_SMALL


def test_xsetid(c):
    assert err(c.cmd("XSETID", "nokey", "1-1")) == "ERR no such key"
    assert err(c.cmd("XSETID", "nokey", "bad")) == INVALID_ID
    assert err(c.cmd("XSETID", "nokey", "1-1", "FOO")) == SYNTAX
    assert err(c.cmd("XSETID", "nokey", "1-1", "ENTRIESADDED")) == SYNTAX
    assert err(c.cmd("XSETID", "nokey", "1-1", "ENTRIESADDED", "x")) == NOT_INT
    assert err(c.cmd("XSETID", "nokey", "1-1", "ENTRIESADDED", "-1")) == \
        "ERR entries_added must be positive"
    assert err(c.cmd("XSETID", "nokey", "1-1", "MAXDELETEDID", "2-1")) == \
        "ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id"
    assert err(c.cmd("XSETID", "nokey", "1-1", "MAXDELETEDID", "+")) == INVALID_ID
    fill(c, "s", 3)
    assert err(c.cmd("XSETID", "s", "2-1")) == \
        "ERR The ID specified in XSETID is smaller than the target stream top item"
    assert err(c.cmd("XSETID", "s", "5-1", "ENTRIESADDED", "2")) == \
        "ERR The entries_added specified in XSETID is smaller than the target stream length"
    assert c.cmd("XSETID", "s", "3-1") == b"OK"
    assert c.cmd("XSETID", "s", "9-9", "ENTRIESADDED", "50", "MAXDELETEDID", "4-0") == b"OK"
    info = info_map(c, "s")
    assert info[b"last-generated-id"] == b"9-9"
    assert info[b"entries-added"] == 50
    assert info[b"max-deleted-entry-id"] == b"4-0"
    assert c.cmd("XSETID", "s", "3-9") == b"OK"  # 7.0.15 does not compare with max-deleted
    assert c.cmd("XSETID", "s", "9-9") == b"OK"
    auto = c.cmd("XADD", "s", "*", "f", "v")
    assert int(auto.split(b"-")[0]) > 1_000_000
    assert err(c.cmd("XADD", "s", "9-9", "f", "v")) == TOO_SMALL
    assert err(c.cmd("XSETID", "s", "4-0")) == \
        "ERR The ID specified in XSETID is smaller than the target stream top item"
    assert c.cmd("XDEL", "s", "1-1", "2-1", "3-1", auto) == 4
    assert c.cmd("XSETID", "s", "4-0") == b"OK"
    assert info_map(c, "s")[b"last-generated-id"] == b"4-0"


def test_xsetid_on_an_empty_stream_goes_below_the_last_id(c):
    add(c, "s", "5-1")
    c.check("XDEL", "s", "5-1")
    assert c.cmd("XSETID", "s", "5-2") == b"OK"
    assert c.cmd("XSETID", "s", "1-0") == b"OK"  # empty: any ID, even below max-deleted
    assert info_map(c, "s")[b"max-deleted-entry-id"] == b"5-1"
    assert c.cmd("XADD", "s", "2-0", "f", "v") == b"2-0"
    assert err(c.cmd("XSETID", "s", "1-5", "MAXDELETEDID", "0-5")) == \
        "ERR The ID specified in XSETID is smaller than the target stream top item"
    c.check("XDEL", "s", "2-0")
    assert c.cmd("XSETID", "s", "5-1", "ENTRIESADDED", "0") == b"OK"
    assert info_map(c, "s")[b"entries-added"] == 0


def test_xinfo_stream(c):
    assert err(c.cmd("XINFO", "STREAM", "nokey")) == "ERR no such key"
    assert err(c.cmd("XINFO", "STREAM", "nokey", "FOO")) == "ERR no such key"
    c.check("XADD", "s", "1-1", "a", "1", "b", "2")
    c.check("XADD", "s", "2-1", "c", "3")
    assert c.cmd("XINFO", "STREAM", "s") == [
        b"length", 2, b"radix-tree-keys", 1, b"radix-tree-nodes", 2,
        b"last-generated-id", b"2-1", b"max-deleted-entry-id", b"0-0", b"entries-added", 2,
        b"recorded-first-entry-id", b"1-1", b"groups", 0,
        b"first-entry", [b"1-1", [b"a", b"1", b"b", b"2"]], b"last-entry", [b"2-1", [b"c", b"3"]]]
    full = [b"length", 2, b"radix-tree-keys", 1, b"radix-tree-nodes", 2,
            b"last-generated-id", b"2-1", b"max-deleted-entry-id", b"0-0", b"entries-added", 2,
            b"recorded-first-entry-id", b"1-1",
            b"entries", [[b"1-1", [b"a", b"1", b"b", b"2"]], [b"2-1", [b"c", b"3"]]],
            b"groups", []]
    assert c.cmd("XINFO", "STREAM", "s", "FULL") == full
    assert c.cmd("XINFO", "STREAM", "s", "full", "count", "0") == full
    assert c.cmd("XINFO", "STREAM", "s", "FULL", "COUNT", "-3") == full
    assert c.cmd("XINFO", "STREAM", "s", "FULL", "COUNT", "1")[15] == \
        [[b"1-1", [b"a", b"1", b"b", b"2"]]]
    syntax = "ERR unknown subcommand or wrong number of arguments for 'STREAM'. Try XINFO HELP."
    assert err(c.cmd("XINFO", "STREAM", "s", "FOO")) == syntax
    assert err(c.cmd("XINFO", "STREAM", "s", "FULL", "COUNT")) == syntax
    assert err(c.cmd("XINFO", "STREAM", "s", "FULL", "LIMIT", "1")) == syntax
    assert err(c.cmd("XINFO", "STREAM", "s", "FULL", "COUNT", "1", "x")) == syntax
    assert err(c.cmd("XINFO", "STREAM", "s", "FULL", "COUNT", "x")) == NOT_INT
    assert err(c.cmd("XINFO", "stream", "s", "x")) == \
        "ERR unknown subcommand or wrong number of arguments for 'stream'. Try XINFO HELP."


def test_xinfo_stream_full_default_count_is_ten(c):
    fill(c, "s", 15)
    info = info_map(c, "s", "FULL")
    assert ids(info[b"entries"]) == [f"{i}-1".encode() for i in range(1, 11)]
    assert len(info_map(c, "s", "FULL", "COUNT", "0")[b"entries"]) == 15


def test_xinfo_stream_resp3(c3):
    c3.check("XADD", "s", "1-1", "a", "1")
    info = c3.cmd("XINFO", "STREAM", "s")
    assert isinstance(info, RespMap)
    assert info[b"first-entry"] == [b"1-1", [b"a", b"1"]]
    assert info[b"last-generated-id"] == b"1-1"
    full = c3.cmd("XINFO", "STREAM", "s", "FULL")
    assert isinstance(full, RespMap) and full[b"groups"] == []
    c3.check("XDEL", "s", "1-1")
    assert c3.cmd_raw("XINFO", "STREAM", "s").endswith(
        b"$11\r\nfirst-entry\r\n_\r\n$10\r\nlast-entry\r\n_\r\n")


# --------------------------------------------------------------------------
# XREAD
# --------------------------------------------------------------------------

def test_xread(c):
    fill(c, "a", 3)
    fill(c, "b", 2, start=10)
    got = c.cmd("XREAD", "STREAMS", "a", "b", "0", "0")
    assert [k for k, _ in got] == [b"a", b"b"]
    assert ids(got[0][1]) == [b"1-1", b"2-1", b"3-1"]
    assert c.cmd("XREAD", "COUNT", "1", "STREAMS", "a", "b", "1-1", "10-1") == \
        [[b"a", [[b"2-1", [b"i", b"2"]]]], [b"b", [[b"11-1", [b"i", b"11"]]]]]
    assert c.cmd("XREAD", "STREAMS", "a", "b", "3-1", "10") == \
        [[b"b", [[b"10-1", [b"i", b"10"]], [b"11-1", [b"i", b"11"]]]]]
    assert c.cmd("XREAD", "STREAMS", "a", "b", "$", "$") is None
    assert c.cmd("XREAD", "STREAMS", "nokey", "0") is None
    assert ids(c.cmd("XREAD", "STREAMS", "a", "3")[0][1]) == [b"3-1"]
    assert ids(c.cmd("XREAD", "STREAMS", "a", "2")[0][1]) == [b"2-1", b"3-1"]
    assert ids(c.cmd("XREAD", "COUNT", "0", "STREAMS", "a", "0")[0][1]) == \
        [b"1-1", b"2-1", b"3-1"]
    assert ids(c.cmd("XREAD", "COUNT", "-5", "STREAMS", "a", "0")[0][1]) == \
        [b"1-1", b"2-1", b"3-1"]
    assert ids(c.cmd("XREAD", "BLOCK", "0", "STREAMS", "a", "2-1")[0][1]) == [b"3-1"]
    assert ids(c.cmd("xread", "count", "1", "block", "100", "streams", "a", "0")[0][1]) == [b"1-1"]
    c.check("XDEL", "a", "3-1")
    assert c.cmd("XREAD", "STREAMS", "a", "2-1") is None
    assert ids(c.cmd("XREAD", "STREAMS", "a", "a", "0", "1-1")[1][1]) == [b"2-1"]


def test_xread_errors(c):
    fill(c, "s", 2)
    c.check("SET", "str", "x")
    cases = [
        (["STREAMS", "s", "0", "x"], "ERR Unbalanced XREAD list of streams: for each stream "
                                     "key an ID or '$' must be specified."),
        (["STREAMS", "s", "bad"], INVALID_ID),
        (["STREAMS", "s", "-"], INVALID_ID),
        (["STREAMS", "s", "+"], INVALID_ID),
        (["STREAMS", "s", ">"], "ERR The > ID can be specified only when calling XREADGROUP "
                                "using the GROUP <group> <consumer> option."),
        (["STREAMS", "s", "str", "bad", "0"], INVALID_ID),
        (["STREAMS", "s", "str", "0", "bad"], WRONGTYPE),
        (["STREAMS", "str", "s", "0", "bad"], WRONGTYPE),
        (["COUNT", "x", "STREAMS", "s", "0"], NOT_INT),
        (["BLOCK", "x", "STREAMS", "s", "0"], "ERR timeout is not an integer or out of range"),
        (["BLOCK", "-1", "STREAMS", "s", "0"], "ERR timeout is negative"),
        (["BLOCK", "1.5", "STREAMS", "s", "0"], "ERR timeout is not an integer or out of range"),
        (["NOACK", "STREAMS", "s", "0"],
         "ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead."),
        (["GROUP", "g", "c", "STREAMS", "s", "0"],
         "ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead."),
        (["FOO", "STREAMS", "s", "0"], SYNTAX),
        (["COUNT", "1", "s", "0"], SYNTAX),
        (["COUNT", "1", "BLOCK", "1", "x"], SYNTAX),
    ]
    for args, error in cases:
        assert err(c.cmd("XREAD", *args)) == error, args


def test_xread_resp3_is_a_map(c3):
    c3.check("XADD", "a", "1-1", "f", "v")
    c3.check("XADD", "b", "1-1", "g", "w")
    got = c3.cmd("XREAD", "STREAMS", "a", "b", "0", "0")
    assert isinstance(got, RespMap)
    assert got == {b"a": [[b"1-1", [b"f", b"v"]]], b"b": [[b"1-1", [b"g", b"w"]]]}
    assert c3.cmd_raw("XREAD", "STREAMS", "a", "$") == b"_\r\n"


def test_xread_block_is_woken_by_another_clients_xadd(flushed_server):
    reader = flushed_server.resp()
    writer = flushed_server.resp()
    add(writer, "s", "1-1")
    result = {}

    def read():
        result["got"] = reader.cmd("XREAD", "BLOCK", "5000", "STREAMS", "s", "nokey", "$", "$")

    t = threading.Thread(target=read)
    t.start()
    time.sleep(0.2)
    writer.check("XADD", "nokey", "7-1", "f", "v")
    t.join(5)
    assert result["got"] == [[b"nokey", [[b"7-1", [b"f", b"v"]]]]]
    assert reader.cmd("XREAD", "BLOCK", "100", "STREAMS", "s", "1-1") is None
    reader.close()
    writer.close()


def test_xread_block_zero_waits_for_data(flushed_server):
    reader = flushed_server.resp()
    writer = flushed_server.resp()
    result = {}
    t = threading.Thread(target=lambda: result.setdefault(
        "got", reader.cmd("XREAD", "COUNT", "1", "BLOCK", "0", "STREAMS", "s", "0")))
    t.start()
    time.sleep(0.2)
    assert "got" not in result
    writer.check("XADD", "s", "1-1", "a", "1")
    t.join(5)
    assert result["got"] == [[b"s", [[b"1-1", [b"a", b"1"]]]]]
    reader.close()
    writer.close()


def test_xread_block_in_multi_does_not_block(flushed_server):
    c = flushed_server.resp()
    assert c.cmd("MULTI") == b"OK"
    assert c.cmd("XREAD", "BLOCK", "0", "STREAMS", "s", "$") == b"QUEUED"
    assert c.cmd("EXEC") == [None]


def test_xread_block_timeout_and_fifo_between_readers(flushed_server):
    writer = flushed_server.resp()
    add(writer, "s", "1-1")
    r1, r2 = flushed_server.resp(), flushed_server.resp()
    assert r1.cmd("XREAD", "BLOCK", "50", "STREAMS", "s", "$") is None
    got = {}
    t1 = threading.Thread(target=lambda: got.setdefault(
        "r1", r1.cmd("XREAD", "BLOCK", "5000", "STREAMS", "s", "$")))
    t1.start()
    time.sleep(0.2)
    t2 = threading.Thread(target=lambda: got.setdefault(
        "r2", r2.cmd("XREAD", "BLOCK", "5000", "STREAMS", "s", "1-1")))
    t2.start()
    time.sleep(0.2)
    writer.check("XADD", "s", "2-1", "f", "v")
    t1.join(5)
    t2.join(5)
    # Both are served by the one XADD: each sees the entries after its own ID.
    assert got["r1"] == [[b"s", [[b"2-1", [b"f", b"v"]]]]]
    assert got["r2"] == [[b"s", [[b"2-1", [b"f", b"v"]]]]]


def test_xread_block_ignores_writes_of_another_type_until_an_xadd(flushed_server):
    reader, writer = flushed_server.resp(), flushed_server.resp()
    got = {}
    t = threading.Thread(target=lambda: got.setdefault(
        "r", reader.cmd("XREAD", "BLOCK", "5000", "STREAMS", "s", "$")))
    t.start()
    time.sleep(0.2)
    writer.check("SET", "s", "string now")
    time.sleep(0.2)
    assert "r" not in got
    writer.check("DEL", "s")
    writer.check("XADD", "s", "3-1", "f", "v")
    t.join(5)
    assert got["r"] == [[b"s", [[b"3-1", [b"f", b"v"]]]]]


# --------------------------------------------------------------------------
# Strata only: size, persistence
# --------------------------------------------------------------------------

@pytest.mark.strata_only
def test_large_stream_reads_from_the_middle(server):
    c = server.resp()
    n = 200_000
    batch = 5000
    for start in range(0, n, batch):
        c.pipeline([("XADD", "big", f"{i + 1}-0", "n", str(i)) for i in range(start, start + batch)])
    assert c.cmd("XLEN", "big") == n
    t0 = time.time()
    for _ in range(50):
        got = c.cmd("XRANGE", "big", "100000", "+", "COUNT", "10")
        assert ids(got) == [f"{i}-0".encode() for i in range(100000, 100010)]
        assert ids(c.cmd("XREVRANGE", "big", "(150000-0", "-", "COUNT", "3")) == \
            [b"149999-0", b"149998-0", b"149997-0"]
        assert c.cmd("XREAD", "COUNT", "2", "STREAMS", "big", "199998-0") == \
            [[b"big", [[b"199999-0", [b"n", b"199998"]], [b"200000-0", [b"n", b"199999"]]]]]
    assert time.time() - t0 < 5
    assert c.cmd("XDEL", "big", "100000-0") == 1
    # 199,999 entries: nine whole 100-entry nodes go, a tenth would leave too few.
    assert c.cmd("XTRIM", "big", "MAXLEN", "~", "199000") == 900
    server.restart()
    c = server.resp()
    assert c.cmd("XLEN", "big") == n - 901
    info = dict(zip(*[iter(c.cmd("XINFO", "STREAM", "big"))] * 2))
    assert info[b"recorded-first-entry-id"] == b"901-0"
    assert info[b"max-deleted-entry-id"] == b"100000-0"
    assert info[b"entries-added"] == n
    assert c.cmd("DEL", "big") == 1
    c.close()
