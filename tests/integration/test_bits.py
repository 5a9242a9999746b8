"""Bit commands: SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD and
BITFIELD_RO, with their options, limits and errors, RESP3 nulls, values large
enough to be chunked in Strata, and a randomized check against a Python model.
Strata-only: SETBIT at bit 2^32-1 writes about one chunk (INFO rocksdb's
rocksdb_bytes_written), and chunked values survive a restart.
Expected values are those of redis-server 7.0.15."""

import random

import pytest

from replies import err, NOT_INT, SYNTAX, WRONGTYPE

BIT_OFFSET = "ERR bit offset is not an integer or out of range"
BAD_TYPE = ("ERR Invalid bitfield type. Use something like i16 u8. "
            "Note that u64 is not supported but i64 is.")

needs_list = pytest.mark.needs("rpush")


@pytest.mark.parametrize("args", [
    ["SETBIT", "k", "1"], ["GETBIT", "k"], ["BITCOUNT"], ["BITPOS", "k"],
    ["BITOP", "AND", "d"], ["BITFIELD"], ["BITFIELD_RO"],
])
def test_arity(c, args):
    assert err(c.cmd(*args)) == \
        f"ERR wrong number of arguments for '{args[0].lower()}' command"


# --------------------------------------------------------------------------
# SETBIT, GETBIT
# --------------------------------------------------------------------------

def test_setbit_getbit(c):
    assert c.cmd("SETBIT", "k", "7", "1") == 0
    assert c.cmd("GET", "k") == b"\x01"
    assert c.cmd("SETBIT", "k", "7", "1") == 1
    assert c.cmd("SETBIT", "k", "0", "1") == 0
    assert c.cmd("GET", "k") == b"\x81"
    assert c.cmd("SETBIT", "k", "7", "0") == 1
    assert c.cmd("GET", "k") == b"\x80"
    assert c.cmd("SETBIT", "k", "20", "0") == 0   # grows with zeros
    assert c.cmd("GET", "k") == b"\x80\x00\x00"
    assert c.cmd("GETBIT", "k", "0") == 1
    assert c.cmd("GETBIT", "k", "1") == 0
    assert c.cmd("GETBIT", "k", "100000") == 0
    assert c.cmd("GETBIT", "missing", "3") == 0
    c.check("SET", "s", "a")                     # 0x61 = 01100001
    assert [c.cmd("GETBIT", "s", str(i)) for i in range(8)] == [0, 1, 1, 0, 0, 0, 0, 1]


def test_setbit_keeps_ttl(c):
    c.check("SET", "k", "a", "EX", "100")
    assert c.cmd("SETBIT", "k", "100", "1") == 0
    assert 99 <= c.cmd("TTL", "k") <= 100


def test_setbit_getbit_errors(c):
    for off in ["-1", "a", "1.5", "4294967296", "9223372036854775807", "#1"]:
        assert err(c.cmd("SETBIT", "k", off, "1")) == BIT_OFFSET, off
        assert err(c.cmd("GETBIT", "k", off)) == BIT_OFFSET, off
    for v in ["2", "-1", "a", ""]:
        assert err(c.cmd("SETBIT", "k", "0", v)) == "ERR bit is not an integer or out of range"
    assert c.cmd("EXISTS", "k") == 0
    assert c.cmd("SETBIT", "k", "4294967295", "0") == 0
    assert c.cmd("STRLEN", "k") == 512 * 1024 * 1024
    c.check("DEL", "k")


@needs_list
def test_bits_wrong_type(c):
    c.check("RPUSH", "l", "x")
    for args in (["SETBIT", "l", "0", "1"], ["GETBIT", "l", "0"], ["BITCOUNT", "l"],
                 ["BITCOUNT", "l", "0"], ["BITPOS", "l", "1"], ["BITPOS", "l", "0", "x"],
                 ["BITOP", "AND", "d", "l"], ["BITOP", "NOT", "d", "l"],
                 ["BITFIELD", "l", "GET", "u8", "0"], ["BITFIELD", "l", "SET", "u8", "0", "1"],
                 ["BITFIELD_RO", "l", "GET", "u8", "0"]):
        assert err(c.cmd(*args)) == WRONGTYPE, args
    assert c.cmd("BITOP", "OR", "l", "missing") == 0   # the destination may be any type
    assert c.cmd("EXISTS", "l") == 0


# --------------------------------------------------------------------------
# BITCOUNT
# --------------------------------------------------------------------------

def test_bitcount(c):
    c.check("SET", "k", "foobar")
    assert c.cmd("BITCOUNT", "k") == 26
    assert c.cmd("BITCOUNT", "k", "0", "0") == 4
    assert c.cmd("BITCOUNT", "k", "1", "1") == 6
    assert c.cmd("BITCOUNT", "k", "1", "1", "BYTE") == 6
    assert c.cmd("BITCOUNT", "k", "5", "30", "BIT") == 17
    assert c.cmd("BITCOUNT", "k", "5", "30", "bit") == 17
    assert c.cmd("BITCOUNT", "k", "-2", "-1") == 7
    assert c.cmd("BITCOUNT", "k", "-1", "-2") == 0
    assert c.cmd("BITCOUNT", "k", "-100", "-50") == 4
    assert c.cmd("BITCOUNT", "k", "3", "1") == 0
    assert c.cmd("BITCOUNT", "k", "0", "1000") == 26
    assert c.cmd("BITCOUNT", "k", "-3", "-1", "BIT") == 1
    assert c.cmd("BITCOUNT", "k", "0", "-1", "BIT") == 26
    assert c.cmd("BITCOUNT", "missing") == 0
    c.check("SET", "e", "")
    assert c.cmd("BITCOUNT", "e") == 0
    assert c.cmd("BITCOUNT", "e", "0", "-1") == 0


def test_bitcount_errors(c):
    c.check("SET", "k", "foobar")
    assert err(c.cmd("BITCOUNT", "k", "0")) == SYNTAX
    assert err(c.cmd("BITCOUNT", "k", "0", "1", "BIT", "x")) == SYNTAX
    assert err(c.cmd("BITCOUNT", "k", "0", "1", "WORD")) == SYNTAX
    assert err(c.cmd("BITCOUNT", "k", "a", "1")) == NOT_INT
    assert err(c.cmd("BITCOUNT", "k", "0", "b")) == NOT_INT
    # A missing key answers 0 before its arguments are looked at.
    assert c.cmd("BITCOUNT", "missing", "0") == 0
    assert c.cmd("BITCOUNT", "missing", "a", "b", "c") == 0


# --------------------------------------------------------------------------
# BITPOS
# --------------------------------------------------------------------------

def test_bitpos(c):
    c.check("SET", "k", b"\xff\xf0\x00")
    assert c.cmd("BITPOS", "k", "0") == 12
    assert c.cmd("BITPOS", "k", "1") == 0
    c.check("SET", "k", b"\x00\xff\xf0")
    assert c.cmd("BITPOS", "k", "1", "0") == 8
    assert c.cmd("BITPOS", "k", "1", "2") == 16
    assert c.cmd("BITPOS", "k", "1", "2", "-1", "BYTE") == 16
    assert c.cmd("BITPOS", "k", "1", "7", "15", "BIT") == 8
    assert c.cmd("BITPOS", "k", "1", "7", "-3", "BIT") == 8
    assert c.cmd("BITPOS", "k", "0", "8", "11", "BIT") == -1
    assert c.cmd("BITPOS", "k", "0", "8", "12", "bit") == -1
    assert c.cmd("BITPOS", "k", "0", "8", "20", "bit") == 20


@pytest.mark.parametrize("value,args,want", [
    (b"\xff\xff\xff", ["0"], 24),                 # no end: past the end counts as 0
    (b"\xff\xff\xff", ["0", "0"], 24),
    (b"\xff\xff\xff", ["0", "0", "-1"], -1),      # an explicit end: -1
    (b"\xff\xff\xff", ["0", "1", "2", "BYTE"], -1),
    (b"\xff\xff\xff", ["0", "3", "10", "BIT"], -1),
    (b"\xff\xff\xff", ["0", "3", "-1", "BIT"], -1),
    (b"\xff\xff\x00", ["0", "3", "-1", "BIT"], 16),
    (b"\x00\x00\x00", ["1"], -1),
    (b"\x00\x00\x00", ["0"], 0),
    (b"\x00\x00\x01", ["1", "-1"], 23),
    (b"\x00\x00\x01", ["1", "0", "1"], -1),
    (b"\x00\x00\x01", ["1", "2", "1"], -1),       # start > end
    (b"\x00\x00\x01", ["1", "-100", "-200"], -1),
    (b"\x80\x00\x01", ["1", "-100", "-200"], 0),  # both clamp to byte 0
    (b"\x00\x00\x01", ["1", "23", "23", "BIT"], 23),
    (b"\x00\x00\x01", ["1", "22", "22", "BIT"], -1),
    (b"\x01", ["0", "7", "7", "BIT"], -1),
    (b"\x01", ["0", "6", "7", "BIT"], 6),
    (b"", ["0"], -1),
    (b"", ["1"], -1),
    (b"", ["0", "0"], -1),
])
def test_bitpos_cases(c, value, args, want):
    c.check("SET", "k", value)
    assert c.cmd("BITPOS", "k", *args) == want


def test_bitpos_missing_key_and_errors(c):
    assert c.cmd("BITPOS", "missing", "0") == 0
    assert c.cmd("BITPOS", "missing", "1") == -1
    assert c.cmd("BITPOS", "missing", "0", "a", "b", "c", "d") == 0
    assert err(c.cmd("BITPOS", "missing", "2")) == "ERR The bit argument must be 1 or 0."
    assert err(c.cmd("BITPOS", "missing", "x")) == NOT_INT
    c.check("SET", "k", "a")
    assert err(c.cmd("BITPOS", "k", "-1")) == "ERR The bit argument must be 1 or 0."
    assert err(c.cmd("BITPOS", "k", "1", "a")) == NOT_INT
    assert err(c.cmd("BITPOS", "k", "1", "0", "b")) == NOT_INT
    assert err(c.cmd("BITPOS", "k", "1", "0", "b", "FOO")) == SYNTAX  # unit before end
    assert err(c.cmd("BITPOS", "k", "1", "a", "b", "FOO")) == NOT_INT
    assert err(c.cmd("BITPOS", "k", "1", "0", "1", "BIT", "x")) == SYNTAX
    assert err(c.cmd("BITPOS", "k", "0", "3", "BIT")) == NOT_INT  # the unit needs an end


# --------------------------------------------------------------------------
# BITOP
# --------------------------------------------------------------------------

def test_bitop(c):
    c.check("MSET", "a", "foobar", "b", "abcdef", "s", "xy")
    assert c.cmd("BITOP", "AND", "d", "a", "b") == 6
    assert c.cmd("GET", "d") == b"`bc`ab"
    assert c.cmd("BITOP", "or", "d", "a", "b") == 6
    assert c.cmd("GET", "d") == b"goofev"
    assert c.cmd("BITOP", "XOR", "d", "a", "b") == 6
    assert c.cmd("GET", "d") == bytes(x ^ y for x, y in zip(b"foobar", b"abcdef"))
    assert c.cmd("BITOP", "NOT", "d", "s") == 2
    assert c.cmd("GET", "d") == bytes(255 - x for x in b"xy")
    # Shorter and missing sources count as zeros.
    assert c.cmd("BITOP", "OR", "d", "s", "missing", "a") == 6
    assert c.cmd("GET", "d") == bytes(x | y for x, y in zip(b"xy\0\0\0\0", b"foobar"))
    assert c.cmd("BITOP", "AND", "d", "s", "a") == 6
    assert c.cmd("GET", "d") == bytes(x & y for x, y in zip(b"xy\0\0\0\0", b"foobar"))
    assert c.cmd("BITOP", "AND", "d", "a", "missing") == 6
    assert c.cmd("GET", "d") == b"\0" * 6
    # The destination may be a source.
    assert c.cmd("BITOP", "XOR", "a", "a", "a") == 6
    assert c.cmd("GET", "a") == b"\0" * 6


def test_bitop_empty_result_deletes_and_ttl(c):
    c.check("SET", "d", "old", "EX", "100")
    assert c.cmd("BITOP", "OR", "d", "missing1", "missing2") == 0
    assert c.cmd("EXISTS", "d") == 0
    assert c.cmd("BITOP", "NOT", "d", "missing") == 0
    c.check("SET", "d", "old", "EX", "100")
    c.check("SET", "s", "x")
    assert c.cmd("BITOP", "NOT", "d", "s") == 1
    assert c.cmd("TTL", "d") == -1


def test_bitop_errors(c):
    assert err(c.cmd("BITOP", "NAND", "d", "a")) == SYNTAX
    assert err(c.cmd("BITOP", "NOT", "d", "a", "b")) == \
        "ERR BITOP NOT must be called with a single source key."


def test_bitop_large_values(c):
    a = bytes(random.Random(1).randrange(256) for _ in range(70_000))
    b = bytes(random.Random(2).randrange(256) for _ in range(30_000))
    c.check("MSET", "a", a, "b", b)
    assert c.cmd("BITOP", "XOR", "d", "a", "b") == 70_000
    want = bytes(x ^ y for x, y in zip(a, b + b"\0" * 40_000))
    assert c.cmd("GET", "d") == want
    assert c.cmd("BITOP", "NOT", "n", "a") == 70_000
    assert c.cmd("GETRANGE", "n", "65530", "65540") == bytes(255 - x for x in a[65530:65541])


# --------------------------------------------------------------------------
# BITFIELD, BITFIELD_RO
# --------------------------------------------------------------------------

def test_bitfield_basics(c):
    assert c.cmd("BITFIELD", "k", "SET", "i8", "0", "100", "INCRBY", "i8", "0", "100",
                 "GET", "u4", "0") == [0, -56, 12]
    assert c.cmd("BITFIELD", "k") == []
    assert c.cmd("BITFIELD", "k", "OVERFLOW", "FAIL") == []
    assert c.cmd("BITFIELD", "k", "GET", "i8", "0", "GET", "u8", "#0", "GET", "u8", "#1") == \
        [-56, 200, 0]
    assert c.cmd("BITFIELD", "k", "set", "u8", "#1", "255", "get", "u16", "0") == \
        [0, 200 * 256 + 255]
    assert c.cmd("GET", "k") == b"\xc8\xff"
    assert c.cmd("BITFIELD", "new", "GET", "u8", "100") == [0]
    assert c.cmd("EXISTS", "new") == 0


def test_bitfield_overflow_modes(c):
    assert c.cmd("BITFIELD", "k", "SET", "u2", "0", "3",
                 "INCRBY", "u2", "0", "1",
                 "OVERFLOW", "SAT", "INCRBY", "u2", "0", "5",
                 "OVERFLOW", "FAIL", "INCRBY", "u2", "0", "1",
                 "OVERFLOW", "WRAP", "INCRBY", "u2", "0", "-1") == [0, 0, 3, None, 2]
    assert c.cmd("BITFIELD", "s", "OVERFLOW", "SAT", "SET", "i8", "0", "300",
                 "SET", "i8", "0", "-300", "GET", "i8", "0",
                 "OVERFLOW", "FAIL", "SET", "i8", "0", "128", "GET", "i8", "0") == \
        [0, 127, -128, None, -128]
    assert c.cmd("BITFIELD", "w", "SET", "i64", "0", "9223372036854775807",
                 "INCRBY", "i64", "0", "1", "OVERFLOW", "SAT", "INCRBY", "i64", "0", "-1",
                 "INCRBY", "i64", "0", "-2") == [0, -9223372036854775808,
                                                 -9223372036854775808, -9223372036854775808]
    assert c.cmd("BITFIELD", "u", "SET", "u63", "1", "9223372036854775807",
                 "INCRBY", "u63", "1", "1", "SET", "u8", "100", "-1",
                 "GET", "u8", "100") == [0, 0, 0, 255]


def test_bitfield_fail_creates_the_key(c):
    # The string is grown to the highest bit written even when every write fails.
    assert c.cmd("BITFIELD", "k", "OVERFLOW", "FAIL", "SET", "u2", "100", "5") == [None]
    assert c.cmd("GET", "k") == b"\x00" * 13


def test_bitfield_resp3_null(flushed_server):
    c3 = flushed_server.resp(3)
    assert c3.cmd_raw("BITFIELD", "k", "OVERFLOW", "FAIL", "INCRBY", "u1", "0", "2") == \
        b"*1\r\n_\r\n"
    c2 = flushed_server.resp(2)
    assert c2.cmd_raw("BITFIELD", "k", "OVERFLOW", "FAIL", "INCRBY", "u1", "0", "2") == \
        b"*1\r\n$-1\r\n"


@pytest.mark.parametrize("args,error", [
    (["GET", "u8"], SYNTAX),
    (["FOO", "u8", "0"], SYNTAX),
    (["SET", "u8", "0"], SYNTAX),
    (["OVERFLOW"], SYNTAX),
    (["OVERFLOW", "BAD"], "ERR Invalid OVERFLOW type specified"),
    (["GET", "I8", "0"], BAD_TYPE),
    (["GET", "u64", "0"], BAD_TYPE),
    (["GET", "i65", "0"], BAD_TYPE),
    (["GET", "i0", "0"], BAD_TYPE),
    (["GET", "x8", "0"], BAD_TYPE),
    (["GET", "u8", "-1"], BIT_OFFSET),
    (["GET", "u8", "#"], BIT_OFFSET),
    (["GET", "u8", "#-1"], BIT_OFFSET),
    (["GET", "u8", "a"], BIT_OFFSET),
    (["GET", "u8", "4294967296"], BIT_OFFSET),
    (["GET", "u8", "#536870912"], BIT_OFFSET),
    (["SET", "u8", "0", "x"], NOT_INT),
    (["INCRBY", "u8", "0", "1.5"], NOT_INT),
    (["GET", "u8", "0", "SET", "u8", "0", "x"], NOT_INT),
])
def test_bitfield_errors(c, args, error):
    assert err(c.cmd("BITFIELD", "k", *args)) == error
    assert c.cmd("EXISTS", "k") == 0


def test_bitfield_ro(c):
    c.check("SET", "k", "a")
    assert c.cmd("BITFIELD_RO", "k", "GET", "u8", "0", "GET", "i4", "4") == [97, 1]
    assert c.cmd("BITFIELD_RO", "missing", "GET", "u8", "0") == [0]
    assert c.cmd("BITFIELD_RO", "k") == []
    assert err(c.cmd("BITFIELD_RO", "k", "SET", "u8", "0", "1")) == \
        "ERR BITFIELD_RO only supports the GET subcommand"
    assert err(c.cmd("BITFIELD_RO", "k", "INCRBY", "u8", "0", "1")) == \
        "ERR BITFIELD_RO only supports the GET subcommand"
    assert err(c.cmd("BITFIELD_RO", "k", "SET", "u8", "0", "x")) == NOT_INT
    assert c.cmd("GET", "k") == b"a"


# --------------------------------------------------------------------------
# large bitmaps, and a randomized check against a model
# --------------------------------------------------------------------------

def test_high_offsets(c):
    top = 2**32 - 1
    assert c.cmd("SETBIT", "k", str(top), "1") == 0
    assert c.cmd("GETBIT", "k", str(top)) == 1
    assert c.cmd("GETBIT", "k", str(top - 1)) == 0
    assert c.cmd("BITCOUNT", "k", "-1", "-1") == 1
    assert c.cmd("BITCOUNT", "k", "0", "100000") == 0
    assert c.cmd("BITPOS", "k", "1", "-10") == top
    assert c.cmd("BITPOS", "k", "0", "-1") == top - 7
    assert c.cmd("SETBIT", "k", "1000000", "1") == 0
    assert c.cmd("BITPOS", "k", "1") == 1000000
    assert c.cmd("BITFIELD", "k", "GET", "u8", str(top - 7), "INCRBY", "u8", str(top - 7),
                 "1") == [1, 2]
    assert c.cmd("GETRANGE", "k", "-1", "-1") == b"\x02"
    c.check("DEL", "k")


def test_random_bit_operations_match_a_model(c):
    rng = random.Random(7)
    model = bytearray()

    def grow(n):
        if len(model) < n:
            model.extend(b"\0" * (n - len(model)))

    def bit(i):
        return (model[i >> 3] >> (7 - (i & 7))) & 1 if (i >> 3) < len(model) else 0

    size = 60_000 * 8   # bits, spanning many 4 KiB chunks
    for step in range(300):
        op = rng.randrange(6)
        if op == 0:
            i, v = rng.randrange(size), rng.randrange(2)
            assert c.cmd("SETBIT", "k", str(i), str(v)) == bit(i)
            grow((i >> 3) + 1)
            model[i >> 3] = (model[i >> 3] & ~(1 << (7 - (i & 7)))) | (v << (7 - (i & 7)))
        elif op == 1:
            off = rng.randrange(size // 8)
            data = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 9000)))
            grow(off + len(data))
            model[off:off + len(data)] = data
            assert c.cmd("SETRANGE", "k", str(off), data) == len(model)
        elif op == 2 and model:
            a, b = sorted(rng.randrange(len(model) * 8) for _ in range(2))
            want = sum(bit(i) for i in range(a, b + 1))
            assert c.cmd("BITCOUNT", "k", str(a), str(b), "BIT") == want
        elif op == 3 and model:
            a = rng.randrange(len(model))
            want = next((i for i in range(a * 8, len(model) * 8) if bit(i) == 1), -1)
            assert c.cmd("BITPOS", "k", "1", str(a)) == want
        elif op == 4:
            i, bits = rng.randrange(size), rng.randrange(1, 65)
            t = "i%d" % bits
            val = rng.randrange(-2**63, 2**63)
            old = 0
            for j in range(bits):
                old = (old << 1) | bit(i + j)
            if old >= 2 ** (bits - 1):
                old -= 2 ** bits
            assert c.cmd("BITFIELD", "k", "SET", t, str(i), str(val)) == [old]
            grow(((i + bits - 1) >> 3) + 1)
            raw = val & (2**bits - 1)
            for j in range(bits):
                p = i + j
                b = (raw >> (bits - 1 - j)) & 1
                model[p >> 3] = (model[p >> 3] & ~(1 << (7 - (p & 7)))) | (b << (7 - (p & 7)))
        elif op == 5 and model:
            a = rng.randrange(len(model))
            b = a + rng.randrange(10_000)
            assert c.cmd("GETRANGE", "k", str(a), str(b)) == bytes(model[a:b + 1])
    assert c.cmd("GET", "k") == bytes(model)
    assert c.cmd("BITCOUNT", "k") == sum(bin(x).count("1") for x in model)


# --------------------------------------------------------------------------
# Strata only: write cost and persistence of chunked strings
# --------------------------------------------------------------------------

def bytes_written(c):
    info = c.cmd("INFO", "rocksdb").decode()
    for line in info.splitlines():
        if line.startswith("rocksdb_bytes_written:"):
            return int(line.split(":")[1])
    raise AssertionError(f"no rocksdb_bytes_written in {info!r}")


@pytest.mark.strata_only
def test_setbit_at_the_top_offset_is_cheap(c):
    before = bytes_written(c)
    assert c.cmd("SETBIT", "bitmap", str(2**32 - 1), "1") == 0
    first = bytes_written(c) - before
    assert first < 16 * 1024, first            # one 4 KiB chunk plus metadata, not 512 MB
    before = bytes_written(c)
    for i in range(10):
        c.check("SETBIT", "bitmap", str(2**31 + i * 2**20), "1")
    assert bytes_written(c) - before < 10 * 16 * 1024
    assert c.cmd("STRLEN", "bitmap") == 2**29
    assert c.cmd("BITCOUNT", "bitmap") == 11
    assert err(c.cmd("APPEND", "bitmap", "tail")) == \
        "ERR string exceeds maximum allowed size (proto-max-bulk-len)"
    c.check("SETBIT", "half", str(2**31), "1")
    before = bytes_written(c)
    assert c.cmd("APPEND", "half", "tail") == 2**28 + 5  # touches only the last chunk
    assert bytes_written(c) - before < 16 * 1024
    assert c.cmd("DEL", "bitmap", "half") == 2


@pytest.mark.strata_only
def test_large_values_survive_restart(server):
    c = server.resp()
    a = bytes(random.Random(3).randrange(256) for _ in range(100_000))
    c.check("SET", "k", a)
    for i in range(50):
        c.check("APPEND", "k", b"chunk-%03d;" % i)
    c.check("SETBIT", "bits", str(2**30), "1")
    c.check("SETRANGE", "k", "5000", "MIDDLE")
    want = bytearray(a + b"".join(b"chunk-%03d;" % i for i in range(50)))
    want[5000:5006] = b"MIDDLE"
    assert c.cmd("GET", "k") == bytes(want)
    server.restart()
    c = server.resp()
    assert c.cmd("GET", "k") == bytes(want)
    assert c.cmd("BITPOS", "bits", "1") == 2**30
    assert c.cmd("STRLEN", "bits") == 2**27 + 1
    server.kill9()
    server.start()
    c = server.resp()
    assert c.cmd("GETRANGE", "k", "-10", "-1") == b"chunk-049;"
    assert c.cmd("GETBIT", "bits", str(2**30)) == 1
