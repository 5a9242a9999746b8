"""DEBUG PROTOCOL, ERROR, LOG, CHANGE-REPL-ID and HELP (DEBUG OBJECT, SLEEP and
SET-ACTIVE-EXPIRE are in test_admin.py). Expected bytes are redis-server
7.0.15's, checked exactly on the wire in RESP2 and RESP3."""

import pytest

from conftest import _Factory
from resp3 import Push, RespMap


@pytest.fixture(scope="module")
def dbg_server(server_kind, server_binary, tmp_path_factory):
    f = _Factory(server_kind, server_binary, tmp_path_factory)
    f(extra_args=["--enable-debug-command", "yes"])
    yield f.handles[0]
    f.finish_all()


def raw(conn, *args):
    conn.send(*args)
    return conn.read_raw_reply()


RESP2 = {
    "string": b"$11\r\nHello World\r\n",
    "integer": b":12345\r\n",
    "double": b"$5\r\n3.141\r\n",
    "bignum": b"$37\r\n1234567999999999999999999999999999999\r\n",
    "null": b"$-1\r\n",
    "array": b"*3\r\n:0\r\n:1\r\n:2\r\n",
    "set": b"*3\r\n:0\r\n:1\r\n:2\r\n",
    "map": b"*6\r\n:0\r\n:0\r\n:1\r\n:1\r\n:2\r\n:0\r\n",
    "attrib": b"$39\r\nSome real reply following the attribute\r\n",
    "push": b"-ERR RESP2 is not supported by this command\r\n",
    "verbatim": b"$25\r\nThis is a verbatim\nstring\r\n",
    "true": b":1\r\n",
    "false": b":0\r\n",
}

RESP3 = {
    "string": b"$11\r\nHello World\r\n",
    "integer": b":12345\r\n",
    "double": b",3.141\r\n",
    "bignum": b"(1234567999999999999999999999999999999\r\n",
    "null": b"_\r\n",
    "array": b"*3\r\n:0\r\n:1\r\n:2\r\n",
    "set": b"~3\r\n:0\r\n:1\r\n:2\r\n",
    "map": b"%3\r\n:0\r\n#f\r\n:1\r\n#t\r\n:2\r\n#f\r\n",
    "attrib": b"|1\r\n$14\r\nkey-popularity\r\n*2\r\n$7\r\nkey:123\r\n:90\r\n"
              b"$39\r\nSome real reply following the attribute\r\n",
    "verbatim": b"=29\r\ntxt:This is a verbatim\nstring\r\n",
    "true": b"#t\r\n",
    "false": b"#f\r\n",
}

WRONG_TYPE = (b"-ERR Wrong protocol type name. Please use one of the following: "
              b"string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false"
              b"\r\n")


def test_protocol_resp2(dbg_server):
    c = dbg_server.resp()
    for name, expected in RESP2.items():
        assert raw(c, "DEBUG", "PROTOCOL", name) == expected, name
    assert raw(c, "DEBUG", "PROTOCOL", "MAP") == RESP2["map"]  # case-insensitive
    assert raw(c, "DEBUG", "PROTOCOL", "nosuch") == WRONG_TYPE
    assert raw(c, "DEBUG", "PROTOCOL") == (
        b"-ERR unknown subcommand or wrong number of arguments for 'PROTOCOL'. "
        b"Try DEBUG HELP.\r\n")


def test_protocol_resp3(dbg_server):
    c = dbg_server.resp(3)
    for name, expected in RESP3.items():
        assert raw(c, "DEBUG", "PROTOCOL", name) == expected, name
    # The push comes first, then the command's own reply.
    assert raw(c, "DEBUG", "PROTOCOL", "push") == b">2\r\n$16\r\nserver-cpu-usage\r\n:42\r\n"
    assert c.read_raw_reply() == b"$40\r\nSome real reply following the push reply\r\n"
    # Parsed by the client: the attribute is set aside, the value follows.
    c.send("DEBUG", "PROTOCOL", "attrib")
    assert c.read_reply() == b"Some real reply following the attribute"
    assert c.last_attributes == RespMap({b"key-popularity": [b"key:123", 90]})
    c.send("DEBUG", "PROTOCOL", "push")
    assert c.read_reply(skip_push=True) == b"Some real reply following the push reply"
    assert c.pushes == [Push([b"server-cpu-usage", 42])]
    assert raw(c, "PING") == b"+PONG\r\n"


def test_error(dbg_server):
    c = dbg_server.resp()
    assert raw(c, "CONFIG", "RESETSTAT") == b"+OK\r\n"
    assert raw(c, "DEBUG", "ERROR", "MYERR something") == b"-MYERR something\r\n"
    assert raw(c, "DEBUG", "ERROR", "-foo") == b"--foo\r\n"
    assert raw(c, "DEBUG", "ERROR", "a\nb\rc") == b"-a b c\r\n"
    # Written as a plain reply, as Redis's addReplySds: not an error reply.
    c.send("INFO", "stats")
    assert b"total_error_replies:0\r\n" in c.read_reply()
    c.send("INFO", "commandstats")
    assert b"failed_calls=0" in c.read_reply().split(b"cmdstat_debug:")[1].split(b"\r\n")[0]
    assert raw(c, "DEBUG", "ERROR") == (
        b"-ERR unknown subcommand or wrong number of arguments for 'ERROR'. Try DEBUG HELP.\r\n")


def test_log(dbg_server):
    c = dbg_server.resp()
    assert raw(c, "DEBUG", "LOG", "marker-from-test-debug") == b"+OK\r\n"
    assert "DEBUG LOG: marker-from-test-debug" in dbg_server.log_text()
    assert raw(c, "DEBUG", "LOG") == (
        b"-ERR unknown subcommand or wrong number of arguments for 'LOG'. Try DEBUG HELP.\r\n")


def info_fields(c):
    c.send("INFO")
    text = c.read_reply().decode()
    return dict(line.split(":", 1) for line in text.split("\r\n") if ":" in line)


def test_change_repl_id(dbg_server):
    c = dbg_server.resp()
    before = info_fields(c)
    assert raw(c, "DEBUG", "CHANGE-REPL-ID") == b"+OK\r\n"
    after = info_fields(c)
    assert after["master_replid"] != before["master_replid"]
    assert len(after["master_replid"]) == 40
    int(after["master_replid"], 16)
    assert after["run_id"] == before["run_id"]
    assert after["master_replid2"] == "0" * 40
    assert raw(c, "DEBUG", "CHANGE-REPL-ID", "x") == (
        b"-ERR unknown subcommand or wrong number of arguments for 'CHANGE-REPL-ID'. "
        b"Try DEBUG HELP.\r\n")


def test_help(dbg_server):
    lines = [l.decode() for l in dbg_server.client().execute_command("DEBUG", "HELP")]
    assert lines[0] == "DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"
    assert lines[-2:] == ["HELP", "    Prints this help."]
    # Each line Strata serves is Redis's line, in Redis's order.
    for sub, text in [
        ("CHANGE-REPL-ID", ["    Change the replication IDs of the instance.",
                            "    Dangerous: should be used only for testing the replication "
                            "subsystem."]),
        ("ERROR <string>", ["    Return a Redis protocol error with <string> as message. "
                            "Useful for clients",
                            "    unit tests to simulate Redis errors."]),
        ("LOG <message>", ["    Write <message> to the server log."]),
        ("OBJECT <key>", ["    Show low level info about `key` and associated value."]),
        ("PROTOCOL <type>", ["    Reply with a test value of the specified type. <type> can be: "
                             "string,",
                             "    integer, double, bignum, null, array, set, map, attrib, push, "
                             "verbatim,",
                             "    true, false."]),
    ]:
        i = lines.index(sub)
        assert lines[i + 1:i + 1 + len(text)] == text, sub
