"""CLIENT: ID, SETNAME, GETNAME, LIST, INFO, KILL, PAUSE, UNPAUSE, REPLY,
NO-EVICT, HELP; the `timeout` setting for idle clients and `maxclients`.
Several real connections per test; expected values are redis-server
7.0.15's."""

import threading
import time

import pytest
import redis

from resp3 import encode_command

# CLIENT LIST's fields in Redis 7.0.15, in order.
CLIENT_FIELDS = ["id", "addr", "laddr", "fd", "name", "age", "idle", "flags", "db", "sub",
                 "psub", "ssub", "multi", "qbuf", "qbuf-free", "argv-mem", "multi-mem", "rbs",
                 "rbp", "obl", "oll", "omem", "tot-mem", "events", "cmd", "user", "redir",
                 "resp"]


@pytest.fixture
def srv(flushed_server):
    return flushed_server


def parse_line(line):
    fields = []
    for part in line.split(" "):
        k, _, v = part.partition("=")
        fields.append((k, v))
    return fields


def client_lines(r, *args):
    """CLIENT LIST's lines as dicts; `r` is a redis-py client or a function
    that runs a command."""
    run = r if callable(r) else r.execute_command
    text = run("CLIENT", "LIST", *args)
    text = text.decode() if isinstance(text, bytes) else text
    assert text == "" or text.endswith("\n")
    return [dict(parse_line(l)) for l in text.splitlines()]


def err(r, *args):
    with pytest.raises(redis.ResponseError) as e:
        r.execute_command(*args)
    return str(e.value)


def test_id_setname_getname(srv):
    a, b = srv.client(), srv.client()
    ida, idb = a.execute_command("CLIENT", "ID"), b.execute_command("CLIENT", "ID")
    assert isinstance(ida, int) and ida > 0 and idb > ida
    assert a.execute_command("CLIENT", "GETNAME") is None
    assert a.execute_command("CLIENT", "SETNAME", "worker-1") == b"OK"
    assert a.execute_command("CLIENT", "GETNAME") == b"worker-1"
    assert b.execute_command("CLIENT", "GETNAME") is None
    assert err(a, "CLIENT", "SETNAME", "a b") == \
        "Client names cannot contain spaces, newlines or special characters."
    assert err(a, "CLIENT", "SETNAME", "a\nb").startswith("Client names cannot")
    assert a.execute_command("CLIENT", "GETNAME") == b"worker-1"
    assert a.execute_command("CLIENT", "SETNAME", "") == b"OK"
    assert a.execute_command("CLIENT", "GETNAME") is None
    assert err(a, "CLIENT", "SETNAME") == "wrong number of arguments for 'client|setname' command"
    c = srv.resp(3)
    assert c.cmd("CLIENT", "GETNAME") is None


def test_list_fields_and_values(srv):
    a, b = srv.client(), srv.client()
    ida, idb = a.client_id(), b.client_id()
    a.execute_command("CLIENT", "SETNAME", "alpha")
    a.execute_command("SELECT", 3)
    b.ping()
    lines = client_lines(a)
    assert all(list(l.keys()) == CLIENT_FIELDS for l in lines)
    by_id = {int(l["id"]): l for l in lines}
    assert ida in by_id and idb in by_id
    me = by_id[ida]
    assert me["name"] == "alpha" and me["db"] == "3" and me["cmd"] == "client|list"
    assert me["flags"] == "N" and me["user"] == "default" and me["resp"] == "2"
    assert me["laddr"].endswith(f":{srv.port}")
    assert by_id[idb]["cmd"] == "ping" and by_id[idb]["db"] == "0"
    for key in ("fd", "age", "idle", "qbuf", "qbuf-free", "obl", "oll", "omem", "tot-mem"):
        assert int(me[key]) >= 0
    assert me["multi"] == "-1" and me["redir"] == "-1"


def test_multi_and_multi_mem(srv):
    """multi counts the queued commands; multi-mem is Redis 7.0's
    mstate.argv_len_sums: per queued command, its argument bytes plus 8 (a
    pointer) per argument. Refused commands add nothing; EXEC and DISCARD
    reset both."""
    a, b = srv.resp(), srv.client()
    my_id = a.cmd("CLIENT", "ID")

    def mine():
        (line,) = client_lines(b, "ID", my_id)
        return line["flags"], int(line["multi"]), int(line["multi-mem"])

    assert mine() == ("N", -1, 0)
    a.check("MULTI")
    assert mine() == ("x", 0, 0)
    assert a.cmd("SET", "a", "b") == b"QUEUED"
    assert mine() == ("x", 1, 5 + 3 * 8)
    assert a.cmd("SET", "key12345", "v" * 100) == b"QUEUED"
    assert mine() == ("x", 2, 29 + 111 + 3 * 8)
    assert a.cmd("PING") == b"QUEUED"
    a.cmd("GET")  # wrong arity: refused, not queued
    assert mine() == ("x", 3, 164 + 4 + 8)
    a.cmd("EXEC")  # EXECABORT, because of the refused GET
    assert mine() == ("N", -1, 0)
    a.check("MULTI")
    a.cmd("RPUSH", "l", "x")
    assert mine()[2] == 7 + 3 * 8
    a.check("DISCARD")
    assert mine() == ("N", -1, 0)


def test_argv_mem(srv):
    """argv-mem: the argument bytes of the command running (the client's own
    CLIENT LIST/INFO) or blocked in; 0 for a client between commands."""
    a, b = srv.resp(), srv.resp()
    ida, idb = a.cmd("CLIENT", "ID"), b.cmd("CLIENT", "ID")
    by_id = {int(l["id"]): l for l in client_lines(a.cmd, "ID", ida, idb)}
    assert by_id[ida]["argv-mem"] == str(len("CLIENTLISTID") + len(f"{ida}{idb}"))
    assert by_id[idb]["argv-mem"] == "0"
    info = dict(parse_line(bytes(a.cmd("CLIENT", "INFO")).decode().strip()))
    assert info["argv-mem"] == "10"
    b.send("BLPOP", "mylist", "0")
    deadline = time.monotonic() + 5
    while dict(parse_line(bytes(a.cmd("CLIENT", "LIST", "ID", idb)).decode().strip()))[
            "flags"] != "b":
        assert time.monotonic() < deadline, "BLPOP never blocked"
        time.sleep(0.01)
    (line,) = client_lines(a.cmd, "ID", idb)
    assert line["argv-mem"] == "12"  # BLPOP mylist 0
    a.check("RPUSH", "mylist", "x")
    assert b.read_reply() == [b"mylist", b"x"]
    b.check("PING")
    (line,) = client_lines(a.cmd, "ID", idb)
    assert line["argv-mem"] == "0" and line["flags"] == "N"


def test_list_filters(srv):
    a, b, c = srv.client(), srv.client(), srv.client()
    ids = [x.client_id() for x in (a, b, c)]
    assert {int(l["id"]) for l in client_lines(a, "ID", ids[1], ids[2])} == {ids[1], ids[2]}
    assert client_lines(a, "ID", 999999) == []
    assert {int(l["id"]) for l in client_lines(a, "TYPE", "normal")} >= set(ids)
    for t in ("master", "replica", "slave", "pubsub", "PUBSUB"):
        assert client_lines(a, "TYPE", t) == []
    assert err(a, "CLIENT", "LIST", "TYPE", "foo") == "Unknown client type 'foo'"
    assert err(a, "CLIENT", "LIST", "ID", "x") == "Invalid client ID"
    assert client_lines(a, "ID", "0") == [] and client_lines(a, "ID", "-1") == []
    assert err(a, "CLIENT", "LIST", "ID", ids[0], "1x") == "Invalid client ID"
    assert err(a, "CLIENT", "LIST", "TYPE", "normal", "ID", "1") == "syntax error"
    assert err(a, "CLIENT", "LIST", "foo") == "syntax error"


@pytest.mark.parametrize("protocol", [2, 3])
def test_info(srv, protocol):
    c = srv.resp(protocol)
    my_id = c.cmd("CLIENT", "ID")
    text = c.cmd("CLIENT", "INFO")
    if protocol == 3:
        assert text.format == "txt"
    text = bytes(text).decode()
    assert text.endswith("\n") and text.count("\n") == 1
    fields = dict(parse_line(text.strip()))
    assert list(fields) == CLIENT_FIELDS
    assert int(fields["id"]) == my_id and fields["cmd"] == "client|info"
    assert fields["resp"] == str(protocol)


def test_kill_old_form(srv):
    a, b = srv.client(), srv.resp(2)
    b_addr = dict(parse_line(bytes(b.cmd("CLIENT", "INFO")).decode().strip()))["addr"]
    assert a.execute_command("CLIENT", "KILL", b_addr) == b"OK"
    b.settimeout(5)
    assert b.sock.recv(100) == b""
    assert err(a, "CLIENT", "KILL", "1.2.3.4:5") == "No such client"
    # The old form may kill the caller: it still gets its OK.
    c = srv.resp(2)
    c_addr = dict(parse_line(bytes(c.cmd("CLIENT", "INFO")).decode().strip()))["addr"]
    assert c.cmd("CLIENT", "KILL", c_addr) == b"OK"
    c.settimeout(5)
    assert c.sock.recv(100) == b""


def wait_gone(r, client_id, timeout=5):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if client_lines(r, "ID", client_id) == []:
            return True
        time.sleep(0.02)
    return False


def test_kill_filters(server):
    srv = server
    me = srv.client()
    others = [srv.resp(2) for _ in range(3)]
    ids = [o.cmd("CLIENT", "ID") for o in others]
    infos = [dict(parse_line(bytes(o.cmd("CLIENT", "INFO")).decode().strip())) for o in others]
    assert me.execute_command("CLIENT", "KILL", "ID", ids[0]) == 1
    assert wait_gone(me, ids[0])
    assert me.execute_command("CLIENT", "KILL", "ID", ids[0]) == 0
    assert me.execute_command("CLIENT", "KILL", "ADDR", infos[1]["addr"]) == 1
    assert me.execute_command("CLIENT", "KILL", "ADDR", infos[2]["addr"], "ID", ids[1]) == 0
    assert me.execute_command("CLIENT", "KILL", "ADDR", "1.2.3.4:5") == 0
    assert me.execute_command("CLIENT", "KILL", "ID", ids[2], "TYPE", "master") == 0
    assert me.execute_command("CLIENT", "KILL", "ID", ids[2], "USER", "default",
                              "LADDR", infos[2]["laddr"], "TYPE", "normal") == 1
    for o in others:
        o.settimeout(5)
        assert o.sock.recv(100) == b""
    # SKIPME yes (the default) spares the caller; SKIPME no does not.
    my_laddr = dict(parse_line(me.execute_command("CLIENT", "INFO").decode().strip()))["laddr"]
    assert me.execute_command("CLIENT", "KILL", "LADDR", my_laddr) == 0
    assert me.execute_command("CLIENT", "KILL", "LADDR", my_laddr, "SKIPME", "yes") == 0
    c = srv.resp(2)
    c_id = c.cmd("CLIENT", "ID")
    assert c.cmd("CLIENT", "KILL", "ID", c_id, "SKIPME", "no") == 1
    assert c.sock.recv(100) == b""


def test_kill_errors(srv):
    r = srv.client()
    assert err(r, "CLIENT", "KILL", "ID", "0") == "client-id should be greater than 0"
    assert err(r, "CLIENT", "KILL", "ID", "x") == "client-id should be greater than 0"
    assert err(r, "CLIENT", "KILL", "TYPE", "foo") == "Unknown client type 'foo'"
    assert err(r, "CLIENT", "KILL", "USER", "nobody") == "No such user 'nobody'"
    assert err(r, "CLIENT", "KILL", "SKIPME", "maybe") == "syntax error"
    assert err(r, "CLIENT", "KILL", "FOO", "bar") == "syntax error"
    assert err(r, "CLIENT", "KILL", "ID", "1", "SKIPME") == "syntax error"
    assert err(r, "CLIENT", "KILL") == "wrong number of arguments for 'client|kill' command"


def timed(fn):
    start = time.monotonic()
    result = fn()
    return result, time.monotonic() - start


def test_pause_write_lets_reads_through(srv):
    a, b = srv.client(), srv.client()
    b.set("k", "v")
    assert a.execute_command("CLIENT", "PAUSE", 600, "WRITE") == b"OK"
    value, took = timed(lambda: b.get("k"))
    assert value == b"v" and took < 0.3
    result, took = timed(lambda: b.set("k", "w"))
    assert result is True and took >= 0.4  # waited, not failed
    assert b.get("k") == b"w"


def test_pause_all_delays_everything(srv):
    a, b = srv.client(), srv.client()
    assert a.execute_command("CLIENT", "PAUSE", 500) == b"OK"
    result, took = timed(b.ping)
    assert result is True and took >= 0.35
    assert a.execute_command("CLIENT", "PAUSE", 400, "ALL") == b"OK"
    _, took = timed(lambda: a.execute_command("CLIENT", "ID"))  # the pauser waits too
    assert took >= 0.25


def test_unpause_wakes_waiting_clients(srv):
    a, b, c = srv.client(), srv.client(), srv.client()
    assert a.execute_command("CLIENT", "PAUSE", 20000, "WRITE") == b"OK"
    done = {}

    def writer():
        done["result"] = b.set("k", "1")
        done["at"] = time.monotonic()

    t = threading.Thread(target=writer)
    t.start()
    time.sleep(0.3)
    assert "result" not in done
    assert c.get("k") is None  # reads still run
    unpaused_at = time.monotonic()
    assert c.execute_command("CLIENT", "UNPAUSE") == b"OK"
    t.join(5)
    assert done["result"] is True and done["at"] - unpaused_at < 1.0
    assert c.get("k") == b"1"


def test_paused_client_shows_blocked_flag(srv):
    a, b = srv.client(), srv.resp(2)
    bid = b.cmd("CLIENT", "ID")
    a.execute_command("CLIENT", "PAUSE", 20000, "WRITE")
    b.send("SET", "k", "1")
    time.sleep(0.3)
    line = client_lines(a, "ID", bid)[0]
    assert "b" in line["flags"]
    a.execute_command("CLIENT", "UNPAUSE")
    assert b.read_reply() == b"OK"


def test_pause_keeps_the_stronger_pause(srv):
    a, b = srv.client(), srv.client()
    a.execute_command("CLIENT", "PAUSE", 500, "ALL")
    a.execute_command("CLIENT", "PAUSE", 100, "WRITE")  # waits itself, then keeps ALL
    _, took = timed(b.ping)
    assert took < 0.5


def test_pause_errors(srv):
    r = srv.client()
    assert err(r, "CLIENT", "PAUSE", "10", "FOO") == "CLIENT PAUSE mode must be WRITE or ALL"
    assert err(r, "CLIENT", "PAUSE", "x") == "timeout is not an integer or out of range"
    assert err(r, "CLIENT", "PAUSE", "-1") == "timeout is negative"
    assert err(r, "CLIENT", "PAUSE", "10", "WRITE", "x") == \
        "unknown subcommand or wrong number of arguments for 'PAUSE'. Try CLIENT HELP."
    assert err(r, "CLIENT", "PAUSE") == "wrong number of arguments for 'client|pause' command"
    assert r.execute_command("CLIENT", "PAUSE", 0) == b"OK"
    assert r.execute_command("CLIENT", "UNPAUSE") == b"OK"


def test_reply_off_on_skip(srv):
    s = srv.raw_socket()
    s.sendall(encode_command("CLIENT", "REPLY", "OFF") + encode_command("SET", "a", "1") +
              encode_command("GET", "a") + encode_command("CLIENT", "REPLY", "ON") +
              encode_command("GET", "a"))
    assert recv_until(s, b"$1\r\n1\r\n") == b"+OK\r\n$1\r\n1\r\n"
    s.sendall(encode_command("CLIENT", "REPLY", "SKIP") + encode_command("SET", "b", "2") +
              encode_command("GET", "b"))
    assert recv_until(s, b"$1\r\n2\r\n") == b"$1\r\n2\r\n"
    # A SKIP skips the SKIP after it, which still arms its own skip.
    s.sendall(encode_command("CLIENT", "REPLY", "SKIP") + encode_command("CLIENT", "REPLY", "SKIP")
              + encode_command("PING") + encode_command("ECHO", "last"))
    assert recv_until(s, b"last\r\n") == b"$4\r\nlast\r\n"
    s.sendall(encode_command("CLIENT", "REPLY", "FOO") + encode_command("PING"))
    assert recv_until(s, b"+PONG\r\n") == b"-ERR syntax error\r\n+PONG\r\n"
    s.close()


def recv_until(sock, suffix, timeout=5):
    sock.settimeout(timeout)
    data = b""
    while not data.endswith(suffix):
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    return data


def test_no_evict(srv):
    r = srv.client()
    assert r.execute_command("CLIENT", "NO-EVICT", "on") == b"OK"
    me = client_lines(r, "ID", r.client_id())[0]
    assert me["flags"] == "e"
    assert r.execute_command("CLIENT", "NO-EVICT", "OFF") == b"OK"
    assert client_lines(r, "ID", r.client_id())[0]["flags"] == "N"
    assert err(r, "CLIENT", "NO-EVICT", "maybe") == "syntax error"


def test_help(srv):
    lines = srv.client().execute_command("CLIENT", "HELP")
    assert lines[0] == b"CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"
    assert b"PAUSE <timeout> [WRITE|ALL]" in lines
    assert lines[-1] == b"    Prints this help."


@pytest.mark.server_args("--timeout", "1")
def test_idle_timeout(server):
    idle = server.raw_socket()
    busy = server.client()
    idle.sendall(encode_command("PING"))
    assert recv_until(idle, b"\r\n") == b"+PONG\r\n"
    deadline = time.monotonic() + 3.5
    while time.monotonic() < deadline:
        assert busy.ping()
        time.sleep(0.2)
    idle.settimeout(2)
    try:
        assert idle.recv(100) == b""
    except ConnectionResetError:
        pass
    assert busy.ping()


def test_maxclients(server):
    r = server.client()
    assert r.config_set("maxclients", 3)
    keep = [server.raw_socket() for _ in range(2)]
    for s in keep:
        s.sendall(encode_command("PING"))
        assert recv_until(s, b"\r\n") == b"+PONG\r\n"
    extra = server.raw_socket()
    extra.sendall(encode_command("PING"))
    assert recv_until(extra, b"\r\n") == b"-ERR max number of clients reached\r\n"
    for s in keep:
        s.close()
    extra.close()
    r.config_set("maxclients", 10000)
