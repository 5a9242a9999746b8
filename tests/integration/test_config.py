"""CONFIG GET (several patterns), SET (several pairs, all or nothing, Redis's
validation errors), RESETSTAT, REWRITE (a round trip through a redis.conf
that keeps its comments and order), HELP. Expected values are redis-server
7.0.15's."""

import signal
import subprocess
import time

import pytest
import redis

from conftest import free_port


@pytest.fixture
def srv(flushed_server):
    return flushed_server


def err(r, *args):
    with pytest.raises(redis.ResponseError) as e:
        r.execute_command(*args)
    return str(e.value)


def config_get(r, *patterns):
    flat = r.execute_command("CONFIG", "GET", *patterns)
    if isinstance(flat, dict):
        return {k.decode(): v.decode() for k, v in flat.items()}
    return {flat[i].decode(): flat[i + 1].decode() for i in range(0, len(flat), 2)}


def test_get_several_patterns(srv):
    r = srv.client()
    got = config_get(r, "maxclients", "timeout", "slowlog-*", "maxclients", "no-such-*")
    assert got == {"maxclients": "10000", "timeout": "0", "slowlog-log-slower-than": "10000",
                   "slowlog-max-len": "128"}
    assert config_get(r, "MaxClients") == {"MaxClients": "10000"}  # a name is echoed as given
    assert config_get(r, "nothing-like-this") == {}
    assert config_get(r, "latency-tracking*") == {"latency-tracking": "yes",
                                                  "latency-tracking-info-percentiles":
                                                      "50 99 99.9"}
    assert err(r, "CONFIG", "GET") == "wrong number of arguments for 'config|get' command"


def test_set_several_at_once(srv):
    r = srv.client()
    try:
        assert r.execute_command("CONFIG", "SET", "timeout", "30", "maxclients", "500",
                                 "slowlog-max-len", "64") == b"OK"
        assert config_get(r, "timeout", "maxclients", "slowlog-max-len") == {
            "timeout": "30", "maxclients": "500", "slowlog-max-len": "64"}
        # One bad value: nothing changes.
        assert err(r, "CONFIG", "SET", "timeout", "40", "maxclients", "x") == (
            "CONFIG SET failed (possibly related to argument 'maxclients') - argument couldn't "
            "be parsed into an integer")
        assert config_get(r, "timeout")["timeout"] == "30"
        assert r.execute_command("CONFIG", "SET", "maxmemory", "10mb") == b"OK"
        assert config_get(r, "maxmemory") == {"maxmemory": "10485760"}
        assert r.execute_command("CONFIG", "SET", "LOGLEVEL", "Warning") == b"OK"
        assert config_get(r, "loglevel") == {"loglevel": "warning"}
        assert r.execute_command("CONFIG", "SET", "latency-tracking-info-percentiles",
                                 "50 99.5") == b"OK"
        assert config_get(r, "latency-tracking-info-percentiles") == {
            "latency-tracking-info-percentiles": "50 99.5"}
    finally:
        r.execute_command("CONFIG", "SET", "timeout", "0", "maxclients", "10000",
                          "slowlog-max-len", "128", "maxmemory", "0", "loglevel", "notice",
                          "latency-tracking-info-percentiles", "50 99 99.9")


@pytest.mark.parametrize("args,message", [
    (("foo", "1"), "Unknown option or number of arguments for CONFIG SET - 'foo'"),
    (("timeout", "1", "timeout", "2"),
     "CONFIG SET failed (possibly related to argument 'timeout') - duplicate parameter"),
    (("daemonize", "yes"),
     "CONFIG SET failed (possibly related to argument 'daemonize') - can't set immutable config"),
    (("databases", "4"),
     "CONFIG SET failed (possibly related to argument 'databases') - can't set immutable config"),
    (("dir", "/tmp"),
     "CONFIG SET failed (possibly related to argument 'dir') - can't set protected config"),
    (("maxclients", "0"), "CONFIG SET failed (possibly related to argument 'maxclients') - "
                          "argument must be between 1 and 4294967295 inclusive"),
    (("timeout", "-1"), "CONFIG SET failed (possibly related to argument 'timeout') - "
                        "argument must be between 0 and 2147483647 inclusive"),
    (("slowlog-log-slower-than", "-5"),
     "CONFIG SET failed (possibly related to argument 'slowlog-log-slower-than') - "
     "argument must be between -1 and 9223372036854775807 inclusive"),
    (("loglevel", "loud"), "CONFIG SET failed (possibly related to argument 'loglevel') - "
                           "argument(s) must be one of the following: debug, verbose, notice, "
                           "warning"),
    (("maxmemory", "1x"), "CONFIG SET failed (possibly related to argument 'maxmemory') - "
                          "argument must be a memory value"),
    (("latency-tracking", "maybe"),
     "CONFIG SET failed (possibly related to argument 'latency-tracking') - "
     "argument must be 'yes' or 'no'"),
    (("latency-tracking-info-percentiles", "50 200"),
     "CONFIG SET failed (possibly related to argument 'latency-tracking-info-percentiles') - "
     "latency-tracking-info-percentiles parameters should sit between [0.0,100.0]"),
    (("timeout", "1", "foo"), "syntax error"),
    (("timeout",), "wrong number of arguments for 'config|set' command"),
])
def test_set_errors(srv, args, message):
    r = srv.client()
    assert err(r, "CONFIG", "SET", *args) == message
    assert config_get(r, "timeout") == {"timeout": "0"}


def test_resetstat(srv):
    r = srv.client()
    r.set("a", 1)
    r.get("a")
    with pytest.raises(redis.ResponseError):
        r.execute_command("NOSUCHCOMMAND")
    stats = r.info("commandstats")
    assert stats["cmdstat_get"]["calls"] >= 1
    assert r.info("errorstats")["errorstat_ERR"] != "count=0"
    assert r.execute_command("CONFIG", "RESETSTAT") == b"OK"
    stats = r.info("commandstats")
    assert "cmdstat_get" not in stats and "cmdstat_set" not in stats
    assert r.info("errorstats") == {}
    assert r.info("stats")["total_error_replies"] == 0


def test_rewrite_without_file(srv):
    assert err(srv.client(), "CONFIG", "REWRITE") == "The server is running without a config file"


def test_help(srv):
    lines = srv.client().execute_command("CONFIG", "HELP")
    assert lines[0] == b"CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"
    assert lines[-1] == b"    Prints this help."


# --------------------------------------------------------------------------
# CONFIG REWRITE round trip: a server started from a file of its own.
# --------------------------------------------------------------------------

def start_from_file(binary, conf, port):
    proc = subprocess.Popen([str(binary), str(conf)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, cwd=str(conf.parent))
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            r = redis.Redis(port=port, socket_timeout=5)
            r.ping()
            return proc, r
        except redis.ConnectionError:
            time.sleep(0.05)
    proc.kill()
    raise AssertionError("server did not start from " + str(conf))


def stop(proc):
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(15) == 0


def test_rewrite_round_trip(server_binary, tmp_path):
    port = free_port()
    conf = tmp_path / "server.conf"
    data = tmp_path / "data"
    data.mkdir()
    original = [
        "# Top comment: kept as it is",
        f"port {port}",
        "bind 127.0.0.1",
        "",
        "# How long a client may idle",
        "timeout 0",
        "maxclients 1000",
        "daemonize no",
        'save ""',
        f"dir {data}",
        "maxclients 2000",
        "# Last comment",
    ]
    conf.write_text("\n".join(original) + "\n")
    proc, r = start_from_file(server_binary, conf, port)
    try:
        assert config_get(r, "maxclients") == {"maxclients": "2000"}  # the last line wins
        assert r.execute_command("CONFIG", "SET", "timeout", "30", "slowlog-max-len", "64",
                                 "maxmemory", "10mb") == b"OK"
        assert r.execute_command("CONFIG", "REWRITE") == b"OK"
    finally:
        stop(proc)
    lines = conf.read_text().splitlines()
    # Comments, blank lines and order are kept; each setting keeps its first
    # place with its current value; a repeated setting's later lines go.
    assert lines[:9] == [
        "# Top comment: kept as it is",
        f"port {port}",
        "bind 127.0.0.1",
        "",
        "# How long a client may idle",
        "timeout 30",
        "maxclients 2000",
        "daemonize no",
        'save ""',
    ]
    assert lines[9] == f'dir "{data}"'  # a string setting is written quoted
    assert lines[10:13] == ["", "# Last comment", ""]  # the repeated line became blank
    assert lines[13] == "# Generated by CONFIG REWRITE"
    assert sum(1 for l in lines if l.startswith("maxclients")) == 1
    generated = lines[14:]
    assert "slowlog-max-len 64" in generated and "maxmemory 10mb" in generated
    # The rewritten file starts a server with the new values.
    proc, r = start_from_file(server_binary, conf, port)
    try:
        assert config_get(r, "timeout", "slowlog-max-len", "maxmemory", "maxclients") == {
            "timeout": "30", "slowlog-max-len": "64", "maxmemory": "10485760",
            "maxclients": "2000"}
        assert r.execute_command("CONFIG", "REWRITE") == b"OK"
        again = conf.read_text().splitlines()
        assert again[:12] == lines[:12]
        assert again.count("# Generated by CONFIG REWRITE") == 1
    finally:
        stop(proc)


def test_set_proto_max_bulk_len_applies_to_connected_clients(srv):
    r = srv.client()
    c = srv.resp(2)
    assert c.cmd("PING") == b"PONG"
    try:
        assert r.config_set("proto-max-bulk-len", "1mb")
        c.send_raw(b"*2\r\n$4\r\nECHO\r\n$2000000\r\n")
        assert str(c.read_reply()) == "ERR Protocol error: invalid bulk length"
    finally:
        r.config_set("proto-max-bulk-len", "512mb")
