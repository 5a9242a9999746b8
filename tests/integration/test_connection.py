"""Connection-level behaviour: PING, ECHO, HELLO, QUIT, RESET, SELECT, error
texts for unknown commands and wrong arity, inline commands, pipelining, and
the RESP2 vs RESP3 encoding of the same replies. Expected values are those of
redis-server 7.0.15."""

import re
import socket
import time

import pytest

from resp3 import (Push, RespConnection, RespError, RespMap, SimpleString,
                   encode_command)


@pytest.fixture
def srv(flushed_server):
    return flushed_server


def conn(srv, protocol=2):
    return srv.resp(protocol=protocol)


def read_until_closed(sock, timeout=5.0):
    """Read from a raw socket until the server closes it."""
    sock.settimeout(timeout)
    data = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            chunk = sock.recv(65536)
        except ConnectionResetError:
            return data, True
        except socket.timeout:
            return data, False
        if not chunk:
            return data, True
        data += chunk
    return data, False


def recv_exact(sock, n, timeout=10.0):
    sock.settimeout(timeout)
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise AssertionError(f"connection closed after {len(data)} of {n} bytes: {data[-200:]!r}")
        data += chunk
    return data


# --------------------------------------------------------------------------
# PING / ECHO
# --------------------------------------------------------------------------

@pytest.mark.parametrize("protocol", [2, 3])
def test_ping(srv, protocol):
    c = conn(srv, protocol)
    assert c.cmd_raw("PING") == b"+PONG\r\n"
    assert c.cmd_raw("ping") == b"+PONG\r\n"
    assert c.cmd_raw("PING", "hello world") == b"$11\r\nhello world\r\n"
    assert c.cmd_raw("PING", "") == b"$0\r\n\r\n"
    assert c.cmd_raw("PING", b"\x00\xff") == b"$2\r\n\x00\xff\r\n"
    assert c.cmd_raw("PING", "a", "b") == b"-ERR wrong number of arguments for 'ping' command\r\n"


def test_ping_redis_py(srv):
    r = srv.client()
    assert r.ping() is True
    assert r.echo("x") == b"x"


@pytest.mark.parametrize("protocol", [2, 3])
def test_echo(srv, protocol):
    c = conn(srv, protocol)
    assert c.cmd_raw("ECHO", "x") == b"$1\r\nx\r\n"
    assert c.cmd_raw("ECHO", "") == b"$0\r\n\r\n"
    assert c.cmd_raw("ECHO", "a\r\nb") == b"$4\r\na\r\nb\r\n"
    big = b"z" * 100_000
    assert c.cmd("ECHO", big) == big
    assert c.cmd_raw("ECHO") == b"-ERR wrong number of arguments for 'echo' command\r\n"
    assert c.cmd_raw("ECHO", "a", "b") == b"-ERR wrong number of arguments for 'echo' command\r\n"


# --------------------------------------------------------------------------
# HELLO
# --------------------------------------------------------------------------

HELLO_KEYS = [b"server", b"version", b"proto", b"id", b"mode", b"role", b"modules"]


def check_hello_fields(fields, proto):
    assert list(fields.keys()) == HELLO_KEYS
    assert isinstance(fields[b"server"], bytes) and fields[b"server"]
    assert re.fullmatch(rb"\d+\.\d+\.\d+", fields[b"version"]), fields[b"version"]
    assert fields[b"proto"] == proto
    assert isinstance(fields[b"id"], int) and fields[b"id"] > 0
    assert fields[b"mode"] == b"standalone"
    assert fields[b"role"] == b"master"
    assert fields[b"modules"] == []


def test_hello_2_is_flat_array(srv):
    c = conn(srv)
    v = c.cmd("HELLO", "2")
    assert type(v) is list and len(v) == 14
    fields = dict(zip(v[0::2], v[1::2]))
    check_hello_fields(fields, 2)
    assert c.cmd_raw("GET", "nosuchkey") == b"$-1\r\n"


def test_hello_3_is_map_and_switches_protocol(srv):
    c = conn(srv)
    raw = c.cmd_raw("HELLO", "3")
    assert raw.startswith(b"%7\r\n$6\r\nserver\r\n")
    c.protocol = 3
    v = c.cmd("HELLO", "3")
    assert isinstance(v, RespMap)
    check_hello_fields(v, 3)
    # RESP3 encoding is now in effect on this connection only.
    assert c.cmd_raw("GET", "nosuchkey") == b"_\r\n"
    other = conn(srv)
    assert other.cmd_raw("GET", "nosuchkey") == b"$-1\r\n"
    # Back to RESP2.
    v2 = c.cmd("HELLO", "2")
    assert type(v2) is list
    assert c.cmd_raw("GET", "nosuchkey") == b"$-1\r\n"


def test_hello_without_args_keeps_protocol(srv):
    c = conn(srv)
    v = c.cmd("HELLO")
    assert type(v) is list
    check_hello_fields(dict(zip(v[0::2], v[1::2])), 2)
    c.hello(3)
    v = c.cmd("HELLO")
    assert isinstance(v, RespMap)
    check_hello_fields(v, 3)
    assert c.cmd_raw("GET", "nosuchkey") == b"_\r\n"


def test_hello_ids_are_distinct(srv):
    a = conn(srv).hello(3)
    b = conn(srv).hello(3)
    assert a[b"id"] != b[b"id"]


@pytest.mark.parametrize("ver", ["4", "1", "0", "-1", "100"])
def test_hello_unsupported_version(srv, ver):
    c = conn(srv)
    assert c.cmd_raw("HELLO", ver) == b"-NOPROTO unsupported protocol version\r\n"
    # The connection is unchanged and usable.
    assert c.cmd_raw("GET", "nosuchkey") == b"$-1\r\n"


@pytest.mark.parametrize("ver", ["foo", "3.0", "", "99999999999999999999"])
def test_hello_non_integer_version(srv, ver):
    c = conn(srv)
    assert c.cmd_raw("HELLO", ver) == \
        b"-ERR Protocol version is not an integer or out of range\r\n"
    assert c.cmd_raw("PING") == b"+PONG\r\n"


def test_hello_syntax_errors_keep_protocol(srv):
    c = conn(srv)
    assert c.cmd_raw("HELLO", "3", "foo") == b"-ERR Syntax error in HELLO option 'foo'\r\n"
    assert c.cmd_raw("HELLO", "3", "SETNAME") == b"-ERR Syntax error in HELLO option 'SETNAME'\r\n"
    assert c.cmd_raw("HELLO", "3", "AUTH") == b"-ERR Syntax error in HELLO option 'AUTH'\r\n"
    assert c.cmd_raw("HELLO", "3", "AUTH", "user") == b"-ERR Syntax error in HELLO option 'AUTH'\r\n"
    assert c.cmd_raw("HELLO", "3", "SETNAME", "x", "y") == b"-ERR Syntax error in HELLO option 'y'\r\n"
    # None of the failed HELLOs switched to RESP3.
    assert c.cmd_raw("GET", "nosuchkey") == b"$-1\r\n"


def test_hello_setname_invalid(srv):
    c = conn(srv)
    assert c.cmd_raw("HELLO", "3", "SETNAME", "a b") == \
        b"-ERR Client names cannot contain spaces, newlines or special characters.\r\n"
    assert c.cmd_raw("GET", "nosuchkey") == b"$-1\r\n"


@pytest.mark.needs("client|getname", "client|setname")
def test_hello_setname(srv):
    c = conn(srv)
    v = c.hello(3, "SETNAME", "worker-1")
    assert v[b"proto"] == 3
    assert c.cmd("CLIENT", "GETNAME") == b"worker-1"


@pytest.mark.needs("client|getname", "client|setname")
def test_hello_setname_resp2(srv):
    c = conn(srv)
    v = c.cmd("HELLO", "2", "SETNAME", "w2")
    assert type(v) is list
    assert c.cmd("CLIENT", "GETNAME") == b"w2"


# --------------------------------------------------------------------------
# QUIT / RESET
# --------------------------------------------------------------------------

def test_quit_replies_ok_and_closes(srv):
    s = srv.raw_socket()
    s.sendall(encode_command("QUIT"))
    data, closed = read_until_closed(s)
    assert data == b"+OK\r\n"
    assert closed


def test_quit_stops_processing_pipeline(srv):
    s = srv.raw_socket()
    s.sendall(encode_command("QUIT") + encode_command("SET", "after-quit", "1"))
    data, closed = read_until_closed(s)
    assert data == b"+OK\r\n"
    assert closed
    assert srv.client().exists("after-quit") == 0


def test_quit_ignores_arguments(srv):
    # QUIT has arity -1 in 7.0: extra arguments are not an error.
    s = srv.raw_socket()
    s.sendall(encode_command("QUIT", "extra", "args"))
    data, closed = read_until_closed(s)
    assert data == b"+OK\r\n"
    assert closed


def test_quit_inline(srv):
    s = srv.raw_socket()
    s.sendall(b"PING\r\nQUIT\r\nPING\r\n")
    data, closed = read_until_closed(s)
    assert data == b"+PONG\r\n+OK\r\n"
    assert closed


def test_reset(srv):
    c = conn(srv)
    c.check("SELECT", "5")
    c.check("SET", "in-db5", "v")
    c.hello(3)
    assert c.cmd_raw("GET", "nosuchkey") == b"_\r\n"
    assert c.cmd_raw("RESET") == b"+RESET\r\n"
    # Protocol back to RESP2, database back to 0.
    assert c.cmd_raw("GET", "nosuchkey") == b"$-1\r\n"
    assert c.cmd("GET", "in-db5") is None
    c.check("SELECT", "5")
    assert c.cmd("GET", "in-db5") == b"v"


@pytest.mark.needs("client|getname", "client|setname")
def test_reset_clears_name(srv):
    c = conn(srv)
    c.check("CLIENT", "SETNAME", "before-reset")
    assert c.cmd("RESET") == b"RESET"
    assert c.cmd("CLIENT", "GETNAME") is None


def test_reset_arity(srv):
    c = conn(srv)
    assert c.cmd_raw("RESET", "x") == b"-ERR wrong number of arguments for 'reset' command\r\n"


# --------------------------------------------------------------------------
# SELECT
# --------------------------------------------------------------------------

@pytest.mark.parametrize("db", ["16", "-1", "1000", "2147483647", "-2147483648"])
def test_select_out_of_range(srv, db):
    c = conn(srv)
    assert c.cmd_raw("SELECT", db) == b"-ERR DB index is out of range\r\n"


@pytest.mark.parametrize("db", ["abc", "1.5", "", " 1", "1 ", "0x1", "99999999999999999999"])
def test_select_not_integer(srv, db):
    c = conn(srv)
    assert c.cmd_raw("SELECT", db) == b"-ERR value is not an integer or out of range\r\n"


@pytest.mark.parametrize("db", ["2147483648", "-2147483649", "9223372036854775807"])
def test_select_beyond_int_range(srv, db):
    # A valid long long outside the int range gets its own message (sic).
    c = conn(srv)
    assert c.cmd_raw("SELECT", db) == (
        b"-ERR value is out of range, value must between -2147483648 and 2147483647\r\n")


def test_select_valid_and_isolated(srv):
    c = conn(srv)
    for db in range(16):
        assert c.cmd_raw("SELECT", str(db)) == b"+OK\r\n"
        c.check("SET", "k", f"db{db}")
    for db in range(16):
        c.check("SELECT", str(db))
        assert c.cmd("GET", "k") == f"db{db}".encode()
        assert c.cmd("DBSIZE") == 1
    # A failed SELECT leaves the current database unchanged.
    c.check("SELECT", "7")
    c.cmd("SELECT", "16")
    assert c.cmd("GET", "k") == b"db7"


def test_select_arity(srv):
    c = conn(srv)
    assert c.cmd_raw("SELECT") == b"-ERR wrong number of arguments for 'select' command\r\n"
    assert c.cmd_raw("SELECT", "1", "2") == b"-ERR wrong number of arguments for 'select' command\r\n"


def test_select_is_per_connection(srv):
    a, b = conn(srv), conn(srv)
    a.check("SELECT", "3")
    a.check("SET", "x", "3")
    assert b.cmd("GET", "x") is None


# --------------------------------------------------------------------------
# unknown commands, wrong arity
# --------------------------------------------------------------------------

@pytest.mark.parametrize("args, expected", [
    (["NOSUCH"], "ERR unknown command 'NOSUCH', with args beginning with: "),
    (["nosuch"], "ERR unknown command 'nosuch', with args beginning with: "),
    (["NoSuch", "a", "b"], "ERR unknown command 'NoSuch', with args beginning with: 'a' 'b' "),
    (["foo", ""], "ERR unknown command 'foo', with args beginning with: '' "),
    (["foo", "a b", "c"], "ERR unknown command 'foo', with args beginning with: 'a b' 'c' "),
    # CR and LF in the reply are replaced by spaces.
    (["foo", "a\r\nb"], "ERR unknown command 'foo', with args beginning with: 'a  b' "),
    (["fo\no"], "ERR unknown command 'fo o', with args beginning with: "),
])
def test_unknown_command(srv, args, expected):
    c = conn(srv)
    assert c.cmd_raw(*args) == b"-" + expected.encode() + b"\r\n"


def test_unknown_command_long_name_and_args_truncated(srv):
    c = conn(srv)
    # The name is cut at 128 bytes, the args list at about 128 bytes.
    name = "n" * 300
    v = c.cmd(name)
    assert str(v) == f"ERR unknown command '{'n' * 128}', with args beginning with: "
    v = c.cmd("foo", "x" * 200)
    assert str(v) == f"ERR unknown command 'foo', with args beginning with: '{'x' * 128}' "
    v = c.cmd("foo", "a" * 100, "b" * 100, "c" * 100)
    # 'aaa…' takes 103 bytes, the next argument gets the remaining 25.
    assert str(v) == (f"ERR unknown command 'foo', with args beginning with: "
                      f"'{'a' * 100}' '{'b' * 25}' ")


def test_unknown_command_redis_py(srv):
    import redis
    r = srv.client()
    with pytest.raises(redis.ResponseError) as e:
        r.execute_command("NOSUCHCMD", "x")
    assert str(e.value) == "unknown command 'NOSUCHCMD', with args beginning with: 'x' "


@pytest.mark.parametrize("args, name", [
    (["GET"], "get"),
    (["GET", "a", "b"], "get"),
    (["get"], "get"),
    (["SET", "a"], "set"),
    (["SET"], "set"),
    (["DEL"], "del"),
    (["EXISTS"], "exists"),
    (["TYPE"], "type"),
    (["TYPE", "a", "b"], "type"),
    (["INCR"], "incr"),
    (["INCR", "a", "b"], "incr"),
    (["DECR"], "decr"),
    (["INCRBY", "a"], "incrby"),
    (["DECRBY", "a", "1", "2"], "decrby"),
    (["MGET"], "mget"),
    (["MSET"], "mset"),
    (["MSET", "a"], "mset"),
    (["ECHO"], "echo"),
    (["PING", "a", "b"], "ping"),
    (["SELECT"], "select"),
    (["DBSIZE", "x"], "dbsize"),
    (["CONFIG", "GET"], "config|get"),
    (["COMMAND", "COUNT", "x"], "command|count"),
])
def test_wrong_arity(srv, args, name):
    c = conn(srv)
    assert c.cmd_raw(*args) == \
        f"-ERR wrong number of arguments for '{name}' command\r\n".encode()


def test_errors_keep_connection_usable(srv):
    c = conn(srv)
    c.cmd("NOSUCH")
    c.cmd("GET")
    assert c.cmd_raw("PING") == b"+PONG\r\n"


# --------------------------------------------------------------------------
# inline commands
# --------------------------------------------------------------------------

def raw_exchange(srv, data, expected_len=None, wait=0.3):
    s = srv.raw_socket()
    s.sendall(data)
    if expected_len is not None:
        return recv_exact(s, expected_len)
    c = RespConnection(sock=s)
    out, _ = c.read_available_raw(wait)
    return out


def test_inline_basic(srv):
    expected = b"+OK\r\n$3\r\nbar\r\n+PONG\r\n"
    assert raw_exchange(srv, b"SET foo bar\r\nGET foo\r\nPING\r\n", len(expected)) == expected


def test_inline_lf_only_and_whitespace(srv):
    expected = b"+OK\r\n$2\r\nv2\r\n"
    data = b"set   k2 \t v2\nget k2   \n"
    assert raw_exchange(srv, data, len(expected)) == expected


def test_inline_empty_lines_ignored(srv):
    expected = b"+PONG\r\n"
    assert raw_exchange(srv, b"\r\n\r\n\n  \r\nPING\r\n") == expected


def test_inline_quoting(srv):
    cases = [
        (b'ECHO "hello world"\r\n', b"$11\r\nhello world\r\n"),
        (b"ECHO 'single quoted'\r\n", b"$13\r\nsingle quoted\r\n"),
        (b'ECHO "a\\x41b\\n"\r\n', b"$4\r\naAb\n\r\n"),
        (b'ECHO "tab\\there"\r\n', b"$8\r\ntab\there\r\n"),
        (b'ECHO "q\\"q"\r\n', b'$3\r\nq"q\r\n'),
        (b"ECHO 'it\\'s'\r\n", b"$4\r\nit's\r\n"),
        (b'ECHO ""\r\n', b"$0\r\n\r\n"),
    ]
    for req, expected in cases:
        assert raw_exchange(srv, req, len(expected)) == expected, req


def test_inline_unknown_and_arity(srv):
    expected = (b"-ERR unknown command 'FOO', with args beginning with: 'bar' \r\n"
                b"-ERR wrong number of arguments for 'get' command\r\n")
    assert raw_exchange(srv, b"FOO bar\r\nGET\r\n", len(expected)) == expected


def test_inline_and_multibulk_mixed(srv):
    data = b"SET mix 1\r\n" + encode_command("INCR", "mix") + b"GET mix\r\n"
    expected = b"+OK\r\n:2\r\n$1\r\n2\r\n"
    assert raw_exchange(srv, data, len(expected)) == expected


def test_inline_split_across_writes(srv):
    s = srv.raw_socket()
    for piece in (b"EC", b"HO hel", b"lo\r", b"\n"):
        s.sendall(piece)
        time.sleep(0.02)
    assert recv_exact(s, 11) == b"$5\r\nhello\r\n"


def test_multibulk_split_across_writes(srv):
    s = srv.raw_socket()
    data = encode_command("SET", "split", "x" * 1000) + encode_command("GET", "split")
    for i in range(0, len(data), 7):
        s.sendall(data[i:i + 7])
    expected = b"+OK\r\n$1000\r\n" + b"x" * 1000 + b"\r\n"
    assert recv_exact(s, len(expected)) == expected


# --------------------------------------------------------------------------
# pipelining
# --------------------------------------------------------------------------

def test_pipeline_1000_incr_one_write(srv):
    s = srv.raw_socket()
    s.sendall(encode_command("INCR", "pipe-counter") * 1000)
    expected = b"".join(b":%d\r\n" % i for i in range(1, 1001))
    assert recv_exact(s, len(expected)) == expected


def test_pipeline_1000_mixed_one_write(srv):
    s = srv.raw_socket()
    cmds = []
    expected = []
    for i in range(500):
        cmds.append(encode_command("SET", f"pk:{i}", f"value-{i}"))
        expected.append(b"+OK\r\n")
        v = f"value-{i}".encode()
        cmds.append(encode_command("GET", f"pk:{i}"))
        expected.append(b"$%d\r\n%s\r\n" % (len(v), v))
    s.sendall(b"".join(cmds))
    exp = b"".join(expected)
    assert recv_exact(s, len(exp)) == exp


def test_pipeline_1000_inline_pings(srv):
    s = srv.raw_socket()
    s.sendall(b"PING\r\n" * 1000)
    expected = b"+PONG\r\n" * 1000
    assert recv_exact(s, len(expected)) == expected


def test_pipeline_with_errors_in_the_middle(srv):
    c = conn(srv)
    replies = c.pipeline([("SET", "pe", "1"), ("NOSUCH",), ("GET",), ("INCR", "pe"),
                          ("SELECT", "99"), ("GET", "pe")])
    assert replies[0] == b"OK"
    assert isinstance(replies[1], RespError)
    assert str(replies[2]) == "ERR wrong number of arguments for 'get' command"
    assert replies[3] == 2
    assert str(replies[4]) == "ERR DB index is out of range"
    assert replies[5] == b"2"


def test_pipeline_redis_py(srv):
    r = srv.client()
    p = r.pipeline(transaction=False)
    for i in range(1000):
        p.set(f"rp:{i}", i)
    for i in range(1000):
        p.get(f"rp:{i}")
    out = p.execute()
    assert out[:1000] == [True] * 1000
    assert out[1000:] == [str(i).encode() for i in range(1000)]


def test_many_connections(srv):
    conns = [conn(srv) for _ in range(50)]
    for i, c in enumerate(conns):
        c.send("SET", f"mc:{i}", str(i))
    for c in conns:
        assert c.read_reply() == b"OK"
    for i, c in enumerate(conns):
        assert c.cmd("GET", f"mc:{(i + 1) % 50}") == str((i + 1) % 50).encode()


# --------------------------------------------------------------------------
# the same commands in RESP2 and RESP3
# --------------------------------------------------------------------------

SETUP = [("SET", "k", "v"), ("SET", "n", "10"), ("SET", "empty", "")]

# (command, RESP2 reply, RESP3 reply)
BOTH_PROTOCOLS = [
    (("PING",), b"+PONG\r\n", b"+PONG\r\n"),
    (("ECHO", "e"), b"$1\r\ne\r\n", b"$1\r\ne\r\n"),
    (("GET", "missing"), b"$-1\r\n", b"_\r\n"),
    (("GET", "k"), b"$1\r\nv\r\n", b"$1\r\nv\r\n"),
    (("GET", "empty"), b"$0\r\n\r\n", b"$0\r\n\r\n"),
    (("SET", "k", "x", "NX"), b"$-1\r\n", b"_\r\n"),
    (("SET", "missing", "x", "XX"), b"$-1\r\n", b"_\r\n"),
    (("SET", "missing", "x", "XX", "GET"), b"$-1\r\n", b"_\r\n"),
    (("SET", "k", "v", "GET"), b"$1\r\nv\r\n", b"$1\r\nv\r\n"),
    (("SET", "k", "v"), b"+OK\r\n", b"+OK\r\n"),
    (("MGET", "k", "missing", "n"), b"*3\r\n$1\r\nv\r\n$-1\r\n$2\r\n10\r\n",
     b"*3\r\n$1\r\nv\r\n_\r\n$2\r\n10\r\n"),
    (("MGET", "missing"), b"*1\r\n$-1\r\n", b"*1\r\n_\r\n"),
    (("EXISTS", "k", "k", "missing"), b":2\r\n", b":2\r\n"),
    (("TYPE", "k"), b"+string\r\n", b"+string\r\n"),
    (("TYPE", "missing"), b"+none\r\n", b"+none\r\n"),
    (("INCR", "n"), b":11\r\n", b":11\r\n"),
    (("DECRBY", "n", "20"), b":-10\r\n", b":-10\r\n"),
    (("DBSIZE",), b":3\r\n", b":3\r\n"),
    (("DEL", "missing"), b":0\r\n", b":0\r\n"),
    (("MSET", "a", "1", "b", "2"), b"+OK\r\n", b"+OK\r\n"),
    (("GET",), b"-ERR wrong number of arguments for 'get' command\r\n",
     b"-ERR wrong number of arguments for 'get' command\r\n"),
    (("INCR", "k"), b"-ERR value is not an integer or out of range\r\n",
     b"-ERR value is not an integer or out of range\r\n"),
    (("COMMAND", "INFO", "nosuchcommand"), b"*1\r\n$-1\r\n", b"*1\r\n_\r\n"),
    (("COMMAND", "GETKEYS", "GET", "a"), b"*1\r\n$1\r\na\r\n", b"*1\r\n$1\r\na\r\n"),
    (("CONFIG", "GET", "databases"), b"*2\r\n$9\r\ndatabases\r\n$2\r\n16\r\n",
     b"%1\r\n$9\r\ndatabases\r\n$2\r\n16\r\n"),
]


@pytest.mark.parametrize("protocol", [2, 3])
@pytest.mark.parametrize("command, resp2, resp3", BOTH_PROTOCOLS,
                         ids=[" ".join(c[0]) or "_" for c in BOTH_PROTOCOLS])
def test_resp2_and_resp3_replies(srv, protocol, command, resp2, resp3):
    c = conn(srv, protocol)
    for s in SETUP:
        c.check(*s)
    assert c.cmd_raw(*command) == (resp2 if protocol == 2 else resp3)


def test_resp3_parsed_types(srv):
    c = conn(srv, 3)
    assert c.cmd("GET", "missing") is None
    ok = c.cmd("SET", "k", "v")
    assert isinstance(ok, SimpleString) and ok == b"OK"
    cfg = c.cmd("CONFIG", "GET", "databases")
    assert isinstance(cfg, RespMap) and cfg == {b"databases": b"16"}
    assert not isinstance(c.cmd("PING"), Push)
