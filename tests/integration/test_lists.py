"""List commands: LPUSH, RPUSH, LPUSHX, RPUSHX, LPOP, RPOP (with count),
LLEN, LINDEX, LRANGE, LSET, LTRIM, LINSERT, LREM, LPOS, LMOVE, RPOPLPUSH and
LMPOP, with their errors (arity, wrong type, non-integers, out of range, the
option syntax of LPOS and LMPOP), RESP3 reply shapes (the null of the count
forms), and a randomized check against a Python list model that includes
LINSERT and LREM in the middle of long lists. Strata-only: a 100k-element
list survives a restart, and pushes and pops on it (and inserts near either
end) write a few hundred bytes, not the list. Expected values are those of
redis-server 7.0.15."""

import random

import pytest

from replies import err, NOT_INT, SYNTAX, WRONGTYPE

MUST_BE_POSITIVE = "ERR value is out of range, must be positive"
RANK_ZERO = ("ERR RANK can't be zero: use 1 to start from the first match, 2 from the "
             "second ... or use negative to start from the end of the list")


def items(c, key):
    return c.cmd("LRANGE", key, "0", "-1")


# --------------------------------------------------------------------------
# arity and wrong type
# --------------------------------------------------------------------------

@pytest.mark.parametrize("args", [
    ["LPUSH", "k"], ["RPUSH", "k"], ["LPUSHX", "k"], ["RPUSHX", "k"], ["LPOP"],
    ["LPOP", "k", "1", "2"], ["RPOP", "k", "1", "2"], ["LLEN"], ["LLEN", "a", "b"],
    ["LINDEX", "k"], ["LRANGE", "k", "0"], ["LSET", "k", "0"], ["LTRIM", "k", "0"],
    ["LINSERT", "k", "BEFORE", "p"], ["LREM", "k", "0"], ["LPOS", "k"],
    ["LMOVE", "a", "b", "LEFT"], ["RPOPLPUSH", "a"], ["LMPOP", "1", "k"],
])
def test_arity(c, args):
    assert err(c.cmd(*args)) == \
        f"ERR wrong number of arguments for '{args[0].lower()}' command"


@pytest.mark.parametrize("args", [
    ["LPUSH", "s", "a"], ["RPUSH", "s", "a"], ["LPUSHX", "s", "a"], ["RPUSHX", "s", "a"],
    ["LPOP", "s"], ["RPOP", "s", "2"], ["LLEN", "s"], ["LINDEX", "s", "0"],
    ["LINDEX", "s", "x"], ["LRANGE", "s", "0", "-1"], ["LSET", "s", "0", "v"],
    ["LSET", "s", "x", "v"], ["LTRIM", "s", "0", "1"], ["LINSERT", "s", "BEFORE", "a", "b"],
    ["LREM", "s", "0", "a"], ["LPOS", "s", "a"], ["LMOVE", "s", "l", "LEFT", "LEFT"],
    ["LMOVE", "l", "s", "LEFT", "LEFT"], ["RPOPLPUSH", "s", "l"], ["RPOPLPUSH", "l", "s"],
    ["LMPOP", "1", "s", "LEFT"], ["LMPOP", "2", "nokey", "s", "RIGHT"],
])
def test_wrong_type(c, args):
    c.check("SET", "s", "v")
    c.check("RPUSH", "l", "x")
    assert err(c.cmd(*args)) == WRONGTYPE
    assert c.cmd("GET", "s") == b"v"
    assert items(c, "l") == [b"x"]


def test_lmpop_stops_at_the_first_list_before_a_wrong_type(c):
    c.check("SET", "s", "v")
    c.check("RPUSH", "l", "a", "b")
    assert c.cmd("LMPOP", "2", "l", "s", "LEFT") == [b"l", [b"a"]]


# --------------------------------------------------------------------------
# push, pop, length, index, range, set, trim
# --------------------------------------------------------------------------

def test_push_and_range(c):
    assert c.cmd("LPUSH", "l", "a", "b", "c") == 3
    assert c.cmd("RPUSH", "l", "x", "y") == 5
    assert items(c, "l") == [b"c", b"b", b"a", b"x", b"y"]
    assert c.cmd("LPUSHX", "nokey", "a") == 0
    assert c.cmd("RPUSHX", "nokey", "a", "b") == 0
    assert c.cmd("EXISTS", "nokey") == 0
    assert c.cmd("LPUSHX", "l", "0") == 6
    assert c.cmd("RPUSHX", "l", "1", "2") == 8
    assert c.cmd("LLEN", "l") == 8
    assert c.cmd("LLEN", "nokey") == 0
    assert c.cmd("TYPE", "l") == b"list"
    assert c.cmd("OBJECT", "ENCODING", "l") == b"quicklist"
    assert c.cmd("LRANGE", "l", "1", "2") == [b"c", b"b"]
    assert c.cmd("LRANGE", "l", "-3", "-1") == [b"y", b"1", b"2"]
    assert c.cmd("LRANGE", "l", "-100", "100") == items(c, "l")
    assert c.cmd("LRANGE", "l", "5", "2") == []
    assert c.cmd("LRANGE", "l", "8", "10") == []
    assert c.cmd("LRANGE", "l", "-1", "-2") == []
    assert c.cmd("LRANGE", "l", str(-2**63), str(2**63 - 1)) == items(c, "l")
    assert c.cmd("LRANGE", "nokey", "0", "-1") == []
    assert err(c.cmd("LRANGE", "l", "a", "1")) == NOT_INT
    assert err(c.cmd("LRANGE", "l", "0", "1.5")) == NOT_INT
    assert err(c.cmd("LRANGE", "nokey", "0", str(2**63))) == NOT_INT


def test_binary_and_empty_elements(c):
    blob = bytes(range(256)) * 3
    assert c.cmd("RPUSH", "l", blob, b"", b"\r\n") == 3
    assert items(c, "l") == [blob, b"", b"\r\n"]
    assert c.cmd("LPOS", "l", b"") == 1
    assert c.cmd("LREM", "l", "0", b"") == 1
    assert items(c, "l") == [blob, b"\r\n"]


def test_pop(c):
    c.check("RPUSH", "l", "a", "b", "c", "d", "e")
    assert c.cmd("LPOP", "l") == b"a"
    assert c.cmd("RPOP", "l") == b"e"
    assert c.cmd("LPOP", "l", "0") == []
    assert c.cmd("LPOP", "l", "1") == [b"b"]
    assert c.cmd("RPOP", "l", "5") == [b"d", b"c"]
    assert c.cmd("EXISTS", "l") == 0
    assert c.cmd("LPOP", "l") is None
    assert c.cmd_raw("LPOP", "l") == b"$-1\r\n"
    assert c.cmd_raw("LPOP", "l", "0") == b"*-1\r\n"
    assert c.cmd_raw("RPOP", "l", "2") == b"*-1\r\n"
    for bad in ("x", "-1", "1.5", str(2**63), str(-2**63)):
        assert err(c.cmd("LPOP", "l", bad)) == MUST_BE_POSITIVE
        assert err(c.cmd("RPOP", "l", bad)) == MUST_BE_POSITIVE
    c.check("SET", "s", "v")
    assert err(c.cmd("LPOP", "s", "x")) == MUST_BE_POSITIVE  # the count is checked first
    c.check("RPUSH", "l", "a", "b")
    assert c.cmd("RPOP", "l", str(2**63 - 1)) == [b"b", b"a"]


def test_pop_null_shapes_in_resp3(c3):
    assert c3.cmd_raw("LPOP", "nokey") == b"_\r\n"
    assert c3.cmd_raw("LPOP", "nokey", "2") == b"_\r\n"
    assert c3.cmd_raw("RPOP", "nokey", "0") == b"_\r\n"
    assert c3.cmd_raw("LINDEX", "nokey", "0") == b"_\r\n"
    assert c3.cmd_raw("LPOS", "nokey", "a") == b"_\r\n"
    assert c3.cmd_raw("LPOS", "nokey", "a", "COUNT", "0") == b"*0\r\n"
    assert c3.cmd_raw("LMPOP", "1", "nokey", "LEFT") == b"_\r\n"
    assert c3.cmd_raw("LMOVE", "nokey", "d", "LEFT", "LEFT") == b"_\r\n"
    assert c3.cmd_raw("RPOPLPUSH", "nokey", "d") == b"_\r\n"
    c3.check("RPUSH", "l", "a", "b")
    assert c3.cmd_raw("LPOP", "l", "0") == b"*0\r\n"
    assert c3.cmd_raw("LINDEX", "l", "5") == b"_\r\n"
    assert c3.cmd_raw("LPOS", "l", "zz") == b"_\r\n"
    assert c3.cmd_raw("LMPOP", "1", "l", "RIGHT", "COUNT", "5") == \
        b"*2\r\n$1\r\nl\r\n*2\r\n$1\r\nb\r\n$1\r\na\r\n"


def test_null_shapes_in_resp2(c):
    assert c.cmd_raw("LMPOP", "2", "a", "b", "LEFT") == b"*-1\r\n"
    assert c.cmd_raw("LINDEX", "nokey", "0") == b"$-1\r\n"
    assert c.cmd_raw("LPOS", "nokey", "a") == b"$-1\r\n"
    assert c.cmd_raw("LPOS", "nokey", "a", "COUNT", "2") == b"*0\r\n"
    assert c.cmd_raw("RPOPLPUSH", "nokey", "d") == b"$-1\r\n"


def test_lindex_and_lset(c):
    c.check("RPUSH", "l", "a", "b", "c")
    assert c.cmd("LINDEX", "l", "0") == b"a"
    assert c.cmd("LINDEX", "l", "-1") == b"c"
    assert c.cmd("LINDEX", "l", "-3") == b"a"
    assert c.cmd("LINDEX", "l", "-4") is None
    assert c.cmd("LINDEX", "l", "3") is None
    assert c.cmd("LINDEX", "nokey", "0") is None
    assert c.cmd("LINDEX", "nokey", "x") is None       # the key is looked up first
    assert err(c.cmd("LINDEX", "l", "x")) == NOT_INT
    assert c.cmd("LSET", "l", "1", "B") == b"OK"
    assert c.cmd("LSET", "l", "-1", "C") == b"OK"
    assert items(c, "l") == [b"a", b"B", b"C"]
    assert err(c.cmd("LSET", "l", "3", "x")) == "ERR index out of range"
    assert err(c.cmd("LSET", "l", "-4", "x")) == "ERR index out of range"
    assert err(c.cmd("LSET", "nokey", "0", "x")) == "ERR no such key"
    assert err(c.cmd("LSET", "nokey", "x", "x")) == "ERR no such key"
    assert err(c.cmd("LSET", "l", "x", "x")) == NOT_INT
    assert c.cmd("EXISTS", "nokey") == 0


def test_ltrim(c):
    c.check("RPUSH", "l", "a", "b", "c", "d", "e")
    assert c.cmd("LTRIM", "l", "1", "-2") == b"OK"
    assert items(c, "l") == [b"b", b"c", b"d"]
    assert c.cmd("LTRIM", "l", "-100", "100") == b"OK"
    assert items(c, "l") == [b"b", b"c", b"d"]
    assert c.cmd("LTRIM", "l", "1", "1") == b"OK"
    assert items(c, "l") == [b"c"]
    assert c.cmd("LTRIM", "l", "5", "10") == b"OK"
    assert c.cmd("EXISTS", "l") == 0
    assert c.cmd("LTRIM", "nokey", "0", "1") == b"OK"
    assert err(c.cmd("LTRIM", "nokey", "x", "1")) == NOT_INT
    c.check("RPUSH", "l", "a", "b", "c")
    assert c.cmd("LTRIM", "l", "2", "1") == b"OK"
    assert c.cmd("EXISTS", "l") == 0
    c.check("RPUSH", "l", "a", "b", "c")
    assert c.cmd("LTRIM", "l", str(-2**63), str(2**63 - 1)) == b"OK"
    assert items(c, "l") == [b"a", b"b", b"c"]
    c.check("RPUSH", "l", "d")
    assert c.cmd("LPUSH", "l", "z") == 5                # pushes after a trim keep counting
    assert items(c, "l") == [b"z", b"a", b"b", b"c", b"d"]


def test_ttl_survives_list_writes(c):
    c.check("RPUSH", "l", "a", "b", "c")
    c.check("EXPIRE", "l", "100")
    c.check("RPUSH", "l", "d")
    c.check("LPOP", "l")
    c.check("LINSERT", "l", "BEFORE", "c", "x")
    c.check("LREM", "l", "1", "b")
    c.check("LTRIM", "l", "0", "1")
    assert 0 < c.cmd("TTL", "l") <= 100
    assert items(c, "l") == [b"x", b"c"]


# --------------------------------------------------------------------------
# LINSERT, LREM, LPOS
# --------------------------------------------------------------------------

def test_linsert(c):
    c.check("RPUSH", "l", "a", "b", "c", "b")
    assert c.cmd("LINSERT", "l", "BEFORE", "b", "x") == 5
    assert c.cmd("LINSERT", "l", "after", "b", "y") == 6
    assert items(c, "l") == [b"a", b"x", b"b", b"y", b"c", b"b"]
    assert c.cmd("LINSERT", "l", "AFTER", "b", "z") == 7  # the first pivot only
    assert c.cmd("LINSERT", "l", "BEFORE", "a", "head") == 8
    assert c.cmd("LINSERT", "l", "AFTER", "c", "t") == 9
    assert items(c, "l") == [b"head", b"a", b"x", b"b", b"z", b"y", b"c", b"t", b"b"]
    assert c.cmd("LINSERT", "l", "BEFORE", "nope", "x") == -1
    assert c.cmd("LINSERT", "nokey", "BEFORE", "a", "x") == 0
    assert c.cmd("EXISTS", "nokey") == 0
    assert err(c.cmd("LINSERT", "l", "MIDDLE", "a", "x")) == SYNTAX
    assert err(c.cmd("LINSERT", "nokey", "MIDDLE", "a", "x")) == SYNTAX


def test_lrem(c):
    c.check("RPUSH", "l", "a", "a", "b", "a", "c", "a")
    assert c.cmd("LREM", "l", "-2", "a") == 2
    assert items(c, "l") == [b"a", b"a", b"b", b"c"]
    assert c.cmd("LREM", "l", "1", "a") == 1
    assert items(c, "l") == [b"a", b"b", b"c"]
    assert c.cmd("LREM", "l", "0", "zz") == 0
    assert c.cmd("LREM", "l", "0", "b") == 1
    assert items(c, "l") == [b"a", b"c"]
    assert c.cmd("LREM", "l", str(-2**63), "a") == 1
    assert c.cmd("LREM", "l", "0", "c") == 1
    assert c.cmd("EXISTS", "l") == 0
    assert c.cmd("LREM", "nokey", "0", "a") == 0
    assert err(c.cmd("LREM", "l", "x", "a")) == NOT_INT


def test_lpos(c):
    c.check("RPUSH", "l", "a", "b", "c", "a", "b", "a")
    assert c.cmd("LPOS", "l", "a") == 0
    assert c.cmd("LPOS", "l", "b") == 1
    assert c.cmd("LPOS", "l", "zz") is None
    assert c.cmd("LPOS", "l", "a", "RANK", "2") == 3
    assert c.cmd("LPOS", "l", "a", "RANK", "-1") == 5
    assert c.cmd("LPOS", "l", "a", "RANK", "-3") == 0
    assert c.cmd("LPOS", "l", "a", "RANK", "4") is None
    assert c.cmd("LPOS", "l", "a", "COUNT", "0") == [0, 3, 5]
    assert c.cmd("LPOS", "l", "a", "COUNT", "2") == [0, 3]
    assert c.cmd("LPOS", "l", "a", "COUNT", "2", "RANK", "-1") == [5, 3]
    assert c.cmd("LPOS", "l", "a", "RANK", "2", "COUNT", "0") == [3, 5]
    assert c.cmd("LPOS", "l", "a", "COUNT", "0", "MAXLEN", "4") == [0, 3]
    assert c.cmd("LPOS", "l", "a", "RANK", "-1", "COUNT", "0", "MAXLEN", "2") == [5]
    assert c.cmd("LPOS", "l", "a", "MAXLEN", "0") == 0
    assert c.cmd("LPOS", "l", "c", "MAXLEN", "2") is None
    assert c.cmd("LPOS", "l", "zz", "COUNT", "3") == []
    assert c.cmd("LPOS", "l", "a", "COUNT", str(2**63 - 1)) == [0, 3, 5]
    assert c.cmd("LPOS", "l", "a", "RANK", "1", "RANK", "2") == 3   # the last one wins
    assert c.cmd("LPOS", "l", "a", "RANK", str(2**63 - 1)) is None
    # Redis 7.0 negates RANK INT64_MIN to itself: the first match from the
    # tail, and a COUNT that never limits.
    assert c.cmd("LPOS", "l", "a", "RANK", str(-2**63)) == 5
    assert c.cmd("LPOS", "l", "a", "RANK", str(-2**63), "COUNT", "1") == [5, 3, 0]
    assert c.cmd("LPOS", "nokey", "a") is None
    assert c.cmd("LPOS", "nokey", "a", "COUNT", "0") == []


@pytest.mark.parametrize("args,error", [
    (["RANK", "0"], RANK_ZERO),
    (["RANK", "x"], NOT_INT),
    (["RANK", str(2**64)], NOT_INT),
    (["COUNT", "-1"], "ERR COUNT can't be negative"),
    (["COUNT", "x"], "ERR COUNT can't be negative"),
    (["MAXLEN", "-1"], "ERR MAXLEN can't be negative"),
    (["MAXLEN", "1.0"], "ERR MAXLEN can't be negative"),
    (["RANK"], SYNTAX),
    (["FOO", "1"], SYNTAX),
    (["COUNT", "1", "RANK"], SYNTAX),
    (["RANK", "0", "FOO"], RANK_ZERO),
])
def test_lpos_errors(c, args, error):
    c.check("SET", "s", "v")
    for key in ("l", "nokey", "s"):   # options are checked before the key
        c.check("RPUSH", "l", "a")
        assert err(c.cmd("LPOS", key, "a", *args)) == error


# --------------------------------------------------------------------------
# LMOVE, RPOPLPUSH, LMPOP
# --------------------------------------------------------------------------

def test_lmove(c):
    c.check("RPUSH", "src", "a", "b", "c")
    assert c.cmd("LMOVE", "src", "dst", "LEFT", "RIGHT") == b"a"
    assert c.cmd("LMOVE", "src", "dst", "right", "left") == b"c"
    assert items(c, "dst") == [b"c", b"a"]
    assert c.cmd("LMOVE", "src", "dst", "LEFT", "LEFT") == b"b"
    assert c.cmd("EXISTS", "src") == 0
    assert items(c, "dst") == [b"b", b"c", b"a"]
    assert c.cmd("LMOVE", "dst", "dst", "LEFT", "RIGHT") == b"b"   # rotation
    assert items(c, "dst") == [b"c", b"a", b"b"]
    assert c.cmd("LMOVE", "dst", "dst", "RIGHT", "RIGHT") == b"b"
    assert items(c, "dst") == [b"c", b"a", b"b"]
    assert c.cmd("RPOPLPUSH", "dst", "dst") == b"b"
    assert items(c, "dst") == [b"b", b"c", b"a"]
    assert c.cmd("RPOPLPUSH", "dst", "other") == b"a"
    assert items(c, "other") == [b"a"]
    assert c.cmd("LMOVE", "other", "other", "LEFT", "RIGHT") == b"a"  # a one-element list
    assert items(c, "other") == [b"a"]
    assert c.cmd("LMOVE", "nokey", "dst", "LEFT", "LEFT") is None
    assert err(c.cmd("LMOVE", "dst", "x", "LEFT", "MIDDLE")) == SYNTAX
    assert err(c.cmd("LMOVE", "dst", "x", "UP", "LEFT")) == SYNTAX
    c.check("SET", "s", "v")
    assert c.cmd("LMOVE", "nokey", "s", "LEFT", "LEFT") is None  # nothing to move: no check
    assert c.cmd("EXISTS", "x") == 0


def test_lmpop(c):
    c.check("RPUSH", "b", "1", "2", "3", "4")
    assert c.cmd("LMPOP", "2", "a", "b", "LEFT") == [b"b", [b"1"]]
    assert c.cmd("LMPOP", "2", "a", "b", "right", "count", "2") == [b"b", [b"4", b"3"]]
    assert c.cmd("LMPOP", "1", "b", "LEFT", "COUNT", "10") == [b"b", [b"2"]]
    assert c.cmd("EXISTS", "b") == 0
    assert c.cmd("LMPOP", "2", "a", "b", "LEFT") is None
    c.check("RPUSH", "a", "x")
    assert c.cmd("LMPOP", "2", "a", "a", "LEFT", "COUNT", str(2**63 - 1)) == [b"a", [b"x"]]


@pytest.mark.parametrize("args,error", [
    (["0", "k", "LEFT"], "ERR numkeys should be greater than 0"),
    (["-1", "k", "LEFT"], "ERR numkeys should be greater than 0"),
    (["x", "k", "LEFT"], "ERR numkeys should be greater than 0"),
    (["2", "k", "LEFT"], SYNTAX),
    (["3", "k", "LEFT"], SYNTAX),
    ([str(2**63 - 1), "k", "LEFT"], SYNTAX),
    (["1", "k", "MIDDLE"], SYNTAX),
    (["1", "k", "LEFT", "COUNT"], SYNTAX),
    (["1", "k", "LEFT", "COUNT", "0"], "ERR count should be greater than 0"),
    (["1", "k", "LEFT", "COUNT", "-1"], "ERR count should be greater than 0"),
    (["1", "k", "LEFT", "COUNT", "x"], "ERR count should be greater than 0"),
    (["1", "k", "LEFT", "COUNT", "1", "COUNT", "2"], SYNTAX),
    (["1", "k", "LEFT", "COUNT", "1", "foo"], SYNTAX),
    (["1", "k", "LEFT", "foo"], SYNTAX),
])
def test_lmpop_errors(c, args, error):
    c.check("RPUSH", "k", "a")
    assert err(c.cmd("LMPOP", *args)) == error
    assert items(c, "k") == [b"a"]


# --------------------------------------------------------------------------
# randomized against a Python model
# --------------------------------------------------------------------------

def _norm_range(n, start, stop):
    if start < 0:
        start += n
    if stop < 0:
        stop += n
    start = max(start, 0)
    if start > stop or start >= n:
        return None
    return start, min(stop, n - 1)


def _random_step(rnd, c, model, keys, values):
    """One random command on a random key; checks the reply against the model."""
    key = rnd.choice(keys)
    lst = model.setdefault(key, [])
    n = len(lst)
    op = rnd.randrange(14)
    v = rnd.choice(values)
    if op == 0:
        new = [rnd.choice(values) for _ in range(rnd.randrange(1, 4))]
        assert c.cmd("LPUSH", key, *new) == n + len(new)
        lst[:0] = reversed(new)
    elif op == 1:
        new = [rnd.choice(values) for _ in range(rnd.randrange(1, 4))]
        assert c.cmd("RPUSH", key, *new) == n + len(new)
        lst.extend(new)
    elif op == 2:
        count = rnd.randrange(0, 4)
        side = rnd.choice(("LPOP", "RPOP"))
        got = c.cmd(side, key, str(count))
        if n == 0:
            assert got is None
        elif side == "LPOP":
            assert got == lst[:count]
            del lst[:count]
        else:
            want = lst[::-1][:count]
            assert got == want
            del lst[n - len(want):]
    elif op == 3:
        i = rnd.randrange(-n - 2, n + 2)
        assert c.cmd("LINDEX", key, str(i)) == (lst[i] if -n <= i < n else None)
    elif op == 4:
        i = rnd.randrange(-n - 1, n + 1)
        got = c.cmd("LSET", key, str(i), v)
        if n == 0:
            assert err(got) == "ERR no such key"
        elif -n <= i < n:
            assert got == b"OK"
            lst[i] = v
        else:
            assert err(got) == "ERR index out of range"
    elif op == 5:
        a, b = rnd.randrange(-n - 3, n + 3), rnd.randrange(-n - 3, n + 3)
        r = _norm_range(n, a, b)
        assert c.cmd("LRANGE", key, str(a), str(b)) == (lst[r[0]:r[1] + 1] if r else [])
    elif op == 6 and rnd.random() < 0.3:
        a, b = rnd.randrange(-n - 1, 3), rnd.randrange(-3, n + 1)
        assert c.cmd("LTRIM", key, str(a), str(b)) == b"OK"
        r = _norm_range(n, a, b)
        lst[:] = lst[r[0]:r[1] + 1] if r else []
    elif op in (7, 8):
        pivot = rnd.choice(lst) if lst and rnd.random() < 0.9 else rnd.choice(values)
        where = rnd.choice(("BEFORE", "AFTER"))
        got = c.cmd("LINSERT", key, where, pivot, v)
        if n == 0:
            assert got == 0
        elif pivot not in lst:
            assert got == -1
        else:
            i = lst.index(pivot) + (1 if where == "AFTER" else 0)
            lst.insert(i, v)
            assert got == n + 1
    elif op == 9:
        count = rnd.choice((0, 1, 2, 5, -1, -2, -5))
        if count == 0 and n > 200:
            count = 3
        got = c.cmd("LREM", key, str(count), v)
        idx = [i for i, x in enumerate(lst) if x == v]
        if count < 0:
            idx = idx[::-1][:-count]
        elif count > 0:
            idx = idx[:count]
        assert got == len(idx)
        for i in sorted(idx, reverse=True):
            del lst[i]
    elif op == 10:
        rank = rnd.choice((1, 2, -1, -2))
        count = rnd.choice((None, 0, 1, 3))
        maxlen = rnd.choice((0, 0, 5, n // 2 + 1))
        args = ["LPOS", key, v, "RANK", str(rank), "MAXLEN", str(maxlen)]
        if count is not None:
            args += ["COUNT", str(count)]
        order = list(range(n)) if rank > 0 else list(range(n - 1, -1, -1))
        if maxlen:
            order = order[:maxlen]
        hits = [i for i in order if lst[i] == v][abs(rank) - 1:]
        if count:
            hits = hits[:count]
        want = hits if count is not None else (hits[0] if hits else None)
        assert c.cmd(*args) == want
    elif op == 11:
        dst = rnd.choice(keys)
        frm, to = rnd.choice(("LEFT", "RIGHT")), rnd.choice(("LEFT", "RIGHT"))
        got = c.cmd("LMOVE", key, dst, frm, to)
        if n == 0:
            assert got is None
        else:
            x = lst.pop(0 if frm == "LEFT" else -1)
            assert got == x
            d = model.setdefault(dst, [])
            d.insert(0 if to == "LEFT" else len(d), x)
    elif op == 12:
        other = rnd.choice(keys)
        side = rnd.choice(("LEFT", "RIGHT"))
        count = rnd.randrange(1, 4)
        got = c.cmd("LMPOP", "2", key, other, side, "COUNT", str(count))
        src = key if lst else (other if model.get(other) else None)
        if src is None:
            assert got is None
        else:
            s = model[src]
            take = s[:count] if side == "LEFT" else s[::-1][:count]
            assert got == [src.encode(), take]
            if side == "LEFT":
                del s[:len(take)]
            else:
                del s[len(s) - len(take):]
    else:
        assert c.cmd("LLEN", key) == n


def _check_all(c, model):
    for key, lst in model.items():
        assert items(c, key) == lst, key
        assert c.cmd("LLEN", key) == len(lst)
        assert c.cmd("EXISTS", key) == (1 if lst else 0)


def test_random_against_model(c):
    rnd = random.Random(7)
    values = [b"v%d" % i for i in range(6)]
    keys = ["k0", "k1", "k2"]
    model = {}
    for step in range(3000):
        _random_step(rnd, c, model, keys, values)
        if step % 500 == 0:
            _check_all(c, model)
    _check_all(c, model)


def test_random_inserts_and_removals_in_long_lists(c):
    rnd = random.Random(11)
    values = [b"e%d" % i for i in range(40)]
    model = {"long": [rnd.choice(values) for _ in range(2500)], "other": []}
    for i in range(0, 2500, 500):
        c.check("RPUSH", "long", *model["long"][i:i + 500])
    for step in range(600):
        lst = model["long"]
        n = len(lst)
        op = rnd.randrange(4)
        if op == 0:    # LINSERT anywhere: the pivot's first occurrence
            pivot = rnd.choice(lst[rnd.randrange(n // 2):])
            where = rnd.choice(("BEFORE", "AFTER"))
            v = rnd.choice(values)
            assert c.cmd("LINSERT", "long", where, pivot, v) == n + 1
            lst.insert(lst.index(pivot) + (where == "AFTER"), v)
        elif op == 1:  # LREM a few from either end
            v = rnd.choice(values)
            count = rnd.choice((1, 2, 3, -1, -2, -3))
            idx = [i for i, x in enumerate(lst) if x == v]
            idx = idx[:count] if count > 0 else idx[::-1][:-count]
            assert c.cmd("LREM", "long", str(count), v) == len(idx)
            for i in sorted(idx, reverse=True):
                del lst[i]
        elif op == 2:  # LSET/LINDEX in the middle
            i = rnd.randrange(n)
            assert c.cmd("LINDEX", "long", str(i)) == lst[i]
            v = rnd.choice(values)
            c.check("LSET", "long", str(i), v)
            lst[i] = v
        else:
            a = rnd.randrange(n)
            assert c.cmd("LRANGE", "long", str(a), str(a + 30)) == lst[a:a + 31]
        if step % 100 == 0:
            assert items(c, "long") == lst
    assert c.cmd("LREM", "long", "0", "e3") == lst.count(b"e3")
    lst[:] = [x for x in lst if x != b"e3"]
    assert items(c, "long") == lst
    assert c.cmd("LPOS", "long", "e5", "COUNT", "0") == [i for i, x in enumerate(lst) if x == b"e5"]


# --------------------------------------------------------------------------
# Strata only: a large list's durability and write cost
# --------------------------------------------------------------------------

def bytes_written(c):
    info = c.cmd("INFO", "rocksdb").decode()
    for line in info.splitlines():
        if line.startswith("rocksdb_bytes_written:"):
            return int(line.split(":")[1])
    raise AssertionError(f"no rocksdb_bytes_written in {info!r}")


@pytest.mark.strata_only
def test_large_list_survives_restart_and_stays_cheap(server):
    c = server.resp()
    n = 100_000
    batch = 2000
    for i in range(0, n, batch):
        c.check("RPUSH", "big", *[b"element-%06d" % j for j in range(i, i + batch)])
    server.restart()
    c = server.resp()
    assert c.cmd("LLEN", "big") == n
    assert c.cmd("LINDEX", "big", "0") == b"element-000000"
    assert c.cmd("LINDEX", "big", "54321") == b"element-054321"
    assert c.cmd("LINDEX", "big", "-1") == b"element-099999"
    assert c.cmd("LRANGE", "big", "70000", "70002") == \
        [b"element-070000", b"element-070001", b"element-070002"]

    ops = 200
    before = bytes_written(c)
    for i in range(ops // 2):
        assert c.cmd("LPUSH", "big", b"new-%d" % i) == n + 1
        assert c.cmd("RPOP", "big") == b"element-%06d" % (n - 1 - i)
    per_op = (bytes_written(c) - before) / ops
    assert per_op < 512, per_op                 # one element and the metadata, not the list

    # Inserts next to either end renumber only the short side.
    before = bytes_written(c)
    assert c.cmd("LINSERT", "big", "AFTER", "new-97", "near-head") == n + 1
    assert c.cmd("LINSERT", "big", "BEFORE", "element-099897", "near-tail") == n + 2
    assert c.cmd("LREM", "big", "1", "near-head") == 1
    assert c.cmd("LREM", "big", "-1", "near-tail") == 1
    assert bytes_written(c) - before < 16 * 1024
    assert c.cmd("LINDEX", "big", "2") == b"new-97"
    assert c.cmd("LINDEX", "big", "-1") == b"element-099899"

    c.check("LTRIM", "big", "10", "-11")
    server.restart()
    c = server.resp()
    assert c.cmd("LLEN", "big") == n - 20
    got = c.cmd("LRANGE", "big", "0", "-1")
    want = [b"new-%d" % i for i in range(ops // 2 - 1, -1, -1)] + \
        [b"element-%06d" % j for j in range(n - ops // 2)]
    assert got == want[10:-10]
