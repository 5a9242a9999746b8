"""Malformed requests. For each, redis-server 7.0.15 replies with an exact
"-ERR Protocol error: ..." line and closes the connection; commands that came
before the bad request in the same write are executed, what comes after is
not. The server keeps serving other connections. Some requests that look
malformed are accepted (negative multibulk counts are skipped, big counts and
bulk lengths up to 512MB make the server wait for more data)."""

import socket
import time

import pytest

from resp3 import encode_command

PROTO_INLINE_MAX_SIZE = 64 * 1024
PROTO_MAX_BULK_LEN = 512 * 1024 * 1024


@pytest.fixture
def srv(flushed_server):
    return flushed_server


def exchange(srv, data, wait=0.5, total=5.0):
    """Send `data` on a fresh connection; return (reply bytes, closed).

    Reads until the server closes the connection or sends nothing for `wait`
    seconds."""
    s = socket.create_connection((srv.host, srv.port), timeout=total)
    try:
        try:
            s.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            pass   # the server may close before it has read everything
        s.settimeout(wait)
        out = b""
        deadline = time.monotonic() + total
        while time.monotonic() < deadline:
            try:
                chunk = s.recv(65536)
            except socket.timeout:
                return out, False
            except ConnectionResetError:
                return out, True
            if not chunk:
                return out, True
            out += chunk
        return out, False
    finally:
        s.close()


def assert_server_healthy(srv):
    assert srv.is_alive(), "server process died"
    c = srv.resp()
    assert c.cmd_raw("PING") == b"+PONG\r\n"
    c.close()


def assert_protocol_error(srv, data, message):
    out, closed = exchange(srv, data)
    assert out == b"-ERR Protocol error: " + message.encode() + b"\r\n"
    assert closed, "connection should be closed after a protocol error"
    assert_server_healthy(srv)


def assert_waits_for_more(srv, data):
    out, closed = exchange(srv, data, wait=0.2, total=1.0)
    assert out == b""
    assert not closed
    assert_server_healthy(srv)


# --------------------------------------------------------------------------
# multibulk count
# --------------------------------------------------------------------------

@pytest.mark.parametrize("line", [
    b"*abc", b"* 1", b"*+1", b"*", b"*1.5", b"*1a", b"*0x10",
    b"*2147483648",                  # > INT_MAX
    b"*123456789012345678901",       # not a long long
])
def test_invalid_multibulk_length(srv, line):
    assert_protocol_error(srv, line + b"\r\n", "invalid multibulk length")


def test_big_multibulk_count_is_accepted(srv):
    # Counts up to INT_MAX are valid: the server waits for the arguments.
    assert_waits_for_more(srv, b"*2000000\r\n")
    assert_waits_for_more(srv, b"*2147483647\r\n")


@pytest.mark.parametrize("line", [b"*0", b"*-1", b"*-5"])
def test_empty_or_negative_multibulk_is_skipped(srv, line):
    out, closed = exchange(srv, line + b"\r\n" + encode_command("PING"), wait=0.15)
    assert out == b"+PONG\r\n"
    assert not closed


def test_too_big_mbulk_count_string(srv):
    # No CR within 64KB after '*'.
    data = b"*" + b"1" * (PROTO_INLINE_MAX_SIZE + 10)
    assert_protocol_error(srv, data, "too big mbulk count string")


# --------------------------------------------------------------------------
# bulk length
# --------------------------------------------------------------------------

@pytest.mark.parametrize("line", [
    b"$abc", b"$", b"$-1", b"$-3", b"$+3", b"$1.5", b"$ 3",
    b"$%d" % (PROTO_MAX_BULK_LEN + 1),       # above proto-max-bulk-len
    b"$9223372036854775808",                  # not a long long
])
def test_invalid_bulk_length(srv, line):
    assert_protocol_error(srv, b"*1\r\n" + line + b"\r\n", "invalid bulk length")


def test_invalid_bulk_length_in_second_argument(srv):
    assert_protocol_error(srv, b"*2\r\n$4\r\nECHO\r\n$-2\r\n", "invalid bulk length")


def test_max_bulk_length_is_accepted(srv):
    # Exactly proto-max-bulk-len (512MB) is valid: the server waits for data.
    assert_waits_for_more(srv, b"*1\r\n$%d\r\n" % PROTO_MAX_BULK_LEN)


def test_too_big_bulk_count_string(srv):
    data = b"*1\r\n$" + b"1" * (PROTO_INLINE_MAX_SIZE + 10)
    assert_protocol_error(srv, data, "too big bulk count string")


# --------------------------------------------------------------------------
# expected '$'
# --------------------------------------------------------------------------

@pytest.mark.parametrize("data, got", [
    (b"*1\r\nxfoo\r\n", "x"),
    (b"*2\r\n$4\r\nECHO\r\n:5\r\n", ":"),
    (b"*1\r\n+PING\r\n", "+"),
    (b"*1\r\n*1\r\n", "*"),
])
def test_expected_dollar(srv, data, got):
    assert_protocol_error(srv, data, f"expected '$', got '{got}'")


# --------------------------------------------------------------------------
# inline requests
# --------------------------------------------------------------------------

@pytest.mark.parametrize("line", [
    b'SET "foo bar',
    b"SET 'foo bar",
    b'ECHO "a"b',            # a closing quote must be followed by a space
    b"ECHO 'a'b",
    b'ECHO "abc\\"',         # escaped closing quote
])
def test_unbalanced_quotes(srv, line):
    assert_protocol_error(srv, line + b"\r\n", "unbalanced quotes in request")


def test_too_big_inline_request(srv):
    # More than 64KB buffered without a newline.
    assert_protocol_error(srv, b"A" * (PROTO_INLINE_MAX_SIZE + 1), "too big inline request")
    assert_protocol_error(srv, b"PING " + b"x" * (PROTO_INLINE_MAX_SIZE * 2),
                          "too big inline request")


def test_inline_request_at_limit_waits(srv):
    # Exactly 64KB without a newline is still waiting for the rest.
    s = srv.raw_socket()
    s.sendall(b"ECHO " + b"y" * (PROTO_INLINE_MAX_SIZE - 5))
    s.settimeout(0.3)
    with pytest.raises(socket.timeout):
        s.recv(100)
    s.settimeout(5)
    s.sendall(b"\r\n")
    expected = b"$%d\r\n" % (PROTO_INLINE_MAX_SIZE - 5) + b"y" * (PROTO_INLINE_MAX_SIZE - 5) + b"\r\n"
    got = b""
    while len(got) < len(expected):
        chunk = s.recv(65536)
        assert chunk, "connection closed"
        got += chunk
    assert got == expected


def test_top_level_dollar_is_an_inline_command(srv):
    # Only '*' starts a multibulk; anything else is an inline command.
    out, closed = exchange(srv, b"$3\r\nfoo\r\n", wait=0.15)
    assert out == (b"-ERR unknown command '$3', with args beginning with: \r\n"
                   b"-ERR unknown command 'foo', with args beginning with: \r\n")
    assert not closed


# --------------------------------------------------------------------------
# what runs before / after the error
# --------------------------------------------------------------------------

def test_commands_before_error_run_after_do_not(srv):
    data = (encode_command("SET", "before", "1") + b"PING\r\n" + b"*abc\r\n" +
            encode_command("SET", "after", "1"))
    out, closed = exchange(srv, data)
    assert out == b"+OK\r\n+PONG\r\n-ERR Protocol error: invalid multibulk length\r\n"
    assert closed
    c = srv.resp()
    assert c.cmd("EXISTS", "before") == 1
    assert c.cmd("EXISTS", "after") == 0


def test_protocol_error_resp3_connection(srv):
    data = encode_command("HELLO", "3") + b"*1\r\n$-3\r\n"
    s = socket.create_connection((srv.host, srv.port), timeout=5)
    from resp3 import RespConnection
    c = RespConnection(sock=s)
    c.send_raw(data)
    assert c.read_reply()[b"proto"] == 3
    out, closed = c.read_available_raw(wait=1.0)
    assert out == b"-ERR Protocol error: invalid bulk length\r\n"
    assert closed
    assert_server_healthy(srv)


def test_garbage_storm_does_not_kill_server(srv):
    import random
    rnd = random.Random(1234)
    for i in range(30):
        n = rnd.choice([1, 10, 100, 1000, 20000])
        junk = bytes(rnd.getrandbits(8) for _ in range(n))
        if i % 3 == 0:
            junk = b"*" + junk
        elif i % 3 == 1:
            junk = b"*3\r\n$" + junk
        exchange(srv, junk, wait=0.03, total=0.3)
    assert_server_healthy(srv)


# --------------------------------------------------------------------------
# unauthenticated clients have tighter limits
# --------------------------------------------------------------------------

@pytest.mark.needs("auth")
@pytest.mark.server_args("--requirepass", "secret")
def test_unauthenticated_limits(server):
    s = server
    out, closed = exchange(s, b"*11\r\n")
    assert out == b"-ERR Protocol error: unauthenticated multibulk length\r\n"
    assert closed
    out, closed = exchange(s, b"*10\r\n", wait=0.2)
    assert out == b"" and not closed
    out, closed = exchange(s, b"*2\r\n$4\r\nAUTH\r\n$16385\r\n")
    assert out == b"-ERR Protocol error: unauthenticated bulk length\r\n"
    assert closed
    out, closed = exchange(s, b"*2\r\n$4\r\nAUTH\r\n$16384\r\n", wait=0.2)
    assert out == b"" and not closed
    # After AUTH the normal limits apply.
    c = s.resp()
    assert c.cmd("AUTH", "secret") == b"OK"
    c.send_raw(b"*11\r\n")
    c.send_raw(b"$4\r\nECHO\r\n" + b"$1\r\nx\r\n" * 10)
    err = c.read_reply()
    assert str(err) == "ERR wrong number of arguments for 'echo' command"
