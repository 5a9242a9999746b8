"""AUTH and requirepass (with HELLO AUTH), SHUTDOWN, TIME, LASTSAVE, SLOWLOG,
LATENCY, MEMORY (all but USAGE) and DEBUG. Expected values are redis-server
7.0.15's."""

import re
import signal
import subprocess
import time

import pytest
import redis

from conftest import free_port
from resp3 import RespError, RespMap


@pytest.fixture
def srv(flushed_server):
    return flushed_server


def err(r, *args):
    with pytest.raises(redis.ResponseError) as e:
        r.execute_command(*args)
    return str(e.value)


WRONGPASS = "WRONGPASS invalid username-password pair or user is disabled."


# --------------------------------------------------------------------------
# AUTH / requirepass
# --------------------------------------------------------------------------

def test_auth_without_password(srv):
    r = srv.client()
    assert err(r, "AUTH", "x") == (
        "AUTH <password> called without any password configured for the default user. "
        "Are you sure your configuration is correct?")
    assert r.execute_command("AUTH", "default", "anything") is True  # nopass user
    c = srv.resp(2)
    assert c.cmd("AUTH", "someone", "x") == RespError(WRONGPASS)
    assert c.cmd("AUTH", "a", "b", "c") == RespError("ERR syntax error")
    assert c.cmd("AUTH") == RespError("ERR wrong number of arguments for 'auth' command")


@pytest.mark.server_args("--requirepass", "s3cret")
def test_requirepass(server):
    c = server.resp(2)
    assert c.cmd("PING") == RespError("NOAUTH Authentication required.")
    assert c.cmd("GET", "k") == RespError("NOAUTH Authentication required.")
    assert c.cmd("NOSUCHCMD") == RespError(
        "ERR unknown command 'NOSUCHCMD', with args beginning with: ")
    assert c.cmd("AUTH", "wrong") == RespError(WRONGPASS)
    assert c.cmd("AUTH", "default", "wrong") == RespError(WRONGPASS)
    assert c.cmd("HELLO", "3") == RespError(
        "NOAUTH HELLO must be called with the client already authenticated, otherwise the "
        "HELLO AUTH <user> <pass> option can be used to authenticate the client and select the "
        "RESP protocol version at the same time")
    assert c.cmd("AUTH", "s3cret") == b"OK"
    assert c.cmd("PING") == b"PONG"
    # HELLO AUTH authenticates a new connection.
    d = server.resp(2)
    assert d.cmd("HELLO", "2", "AUTH", "default", "nope") == RespError(WRONGPASS)
    reply = d.cmd("HELLO", "3", "AUTH", "default", "s3cret", "SETNAME", "h")
    assert reply[b"proto"] == 3
    assert d.cmd("CLIENT", "GETNAME") == b"h"
    # RESET forgets the authentication.
    assert d.cmd("RESET") == b"RESET"
    assert d.cmd("PING") == RespError("NOAUTH Authentication required.")
    # Clearing the password lets everyone in; clients connected while there
    # was none stay authenticated after one is set.
    assert c.cmd("CONFIG", "SET", "requirepass", "") == b"OK"
    assert d.cmd("PING") == b"PONG"
    e = server.resp(2)
    assert e.cmd("PING") == b"PONG"
    assert c.cmd("CONFIG", "SET", "requirepass", "other") == b"OK"
    assert e.cmd("PING") == b"PONG"
    assert server.resp(2).cmd("PING") == RespError("NOAUTH Authentication required.")
    r = redis.Redis(port=server.port, password="other")
    assert r.ping()


# --------------------------------------------------------------------------
# TIME, LASTSAVE, SHUTDOWN
# --------------------------------------------------------------------------

def test_time(srv):
    c = srv.resp(2)
    sec, usec = c.cmd("TIME")
    assert isinstance(sec, bytes) and isinstance(usec, bytes)
    assert abs(int(sec) - time.time()) < 5 and 0 <= int(usec) < 1000000
    assert c.cmd("TIME", "x") == RespError("ERR wrong number of arguments for 'time' command")


def test_lastsave(srv):
    t = srv.resp(2).cmd("LASTSAVE")
    assert isinstance(t, int) and t <= time.time() + 1 and t > time.time() - 3600


def test_shutdown_errors(srv):
    c = srv.resp(2)
    assert c.cmd("SHUTDOWN", "ABORT") == RespError("ERR No shutdown in progress.")
    assert c.cmd("SHUTDOWN", "NOSAVE", "SAVE") == RespError("ERR syntax error")
    assert c.cmd("SHUTDOWN", "ABORT", "NOW") == RespError("ERR syntax error")
    assert c.cmd("SHUTDOWN", "FOO") == RespError("ERR syntax error")
    assert c.cmd("PING") == b"PONG"


@pytest.mark.parametrize("args", [(), ("NOSAVE",), ("SAVE", "NOW", "FORCE")])
def test_shutdown_exits_cleanly(server_kind, server_binary, tmp_path, args):
    port = free_port()
    pidfile = tmp_path / "server.pid"
    cmd = [str(server_binary), "--port", str(port), "--bind", "127.0.0.1", "--dir",
           str(tmp_path), "--pidfile", str(pidfile), "--daemonize", "no"]
    if server_kind == "redis":
        cmd += ["--save", "", "--appendonly", "yes"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            cwd=str(tmp_path))
    try:
        r = redis.Redis(port=port)
        deadline = time.monotonic() + 20
        while True:
            try:
                r.ping()
                break
            except redis.ConnectionError:
                assert time.monotonic() < deadline
                time.sleep(0.05)
        r.set("kept", "1")
        assert pidfile.read_text().strip() == str(proc.pid)
        with pytest.raises(redis.ConnectionError):
            r.execute_command("SHUTDOWN", *args)
        assert proc.wait(15) == 0
        assert not pidfile.exists()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    # The data survived (Strata: always; Redis: through its AOF).
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            cwd=str(tmp_path))
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                assert r.get("kept") == b"1"
                break
            except redis.ConnectionError:
                assert time.monotonic() < deadline
                time.sleep(0.05)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(15)


# --------------------------------------------------------------------------
# SLOWLOG
# --------------------------------------------------------------------------

def test_slowlog(srv):
    r = srv.client()
    r.execute_command("CLIENT", "SETNAME", "logger")
    try:
        r.config_set("slowlog-log-slower-than", 0)
        assert r.execute_command("SLOWLOG", "RESET") == b"OK"
        r.set("k", "v")
        r.execute_command("AUTH", "default", "pw")
        entries = r.execute_command("SLOWLOG", "GET")
        # Newest first: SLOWLOG RESET itself is logged before SET.
        by_cmd = {tuple(e[3]): e for e in entries}
        auth = by_cmd[(b"AUTH", b"(redacted)", b"(redacted)")]
        s = by_cmd[(b"SET", b"k", b"v")]
        assert s[0] < auth[0]  # ids grow
        assert abs(s[1] - time.time()) < 5 and s[2] >= 0
        me = dict(kv.split("=", 1) for kv in
                  r.execute_command("CLIENT", "INFO").decode().split())
        assert s[4] == me["addr"].encode() and s[5] == b"logger"
        newest = r.execute_command("SLOWLOG", "GET", 1)
        assert len(newest) == 1 and newest[0][0] > entries[0][0]
        assert r.execute_command("SLOWLOG", "LEN") >= 3
        assert len(r.execute_command("SLOWLOG", "GET", 2)) == 2
        assert len(r.execute_command("SLOWLOG", "GET", -1)) >= 3
        assert err(r, "SLOWLOG", "GET", "-2") == "count should be greater than or equal to -1"
        assert err(r, "SLOWLOG", "GET", "x") == "count should be greater than or equal to -1"
        # Arguments are trimmed: 32 at most, 128 bytes each.
        r.execute_command("SLOWLOG", "RESET")
        r.execute_command("ECHO", "x" * 200)
        r.execute_command("DEL", *[f"k{i}" for i in range(40)])
        entries = r.execute_command("SLOWLOG", "GET", 10)
        by_name = {e[3][0].lower(): e[3] for e in entries}
        assert by_name[b"echo"] == [b"ECHO", b"x" * 128 + b"... (72 more bytes)"]
        dels = by_name[b"del"]
        assert len(dels) == 32 and dels[-1] == b"... (10 more arguments)"
        assert dels[30] == b"k29"
        # slowlog-max-len bounds the log; -1 turns it off.
        r.config_set("slowlog-max-len", 2)
        for _ in range(5):
            r.ping()
        assert r.execute_command("SLOWLOG", "LEN") == 2
        r.config_set("slowlog-log-slower-than", -1)
        r.execute_command("SLOWLOG", "RESET")
        r.ping()
        assert r.execute_command("SLOWLOG", "LEN") == 0
    finally:
        r.config_set("slowlog-log-slower-than", 10000)
        r.config_set("slowlog-max-len", 128)
        r.execute_command("SLOWLOG", "RESET")


def test_slowlog_help(srv):
    lines = srv.client().execute_command("SLOWLOG", "HELP")
    assert lines[0] == b"SLOWLOG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"


# --------------------------------------------------------------------------
# LATENCY
# --------------------------------------------------------------------------

@pytest.mark.server_args("--enable-debug-command", "yes")
def test_latency_monitor(server):
    r = server.client()
    assert r.execute_command("LATENCY", "LATEST") == []
    assert r.execute_command("LATENCY", "DOCTOR").startswith(
        b"I'm sorry, Dave, I can't do that. Latency monitoring is disabled")
    r.config_set("latency-monitor-threshold", 5)
    assert r.execute_command("LATENCY", "DOCTOR").startswith(b"Dave, no latency spike")
    r.execute_command("DEBUG", "SLEEP", "0.02")
    latest = r.execute_command("LATENCY", "LATEST")
    assert len(latest) == 1
    name, when, last, worst = latest[0]
    assert name == b"command" and abs(when - time.time()) < 5 and last >= 20 and worst >= last
    history = r.execute_command("LATENCY", "HISTORY", "command")
    assert len(history) == 1 and history[0][0] == when and history[0][1] == last
    assert r.execute_command("LATENCY", "HISTORY", "nothing") == []
    assert b"1. command: 1 latency spikes" in r.execute_command("LATENCY", "DOCTOR")
    assert r.execute_command("LATENCY", "RESET", "nothing") == 0
    assert r.execute_command("LATENCY", "RESET") == 1
    assert r.execute_command("LATENCY", "LATEST") == []


def test_latency_histogram(srv):
    c = srv.resp(3)
    c.cmd("CONFIG", "RESETSTAT")
    for _ in range(3):
        c.cmd("SET", "a", "1")
    c.cmd("GET", "a")
    h = c.cmd("LATENCY", "HISTOGRAM", "set", "GET", "nosuch", "lpush")
    assert isinstance(h, RespMap) and set(h) == {b"set", b"get"}
    assert h[b"set"][b"calls"] == 3 and h[b"get"][b"calls"] == 1
    buckets = h[b"set"][b"histogram_usec"]
    assert isinstance(buckets, RespMap) and list(buckets.values())[-1] == 3
    counts = list(buckets.values())
    assert counts == sorted(counts)  # cumulative
    keys = list(buckets)
    assert all(k & (k + 1) == 0 or k in (1, 2, 4, 8, 16) or k > 0 for k in keys)
    everything = c.cmd("LATENCY", "HISTOGRAM")
    assert b"set" in everything and b"get" in everything
    r2 = srv.resp(2)
    flat = r2.cmd("LATENCY", "HISTOGRAM", "get")
    assert flat[0] == b"get" and flat[1][0] == b"calls" and flat[1][2] == b"histogram_usec"


def test_latency_errors(srv):
    r = srv.client()
    assert err(r, "LATENCY", "HISTORY") == \
        "wrong number of arguments for 'latency|history' command"
    assert err(r, "LATENCY", "FOO") == "unknown subcommand 'FOO'. Try LATENCY HELP."


# --------------------------------------------------------------------------
# MEMORY
# --------------------------------------------------------------------------

@pytest.mark.parametrize("protocol", [2, 3])
def test_memory_stats(srv, protocol):
    c = srv.resp(protocol)
    stats = c.cmd("MEMORY", "STATS")
    if protocol == 2:
        stats = {stats[i]: stats[i + 1] for i in range(0, len(stats), 2)}
    for field in (b"peak.allocated", b"total.allocated", b"keys.count", b"allocator.allocated",
                  b"allocator.active", b"allocator.resident", b"fragmentation.bytes"):
        assert isinstance(stats[field], int), field
    for field in (b"fragmentation", b"allocator-fragmentation.ratio", b"peak.percentage"):
        value = stats[field]
        if protocol == 2:
            float(value)
        else:
            assert isinstance(value, float)
    assert stats[b"peak.allocated"] >= stats[b"total.allocated"] > 0


def test_memory_other(srv):
    r = srv.client()
    assert isinstance(r.execute_command("MEMORY", "DOCTOR"), bytes)
    assert b"jemalloc statistics" in r.execute_command("MEMORY", "MALLOC-STATS")
    assert r.execute_command("MEMORY", "PURGE") == b"OK"
    help_lines = r.execute_command("MEMORY", "HELP")
    assert help_lines[0] == b"MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"
    assert err(r, "MEMORY", "FOO") == "unknown subcommand 'FOO'. Try MEMORY HELP."


# --------------------------------------------------------------------------
# DEBUG
# --------------------------------------------------------------------------

def test_debug_disabled_by_default(srv):
    assert err(srv.client(), "DEBUG", "SLEEP", "0").startswith(
        "DEBUG command not allowed. If the enable-debug-command option is set to \"local\"")


@pytest.mark.server_args("--enable-debug-command", "yes")
def test_debug(server):
    r = server.client()
    start = time.monotonic()
    assert r.execute_command("DEBUG", "SLEEP", "0.2") == b"OK"
    assert time.monotonic() - start >= 0.19
    assert r.execute_command("DEBUG", "SLEEP", "0") == b"OK"
    assert r.execute_command("DEBUG", "SET-ACTIVE-EXPIRE", "0") == b"OK"
    r.set("gone", "1", px=50)
    time.sleep(0.4)
    assert r.dbsize() == 1  # only lazily expired now
    assert r.execute_command("DEBUG", "SET-ACTIVE-EXPIRE", "1") == b"OK"
    deadline = time.monotonic() + 5
    while r.dbsize() != 0:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert err(r, "DEBUG", "NO-SUCH-THING") == \
        "unknown subcommand or wrong number of arguments for 'NO-SUCH-THING'. Try DEBUG HELP."
    assert err(r, "DEBUG", "SLEEP") == \
        "unknown subcommand or wrong number of arguments for 'SLEEP'. Try DEBUG HELP."


@pytest.mark.server_args("--enable-debug-command", "local")
def test_debug_local(server):
    assert server.client().execute_command("DEBUG", "SLEEP", "0") == b"OK"


@pytest.mark.strata_only
def test_startup_banner(server):
    log = server.log_text()
    assert "Strata is starting" in log
    assert "Strata version=" in log and "(Redis 7.0.15 compatible)" in log
    assert f"Running mode=standalone, port={server.port}." in log
    assert f"Data directory {server.data_dir}" in log
    assert "RocksDB " in log and "column families" in log
    assert "Ready to accept connections tcp" in log


def test_resp3_reply_types(srv):
    c = srv.resp(3)
    got = c.cmd("CONFIG", "GET", "timeout", "maxclients")
    assert isinstance(got, RespMap) and got == {b"timeout": b"0", b"maxclients": b"10000"}
    sec, usec = c.cmd("TIME")
    assert isinstance(sec, bytes) and isinstance(usec, bytes)
    assert isinstance(c.cmd("SLOWLOG", "GET"), list)
    assert c.cmd("LATENCY", "LATEST") == []
    assert c.cmd("CLIENT", "GETNAME") is None
    assert bytes(c.cmd("CLIENT", "LIST")).startswith(b"id=")
    assert c.cmd("CLIENT", "LIST").format == "txt"
    assert c.cmd("MEMORY", "DOCTOR").format == "txt"


# --------------------------------------------------------------------------
# LOLWUT
# --------------------------------------------------------------------------

SCHOTTER_10_2_2 = ("⠀⡤⠤⠤⠤⡤⠤⠤⠤⡄\n"
                   "⠀⡇⠀⠀⠀⡇⠀⠀⠀⡇\n"
                   "⠀⡧⠤⠤⠤⡧⠤⠤⠤⡇\n"
                   "⠀⡇⠀⠀⠀⡇⠀⠀⠀⡇\n"
                   "⠀⠧⠤⠤⠤⠧⠤⠤⠤⠇\n"
                   "\nGeorg Nees - schotter, plotter on paper, 1968. Redis ver. 7.0.15\n")


def test_lolwut(srv):
    c = srv.resp(3)
    assert bytes(c.cmd("LOLWUT")) == b"Redis ver. 7.0.15\n"
    assert c.cmd("LOLWUT").format == "txt"
    assert bytes(c.cmd("LOLWUT", "VERSION")) == b"Redis ver. 7.0.15\n"
    assert bytes(c.cmd("LOLWUT", "VERSION", "1")) == b"Redis ver. 7.0.15\n"
    # Schotter's first two rows are never disturbed: an exact picture.
    assert bytes(c.cmd("LOLWUT", "VERSION", "5", "10", "2", "2")).decode() == SCHOTTER_10_2_2
    assert bytes(c.cmd("LOLWUT", "VERSION", "5", "1", "1", "1")).decode() == \
        "⠋\n\nGeorg Nees - schotter, plotter on paper, 1968. Redis ver. 7.0.15\n"
    big = bytes(c.cmd("LOLWUT", "VERSION", "5")).decode()
    assert big.endswith("\nGeorg Nees - schotter, plotter on paper, 1968. Redis ver. 7.0.15\n")
    assert all(len(l) == 66 for l in big.split("\n\nGeorg")[0].split("\n"))
    sky = bytes(c.cmd("LOLWUT", "VERSION", "6", "7", "3")).decode()
    picture, caption = sky.split("\nDedicated")
    rows = picture.split("\n")
    assert len(rows) == 3
    assert all(len(re.findall(r"\x1b\[0;\d+;\d+m \x1b\[0m", r)) == 7 for r in rows)
    assert caption == (" to the 8 bit game developers of past and present.\n"
                       "Original 8 bit image from Plaguemon by hikikomori. Redis ver. 7.0.15\n")
    assert c.cmd("LOLWUT", "VERSION", "x") == RespError(
        "ERR value is not an integer or out of range")
    assert c.cmd("LOLWUT", "VERSION", "5", "x") == RespError(
        "ERR value is not an integer or out of range")
