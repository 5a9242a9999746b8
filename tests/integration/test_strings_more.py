"""The rest of the string commands: GETEX, GETDEL, GETSET, MSETNX, SETNX,
SETEX, PSETEX, APPEND, STRLEN, INCRBYFLOAT, GETRANGE, SUBSTR, SETRANGE and LCS,
with their options and errors, RESP3 where the reply shape differs, and the
same commands on values large enough to be chunked in Strata (over 16 KiB).
Expected values are those of redis-server 7.0.15."""

import time

import pytest

from replies import err, NOT_FLOAT, NOT_INT, SYNTAX, WRONGTYPE

TOO_BIG = "ERR string exceeds maximum allowed size (proto-max-bulk-len)"

# A list key for WRONGTYPE checks; skipped until the server has lists.
needs_list = pytest.mark.needs("rpush")


def big(n, seed=0):
    """n bytes of a non-repeating pattern."""
    return bytes((i * 7 + seed + (i >> 9)) % 251 for i in range(n))


# --------------------------------------------------------------------------
# arity
# --------------------------------------------------------------------------

@pytest.mark.parametrize("args", [
    ["GETEX"], ["GETDEL"], ["GETDEL", "a", "b"], ["GETSET", "k"], ["MSETNX"],
    ["MSETNX", "a"], ["MSETNX", "a", "1", "b"], ["SETNX", "k"], ["SETEX", "k", "1"],
    ["PSETEX", "k", "1"], ["APPEND", "k"], ["STRLEN"], ["INCRBYFLOAT", "k"],
    ["GETRANGE", "k", "0"], ["SUBSTR", "k", "0"], ["SETRANGE", "k", "0"], ["LCS", "a"],
])
def test_arity(c, args):
    assert err(c.cmd(*args)) == \
        f"ERR wrong number of arguments for '{args[0].lower()}' command"


# --------------------------------------------------------------------------
# GETEX, GETDEL, GETSET
# --------------------------------------------------------------------------

def test_getex_without_options_reads(c):
    assert c.cmd("GETEX", "missing") is None
    c.check("SET", "k", "v", "EX", "100")
    assert c.cmd("GETEX", "k") == b"v"
    assert 99 <= c.cmd("TTL", "k") <= 100


def test_getex_sets_and_removes_ttl(c):
    c.check("SET", "k", "v")
    assert c.cmd("GETEX", "k", "EX", "100") == b"v"
    assert 99 <= c.cmd("TTL", "k") <= 100
    assert c.cmd("GETEX", "k", "PX", "200000") == b"v"
    assert 199_000 <= c.cmd("PTTL", "k") <= 200_000
    now = int(time.time())
    assert c.cmd("GETEX", "k", "EXAT", str(now + 300)) == b"v"
    assert 298 <= c.cmd("TTL", "k") <= 300
    assert c.cmd("GETEX", "k", "PXAT", str(now * 1000 + 400_000)) == b"v"
    assert 398 <= c.cmd("TTL", "k") <= 400
    assert c.cmd("GETEX", "k", "persist") == b"v"
    assert c.cmd("TTL", "k") == -1
    assert c.cmd("GETEX", "k", "PERSIST") == b"v"
    assert c.cmd("GET", "k") == b"v"


def test_getex_at_a_past_time_deletes(c):
    c.check("SET", "k", "v")
    assert c.cmd("GETEX", "k", "EXAT", "1") == b"v"
    assert c.cmd("EXISTS", "k") == 0
    c.check("SET", "k", "v2")
    assert c.cmd("GETEX", "k", "PXAT", "1") == b"v2"
    assert c.cmd("GET", "k") is None


@pytest.mark.parametrize("opts", [
    ["EX"], ["EX", "10", "PX", "10"], ["PERSIST", "EX", "10"], ["EX", "10", "PERSIST"],
    ["KEEPTTL"], ["NX"], ["GET"], ["FOO"], ["EX", "10", "FOO"],
])
def test_getex_syntax_errors(c, opts):
    c.check("SET", "k", "v")
    assert err(c.cmd("GETEX", "k", *opts)) == SYNTAX
    assert err(c.cmd("GETEX", "missing", *opts)) == SYNTAX


def test_getex_bad_expire_values(c):
    c.check("SET", "k", "v", "EX", "100")
    assert err(c.cmd("GETEX", "k", "EX", "0")) == "ERR invalid expire time in 'getex' command"
    assert err(c.cmd("GETEX", "k", "PX", "-5")) == "ERR invalid expire time in 'getex' command"
    assert err(c.cmd("GETEX", "k", "EX", "9223372036854775807")) == \
        "ERR invalid expire time in 'getex' command"
    assert err(c.cmd("GETEX", "k", "EX", "abc")) == NOT_INT
    assert 99 <= c.cmd("TTL", "k") <= 100
    # A missing key answers nil before the value is looked at.
    assert c.cmd("GETEX", "missing", "EX", "abc") is None
    assert c.cmd("GETEX", "missing", "EX", "-1") is None


def test_getdel(c):
    assert c.cmd("GETDEL", "k") is None
    c.check("SET", "k", "v", "EX", "100")
    assert c.cmd("GETDEL", "k") == b"v"
    assert c.cmd("EXISTS", "k") == 0
    assert c.cmd("GETDEL", "k") is None


def test_getset(c):
    assert c.cmd("GETSET", "k", "a") is None
    assert c.cmd("GET", "k") == b"a"
    c.check("EXPIRE", "k", "100")
    assert c.cmd("GETSET", "k", "b") == b"a"
    assert c.cmd("GET", "k") == b"b"
    assert c.cmd("TTL", "k") == -1   # GETSET clears the TTL


@needs_list
def test_get_family_wrong_type(c):
    c.check("RPUSH", "l", "x")
    for args in (["GETEX", "l"], ["GETEX", "l", "EX", "10"], ["GETEX", "l", "EX", "bad"],
                 ["GETDEL", "l"], ["GETSET", "l", "v"], ["APPEND", "l", "x"],
                 ["STRLEN", "l"], ["INCRBYFLOAT", "l", "1"], ["INCRBYFLOAT", "l", "bad"],
                 ["GETRANGE", "l", "0", "1"], ["SETRANGE", "l", "0", "x"],
                 ["SETRANGE", "l", "0", ""]):
        assert err(c.cmd(*args)) == WRONGTYPE, args
    assert c.cmd("SETNX", "l", "v") == 0
    assert c.cmd("MSETNX", "l", "v", "n", "v") == 0
    assert c.cmd("SETEX", "l", "10", "v") == b"OK"   # SETEX overwrites any type
    assert c.cmd("TYPE", "l") == b"string"


# --------------------------------------------------------------------------
# SETNX, SETEX, PSETEX, MSETNX
# --------------------------------------------------------------------------

def test_setnx(c):
    assert c.cmd("SETNX", "k", "a") == 1
    assert c.cmd("SETNX", "k", "b") == 0
    assert c.cmd("GET", "k") == b"a"


def test_setex_psetex(c):
    assert c.cmd("SETEX", "k", "100", "v") == b"OK"
    assert 99 <= c.cmd("TTL", "k") <= 100
    assert c.cmd("GET", "k") == b"v"
    assert c.cmd("PSETEX", "p", "100000", "w") == b"OK"
    assert 99_000 <= c.cmd("PTTL", "p") <= 100_000


@pytest.mark.parametrize("cmd", ["SETEX", "PSETEX"])
def test_setex_errors(c, cmd):
    name = cmd.lower()
    assert err(c.cmd(cmd, "k", "0", "v")) == f"ERR invalid expire time in '{name}' command"
    assert err(c.cmd(cmd, "k", "-1", "v")) == f"ERR invalid expire time in '{name}' command"
    assert err(c.cmd(cmd, "k", "1.5", "v")) == NOT_INT
    assert err(c.cmd(cmd, "k", "x", "v")) == NOT_INT
    assert err(c.cmd(cmd, "k", "9223372036854775807", "v")) == \
        f"ERR invalid expire time in '{name}' command"
    assert c.cmd("EXISTS", "k") == 0


def test_msetnx(c):
    assert c.cmd("MSETNX", "a", "1", "b", "2") == 1
    assert c.cmd("MGET", "a", "b") == [b"1", b"2"]
    assert c.cmd("MSETNX", "c", "3", "a", "x") == 0
    assert c.cmd("EXISTS", "c") == 0
    assert c.cmd("GET", "a") == b"1"
    # A repeated new key: the last value wins.
    assert c.cmd("MSETNX", "d", "1", "d", "2") == 1
    assert c.cmd("GET", "d") == b"2"


# --------------------------------------------------------------------------
# APPEND, STRLEN
# --------------------------------------------------------------------------

def test_append_and_strlen(c):
    assert c.cmd("STRLEN", "k") == 0
    assert c.cmd("APPEND", "k", "Hello") == 5
    assert c.cmd("APPEND", "k", " World") == 11
    assert c.cmd("GET", "k") == b"Hello World"
    assert c.cmd("STRLEN", "k") == 11
    assert c.cmd("APPEND", "k", "") == 11
    c.check("SET", "n", "10")
    assert c.cmd("APPEND", "n", "5") == 3
    assert c.cmd("INCR", "n") == 106
    assert c.cmd("APPEND", "bin", b"\x00\xff") == 2
    assert c.cmd("GET", "bin") == b"\x00\xff"


def test_append_keeps_ttl(c):
    c.check("SET", "k", "v", "EX", "100")
    assert c.cmd("APPEND", "k", "w") == 2
    assert 99 <= c.cmd("TTL", "k") <= 100


def test_append_large_values(c):
    a, b = big(50_000, 1), big(30_000, 2)
    assert c.cmd("APPEND", "k", a) == len(a)
    assert c.cmd("APPEND", "k", b) == len(a) + len(b)
    for i in range(20):
        assert c.cmd("APPEND", "k", b"%d" % i) > 0
    want = a + b + b"".join(b"%d" % i for i in range(20))
    assert c.cmd("GET", "k") == want
    assert c.cmd("STRLEN", "k") == len(want)
    # Growing a small value past 16 KiB.
    c.check("SET", "s", "x" * 16_000)
    assert c.cmd("APPEND", "s", "y" * 1000) == 17_000
    assert c.cmd("GET", "s") == b"x" * 16_000 + b"y" * 1000


@pytest.mark.server_args("--proto-max-bulk-len", "1mb")
def test_append_and_setrange_over_proto_max_bulk_len(server):
    c = server.resp()
    mb = 1024 * 1024
    assert c.cmd("SETRANGE", "k", str(mb - 10), "x" * 10) == mb
    assert err(c.cmd("APPEND", "k", "y")) == TOO_BIG
    assert err(c.cmd("SETRANGE", "k", str(mb), "y")) == TOO_BIG
    assert err(c.cmd("SETRANGE", "k", str(mb - 1), "yz")) == TOO_BIG
    assert c.cmd("SETRANGE", "k", str(mb - 1), "z") == mb
    assert c.cmd("STRLEN", "k") == mb
    # APPEND creating a key does not check the length (as Redis).
    assert c.cmd("APPEND", "new", "v") == 1


# --------------------------------------------------------------------------
# INCRBYFLOAT
# --------------------------------------------------------------------------

@pytest.mark.parametrize("start,incr,want", [
    (None, "10.5", b"10.5"),
    ("10.50", "0.1", b"10.6"),
    ("5.0e3", "2.0e2", b"5200"),
    ("3", "1", b"4"),
    ("0.1", "-0.1", b"0"),
    ("-0", "0", b"0"),
    (None, "1e400", None),            # long double range: a 401-digit number
    ("1", "0x10", b"17"),
    ("10", "-1e-5", b"9.99999"),
    ("1.5", "  2", "err"),
    (None, "1.1", b"1.1"),
    (None, "3.0000000000000000000001", b"3"),
    ("17179869184", "1.5", b"17179869185.5"),
])
def test_incrbyfloat_values(c, start, incr, want):
    if start is not None:
        c.check("SET", "k", start)
    got = c.cmd("INCRBYFLOAT", "k", incr)
    if want == "err":
        assert err(got) == NOT_FLOAT
    elif want is None:
        # 10^400 is not exact in a long double: %.17Lf prints its 401 digits.
        assert len(got) == 401 and got.startswith(b"10000000000000000000") and got.isdigit()
    else:
        assert got == want
        assert c.cmd("GET", "k") == want


def test_incrbyfloat_errors(c):
    c.check("SET", "s", "abc")
    assert err(c.cmd("INCRBYFLOAT", "s", "1")) == NOT_FLOAT
    assert err(c.cmd("INCRBYFLOAT", "k", "abc")) == NOT_FLOAT
    assert err(c.cmd("INCRBYFLOAT", "k", "")) == NOT_FLOAT
    assert err(c.cmd("INCRBYFLOAT", "k", "nan")) == NOT_FLOAT
    assert err(c.cmd("INCRBYFLOAT", "k", "1e99999")) == NOT_FLOAT
    assert err(c.cmd("INCRBYFLOAT", "k", "inf")) == \
        "ERR increment would produce NaN or Infinity"
    c.check("SET", "m", "1e4932")
    assert err(c.cmd("INCRBYFLOAT", "m", "1e4932")) == \
        "ERR increment would produce NaN or Infinity"
    assert c.cmd("GET", "m") == b"1e4932"
    assert c.cmd("EXISTS", "k") == 0
    c.check("SET", "huge", "1" * 20_000)   # longer than any number (chunked in Strata)
    assert err(c.cmd("INCRBYFLOAT", "huge", "1")) == NOT_FLOAT
    assert err(c.cmd("INCR", "huge")) == NOT_INT


def test_incrbyfloat_keeps_ttl(c):
    c.check("SET", "k", "1", "EX", "100")
    assert c.cmd("INCRBYFLOAT", "k", "0.5") == b"1.5"
    assert 99 <= c.cmd("TTL", "k") <= 100


# --------------------------------------------------------------------------
# GETRANGE, SUBSTR, SETRANGE
# --------------------------------------------------------------------------

@pytest.mark.parametrize("cmd", ["GETRANGE", "SUBSTR"])
def test_getrange(c, cmd):
    c.check("SET", "k", "This is a string")
    assert c.cmd(cmd, "k", "0", "3") == b"This"
    assert c.cmd(cmd, "k", "-3", "-1") == b"ing"
    assert c.cmd(cmd, "k", "0", "-1") == b"This is a string"
    assert c.cmd(cmd, "k", "10", "100") == b"string"
    assert c.cmd(cmd, "k", "5", "3") == b""
    assert c.cmd(cmd, "k", "-1", "-5") == b""
    assert c.cmd(cmd, "k", "-100", "-50") == b"T"
    assert c.cmd(cmd, "k", "100", "200") == b""
    assert c.cmd_raw(cmd, "missing", "0", "-1") == b"$0\r\n\r\n"
    assert err(c.cmd(cmd, "k", "a", "1")) == NOT_INT
    assert err(c.cmd(cmd, "k", "0", "1.5")) == NOT_INT
    assert err(c.cmd(cmd, "missing", "x", "1")) == NOT_INT
    c.check("SET", "e", "")
    assert c.cmd(cmd, "e", "0", "-1") == b""


def test_getrange_large_value(c):
    v = big(100_000, 3)
    c.check("SET", "k", v)
    for start, end in [(0, 10), (4090, 4200), (16383, 16385), (-5000, -1),
                       (50_000, 60_000), (99_999, 200_000), (8191, 8192)]:
        s = start if start >= 0 else len(v) + start
        e = min(end if end >= 0 else len(v) + end, len(v) - 1)
        assert c.cmd("GETRANGE", "k", str(start), str(end)) == v[s:e + 1], (start, end)


def test_setrange(c):
    c.check("SET", "k", "Hello World")
    assert c.cmd("SETRANGE", "k", "6", "Redis") == 11
    assert c.cmd("GET", "k") == b"Hello Redis"
    assert c.cmd("SETRANGE", "k", "15", "!") == 16
    assert c.cmd("GET", "k") == b"Hello Redis\x00\x00\x00\x00!"
    assert c.cmd("SETRANGE", "new", "3", "ab") == 5
    assert c.cmd("GET", "new") == b"\x00\x00\x00ab"
    # Setting nothing: the length, and no key is created.
    assert c.cmd("SETRANGE", "k", "100", "") == 16
    assert c.cmd("SETRANGE", "none", "5", "") == 0
    assert c.cmd("EXISTS", "none") == 0
    c.check("SET", "t", "v", "EX", "100")
    assert c.cmd("SETRANGE", "t", "0", "w") == 1
    assert 99 <= c.cmd("TTL", "t") <= 100


def test_setrange_errors(c):
    c.check("SET", "k", "v")
    assert err(c.cmd("SETRANGE", "k", "-1", "x")) == "ERR offset is out of range"
    assert err(c.cmd("SETRANGE", "k", "a", "x")) == NOT_INT
    assert err(c.cmd("SETRANGE", "k", "536870912", "x")) == TOO_BIG
    assert err(c.cmd("SETRANGE", "k", "536870911", "xy")) == TOO_BIG
    assert err(c.cmd("SETRANGE", "k", "9223372036854775807", "x")) == TOO_BIG
    assert err(c.cmd("SETRANGE", "missing", "536870912", "x")) == TOO_BIG
    assert c.cmd("EXISTS", "missing") == 0
    assert c.cmd("GET", "k") == b"v"


def test_setrange_large_values(c):
    v = bytearray(big(70_000, 4))
    c.check("SET", "k", bytes(v))
    for off, data in [(4094, b"XXXX"), (0, b"start"), (69_998, b"end!!"),
                      (30_000, big(9000, 5)), (100_000, b"far")]:
        want_len = max(len(v), off + len(data))
        assert c.cmd("SETRANGE", "k", str(off), data) == want_len
        v.extend(b"\x00" * (want_len - len(v)))
        v[off:off + len(data)] = data
    assert c.cmd("GET", "k") == bytes(v)
    assert c.cmd("STRLEN", "k") == len(v)


def test_setrange_at_high_offset(c):
    assert c.cmd("SETRANGE", "k", str(100 * 1024 * 1024), "x") == 100 * 1024 * 1024 + 1
    assert c.cmd("GETRANGE", "k", "-2", "-1") == b"\x00x"
    assert c.cmd("GETRANGE", "k", "5000000", "5000003") == b"\x00" * 4
    assert c.cmd("STRLEN", "k") == 100 * 1024 * 1024 + 1
    c.check("DEL", "k")


# --------------------------------------------------------------------------
# LCS
# --------------------------------------------------------------------------

def test_lcs_string_and_len(c):
    c.check("MSET", "a", "ohmytext", "b", "mynewtext")
    assert c.cmd("LCS", "a", "b") == b"mytext"
    assert c.cmd("LCS", "a", "b", "LEN") == 6
    assert c.cmd("LCS", "a", "missing") == b""
    assert c.cmd("LCS", "missing", "other", "LEN") == 0
    assert c.cmd("LCS", "a", "a") == b"ohmytext"


def test_lcs_idx_resp2(c):
    c.check("MSET", "a", "ohmytext", "b", "mynewtext")
    assert c.cmd("LCS", "a", "b", "IDX") == [
        b"matches", [[[4, 7], [5, 8]], [[2, 3], [0, 1]]], b"len", 6]
    assert c.cmd("LCS", "a", "b", "IDX", "MINMATCHLEN", "4", "WITHMATCHLEN") == [
        b"matches", [[[4, 7], [5, 8], 4]], b"len", 6]
    assert c.cmd("LCS", "a", "b", "idx", "withmatchlen") == [
        b"matches", [[[4, 7], [5, 8], 4], [[2, 3], [0, 1], 2]], b"len", 6]
    assert c.cmd("LCS", "a", "b", "IDX", "MINMATCHLEN", "-5") == [
        b"matches", [[[4, 7], [5, 8]], [[2, 3], [0, 1]]], b"len", 6]
    assert c.cmd("LCS", "a", "missing", "IDX") == [b"matches", [], b"len", 0]


def test_lcs_idx_resp3(c3):
    c3.check("MSET", "a", "ohmytext", "b", "mynewtext")
    r = c3.cmd("LCS", "a", "b", "IDX", "WITHMATCHLEN")
    assert isinstance(r, dict)
    assert r == {b"matches": [[[4, 7], [5, 8], 4], [[2, 3], [0, 1], 2]], b"len": 6}
    assert c3.cmd("LCS", "a", "b", "LEN") == 6


def test_lcs_longer_strings(c):
    a = b"".join(b"%05d" % i for i in range(0, 600, 2))
    b = b"".join(b"%05d" % i for i in range(0, 600, 3))
    c.check("MSET", "a", a, "b", b)
    length = c.cmd("LCS", "a", "b", "LEN")
    seq = c.cmd("LCS", "a", "b")
    assert len(seq) == length
    r = c.cmd("LCS", "a", "b", "IDX", "MINMATCHLEN", "5", "WITHMATCHLEN")
    assert r[3] == length
    for (a0, a1), (b0, b1), n in r[1]:
        assert a[a0:a1 + 1] == b[b0:b1 + 1] and n == a1 - a0 + 1 >= 5


def test_lcs_errors(c):
    c.check("MSET", "a", "x", "b", "y")
    assert err(c.cmd("LCS", "a", "b", "IDX", "LEN")) == \
        "ERR If you want both the length and indexes, please just use IDX."
    assert err(c.cmd("LCS", "a", "b", "FOO")) == SYNTAX
    assert err(c.cmd("LCS", "a", "b", "MINMATCHLEN")) == SYNTAX
    assert err(c.cmd("LCS", "a", "b", "MINMATCHLEN", "x")) == NOT_INT
    assert err(c.cmd("LCS", "a", "b", "IDX", "MINMATCHLEN", "x", "LEN")) == NOT_INT
    assert err(c.cmd("LCS", "a", "b", "FOO", "MINMATCHLEN", "x")) == SYNTAX


def test_lcs_table_over_proto_max_bulk_len(c):
    # (n+1)^2 * 4 bytes > 512 MB for n = 12000.
    c.check("SET", "a", "x" * 12_000)
    assert err(c.cmd("LCS", "a", "a", "LEN")) == \
        "ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len"


@needs_list
def test_lcs_wrong_type(c):
    c.check("RPUSH", "l", "x")
    c.check("SET", "s", "x")
    assert err(c.cmd("LCS", "l", "s")) == "ERR The specified keys must contain string values"
    assert err(c.cmd("LCS", "s", "l", "FOO")) == \
        "ERR The specified keys must contain string values"


# --------------------------------------------------------------------------
# large values through the other commands
# --------------------------------------------------------------------------

def test_large_values_through_set_family(c):
    v = big(200_000, 6)
    assert c.cmd("SET", "k", v, "GET") is None
    assert c.cmd("GET", "k") == v
    assert c.cmd("GETSET", "k", b"small") == v
    assert c.cmd("GETSET", "k", v) == b"small"
    assert c.cmd("MGET", "k", "nope", "k") == [v, None, v]
    assert c.cmd("GETEX", "k", "EX", "100") == v
    assert 99 <= c.cmd("TTL", "k") <= 100
    assert c.cmd("GETDEL", "k") == v
    assert c.cmd("EXISTS", "k") == 0
    assert c.cmd("MSETNX", "x", v, "y", b"z") == 1
    assert c.cmd("GET", "x") == v
    assert c.cmd("SETEX", "x", "50", v[:100_000]) == b"OK"
    assert c.cmd("GET", "x") == v[:100_000]
    assert c.cmd("DEL", "x", "y") == 2
