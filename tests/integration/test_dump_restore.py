"""DUMP, RESTORE (REPLACE, ABSTTL, IDLETIME, FREQ), RESTORE-ASKING and DEBUG
OBJECT: round trips of every type in its small and big encoding, payloads
recorded from redis-server 7.0.15 (restored here, and DUMP byte for byte),
every error in Redis's check order, TTL handling, the "restore" keyspace
event, DEBUG OBJECT's fields; (`strata_only`) values moved both ways between
Strata and a redis-server started beside it.

Expected values are those of redis-server 7.0.15."""
import time

import pytest

from replies import err, NOT_INT, SYNTAX

BUSYKEY = "BUSYKEY Target key name already exists."
BAD_FOOTER = "ERR DUMP payload version or checksum are wrong"
BAD_DATA = "ERR Bad data format"

# DUMP replies of redis-server 7.0.15 (hex) and the commands that built them.
RECORDED = {
    "int": ([["SET", "k", "12345"]],
            "00c139300a009d94ea2793fc08b9"),
    "lzf": ([["SET", "k", "a" * 54]],
            "00c30936016161e029000161610a00737e3c546de6af43"),
    "short": ([["SET", "k", "hi"]],
              "000268690a00af6b9fe88e311b14"),
    "list": ([["RPUSH", "k", "a", "1", "-5", "300", "70000", "-3000000", "5000000000", "hello"]],
             "1201022d2d00000008008161020101dffb02c12c02f270110104f24039d204f400f2052a0100000009"
             "8568656c6c6f06ff0a0058b3efb9740fa2bd"),
    "intset": ([["SADD", "k", "5", "-3", "100000"]],
               "0b140400000003000000fdffffff05000000a08601000a006d306c6cccb96cee"),
    "zset": ([["ZADD", "k", "1.5", "a", "2", "b", "-inf", "c", "3.25", "d"]],
             "1126260000000800816302842d696e660581610283312e3504816202020181640284332e323505ff0a"
             "002081b5e75994a7c9"),
    "hash": ([["HSET", "k", "f1", "v1"]],
             "100f0f00000002008266310382763103ff0a005e9922ca42314c99"),
    "stream": ([["XADD", "k", "1-1", "f", "v"], ["XADD", "k", "1-2", "f", "v2"],
                ["XADD", "k", "2-1", "a", "b", "c", "12"]],
               "130110000000000000000100000000000000013e3e00000018000301000101018166020001020100"
               "010001817602040102010001010182763203040100010101000102018161028162028163020c0108"
               "01ff0302010101000003000a000cb1a572d846f2f8"),
}


def payload(name):
    return bytes.fromhex(RECORDED[name][1])


def contents(c, key):
    """The value of `key` in a comparable form, whatever its type."""
    t = c.cmd("TYPE", key)
    if t == b"string":
        return t, c.cmd("GET", key)
    if t == b"list":
        return t, c.cmd("LRANGE", key, 0, -1)
    if t == b"set":
        return t, sorted(c.cmd("SMEMBERS", key))
    if t == b"zset":
        return t, c.cmd("ZRANGE", key, 0, -1, "WITHSCORES")
    if t == b"hash":
        v = c.cmd("HGETALL", key)
        return t, sorted(zip(v[::2], v[1::2]))
    if t == b"stream":
        info = c.cmd("XINFO", "STREAM", key)
        info = dict(zip(info[::2], info[1::2]))
        meta = [info[f] for f in (b"length", b"last-generated-id", b"max-deleted-entry-id",
                                  b"entries-added", b"recorded-first-entry-id")]
        groups = []
        for g in c.cmd("XINFO", "GROUPS", key):
            g = dict(zip(g[::2], g[1::2]))
            name = g[b"name"]
            consumers = [(x[1], x[3]) for x in c.cmd("XINFO", "CONSUMERS", key, name)]
            pending = [(p[0], p[1], p[3]) for p in c.cmd("XPENDING", key, name, "-", "+", 1000)]
            groups.append((g, consumers, pending))
        return t, (c.cmd("XRANGE", key, "-", "+"), meta, groups)
    return t, None


# Values of every type, in Redis's small and big encoding.
SHAPES = {
    "embstr": [["SET", "k", "hello"]],
    "intstr": [["SET", "k", "-42"]],
    "raw": [["SET", "k", "x" * 100]],
    "chunked": [["SET", "k", "abc" * 10000]],
    "binary": [["SET", "k", bytes(range(256)) * 3]],
    "list_small": [["RPUSH", "k", "a", "b", "12", "-7", "x" * 70]],
    "list_big": [["RPUSH", "k"] + [f"element-{i}" for i in range(3000)]],
    "list_lpush": [["LPUSH", "k"] + [str(i) for i in range(1000)]],
    "intset": [["SADD", "k", "1", "-2", "3000000000", "7"]],
    "set_big": [["SADD", "k", "a", "b", "1"]],
    "set_many_ints": [["SADD", "k"] + [str(i) for i in range(600)]],
    "hash_small": [["HSET", "k", "f", "v", "n", "12", "z", "-1"]],
    "hash_long_value": [["HSET", "k", "f", "v" * 65]],
    "hash_many": [["HSET", "k"] + [x for i in range(600) for x in (f"f{i}", f"v{i}")]],
    "zset_small": [["ZADD", "k", "1", "a", "-0", "b", "inf", "c", "0.1", "d"]],
    "zset_long_member": [["ZADD", "k", "1", "m" * 65, "-0", "z"]],
    "zset_many": [["ZADD", "k"] + [x for i in range(200) for x in (str(i / 3), f"m{i}")]],
    "stream_small": RECORDED["stream"][0],
    "stream_big": [["XADD", "k", f"{i // 3 + 1}-{i % 3}", "field", "x" * (i % 70), "n", str(i)]
                   for i in range(700)],
    "stream_groups": [["XADD", "k", f"{i}-1", "f", str(i)] for i in range(1, 30)] + [
        ["XGROUP", "CREATE", "k", "g1", "0"], ["XGROUP", "CREATE", "k", "g2", "$"],
        ["XGROUP", "CREATECONSUMER", "k", "g2", "idle"],
        ["XREADGROUP", "GROUP", "g1", "alice", "COUNT", "5", "STREAMS", "k", ">"],
        ["XREADGROUP", "GROUP", "g1", "bob", "COUNT", "3", "STREAMS", "k", ">"],
        ["XACK", "k", "g1", "2-1"]],
    "stream_xdel": [["XADD", "k", f"{i}-1", "f", str(i)] for i in range(1, 10)] + [
        ["XDEL", "k", "3-1", "9-1"]],
    "stream_empty": [["XADD", "k", "5-5", "f", "v"], ["XDEL", "k", "5-5"]],
}


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_round_trip_keeps_value_and_encoding(c, shape):
    for cmd in SHAPES[shape]:
        c.check(*cmd)
    dumped = c.cmd("DUMP", "k")
    assert isinstance(dumped, bytes)
    assert c.cmd("RESTORE", "copy", 0, dumped) == b"OK"
    assert contents(c, "copy") == contents(c, "k")
    assert c.cmd("OBJECT", "ENCODING", "copy") == c.cmd("OBJECT", "ENCODING", "k")
    assert c.cmd("TTL", "copy") == -1
    # The copy is independent of the original.
    c.check("DEL", "k")
    assert c.cmd("EXISTS", "copy") == 1
    assert c.cmd("DUMP", "copy") == dumped or shape in ("set_big", "hash_many", "set_many_ints",
                                                         "stream_xdel", "stream_empty")


@pytest.mark.parametrize("name", sorted(RECORDED))
def test_dump_is_byte_identical_with_redis(c, name):
    for cmd in RECORDED[name][0]:
        c.check(*cmd)
    assert c.cmd("DUMP", "k") == payload(name)


@pytest.mark.parametrize("name", sorted(RECORDED))
def test_restores_redis_payloads(c, name):
    for cmd in RECORDED[name][0]:
        c.check(*cmd)
    assert c.cmd("RESTORE", "r", 0, payload(name)) == b"OK"
    assert contents(c, "r") == contents(c, "k")
    assert c.cmd("OBJECT", "ENCODING", "r") == c.cmd("OBJECT", "ENCODING", "k")


# Payloads of redis-server 7.0.15 written under other encoding limits, and
# the encoding Redis 7.0's loader gives them under the default limits.
CONVERTED = [
    # A listpack zset / hash with a 70-byte element stays a listpack.
    ("11c312405208520000000200e0466de03c0003480101ff0a00bf715c03b8f179fb", b"listpack"),
    ("10c31340530b530000000200816602e0466de03c000148ff0a008ef672b88dbcd826", b"listpack"),
    # A small skiplist, hashtable hash and hashtable set become small.
    ("0502017900000000000000400178000000000000f03f0a00923d6866813f7c49", b"listpack"),
    ("04020166c0010167c0020a000d72b7a426382ce1", b"listpack"),
    ("0202c002c0010a000b850052aea91fa1", b"intset"),
]


@pytest.mark.parametrize("hexpayload,encoding", CONVERTED)
def test_loader_encoding_rules(c, hexpayload, encoding):
    assert c.cmd("RESTORE", "k", 0, bytes.fromhex(hexpayload)) == b"OK"
    assert c.cmd("OBJECT", "ENCODING", "k") == encoding
    assert c.cmd("RESTORE", "k2", 0, c.cmd("DUMP", "k")) == b"OK"
    assert contents(c, "k2") == contents(c, "k")


def test_dump_missing_key_and_arity(c):
    assert c.cmd("DUMP", "nokey") is None
    assert err(c.cmd("DUMP")) == "ERR wrong number of arguments for 'dump' command"
    assert err(c.cmd("DUMP", "a", "b")) == "ERR wrong number of arguments for 'dump' command"
    assert err(c.cmd("RESTORE", "k", 0)) == "ERR wrong number of arguments for 'restore' command"


def test_restore_errors_in_redis_order(c):
    p = payload("short")
    c.check("SET", "k", "v")
    assert err(c.cmd("RESTORE", "k", 0, p)) == BUSYKEY
    # Options are parsed first, then BUSYKEY, then the TTL, then the payload.
    assert err(c.cmd("RESTORE", "k", 0, p, "BOGUS")) == SYNTAX
    assert err(c.cmd("RESTORE", "k", -1, b"junk")) == BUSYKEY
    assert err(c.cmd("RESTORE", "n", "x", b"junk")) == NOT_INT
    assert err(c.cmd("RESTORE", "n", -1, b"junk")) == "ERR Invalid TTL value, must be >= 0"
    assert err(c.cmd("RESTORE", "n", 0, b"junk")) == BAD_FOOTER
    assert err(c.cmd("RESTORE", "n", 0, b"")) == BAD_FOOTER
    flipped = bytearray(p)
    flipped[1] ^= 1
    assert err(c.cmd("RESTORE", "n", 0, bytes(flipped))) == BAD_FOOTER
    # Version 11 (Redis 7.2) is newer than Redis 7.0 reads.
    newer = bytearray(p)
    newer[-10] = 11
    assert err(c.cmd("RESTORE", "n", 0, bytes(newer))) == BAD_FOOTER
    # Option errors.
    assert err(c.cmd("RESTORE", "n", 0, p, "IDLETIME")) == SYNTAX
    assert err(c.cmd("RESTORE", "n", 0, p, "IDLETIME", "x")) == NOT_INT
    assert err(c.cmd("RESTORE", "n", 0, p, "IDLETIME", -1)) == \
        "ERR Invalid IDLETIME value, must be >= 0"
    assert err(c.cmd("RESTORE", "n", 0, p, "FREQ", 256)) == \
        "ERR Invalid FREQ value, must be >= 0 and <= 255"
    assert err(c.cmd("RESTORE", "n", 0, p, "FREQ", -1)) == \
        "ERR Invalid FREQ value, must be >= 0 and <= 255"
    assert err(c.cmd("RESTORE", "n", 0, p, "IDLETIME", 1, "FREQ", 1)) == SYNTAX
    assert err(c.cmd("RESTORE", "n", 0, p, "FREQ", 1, "IDLETIME", 1)) == SYNTAX
    assert c.cmd("EXISTS", "n") == 0
    # REPLACE overwrites a key of any type.
    c.check("RPUSH", "l", "x")
    assert c.cmd("RESTORE", "l", 0, p, "REPLACE", "REPLACE") == b"OK"
    assert c.cmd("GET", "l") == b"hi"
    assert c.cmd("RESTORE-ASKING", "ra", 0, p) == b"OK"
    assert c.cmd("GET", "ra") == b"hi"


def with_footer(body):
    """A DUMP payload around `body` with a valid version and checksum, made
    by the server itself: the footer of a string DUMP re-computed in Python."""
    table = []
    poly = 0x95ac9329ac4bc9b5
    for i in range(256):
        crc = i
        for _ in range(8):
            crc = (crc >> 1) ^ poly if crc & 1 else crc >> 1
        table.append(crc)
    data = body + b"\x0a\x00"
    crc = 0
    for b in data:
        crc = table[(crc ^ b) & 0xff] ^ (crc >> 8)
    return data + crc.to_bytes(8, "little")


def test_with_footer_matches_redis(c):
    assert with_footer(payload("short")[:-10]) == payload("short")


@pytest.mark.parametrize("body", [
    b"", b"\x63", b"\x00", b"\x02\x00", b"\x02\x02\x01x\x01x",
    b"\x04\x01\x01f", b"\x0b\x05abcde", b"\x11\x07\x07\x00\x00\x00\x00\x00\xff",
    b"\x05\x01\x01m\x00\x00\x00\x00\x00\x00\xf8\x7f",  # NaN score
])
def test_bad_data_format(c, body):
    assert err(c.cmd("RESTORE", "n", 0, with_footer(body))) == BAD_DATA
    assert c.cmd("EXISTS", "n") == 0


def test_ttl_and_absttl(c):
    p = payload("short")
    assert c.cmd("RESTORE", "a", 100000, p) == b"OK"
    assert 99000 <= c.cmd("PTTL", "a") <= 100000
    at = int(time.time() * 1000) + 500000
    assert c.cmd("RESTORE", "b", at, p, "ABSTTL") == b"OK"
    assert c.cmd("PEXPIRETIME", "b") == at
    assert c.cmd("RESTORE", "c", 0, p, "ABSTTL") == b"OK"
    assert c.cmd("TTL", "c") == -1
    # Already expired: not created; with REPLACE the old key is deleted.
    assert c.cmd("RESTORE", "d", 1, p, "ABSTTL") == b"OK"
    assert c.cmd("EXISTS", "d") == 0
    c.check("SET", "e", "old")
    assert c.cmd("RESTORE", "e", 1000, p, "ABSTTL", "REPLACE") == b"OK"
    assert c.cmd("EXISTS", "e") == 0
    assert c.cmd("DBSIZE") == 3


def test_idletime_and_freq(c):
    p = payload("short")
    assert c.cmd("RESTORE", "a", 0, p, "IDLETIME", 1000) == b"OK"
    assert 1000 <= c.cmd("OBJECT", "IDLETIME", "a") <= 1002
    try:
        c.check("CONFIG", "SET", "maxmemory-policy", "allkeys-lfu")
        assert c.cmd("RESTORE", "b", 0, p, "FREQ", 100) == b"OK"
        assert c.cmd("OBJECT", "FREQ", "b") == 100
    finally:
        c.check("CONFIG", "SET", "maxmemory-policy", "noeviction")


def test_restore_raises_keyspace_event(flushed_server, c):
    listener = flushed_server.resp()
    c.check("CONFIG", "SET", "notify-keyspace-events", "KEA")
    try:
        listener.check("SUBSCRIBE", "__keyevent@0__:restore", "__keyevent@0__:del")
        listener.read_reply()  # the second subscription's confirmation
        c.check("SET", "old", "v")
        assert c.cmd("RESTORE", "k", 0, payload("short")) == b"OK"
        assert c.cmd("RESTORE", "old", 1, payload("short"), "ABSTTL", "REPLACE") == b"OK"
        got = [listener.read_reply() for _ in range(2)]
        assert [m[1:] for m in got] == [[b"__keyevent@0__:restore", b"k"],
                                        [b"__keyevent@0__:del", b"old"]]
    finally:
        c.check("CONFIG", "SET", "notify-keyspace-events", "")
        listener.close()


# ---- DEBUG OBJECT --------------------------------------------------------

def debug_fields(conn, key):
    line = conn.cmd("DEBUG", "OBJECT", key)
    assert isinstance(line, str) or isinstance(line, bytes), line
    line = line.decode() if isinstance(line, bytes) else line
    assert line.startswith("Value at:0x"), line
    return dict(f.split(":", 1) for f in line.split(" ")[2:])


@pytest.mark.server_args("--enable-debug-command", "yes")
def test_debug_object(server):
    c = server.resp()
    c.check("RPUSH", "l", "a", "b", "c")
    c.check("SET", "i", "123")
    c.check("SET", "big", "a" * 3000)
    c.check("RPUSH", "long", *[f"element-{i}" for i in range(3000)])
    f = debug_fields(c, "l")
    assert list(f) == ["refcount", "encoding", "serializedlength", "lru", "lru_seconds_idle",
                       "ql_nodes", "ql_avg_node", "ql_listpack_max", "ql_compressed",
                       "ql_uncompressed_size"]
    assert (f["refcount"], f["encoding"], f["serializedlength"], f["ql_nodes"],
            f["ql_avg_node"], f["ql_listpack_max"], f["ql_compressed"],
            f["ql_uncompressed_size"]) == ("1", "quicklist", "19", "1", "3.00", "-2", "0", "16")
    f = debug_fields(c, "i")
    assert list(f) == ["refcount", "encoding", "serializedlength", "lru", "lru_seconds_idle"]
    assert (f["refcount"], f["encoding"], f["serializedlength"]) == ("2147483647", "int", "2")
    f = debug_fields(c, "big")
    assert (f["encoding"], f["serializedlength"]) == ("raw", "46")
    f = debug_fields(c, "long")
    assert int(f["ql_nodes"]) > 1
    assert int(f["serializedlength"]) > 0
    assert err(c.cmd("DEBUG", "OBJECT", "nokey")) == "ERR no such key"
    c.close()


# ---- Strata and redis-server side by side ---------------------------------

@pytest.mark.strata_only
@pytest.mark.server_args("--enable-debug-command", "yes")
def test_values_move_both_ways(server, redis_beside):
    s = server.resp()
    r = redis_beside.resp()
    try:
        for shape, cmds in sorted(SHAPES.items()):
            for srv in (s, r):
                srv.check("DEL", "k", "from")
                for cmd in cmds:
                    srv.check(*cmd)
            # Redis -> Strata and Strata -> Redis.
            assert s.cmd("RESTORE", "from", 0, r.cmd("DUMP", "k")) == b"OK", shape
            assert r.cmd("RESTORE", "from", 0, s.cmd("DUMP", "k")) == b"OK", shape
            for srv in (s, r):
                assert contents(srv, "from") == contents(r, "k"), shape
                assert srv.cmd("OBJECT", "ENCODING", "from") == \
                    r.cmd("OBJECT", "ENCODING", "k"), shape
            fs, fr = debug_fields(s, "k"), debug_fields(r, "k")
            assert fs["encoding"] == fr["encoding"], shape
            if shape not in ("hash_small", "hash_many", "set_big", "set_many_ints",
                             "list_lpush", "stream_groups", "stream_xdel", "stream_empty"):
                # Same element order, so the same bytes (DUMP) and length.
                assert s.cmd("DUMP", "k") == r.cmd("DUMP", "k"), shape
                assert fs["serializedlength"] == fr["serializedlength"], shape
                for field in ("ql_nodes", "ql_avg_node", "ql_uncompressed_size"):
                    assert fs.get(field) == fr.get(field), (shape, field)
    finally:
        s.close()
        r.close()
