"""HyperLogLog: PFADD, PFCOUNT (one key, cached in the value, and several),
PFMERGE, PFDEBUG (GETREG, DECODE, ENCODING, TODENSE) and PFSELFTEST, with
their errors (not an HLL, corrupt sparse values, wrong types), sparse ->
dense promotion at hll-sparse-max-bytes, TTLs, OBJECT ENCODING and WATCH.
An HLL is a string in Redis's exact HYLL bytes: the tests compare GET
after PFADD/PFCOUNT/PFMERGE with bytes recorded from redis-server 7.0.15,
and (strata_only, with a redis-server started beside Strata) move HLL
values between the two servers with GET/SET and compare PFCOUNT.
Expected values are those of redis-server 7.0.15."""

import hashlib

import pytest

from replies import err, WRONGTYPE

NOT_HLL = "WRONGTYPE Key is not a valid HyperLogLog string value."
CORRUPT = "INVALIDOBJ Corrupted HLL object detected"

# An empty HLL: "HYLL", sparse, stale cache, one XZERO of 16384 registers.
EMPTY_STALE = bytes.fromhex("48594c4c010000000000000000000080" "7fff")
# Sparse runs covering 16383 registers: corrupt.
CORRUPT_SPARSE = bytes.fromhex("48594c4c010000000000000000000080" "7ffe")

# (size, PFCOUNT, sha1 of GET after PFADD, sha1 of GET after PFCOUNT) of
# "elem:0".."elem:<n-1>", recorded from redis-server 7.0.15.
RECORDED = [
    (0, 0, None, None),
    (1, 1, "c1509ac2a4fa2ba0ace72284167bf1a6085d4926", "272c238046690c3e53cf6162c1ebe530bf547685"),
    (10, 10, "a7c37ae354805c8e01b5d69ef01759780ddeeb1e", "fa92996f7e86b550a49d8fd6c8e4d045cd3ae14e"),
    (100, 100, "d42184eaa854eb300538414ee02e33b4daaaaeab",
     "cd82f76351e4f5378a24e01b1cb3c33a7cc974a4"),
    (1000, 1005, "d0933540225cac4ac960bb9a933c9fdf239f0ce6",
     "c314729b05044b5d19b1045f7ed281362de4e608"),
    (100000, 99904, "810372a7757a46c2fb272c6eda0eade93fc1db27",
     "b158e70960e1b0b1aa0957a0c5041c66c7a61f71"),
]


def elements(start, stop):
    return [f"elem:{i}" for i in range(start, stop)]


def pfadd_many(conn, key, items, batch=1000):
    """PFADD in pipelined batches of `batch` elements."""
    cmds = [("PFADD", key, *items[i:i + batch]) for i in range(0, len(items), batch)]
    if cmds:
        for reply in conn.pipeline(cmds):
            assert reply in (0, 1), reply


def sha1(b):
    return hashlib.sha1(b).hexdigest()


def encoding(conn, key):
    return conn.cmd("PFDEBUG", "ENCODING", key)


@pytest.mark.parametrize("args", [
    ["PFADD"], ["PFCOUNT"], ["PFMERGE"], ["PFDEBUG", "ENCODING"],
    ["PFDEBUG", "ENCODING", "k", "x"], ["PFSELFTEST", "x"],
])
def test_arity(c, args):
    assert err(c.cmd(*args)) == \
        f"ERR wrong number of arguments for '{args[0].lower()}' command"


# --------------------------------------------------------------------------
# PFADD, PFCOUNT
# --------------------------------------------------------------------------

def test_pfadd_bytes_and_cache(c):
    assert c.cmd("PFADD", "k", "a", "b", "c") == 1
    assert c.cmd("GET", "k") == bytes.fromhex("48594c4c01000000000000000000008060f38050b1844bfb80425a")
    assert c.cmd("PFADD", "k", "a", "c") == 0
    assert c.cmd("PFCOUNT", "k") == 3
    # The count is cached in the header (little-endian, fresh).
    cached = bytes.fromhex("48594c4c01000000030000000000000060f38050b1844bfb80425a")
    assert c.cmd("GET", "k") == cached
    assert c.cmd("PFADD", "k", "b") == 0          # no change keeps the cache
    assert c.cmd("GET", "k") == cached
    assert c.cmd("PFADD", "k", "d") == 1          # a change marks it stale
    assert c.cmd("GET", "k")[15] & 0x80
    assert c.cmd("PFCOUNT", "k") == 4
    assert c.cmd("TYPE", "k") == b"string"
    assert c.cmd("STRLEN", "k") == len(c.cmd("GET", "k"))


def test_pfadd_without_elements(c):
    assert c.cmd("PFADD", "k") == 1               # creates the key
    assert c.cmd("GET", "k") == EMPTY_STALE
    assert c.cmd("PFADD", "k") == 0
    assert c.cmd("PFCOUNT", "k") == 0
    assert c.cmd("PFCOUNT", "missing") == 0
    assert c.cmd("EXISTS", "missing") == 0


@pytest.mark.parametrize("n,count,added,counted", RECORDED)
def test_counts_and_bytes_match_redis(c, n, count, added, counted):
    pfadd_many(c, "h", elements(0, n))
    if n == 0:
        assert c.cmd("PFCOUNT", "h") == 0
        return
    assert sha1(c.cmd("GET", "h")) == added
    assert c.cmd("PFCOUNT", "h") == count
    assert sha1(c.cmd("GET", "h")) == counted
    assert c.cmd("PFCOUNT", "h") == count         # from the cache


def test_binary_elements(c):
    assert c.cmd("PFADD", "k", b"", b"\x00\xff", b"x" * 7, b"y" * 8, b"z" * 9,
                 b"hello world, a longer element!") == 1
    assert c.cmd("GET", "k") == bytes.fromhex(
        "48594c4c0100000000000000000000804ed680408880415f84466e844ae79041df805c02")
    assert c.cmd("PFCOUNT", "k") == 6


def test_pfcount_several_keys(c):
    pfadd_many(c, "a", elements(0, 300))
    pfadd_many(c, "b", elements(200, 600))
    before = c.cmd("GET", "a")
    assert c.cmd("PFCOUNT", "a", "b") == 604
    assert c.cmd("PFCOUNT", "a", "b", "missing") == 604
    union_aa = c.cmd("PFCOUNT", "a", "a")
    assert c.cmd("PFCOUNT", "missing", "missing2") == 0
    # The union is not cached anywhere.
    assert c.cmd("GET", "a") == before
    assert union_aa == c.cmd("PFCOUNT", "a") == 302


def test_ttl_kept(c):
    c.cmd("PFADD", "k", "a")
    c.check("EXPIRE", "k", "100")
    assert c.cmd("PFADD", "k", "b", "c") == 1
    assert c.cmd("PFCOUNT", "k") == 3
    c.cmd("PFMERGE", "k", "other")
    assert 99 <= c.cmd("TTL", "k") <= 100


def test_object_encoding_raw(c):
    # A short HLL set with SET is an embstr until a PF command touches it.
    c.check("SET", "k", EMPTY_STALE)
    assert c.cmd("OBJECT", "ENCODING", "k") == b"embstr"
    assert c.cmd("PFCOUNT", "k") == 0
    assert c.cmd("OBJECT", "ENCODING", "k") == b"raw"
    c.check("SET", "k2", EMPTY_STALE)
    assert c.cmd("PFADD", "k2") == 0
    assert c.cmd("OBJECT", "ENCODING", "k2") == b"raw"
    c.cmd("PFADD", "k3", "a")
    assert c.cmd("OBJECT", "ENCODING", "k3") == b"raw"


# --------------------------------------------------------------------------
# PFMERGE
# --------------------------------------------------------------------------

def test_pfmerge(c):
    pfadd_many(c, "m1", elements(0, 30))
    pfadd_many(c, "m2", elements(20, 50))
    assert c.cmd("PFMERGE", "md", "m1", "m2") == b"OK"
    assert c.cmd("GET", "md") == bytes.fromhex(
        "48594c4c0100000000000000000000804476844044840884405980426184415c8041bf8042f78042e0"
        "8840aa8409944243842884424a8040af8844808c41f7844272803c80338017842988413b80406c8040"
        "a7a0405f8440578041b48440948c42588042ac8040a884431680418f8442bd8040598440ba800e8040"
        "958c404f8841988440a784407c804389802084404d80088441018840c2803d804266")
    assert c.cmd("PFCOUNT", "md") == 50
    assert encoding(c, "md") == b"sparse"
    # The destination is an input too.
    assert c.cmd("PFMERGE", "m1", "m2") == b"OK"
    assert c.cmd("PFCOUNT", "m1") == 50
    # Only a destination: an empty HLL; missing sources count as empty.
    assert c.cmd("PFMERGE", "new") == b"OK"
    assert c.cmd("GET", "new") == EMPTY_STALE
    assert c.cmd("PFMERGE", "new2", "missing") == b"OK"
    assert c.cmd("PFCOUNT", "new2") == 0


def test_pfmerge_dense_input_makes_dense_target(c):
    pfadd_many(c, "big", elements(0, 5000))
    assert encoding(c, "big") == b"dense"
    c.cmd("PFADD", "small", "x")
    assert c.cmd("PFMERGE", "small", "big") == b"OK"
    assert encoding(c, "small") == b"dense"
    assert len(c.cmd("GET", "small")) == 12304
    assert c.cmd("PFCOUNT", "small") == c.cmd("PFCOUNT", "big", "small")
    assert sha1(c.cmd("GET", "small")) == "e412a2b95fa088fee6a622d2e550d2c6b519ee95"


# --------------------------------------------------------------------------
# Sparse -> dense
# --------------------------------------------------------------------------

def test_promotion_at_sparse_max_bytes(c):
    items = elements(0, 3000)
    sizes = []
    for i in range(0, 3000, 50):
        c.cmd("PFADD", "k", *items[i:i + 50])
        sizes.append((len(c.cmd("GET", "k")), encoding(c, "k")))
    sparse = [s for s, e in sizes if e == b"sparse"]
    assert sparse and max(sparse) <= 3000
    assert sizes[-1] == (12304, b"dense")
    assert c.cmd("PFCOUNT", "k") == 2987


def test_promotion_follows_config(c):
    c.check("CONFIG", "SET", "hll-sparse-max-bytes", "100")
    try:
        assert c.cmd("CONFIG", "GET", "hll-sparse-max-bytes") == [b"hll-sparse-max-bytes", b"100"]
        pfadd_many(c, "k", elements(0, 30))
        assert encoding(c, "k") == b"dense"
        assert c.cmd("PFCOUNT", "k") == 30
    finally:
        c.check("CONFIG", "SET", "hll-sparse-max-bytes", "3000")
    pfadd_many(c, "k2", elements(0, 30))
    assert encoding(c, "k2") == b"sparse"


def test_todense_and_merge_into_sparse(c):
    # (A register above 32, which also forces dense, needs a hash with 32
    # trailing zeros: covered by the codec's unit tests.)
    c.cmd("PFADD", "d", "a")
    assert c.cmd("PFDEBUG", "TODENSE", "d") == 1
    assert c.cmd("PFDEBUG", "TODENSE", "d") == 0
    assert encoding(c, "d") == b"dense"
    assert len(c.cmd("GET", "d")) == 12304
    assert c.cmd("PFCOUNT", "d") == 1
    c.cmd("PFADD", "s", "a")
    assert c.cmd("PFMERGE", "s", "d") == b"OK"
    assert encoding(c, "s") == b"dense"


# --------------------------------------------------------------------------
# PFDEBUG, PFSELFTEST
# --------------------------------------------------------------------------

def test_pfdebug(c):
    c.cmd("PFADD", "k", "foo")
    assert c.cmd("PFDEBUG", "DECODE", "k") == b"Z:7348 v:5,1 Z:9035"
    assert c.cmd("PFDEBUG", "encoding", "k") == b"sparse"
    regs = c.cmd("PFDEBUG", "GETREG", "k")
    assert len(regs) == 16384
    assert [(i, v) for i, v in enumerate(regs) if v] == [(7348, 5)]
    assert encoding(c, "k") == b"dense"           # GETREG converted it
    assert err(c.cmd("PFDEBUG", "DECODE", "k")) == "ERR HLL encoding is not sparse"
    assert c.cmd("PFDEBUG", "TODENSE", "k") == 0
    assert err(c.cmd("PFDEBUG", "NOPE", "k")) == "ERR Unknown PFDEBUG subcommand 'NOPE'"
    assert err(c.cmd("PFDEBUG", "NOPE", "missing")) == "ERR The specified key does not exist"
    assert err(c.cmd("PFDEBUG", "GETREG", "missing")) == "ERR The specified key does not exist"
    c.check("SET", "s", "x")
    assert err(c.cmd("PFDEBUG", "ENCODING", "s")) == NOT_HLL
    c.check("RPUSH", "l", "x")
    assert err(c.cmd("PFDEBUG", "ENCODING", "l")) == WRONGTYPE


def test_pfdebug_decode_runs(c):
    c.cmd("PFADD", "k", *elements(0, 10))
    assert c.cmd("PFDEBUG", "DECODE", "k") == (
        b"Z:1213 v:2,1 z:9 v:2,1 Z:3805 v:2,1 Z:1918 v:4,1 Z:1315 v:3,1 Z:3619 v:1,1 "
        b"Z:1382 v:1,1 Z:166 v:4,1 Z:1805 v:1,1 Z:527 v:1,1 Z:615")
    c.check("SET", "e", b"HYLL\x01" + b"\x00" * 11)   # no opcodes at all
    assert c.cmd("PFDEBUG", "DECODE", "e") == b""


def test_pfselftest(c):
    assert c.cmd("PFSELFTEST") == b"OK"


def test_resp3_shapes(c3):
    assert c3.cmd("PFADD", "k", "a") == 1
    assert c3.cmd("PFCOUNT", "k") == 1
    assert c3.cmd("PFMERGE", "k") == b"OK"
    assert c3.cmd("PFDEBUG", "ENCODING", "k") == b"sparse"
    assert c3.cmd("PFDEBUG", "DECODE", "k") == c3.cmd("PFDEBUG", "DECODE", "k")
    regs = c3.cmd("PFDEBUG", "GETREG", "k")
    assert isinstance(regs, list) and len(regs) == 16384


# --------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------

@pytest.mark.parametrize("value", [
    b"hello", b"12345", b"12345678901234567890", b"HYLL", b"HYLX\x01" + b"\x00" * 13,
    b"HYLL\x02" + b"\x00" * 13, b"HYLL\x00" + b"\x00" * 13,
])
def test_not_an_hll(c, value):
    c.check("SET", "x", value)
    c.cmd("PFADD", "h", "a")
    for args in (["PFADD", "x", "a"], ["PFADD", "x"], ["PFCOUNT", "x"], ["PFCOUNT", "h", "x"],
                 ["PFMERGE", "x", "h"], ["PFMERGE", "h", "x"], ["PFDEBUG", "GETREG", "x"]):
        assert err(c.cmd(*args)) == NOT_HLL, args
    assert c.cmd("GET", "x") == value


def test_wrong_type(c):
    c.check("RPUSH", "l", "x")
    c.cmd("PFADD", "h", "a")
    for args in (["PFADD", "l", "a"], ["PFCOUNT", "l"], ["PFCOUNT", "h", "l"],
                 ["PFMERGE", "l", "h"], ["PFMERGE", "h", "l"]):
        assert err(c.cmd(*args)) == WRONGTYPE, args
    assert c.cmd("PFCOUNT", "h") == 1


def test_errors_follow_key_order(c):
    c.check("RPUSH", "l", "x")
    c.check("SET", "s", "x")
    c.check("SET", "bad", CORRUPT_SPARSE)
    assert err(c.cmd("PFCOUNT", "s", "l")) == NOT_HLL
    assert err(c.cmd("PFCOUNT", "l", "s")) == WRONGTYPE
    assert err(c.cmd("PFCOUNT", "bad", "l")) == CORRUPT
    assert err(c.cmd("PFMERGE", "new", "bad", "s")) == CORRUPT
    assert c.cmd("EXISTS", "new") == 0


def test_corrupt_sparse(c):
    c.check("SET", "c", CORRUPT_SPARSE)
    for args in (["PFCOUNT", "c"], ["PFCOUNT", "c", "c"], ["PFMERGE", "d", "c"],
                 ["PFDEBUG", "GETREG", "c"], ["PFDEBUG", "TODENSE", "c"]):
        assert err(c.cmd(*args)) == CORRUPT, args
    assert c.cmd("EXISTS", "d") == 0
    assert c.cmd("PFDEBUG", "DECODE", "c") == b"Z:16383"
    assert c.cmd("PFDEBUG", "ENCODING", "c") == b"sparse"
    # An element whose register the runs cover is added; the value stays corrupt.
    assert c.cmd("PFADD", "c", "a") == 1
    assert c.cmd("GET", "c") == bytes.fromhex("48594c4c01000000000000000000008071a6844e56")
    assert err(c.cmd("PFCOUNT", "c")) == CORRUPT
    # No opcodes at all: the (valid) cache answers PFCOUNT; PFADD finds it corrupt.
    c.check("SET", "e", b"HYLL\x01" + b"\x00" * 11)
    assert c.cmd("PFCOUNT", "e") == 0
    assert err(c.cmd("PFADD", "e", "a")) == CORRUPT


# --------------------------------------------------------------------------
# WATCH: PFCOUNT that refreshes the cache modifies the key
# --------------------------------------------------------------------------

def test_watch_sees_cache_refresh(flushed_server):
    a, b = flushed_server.resp(), flushed_server.resp()
    try:
        a.cmd("PFADD", "k", "x")
        a.check("WATCH", "k")
        assert b.cmd("PFCOUNT", "k") == 1             # writes the cache
        a.check("MULTI")
        a.cmd("GET", "k")
        assert a.cmd("EXEC") is None
        a.check("WATCH", "k")
        assert b.cmd("PFCOUNT", "k") == 1             # cached: no write
        a.check("MULTI")
        a.cmd("GET", "k")
        assert a.cmd("EXEC") is not None
    finally:
        a.close()
        b.close()


# --------------------------------------------------------------------------
# Strata and redis-server side by side
# --------------------------------------------------------------------------

@pytest.mark.strata_only
def test_values_move_between_servers(flushed_server, redis_beside):
    s = flushed_server.resp()
    r = redis_beside.resp()
    try:
        for n in (1, 10, 100, 1000, 5000, 100000):
            key = f"h{n}"
            items = elements(0, n)
            pfadd_many(s, key, items)
            pfadd_many(r, key, items)
            # Same inputs, same bytes.
            from_strata, from_redis = s.cmd("GET", key), r.cmd("GET", key)
            assert from_strata == from_redis, n
            # Strata's bytes counted by Redis, and Redis's by Strata.
            r.check("SET", f"s{n}", from_strata)
            s.check("SET", f"r{n}", from_redis)
            assert r.cmd("PFCOUNT", f"s{n}") == s.cmd("PFCOUNT", f"r{n}") == \
                s.cmd("PFCOUNT", key), n
            assert s.cmd("GET", key) == r.cmd("GET", f"s{n}")   # both cached the count
        for srv in (s, r):
            srv.check("PFMERGE", "all", "h10", "h1000", "h5000")
        assert s.cmd("GET", "all") == r.cmd("GET", "all")
        assert s.cmd("PFCOUNT", "h100", "h5000") == r.cmd("PFCOUNT", "h100", "h5000")
    finally:
        s.close()
        r.close()


@pytest.mark.strata_only
def test_random_operations_same_bytes_as_redis(flushed_server, redis_beside):
    """Random PFADD/PFMERGE/PFCOUNT on a few keys, with small and default
    hll-sparse-max-bytes (so sparse splits, merges and promotion all happen):
    after every step both servers hold the same bytes."""
    import random
    rng = random.Random(1234)
    s = flushed_server.resp()
    r = redis_beside.resp()
    try:
        for max_bytes in ("300", "3000"):
            for srv in (s, r):
                srv.check("FLUSHALL")
                srv.check("CONFIG", "SET", "hll-sparse-max-bytes", max_bytes)
            keys = ["a", "b", "c"]
            for step in range(300):
                key = rng.choice(keys)
                op = rng.random()
                if op < 0.75:
                    n = rng.choice([1, 1, 2, 5, 20])
                    cmd = ["PFADD", key] + [f"e{rng.randrange(5000)}" for _ in range(n)]
                elif op < 0.9:
                    cmd = ["PFMERGE", key] + rng.sample(keys, rng.randint(1, 2))
                else:
                    cmd = ["PFCOUNT", key]
                assert s.cmd(*cmd) == r.cmd(*cmd), (step, cmd)
                assert s.cmd("GET", key) == r.cmd("GET", key), (step, cmd)
            for key in keys:
                assert s.cmd("PFCOUNT", key) == r.cmd("PFCOUNT", key)
                assert s.cmd("GET", key) == r.cmd("GET", key)
            encodings = {bytes(s.cmd("PFDEBUG", "ENCODING", k)) for k in keys}
            assert (b"dense" if max_bytes == "300" else b"sparse") in encodings
    finally:
        for srv in (s, r):
            srv.check("CONFIG", "SET", "hll-sparse-max-bytes", "3000")
        s.close()
        r.close()
