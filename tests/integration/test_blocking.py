"""Blocking commands: BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP, BZPOPMIN,
BZPOPMAX, BZMPOP and CLIENT UNBLOCK — wake-up by another client's push, by
MULTI/EXEC, by SWAPDB (of either database), timeouts and their reply forms (RESP2 and RESP3), FIFO service,
the non-blocking form inside MULTI, disconnects, wrong types, argument
errors, the `b` flag and INFO's counters, and N producers x M consumers over
BRPOP losing and duplicating nothing."""

import threading
import time

import pytest

from replies import SYNTAX, WRONGTYPE, err
from resp3 import Double


@pytest.fixture
def srv(flushed_server):
    return flushed_server


def info_field(c, name):
    text = c.cmd("INFO", "clients").decode()
    for line in text.splitlines():
        if line.startswith(name + ":"):
            return int(line.split(":", 1)[1])
    raise AssertionError(f"{name} not in INFO clients")


def wait_blocked(c, n, timeout=5.0):
    """Waits until exactly n clients are blocked (INFO blocked_clients)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if info_field(c, "blocked_clients") == n:
            return
        time.sleep(0.005)
    raise AssertionError(f"blocked_clients never reached {n}")


def start_blocked(srv, ctl, *args, protocol=2, already=0):
    """A new client that sent `args` and is blocked in it."""
    c = srv.resp(protocol=protocol)
    c.send(*args)
    wait_blocked(ctl, already + 1)
    return c


# --- served at once when data is there ------------------------------------

def test_served_at_once_like_the_non_blocking_forms(srv):
    c = srv.resp()
    c.check("RPUSH", "l2", "a", "b", "c")
    assert c.cmd("BLPOP", "l1", "l2", "0") == [b"l2", b"a"]
    assert c.cmd("BRPOP", "l1", "l2", "0") == [b"l2", b"c"]
    assert c.cmd("BLMOVE", "l2", "d", "LEFT", "RIGHT", "0") == b"b"
    assert c.cmd("LRANGE", "d", "0", "-1") == [b"b"]
    c.check("RPUSH", "src", "x", "y")
    assert c.cmd("BRPOPLPUSH", "src", "d", "0") == b"y"
    assert c.cmd("BLMPOP", "0", "2", "none", "src", "LEFT", "COUNT", "5") == [b"src", [b"x"]]
    assert c.cmd("EXISTS", "src") == 0
    c.check("ZADD", "z", "1", "a", "2", "b", "3", "c")
    assert c.cmd("BZPOPMIN", "nz", "z", "0") == [b"z", b"a", b"1"]
    assert c.cmd("BZPOPMAX", "z", "0") == [b"z", b"c", b"3"]
    assert c.cmd("BZMPOP", "0", "1", "z", "MIN", "COUNT", "9") == [b"z", [[b"b", b"2"]]]
    # same-key rotation
    c.check("RPUSH", "r", "1", "2", "3")
    assert c.cmd("BLMOVE", "r", "r", "RIGHT", "LEFT", "0") == b"3"
    assert c.cmd("LRANGE", "r", "0", "-1") == [b"3", b"1", b"2"]


# --- woken by another client ------------------------------------------------

WAKE_CASES = [
    (("BLPOP", "k", "other", "0"), ("RPUSH", "k", "a", "b"), [b"k", b"a"], [b"b"]),
    (("BRPOP", "other", "k", "0"), ("RPUSH", "k", "a", "b"), [b"k", b"b"], [b"a"]),
    (("BLMOVE", "k", "dst", "RIGHT", "LEFT", "0"), ("RPUSH", "k", "a", "b"), b"b", [b"a"]),
    (("BRPOPLPUSH", "k", "dst", "0"), ("LPUSH", "k", "a"), b"a", None),
    (("BLMPOP", "0", "2", "other", "k", "RIGHT", "COUNT", "2"), ("RPUSH", "k", "a", "b", "c"),
     [b"k", [b"c", b"b"]], [b"a"]),
    (("BZPOPMIN", "k", "0"), ("ZADD", "k", "1", "a", "2", "b"), [b"k", b"a", b"1"], None),
    (("BZPOPMAX", "other", "k", "0"), ("ZADD", "k", "1", "a", "2", "b"), [b"k", b"b", b"2"], None),
    (("BZMPOP", "0", "1", "k", "MIN", "COUNT", "2"), ("ZADD", "k", "1", "a", "2", "b", "3", "c"),
     [b"k", [[b"a", b"1"], [b"b", b"2"]]], None),
]


@pytest.mark.parametrize("blocking,push,expected,rest", WAKE_CASES,
                         ids=[case[0][0] for case in WAKE_CASES])
def test_woken_by_another_clients_push(srv, blocking, push, expected, rest):
    ctl = srv.resp()
    waiter = start_blocked(srv, ctl, *blocking)
    ctl.check(*push)
    assert waiter.read_reply() == expected
    assert info_field(ctl, "blocked_clients") == 0
    if rest is not None:
        assert ctl.cmd("LRANGE", "k", "0", "-1") == rest
    if blocking[0] in ("BLMOVE", "BRPOPLPUSH"):
        assert ctl.cmd("LRANGE", "dst", "0", "-1") == [expected]


def test_served_before_the_pushers_next_command(srv):
    ctl = srv.resp()
    waiter = start_blocked(srv, ctl, "BLPOP", "k", "0")
    # RPUSH and LPOP in one pipeline: the waiter is served between them.
    assert ctl.pipeline([("RPUSH", "k", "a"), ("LPOP", "k")]) == [1, None]
    assert waiter.read_reply() == [b"k", b"a"]


def test_serves_from_the_key_that_became_ready(srv):
    ctl = srv.resp()
    waiter = start_blocked(srv, ctl, "BLPOP", "k1", "k2", "0")
    ctl.check("MULTI")
    ctl.check("RPUSH", "k2", "from2")
    ctl.check("RPUSH", "k1", "from1")
    assert ctl.cmd("EXEC") == [1, 1]
    assert waiter.read_reply() == [b"k2", b"from2"]
    assert ctl.cmd("LRANGE", "k1", "0", "-1") == [b"from1"]


def test_blmove_result_wakes_waiters_of_the_destination(srv):
    ctl = srv.resp()
    mover = start_blocked(srv, ctl, "BLMOVE", "src", "dst", "LEFT", "LEFT", "0")
    popper = start_blocked(srv, ctl, "BLPOP", "dst", "0", already=1)
    ctl.check("RPUSH", "src", "x")
    assert mover.read_reply() == b"x"
    assert popper.read_reply() == [b"dst", b"x"]
    assert ctl.cmd("EXISTS", "src", "dst") == 0


def test_blmove_same_key_blocked_then_woken(srv):
    ctl = srv.resp()
    waiter = start_blocked(srv, ctl, "BLMOVE", "k", "k", "LEFT", "RIGHT", "0")
    ctl.check("RPUSH", "k", "a", "b")
    assert waiter.read_reply() == b"a"
    assert ctl.cmd("LRANGE", "k", "0", "-1") == [b"b", b"a"]


# --- FIFO -------------------------------------------------------------------

def test_three_waiters_served_in_blocking_order(srv):
    ctl = srv.resp()
    waiters = [start_blocked(srv, ctl, "BLPOP", "q", "0", already=i) for i in range(3)]
    ctl.check("RPUSH", "q", "a", "b", "c")
    assert [w.read_reply() for w in waiters] == [[b"q", b"a"], [b"q", b"b"], [b"q", b"c"]]


def test_one_element_serves_only_the_first_waiter(srv):
    ctl = srv.resp()
    first = start_blocked(srv, ctl, "BRPOP", "q", "0")
    second = start_blocked(srv, ctl, "BRPOP", "q", "0", already=1)
    ctl.check("LPUSH", "q", "one")
    assert first.read_reply() == [b"q", b"one"]
    wait_blocked(ctl, 1)
    ctl.check("LPUSH", "q", "two")
    assert second.read_reply() == [b"q", b"two"]


def test_first_waiter_consuming_everything_keeps_the_next_blocked(srv):
    ctl = srv.resp()
    greedy = start_blocked(srv, ctl, "BLMPOP", "0", "1", "q", "LEFT", "COUNT", "10")
    other = start_blocked(srv, ctl, "BLPOP", "q", "0", already=1)
    ctl.check("RPUSH", "q", "a", "b")
    assert greedy.read_reply() == [b"q", [b"a", b"b"]]
    wait_blocked(ctl, 1)
    ctl.check("RPUSH", "q", "c")
    assert other.read_reply() == [b"q", b"c"]


# --- SWAPDB -----------------------------------------------------------------
# Redis 7.0's SWAPDB signals every key waited on in both databases that exists
# after the swap (scanDatabaseForReadyKeys), so the data it brings serves them.

def start_blocked_in(srv, ctl, db, *args, already=0):
    c = srv.resp()
    c.check("SELECT", str(db))
    c.send(*args)
    wait_blocked(ctl, already + 1)
    return c


def test_swapdb_wakes_a_client_blocked_in_the_other_database(srv):
    ctl = srv.resp()
    waiter = start_blocked_in(srv, ctl, 1, "BLPOP", "l", "0")
    ctl.check("RPUSH", "l", "x", "y")  # in db 0: not the key it waits on
    time.sleep(0.05)
    assert info_field(ctl, "blocked_clients") == 1
    ctl.check("SWAPDB", "0", "1")
    assert waiter.read_reply() == [b"l", b"x"]
    assert ctl.cmd("EXISTS", "l") == 0
    ctl.check("SELECT", "1")
    assert ctl.cmd("LRANGE", "l", "0", "-1") == [b"y"]


def test_swapdb_wakes_clients_in_both_databases(srv):
    ctl = srv.resp()
    in0 = start_blocked_in(srv, ctl, 0, "BZPOPMIN", "z", "0")
    in1 = start_blocked_in(srv, ctl, 1, "BLMOVE", "src", "dst", "LEFT", "LEFT", "0", already=1)
    ctl.check("SELECT", "0")
    ctl.check("RPUSH", "src", "moved")
    ctl.check("SELECT", "1")
    ctl.check("ZADD", "z", "7", "m")
    ctl.check("SWAPDB", "1", "0")
    assert in0.read_reply() == [b"z", b"m", b"7"]
    assert in1.read_reply() == b"moved"
    wait_blocked(ctl, 0)
    assert ctl.cmd("LRANGE", "dst", "0", "-1") == [b"moved"]  # db 1: the waiter's database
    ctl.check("SELECT", "0")
    assert ctl.cmd("EXISTS", "z", "src", "dst") == 0


def test_swapdb_serves_waiters_in_blocking_order(srv):
    ctl = srv.resp()
    first = start_blocked_in(srv, ctl, 1, "BRPOP", "q", "0")
    second = start_blocked_in(srv, ctl, 1, "BRPOP", "q", "0", already=1)
    ctl.check("LPUSH", "q", "only")
    ctl.check("SWAPDB", "0", "1")
    assert first.read_reply() == [b"q", b"only"]
    wait_blocked(ctl, 1)
    ctl.check("SELECT", "1")
    ctl.check("LPUSH", "q", "next")
    assert second.read_reply() == [b"q", b"next"]


def test_swapdb_bringing_nothing_or_another_type_keeps_waiters_blocked(srv):
    ctl = srv.resp()
    lw = start_blocked_in(srv, ctl, 1, "BLPOP", "k", "0")
    ctl.check("SET", "k", "string")  # db 0
    ctl.check("SWAPDB", "0", "1")     # brings a string: stays blocked
    ctl.check("SWAPDB", "1", "2")     # brings an empty database: stays blocked
    time.sleep(0.05)
    assert info_field(ctl, "blocked_clients") == 1
    ctl.check("SELECT", "1")
    ctl.check("RPUSH", "k", "v")
    assert lw.read_reply() == [b"k", b"v"]


def test_swapdb_inside_exec_wakes_after_the_transaction(srv):
    ctl = srv.resp()
    waiter = start_blocked_in(srv, ctl, 3, "BLPOP", "k", "0")
    ctl.check("MULTI")
    ctl.check("RPUSH", "k", "a", "b")
    ctl.check("SWAPDB", "0", "3")
    ctl.check("RPUSH", "k", "c")  # db 0 again: the swapped-in empty one
    assert ctl.cmd("EXEC") == [2, b"OK", 1]
    assert waiter.read_reply() == [b"k", b"a"]
    assert ctl.cmd("LRANGE", "k", "0", "-1") == [b"c"]
    ctl.check("SELECT", "3")
    assert ctl.cmd("LRANGE", "k", "0", "-1") == [b"b"]


# --- MULTI/EXEC -------------------------------------------------------------

def test_exec_push_wakes_after_the_whole_transaction(srv):
    ctl = srv.resp()
    waiter = start_blocked(srv, ctl, "BLPOP", "k", "0")
    ctl.check("MULTI")
    ctl.check("RPUSH", "k", "x")
    ctl.check("RPUSH", "k", "y")
    ctl.check("LPOP", "k")
    assert ctl.cmd("EXEC") == [1, 2, b"x"]
    assert waiter.read_reply() == [b"k", b"y"]
    assert ctl.cmd("EXISTS", "k") == 0


def test_blocking_forms_inside_multi_do_not_block(srv):
    c = srv.resp()
    c.check("MULTI")
    for args in (("BLPOP", "k", "0"), ("BRPOP", "k", "0"), ("BLMOVE", "k", "d", "LEFT", "LEFT", "0"),
                 ("BRPOPLPUSH", "k", "d", "0"), ("BLMPOP", "0", "1", "k", "LEFT"),
                 ("BZPOPMIN", "k", "0"), ("BZPOPMAX", "k", "0"), ("BZMPOP", "0", "1", "k", "MAX")):
        assert c.cmd(*args) == b"QUEUED"
    c.send("EXEC")
    raw = c.read_raw_reply()
    assert raw == b"*8\r\n*-1\r\n*-1\r\n$-1\r\n$-1\r\n*-1\r\n*-1\r\n*-1\r\n*-1\r\n"
    c.check("RPUSH", "k", "v")
    c.check("MULTI")
    c.check("BLPOP", "k", "0")
    assert c.cmd("EXEC") == [[b"k", b"v"]]


# --- timeouts ---------------------------------------------------------------

@pytest.mark.parametrize("args", [
    ("BLPOP", "k", "0.05"), ("BRPOP", "k", "k2", "0.05"),
    ("BLMOVE", "k", "d", "LEFT", "LEFT", "0.05"), ("BRPOPLPUSH", "k", "d", ".05"),
    ("BLMPOP", "0.05", "1", "k", "LEFT"), ("BZPOPMIN", "k", "0.05"), ("BZPOPMAX", "k", "5e-2"),
    ("BZMPOP", "0.05", "1", "k", "MIN", "COUNT", "3")], ids=lambda a: a[0])
def test_timeout_replies_a_null_array(srv, args):
    c = srv.resp()
    start = time.monotonic()
    assert c.cmd_raw(*args) == b"*-1\r\n"
    elapsed = time.monotonic() - start
    assert 0.04 <= elapsed < 2
    c3 = srv.resp(protocol=3)
    assert c3.cmd_raw(*args) == b"_\r\n"
    assert info_field(c, "blocked_clients") == 0


def test_tiny_timeout_rounds_up_to_a_millisecond(srv):
    c = srv.resp()
    assert c.cmd_raw("BLPOP", "k", "0.0001") == b"*-1\r\n"


def test_pipelined_commands_wait_while_blocked(srv):
    ctl = srv.resp()
    c = srv.resp()
    c.sock.sendall(b"*3\r\n$5\r\nBLPOP\r\n$1\r\nk\r\n$1\r\n0\r\n*1\r\n$4\r\nPING\r\n")
    wait_blocked(ctl, 1)
    data, closed = c.read_available_raw(0.1)
    assert data == b"" and not closed
    ctl.check("RPUSH", "k", "v")
    assert c.read_reply() == [b"k", b"v"]
    assert c.read_reply() == b"PONG"


def test_timeout_then_pipelined_command_runs(srv):
    c = srv.resp()
    replies = c.pipeline([("BLPOP", "k", "0.02"), ("PING",)], raw=True)
    assert replies == [b"*-1\r\n", b"+PONG\r\n"]


# --- CLIENT UNBLOCK, flags, INFO ------------------------------------------

def test_client_unblock_timeout_and_error(srv):
    ctl = srv.resp()
    w = srv.resp()
    wid = w.cmd("CLIENT", "ID")
    w.send("BLPOP", "k", "0")
    wait_blocked(ctl, 1)
    assert ctl.cmd("CLIENT", "UNBLOCK", wid) == 1
    assert w.read_raw_reply() == b"*-1\r\n"
    assert ctl.cmd("CLIENT", "UNBLOCK", wid) == 0
    w.send("BZPOPMIN", "z", "0")
    wait_blocked(ctl, 1)
    assert ctl.cmd("CLIENT", "UNBLOCK", wid, "error") == 1
    assert err(w.read_reply()) == "UNBLOCKED client unblocked via CLIENT UNBLOCK"
    w.send("BLMOVE", "a", "b", "LEFT", "LEFT", "0")
    wait_blocked(ctl, 1)
    assert ctl.cmd("CLIENT", "UNBLOCK", wid, "TIMEOUT") == 1
    assert w.read_raw_reply() == b"*-1\r\n"
    assert w.cmd("PING") == b"PONG"
    assert ctl.cmd("CLIENT", "UNBLOCK", "999999") == 0
    assert ctl.cmd("CLIENT", "UNBLOCK", ctl.cmd("CLIENT", "ID")) == 0


def test_client_unblock_errors(srv):
    c = srv.resp()
    assert err(c.cmd("CLIENT", "UNBLOCK", "x")) == "ERR value is not an integer or out of range"
    assert err(c.cmd("CLIENT", "UNBLOCK", "1", "foo")) == \
        "ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR"
    assert err(c.cmd("CLIENT", "UNBLOCK", "1", "timeout", "x")) == \
        "ERR unknown subcommand or wrong number of arguments for 'UNBLOCK'. Try CLIENT HELP."
    assert err(c.cmd("CLIENT", "UNBLOCK")) == \
        "ERR wrong number of arguments for 'client|unblock' command"


def test_client_list_flag_and_info_counters(srv):
    ctl = srv.resp()
    w = srv.resp()
    wid = w.cmd("CLIENT", "ID")
    w.send("BLPOP", "k", "100")
    wait_blocked(ctl, 1)
    line = ctl.cmd("CLIENT", "LIST", "ID", wid).decode()
    assert " flags=b " in line and " cmd=blpop " in line
    assert info_field(ctl, "clients_in_timeout_table") == 1
    w2 = start_blocked(srv, ctl, "BRPOP", "k", "0", already=1)
    assert info_field(ctl, "clients_in_timeout_table") == 1
    ctl.check("RPUSH", "k", "1", "2")
    assert w.read_reply() == [b"k", b"1"]
    assert w2.read_reply() == [b"k", b"2"]
    assert info_field(ctl, "blocked_clients") == 0
    assert info_field(ctl, "clients_in_timeout_table") == 0
    line = ctl.cmd("CLIENT", "LIST", "ID", wid).decode()
    assert " flags=N " in line


# --- disconnects, wrong types --------------------------------------------------

def test_disconnected_waiter_loses_no_element(srv):
    ctl = srv.resp()
    gone = start_blocked(srv, ctl, "BLPOP", "k", "0")
    gone.close()
    wait_blocked(ctl, 0)
    ctl.check("RPUSH", "k", "kept")
    assert ctl.cmd("LRANGE", "k", "0", "-1") == [b"kept"]
    # a waiter behind a disconnected one is served
    gone = start_blocked(srv, ctl, "BLPOP", "j", "0")
    live = start_blocked(srv, ctl, "BLPOP", "j", "0", already=1)
    gone.close()
    wait_blocked(ctl, 1)
    ctl.check("RPUSH", "j", "v")
    assert live.read_reply() == [b"j", b"v"]


def test_wrong_type_at_once(srv):
    c = srv.resp()
    c.check("SET", "s", "x")
    c.check("ZADD", "z", "1", "m")
    assert err(c.cmd("BLPOP", "s", "0")) == WRONGTYPE
    assert err(c.cmd("BLPOP", "empty", "s", "0")) == WRONGTYPE
    assert err(c.cmd("BLMOVE", "s", "d", "LEFT", "LEFT", "0")) == WRONGTYPE
    assert err(c.cmd("BLMPOP", "0", "1", "z", "LEFT")) == WRONGTYPE
    assert err(c.cmd("BZPOPMIN", "s", "0")) == WRONGTYPE
    assert err(c.cmd("BZMPOP", "0", "2", "none", "s", "MIN")) == WRONGTYPE
    c.check("RPUSH", "l", "a")
    assert err(c.cmd("BLMOVE", "l", "s", "LEFT", "LEFT", "0")) == WRONGTYPE
    assert c.cmd("LRANGE", "l", "0", "-1") == [b"a"]


def test_key_of_another_type_keeps_waiters_blocked(srv):
    ctl = srv.resp()
    lw = start_blocked(srv, ctl, "BLPOP", "k", "0")
    zw = start_blocked(srv, ctl, "BZPOPMIN", "k", "0", already=1)
    ctl.check("SET", "k", "string")
    time.sleep(0.05)
    assert info_field(ctl, "blocked_clients") == 2
    ctl.check("DEL", "k")
    ctl.check("ZADD", "k", "5", "m")
    assert zw.read_reply() == [b"k", b"m", b"5"]
    wait_blocked(ctl, 1)
    ctl.check("RPUSH", "k", "v")
    assert lw.read_reply() == [b"k", b"v"]


def test_blmove_to_a_destination_of_another_type_on_wake(srv):
    ctl = srv.resp()
    w = start_blocked(srv, ctl, "BLMOVE", "src", "dst", "LEFT", "LEFT", "0")
    ctl.check("SET", "dst", "string")
    ctl.check("RPUSH", "src", "x")
    assert err(w.read_reply()) == WRONGTYPE
    assert ctl.cmd("LRANGE", "src", "0", "-1") == [b"x"]
    assert info_field(ctl, "blocked_clients") == 0


# --- argument errors ------------------------------------------------------------

def test_bad_timeouts(srv):
    c = srv.resp()
    not_float = "ERR timeout is not a float or out of range"
    negative = "ERR timeout is negative"
    for t, expected in (("abc", not_float), ("-1", negative), ("-0.5", negative),
                        (" 1", not_float), ("nan", not_float), ("inf", negative),
                        ("1e300", negative), ("", not_float)):
        assert err(c.cmd("BLPOP", "k", t)) == expected, t
        assert err(c.cmd("BZPOPMAX", "k", t)) == expected, t
        assert err(c.cmd("BLMPOP", t, "1", "k", "LEFT")) == expected, t
        assert err(c.cmd("BZMPOP", t, "1", "k", "MIN")) == expected, t
        assert err(c.cmd("BRPOPLPUSH", "a", "b", t)) == expected, t
        assert err(c.cmd("BLMOVE", "a", "b", "LEFT", "RIGHT", t)) == expected, t
    # BLMOVE checks its directions before the timeout
    assert err(c.cmd("BLMOVE", "a", "b", "UP", "RIGHT", "x")) == SYNTAX
    # -0.0001 rounds up to 0: forever; CLIENT UNBLOCK ends it
    ctl = srv.resp()
    w = srv.resp()
    wid = w.cmd("CLIENT", "ID")
    w.send("BLPOP", "k", "-0.0001")
    wait_blocked(ctl, 1)
    assert ctl.cmd("CLIENT", "UNBLOCK", wid) == 1
    assert w.read_reply() is None


def test_arity_and_syntax_errors(srv):
    c = srv.resp()
    for cmd in (("BLPOP", "k"), ("BRPOP", "k"), ("BZPOPMIN", "k"), ("BZPOPMAX",),
                ("BLMPOP", "0", "1", "k"), ("BZMPOP", "0", "1"), ("BRPOPLPUSH", "a", "b"),
                ("BLMOVE", "a", "b", "LEFT", "LEFT")):
        assert err(c.cmd(*cmd)) == \
            f"ERR wrong number of arguments for '{cmd[0].lower()}' command"
    assert err(c.cmd("BLMPOP", "0", "0", "k", "LEFT")) == "ERR numkeys should be greater than 0"
    assert err(c.cmd("BLMPOP", "0", "x", "k", "LEFT")) == "ERR numkeys should be greater than 0"
    assert err(c.cmd("BLMPOP", "0", "2", "k", "LEFT")) == SYNTAX
    assert err(c.cmd("BLMPOP", "0", "1", "k", "UP")) == SYNTAX
    assert err(c.cmd("BLMPOP", "0", "1", "k", "LEFT", "COUNT", "0")) == \
        "ERR count should be greater than 0"
    assert err(c.cmd("BLMPOP", "0", "1", "k", "LEFT", "COUNT")) == SYNTAX
    assert err(c.cmd("BLMPOP", "0", "1", "k", "LEFT", "COUNT", "1", "COUNT", "1")) == SYNTAX
    assert err(c.cmd("BZMPOP", "0", "1", "k", "LEFT")) == SYNTAX
    assert err(c.cmd("BZMPOP", "0", "1", "k", "MIN", "COUNT", "-1")) == \
        "ERR count should be greater than 0"
    assert err(c.cmd("BZMPOP", "0", "-1", "k", "MIN")) == "ERR numkeys should be greater than 0"


# --- RESP3 ------------------------------------------------------------------------

def test_resp3_reply_forms(srv):
    ctl = srv.resp()
    w = start_blocked(srv, ctl, "BLPOP", "l", "0", protocol=3)
    ctl.check("RPUSH", "l", "v")
    assert w.read_raw_reply() == b"*2\r\n$1\r\nl\r\n$1\r\nv\r\n"
    w.send("BZPOPMIN", "z", "0")
    wait_blocked(ctl, 1)
    ctl.check("ZADD", "z", "1.5", "m")
    reply = w.read_reply()
    assert reply == [b"z", b"m", 1.5] and isinstance(reply[2], Double)
    w.send("BZMPOP", "0", "1", "z", "MAX")
    wait_blocked(ctl, 1)
    ctl.check("ZADD", "z", "2", "a")
    reply = w.read_reply()
    assert reply == [b"z", [[b"a", 2.0]]] and isinstance(reply[1][0][1], Double)
    ctl.check("ZADD", "z", "3", "b")
    reply = w.cmd("BZPOPMAX", "z", "0")
    assert reply == [b"z", b"b", 3.0] and isinstance(reply[2], Double)


# --- producers and consumers ------------------------------------------------------

def test_producers_and_consumers_lose_and_duplicate_nothing(srv):
    producers, consumers, jobs_each = 4, 4, 500
    received = [[] for _ in range(consumers)]
    errors = []

    def consume(i):
        try:
            c = srv.client()
            while True:
                _, job = c.brpop(["jobs"], timeout=10)
                if job == b"STOP":
                    return
                received[i].append(job)
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)

    def produce(p):
        try:
            c = srv.client()
            for start in range(0, jobs_each, 50):
                pipe = c.pipeline(transaction=False)
                for j in range(start, start + 50):
                    pipe.lpush("jobs", f"{p}:{j}")
                pipe.execute()
        except Exception as e:  # noqa: BLE001
            errors.append(e)

    threads = [threading.Thread(target=consume, args=(i,)) for i in range(consumers)]
    for t in threads:
        t.start()
    ctl = srv.resp()
    wait_blocked(ctl, consumers)
    prods = [threading.Thread(target=produce, args=(p,)) for p in range(producers)]
    for t in prods:
        t.start()
    for t in prods:
        t.join()
    ctl.check("LPUSH", "jobs", *(["STOP"] * consumers))
    for t in threads:
        t.join(30)
    assert not errors
    got = [job for r in received for job in r]
    assert len(got) == producers * jobs_each
    assert set(got) == {f"{p}:{j}".encode() for p in range(producers) for j in range(jobs_each)}
    assert ctl.cmd("EXISTS", "jobs") == 0
