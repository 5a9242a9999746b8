"""Stream consumer groups: XGROUP (CREATE with MKSTREAM/ENTRIESREAD/$, SETID,
DESTROY, CREATECONSUMER, DELCONSUMER, HELP), XINFO GROUPS, XINFO CONSUMERS,
XINFO STREAM FULL's groups, with Redis 7.0.15's lag and entries-read
arithmetic, exact errors in Redis's check order and RESP3 shapes."""

import threading
import time

import pytest

from resp3 import RespMap
from replies import err, NOT_INT, WRONGTYPE

INVALID_ID = "ERR Invalid stream ID specified as stream command argument"
NO_KEY = ("ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may "
          "want to use the MKSTREAM option to create an empty stream automatically.")
BUSY = "BUSYGROUP Consumer Group name already exists"
ENTRIESREAD = "ERR value for ENTRIESREAD must be positive or -1"


def syntax(sub):
    return f"ERR unknown subcommand or wrong number of arguments for '{sub}'. Try XGROUP HELP."


def nogroup(key, group):
    return f"NOGROUP No such consumer group '{group}' for key name '{key}'"


def fill3(c, key="s"):
    for i in (1, 2, 3):
        c.check("XADD", key, f"{i}-0", "a", str(i))


def groups(c, key="s"):
    """XINFO GROUPS as a list of dicts (RESP2 flat arrays)."""
    out = []
    for flat in c.cmd("XINFO", "GROUPS", key):
        out.append({flat[i].decode(): flat[i + 1] for i in range(0, len(flat), 2)})
    return out


@pytest.mark.parametrize("args,name", [
    (["XGROUP", "CREATE", "s"], "xgroup|create"),
    (["XGROUP", "CREATE", "s", "g"], "xgroup|create"),
    (["XGROUP", "SETID", "s", "g"], "xgroup|setid"),
    (["XGROUP", "DESTROY", "s"], "xgroup|destroy"),
    (["XGROUP", "DESTROY", "s", "g", "x"], "xgroup|destroy"),
    (["XGROUP", "CREATECONSUMER", "s", "g"], "xgroup|createconsumer"),
    (["XGROUP", "CREATECONSUMER", "s", "g", "c", "x"], "xgroup|createconsumer"),
    (["XGROUP", "DELCONSUMER", "s", "g"], "xgroup|delconsumer"),
    (["XGROUP", "HELP", "x"], "xgroup|help"),
    (["XINFO", "GROUPS"], "xinfo|groups"),
    (["XINFO", "GROUPS", "s", "x"], "xinfo|groups"),
    (["XINFO", "CONSUMERS", "s"], "xinfo|consumers"),
])
def test_arity(c, args, name):
    assert err(c.cmd(*args)) == f"ERR wrong number of arguments for '{name}' command"


def test_unknown_subcommand(c):
    assert err(c.cmd("XGROUP", "FOO", "s")) == "ERR unknown subcommand 'FOO'. Try XGROUP HELP."
    assert err(c.cmd("XINFO", "foo")) == "ERR unknown subcommand 'foo'. Try XINFO HELP."


def test_help(c):
    lines = c.cmd("XGROUP", "HELP")
    assert lines[0] == b"XGROUP <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"
    assert len(lines) == 17 and lines[-1] == b"    Prints this help."
    lines = c.cmd("XINFO", "help")
    assert lines[1] == b"CONSUMERS <key> <groupname>" and len(lines) == 9


@pytest.mark.parametrize("args", [
    ["XGROUP", "CREATE", "str", "g", "0"], ["XGROUP", "CREATE", "str", "g", "0", "MKSTREAM"],
    ["XGROUP", "SETID", "str", "g", "0"], ["XGROUP", "DESTROY", "str", "g"],
    ["XGROUP", "CREATECONSUMER", "str", "g", "c"], ["XGROUP", "DELCONSUMER", "str", "g", "c"],
    ["XGROUP", "SETID", "str", "g", "0", "ENTRIESREAD", "1", "ENTRIESREAD", "1"],
    ["XINFO", "GROUPS", "str"], ["XINFO", "CONSUMERS", "str", "g"],
])
def test_wrong_type(c, args):
    c.check("SET", "str", "x")
    assert err(c.cmd(*args)) == WRONGTYPE


def test_create_errors_in_redis_order(c):
    assert err(c.cmd("XGROUP", "CREATE", "s", "g", "$")) == NO_KEY
    assert err(c.cmd("XGROUP", "CREATE", "s", "g", "0", "ENTRIESREAD", "-5")) == ENTRIESREAD
    assert err(c.cmd("XGROUP", "CREATE", "s", "g", "0", "ENTRIESREAD", "x")) == NOT_INT
    assert err(c.cmd("XGROUP", "CREATE", "s", "g", "0", "ENTRIESREAD",
                     "99999999999999999999")) == NOT_INT
    assert err(c.cmd("XGROUP", "CREATE", "s", "g", "0", "foo")) == syntax("CREATE")
    assert err(c.cmd("XGROUP", "CREATE", "s", "g", "0", "ENTRIESREAD")) == syntax("CREATE")
    assert err(c.cmd("XGROUP", "create", "s", "g", "0", "MKSTREAM", "MKSTREAM", "MKSTREAM",
                     "MKSTREAM")) == syntax("create")
    # An invalid ID with MKSTREAM creates nothing.
    assert err(c.cmd("XGROUP", "CREATE", "s", "g", "bad", "MKSTREAM")) == INVALID_ID
    assert c.cmd("EXISTS", "s") == 0
    assert c.cmd("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM") == b"OK"
    assert c.cmd("TYPE", "s") == b"stream" and c.cmd("XLEN", "s") == 0
    assert err(c.cmd("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM")) == BUSY
    assert err(c.cmd("XGROUP", "CREATE", "s", "g", "0", "MKSTREAM", "MKSTREAM", "MKSTREAM")) == BUSY
    assert err(c.cmd("XGROUP", "CREATE", "s", "g", "bad")) == INVALID_ID
    assert err(c.cmd("XGROUP", "CREATE", "s", "h", "-")) == INVALID_ID
    assert err(c.cmd("XGROUP", "CREATE", "s", "h", "+")) == INVALID_ID
    assert c.cmd("XGROUP", "CREATE", "s", "h",
                 "18446744073709551615-18446744073709551615") == b"OK"
    assert c.cmd("XINFO", "STREAM", "s")[15] == 2  # the stream's group count


def test_setid_errors_in_redis_order(c):
    assert err(c.cmd("XGROUP", "SETID", "s", "g", "0")) == NO_KEY
    assert err(c.cmd("XGROUP", "SETID", "s", "g", "0", "ENTRIESREAD", "-2")) == ENTRIESREAD
    assert err(c.cmd("XGROUP", "SETID", "s", "g", "0", "foo", "5")) == syntax("SETID")
    assert err(c.cmd("XGROUP", "SETID", "s", "g", "0", "MKSTREAM")) == syntax("SETID")
    fill3(c)
    assert c.cmd("XGROUP", "CREATE", "s", "g", "0") == b"OK"
    assert err(c.cmd("XGROUP", "SETID", "s", "nog", "bad")) == nogroup("s", "nog")
    assert err(c.cmd("XGROUP", "SETID", "s", "nog", "0", "ENTRIESREAD", "1", "ENTRIESREAD",
                     "1")) == nogroup("s", "nog")
    assert err(c.cmd("XGROUP", "SETID", "s", "g", "0", "ENTRIESREAD", "1", "ENTRIESREAD",
                     "1")) == syntax("SETID")
    assert err(c.cmd("XGROUP", "SETID", "s", "g", "bad")) == INVALID_ID
    assert err(c.cmd("XGROUP", "SETID", "s", "g", "bad", "ENTRIESREAD", "x")) == NOT_INT
    assert err(c.cmd("XGROUP", "SETID", "s", "g", "0", "ENTRIESREAD", "-2", "x")) == ENTRIESREAD
    # SETID accepts "-" and "+", unlike CREATE.
    assert c.cmd("XGROUP", "SETID", "s", "g", "+") == b"OK"
    assert groups(c)[0]["last-delivered-id"] == b"18446744073709551615-18446744073709551615"
    assert c.cmd("XGROUP", "SETID", "s", "g", "-") == b"OK"
    assert groups(c)[0]["last-delivered-id"] == b"0-0"
    assert c.cmd("XGROUP", "SETID", "s", "g", "$", "ENTRIESREAD", "3") == b"OK"
    assert groups(c)[0] == {"name": b"g", "consumers": 0, "pending": 0,
                            "last-delivered-id": b"3-0", "entries-read": 3, "lag": 0}


def test_lag_and_entries_read(c):
    fill3(c)
    assert c.cmd("XGROUP", "CREATE", "s", "g", "0") == b"OK"
    assert c.cmd("XGROUP", "CREATE", "s", "g1", "$") == b"OK"
    assert c.cmd("XGROUP", "CREATE", "s", "g2", "2-0", "ENTRIESREAD", "1") == b"OK"
    assert c.cmd("XGROUP", "CREATE", "s", "g3", "9-0") == b"OK"
    assert c.cmd("XGROUP", "CREATE", "s", "g4", "1-0") == b"OK"
    got = {g["name"]: (g["last-delivered-id"], g["entries-read"], g["lag"]) for g in groups(c)}
    assert got == {b"g": (b"0-0", None, 3), b"g1": (b"3-0", None, 0), b"g2": (b"2-0", 1, 2),
                   b"g3": (b"9-0", None, None), b"g4": (b"1-0", None, 2)}
    assert [g["name"] for g in groups(c)] == [b"g", b"g1", b"g2", b"g3", b"g4"]
    c.check("XDEL", "s", "2-0")
    got = {g["name"]: (g["entries-read"], g["lag"]) for g in groups(c)}
    assert got == {b"g": (None, None), b"g1": (None, 0), b"g2": (1, None), b"g3": (None, None),
                   b"g4": (None, None)}
    # An emptied stream: every ID at or below the last one has read everything.
    c.check("XTRIM", "s", "MAXLEN", "0")
    got = {g["name"]: g["lag"] for g in groups(c)}
    assert got == {b"g": 0, b"g1": 0, b"g2": 2, b"g3": None, b"g4": 0}


def test_groups_sorted_by_name(c):
    fill3(c)
    for name in ("zeta", "alpha", "Mid", "alpha2", ""):
        assert c.cmd("XGROUP", "CREATE", "s", name, "0") == b"OK"
    assert [g["name"] for g in groups(c)] == [b"", b"Mid", b"alpha", b"alpha2", b"zeta"]


def test_destroy(c):
    assert err(c.cmd("XGROUP", "DESTROY", "s", "g")) == NO_KEY
    fill3(c)
    assert c.cmd("XGROUP", "CREATE", "s", "g", "0") == b"OK"
    assert c.cmd("XGROUP", "CREATE", "s", "gg", "0") == b"OK"
    assert c.cmd("XGROUP", "CREATECONSUMER", "s", "g", "c") == 1
    assert c.cmd("XGROUP", "DESTROY", "s", "nog") == 0
    assert c.cmd("XGROUP", "DESTROY", "s", "g") == 1
    assert c.cmd("XGROUP", "DESTROY", "s", "g") == 0
    assert [g["name"] for g in groups(c)] == [b"gg"]
    assert c.cmd("XINFO", "STREAM", "s")[15] == 1
    # A re-created group starts with no consumers.
    assert c.cmd("XGROUP", "CREATE", "s", "g", "0") == b"OK"
    assert c.cmd("XINFO", "CONSUMERS", "s", "g") == []
    assert c.cmd("XLEN", "s") == 3


def test_consumers(c):
    assert err(c.cmd("XGROUP", "CREATECONSUMER", "s", "g", "c")) == NO_KEY
    assert err(c.cmd("XGROUP", "DELCONSUMER", "s", "g", "c")) == NO_KEY
    assert err(c.cmd("XINFO", "CONSUMERS", "s", "g")) == "ERR no such key"
    fill3(c)
    assert err(c.cmd("XGROUP", "CREATECONSUMER", "s", "g", "c")) == nogroup("s", "g")
    assert err(c.cmd("XGROUP", "DELCONSUMER", "s", "g", "c")) == nogroup("s", "g")
    assert err(c.cmd("XINFO", "CONSUMERS", "s", "g")) == nogroup("s", "g")
    assert c.cmd("XGROUP", "CREATE", "s", "g", "0") == b"OK"
    assert c.cmd("XGROUP", "CREATE", "s", "gg", "0") == b"OK"
    assert c.cmd("XGROUP", "CREATECONSUMER", "s", "g", "bob") == 1
    assert c.cmd("XGROUP", "CREATECONSUMER", "s", "g", "bob") == 0
    assert c.cmd("XGROUP", "CREATECONSUMER", "s", "g", "alice") == 1
    assert c.cmd("XGROUP", "CREATECONSUMER", "s", "gg", "carol") == 1
    info = c.cmd("XINFO", "CONSUMERS", "s", "g")
    assert [i[1] for i in info] == [b"alice", b"bob"]
    for i in info:
        assert i[0::2] == [b"name", b"pending", b"idle"] and i[3] == 0 and 0 <= i[5] < 5000
    assert groups(c)[0]["consumers"] == 2 and groups(c)[1]["consumers"] == 1
    assert c.cmd("XGROUP", "DELCONSUMER", "s", "g", "nobody") == 0
    assert c.cmd("XGROUP", "DELCONSUMER", "s", "g", "bob") == 0
    assert [i[1] for i in c.cmd("XINFO", "CONSUMERS", "s", "g")] == [b"alice"]
    assert groups(c)[0]["consumers"] == 1


def test_xinfo_stream_full_groups(c):
    fill3(c)
    assert c.cmd("XGROUP", "CREATE", "s", "g", "1-0", "ENTRIESREAD", "1") == b"OK"
    assert c.cmd("XGROUP", "CREATECONSUMER", "s", "g", "bob") == 1
    full = c.cmd("XINFO", "STREAM", "s", "FULL")
    assert full[16] == b"groups"
    (g,) = full[17]
    assert g[:12] == [b"name", b"g", b"last-delivered-id", b"1-0", b"entries-read", 1,
                      b"lag", 2, b"pel-count", 0, b"pending", []]
    assert g[12] == b"consumers"
    (bob,) = g[13]
    assert bob[0:2] == [b"name", b"bob"] and bob[2] == b"seen-time" and bob[4:] == [
        b"pel-count", 0, b"pending", []]


def test_resp3_shapes(c3):
    for i in (1, 2):
        c3.check("XADD", "s", f"{i}-0", "a", str(i))
    c3.check("XGROUP", "CREATE", "s", "g", "9-0")
    assert c3.cmd("XGROUP", "CREATECONSUMER", "s", "g", "c") == 1
    (g,) = c3.cmd("XINFO", "GROUPS", "s")
    assert isinstance(g, RespMap)
    assert g[b"entries-read"] is None and g[b"lag"] is None and g[b"consumers"] == 1
    (cons,) = c3.cmd("XINFO", "CONSUMERS", "s", "g")
    assert isinstance(cons, RespMap) and cons[b"name"] == b"c"
    full = c3.cmd("XINFO", "STREAM", "s", "FULL")
    (g,) = full[b"groups"]
    assert isinstance(g, RespMap) and g[b"pel-count"] == 0
    (cons,) = g[b"consumers"]
    assert isinstance(cons, RespMap) and cons[b"pending"] == []
    assert c3.cmd_raw("XINFO", "GROUPS", "s").endswith(
        b"$12\r\nentries-read\r\n_\r\n$3\r\nlag\r\n_\r\n")


def test_del_and_recreate_drops_groups(c):
    fill3(c)
    assert c.cmd("XGROUP", "CREATE", "s", "g", "0") == b"OK"
    assert c.cmd("DEL", "s") == 1
    fill3(c)
    assert c.cmd("XINFO", "GROUPS", "s") == []
    assert c.cmd("XRANGE", "s", "-", "+")[-1][0] == b"3-0"


def test_entries_reads_ignore_group_records(c):
    c.check("XADD", "s", "18446744073709551615-18446744073709551614", "a", "1")
    assert c.cmd("XGROUP", "CREATE", "s", "g", "0") == b"OK"
    assert c.cmd("XGROUP", "CREATECONSUMER", "s", "g", "c") == 1
    assert c.cmd("XRANGE", "s", "-", "+") == [
        [b"18446744073709551615-18446744073709551614", [b"a", b"1"]]]
    assert c.cmd("XREVRANGE", "s", "+", "-", "COUNT", "1")[0][0] == \
        b"18446744073709551615-18446744073709551614"
    assert c.cmd("XREAD", "STREAMS", "s", "0")[0][1][0][1] == [b"a", b"1"]
    assert c.cmd("XLEN", "s") == 1
    assert c.cmd("XTRIM", "s", "MAXLEN", "0") == 1
    assert c.cmd("XRANGE", "s", "-", "+") == []
    assert groups(c)[0]["consumers"] == 1


# --------------------------------------------------------------------------
# XREADGROUP, XACK, XPENDING
# --------------------------------------------------------------------------

NOGROUP_READ = "NOGROUP No such key '{}' or consumer group '{}' in XREADGROUP with GROUP option"
DOLLAR = ("ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history "
          "of this consumer by specifying a proper ID, or use the > ID to get new messages. The "
          "$ ID would just return an empty result set.")


def rg(c, consumer, *rest, group="g"):
    return c.cmd("XREADGROUP", "GROUP", group, consumer, *rest)


def pending_flat(c, *args):
    """XPENDING extended form without the idle times (they vary)."""
    return [[e[0], e[1], e[3]] for e in c.cmd("XPENDING", "s", "g", *args)]


@pytest.mark.parametrize("args", [
    ["XREADGROUP", "GROUP", "g", "c", "STREAMS", "s"], ["XREADGROUP", "COUNT", "1", "STREAMS", "s", ">"],
    ["XACK", "s", "g"], ["XPENDING", "s"],
])
def test_read_arity(c, args):
    name = args[0].lower()
    assert err(c.cmd(*args)) == f"ERR wrong number of arguments for '{name}' command"


def test_xreadgroup_parse_errors(c):
    fill3(c)
    c.check("XGROUP", "CREATE", "s", "g", "0")
    unbalanced = ("ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must "
                  "be specified.")
    assert err(rg(c, "c", "STREAMS", "s", "s", ">")) == unbalanced
    assert err(rg(c, "c", "FOO", "1", "STREAMS", "s", ">")) == "ERR syntax error"
    assert err(rg(c, "c", "COUNT", "x", "STREAMS", "s", ">")) == NOT_INT
    assert err(rg(c, "c", "BLOCK", "x", "STREAMS", "s", ">")) == \
        "ERR timeout is not an integer or out of range"
    assert err(rg(c, "c", "BLOCK", "-1", "STREAMS", "s", ">")) == "ERR timeout is negative"
    assert err(c.cmd("XREADGROUP", "COUNT", "1", "STREAMS", "s", "t", ">", ">")) == \
        "ERR Missing GROUP option for XREADGROUP"
    assert err(rg(c, "c", "STREAMS", "s", "$")) == DOLLAR
    assert err(rg(c, "c", "STREAMS", "s", "bad")) == INVALID_ID
    assert err(rg(c, "c", "STREAMS", "nokey", ">")) == NOGROUP_READ.format("nokey", "g")
    assert err(rg(c, "c", "STREAMS", "s", ">", group="nog")) == NOGROUP_READ.format("s", "nog")
    # Per key in order: type, group, then the ID.
    c.check("SET", "str", "x")
    assert err(rg(c, "c", "STREAMS", "s", "str", "bad", ">")) == INVALID_ID
    assert err(rg(c, "c", "STREAMS", "s", "str", ">", "bad")) == WRONGTYPE
    assert err(rg(c, "c", "STREAMS", "s", "nokey", ">", "$")) == NOGROUP_READ.format("nokey", "g")
    # Nothing was delivered by the failed reads.
    assert c.cmd("XPENDING", "s", "g")[0] == 0
    assert c.cmd("XINFO", "CONSUMERS", "s", "g") == []


def test_xreadgroup_new_entries_and_history(c):
    fill3(c)
    c.check("XGROUP", "CREATE", "s", "g", "0")
    got = rg(c, "alice", "COUNT", "2", "STREAMS", "s", ">")
    assert got == [[b"s", [[b"1-0", [b"a", b"1"]], [b"2-0", [b"a", b"2"]]]]]
    assert groups(c)[0]["last-delivered-id"] == b"2-0" and groups(c)[0]["entries-read"] == 2
    assert groups(c)[0]["lag"] == 1 and groups(c)[0]["pending"] == 2
    # History: the consumer's pending entries after the ID, delivery count up.
    assert rg(c, "alice", "STREAMS", "s", "0") == got
    assert rg(c, "alice", "STREAMS", "s", "1-0") == [[b"s", [[b"2-0", [b"a", b"2"]]]]]
    assert rg(c, "alice", "COUNT", "1", "STREAMS", "s", "0-0") == [[b"s", [got[0][1][0]]]]
    assert pending_flat(c, "-", "+", "10") == [[b"1-0", b"alice", 3], [b"2-0", b"alice", 3]]
    # A history read for a consumer with none serves an empty list (and creates it).
    assert rg(c, "bob", "STREAMS", "s", "0") == [[b"s", []]]
    # NOACK: delivered, not pending.
    assert rg(c, "bob", "NOACK", "STREAMS", "s", ">") == [[b"s", [[b"3-0", [b"a", b"3"]]]]]
    assert rg(c, "bob", "STREAMS", "s", ">") is None
    assert rg(c, "carol", "STREAMS", "s", ">") is None
    names = [i[1] for i in c.cmd("XINFO", "CONSUMERS", "s", "g")]
    assert names == [b"alice", b"bob"]  # ">" with nothing new creates no consumer
    assert groups(c)[0]["entries-read"] == 3 and groups(c)[0]["lag"] == 0
    # A deleted pending entry shows as [id, nil] in history.
    c.check("XDEL", "s", "1-0")
    assert rg(c, "alice", "STREAMS", "s", "0") == [
        [b"s", [[b"1-0", None], [b"2-0", [b"a", b"2"]]]]]


def test_xreadgroup_reassigns_after_setid(c):
    fill3(c)
    c.check("XGROUP", "CREATE", "s", "g", "0")
    rg(c, "alice", "STREAMS", "s", ">")
    c.check("XGROUP", "SETID", "s", "g", "0")
    rg(c, "bob", "COUNT", "1", "STREAMS", "s", ">")
    assert pending_flat(c, "-", "+", "10") == [
        [b"1-0", b"bob", 1], [b"2-0", b"alice", 1], [b"3-0", b"alice", 1]]
    assert c.cmd("XPENDING", "s", "g") == [3, b"1-0", b"3-0", [[b"alice", b"2"], [b"bob", b"1"]]]
    assert [i[3] for i in c.cmd("XINFO", "CONSUMERS", "s", "g")] == [2, 1]


def test_xreadgroup_several_keys(c):
    fill3(c, "a")
    fill3(c, "b")
    for k in ("a", "b"):
        c.check("XGROUP", "CREATE", k, "g", "$")
    c.check("XADD", "b", "4-0", "x", "y")
    assert rg(c, "c", "STREAMS", "a", "b", ">", ">") == [[b"b", [[b"4-0", [b"x", b"y"]]]]]
    assert rg(c, "c", "STREAMS", "a", "b", "0", "0") == [[b"a", []], [b"b", [[b"4-0", [b"x", b"y"]]]]]


def test_xack(c):
    assert c.cmd("XACK", "s", "g", "1-0") == 0
    assert c.cmd("XACK", "s", "g", "bad") == 0
    fill3(c)
    assert c.cmd("XACK", "s", "g", "1-0") == 0
    c.check("XGROUP", "CREATE", "s", "g", "0")
    rg(c, "alice", "COUNT", "2", "STREAMS", "s", ">")
    rg(c, "bob", "STREAMS", "s", ">")
    assert err(c.cmd("XACK", "s", "g", "1-0", "bad")) == INVALID_ID
    assert err(c.cmd("XACK", "s", "g", "-")) == INVALID_ID
    assert c.cmd("XACK", "s", "g", "1-0", "1-0", "9-0", "3") == 2
    assert c.cmd("XACK", "s", "g", "1-0") == 0
    assert c.cmd("XPENDING", "s", "g") == [1, b"2-0", b"2-0", [[b"alice", b"1"]]]
    assert [i[3] for i in c.cmd("XINFO", "CONSUMERS", "s", "g")] == [1, 0]
    c.check("SET", "str", "x")
    assert err(c.cmd("XACK", "str", "g", "1-0")) == WRONGTYPE
    assert err(c.cmd("XACK", "str", "g", "bad")) == WRONGTYPE
    assert c.cmd("XACK", "s", "nog", "bad") == 0
    assert c.cmd("XACK", "nokey", "g", "bad") == 0


def test_xpending(c):
    assert err(c.cmd("XPENDING", "s", "g")) == "NOGROUP No such key 's' or consumer group 'g'"
    assert err(c.cmd("XPENDING", "s", "g", "-", "+", "x")) == NOT_INT
    fill3(c)
    c.check("XGROUP", "CREATE", "s", "g", "0")
    assert err(c.cmd("XPENDING", "s", "nog")) == "NOGROUP No such key 's' or consumer group 'nog'"
    assert c.cmd("XPENDING", "s", "g") == [0, None, None, None]
    assert c.cmd("XPENDING", "s", "g", "-", "+", "10") == []
    rg(c, "alice", "COUNT", "2", "STREAMS", "s", ">")
    rg(c, "bob", "STREAMS", "s", ">")
    assert c.cmd("XPENDING", "s", "g") == [3, b"1-0", b"3-0", [[b"alice", b"2"], [b"bob", b"1"]]]
    assert pending_flat(c, "-", "+", "2") == [[b"1-0", b"alice", 1], [b"2-0", b"alice", 1]]
    assert pending_flat(c, "(1-0", "+", "10") == [[b"2-0", b"alice", 1], [b"3-0", b"bob", 1]]
    assert pending_flat(c, "-", "(3-0", "10") == [[b"1-0", b"alice", 1], [b"2-0", b"alice", 1]]
    assert pending_flat(c, "2", "3", "10") == [[b"2-0", b"alice", 1], [b"3-0", b"bob", 1]]
    assert pending_flat(c, "-", "+", "10", "bob") == [[b"3-0", b"bob", 1]]
    assert pending_flat(c, "-", "+", "10", "bob", "extra") == [[b"3-0", b"bob", 1]]
    assert pending_flat(c, "-", "+", "10", "nobody") == []
    assert pending_flat(c, "-", "+", "-1") == []
    assert pending_flat(c, "IDLE", "0", "-", "+", "10", "alice") == [
        [b"1-0", b"alice", 1], [b"2-0", b"alice", 1]]
    assert pending_flat(c, "IDLE", "600000", "-", "+", "10") == []
    e = c.cmd("XPENDING", "s", "g", "-", "+", "1")[0]
    assert 0 <= e[2] < 5000
    for args, want in [
        (["x"], "ERR syntax error"), (["-", "+"], "ERR syntax error"),
        (["IDLE", "5", "-", "+"], "ERR syntax error"), (["IDLE", "x", "-", "+", "1"], NOT_INT),
        (["IDLE", "5", "-", "+", "1", "c", "x", "y"], "ERR syntax error"),
        (["bad", "+", "1"], INVALID_ID), (["-", "bad", "1"], INVALID_ID),
        (["(", "+", "1"], INVALID_ID),
        (["(18446744073709551615-18446744073709551615", "+", "1"],
         "ERR invalid start ID for the interval"),
        (["-", "(0-0", "1"], "ERR invalid end ID for the interval"),
    ]:
        assert err(c.cmd("XPENDING", "s", "g", *args)) == want, args
    c.check("SET", "str", "x")
    assert err(c.cmd("XPENDING", "str", "g")) == WRONGTYPE


def test_delconsumer_drops_its_pending(c):
    fill3(c)
    c.check("XGROUP", "CREATE", "s", "g", "0")
    rg(c, "alice", "COUNT", "2", "STREAMS", "s", ">")
    rg(c, "bob", "STREAMS", "s", ">")
    assert c.cmd("XGROUP", "DELCONSUMER", "s", "g", "alice") == 2
    assert c.cmd("XPENDING", "s", "g") == [1, b"3-0", b"3-0", [[b"bob", b"1"]]]
    assert groups(c)[0]["pending"] == 1 and groups(c)[0]["consumers"] == 1
    full = c.cmd("XINFO", "STREAM", "s", "FULL")
    (g,) = full[17]
    assert g[9] == 1 and [[e[0], e[1], e[3]] for e in g[11]] == [[b"3-0", b"bob", 1]]
    (bob,) = g[13]
    assert bob[1] == b"bob" and bob[5] == 1 and [[e[0], e[2]] for e in bob[7]] == [[b"3-0", 1]]


def test_read_resp3(c3):
    c3.check("XADD", "s", "1-0", "a", "1")
    c3.check("XGROUP", "CREATE", "s", "g", "0")
    got = c3.cmd("XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">")
    assert isinstance(got, RespMap) and got[b"s"] == [[b"1-0", [b"a", b"1"]]]
    assert c3.cmd("XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">") is None
    assert c3.cmd_raw("XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">") == b"_\r\n"
    assert c3.cmd("XPENDING", "s", "g") == [1, b"1-0", b"1-0", [[b"c", b"1"]]]
    c3.check("XACK", "s", "g", "1-0")
    assert c3.cmd_raw("XPENDING", "s", "g") == b"*4\r\n:0\r\n_\r\n_\r\n_\r\n"
    c3.check("XDEL", "s", "1-0")


def test_xreadgroup_block_woken_by_xadd(flushed_server):
    c = flushed_server.resp()
    reader = flushed_server.resp()
    c.check("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM")
    result = {}

    def read():
        result["got"] = reader.cmd("XREADGROUP", "GROUP", "g", "c", "BLOCK", "5000", "STREAMS",
                                   "s", ">")

    t = threading.Thread(target=read)
    t.start()
    time.sleep(0.2)
    c.check("XADD", "s", "1-0", "f", "v")
    t.join(5)
    assert result["got"] == [[b"s", [[b"1-0", [b"f", b"v"]]]]]
    assert c.cmd("XPENDING", "s", "g")[0] == 1
    # A history read never blocks; a timeout replies nil.
    assert c.cmd("XREADGROUP", "GROUP", "g", "c", "BLOCK", "100", "STREAMS", "s", "0") == [
        [b"s", [[b"1-0", [b"f", b"v"]]]]]
    assert c.cmd("XREADGROUP", "GROUP", "g", "c", "BLOCK", "100", "STREAMS", "s", ">") is None
    c.close()
    reader.close()


@pytest.mark.strata_only
def test_pending_summary_and_ack_stay_fast_at_scale(c):
    n = 100_000
    batch = 5000
    c.check("XGROUP", "CREATE", "s", "g", "0", "MKSTREAM")
    for start in range(0, n, batch):
        c.pipeline([("XADD", "s", f"{i + 1}-0", "f", "v") for i in range(start, start + batch)])
    for _ in range(n // batch):
        c.cmd("XREADGROUP", "GROUP", "g", "c", "COUNT", str(batch), "STREAMS", "s", ">")
    t = time.monotonic()
    for _ in range(200):
        assert c.cmd("XPENDING", "s", "g")[0] == n
    c.pipeline([("XACK", "s", "g", f"{i}-0") for i in range(1, 1001)])
    assert c.cmd("XPENDING", "s", "g")[:2] == [n - 1000, b"1001-0"]
    assert time.monotonic() - t < 3.0


# --------------------------------------------------------------------------
# XCLAIM, XAUTOCLAIM
# --------------------------------------------------------------------------

def setup_claims(c):
    fill3(c)
    c.check("XGROUP", "CREATE", "s", "g", "0")
    rg(c, "alice", "STREAMS", "s", ">")


def test_xclaim_errors(c):
    assert err(c.cmd("XCLAIM", "s", "g", "bob", "0")) == \
        "ERR wrong number of arguments for 'xclaim' command"
    assert err(c.cmd("XCLAIM", "s", "g", "bob", "x", "1-0")) == \
        "NOGROUP No such key 's' or consumer group 'g'"
    setup_claims(c)
    c.check("SET", "str", "x")
    assert err(c.cmd("XCLAIM", "str", "g", "bob", "x", "1-0")) == WRONGTYPE
    assert err(c.cmd("XCLAIM", "s", "nog", "bob", "x", "1-0")) == \
        "NOGROUP No such key 's' or consumer group 'nog'"
    for args, want in [
        (["x", "1-0"], "ERR Invalid min-idle-time argument for XCLAIM"),
        (["0", "1-0", "foo"], "ERR Unrecognized XCLAIM option 'foo'"),
        (["0", "1-0", "IDLE", "x"], "ERR Invalid IDLE option argument for XCLAIM"),
        (["0", "1-0", "TIME", "x"], "ERR Invalid TIME option argument for XCLAIM"),
        (["0", "1-0", "RETRYCOUNT", "x"], "ERR Invalid RETRYCOUNT option argument for XCLAIM"),
        (["0", "1-0", "LASTID", "bad"], INVALID_ID),
        (["0", "1-0", "IDLE"], "ERR Unrecognized XCLAIM option 'IDLE'"),
        (["0", "bad"], "ERR Unrecognized XCLAIM option 'bad'"),
    ]:
        assert err(c.cmd("XCLAIM", "s", "g", "bob", *args)) == want, args
    # Nothing was claimed by the failed calls.
    assert c.cmd("XPENDING", "s", "g")[3] == [[b"alice", b"3"]]


def test_xclaim(c):
    setup_claims(c)
    # min-idle-time not reached: nothing claimed (and no consumer created).
    assert c.cmd("XCLAIM", "s", "g", "bob", "3600000", "1-0") == []
    assert [i[1] for i in c.cmd("XINFO", "CONSUMERS", "s", "g")] == [b"alice"]
    assert c.cmd("XCLAIM", "s", "g", "bob", "0", "1-0", "9-0") == [[b"1-0", [b"a", b"1"]]]
    assert pending_flat(c, "-", "+", "10") == [
        [b"1-0", b"bob", 2], [b"2-0", b"alice", 1], [b"3-0", b"alice", 1]]
    # JUSTID does not count a delivery; RETRYCOUNT sets it; IDLE sets the idle time.
    assert c.cmd("XCLAIM", "s", "g", "bob", "0", "2-0", "JUSTID") == [b"2-0"]
    assert c.cmd("XCLAIM", "s", "g", "bob", "0", "3-0", "RETRYCOUNT", "7", "IDLE", "500000",
                 "JUSTID") == [b"3-0"]
    got = c.cmd("XPENDING", "s", "g", "-", "+", "10")
    assert [[e[0], e[1], e[3]] for e in got] == [
        [b"1-0", b"bob", 2], [b"2-0", b"bob", 1], [b"3-0", b"bob", 7]]
    assert 500000 <= got[2][2] < 505000
    assert pending_flat(c, "IDLE", "400000", "-", "+", "10") == [[b"3-0", b"bob", 7]]
    assert c.cmd("XPENDING", "s", "g")[3] == [[b"bob", b"3"]]
    assert [i[3] for i in c.cmd("XINFO", "CONSUMERS", "s", "g")] == [0, 3]
    # TIME in the future counts as now.
    c.cmd("XCLAIM", "s", "g", "carol", "0", "1-0", "TIME", "99999999999999", "JUSTID")
    assert c.cmd("XPENDING", "s", "g", "-", "+", "1")[0][2] < 5000


def test_xclaim_force_lastid_and_deleted_entries(c):
    setup_claims(c)
    c.check("XACK", "s", "g", "2-0")
    # Not pending: only FORCE claims it (a fresh PEL entry: 1 delivery, +1).
    assert c.cmd("XCLAIM", "s", "g", "bob", "0", "2-0") == []
    assert c.cmd("XCLAIM", "s", "g", "bob", "3600000", "2-0", "FORCE") == [[b"2-0", [b"a", b"2"]]]
    assert pending_flat(c, "2-0", "2-0", "1") == [[b"2-0", b"bob", 2]]
    # FORCE does not invent entries that do not exist.
    assert c.cmd("XCLAIM", "s", "g", "bob", "0", "9-0", "FORCE") == []
    # A pending entry whose stream entry is gone is dropped from the PEL.
    c.check("XDEL", "s", "1-0")
    assert c.cmd("XCLAIM", "s", "g", "bob", "0", "1-0") == []
    assert c.cmd("XPENDING", "s", "g") == [2, b"2-0", b"3-0", [[b"alice", b"1"], [b"bob", b"1"]]]
    # LASTID moves the group forward only.
    c.cmd("XCLAIM", "s", "g", "bob", "0", "3-0", "LASTID", "5-0")
    assert groups(c)[0]["last-delivered-id"] == b"5-0"
    c.cmd("XCLAIM", "s", "g", "bob", "0", "3-0", "LASTID", "1-0")
    assert groups(c)[0]["last-delivered-id"] == b"5-0"


def test_xautoclaim_errors(c):
    for args, want in [
        (["x", "0"], "ERR Invalid min-idle-time argument for XAUTOCLAIM"),
        (["0", "bad"], INVALID_ID),
        (["0", "(18446744073709551615-18446744073709551615"],
         "ERR invalid start ID for the interval"),
        (["0", "0", "COUNT", "0"], "ERR COUNT must be > 0"),
        (["0", "0", "COUNT", "x"], "ERR COUNT must be > 0"),
        (["0", "0", "COUNT", "9223372036854775807"], "ERR COUNT must be > 0"),
        (["0", "0", "foo"], "ERR syntax error"),
        (["0", "0", "COUNT"], "ERR syntax error"),
    ]:
        assert err(c.cmd("XAUTOCLAIM", "s", "g", "bob", *args)) == want, args
    assert err(c.cmd("XAUTOCLAIM", "s", "g", "bob", "0", "0")) == \
        "NOGROUP No such key 's' or consumer group 'g'"
    c.check("SET", "str", "x")
    assert err(c.cmd("XAUTOCLAIM", "str", "g", "bob", "0", "0")) == WRONGTYPE
    assert err(c.cmd("XAUTOCLAIM", "s", "g", "bob", "0")) == \
        "ERR wrong number of arguments for 'xautoclaim' command"


def test_xautoclaim(c):
    setup_claims(c)
    c.check("XDEL", "s", "2-0")
    assert c.cmd("XAUTOCLAIM", "s", "g", "bob", "0", "0", "COUNT", "1") == [
        b"2-0", [[b"1-0", [b"a", b"1"]]], []]
    assert c.cmd("XAUTOCLAIM", "s", "g", "bob", "0", "0") == [
        b"0-0", [[b"1-0", [b"a", b"1"]], [b"3-0", [b"a", b"3"]]], [b"2-0"]]
    assert pending_flat(c, "-", "+", "10") == [[b"1-0", b"bob", 3], [b"3-0", b"bob", 2]]
    assert c.cmd("XAUTOCLAIM", "s", "g", "carol", "0", "(1-0", "JUSTID") == [b"0-0", [b"3-0"], []]
    assert pending_flat(c, "-", "+", "10") == [[b"1-0", b"bob", 3], [b"3-0", b"carol", 2]]
    assert c.cmd("XAUTOCLAIM", "s", "g", "dave", "3600000", "-") == [b"0-0", [], []]
    assert [i[1] for i in c.cmd("XINFO", "CONSUMERS", "s", "g")] == [b"alice", b"bob", b"carol"]
    assert c.cmd("XPENDING", "s", "g")[3] == [[b"bob", b"1"], [b"carol", b"1"]]


def test_xautoclaim_attempts_bound_the_scan(c):
    fill3(c)
    for i in range(4, 31):
        c.check("XADD", "s", f"{i}-0", "a", str(i))
    c.check("XGROUP", "CREATE", "s", "g", "0")
    rg(c, "alice", "STREAMS", "s", ">")
    # COUNT 1: at most 10 PEL entries are looked at; none is idle enough.
    assert c.cmd("XAUTOCLAIM", "s", "g", "bob", "3600000", "0", "COUNT", "1") == [b"11-0", [], []]
    assert c.cmd("XAUTOCLAIM", "s", "g", "bob", "3600000", "21-0", "COUNT", "1") == [b"0-0", [], []]


def test_xreadgroup_block_ends_when_the_group_is_destroyed(flushed_server):
    c = flushed_server.resp()
    reader = flushed_server.resp()
    c.check("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM")
    result = {}

    def read():
        result["got"] = reader.cmd("XREADGROUP", "GROUP", "g", "c", "BLOCK", "5000", "STREAMS",
                                   "s", ">")

    t = threading.Thread(target=read)
    t.start()
    time.sleep(0.2)
    assert c.cmd("XGROUP", "DESTROY", "s", "g") == 1
    t.join(5)
    assert err(result["got"]) == \
        "NOGROUP the consumer group this client was blocked on no longer exists"
    c.close()
    reader.close()
