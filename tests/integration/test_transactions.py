"""MULTI, EXEC, DISCARD, WATCH, UNWATCH: queuing, EXECABORT, runtime errors,
WATCH invalidation by other clients, expiry and FLUSH*/SWAPDB, RESP3's null
EXEC, concurrency (WATCH-based increments, atomicity seen by a reader);
Strata-only: kill -9 finds each EXEC all there or not at all."""

import threading
import time

import pytest
import redis

from resp3 import RespError


@pytest.fixture
def srv(flushed_server):
    return flushed_server


def err(text):
    return RespError(text.encode())


def test_multi_exec_replies_and_reads_see_earlier_writes(srv):
    c = srv.resp()
    assert c.cmd("MULTI") == b"OK"
    assert c.cmd("SET", "a", "1") == b"QUEUED"
    assert c.cmd("INCR", "a") == b"QUEUED"
    assert c.cmd("GET", "a") == b"QUEUED"
    assert c.cmd("APPEND", "a", "x") == b"QUEUED"
    assert c.cmd("GET", "a") == b"QUEUED"
    assert c.cmd("EXEC") == [b"OK", 2, b"2", 2, b"2x"]
    assert c.cmd("GET", "a") == b"2x"
    assert c.cmd("MULTI") == b"OK"
    assert c.cmd("EXEC") == []


def test_queuing_errors_abort_exec(srv):
    c = srv.resp()
    c.check("SET", "k", "old")
    for bad in (("NOSUCHCOMMAND", "x"), ("GET",), ("SET", "k")):
        assert c.cmd("MULTI") == b"OK"
        assert c.cmd("SET", "k", "new") == b"QUEUED"
        assert isinstance(c.cmd(*bad), RespError)
        assert c.cmd("EXEC") == err("EXECABORT Transaction discarded because of previous errors.")
        assert c.cmd("GET", "k") == b"old"
    # no-multi commands are refused while queuing, and abort the transaction.
    assert c.cmd("MULTI") == b"OK"
    assert c.cmd("SHUTDOWN") == err("ERR Command not allowed inside a transaction")
    assert c.cmd("EXEC") == err("EXECABORT Transaction discarded because of previous errors.")
    assert c.cmd("PING") == b"PONG"


def test_runtime_errors_do_not_roll_back(srv):
    c = srv.resp()
    c.check("SET", "s", "notanumber")
    c.cmd("MULTI")
    c.cmd("SET", "a", "1")
    c.cmd("INCR", "s")
    c.cmd("SET", "b", "2")
    out = c.cmd("EXEC")
    assert out[0] == b"OK" and out[2] == b"OK"
    assert out[1] == err("ERR value is not an integer or out of range")
    assert c.cmd("MGET", "a", "b") == [b"1", b"2"]


def test_state_errors(srv):
    c = srv.resp()
    assert c.cmd("EXEC") == err("ERR EXEC without MULTI")
    assert c.cmd("DISCARD") == err("ERR DISCARD without MULTI")
    c.cmd("MULTI")
    assert c.cmd("MULTI") == err("ERR MULTI calls can not be nested")
    assert c.cmd("WATCH", "x") == err("ERR WATCH inside MULTI is not allowed")
    assert c.cmd("SET", "x", "1") == b"QUEUED"
    # Neither error aborts the transaction.
    assert c.cmd("EXEC") == [b"OK"]


def test_discard(srv):
    c = srv.resp()
    c.cmd("MULTI")
    c.cmd("SET", "d", "1")
    assert c.cmd("DISCARD") == b"OK"
    assert c.cmd("GET", "d") is None
    assert c.cmd("EXEC") == err("ERR EXEC without MULTI")


def test_watch_other_client_write_aborts(srv):
    c, other = srv.resp(), srv.client()
    c.check("SET", "w", "1")
    assert c.cmd("WATCH", "w") == b"OK"
    other.set("w", "2")
    c.cmd("MULTI")
    c.cmd("SET", "w", "3")
    assert c.cmd("EXEC") is None
    assert c.cmd("GET", "w") == b"2"
    # The watch is gone after EXEC: the next transaction runs.
    c.cmd("MULTI")
    c.cmd("SET", "w", "3")
    assert c.cmd("EXEC") == [b"OK"]


def test_watch_unmodified_and_unrelated_keys(srv):
    c, other = srv.resp(), srv.client()
    c.cmd("WATCH", "w1", "w2")
    other.set("unrelated", "1")
    other.get("w1")
    c.cmd("MULTI")
    c.cmd("SET", "w1", "x")
    assert c.cmd("EXEC") == [b"OK"]


def test_watch_own_write_and_unwatch(srv):
    c = srv.resp()
    c.cmd("WATCH", "o")
    c.cmd("SET", "o", "1")
    c.cmd("MULTI")
    c.cmd("PING")
    assert c.cmd("EXEC") is None
    c.cmd("WATCH", "o")
    c.cmd("SET", "o", "2")
    assert c.cmd("UNWATCH") == b"OK"
    c.cmd("MULTI")
    c.cmd("PING")
    assert c.cmd("EXEC") == [b"PONG"]


def test_watch_deleted_key_and_absent_key_created(srv):
    c, other = srv.resp(), srv.client()
    c.check("SET", "gone", "1")
    c.cmd("WATCH", "gone", "new")
    other.delete("gone")
    c.cmd("MULTI")
    c.cmd("PING")
    assert c.cmd("EXEC") is None
    c.cmd("WATCH", "new")
    other.set("new", "1")
    c.cmd("MULTI")
    c.cmd("PING")
    assert c.cmd("EXEC") is None
    # DEL of a key that does not exist changes nothing.
    c.cmd("WATCH", "never")
    other.delete("never")
    c.cmd("MULTI")
    c.cmd("PING")
    assert c.cmd("EXEC") == [b"PONG"]


def test_watch_in_other_database(srv):
    c, other = srv.resp(), srv.client(db=1)
    c.cmd("SELECT", 1)
    c.cmd("WATCH", "k")
    c.cmd("SELECT", 0)
    other.set("k", "1")
    c.cmd("MULTI")
    c.cmd("PING")
    assert c.cmd("EXEC") is None


def test_flushall_and_flushdb_touch_only_existing_watched_keys(srv):
    c, other = srv.resp(), srv.client()
    c.check("SET", "x", "1")
    c.cmd("WATCH", "x")
    other.flushall()
    c.cmd("MULTI")
    c.cmd("PING")
    assert c.cmd("EXEC") is None
    c.cmd("WATCH", "absent")
    other.flushdb()
    c.cmd("MULTI")
    c.cmd("PING")
    assert c.cmd("EXEC") == [b"PONG"]
    c.check("SET", "y", "1")
    c.cmd("WATCH", "y")
    other.execute_command("FLUSHDB")
    c.cmd("MULTI")
    c.cmd("PING")
    assert c.cmd("EXEC") is None


def test_swapdb_touches_watched_keys(srv):
    c, other = srv.resp(), srv.client()
    other.execute_command("SELECT", 1)
    other.set("s", "in-db1")
    c.cmd("WATCH", "s")  # absent in db 0, present in db 1
    other.execute_command("SWAPDB", 0, 1)
    c.cmd("MULTI")
    c.cmd("PING")
    assert c.cmd("EXEC") is None
    c.cmd("WATCH", "nowhere")
    other.execute_command("SWAPDB", 0, 1)
    c.cmd("MULTI")
    c.cmd("PING")
    assert c.cmd("EXEC") == [b"PONG"]


def test_watch_key_expiring_meanwhile_aborts(srv):
    c = srv.resp()
    c.check("SET", "e", "1", "PX", 50)
    c.cmd("WATCH", "e")
    time.sleep(0.15)
    c.cmd("MULTI")
    c.cmd("PING")
    assert c.cmd("EXEC") is None


@pytest.mark.server_args("--enable-debug-command", "yes")
def test_watch_of_already_expired_key_does_not_abort(server):
    c = server.resp()
    c.check("DEBUG", "SET-ACTIVE-EXPIRE", "0")
    c.check("SET", "st", "1", "PX", 1)
    time.sleep(0.05)
    c.cmd("WATCH", "st")  # stored, but already expired
    c.cmd("MULTI")
    c.cmd("PING")
    assert c.cmd("EXEC") == [b"PONG"]


def test_aborted_exec_is_null_in_resp3(srv):
    c, other = srv.resp(3), srv.client()
    c.cmd("WATCH", "n")
    other.set("n", "1")
    c.cmd("MULTI")
    c.cmd("PING")
    assert c.cmd_raw("EXEC") == b"_\r\n"
    c2 = srv.resp(2)
    c2.cmd("WATCH", "n")
    other.set("n", "2")
    c2.cmd("MULTI")
    c2.cmd("PING")
    assert c2.cmd_raw("EXEC") == b"*-1\r\n"


def test_keyless_keyspace_commands_inside_exec(srv):
    c = srv.resp()
    c.check("SET", "pre", "1")
    c.cmd("MULTI")
    for cmd in (("SET", "a", "1"), ("DBSIZE",), ("FLUSHDB",), ("SET", "b", "2"), ("DBSIZE",),
                ("KEYS", "*"), ("SELECT", 2), ("SET", "c", "3"), ("SELECT", 0),
                ("MOVE", "b", 3), ("RANDOMKEY",)):
        assert c.cmd(*cmd) == b"QUEUED"
    assert c.cmd("EXEC") == [b"OK", 2, b"OK", b"OK", 1, [b"b"], b"OK", b"OK", b"OK", 1, None]
    assert c.cmd("DBSIZE") == 0
    c.cmd("SELECT", 2)
    assert c.cmd("GET", "c") == b"3"
    c.cmd("SELECT", 3)
    assert c.cmd("GET", "b") == b"2"


def test_pipelined_transaction_with_redis_py(srv):
    r = srv.client()
    p = r.pipeline(transaction=True)
    p.set("p1", "a").incr("p2").get("p1").mget("p1", "p2")
    assert p.execute() == [True, 1, b"a", [b"a", b"1"]]


def test_client_list_shows_multi(srv):
    c, r = srv.resp(), srv.client()
    c.check("CLIENT", "SETNAME", "txn")
    c.cmd("MULTI")
    c.cmd("SET", "a", "1")
    c.cmd("SET", "b", "1")
    line = [l for l in r.execute_command("CLIENT", "LIST").decode().splitlines()
            if "name=txn " in l][0]
    fields = dict(p.partition("=")[::2] for p in line.split(" "))
    assert fields["multi"] == "2"
    assert "x" in fields["flags"]
    c.cmd("DISCARD")


def test_concurrent_watch_increments_reach_exact_total(srv):
    threads, rounds = 8, 40

    def worker():
        r = srv.client()
        for _ in range(rounds):
            while True:
                with r.pipeline() as p:
                    try:
                        p.watch("counter")
                        v = int(p.get("counter") or 0)
                        p.multi()
                        p.set("counter", v + 1)
                        p.execute()
                        break
                    except redis.WatchError:
                        continue

    ts = [threading.Thread(target=worker) for _ in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    assert int(srv.client().get("counter")) == threads * rounds


def test_exec_is_atomic_to_other_clients(srv):
    stop = threading.Event()
    seen_torn = []

    def writer():
        r = srv.client()
        while not stop.is_set():
            p = r.pipeline(transaction=True)
            p.incr("ta").incr("tb")
            p.execute()

    def reader():
        r = srv.client()
        while not stop.is_set():
            a, b = r.mget("ta", "tb")
            if a != b:
                seen_torn.append((a, b))

    ts = [threading.Thread(target=writer), threading.Thread(target=reader)]
    for t in ts:
        t.start()
    time.sleep(1.5)
    stop.set()
    for t in ts:
        t.join()
    assert not seen_torn


@pytest.mark.strata_only
def test_kill9_finds_each_exec_whole_or_absent(server_factory):
    srv = server_factory()
    keys_per_txn = 20
    acked = []
    stop = threading.Event()

    def writer():
        r = srv.client()
        i = 0
        try:
            while not stop.is_set():
                p = r.pipeline(transaction=True)
                for k in range(keys_per_txn):
                    p.set(f"t{i}:{k}", "v" * 200)
                p.execute()
                acked.append(i)
                i += 1
        except (redis.ConnectionError, ConnectionError, OSError):
            pass

    t = threading.Thread(target=writer)
    t.start()
    time.sleep(1.0)
    srv.kill9()
    stop.set()
    t.join()
    assert acked
    srv.start()
    r = srv.client()
    for i in range(max(acked) + 2):
        present = sum(r.exists(f"t{i}:{k}") for k in range(keys_per_txn))
        if i in acked:
            assert present == keys_per_txn, i
        else:
            assert present in (0, keys_per_txn), (i, present)


@pytest.mark.strata_only
@pytest.mark.server_args("--rocksdb-write-buffer-size", "1mb")
def test_exec_reruns_on_the_blocking_pool_when_data_is_on_disk(server):
    """Keys read from disk make the inline EXEC give up (kWouldBlock) and run
    again on the blocking pool: the retry must not apply anything twice."""
    r = server.client()
    value = "v" * 1000
    for i in range(0, 8000, 100):
        r.mset({f"cold{j}": value for j in range(i, i + 100)})
    r.set("counter", 10)
    server.restart()  # empty block cache and hot tier: cold keys are on disk
    r = server.client()
    before = r.info("stats")["blocking_commands"]
    p = r.pipeline(transaction=True)
    p.incr("counter")
    p.append("cold1", "x")
    for j in range(2, 200):
        p.get(f"cold{j}")
    p.incr("counter")
    out = p.execute()
    assert out[0] == 11 and out[-1] == 12
    assert out[1] == 1001
    assert all(v == value.encode() for v in out[2:-1])
    assert r.get("counter") == b"12"
    assert r.strlen("cold1") == 1001
    assert r.info("stats")["blocking_commands"] > before


def test_exec_with_every_collection_type(server):
    # The collection families reach storage through the same access layer
    # as strings, so their writes join EXEC's single batch and later
    # commands of the transaction see earlier ones.
    c = server.client()
    p = c.pipeline(transaction=True)
    p.hset("h", mapping={"a": "1", "b": "2"})
    p.hincrby("h", "a", 5)
    p.rpush("l", "x", "y", "z")
    p.lpop("l")
    p.sadd("s", "m1", "m2")
    p.srem("s", "m1")
    p.zadd("z", {"one": 1, "two": 2})
    p.zincrby("z", 5, "one")
    p.zrange("z", 0, -1, withscores=True)
    p.hgetall("h")
    p.lrange("l", 0, -1)
    p.smembers("s")
    assert p.execute() == [2, 6, 3, b"x", 2, 1, 2, 6.0, [(b"two", 2.0), (b"one", 6.0)],
                           {b"a": b"6", b"b": b"2"}, [b"y", b"z"], {b"m2"}]
    assert c.hget("h", "a") == b"6"
    assert c.llen("l") == 2
    assert c.zscore("z", "one") == 6.0


@pytest.mark.parametrize("recreate", ["DEL", "UNLINK", "SET"])
def test_collection_recreated_inside_exec_does_not_see_old_members(srv, recreate):
    # A key deleted (or overwritten) and created again in one EXEC is a new
    # object: the writes queued before must not leak into it.
    c = srv.resp()
    c.cmd("HSET", "pre", "old", "1")
    c.check("MULTI")
    c.cmd("HSET", "h", "a", "1", "c", "3")
    c.cmd("SADD", "s", "a", "b")
    c.cmd("ZADD", "z", "1", "a", "2", "b")
    c.cmd("HSET", "pre", "x", "y")
    for key in ("h", "s", "z", "pre"):
        if recreate == "SET":
            c.cmd("SET", key, "string")
            c.cmd("DEL", key)
        else:
            c.cmd(recreate, key)
    c.cmd("HSET", "h", "b", "2")
    c.cmd("SADD", "s", "d")
    c.cmd("ZADD", "z", "3", "c")
    c.cmd("HSET", "pre", "new", "2")
    c.cmd("HGETALL", "h")
    c.cmd("SMEMBERS", "s")
    c.cmd("ZRANGE", "z", "0", "-1", "WITHSCORES")
    c.cmd("HGETALL", "pre")
    replies = c.cmd("EXEC")
    assert replies[-4:] == [[b"b", b"2"], [b"d"], [b"c", b"3"], [b"new", b"2"]]
    assert c.cmd("HGETALL", "h") == [b"b", b"2"]
    assert c.cmd("SMEMBERS", "s") == [b"d"]
    assert c.cmd("ZRANGE", "z", "0", "-1", "WITHSCORES") == [b"c", b"3"]
    assert c.cmd("HGETALL", "pre") == [b"new", b"2"]


def test_renamed_collection_keeps_writes_queued_before_the_rename(srv):
    c = srv.resp()
    c.cmd("HSET", "src", "f1", "v1")
    c.check("MULTI")
    c.cmd("HSET", "src", "f2", "v2")
    c.cmd("RENAME", "src", "dst")
    c.cmd("HGET", "dst", "f2")
    c.cmd("HGETALL", "dst")
    c.cmd("HSET", "src", "f3", "v3")
    c.cmd("HGETALL", "src")
    assert c.cmd("EXEC") == [1, b"OK", b"v2", [b"f1", b"v1", b"f2", b"v2"], 1, [b"f3", b"v3"]]
    assert c.cmd("HGETALL", "dst") == [b"f1", b"v1", b"f2", b"v2"]
    assert c.cmd("HGETALL", "src") == [b"f3", b"v3"]


def test_script_recreating_a_collection_sees_only_its_new_members(srv):
    c = srv.resp()
    script = """
        redis.call('RPUSH', KEYS[1], 'a', 'b')
        redis.call('SADD', KEYS[2], 'x', 'y')
        redis.call('DEL', KEYS[1], KEYS[2])
        redis.call('RPUSH', KEYS[1], 'c')
        redis.call('SADD', KEYS[2], 'z')
        return {redis.call('LRANGE', KEYS[1], 0, -1), redis.call('SMEMBERS', KEYS[2])}
    """
    assert c.cmd("EVAL", script, "2", "l", "s") == [[b"c"], [b"z"]]
    assert c.cmd("LRANGE", "l", "0", "-1") == [b"c"]
    assert c.cmd("SMEMBERS", "s") == [b"z"]
