"""MONITOR: the line format (timestamp, database, client address, quoted and
escaped arguments), what is fed and when (after the command ran; EXEC's
commands before EXEC; queued, refused and admin commands not at all;
passwords redacted), the monitor client's own restrictions (read/write
commands refused, a second MONITOR ignored, MONITOR inside MULTI refused),
RESET leaving monitor mode, and CLIENT LIST's O flag."""

import re
import time

import pytest

from resp3 import RespError

LINE = re.compile(rb"^\+(\d+)\.(\d{6}) \[(\d+) ([^\]]+)\] (.*)$")


def start_monitor(srv, protocol=2):
    m = srv.resp(protocol=protocol)
    assert m.cmd("MONITOR") == b"OK"
    return m


def fed(m, count):
    """The next `count` monitor lines as (db, origin, args-part)."""
    out = []
    for _ in range(count):
        line = m.read_reply()
        match = LINE.match(b"+" + bytes(line))
        assert match, line
        out.append((int(match.group(3)), match.group(4), match.group(5)))
    return out


@pytest.fixture
def srv(flushed_server):
    return flushed_server


def test_commands_are_fed_after_they_run_with_db_and_address(srv):
    m = start_monitor(srv)
    c = srv.resp()
    addr = c.cmd("CLIENT", "INFO").split(b"addr=")[1].split(b" ")[0]
    c.cmd("SET", "a", "1")
    c.cmd("SELECT", "2")
    c.cmd("GET", "k")
    lines = fed(m, 4)
    # CLIENT INFO is an admin-free command: it is fed too.
    assert lines == [
        (0, addr, b'"CLIENT" "INFO"'),
        (0, addr, b'"SET" "a" "1"'),
        (2, addr, b'"SELECT" "2"'),  # after it ran: the new database
        (2, addr, b'"GET" "k"'),
    ]


def test_timestamp_is_wall_clock_seconds_and_microseconds(srv):
    m = start_monitor(srv)
    c = srv.resp()
    before = time.time()
    c.cmd("PING")
    line = bytes(m.read_reply())
    stamp = float(line.split(b" ")[0])
    assert before - 2 <= stamp <= time.time() + 2


def test_arguments_are_quoted_and_escaped_like_sdscatrepr(srv):
    m = start_monitor(srv)
    c = srv.resp()
    c.cmd("ECHO", b'a\tb\\c"d\n\r\x00\x07\x08\x7f\xff \xc3\xa9')
    (_, _, args), = fed(m, 1)
    assert args == b'"ECHO" "a\\tb\\\\c\\"d\\n\\r\\x00\\a\\b\\x7f\\xff \\xc3\\xa9"'


def test_exec_feeds_its_commands_then_itself_and_queued_ones_are_not_fed_at_queue_time(srv):
    m = start_monitor(srv)
    c = srv.resp()
    c.cmd("MULTI")
    assert c.cmd("INCR", "n") == b"QUEUED"
    assert c.cmd("GET", "n") == b"QUEUED"
    c.cmd("EXEC")
    assert [args for _, _, args in fed(m, 4)] == [b'"MULTI"', b'"INCR" "n"', b'"GET" "n"',
                                                  b'"EXEC"']


def test_refused_and_admin_commands_are_not_fed(srv):
    m = start_monitor(srv)
    c = srv.resp()
    assert isinstance(c.cmd("NOSUCHCOMMAND"), RespError)
    assert isinstance(c.cmd("GET"), RespError)
    c.cmd("CONFIG", "GET", "maxmemory")
    c.cmd("CLIENT", "LIST")
    c.cmd("SET", "marker", "1")
    assert [args for _, _, args in fed(m, 1)] == [b'"SET" "marker" "1"']


def test_passwords_are_redacted(srv):
    m = start_monitor(srv)
    c = srv.resp()
    assert isinstance(c.cmd("AUTH", "someone", "secret"), RespError)
    c.cmd("HELLO", "2", "AUTH", "default", "anything")
    lines = [args for _, _, args in fed(m, 2)]
    assert lines[0] == b'"AUTH" "(redacted)" "(redacted)"'
    assert lines[1] == b'"HELLO" "2" "AUTH" "(redacted)" "(redacted)"'


def test_monitor_sees_its_own_commands_and_may_not_touch_the_keyspace(srv):
    m = start_monitor(srv)
    assert m.cmd("PING") == b"PONG"
    (_, _, args), = fed(m, 1)
    assert args == b'"PING"'
    for argv in (("GET", "a"), ("SET", "a", "1")):
        reply = m.cmd(*argv)
        assert isinstance(reply, RespError)
        assert str(reply) == "ERR Replica can't interact with the keyspace"
    assert m.cmd("SELECT", "3") == b"OK"
    (db, _, args), = fed(m, 1)
    assert (db, args) == (3, b'"SELECT" "3"')


def test_second_monitor_is_ignored_without_a_reply(srv):
    m = start_monitor(srv)
    m.send("MONITOR")
    assert m.cmd("PING") == b"PONG"  # the next reply is PING's: MONITOR sent none


def test_monitor_inside_multi_is_refused(srv):
    c = srv.resp()
    c.cmd("MULTI")
    assert c.cmd("MONITOR") == b"QUEUED"
    reply = c.cmd("EXEC")
    assert len(reply) == 1
    assert "MONITOR isn't allowed for DENY BLOCKING client" in str(reply[0])


def test_reset_leaves_monitor_mode(srv):
    m = start_monitor(srv)
    assert m.cmd("RESET") == b"RESET"
    c = srv.resp()
    c.cmd("SET", "after", "1")
    assert m.cmd("GET", "after") == b"1"  # a normal client again, and nothing was fed


def test_client_list_shows_the_o_flag(srv):
    start_monitor(srv)
    c = srv.client()
    lines = [l for l in c.execute_command("CLIENT", "LIST").decode().splitlines()
             if "cmd=monitor" in l]
    assert len(lines) == 1
    assert " flags=O " in lines[0]


def test_resp3_monitor_gets_simple_strings(srv):
    m = start_monitor(srv, protocol=3)
    c = srv.resp()
    c.cmd("SET", "x", "y")
    (_, _, args), = fed(m, 1)
    assert args == b'"SET" "x" "y"'


def test_several_monitors_and_a_closed_one(srv):
    m1 = start_monitor(srv)
    m2 = start_monitor(srv)
    m1.close()
    c = srv.resp()
    c.cmd("SET", "k", "v")
    assert [args for _, _, args in fed(m2, 1)] == [b'"SET" "k" "v"']


def test_script_is_fed_before_the_commands_it_calls(srv):
    m = start_monitor(srv)
    c = srv.resp()
    assert c.cmd("EVAL", "redis.call('set', KEYS[1], '1') return 1", "1", "z") == 1
    lines = fed(m, 2)
    assert lines[0][2] == b'"EVAL" "redis.call(\'set\', KEYS[1], \'1\') return 1" "1" "z"'
    assert lines[1] == (0, b"lua", b'"set" "z" "1"')
