"""Sorted sets: ZADD (NX/XX/GT/LT/CH/INCR), ZINCRBY, ZREM, ZCARD, ZSCORE,
ZMSCORE, ZRANK, ZREVRANK, the ZRANGE family (BYSCORE/BYLEX/REV/LIMIT/
WITHSCORES), ZRANGESTORE, ZCOUNT, ZLEXCOUNT, ZREMRANGEBY*, ZPOPMIN/MAX,
ZMPOP, ZRANDMEMBER, ZUNION/ZINTER/ZDIFF (+STORE, WEIGHTS, AGGREGATE),
ZINTERCARD, ZSCAN: exact replies and errors in RESP2 and RESP3, score
parsing and %.17g formatting, OBJECT ENCODING, large (skiplist) sets, and a
randomized check against a Python model. Strata-only: ZRANK ... WITHSCORE
(Redis 7.2). Expected values are those of redis-server 7.0.15."""

import math
import random
import time

import pytest

from resp3 import Double
from replies import err, NOT_FLOAT, NOT_INT, SYNTAX, WRONGTYPE

MINMAX_FLOAT = "ERR min or max is not a float"
MINMAX_LEX = "ERR min or max not valid string range item"

needs_set = pytest.mark.needs("sadd")


def flat(pairs):
    out = []
    for m, s in pairs:
        out += [m, s]
    return out


@pytest.mark.parametrize("args", [
    ["ZADD", "k", "1"], ["ZINCRBY", "k", "1"], ["ZREM", "k"], ["ZCARD"], ["ZSCORE", "k"],
    ["ZMSCORE", "k"], ["ZRANK", "k"], ["ZREVRANK", "k"], ["ZRANGE", "k", "0"],
    ["ZRANGESTORE", "d", "k", "0"], ["ZRANGEBYSCORE", "k", "0"], ["ZREVRANGEBYSCORE", "k", "0"],
    ["ZRANGEBYLEX", "k", "-"], ["ZREVRANGEBYLEX", "k", "+"], ["ZREVRANGE", "k", "0"],
    ["ZCOUNT", "k", "0"], ["ZLEXCOUNT", "k", "-"], ["ZREMRANGEBYRANK", "k", "0"],
    ["ZREMRANGEBYSCORE", "k", "0"], ["ZREMRANGEBYLEX", "k", "-"], ["ZPOPMIN"], ["ZPOPMAX"],
    ["ZMPOP", "1", "k"], ["ZRANDMEMBER"], ["ZUNION", "1"], ["ZUNIONSTORE", "d", "1"],
    ["ZINTER", "1"], ["ZINTERSTORE", "d", "1"], ["ZINTERCARD", "1"], ["ZDIFF", "1"],
    ["ZDIFFSTORE", "d", "1"], ["ZSCAN", "k"],
])
def test_arity(c, args):
    assert err(c.cmd(*args)) == \
        f"ERR wrong number of arguments for '{args[0].lower()}' command"


def test_wrong_type(c):
    c.cmd("SET", "s", "v")
    for args in [["ZADD", "s", "1", "a"], ["ZINCRBY", "s", "1", "a"], ["ZREM", "s", "a"],
                 ["ZCARD", "s"], ["ZSCORE", "s", "a"], ["ZMSCORE", "s", "a"], ["ZRANK", "s", "a"],
                 ["ZRANGE", "s", "0", "-1"], ["ZRANGEBYSCORE", "s", "0", "1"],
                 ["ZRANGEBYLEX", "s", "-", "+"], ["ZCOUNT", "s", "0", "1"],
                 ["ZLEXCOUNT", "s", "-", "+"], ["ZREMRANGEBYRANK", "s", "0", "1"],
                 ["ZPOPMIN", "s"], ["ZPOPMAX", "s", "2"], ["ZPOPMIN", "s", "0"],
                 ["ZRANDMEMBER", "s", "0"], ["ZRANDMEMBER", "s", "-5"], ["ZMPOP", "1", "s", "MIN"],
                 ["ZRANDMEMBER", "s"], ["ZRANDMEMBER", "s", "2"], ["ZUNION", "1", "s"],
                 ["ZINTERSTORE", "d", "1", "s"], ["ZDIFF", "1", "s"], ["ZINTERCARD", "1", "s"],
                 ["ZSCAN", "s", "0"], ["ZRANGESTORE", "d", "s", "0", "-1"],
                 # the sources' types are checked before the options after them
                 ["ZUNION", "1", "s", "AGGREGATE", "nope"], ["ZSCAN", "s", "0", "COUNT", "0"]]:
        assert err(c.cmd(*args)) == WRONGTYPE, args
    assert c.cmd("TYPE", "s") == b"string"
    # ZRANGESTORE overwrites a destination of any type
    c.cmd("ZADD", "z", "1", "a")
    assert c.cmd("ZRANGESTORE", "s", "z", "0", "-1") == 1
    assert c.cmd("TYPE", "s") == b"zset"


# --------------------------------------------------------------------------
# ZADD, ZINCRBY
# --------------------------------------------------------------------------

def test_zadd_basic_and_options(c):
    assert c.cmd("ZADD", "z", "1", "a", "2", "b") == 2
    assert c.cmd("ZADD", "z", "1", "a", "3", "b", "4", "c") == 1
    assert c.cmd("ZADD", "z", "CH", "1", "a", "5", "b", "6", "d") == 2
    assert c.cmd("ZADD", "z", "NX", "100", "a", "7", "e") == 1
    assert c.cmd("ZSCORE", "z", "a") == b"1"
    assert c.cmd("ZADD", "z", "XX", "CH", "10", "a", "8", "new") == 1
    assert c.cmd("ZSCORE", "z", "new") is None
    assert c.cmd("ZADD", "z", "GT", "CH", "5", "a", "20", "b") == 1   # a stays 10
    assert c.cmd("ZMSCORE", "z", "a", "b") == [b"10", b"20"]
    assert c.cmd("ZADD", "z", "LT", "CH", "15", "a", "1", "b", "9", "f") == 2  # f added
    assert c.cmd("ZMSCORE", "z", "a", "b", "f", "zz") == [b"10", b"1", b"9", None]
    assert c.cmd("ZADD", "z", "XX", "GT", "100", "a") == 0
    assert c.cmd("ZSCORE", "z", "a") == b"100"
    assert c.cmd("ZADD", "nokey", "XX", "1", "a") == 0
    assert c.cmd("EXISTS", "nokey") == 0
    assert c.cmd("ZCARD", "z") == 6
    assert c.cmd("ZCARD", "nokey") == 0
    assert c.cmd("ZADD", "z", "nx", "xx", "ch", "1", "q") is not None  # options are case-insensitive


def test_zadd_errors(c):
    assert err(c.cmd("ZADD", "z", "NX", "XX", "1", "a")) == \
        "ERR XX and NX options at the same time are not compatible"
    for opts in (["GT", "LT"], ["GT", "NX"], ["LT", "NX"]):
        assert err(c.cmd("ZADD", "z", *opts, "1", "a")) == \
            "ERR GT, LT, and/or NX options at the same time are not compatible"
    assert err(c.cmd("ZADD", "z", "INCR", "1", "a", "2", "b")) == \
        "ERR INCR option supports a single increment-element pair"
    assert err(c.cmd("ZADD", "z", "1", "a", "2")) == SYNTAX
    assert err(c.cmd("ZADD", "z", "NX", "XX")) == SYNTAX   # the pair count is checked first
    for bad in ["nan", "x", "", " 1", "1 ", "1e400", "-1e400", "1\x002", "1e-400"]:
        assert err(c.cmd("ZADD", "z", bad, "a")) == NOT_FLOAT, bad
    assert err(c.cmd("ZADD", "z", "1", "a", "x", "b")) == NOT_FLOAT
    assert c.cmd("EXISTS", "z") == 0   # nothing applied


def test_zadd_incr_and_zincrby(c):
    assert c.cmd("ZADD", "z", "INCR", "1.5", "a") == b"1.5"
    assert c.cmd("ZADD", "z", "INCR", "1", "a") == b"2.5"
    assert c.cmd("ZADD", "z", "INCR", "NX", "1", "a") is None
    assert c.cmd("ZADD", "z", "INCR", "XX", "1", "b") is None
    assert c.cmd("ZADD", "z", "INCR", "GT", "-1", "a") is None
    assert c.cmd("ZADD", "z", "INCR", "LT", "-1", "a") == b"1.5"
    assert c.cmd("ZINCRBY", "z", "0.1", "a") == b"1.6000000000000001"
    assert c.cmd("ZINCRBY", "z", "-5", "new") == b"-5"
    assert c.cmd("ZINCRBY", "z", "inf", "a") == b"inf"
    assert err(c.cmd("ZINCRBY", "z", "-inf", "a")) == "ERR resulting score is not a number (NaN)"
    assert c.cmd("ZSCORE", "z", "a") == b"inf"
    assert err(c.cmd("ZINCRBY", "z", "x", "a")) == NOT_FLOAT
    assert err(c.cmd("ZINCRBY", "z", "nx", "a")) == SYNTAX  # "nx" is read as an option
    assert c.cmd("ZINCRBY", "z", "1", "nx") == b"1"


def test_score_formatting(c, c3):
    c.cmd("ZADD", "z", "1.1", "a", "1e300", "b", "-0.5", "c", "3", "d", "0x10", "e",
          "1e-320", "f", "-inf", "g", "+inf", "h", "123456789012345678", "i")
    assert c.cmd("ZMSCORE", "z", "a", "b", "c", "d", "e", "f", "g", "h", "i") == [
        b"1.1000000000000001", b"1.0000000000000001e+300", b"-0.5", b"3", b"16",
        b"9.9998886718268301e-321", b"-inf", b"inf", b"1.2345678901234568e+17"]
    assert c3.cmd("ZSCORE", "z", "a") == 1.1
    assert isinstance(c3.cmd("ZSCORE", "z", "a"), Double)
    assert c3.cmd_raw("ZSCORE", "z", "h") == b",inf\r\n"
    assert c3.cmd_raw("ZSCORE", "z", "a") == b",1.1000000000000001\r\n"
    assert c3.cmd("ZSCORE", "z", "nope") is None
    assert c3.cmd_raw("ZSCORE", "z", "nope") == b"_\r\n"
    assert c3.cmd("ZINCRBY", "z", "1", "d") == 4.0
    assert isinstance(c3.cmd("ZINCRBY", "z", "1", "d"), Double)
    assert c3.cmd("ZMSCORE", "z", "d", "nope") == [5.0, None]


def test_negative_zero(c):
    # A listpack drops the sign of -0; a skiplist keeps it. -0 == 0 for order.
    c.cmd("ZADD", "small", "-0", "b", "0", "a")
    assert c.cmd("ZSCORE", "small", "b") == b"0"
    assert c.cmd("ZRANGE", "small", "0", "-1", "WITHSCORES") == [b"a", b"0", b"b", b"0"]
    c.cmd("ZADD", "big", *flat((str(i), f"m{i:03}") for i in range(1, 130)))
    assert c.cmd("OBJECT", "ENCODING", "big") == b"skiplist"
    c.cmd("ZADD", "big", "-0", "b", "0", "a")
    assert c.cmd("ZSCORE", "big", "b") == b"-0"
    assert c.cmd("ZRANGEBYSCORE", "big", "0", "0", "WITHSCORES") == [b"a", b"0", b"b", b"-0"]
    assert c.cmd("ZRANGEBYSCORE", "big", "-1", "(0") == []
    assert c.cmd("ZADD", "big", "CH", "0", "b") == 0   # -0 == 0: not an update
    assert c.cmd("ZSCORE", "big", "b") == b"-0"
    assert c.cmd("ZINCRBY", "big", "0", "b") == b"0"
    # ZRANGESTORE sizes its destination first: a big range keeps the sign
    assert c.cmd("ZRANGESTORE", "d", "big", "0", "-1") == 131
    assert c.cmd("ZSCORE", "d", "b") == b"-0"
    assert c.cmd("ZRANGESTORE", "d", "big", "0", "5") == 6
    assert c.cmd("ZSCORE", "d", "b") == b"0"
    # ZADD creates a listpack and converts it while adding
    c.cmd("ZADD", "n", "-0", "a", *flat((str(i), f"m{i}") for i in range(1, 131)))
    assert c.cmd("ZSCORE", "n", "a") == b"0"


def test_object_encoding(c):
    c.cmd("ZADD", "z", *flat((str(i), f"m{i}") for i in range(128)))
    assert c.cmd("OBJECT", "ENCODING", "z") == b"listpack"
    c.cmd("ZADD", "z", "1", "m1")   # an update does not convert
    assert c.cmd("OBJECT", "ENCODING", "z") == b"listpack"
    c.cmd("ZADD", "z", "1", "extra")
    assert c.cmd("OBJECT", "ENCODING", "z") == b"skiplist"
    c.cmd("ZREMRANGEBYRANK", "z", "0", "-3")
    assert c.cmd("OBJECT", "ENCODING", "z") == b"skiplist"   # never converted back
    c.cmd("ZADD", "long", "1", "x" * 64)
    assert c.cmd("OBJECT", "ENCODING", "long") == b"listpack"
    c.cmd("ZADD", "long", "1", "y" * 65)
    assert c.cmd("OBJECT", "ENCODING", "long") == b"skiplist"
    c.cmd("ZADD", "xx", "XX", "1", "y" * 65)
    assert c.cmd("EXISTS", "xx") == 0
    c.cmd("ZRANGESTORE", "d", "long", "0", "0")
    assert c.cmd("OBJECT", "ENCODING", "d") == b"listpack"
    c.cmd("ZUNIONSTORE", "u", "1", "long")
    assert c.cmd("OBJECT", "ENCODING", "u") == b"skiplist"
    c.cmd("ZUNIONSTORE", "u2", "1", "d")
    assert c.cmd("OBJECT", "ENCODING", "u2") == b"listpack"


def test_zrem_deletes_empty_key(c):
    c.cmd("ZADD", "z", "1", "a", "2", "b")
    assert c.cmd("ZREM", "z", "a", "x", "a") == 1
    assert c.cmd("ZREM", "nokey", "a") == 0
    assert c.cmd("ZREM", "z", "b") == 1
    assert c.cmd("EXISTS", "z") == 0


# --------------------------------------------------------------------------
# Ranges
# --------------------------------------------------------------------------

@pytest.fixture
def z(c):
    c.cmd("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e")
    return c


def test_zrange_by_rank(z):
    c = z
    assert c.cmd("ZRANGE", "z", "0", "-1") == [b"a", b"b", b"c", b"d", b"e"]
    assert c.cmd("ZRANGE", "z", "1", "2", "WITHSCORES") == [b"b", b"2", b"c", b"3"]
    assert c.cmd("ZRANGE", "z", "-2", "100") == [b"d", b"e"]
    assert c.cmd("ZRANGE", "z", "-100", "0") == [b"a"]
    assert c.cmd("ZRANGE", "z", "3", "1") == []
    assert c.cmd("ZRANGE", "z", "5", "10") == []
    assert c.cmd("ZRANGE", "z", "0", "1", "REV") == [b"e", b"d"]
    assert c.cmd("ZREVRANGE", "z", "0", "1", "WITHSCORES") == [b"e", b"5", b"d", b"4"]
    assert c.cmd("ZREVRANGE", "z", "-1", "-1") == [b"a"]
    assert c.cmd("ZRANGE", "nokey", "0", "-1") == []
    assert c.cmd("ZRANGE", "z", "0", "1", "LIMIT", "0", "-1") == [b"a", b"b"]
    assert err(c.cmd("ZRANGE", "z", "0", "1", "LIMIT", "0", "1")) == \
        "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX"
    assert err(c.cmd("ZREVRANGE", "z", "0", "1", "LIMIT", "0", "1")) == \
        "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX"
    assert err(c.cmd("ZRANGE", "z", "a", "1")) == NOT_INT
    assert err(c.cmd("ZRANGE", "z", "0", "1", "LIMIT", "x", "1")) == NOT_INT
    assert err(c.cmd("ZRANGE", "z", "0", "1", "REV", "REV")) == SYNTAX
    assert err(c.cmd("ZREVRANGE", "z", "0", "1", "REV")) == SYNTAX
    assert err(c.cmd("ZRANGE", "z", "0", "1", "BYSCORE", "BYLEX")) == SYNTAX
    assert err(c.cmd("ZRANGE", "z", "0", "1", "LIMIT", "1")) == SYNTAX
    assert err(c.cmd("ZRANGE", "z", "0", "1", "foo")) == SYNTAX


def test_zrange_by_score(z):
    c = z
    assert c.cmd("ZRANGE", "z", "2", "4", "BYSCORE") == [b"b", b"c", b"d"]
    assert c.cmd("ZRANGE", "z", "(2", "(4", "BYSCORE") == [b"c"]
    assert c.cmd("ZRANGE", "z", "-inf", "+inf", "BYSCORE", "LIMIT", "1", "2") == [b"b", b"c"]
    assert c.cmd("ZRANGE", "z", "4", "2", "BYSCORE", "REV", "WITHSCORES") == \
        [b"d", b"4", b"c", b"3", b"b", b"2"]
    assert c.cmd("ZRANGEBYSCORE", "z", "-inf", "2.5") == [b"a", b"b"]
    assert c.cmd("ZRANGEBYSCORE", "z", "3", "3", "WITHSCORES") == [b"c", b"3"]
    assert c.cmd("ZRANGEBYSCORE", "z", "(3", "3") == []
    assert c.cmd("ZRANGEBYSCORE", "z", "4", "2") == []
    assert c.cmd("ZRANGEBYSCORE", "z", "1", "5", "LIMIT", "2", "-1") == [b"c", b"d", b"e"]
    assert c.cmd("ZRANGEBYSCORE", "z", "1", "5", "LIMIT", "2", "0") == []
    assert c.cmd("ZRANGEBYSCORE", "z", "1", "5", "LIMIT", "-1", "2") == []
    assert c.cmd("ZRANGEBYSCORE", "z", "1", "5", "LIMIT", "5", "2") == []
    assert c.cmd("ZRANGEBYSCORE", "z", "1", "5", "LIMIT", "0", "1", "LIMIT", "1", "1") == [b"b"]
    assert c.cmd("ZREVRANGEBYSCORE", "z", "+inf", "(3") == [b"e", b"d"]
    assert c.cmd("ZREVRANGEBYSCORE", "z", "(5", "-inf", "LIMIT", "1", "2") == [b"c", b"b"]
    assert c.cmd("ZREVRANGEBYSCORE", "z", "2", "4") == []
    # strtod rules for range items: spaces, "", "(" and overflow are accepted
    assert c.cmd("ZRANGEBYSCORE", "z", " 2", "(3") == [b"b"]
    assert c.cmd("ZRANGEBYSCORE", "z", "", "1e400") == [b"a", b"b", b"c", b"d", b"e"]
    assert c.cmd("ZRANGEBYSCORE", "z", "(", "1") == [b"a"]
    assert c.cmd("ZRANGEBYSCORE", "z", "0x1", "0x2") == [b"a", b"b"]
    for bad in [("nan", "1"), ("1", "(nan"), ("a", "1"), ("1", "2 "), ("[1", "2")]:
        assert err(c.cmd("ZRANGEBYSCORE", "z", *bad)) == MINMAX_FLOAT, bad
        assert err(c.cmd("ZCOUNT", "z", *bad)) == MINMAX_FLOAT, bad
    assert err(c.cmd("ZRANGEBYSCORE", "z", "1", "2", "REV")) == SYNTAX
    assert err(c.cmd("ZRANGEBYSCORE", "z", "1", "2", "WITHSCORES", "LIMIT", "1")) == SYNTAX
    assert c.cmd("ZCOUNT", "z", "(1", "4") == 3
    assert c.cmd("ZCOUNT", "z", "-inf", "+inf") == 5
    assert c.cmd("ZCOUNT", "z", "5", "1") == 0
    assert c.cmd("ZCOUNT", "nokey", "1", "2") == 0


@pytest.fixture
def lex(c):
    c.cmd("ZADD", "l", *flat(("0", m) for m in ["a", "b", "c", "d", "e", "f", "g"]))
    return c


def test_zrange_by_lex(lex):
    c = lex
    assert c.cmd("ZRANGEBYLEX", "l", "-", "+") == [b"a", b"b", b"c", b"d", b"e", b"f", b"g"]
    assert c.cmd("ZRANGEBYLEX", "l", "[b", "(e") == [b"b", b"c", b"d"]
    assert c.cmd("ZRANGEBYLEX", "l", "(b", "[e", "LIMIT", "1", "2") == [b"d", b"e"]
    assert c.cmd("ZRANGEBYLEX", "l", "[bb", "[dd") == [b"c", b"d"]
    assert c.cmd("ZRANGEBYLEX", "l", "[e", "[b") == []
    assert c.cmd("ZRANGEBYLEX", "l", "+", "-") == []
    assert c.cmd("ZRANGEBYLEX", "l", "-", "-") == []
    assert c.cmd("ZRANGEBYLEX", "l", "[", "(c") == [b"a", b"b"]
    assert c.cmd("ZREVRANGEBYLEX", "l", "+", "[e") == [b"g", b"f", b"e"]
    assert c.cmd("ZREVRANGEBYLEX", "l", "(e", "-", "LIMIT", "1", "10") == [b"c", b"b", b"a"]
    assert c.cmd("ZRANGE", "l", "[c", "[e", "BYLEX") == [b"c", b"d", b"e"]
    assert c.cmd("ZRANGE", "l", "[e", "[c", "BYLEX", "REV", "LIMIT", "0", "2") == [b"e", b"d"]
    assert c.cmd("ZLEXCOUNT", "l", "-", "+") == 7
    assert c.cmd("ZLEXCOUNT", "l", "(a", "[c") == 2
    assert c.cmd("ZLEXCOUNT", "nokey", "-", "+") == 0
    for bad in [("a", "[b"), ("[a", "b"), ("", "+"), ("-x", "+"), ("-", "++")]:
        assert err(c.cmd("ZRANGEBYLEX", "l", *bad)) == MINMAX_LEX, bad
        assert err(c.cmd("ZLEXCOUNT", "l", *bad)) == MINMAX_LEX, bad
        assert err(c.cmd("ZREMRANGEBYLEX", "l", *bad)) == MINMAX_LEX, bad
    assert err(c.cmd("ZRANGE", "l", "-", "+", "BYLEX", "WITHSCORES")) == \
        "ERR syntax error, WITHSCORES not supported in combination with BYLEX"
    assert err(c.cmd("ZRANGEBYLEX", "l", "-", "+", "WITHSCORES")) == \
        "ERR syntax error, WITHSCORES not supported in combination with BYLEX"
    # binary members
    c.cmd("ZADD", "bin", "0", "a\x00b", "0", "a", "0", "a\x00")
    assert c.cmd("ZRANGEBYLEX", "bin", "(a", "+") == [b"a\x00", b"a\x00b"]


def test_zrange_resp3(c3):
    c = c3
    c.cmd("ZADD", "z", "1", "a", "2.5", "b")
    assert c.cmd("ZRANGE", "z", "0", "-1", "WITHSCORES") == [[b"a", 1.0], [b"b", 2.5]]
    assert isinstance(c.cmd("ZRANGE", "z", "0", "0", "WITHSCORES")[0][1], Double)
    assert c.cmd("ZRANGE", "z", "0", "-1") == [b"a", b"b"]
    assert c.cmd("ZRANGEBYSCORE", "z", "-inf", "inf", "WITHSCORES") == [[b"a", 1.0], [b"b", 2.5]]
    assert c.cmd("ZREVRANGE", "z", "0", "0", "WITHSCORES") == [[b"b", 2.5]]
    assert c.cmd("ZRANGE", "nokey", "0", "-1", "WITHSCORES") == []


def test_zrangestore(z):
    c = z
    assert c.cmd("ZRANGESTORE", "d", "z", "1", "2") == 2
    assert c.cmd("ZRANGE", "d", "0", "-1", "WITHSCORES") == [b"b", b"2", b"c", b"3"]
    assert c.cmd("ZRANGESTORE", "d", "z", "(1", "3", "BYSCORE", "REV") == 0  # max first with REV
    assert c.cmd("EXISTS", "d") == 0
    assert c.cmd("ZRANGESTORE", "d", "z", "5", "1", "BYSCORE", "REV", "LIMIT", "1", "2") == 2
    assert c.cmd("ZRANGE", "d", "0", "-1") == [b"c", b"d"]
    assert c.cmd("ZRANGESTORE", "d", "z", "[a", "[c", "BYLEX") == 3   # scores differ: a walk
    assert c.cmd("ZRANGESTORE", "d", "nokey", "0", "-1") == 0
    assert c.cmd("EXISTS", "d") == 0
    assert c.cmd("ZRANGESTORE", "z", "z", "0", "0") == 1
    assert c.cmd("ZRANGE", "z", "0", "-1") == [b"a"]
    assert err(c.cmd("ZRANGESTORE", "d", "z", "0", "-1", "WITHSCORES")) == SYNTAX


def test_zrank(z):
    c = z
    assert c.cmd("ZRANK", "z", "a") == 0
    assert c.cmd("ZRANK", "z", "e") == 4
    assert c.cmd("ZREVRANK", "z", "a") == 4
    assert c.cmd("ZREVRANK", "z", "d") == 1
    assert c.cmd("ZRANK", "z", "nope") is None
    assert c.cmd("ZRANK", "nokey", "a") is None


@pytest.mark.strata_only
def test_zrank_withscore(z, flushed_server):
    c = z
    assert c.cmd("ZRANK", "z", "c", "WITHSCORE") == [2, b"3"]
    assert c.cmd("ZREVRANK", "z", "c", "withscore") == [2, b"3"]
    assert c.cmd("ZRANK", "z", "nope", "WITHSCORE") is None
    assert c.cmd_raw("ZRANK", "z", "nope", "WITHSCORE") == b"*-1\r\n"
    assert c.cmd_raw("ZRANK", "z", "nope") == b"$-1\r\n"
    assert err(c.cmd("ZRANK", "z", "c", "WITHSCORES")) == SYNTAX
    assert err(c.cmd("ZRANK", "z", "c", "WITHSCORE", "x")) == \
        "ERR wrong number of arguments for 'zrank' command"
    c3 = flushed_server.resp(3)
    assert c3.cmd("ZRANK", "z", "e", "WITHSCORE") == [4, 5.0]
    assert isinstance(c3.cmd("ZREVRANK", "z", "e", "WITHSCORE")[1], Double)
    assert c3.cmd_raw("ZRANK", "z", "nope", "WITHSCORE") == b"_\r\n"


def test_zremrange(z):
    c = z
    assert c.cmd("ZREMRANGEBYRANK", "z", "-2", "-1") == 2
    assert c.cmd("ZRANGE", "z", "0", "-1") == [b"a", b"b", b"c"]
    assert c.cmd("ZREMRANGEBYRANK", "z", "5", "10") == 0
    assert c.cmd("ZREMRANGEBYSCORE", "z", "(1", "2") == 1
    assert c.cmd("ZREMRANGEBYSCORE", "z", "10", "20") == 0
    assert c.cmd("ZREMRANGEBYRANK", "nokey", "0", "-1") == 0
    assert err(c.cmd("ZREMRANGEBYRANK", "z", "x", "1")) == NOT_INT
    assert err(c.cmd("ZREMRANGEBYSCORE", "z", "x", "1")) == MINMAX_FLOAT
    assert c.cmd("ZREMRANGEBYSCORE", "z", "-inf", "+inf") == 2
    assert c.cmd("EXISTS", "z") == 0
    c.cmd("ZADD", "l", "0", "a", "0", "b", "0", "c")
    assert c.cmd("ZREMRANGEBYLEX", "l", "(a", "+") == 2
    assert c.cmd("ZRANGE", "l", "0", "-1") == [b"a"]


# --------------------------------------------------------------------------
# ZPOPMIN, ZPOPMAX, ZMPOP, ZRANDMEMBER
# --------------------------------------------------------------------------

def test_zpop(z, flushed_server):
    c = z
    assert c.cmd("ZPOPMIN", "z") == [b"a", b"1"]
    assert c.cmd("ZPOPMAX", "z", "2") == [b"e", b"5", b"d", b"4"]
    assert c.cmd("ZPOPMIN", "z", "0") == []
    assert c.cmd("ZPOPMIN", "nokey") == []
    assert c.cmd("ZPOPMIN", "nokey", "3") == []
    assert err(c.cmd("ZPOPMIN", "z", "-1")) == "ERR value is out of range, must be positive"
    assert err(c.cmd("ZPOPMIN", "z", "x")) == "ERR value is out of range, must be positive"
    assert err(c.cmd("ZPOPMIN", "z", "1", "2")) == SYNTAX
    assert c.cmd("ZPOPMIN", "z", "10") == [b"b", b"2", b"c", b"3"]
    assert c.cmd("EXISTS", "z") == 0
    c3 = flushed_server.resp(3)
    c3.cmd("ZADD", "z", "1", "a", "2", "b", "3", "c")
    assert c3.cmd("ZPOPMIN", "z") == [b"a", 1.0]
    assert c3.cmd("ZPOPMAX", "z", "1") == [[b"c", 3.0]]
    assert c3.cmd("ZPOPMAX", "nokey") == []


def test_zmpop(c, flushed_server):
    c.cmd("ZADD", "z2", "1", "a", "2", "b", "3", "c")
    assert c.cmd("ZMPOP", "2", "z1", "z2", "MIN") == [b"z2", [[b"a", b"1"]]]
    assert c.cmd("ZMPOP", "2", "z1", "z2", "max", "COUNT", "10") == \
        [b"z2", [[b"c", b"3"], [b"b", b"2"]]]
    assert c.cmd("ZMPOP", "2", "z1", "z2", "MIN") is None
    assert c.cmd_raw("ZMPOP", "1", "z1", "MIN") == b"*-1\r\n"
    assert err(c.cmd("ZMPOP", "0", "z", "MIN")) == "ERR numkeys should be greater than 0"
    assert err(c.cmd("ZMPOP", "-1", "z", "MIN")) == "ERR numkeys should be greater than 0"
    assert err(c.cmd("ZMPOP", "x", "z", "MIN")) == "ERR numkeys should be greater than 0"
    assert err(c.cmd("ZMPOP", "1", "z", "MIN", "COUNT", "x")) == "ERR count should be greater than 0"
    assert err(c.cmd("ZMPOP", "3", "z", "MIN")) == SYNTAX
    assert err(c.cmd("ZMPOP", "1", "z", "foo")) == SYNTAX
    assert err(c.cmd("ZMPOP", "1", "z", "MIN", "COUNT", "0")) == "ERR count should be greater than 0"
    assert err(c.cmd("ZMPOP", "1", "z", "MIN", "COUNT")) == SYNTAX
    assert err(c.cmd("ZMPOP", "1", "z", "MIN", "COUNT", "1", "COUNT", "1")) == SYNTAX
    c3 = flushed_server.resp(3)
    c3.cmd("ZADD", "z", "1.5", "a")
    assert c3.cmd("ZMPOP", "1", "z", "MIN") == [b"z", [[b"a", 1.5]]]
    assert c3.cmd_raw("ZMPOP", "1", "z", "MIN") == b"_\r\n"


def test_zrandmember(c, flushed_server):
    members = {f"m{i}".encode(): str(i).encode() for i in range(20)}
    c.cmd("ZADD", "z", *flat((v, m) for m, v in members.items()))
    assert c.cmd("ZRANDMEMBER", "z") in members
    assert c.cmd("ZRANDMEMBER", "nokey") is None
    assert c.cmd("ZRANDMEMBER", "nokey", "5") == []
    assert c.cmd("ZRANDMEMBER", "z", "0") == []
    got = c.cmd("ZRANDMEMBER", "z", "5")
    assert len(got) == 5 and len(set(got)) == 5 and set(got) <= set(members)
    assert sorted(c.cmd("ZRANDMEMBER", "z", "100")) == sorted(members)
    got = c.cmd("ZRANDMEMBER", "z", "-50")
    assert len(got) == 50 and set(got) <= set(members)
    got = c.cmd("ZRANDMEMBER", "z", "7", "WITHSCORES")
    assert len(got) == 14
    for m, s in zip(got[::2], got[1::2]):
        assert members[m] == s
    got = c.cmd("ZRANDMEMBER", "z", "-30", "WITHSCORES")
    assert len(got) == 60 and all(members[m] == s for m, s in zip(got[::2], got[1::2]))
    assert err(c.cmd("ZRANDMEMBER", "z", "x")) == NOT_INT
    assert err(c.cmd("ZRANDMEMBER", "z", "1", "foo")) == SYNTAX
    assert err(c.cmd("ZRANDMEMBER", "z", "1", "WITHSCORES", "x")) == SYNTAX
    assert err(c.cmd("ZRANDMEMBER", "z", "-9223372036854775808")) == \
        "ERR value is out of range, value must between -9223372036854775807 and " \
        "9223372036854775807"
    for n in ["-4611686018427387904", "4611686018427387904"]:
        assert err(c.cmd("ZRANDMEMBER", "z", n, "WITHSCORES")) == "ERR value is out of range"
    c3 = flushed_server.resp(3)
    got = c3.cmd("ZRANDMEMBER", "z", "-3", "WITHSCORES")
    assert len(got) == 3 and all(len(p) == 2 and isinstance(p[1], Double) for p in got)


# --------------------------------------------------------------------------
# ZUNION, ZINTER, ZDIFF, ZINTERCARD
# --------------------------------------------------------------------------

@pytest.fixture
def sets(c):
    c.cmd("ZADD", "z1", "1", "a", "2", "b", "3", "c")
    c.cmd("ZADD", "z2", "10", "b", "20", "c", "30", "d")
    return c


def test_zunion_zinter_zdiff(sets, flushed_server):
    c = sets
    assert c.cmd("ZUNION", "2", "z1", "z2", "WITHSCORES") == \
        [b"a", b"1", b"b", b"12", b"c", b"23", b"d", b"30"]
    assert c.cmd("ZUNION", "2", "z1", "z2", "WEIGHTS", "2", "-1", "AGGREGATE", "MAX") == \
        [b"d", b"a", b"b", b"c"]
    assert c.cmd("ZUNION", "3", "z1", "z2", "nokey", "AGGREGATE", "min", "WITHSCORES") == \
        [b"a", b"1", b"b", b"2", b"c", b"3", b"d", b"30"]
    assert c.cmd("ZINTER", "2", "z1", "z2", "WITHSCORES") == [b"b", b"12", b"c", b"23"]
    assert c.cmd("ZINTER", "2", "z1", "z2", "AGGREGATE", "MAX", "WITHSCORES") == \
        [b"b", b"10", b"c", b"20"]
    assert c.cmd("ZINTER", "2", "z1", "nokey") == []
    assert c.cmd("ZDIFF", "2", "z1", "z2", "WITHSCORES") == [b"a", b"1"]
    assert c.cmd("ZDIFF", "1", "z2") == [b"b", b"c", b"d"]
    assert c.cmd("ZDIFF", "2", "nokey", "z1") == []
    assert c.cmd("ZUNIONSTORE", "d", "2", "z1", "z2", "WEIGHTS", "1", "0.5") == 4
    assert c.cmd("ZRANGE", "d", "0", "-1", "WITHSCORES") == \
        [b"a", b"1", b"b", b"7", b"c", b"13", b"d", b"15"]
    assert c.cmd("ZINTERSTORE", "d", "2", "z1", "z2") == 2
    assert c.cmd("ZDIFFSTORE", "d", "2", "z1", "z2") == 1
    assert c.cmd("ZRANGE", "d", "0", "-1") == [b"a"]
    assert c.cmd("ZINTERSTORE", "d", "2", "z1", "nokey") == 0
    assert c.cmd("EXISTS", "d") == 0
    assert c.cmd("ZUNIONSTORE", "z1", "2", "z1", "z1") == 3   # the destination as a source
    assert c.cmd("ZRANGE", "z1", "0", "-1", "WITHSCORES") == [b"a", b"2", b"b", b"4", b"c", b"6"]
    assert c.cmd("ZINTERCARD", "2", "z1", "z2") == 2
    assert c.cmd("ZINTERCARD", "2", "z1", "z2", "LIMIT", "1") == 1
    assert c.cmd("ZINTERCARD", "2", "z1", "z2", "LIMIT", "0") == 2
    assert c.cmd("ZINTERCARD", "1", "nokey") == 0
    c3 = flushed_server.resp(3)
    assert c3.cmd("ZINTER", "2", "z1", "z2", "WITHSCORES") == [[b"b", 14.0], [b"c", 26.0]]


def test_combine_infinities(c):
    c.cmd("ZADD", "a", "inf", "x", "-inf", "y", "1", "z")
    c.cmd("ZADD", "b", "-inf", "x", "-inf", "y", "2", "z")
    assert c.cmd("ZUNION", "2", "a", "b", "WITHSCORES") == \
        [b"y", b"-inf", b"x", b"0", b"z", b"3"]
    assert c.cmd("ZINTER", "2", "a", "b", "WEIGHTS", "0", "1", "WITHSCORES") == \
        [b"x", b"-inf", b"y", b"-inf", b"z", b"2"]
    assert c.cmd("ZUNION", "1", "a", "WEIGHTS", "0", "WITHSCORES") == \
        [b"x", b"0", b"y", b"0", b"z", b"0"]


def test_combine_errors(sets):
    c = sets
    for name in ["ZUNION", "ZINTER", "ZDIFF", "ZINTERCARD"]:
        assert err(c.cmd(name, "0", "z1")) == \
            f"ERR at least 1 input key is needed for '{name.lower()}' command"
        assert err(c.cmd(name, "-1", "z1")) == \
            f"ERR at least 1 input key is needed for '{name.lower()}' command"
        assert err(c.cmd(name, "3", "z1")) == SYNTAX
        assert err(c.cmd(name, "x", "z1")) == NOT_INT
    assert err(c.cmd("ZUNIONSTORE", "d", "0", "z1")) == \
        "ERR at least 1 input key is needed for 'zunionstore' command"
    assert err(c.cmd("ZINTER", "1", "z1", "WEIGHTS", "x")) == "ERR weight value is not a float"
    assert err(c.cmd("ZINTER", "2", "z1", "z2", "WEIGHTS", "1")) == SYNTAX
    assert err(c.cmd("ZINTER", "1", "z1", "AGGREGATE", "avg")) == SYNTAX
    assert err(c.cmd("ZINTER", "1", "z1", "AGGREGATE")) == SYNTAX
    assert err(c.cmd("ZDIFF", "1", "z1", "WEIGHTS", "1")) == SYNTAX
    assert err(c.cmd("ZDIFF", "1", "z1", "AGGREGATE", "SUM")) == SYNTAX
    assert err(c.cmd("ZUNIONSTORE", "d", "1", "z1", "WITHSCORES")) == SYNTAX
    assert err(c.cmd("ZINTERCARD", "1", "z1", "LIMIT", "-1")) == "ERR LIMIT can't be negative"
    assert err(c.cmd("ZINTERCARD", "1", "z1", "LIMIT", "x")) == "ERR LIMIT can't be negative"
    assert err(c.cmd("ZINTERCARD", "1", "z1", "WITHSCORES")) == SYNTAX
    assert err(c.cmd("ZINTERCARD", "1", "z1", "LIMIT")) == SYNTAX
    assert err(c.cmd("ZINTERCARD", "1", "z1", "WEIGHTS", "1")) == SYNTAX


@needs_set
def test_combine_with_sets(c):
    c.cmd("SADD", "s", "a", "b", "x")
    c.cmd("ZADD", "z", "5", "a", "7", "b", "9", "c")
    assert c.cmd("ZUNION", "2", "s", "z", "WITHSCORES") == \
        [b"x", b"1", b"a", b"6", b"b", b"8", b"c", b"9"]
    assert c.cmd("ZINTER", "2", "s", "z", "WEIGHTS", "3", "1", "WITHSCORES") == \
        [b"a", b"8", b"b", b"10"]
    assert c.cmd("ZDIFF", "2", "s", "z") == [b"x"]
    assert c.cmd("ZINTERCARD", "2", "z", "s") == 2


# --------------------------------------------------------------------------
# ZSCAN
# --------------------------------------------------------------------------

def test_zscan(c, flushed_server):
    c.cmd("ZADD", "small", "2", "b", "1.5", "a", "3", "c")
    assert c.cmd("ZSCAN", "small", "0") == [b"0", [b"a", b"1.5", b"b", b"2", b"c", b"3"]]
    c3 = flushed_server.resp(3)   # scores stay bulk strings in RESP3
    assert c3.cmd("ZSCAN", "small", "0") == [b"0", [b"a", b"1.5", b"b", b"2", b"c", b"3"]]
    assert c.cmd("ZSCAN", "small", "0", "MATCH", "[ab]", "COUNT", "1") == \
        [b"0", [b"a", b"1.5", b"b", b"2"]]
    assert c.cmd("ZSCAN", "nokey", "0") == [b"0", []]
    assert c.cmd("ZSCAN", "nokey", "0", "COUNT", "0") == [b"0", []]
    assert err(c.cmd("ZSCAN", "small", "x")) == "ERR invalid cursor"
    assert err(c.cmd("ZSCAN", "small", "0", "COUNT", "0")) == SYNTAX
    assert err(c.cmd("ZSCAN", "small", "0", "MATCH")) == SYNTAX
    assert err(c.cmd("ZSCAN", "small", "0", "COUNT", "x")) == NOT_INT
    want = {f"m{i}".encode(): str(i).encode() for i in range(300)}
    c.cmd("ZADD", "big", *flat((v, m) for m, v in want.items()))
    seen = {}
    cursor = b"0"
    calls = 0
    while True:
        cursor, items = c.cmd("ZSCAN", "big", cursor, "COUNT", "20")
        calls += 1
        for m, s in zip(items[::2], items[1::2]):
            seen[m] = s
        if cursor == b"0":
            break
    assert seen == want
    assert calls > 3
    cursor, items = c.cmd("ZSCAN", "big", "0", "MATCH", "m1?", "COUNT", "1000")
    assert cursor == b"0" and sorted(items[::2]) == sorted(f"m{i}".encode() for i in range(10, 20))


# --------------------------------------------------------------------------
# Large sorted sets, and a model
# --------------------------------------------------------------------------

def test_large_zset(c):
    n = 1000
    c.cmd("ZADD", "z", *flat((str(i % 100), f"m{i:04}") for i in range(n)))
    model = sorted(((i % 100, f"m{i:04}".encode()) for i in range(n)))
    members = [m for _, m in model]
    assert c.cmd("ZCARD", "z") == n
    assert c.cmd("ZRANK", "z", members[777]) == 777
    assert c.cmd("ZREVRANK", "z", members[777]) == n - 1 - 777
    for r in (0, 1, 40, 500, 960, 998, 999):
        assert c.cmd("ZRANK", "z", members[r]) == r
        assert c.cmd("ZREVRANK", "z", members[r]) == n - 1 - r
    assert c.cmd("ZRANDMEMBER", "z") in set(members)
    assert c.cmd("ZRANGE", "z", "990", "-1") == members[990:]
    assert c.cmd("ZRANGE", "z", "5", "9") == members[5:10]
    assert c.cmd("ZRANGE", "z", "-900", "-890", "REV") == members[::-1][100:111]
    assert c.cmd("ZRANGEBYSCORE", "z", "(50", "51") == [m for s, m in model if 50 < s <= 51]
    assert c.cmd("ZCOUNT", "z", "10", "(20") == 100
    assert c.cmd("ZRANGEBYSCORE", "z", "-inf", "+inf", "LIMIT", "500", "3") == members[500:503]
    assert c.cmd("ZREMRANGEBYRANK", "z", "100", "899") == 800
    assert c.cmd("ZCARD", "z") == 200
    assert c.cmd("ZRANGE", "z", "99", "100") == [members[99], members[900]]


def test_randomized_against_model(c):
    rng = random.Random(7)
    model = {}
    scores = ["0", "1", "-1", "2.5", "1e10", "-inf", "inf", "3", "0.1", "7"]

    def ordered():
        return sorted(model.items(), key=lambda kv: (kv[1], kv[0]))

    def fmt(s):
        if s == math.inf:
            return b"inf"
        if s == -math.inf:
            return b"-inf"
        return (("%.17g" % s) if s != 0 else "0").encode()

    for step in range(400):
        op = rng.randrange(8)
        m = f"m{rng.randrange(30)}".encode()
        if op <= 2:
            s = rng.choice(scores)
            added = m not in model
            model[m] = float(s)
            assert c.cmd("ZADD", "z", s, m) == (1 if added else 0)
        elif op == 3:
            existed = m in model
            model.pop(m, None)
            assert c.cmd("ZREM", "z", m) == (1 if existed else 0)
        elif op == 4:
            lo, hi = sorted(rng.sample(range(-3, 12), 2))
            want = [k for k, v in ordered() if lo <= v <= hi]
            assert c.cmd("ZRANGEBYSCORE", "z", lo, hi) == want, step
        elif op == 5:
            start, stop = rng.randrange(-35, 35), rng.randrange(-35, 35)
            items = ordered()
            n = len(items)
            a = start + n if start < 0 else start
            b = stop + n if stop < 0 else stop
            a = max(a, 0)
            want = [] if a > b or a >= n else [k for k, _ in items[a:min(b, n - 1) + 1]]
            assert c.cmd("ZRANGE", "z", start, stop) == want, step
        elif op == 6:
            items = ordered()
            want = items.index((m, model[m])) if m in model else None
            assert c.cmd("ZRANK", "z", m) == want
        else:
            got = c.cmd("ZRANGE", "z", "0", "-1", "WITHSCORES")
            assert got == flat((k, fmt(v)) for k, v in ordered()), step
        assert c.cmd("ZCARD", "z") == len(model)


def test_zadd_repeats_and_ttl(c):
    assert c.cmd("ZADD", "z", "1", "a", "2", "a", "3", "b") == 2
    assert c.cmd("ZSCORE", "z", "a") == b"2"
    assert c.cmd("ZADD", "z", "CH", "5", "a", "2", "a") == 2   # each pair counts
    c.cmd("EXPIRE", "z", "100")
    c.cmd("ZADD", "z", "4", "c")
    c.cmd("ZREM", "z", "a")
    assert 0 < c.cmd("TTL", "z") <= 100
    c.cmd("ZADD", "src", "1", "x")
    c.cmd("EXPIRE", "src", "100")
    c.cmd("ZUNIONSTORE", "z", "1", "src")
    assert c.cmd("TTL", "z") == -1   # a store replaces the key and its TTL
    c.cmd("PEXPIRE", "src", "1")
    time.sleep(0.01)
    assert c.cmd("ZCARD", "src") == 0
    assert c.cmd("ZRANGE", "src", "0", "-1") == []


def test_combine_negative_zero(c):
    c.cmd("ZADD", "big", *flat((str(i), f"m{i:03}") for i in range(1, 130)))
    c.cmd("ZADD", "big", "-0", "n")
    assert c.cmd("ZUNION", "1", "big", "WITHSCORES")[:2] == [b"n", b"-0"]
    assert c.cmd("ZUNIONSTORE", "d", "1", "big") == 130
    assert c.cmd("ZSCORE", "d", "n") == b"-0"
    c.cmd("ZADD", "one", "5", "n")
    assert c.cmd("ZINTERSTORE", "d", "2", "big", "one", "WEIGHTS", "1", "0") == 1
    assert c.cmd("ZSCORE", "d", "n") == b"0"   # small result: a listpack
    assert c.cmd("ZDIFF", "2", "big", "one") == [f"m{i:03}".encode() for i in range(1, 130)]


@pytest.mark.strata_only
def test_zsets_survive_restart(server):
    c = server.resp()
    c.cmd("ZADD", "small", "1", "a", "2", "b")
    c.cmd("ZADD", "big", *flat((str(i % 7), f"m{i:04}") for i in range(2000)))
    want_big = c.cmd("ZRANGE", "big", "0", "-1", "WITHSCORES")
    server.restart()
    c = server.resp()
    # nothing is in memory now: reads go through the blocking path
    assert c.cmd("ZRANGE", "small", "0", "-1", "WITHSCORES") == [b"a", b"1", b"b", b"2"]
    assert c.cmd("ZSCORE", "big", "m0007") == b"0"
    assert c.cmd("ZRANGE", "big", "0", "-1", "WITHSCORES") == want_big
    assert c.cmd("ZRANK", "big", "m1999") == want_big[::2].index(b"m1999")
    assert c.cmd("OBJECT", "ENCODING", "big") == b"skiplist"
    assert c.cmd("ZPOPMAX", "big") == want_big[-2:]
    assert c.cmd("ZCARD", "big") == 1999
