"""Keyspace notifications (notify-keyspace-events): the flag letters and the
canonical form CONFIG GET shows, and the exact sequence of
__keyspace@<db>__:<key> / __keyevent@<db>__:<event> messages each command
family raises (strings, bits, generic keyspace commands, the EXPIRE family,
lists, hashes, sets, sorted sets, the *STORE commands, the "del" of an
emptied key), "expired" from the active cycle and from lazy expiry,
"evicted", "new" (n) and "keymiss" (m), databases other than 0, MULTI/EXEC
and RESP3 push frames. Each expectation is written once and runs against
both servers."""

import time

import pytest

from resp3 import Push, RespError

SENTINEL = "__key-sentinel__:end"


@pytest.fixture
def srv(flushed_server):
    yield flushed_server
    flushed_server.client().config_set("notify-keyspace-events", "")


class Listener:
    """A PSUBSCRIBE '__key*__:*' connection; `events(run)` returns the
    (channel, message) pairs raised while `run` ran, in order."""

    def __init__(self, server, protocol=2):
        self.conn = server.resp(protocol)
        self.pub = server.client()
        reply = self.conn.cmd("PSUBSCRIBE", "__key*__:*")
        assert list(reply) == [b"psubscribe", b"__key*__:*", 1]

    def collect(self):
        """Messages up to the sentinel (published after the commands ran:
        publishes are totally ordered, so every event came before it)."""
        assert self.pub.publish(SENTINEL, "x") == 1
        out = []
        while True:
            m = self.conn.read_reply()
            assert m[0] == b"pmessage", m
            channel, message = m[2].decode(), m[3].decode()
            if channel == SENTINEL:
                self.conn.close()
                return out
            out.append((channel, message))


def expand(events, db=0, space=True, event=True):
    """[(event, key)] -> the messages Redis sends for them with K and/or E."""
    out = []
    for ev, key in events:
        if space:
            out.append((f"__keyspace@{db}__:{key}", ev))
        if event:
            out.append((f"__keyevent@{db}__:{ev}", key))
    return out


def run(srv, flags, commands, setup=()):
    """Runs `setup` quietly, then `commands` with `flags`; returns the events
    as [(event, key)] (checking that every one came as the K/E pair)."""
    c = srv.client()
    c.config_set("notify-keyspace-events", "")
    for cmd in setup:
        c.execute_command(*cmd)
    listener = Listener(srv)
    c.config_set("notify-keyspace-events", flags)
    for cmd in commands:
        try:
            c.execute_command(*cmd)
        except Exception:
            pass  # error cases raise nothing; the expectation shows it
    c.config_set("notify-keyspace-events", "")
    got = listener.collect()
    pairs = []
    for i in range(0, len(got), 2):
        (space_ch, ev), (event_ch, key) = got[i], got[i + 1]
        assert space_ch.startswith("__keyspace@0__:") and event_ch == f"__keyevent@0__:{ev}", got
        assert space_ch == f"__keyspace@0__:{key}", got
        pairs.append((ev, key))
    return pairs


# ---- the setting ------------------------------------------------------------

# (value set, CONFIG GET's canonical form), as Redis 7.0.15 answers.
CANONICAL = [
    ("", ""), ("K", "K"), ("E", "E"), ("KEA", "AKE"), ("A", "A"), ("Ag", "A"),
    ("AKE", "AKE"), ("nmK", "nKm"), ("xeK", "xeK"), ("$lshzxetdn", "$lshzxetdn"),
    ("gA", "A"), ("AnmKE", "AKEm"), ("zz", "z"), ("Ad", "A"), ("g$lshzxetd", "A"),
    ("EKhg", "ghKE"), ("m", "m"), ("t", "t"), ("d", "d"), ("n", "n"),
]


def flags_shown(server):
    return server.resp().cmd("CONFIG", "GET", "notify-keyspace-events")


def test_flags_parse_and_canonical_form(srv):
    c = srv.client()
    assert flags_shown(srv) == [b"notify-keyspace-events", b""]
    for value, shown in CANONICAL:
        assert c.config_set("notify-keyspace-events", value)
        assert flags_shown(srv) == [b"notify-keyspace-events", shown.encode()], value


def test_invalid_flag_is_refused_and_changes_nothing(srv):
    r = srv.resp()
    assert r.cmd("CONFIG", "SET", "notify-keyspace-events", "KEl") == b"OK"
    for bad in ("Kq", "KE ", "a", "k", "*", "KEL"):
        assert r.cmd("CONFIG", "SET", "notify-keyspace-events", bad) == RespError(
            b"ERR CONFIG SET failed (possibly related to argument 'notify-keyspace-events') - "
            b"Invalid event class character. Use 'Ag$lshzxeKEtmdn'.")
    assert r.cmd("CONFIG", "GET", "notify-keyspace-events") == [
        b"notify-keyspace-events", b"lKE"]


@pytest.mark.server_args("--notify-keyspace-events", "KEA")
def test_flags_from_the_command_line(server):
    c = server.client()
    assert flags_shown(server) == [b"notify-keyspace-events", b"AKE"]
    listener = Listener(server)
    c.set("k", "v")
    assert listener.collect() == expand([("set", "k")])


def test_off_by_default_and_class_filtering(srv):
    assert run(srv, "", [("SET", "a", "1"), ("LPUSH", "l", "x")]) == []
    # Only the enabled classes; K or E alone gives only that channel.
    assert run(srv, "KE$", [("SET", "a", "1"), ("LPUSH", "l", "x"), ("DEL", "a")]) == [
        ("set", "a")]
    assert run(srv, "KEl", [("SET", "a", "1"), ("LPUSH", "l2", "x")]) == [("lpush", "l2")]
    assert run(srv, "A", [("SET", "a", "1")]) == []  # neither K nor E: nothing
    c = srv.client()
    for flags, space, event in (("K$", True, False), ("E$", False, True)):
        listener = Listener(srv)
        c.config_set("notify-keyspace-events", flags)
        c.set("s", "1")
        c.config_set("notify-keyspace-events", "")
        assert listener.collect() == expand([("set", "s")], space=space, event=event)


# ---- command families -----------------------------------------------------------


def test_string_events(srv):
    got = run(srv, "KEA", [
        ("SET", "s", "1"), ("SET", "s", "2", "EX", "100"), ("SET", "s", "3", "NX"),
        ("SET", "s", "4", "XX", "KEEPTTL"), ("SET", "s", "5", "GET"), ("SETNX", "s", "x"),
        ("SETNX", "s2", "x"), ("SETEX", "s3", "10", "v"), ("PSETEX", "s4", "10000", "v"),
        ("GETSET", "s", "6"), ("MSET", "m1", "1", "m2", "2"), ("MSETNX", "m1", "1", "m3", "3"),
        ("MSETNX", "m4", "1", "m5", "2"), ("INCR", "n"), ("DECR", "n"), ("INCRBY", "n", "5"),
        ("DECRBY", "n", "2"), ("INCRBYFLOAT", "n", "1.5"), ("INCR", "s3x"), ("APPEND", "s", "x"),
        ("SETRANGE", "s", "1", "yy"), ("SETRANGE", "s", "1", ""), ("SETRANGE", "nope", "0", ""),
        ("GET", "s"), ("STRLEN", "s"), ("GETRANGE", "s", "0", "1"), ("INCR", "s"),
        ("GETEX", "s"), ("GETEX", "s", "EX", "100"), ("GETEX", "s", "PERSIST"),
        ("GETEX", "s", "PERSIST"), ("GETEX", "s", "PXAT", "1"), ("GETDEL", "m1"),
        ("GETDEL", "m1"), ("SET", "g", "v", "GET"), ("SET", "g", "w", "NX", "GET"),
    ])
    assert got == [
        ("set", "s"), ("set", "s"), ("expire", "s"), ("set", "s"), ("set", "s"),
        ("set", "s2"), ("set", "s3"), ("expire", "s3"), ("set", "s4"), ("expire", "s4"),
        ("set", "s"), ("set", "m1"), ("set", "m2"), ("set", "m4"), ("set", "m5"),
        ("incrby", "n"), ("incrby", "n"), ("incrby", "n"), ("incrby", "n"), ("incrbyfloat", "n"),
        ("incrby", "s3x"), ("append", "s"), ("setrange", "s"),
        ("expire", "s"), ("persist", "s"), ("del", "s"), ("del", "m1"), ("set", "g"),
    ]


def test_bit_events(srv):
    got = run(srv, "KEA", [
        ("SETBIT", "b", "7", "1"), ("SETBIT", "b", "7", "1"), ("GETBIT", "b", "7"),
        ("SETBIT", "b0", "3", "0"), ("SETBIT", "b0", "100", "0"), ("SETBIT", "b0", "5", "0"),
        ("BITCOUNT", "b"), ("BITOP", "OR", "d", "b"), ("BITOP", "AND", "d", "nope"),
        ("BITOP", "AND", "d", "nope"), ("BITFIELD", "f", "GET", "u8", "0"),
        ("BITFIELD", "f", "SET", "u8", "0", "255"),
        ("BITFIELD", "f", "OVERFLOW", "FAIL", "INCRBY", "u8", "0", "10"),
        ("BITFIELD", "f", "INCRBY", "u8", "0", "10", "GET", "u8", "0"),
        ("BITFIELD_RO", "f", "GET", "u8", "0"),
    ])
    # SETBIT of a bit to the value it has raises nothing, unless the string
    # is created or grows.
    assert got == [("setbit", "b"), ("setbit", "b0"), ("setbit", "b0"), ("set", "d"), ("del", "d"), ("setbit", "f"), ("setbit", "f")]


def test_generic_events(srv):
    got = run(srv, "KEA", [
        ("DEL", "a", "nope", "b", "a"), ("UNLINK", "c"), ("RENAME", "r1", "r2"),
        ("RENAME", "r2", "r2"), ("RENAMENX", "r2", "x1"), ("RENAMENX", "r2", "r3"),
        ("COPY", "r3", "cp"), ("COPY", "r3", "cp"), ("COPY", "r3", "cp", "REPLACE"),
        ("EXPIRE", "cp", "100"), ("EXPIRE", "cp", "100", "NX"), ("PEXPIRE", "cp", "100000"),
        ("EXPIREAT", "cp", "99999999999"), ("PEXPIREAT", "cp", "99999999999000"),
        ("PERSIST", "cp"), ("PERSIST", "cp"), ("EXPIRE", "nope", "10"), ("EXPIRE", "cp", "-1"),
        ("EXPIRE", "x1", "0"), ("PEXPIREAT", "r3", "1"), ("TYPE", "cp"), ("EXISTS", "cp"),
        ("TOUCH", "cp"), ("RENAME", "nope", "x"),
    ], setup=[("MSET", "a", "1", "b", "2", "c", "3", "r1", "x", "x1", "y")])
    assert got == [
        ("del", "a"), ("del", "b"), ("del", "c"), ("rename_from", "r1"), ("rename_to", "r2"),
        ("rename_from", "r2"), ("rename_to", "r3"), ("copy_to", "cp"), ("copy_to", "cp"),
        ("expire", "cp"), ("expire", "cp"), ("expire", "cp"), ("expire", "cp"),
        ("persist", "cp"), ("del", "cp"), ("del", "x1"), ("del", "r3"),
    ]


def test_list_events(srv):
    got = run(srv, "KEA", [
        ("LPUSH", "l", "a", "b"), ("RPUSH", "l", "c"), ("LPUSHX", "nope", "a"),
        ("RPUSHX", "l", "d"), ("LSET", "l", "0", "z"), ("LINSERT", "l", "BEFORE", "c", "y"),
        ("LINSERT", "l", "BEFORE", "nothere", "y"), ("LREM", "l", "0", "nothere"),
        ("LREM", "l", "1", "y"), ("LTRIM", "l", "0", "-1"), ("LTRIM", "nope", "0", "1"),
        ("LPOP", "l"), ("RPOP", "l", "0"), ("RPOP", "l", "1"), ("LPOP", "nope"),
        ("LMOVE", "l", "l2", "LEFT", "RIGHT"), ("RPOPLPUSH", "l2", "l3"),
        ("RPUSH", "l4", "1", "2", "3"), ("LMPOP", "2", "nope", "l4", "RIGHT", "COUNT", "2"),
        ("LMPOP", "1", "l4", "LEFT", "COUNT", "5"), ("RPUSH", "l5", "1", "2"),
        ("LTRIM", "l5", "5", "6"), ("LRANGE", "l3", "0", "-1"), ("LLEN", "l3"),
        ("RPUSH", "l6", "q"), ("LREM", "l6", "0", "q"),
    ])
    assert got == [
        ("lpush", "l"), ("rpush", "l"), ("rpush", "l"), ("lset", "l"), ("linsert", "l"),
        ("lrem", "l"), ("ltrim", "l"), ("lpop", "l"), ("rpop", "l"),
        ("rpush", "l2"), ("lpop", "l"),
        ("lpush", "l3"), ("rpop", "l2"), ("del", "l2"),
        ("rpush", "l4"), ("rpop", "l4"), ("lpop", "l4"), ("del", "l4"),
        ("rpush", "l5"), ("ltrim", "l5"), ("del", "l5"),
        ("rpush", "l6"), ("lrem", "l6"), ("del", "l6"),
    ]


def test_hash_events(srv):
    got = run(srv, "KEA", [
        ("HSET", "h", "a", "1", "b", "2"), ("HSET", "h", "a", "1"), ("HMSET", "h", "c", "3"),
        ("HSETNX", "h", "a", "x"), ("HSETNX", "h", "d", "4"), ("HINCRBY", "h", "n", "2"),
        ("HINCRBYFLOAT", "h", "f", "1.5"), ("HDEL", "h", "nope"), ("HDEL", "h", "a", "b"),
        ("HGET", "h", "c"), ("HGETALL", "h"), ("HDEL", "h", "c", "d", "n", "f"),
        ("HDEL", "h", "c"),
    ])
    assert got == [
        ("hset", "h"), ("hset", "h"), ("hset", "h"), ("hset", "h"), ("hincrby", "h"),
        ("hincrbyfloat", "h"), ("hdel", "h"), ("hdel", "h"), ("del", "h"),
    ]


def test_set_events(srv):
    got = run(srv, "KEA", [
        ("SADD", "s", "a", "b", "c"), ("SADD", "s", "a"), ("SREM", "s", "nope"),
        ("SREM", "s", "c"), ("SMOVE", "s", "t", "a"), ("SMOVE", "s", "t", "nope"),
        ("SMOVE", "s", "s", "b"), ("SPOP", "t"), ("SADD", "u", "1", "2", "3"),
        ("SPOP", "u", "0"), ("SPOP", "u", "2"), ("SPOP", "u", "5"), ("SADD", "v", "1", "2"),
        ("SADD", "w", "2", "3"), ("SINTERSTORE", "d", "v", "w"), ("SUNIONSTORE", "d", "v", "w"),
        ("SDIFFSTORE", "d", "v", "w"), ("SINTERSTORE", "d", "v", "nope"),
        ("SINTERSTORE", "d", "v", "nope"), ("SDIFFSTORE", "e", "v", "v"),
        ("SMEMBERS", "v"), ("SISMEMBER", "v", "1"), ("SREM", "v", "1", "2"),
    ])
    assert got == [
        ("sadd", "s"), ("srem", "s"), ("srem", "s"), ("sadd", "t"), ("spop", "t"), ("del", "t"),
        ("sadd", "u"), ("spop", "u"), ("spop", "u"), ("del", "u"), ("sadd", "v"), ("sadd", "w"),
        ("sinterstore", "d"), ("sunionstore", "d"), ("sdiffstore", "d"), ("del", "d"),
        ("srem", "v"), ("del", "v"),
    ]


def test_zset_events(srv):
    got = run(srv, "KEA", [
        ("ZADD", "z", "1", "a", "2", "b", "3", "c"), ("ZADD", "z", "1", "a"),
        ("ZADD", "z", "5", "a"), ("ZADD", "z", "NX", "9", "a"), ("ZINCRBY", "z", "1", "b"),
        ("ZINCRBY", "z", "0", "b"), ("ZADD", "z", "INCR", "1", "c"), ("ZREM", "z", "nope"),
        ("ZREM", "z", "c"), ("ZPOPMIN", "z"), ("ZPOPMAX", "z", "0"),
        ("ZADD", "y", "1", "a", "2", "b", "3", "c", "4", "d"),
        ("ZREMRANGEBYRANK", "y", "0", "0"), ("ZREMRANGEBYSCORE", "y", "2", "2"),
        ("ZREMRANGEBYLEX", "y", "[z", "[zz"), ("ZREMRANGEBYSCORE", "y", "-inf", "+inf"),
        ("ZADD", "p", "1", "a", "2", "b"), ("ZADD", "q", "2", "b", "3", "c"),
        ("ZUNIONSTORE", "d", "2", "p", "q"), ("ZINTERSTORE", "d", "2", "p", "q"),
        ("ZDIFFSTORE", "d", "2", "p", "q"), ("ZRANGESTORE", "d2", "p", "0", "-1"),
        ("ZINTERSTORE", "d", "2", "p", "nope"), ("ZRANGESTORE", "d2", "p", "5", "6"),
        ("ZMPOP", "2", "nope", "p", "MIN", "COUNT", "5"), ("ZPOPMAX", "z", "5"),
        ("ZRANGE", "q", "0", "-1"), ("ZSCORE", "q", "b"),
    ])
    assert got == [
        ("zadd", "z"), ("zadd", "z"), ("zincr", "z"), ("zincr", "z"), ("zrem", "z"),
        ("zpopmin", "z"), ("zadd", "y"), ("zremrangebyrank", "y"), ("zremrangebyscore", "y"),
        ("zremrangebyscore", "y"), ("del", "y"), ("zadd", "p"), ("zadd", "q"),
        ("zunionstore", "d"), ("zinterstore", "d"), ("zdiffstore", "d"), ("zrangestore", "d2"),
        ("del", "d"), ("del", "d2"), ("zpopmin", "p"), ("del", "p"), ("zpopmax", "z"),
        ("del", "z"),
    ]


# ---- new (n) and keymiss (m) ---------------------------------------------------------


def test_new_events_come_first_for_a_created_key(srv):
    got = run(srv, "KEA" + "n", [
        ("SET", "a", "1"), ("SET", "a", "2"), ("LPUSH", "l", "x"), ("LPUSH", "l", "y"),
        ("HSET", "h", "f", "v"), ("SADD", "s", "m"), ("ZADD", "z", "1", "m"), ("INCR", "n"),
        ("APPEND", "ap", "x"), ("SETBIT", "b", "1", "1"), ("LMOVE", "l", "l2", "LEFT", "LEFT"),
        ("RENAME", "a", "a2"), ("SET", "t", "1"), ("RENAME", "a2", "t"), ("COPY", "t", "c"),
        ("SUNIONSTORE", "su", "s"), ("SUNIONSTORE", "su", "s"), ("LPUSHX", "nope", "x"),
    ])
    assert got == [
        ("new", "a"), ("set", "a"), ("set", "a"), ("new", "l"), ("lpush", "l"), ("lpush", "l"),
        ("new", "h"), ("hset", "h"), ("new", "s"), ("sadd", "s"), ("new", "z"), ("zadd", "z"),
        ("new", "n"), ("incrby", "n"), ("new", "ap"), ("append", "ap"), ("new", "b"),
        ("setbit", "b"), ("new", "l2"), ("lpush", "l2"), ("lpop", "l"),
        ("new", "a2"), ("rename_from", "a"), ("rename_to", "a2"), ("new", "t"), ("set", "t"),
        ("new", "t"), ("rename_from", "a2"), ("rename_to", "t"), ("new", "c"), ("copy_to", "c"),
        ("new", "su"), ("sunionstore", "su"), ("sunionstore", "su"),
    ]
    # n alone: only "new".
    c = srv.client()
    listener = Listener(srv)
    c.config_set("notify-keyspace-events", "En")
    c.set("fresh", "1")
    c.set("fresh", "2")
    c.config_set("notify-keyspace-events", "")
    assert listener.collect() == expand([("new", "fresh")], space=False)


def test_keymiss_events(srv):
    got = run(srv, "KEm", [
        ("GET", "nope"), ("GET", "s"), ("HGET", "nope", "f"), ("LRANGE", "nope", "0", "1"),
        ("SMEMBERS", "nope"), ("ZSCORE", "nope", "m"), ("STRLEN", "nope"), ("TYPE", "nope"),
        ("EXISTS", "nope"), ("TTL", "nope"), ("SET", "nope2", "1"), ("DEL", "nope3"),
        ("LPUSHX", "nope4", "x"), ("OBJECT", "ENCODING", "nope"), ("MEMORY", "USAGE", "nope"),
    ], setup=[("SET", "s", "v")])
    assert got == [
        ("keymiss", "nope"), ("keymiss", "nope"), ("keymiss", "nope"), ("keymiss", "nope"),
        ("keymiss", "nope"), ("keymiss", "nope"), ("keymiss", "nope"), ("keymiss", "nope"),
        ("keymiss", "nope"),
    ]
    # A is every class but m and n.
    assert run(srv, "KEA", [("GET", "nope")]) == []


# ---- expiry and eviction ---------------------------------------------------------------


def test_expired_from_the_active_cycle(srv):
    c = srv.client()
    listener = Listener(srv)
    c.config_set("notify-keyspace-events", "KEx")
    c.set("short", "v", px=50)
    c.hset("shorth", "f", "v")
    c.pexpire("shorth", 50)
    deadline = time.time() + 5
    while c.dbsize() != 0 and time.time() < deadline:
        time.sleep(0.05)
    # No command touched the keys: the cycle deleted them, raising "expired".
    assert c.dbsize() == 0
    got = listener.collect()
    assert sorted(got) == sorted(expand([("expired", "short"), ("expired", "shorth")]))


@pytest.mark.server_args("--enable-debug-command", "yes")
def test_expired_by_lazy_expiry_on_write(server):
    c = server.client()
    assert c.execute_command("DEBUG", "SET-ACTIVE-EXPIRE", "0") == b"OK"
    c.set("k", "old", px=20)
    c.rpush("l", "a")
    c.pexpire("l", 20)
    time.sleep(0.1)
    listener = Listener(server)
    c.config_set("notify-keyspace-events", "KEA")
    c.set("k", "new")
    c.rpush("l", "b")
    assert listener.collect() == expand(
        [("expired", "k"), ("set", "k"), ("expired", "l"), ("rpush", "l")])


@pytest.mark.server_args("--enable-debug-command", "yes")
def test_expired_by_lazy_expiry_on_read_once(server):
    c = server.client()
    assert c.execute_command("DEBUG", "SET-ACTIVE-EXPIRE", "0") == b"OK"
    c.set("k", "v", px=20)
    c.hset("h", "f", "v")
    c.pexpire("h", 20)
    time.sleep(0.1)
    listener = Listener(server)
    c.config_set("notify-keyspace-events", "KEAm")
    assert c.get("k") is None
    assert c.get("k") is None
    assert c.hget("h", "f") is None
    assert c.execute_command("DEBUG", "SET-ACTIVE-EXPIRE", "1") == b"OK"
    time.sleep(0.3)  # the active cycle finds nothing left to raise
    assert listener.collect() == expand(
        [("expired", "k"), ("keymiss", "k"), ("keymiss", "k"), ("expired", "h"),
         ("keymiss", "h")])
    assert c.dbsize() == 0


@pytest.mark.strata_only
@pytest.mark.server_args("--maxmemory-policy", "allkeys-random", "--maxmemory-dataset", "50kb")
def test_evicted(server):
    c = server.client()
    listener = Listener(server)
    c.config_set("notify-keyspace-events", "Ee")
    pipe = c.pipeline(transaction=False)
    for i in range(2000):
        pipe.set(f"key:{i}", "v" * 200)
    pipe.execute()
    deadline = time.time() + 10
    while c.info("stats")["evicted_keys"] == 0 and time.time() < deadline:
        time.sleep(0.1)
    time.sleep(0.3)
    c.config_set("notify-keyspace-events", "")
    got = listener.collect()
    evicted = c.info("stats")["evicted_keys"]
    assert evicted > 0
    assert all(ch == "__keyevent@0__:evicted" for ch, _ in got), got[:5]
    keys = {k for _, k in got}
    assert len(got) == len(keys) > 0
    assert not any(c.exists(k) for k in list(keys)[:50])


# ---- databases, transactions, RESP3 -----------------------------------------------------


def test_other_databases(srv):
    c = srv.client()
    listener = Listener(srv)
    c.config_set("notify-keyspace-events", "KEA")
    c.execute_command("SELECT", "3")
    c.set("k", "v")
    c.execute_command("MOVE", "k", "5")
    c.execute_command("SELECT", "5")
    c.execute_command("COPY", "k", "k2", "DB", "7")
    c.execute_command("SELECT", "0")
    c.config_set("notify-keyspace-events", "")
    assert listener.collect() == (
        expand([("set", "k")], db=3) + expand([("move_from", "k")], db=3) +
        expand([("move_to", "k")], db=5) + expand([("copy_to", "k2")], db=7))


def test_events_inside_exec_in_command_order(srv):
    c = srv.client()
    listener = Listener(srv)
    c.config_set("notify-keyspace-events", "KEA")
    pipe = c.pipeline(transaction=True)
    pipe.set("a", "1")
    pipe.lpush("l", "x")
    pipe.incr("a")
    pipe.lpop("l")
    pipe.expire("a", 100)
    pipe.execute()
    c.config_set("notify-keyspace-events", "")
    assert listener.collect() == expand(
        [("set", "a"), ("lpush", "l"), ("incrby", "a"), ("lpop", "l"), ("del", "l"),
         ("expire", "a")])


def test_resp3_push_form(srv):
    conn = srv.resp(3)
    reply = conn.cmd("PSUBSCRIBE", "__keyevent@0__:*")
    assert isinstance(reply, Push) and list(reply) == [b"psubscribe", b"__keyevent@0__:*", 1]
    c = srv.client()
    c.config_set("notify-keyspace-events", "E$")
    c.set("k", "v")
    c.config_set("notify-keyspace-events", "")
    m = conn.read_reply()
    assert isinstance(m, Push)
    assert list(m) == [b"pmessage", b"__keyevent@0__:*", b"__keyevent@0__:set", b"k"]


def test_edge_cases(srv):
    # SMOVE of a member the destination has: "srem" only; emptying the source:
    # its "del" right after the "srem".
    got = run(srv, "KEA", [
        ("SADD", "s", "a", "b"), ("SADD", "t", "a"), ("SMOVE", "s", "t", "a"),
        ("SMOVE", "s", "t2", "b"),
    ])
    assert got == [("sadd", "s"), ("sadd", "t"), ("srem", "s"), ("srem", "s"), ("del", "s"),
                   ("sadd", "t2")]
    got = run(srv, "KEAn", [
        ("SET", "past", "v", "PXAT", "1"), ("MSET", "m", "1", "m", "2"),
        ("RPUSH", "l", "1", "2"), ("LMOVE", "l", "l", "LEFT", "RIGHT"),
        ("INCRBYFLOAT", "f", "1.5"), ("HINCRBY", "h", "x", "1"), ("ZADD", "z", "1", "m"),
        ("ZADD", "z", "GT", "0", "m"), ("ZADD", "z", "CH", "1", "m"),
        ("EXPIRE", "z", "100", "XX"), ("SET", "ttl", "v", "EX", "100", "KEEPTTL"),
    ])
    assert got == [
        ("new", "past"), ("set", "past"), ("expire", "past"),
        ("new", "m"), ("set", "m"), ("set", "m"),
        ("new", "l"), ("rpush", "l"), ("rpush", "l"), ("lpop", "l"),
        ("new", "f"), ("incrbyfloat", "f"), ("new", "h"), ("hincrby", "h"),
        ("new", "z"), ("zadd", "z"),
    ]


# ---- blocking commands, streams, geo, HyperLogLog, SORT STORE, scripts ------------------


def wait_blocked(c, n, timeout=5.0):
    """Waits until n clients are blocked (INFO blocked_clients)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if c.info("clients")["blocked_clients"] == n:
            return
        time.sleep(0.005)
    raise AssertionError(f"blocked_clients never reached {n}")


def test_blocking_commands_served_at_once(srv):
    got = run(srv, "KEA", [
        ("RPUSH", "l", "a", "b", "c", "d", "e"), ("BLPOP", "nope", "l", "0"),
        ("BRPOP", "l", "0"), ("BLMOVE", "l", "l2", "LEFT", "RIGHT", "0"),
        ("BRPOPLPUSH", "l", "l3", "0"), ("BLMPOP", "0", "2", "nope", "l", "RIGHT", "COUNT", "5"),
        ("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d"), ("BZPOPMIN", "nope", "z", "0"),
        ("BZPOPMAX", "z", "0"), ("BZMPOP", "0", "1", "z", "MAX", "COUNT", "9"),
    ])
    assert got == [
        ("rpush", "l"), ("lpop", "l"), ("rpop", "l"), ("rpush", "l2"), ("lpop", "l"),
        ("lpush", "l3"), ("rpop", "l"), ("rpop", "l"), ("del", "l"),
        ("zadd", "z"), ("zpopmin", "z"), ("zpopmax", "z"), ("zpopmax", "z"), ("del", "z"),
    ]


def test_served_blocked_clients_raise_their_events(srv):
    # The pusher's event first, then the served client's pop (and "del").
    c = srv.client()
    c.config_set("notify-keyspace-events", "")
    listener = Listener(srv)
    c.config_set("notify-keyspace-events", "KEA")
    waiters = []

    def block(*args):
        conn = srv.resp()
        conn.send(*args)
        waiters.append(conn)
        wait_blocked(c, 1)

    block("BLPOP", "l", "0")
    c.rpush("l", "x")
    assert waiters[-1].read_reply() == [b"l", b"x"]
    block("BLMOVE", "src", "dst", "LEFT", "RIGHT", "0")
    c.lpush("src", "a", "b")
    assert waiters[-1].read_reply() == b"b"
    once = srv.resp()
    assert once.cmd("BRPOPLPUSH", "src", "dst", "0") == b"a"  # served at once
    once.close()
    block("BLMPOP", "0", "1", "m", "RIGHT", "COUNT", "2")
    c.rpush("m", "1", "2", "3")
    assert waiters[-1].read_reply() == [b"m", [b"3", b"2"]]
    block("BZPOPMIN", "z", "0")
    c.zadd("z", {"a": 1})
    assert waiters[-1].read_reply() == [b"z", b"a", b"1"]
    block("BZMPOP", "0", "1", "z", "MAX")
    c.zadd("z", {"a": 1, "b": 2})
    assert waiters[-1].read_reply() == [b"z", [[b"b", b"2"]]]
    c.config_set("notify-keyspace-events", "")
    assert listener.collect() == expand([
        ("rpush", "l"), ("lpop", "l"), ("del", "l"),
        ("lpush", "src"), ("rpush", "dst"), ("lpop", "src"),
        ("lpush", "dst"), ("rpop", "src"), ("del", "src"),
        ("rpush", "m"), ("rpop", "m"),
        ("zadd", "z"), ("zpopmin", "z"), ("del", "z"),
        ("zadd", "z"), ("zpopmax", "z"),
    ])
    for w in waiters:
        w.close()


def test_stream_events(srv):
    got = run(srv, "KEAn", [
        ("XADD", "s", "1-1", "f", "v"), ("XADD", "s", "MAXLEN", "1", "2-1", "f", "v"),
        ("XADD", "s", "MAXLEN", "5", "3-1", "f", "v"), ("XADD", "s", "1-1", "f", "v"),
        ("XADD", "nope", "NOMKSTREAM", "*", "f", "v"), ("XDEL", "s", "9-9"),
        ("XDEL", "s", "3-1"), ("XADD", "s", "4-1", "f", "v"), ("XADD", "s", "5-1", "f", "v"),
        ("XTRIM", "s", "MAXLEN", "5"), ("XTRIM", "s", "MAXLEN", "1"), ("XSETID", "s", "9-9"),
        ("XSETID", "s", "1-1"), ("XSETID", "nope", "1-1"), ("XLEN", "s"),
        ("XRANGE", "s", "-", "+"), ("XDEL", "s", "5-1"),
    ])
    assert got == [
        ("new", "s"), ("xadd", "s"), ("xadd", "s"), ("xtrim", "s"), ("xadd", "s"),
        ("xdel", "s"), ("xadd", "s"), ("xadd", "s"), ("xtrim", "s"), ("xsetid", "s"),
        ("xdel", "s"),  # an emptied stream stays: no "del"
    ]


def test_geo_events(srv):
    got = run(srv, "KEAn", [
        ("GEOADD", "g", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania"),
        ("GEOADD", "g", "13.361389", "38.115556", "Palermo"),
        ("GEOADD", "g", "CH", "13.0", "38.1", "Palermo"),
        ("GEOADD", "g", "XX", "13.0", "38.1", "Nowhere"),
        ("GEORADIUS", "g", "15", "37", "200", "km", "STORE", "d1"),
        ("GEORADIUSBYMEMBER", "g", "Palermo", "1", "km", "STOREDIST", "d2"),
        ("GEOSEARCHSTORE", "d3", "g", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km"),
        ("GEOSEARCHSTORE", "d3", "g", "FROMLONLAT", "0", "0", "BYRADIUS", "1", "km"),
        ("GEOSEARCHSTORE", "d3", "g", "FROMLONLAT", "0", "0", "BYRADIUS", "1", "km"),
        ("GEORADIUS", "nope", "15", "37", "200", "km", "STORE", "d1"),
        ("GEOSEARCHSTORE", "d2", "nope", "FROMLONLAT", "0", "0", "BYRADIUS", "1", "km"),
        ("GEOSEARCHSTORE", "d2", "nope", "FROMLONLAT", "0", "0", "BYRADIUS", "1", "km"),
        ("GEOPOS", "g", "Palermo"), ("GEODIST", "g", "Palermo", "Catania"),
    ])
    assert got == [
        ("new", "g"), ("zadd", "g"), ("zadd", "g"), ("new", "d1"), ("georadiusstore", "d1"),
        ("new", "d2"), ("georadiusstore", "d2"), ("new", "d3"), ("geosearchstore", "d3"),
        ("del", "d3"), ("del", "d1"), ("del", "d2"),
    ]


def test_hyperloglog_events(srv):
    # PFCOUNT's cache refresh and PFDEBUG TODENSE raise nothing.
    got = run(srv, "KEAn", [
        ("PFADD", "h", "a", "b"), ("PFADD", "h", "a"), ("PFADD", "h2"), ("PFADD", "h2"),
        ("PFCOUNT", "h"), ("PFCOUNT", "h", "h2"), ("PFMERGE", "h3", "h", "h2"),
        ("PFMERGE", "h3"), ("PFDEBUG", "TODENSE", "h"), ("PFADD", "s", "x"),
    ], setup=[("SET", "s", "v")])
    assert got == [
        ("new", "h"), ("pfadd", "h"), ("new", "h2"), ("pfadd", "h2"), ("new", "h3"),
        ("pfadd", "h3"), ("pfadd", "h3"),
    ]


def test_sort_store_events(srv):
    got = run(srv, "KEAn", [
        ("SORT", "l", "STORE", "d"), ("SORT", "l", "STORE", "d"), ("SORT", "nope", "STORE", "d"),
        ("SORT", "nope", "STORE", "d"), ("SORT", "l", "LIMIT", "5", "5", "STORE", "e"),
        ("SORT", "l", "ALPHA", "STORE", "l"), ("SORT_RO", "l"), ("SORT", "l"),
    ], setup=[("RPUSH", "l", "3", "1", "2")])
    assert got == [
        ("new", "d"), ("sortstore", "d"), ("sortstore", "d"), ("del", "d"), ("sortstore", "l"),
    ]


def test_script_commands_raise_their_events(srv):
    script = ("redis.call('SET', KEYS[1], '1'); redis.call('DEL', KEYS[1]); "
              "redis.call('LPUSH', KEYS[2], 'a'); redis.call('LPOP', KEYS[2]); "
              "return redis.call('GET', 'nope')")
    got = run(srv, "KEA", [("EVAL", script, "2", "k", "l"), ("SET", "after", "1")])
    assert got == [
        ("set", "k"), ("del", "k"), ("lpush", "l"), ("lpop", "l"), ("del", "l"),
        ("set", "after"),
    ]


def test_keymiss_events_of_the_newest_families(srv):
    got = run(srv, "KEm", [
        # (Not XREAD: Redis raises two per key there, Strata one; keyspace_events.h.)
        ("XRANGE", "x1", "-", "+"), ("XLEN", "x2"), ("XRANGE", "x3", "-", "+"),
        ("XREVRANGE", "x4", "+", "-"), ("XINFO", "STREAM", "x5"), ("GEOPOS", "g1", "a"),
        ("GEODIST", "g2", "a", "b"), ("GEOHASH", "g3", "a"),
        ("GEOSEARCH", "g4", "FROMLONLAT", "0", "0", "BYRADIUS", "1", "km"),
        ("PFCOUNT", "h1"), ("SORT", "o1"), ("SORT_RO", "o2"), ("PFMERGE", "h2", "h", "h3"),
        ("GEORADIUS", "g5", "15", "37", "200", "km", "STORE", "d"),
        ("GEOSEARCHSTORE", "d", "g6", "FROMLONLAT", "0", "0", "BYRADIUS", "1", "km"),
        ("SORT", "o3", "STORE", "d"),
    ], setup=[("PFADD", "h", "a")])
    assert got == [
        ("keymiss", "x1"), ("keymiss", "x2"), ("keymiss", "x3"), ("keymiss", "x4"),
        ("keymiss", "x5"), ("keymiss", "g1"), ("keymiss", "g2"), ("keymiss", "g3"),
        ("keymiss", "g4"), ("keymiss", "h1"), ("keymiss", "o1"), ("keymiss", "o2"),
        ("keymiss", "h2"), ("keymiss", "h3"), ("keymiss", "g5"), ("keymiss", "g6"),
        ("keymiss", "o3"),
    ]


# ---- consumer groups ---------------------------------------------------------------------


def test_consumer_group_events(srv):
    # A consumer is created (and announced) by XGROUP CREATECONSUMER, by an
    # XREADGROUP that serves its stream (a history read always does, ">"
    # only with new entries), and by XCLAIM / XAUTOCLAIM on the first entry
    # they claim. Unchanged state, XACK and XPENDING raise nothing.
    got = run(srv, "KEAn", [
        ("XGROUP", "CREATE", "s", "g", "0"), ("XGROUP", "CREATE", "s", "g", "0"),
        ("XGROUP", "CREATE", "m", "g", "$", "MKSTREAM"),
        ("XGROUP", "CREATE", "nope", "g", "$"),
        ("XGROUP", "CREATECONSUMER", "s", "g", "a"), ("XGROUP", "CREATECONSUMER", "s", "g", "a"),
        ("XGROUP", "CREATECONSUMER", "s", "nogroup", "a"),
        ("XREADGROUP", "GROUP", "g", "b", "STREAMS", "s", "m", ">", ">"),
        ("XREADGROUP", "GROUP", "g", "b", "STREAMS", "s", ">"),
        ("XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">"),
        ("XREADGROUP", "GROUP", "g", "d", "STREAMS", "s", "m", "0", "0"),
        ("XREADGROUP", "GROUP", "g", "e", "BLOCK", "10", "STREAMS", "m", ">"),
        ("XCLAIM", "s", "g", "f", "100000", "1-1"), ("XCLAIM", "s", "g", "f", "0", "9-9"),
        ("XCLAIM", "s", "g", "f", "0", "1-1"), ("XCLAIM", "s", "g", "f", "0", "1-1"),
        ("XAUTOCLAIM", "s", "g", "h", "100000", "0"), ("XAUTOCLAIM", "s", "g", "h", "0", "0"),
        ("XAUTOCLAIM", "s", "g", "h", "0", "0", "JUSTID"),
        ("XCLAIM", "s", "g", "i", "0", "2-1", "FORCE", "JUSTID"),
        ("XACK", "s", "g", "1-1"), ("XACK", "s", "g", "1-1"), ("XPENDING", "s", "g"),
        ("XGROUP", "SETID", "s", "g", "0", "ENTRIESREAD", "0"),
        ("XGROUP", "SETID", "s", "nogroup", "0"),
        ("XGROUP", "DELCONSUMER", "s", "g", "a"), ("XGROUP", "DELCONSUMER", "s", "g", "zz"),
        ("XGROUP", "DESTROY", "s", "g"), ("XGROUP", "DESTROY", "s", "g"),
        ("XGROUP", "DESTROY", "m", "g"),
    ], setup=[("XADD", "s", "1-1", "f", "v"), ("XADD", "s", "2-1", "f", "v")])
    assert got == [
        ("xgroup-create", "s"), ("new", "m"), ("xgroup-create", "m"),
        ("xgroup-createconsumer", "s"),
        ("xgroup-createconsumer", "s"),
        ("xgroup-createconsumer", "s"), ("xgroup-createconsumer", "m"),
        ("xgroup-createconsumer", "s"),
        ("xgroup-createconsumer", "s"),
        ("xgroup-createconsumer", "s"),
        ("xgroup-setid", "s"), ("xgroup-delconsumer", "s"), ("xgroup-destroy", "s"),
        ("xgroup-destroy", "m"),
    ]
