"""Stream consumer groups: XGROUP (CREATE with MKSTREAM/ENTRIESREAD/$, SETID,
DESTROY, CREATECONSUMER, DELCONSUMER, HELP), XINFO GROUPS, XINFO CONSUMERS,
XINFO STREAM FULL's groups, with Redis 7.0.15's lag and entries-read
arithmetic, exact errors in Redis's check order and RESP3 shapes."""

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
