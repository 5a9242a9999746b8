"""Checks of the test suite's own RESP2/RESP3 client (resp3.py): canned
replies of every type, and (against redis-server only) the replies of
DEBUG PROTOCOL <type>."""

import math

import pytest

from resp3 import (BigNumber, Double, Push, RespError, RespMap, RespSet,
                   SimpleString, Verbatim, encode_command, parse_all)


def one(data):
    (v,) = parse_all(data)
    return v


def test_encode_command():
    assert encode_command("SET", b"k\x00", 12, 1.5) == \
        b"*4\r\n$3\r\nSET\r\n$2\r\nk\x00\r\n$2\r\n12\r\n$3\r\n1.5\r\n"
    assert encode_command() == b"*0\r\n"


@pytest.mark.parametrize("data, expected, kind", [
    (b"+OK\r\n", b"OK", SimpleString),
    (b"$3\r\nfoo\r\n", b"foo", bytes),
    (b"$0\r\n\r\n", b"", bytes),
    (b"$4\r\na\r\nb\r\n", b"a\r\nb", bytes),
    (b":-42\r\n", -42, int),
    (b"(3492890328409238509324850943850943825024385\r\n",
     3492890328409238509324850943850943825024385, BigNumber),
    (b"#t\r\n", True, bool),
    (b"#f\r\n", False, bool),
    (b",1.5\r\n", 1.5, Double),
    (b",-0.25\r\n", -0.25, Double),
    (b",10\r\n", 10.0, Double),
    (b",1e+20\r\n", 1e20, Double),
    (b",inf\r\n", math.inf, Double),
    (b",-inf\r\n", -math.inf, Double),
    (b"=15\r\ntxt:Some string\r\n", b"Some string", Verbatim),
    (b"*2\r\n:1\r\n$1\r\na\r\n", [1, b"a"], list),
    (b"*0\r\n", [], list),
    (b"%2\r\n+a\r\n:1\r\n+b\r\n*1\r\n:2\r\n", {b"a": 1, b"b": [2]}, RespMap),
    (b"~3\r\n:1\r\n:2\r\n:3\r\n", [1, 2, 3], RespSet),
    (b">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n", [b"message", b"ch", b"hi"], Push),
    (b"$?\r\n;4\r\nHell\r\n;5\r\no wor\r\n;1\r\nd\r\n;0\r\n", b"Hello word", bytes),
    (b"*?\r\n:1\r\n:2\r\n.\r\n", [1, 2], list),
    (b"%?\r\n+a\r\n:1\r\n.\r\n", {b"a": 1}, RespMap),
])
def test_parse_types(data, expected, kind):
    v = one(data)
    assert isinstance(v, kind)
    if kind is bool:
        assert v is expected
    else:
        assert v == expected


def test_parse_nulls():
    assert parse_all(b"_\r\n$-1\r\n*-1\r\n") == [None, None, None]


def test_parse_nan():
    v = one(b",nan\r\n")
    assert isinstance(v, Double) and math.isnan(v)


def test_parse_errors():
    e = one(b"-ERR unknown command 'x'\r\n")
    assert isinstance(e, RespError) and isinstance(e, Exception)
    assert str(e) == "ERR unknown command 'x'" and e.code == "ERR"
    assert e == "ERR unknown command 'x'"
    w = one(b"-WRONGTYPE Operation against a key\r\n")
    assert w.code == "WRONGTYPE"
    b = one(b"!21\r\nSYNTAX invalid syntax\r\n")
    assert isinstance(b, RespError) and b.code == "SYNTAX"
    # Errors inside aggregates are values, not exceptions.
    assert parse_all(b"*2\r\n:1\r\n-ERR x\r\n")[0][1] == RespError("ERR x")


def test_parse_verbatim_format():
    v = one(b"=15\r\nmkd:Some string\r\n")
    assert v.format == "mkd"


def test_parse_map_with_aggregate_keys():
    v = one(b"%1\r\n*2\r\n:1\r\n:2\r\n+v\r\n")
    assert v == {(1, 2): b"v"}


def test_parse_set_equality():
    v = one(b"~2\r\n$1\r\na\r\n$1\r\nb\r\n")
    assert v == {b"b", b"a"}
    assert v == [b"a", b"b"]
    assert v.as_set() == {b"a", b"b"}


def test_parse_attribute():
    data = b"|1\r\n+key-popularity\r\n%1\r\n$1\r\na\r\n,0.19\r\n*1\r\n:7\r\n"
    from resp3 import FakeSocket, RespConnection

    c = RespConnection(sock=FakeSocket(data))
    assert c.read_reply() == [7]
    assert c.last_attributes == {b"key-popularity": {b"a": 0.19}}


def test_parse_nested():
    data = b"*3\r\n%1\r\n+k\r\n~1\r\n#t\r\n_\r\n*1\r\n,2.5\r\n"
    assert one(data) == [{b"k": [True]}, None, [2.5]]


def test_parse_split_reads():
    # Replies arriving one byte at a time.
    from resp3 import FakeSocket, RespConnection

    data = b"$5\r\nhello\r\n%1\r\n+a\r\n:1\r\n"
    c = RespConnection(sock=FakeSocket(data + data, chunk=1))
    assert c.read_raw_reply() == b"$5\r\nhello\r\n"
    assert c.read_reply() == {b"a": 1}
    assert c.read_reply() == b"hello"
    assert c.read_raw_reply() == b"%1\r\n+a\r\n:1\r\n"


# --------------------------------------------------------------------------
# against redis-server's DEBUG PROTOCOL
# --------------------------------------------------------------------------

@pytest.mark.redis_only
@pytest.mark.server_args("--enable-debug-command", "yes")
def test_debug_protocol_resp3(server):
    c = server.resp(protocol=3)
    assert c.cmd("DEBUG", "PROTOCOL", "string") == b"Hello World"
    assert c.cmd("DEBUG", "PROTOCOL", "integer") == 12345
    v = c.cmd("DEBUG", "PROTOCOL", "double")
    assert isinstance(v, Double) and v == 3.141
    v = c.cmd("DEBUG", "PROTOCOL", "bignum")
    assert isinstance(v, BigNumber) and v == 1234567999999999999999999999999999999
    assert c.cmd("DEBUG", "PROTOCOL", "null") is None
    assert c.cmd("DEBUG", "PROTOCOL", "array") == [0, 1, 2]
    v = c.cmd("DEBUG", "PROTOCOL", "set")
    assert isinstance(v, RespSet) and v == {0, 1, 2}
    v = c.cmd("DEBUG", "PROTOCOL", "map")
    assert isinstance(v, RespMap) and v == {0: False, 1: True, 2: False}
    assert c.cmd("DEBUG", "PROTOCOL", "attrib") == b"Some real reply following the attribute"
    assert c.last_attributes == {b"key-popularity": [b"key:123", 90]}
    # A push message, then the command's own reply.
    v = c.cmd("DEBUG", "PROTOCOL", "push")
    assert isinstance(v, Push) and v == [b"server-cpu-usage", 42] and v.kind == "server-cpu-usage"
    assert c.read_reply() == b"Some real reply following the push reply"
    assert c.cmd("DEBUG", "PROTOCOL", "push", skip_push=True) == \
        b"Some real reply following the push reply"
    assert c.pushes == [[b"server-cpu-usage", 42]]
    v = c.cmd("DEBUG", "PROTOCOL", "verbatim")
    assert isinstance(v, Verbatim) and v.format == "txt" and v == b"This is a verbatim\nstring"
    assert c.cmd("DEBUG", "PROTOCOL", "true") is True
    assert c.cmd("DEBUG", "PROTOCOL", "false") is False


@pytest.mark.redis_only
@pytest.mark.server_args("--enable-debug-command", "yes")
def test_debug_protocol_resp2(server):
    c = server.resp()
    assert c.cmd_raw("DEBUG", "PROTOCOL", "double") == b"$5\r\n3.141\r\n"
    assert c.cmd_raw("DEBUG", "PROTOCOL", "null") == b"$-1\r\n"
    assert c.cmd_raw("DEBUG", "PROTOCOL", "map") == b"*6\r\n:0\r\n:0\r\n:1\r\n:1\r\n:2\r\n:0\r\n"
    assert c.cmd_raw("DEBUG", "PROTOCOL", "true") == b":1\r\n"
    assert c.cmd_raw("DEBUG", "PROTOCOL", "verbatim") == b"$25\r\nThis is a verbatim\nstring\r\n"
