"""Strata's durability: data survives restarts and kill -9, `appendfsync
always` syncs the WAL for every acknowledged write (counted by the INFO field
`wal_syncs`), a data directory is locked against a second server, and bad
input does not take the server down.

All tests are strata_only: redis-server needs different settings for some of
these, and has no `wal_syncs` or directory lock."""

import random
import socket
import struct
import subprocess
import threading
import time

import pytest

from conftest import free_port
from resp3 import ConnectionClosed, RespConnection, RespError

pytestmark = pytest.mark.strata_only


def wal_syncs(client):
    info = client.info("persistence")
    assert "wal_syncs" in info, f"INFO persistence has no wal_syncs: {sorted(info)}"
    return int(info["wal_syncs"])


def dataset(seed=7):
    """A deterministic mixed dataset: {(db, key): value}."""
    rnd = random.Random(seed)
    data = {}
    for i in range(500):
        data[(0, f"key:{i}".encode())] = f"value:{i}".encode() * rnd.randint(1, 20)
    for db in (1, 5, 15):
        for i in range(50):
            data[(db, f"db{db}:{i}".encode())] = bytes(rnd.getrandbits(8) for _ in range(64))
    data[(0, b"bin\x00key\r\n")] = b"\x00\xff" * 1000
    data[(0, b"")] = b"empty-key"
    data[(0, b"empty-value")] = b""
    data[(0, b"big")] = bytes(rnd.getrandbits(8) for _ in range(1 << 20))
    return data


def write_dataset(server, data):
    clients = {}
    for (db, key), value in data.items():
        if db not in clients:
            clients[db] = server.client(db=db)
        clients[db].set(key, value)


def check_dataset(server, data):
    by_db = {}
    for (db, key), value in data.items():
        by_db.setdefault(db, {})[key] = value
    for db, kv in by_db.items():
        r = server.client(db=db)
        keys = list(kv)
        got = r.mget(keys)
        missing = [k for k, v in zip(keys, got) if v is None]
        wrong = [k for k, v in zip(keys, got) if v is not None and v != kv[k]]
        assert not missing, f"db {db}: {len(missing)} keys lost, e.g. {missing[:5]}"
        assert not wrong, f"db {db}: {len(wrong)} keys changed, e.g. {wrong[:5]}"


# --------------------------------------------------------------------------
# restart
# --------------------------------------------------------------------------

def test_restart_keeps_data(server):
    data = dataset()
    write_dataset(server, data)
    r = server.client()
    r.set("counter", 0)
    for _ in range(100):
        r.incr("counter")
    r.set("deleted", "x")
    r.delete("deleted")
    r.set("overwritten", "old")
    r.set("overwritten", "new")
    r.set("with-ttl", "v", ex=1000)
    r.set("short-ttl", "v", px=300)
    r9 = server.client(db=9)
    r9.set("flushed", "x")
    r9.flushdb()
    dbsize = r.dbsize()

    time.sleep(0.5)                      # short-ttl is now expired
    server.restart()

    check_dataset(server, data)
    r = server.client()
    assert r.get("counter") == b"100"
    assert r.exists("deleted") == 0
    assert r.get("overwritten") == b"new"
    assert 990 <= r.ttl("with-ttl") <= 1000
    assert r.exists("short-ttl") == 0
    assert r.dbsize() == dbsize - 1      # only short-ttl is gone
    assert server.client(db=9).dbsize() == 0

    # And again, after a crash.
    r.set("after-first-restart", "yes")
    server.kill9()
    server.start()
    check_dataset(server, data)
    r = server.client()
    assert r.get("after-first-restart") == b"yes"
    assert r.get("counter") == b"100"


def test_restart_of_empty_server(server):
    server.restart()
    r = server.client()
    assert r.dbsize() == 0
    r.set("k", "v")
    server.restart()
    assert server.client().get("k") == b"v"


def test_flushall_survives_restart(server):
    r = server.client()
    write_dataset(server, {(0, b"a"): b"1", (3, b"b"): b"2"})
    r.flushall()
    server.kill9()
    server.start()
    assert server.client().dbsize() == 0
    assert server.client(db=3).dbsize() == 0


# --------------------------------------------------------------------------
# kill -9 under load
# --------------------------------------------------------------------------

class Writer(threading.Thread):
    """Writes until the connection breaks; records what was acknowledged."""

    def __init__(self, server, tid):
        super().__init__(daemon=True)
        self.server = server
        self.tid = tid
        self.acked = {}            # key -> value, acknowledged SETs
        self.acked_pairs = []      # (key_a, key_b) acknowledged MSETs
        self.counter_acked = 0     # last acknowledged INCR result
        self.counter_sent = 0      # INCRs sent (acked or not)
        self.error = None
        self.stopped_by = None
        self.last_i = 0            # index of the last request sent

    def run(self):
        try:
            c = RespConnection(self.server.host, self.server.port, timeout=10)
        except OSError as e:
            self.error = e
            return
        i = 0
        try:
            while True:
                i += 1
                self.last_i = i
                key = f"w{self.tid}:k{i}".encode()
                value = f"w{self.tid}:v{i}:".encode() + b"x" * (i % 200)
                if i % 5 == 0:
                    a, b = key + b":a", key + b":b"
                    r = c.cmd("MSET", a, value, b, value)
                    if r != b"OK":
                        self.error = AssertionError(f"MSET -> {r!r}")
                        return
                    self.acked_pairs.append((a, b, value))
                elif i % 7 == 0:
                    self.counter_sent += 1
                    r = c.cmd("INCR", f"w{self.tid}:counter")
                    if isinstance(r, RespError):
                        self.error = r
                        return
                    self.counter_acked = r
                else:
                    r = c.cmd("SET", key, value)
                    if r != b"OK":
                        self.error = AssertionError(f"SET -> {r!r}")
                        return
                    self.acked[key] = value
        except (ConnectionClosed, OSError) as e:
            self.stopped_by = e
        finally:
            c.close()


@pytest.mark.parametrize("fsync", ["everysec", "always", "no"])
def test_kill9_under_load_loses_no_acked_write(server, fsync):
    if fsync != "everysec":
        server.restart(["--appendfsync", fsync])
    writers = [Writer(server, t) for t in range(4)]
    for w in writers:
        w.start()
    time.sleep(1.5)
    assert all(w.is_alive() for w in writers), [w.error for w in writers]
    server.kill9()
    for w in writers:
        w.join(timeout=15)
        assert not w.is_alive(), "writer did not notice the server died"
        assert w.error is None, w.error
    total = sum(len(w.acked) + len(w.acked_pairs) for w in writers)
    assert total > 100, f"only {total} writes acknowledged before kill -9"

    server.start()
    r = server.client()
    for w in writers:
        keys = list(w.acked)
        got = []
        for i in range(0, len(keys), 500):
            got += r.mget(keys[i:i + 500])
        lost = [k for k, v in zip(keys, got) if v != w.acked[k]]
        assert not lost, (f"writer {w.tid}: {len(lost)} of {len(keys)} acknowledged "
                          f"SETs lost or wrong after kill -9, e.g. {lost[:5]}")
        for a, b, value in w.acked_pairs:
            assert r.mget([a, b]) == [value, value], f"acknowledged MSET {a!r} lost"
        counter = int(r.get(f"w{w.tid}:counter") or 0)
        assert w.counter_acked <= counter <= w.counter_sent, (
            f"writer {w.tid}: counter {counter}, acked {w.counter_acked}, "
            f"sent {w.counter_sent}")
        # MSET is atomic: of the one in flight at the kill, both keys or neither.
        if w.last_i % 5 == 0:
            key = f"w{w.tid}:k{w.last_i}".encode()
            ga, gb = r.mget([key + b":a", key + b":b"])
            assert (ga is None) == (gb is None), f"half an MSET survived: {key!r}"


# --------------------------------------------------------------------------
# WAL syncs
# --------------------------------------------------------------------------

@pytest.mark.server_args("--appendfsync", "always")
def test_appendfsync_always_syncs_every_write(server):
    r = server.client()
    r.set("warmup", "1")
    before = wal_syncs(r)
    n = 200
    for i in range(n):
        assert r.set(f"k{i}", i) is True
    after = wal_syncs(r)
    assert after - before >= n, (
        f"appendfsync always: {n} sequential SETs but wal_syncs went "
        f"{before} -> {after}")


@pytest.mark.server_args("--appendfsync", "always")
def test_appendfsync_always_incr_and_mset(server):
    r = server.client()
    before = wal_syncs(r)
    for i in range(50):
        r.incr("c")
        r.mset({f"a{i}": 1, f"b{i}": 2})
    assert wal_syncs(r) - before >= 100


def test_appendfsync_everysec_syncs_within_a_second(server):
    r = server.client()
    r.set("k", "v")
    time.sleep(0.1)
    before = wal_syncs(r)
    r.set("k2", "v2")
    deadline = time.monotonic() + 3
    while wal_syncs(r) == before and time.monotonic() < deadline:
        time.sleep(0.1)
    assert wal_syncs(r) > before, "everysec: no WAL sync within 3 seconds of a write"


def test_appendfsync_config_get(server):
    r = server.client()
    assert r.config_get("appendfsync") == {"appendfsync": "everysec"}
    server.restart(["--appendfsync", "always"])
    assert server.client().config_get("appendfsync") == {"appendfsync": "always"}


# --------------------------------------------------------------------------
# data directory lock
# --------------------------------------------------------------------------

def test_second_server_on_same_dir_refuses(server):
    server.client().set("k", "v")
    port = free_port()
    cmd = server.command_line(port=port)
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL)
    try:
        out, _ = proc.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, _ = proc.communicate()
        pytest.fail("second server on the same --dir kept running:\n" +
                    out.decode(errors="replace"))
    text = out.decode(errors="replace")
    assert proc.returncode != 0, f"second server exited with 0:\n{text}"
    assert proc.returncode > 0, f"second server died by signal {-proc.returncode}:\n{text}"
    assert "lock" in text.lower(), f"no mention of the lock in:\n{text}"
    # It never listened, and the first server is unaffected.
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    assert server.is_alive()
    assert server.client().get("k") == b"v"


def test_lock_released_after_kill9(server):
    server.client().set("k", "v")
    server.kill9()
    server.start()          # a stale lock from a dead process must not block
    assert server.client().get("k") == b"v"


# --------------------------------------------------------------------------
# bad input
# --------------------------------------------------------------------------

def send_and_close(server, data, wait=0.2):
    s = socket.create_connection((server.host, server.port), timeout=5)
    try:
        s.sendall(data)
        s.settimeout(wait)
        try:
            while s.recv(65536):
                pass
        except (socket.timeout, ConnectionResetError):
            pass
    except (BrokenPipeError, ConnectionResetError):
        pass
    finally:
        s.close()


def test_garbage_and_oversize_requests_do_not_crash(server):
    r = server.client()
    r.set("survivor", "yes")
    cases = [
        b"*1\r\n$536870912\r\n" + b"x" * 1000,      # promises 512MB, sends 1KB
        b"*1\r\n$999999999999\r\n",
        b"*2147483647\r\n$4\r\nPING\r\n",
        b"*-2147483648\r\n",
        b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$-5\r\n",
        b"A" * (1 << 20),                           # 1MB inline without newline
        b"\x00" * 100_000,
        b'"' * 70_000 + b"\r\n",
        b"*1\r\n" + b"$1\r\n" * 10_000,
        b"\r\n" * 100_000,
        bytes(random.Random(5).getrandbits(8) for _ in range(200_000)),
    ]
    for data in cases:
        send_and_close(server, data)
        assert server.is_alive(), f"server died after {data[:40]!r}..."
    # Half-sent requests on connections that stay open, then a new client.
    held = []
    for data in cases[:4]:
        s = socket.create_connection((server.host, server.port), timeout=5)
        s.sendall(data)
        held.append(s)
    r2 = server.client()
    assert r2.ping() is True
    assert r2.get("survivor") == b"yes"
    for s in held:
        s.close()
    assert server.is_alive()


def test_large_value_round_trip_and_restart(server):
    r = server.client()
    value = bytes(random.Random(9).getrandbits(8) for _ in range(1 << 16)) * 256   # 16MB
    r.set("huge", value)
    assert r.get("huge") == value
    server.restart()
    assert server.client().get("huge") == value


def test_many_clients_disconnecting_abruptly(server):
    for _ in range(5):
        socks = []
        for _ in range(50):
            s = socket.create_connection((server.host, server.port), timeout=5)
            s.sendall(b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$100000\r\n" + b"x" * 5000)
            socks.append(s)
        for s in socks:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            s.close()                  # RST mid-request
    assert server.is_alive()
    assert server.client().ping() is True
