"""COMMAND, COMMAND COUNT/INFO/GETKEYS/GETKEYSANDFLAGS/DOCS/LIST for the first
commands. Values are those of redis-server 7.0.15; clients (redis-py cluster,
ioredis, go-redis) read arity, flags, first/last/step and key specs from
here."""

import pytest

from resp3 import RespError, RespMap, RespSet


def key_spec(flags, lastkey=0, keystep=1, notes=None):
    spec = []
    if notes:
        spec += [b"notes", notes]
    spec += [b"flags", flags,
             b"begin_search", [b"type", b"index", b"spec", [b"index", 1]],
             b"find_keys", [b"type", b"range", b"spec",
                            [b"lastkey", lastkey, b"keystep", keystep, b"limit", 0]]]
    return spec


# name -> the RESP2 COMMAND INFO entry of redis-server 7.0.15
EXPECTED_INFO = {
    "get": [b"get", 2, [b"readonly", b"fast"], 1, 1, 1,
            [b"@read", b"@string", b"@fast"], [],
            [key_spec([b"RO", b"access"])], []],
    "set": [b"set", -3, [b"write", b"denyoom"], 1, 1, 1,
            [b"@write", b"@string", b"@slow"], [],
            [key_spec([b"RW", b"access", b"update", b"variable_flags"],
                      notes=b"RW and ACCESS due to the optional `GET` argument")], []],
    "del": [b"del", -2, [b"write"], 1, -1, 1,
            [b"@keyspace", b"@write", b"@slow"],
            [b"request_policy:multi_shard", b"response_policy:agg_sum"],
            [key_spec([b"RM", b"delete"], lastkey=-1)], []],
    "incr": [b"incr", 2, [b"write", b"denyoom", b"fast"], 1, 1, 1,
             [b"@write", b"@string", b"@fast"], [],
             [key_spec([b"RW", b"access", b"update"])], []],
    "mset": [b"mset", -3, [b"write", b"denyoom"], 1, -1, 2,
             [b"@write", b"@string", b"@slow"],
             [b"request_policy:multi_shard", b"response_policy:all_succeeded"],
             [key_spec([b"OW", b"update"], lastkey=-1, keystep=2)], []],
    "mget": [b"mget", -2, [b"readonly", b"fast"], 1, -1, 1,
             [b"@read", b"@string", b"@fast"],
             [b"request_policy:multi_shard"],
             [key_spec([b"RO", b"access"], lastkey=-1)], []],
    "exists": [b"exists", -2, [b"readonly", b"fast"], 1, -1, 1,
               [b"@keyspace", b"@read", b"@fast"],
               [b"request_policy:multi_shard", b"response_policy:agg_sum"],
               [key_spec([b"RO"], lastkey=-1)], []],
    "type": [b"type", 2, [b"readonly", b"fast"], 1, 1, 1,
             [b"@keyspace", b"@read", b"@fast"], [],
             [key_spec([b"RO"])], []],
    "select": [b"select", 2, [b"loading", b"stale", b"fast"], 0, 0, 0,
               [b"@fast", b"@connection"], [], [], []],
    "ping": [b"ping", -1, [b"fast"], 0, 0, 0,
             [b"@fast", b"@connection"],
             [b"request_policy:all_shards", b"response_policy:all_succeeded"], [], []],
    "echo": [b"echo", 2, [b"loading", b"stale", b"fast"], 0, 0, 0,
             [b"@fast", b"@connection"], [], [], []],
    "config|get": [b"config|get", -3, [b"admin", b"noscript", b"loading", b"stale"],
                   0, 0, 0, [b"@admin", b"@slow", b"@dangerous"], [], [], []],
}


# --------------------------------------------------------------------------
# COMMAND / COUNT / LIST
# --------------------------------------------------------------------------

def test_command_count_is_integer(c):
    raw = c.cmd_raw("COMMAND", "COUNT")
    assert raw.startswith(b":")
    n = int(raw[1:-2])
    assert n > 0


def test_command_count_matches_command_and_info(c):
    n = c.cmd("COMMAND", "COUNT")
    everything = c.cmd("COMMAND")
    assert isinstance(everything, list) and len(everything) == n
    assert len(c.cmd("COMMAND", "INFO")) == n
    # COMMAND LIST also names every subcommand ("config|get"); COUNT does not.
    with_subs = sum(1 + len(entry[9]) for entry in everything)
    assert len(c.cmd("COMMAND", "LIST")) == with_subs


def test_command_lists_first_commands(c):
    everything = c.cmd("COMMAND")
    names = {entry[0] for entry in everything}
    for name in ["get", "set", "del", "incr", "mset", "mget", "exists", "type",
                 "select", "ping", "echo"]:
        assert name.encode() in names
    subs = {sub[0] for entry in everything for sub in entry[9]}
    listed = c.cmd("COMMAND", "LIST")
    assert len(listed) == len(set(listed))
    assert set(listed) == names | subs


def test_every_command_entry_is_well_formed(c):
    for entry in c.cmd("COMMAND"):
        check_entry_shape(entry)


def check_entry_shape(entry, container=None):
    assert isinstance(entry, list) and len(entry) == 10, entry
    name, arity, flags, first, last, step, cats, tips, specs, subs = entry
    assert isinstance(name, bytes) and name == name.lower()
    if container is not None:
        assert name.startswith(container + b"|"), (container, name)
    assert isinstance(arity, int) and arity != 0
    assert isinstance(flags, list) and all(isinstance(f, bytes) for f in flags)
    assert all(isinstance(x, int) for x in (first, last, step))
    assert isinstance(cats, list) and all(x.startswith(b"@") for x in cats)
    assert isinstance(tips, list) and all(isinstance(x, bytes) for x in tips)
    assert isinstance(specs, list)
    for spec in specs:
        assert isinstance(spec, list) and len(spec) % 2 == 0
        fields = dict(zip(spec[0::2], spec[1::2]))
        assert {b"flags", b"begin_search", b"find_keys"} <= set(fields)
    assert isinstance(subs, list)
    for sub in subs:
        check_entry_shape(sub, container=name)


# --------------------------------------------------------------------------
# COMMAND INFO
# --------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(EXPECTED_INFO))
def test_command_info_exact(c, name):
    assert c.cmd("COMMAND", "INFO", name) == [EXPECTED_INFO[name]]


def test_command_info_flag_types_resp2(c):
    raw = c.cmd_raw("COMMAND", "INFO", "get")
    # Flags and ACL categories are status replies.
    assert raw.startswith(b"*1\r\n*10\r\n$3\r\nget\r\n:2\r\n*2\r\n+readonly\r\n+fast\r\n"
                          b":1\r\n:1\r\n:1\r\n*3\r\n+@read\r\n+@string\r\n+@fast\r\n*0\r\n")


def test_command_info_resp3_encoding(c):
    c.hello(3)
    assert c.cmd_raw("COMMAND", "INFO", "get") == (
        b"*1\r\n*10\r\n$3\r\nget\r\n:2\r\n~2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n"
        b"~3\r\n+@read\r\n+@string\r\n+@fast\r\n~0\r\n"
        b"~1\r\n%3\r\n$5\r\nflags\r\n~2\r\n+RO\r\n+access\r\n"
        b"$12\r\nbegin_search\r\n%2\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n"
        b"%1\r\n$5\r\nindex\r\n:1\r\n"
        b"$9\r\nfind_keys\r\n%2\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n"
        b"%3\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n"
        b"~0\r\n")
    v = c.cmd("COMMAND", "INFO", "get")
    assert isinstance(v[0][2], RespSet)
    assert isinstance(v[0][8][0], RespMap)


def test_command_info_several_and_case(c):
    got = c.cmd("COMMAND", "INFO", "GET", "Set", "nosuch", "mget")
    assert got == [EXPECTED_INFO["get"], EXPECTED_INFO["set"], None, EXPECTED_INFO["mget"]]


def test_command_info_unknown(c):
    assert c.cmd_raw("COMMAND", "INFO", "nosuch") == b"*1\r\n$-1\r\n"
    assert c.cmd("COMMAND", "INFO", "get|x") == [None]
    assert c.cmd("COMMAND", "INFO", "config|nosuch") == [None]


@pytest.mark.needs("config|set", "config|resetstat", "config|rewrite", "config|help")
def test_command_info_container(c):
    (entry,) = c.cmd("COMMAND", "INFO", "config")
    check_entry_shape(entry)
    assert entry[:8] == [b"config", -2, [], 0, 0, 0, [b"@slow"], []]
    assert entry[8] == []
    subs = {sub[0]: sub for sub in entry[9]}
    assert subs[b"config|get"] == EXPECTED_INFO["config|get"]
    assert subs[b"config|set"][:7] == [b"config|set", -4,
                                       [b"admin", b"noscript", b"loading", b"stale"],
                                       0, 0, 0, [b"@admin", b"@slow", b"@dangerous"]]


# --------------------------------------------------------------------------
# COMMAND GETKEYS / GETKEYSANDFLAGS
# --------------------------------------------------------------------------

@pytest.mark.parametrize("args, keys", [
    (["GET", "k"], [b"k"]),
    (["get", "k"], [b"k"]),
    (["SET", "k", "v"], [b"k"]),
    (["SET", "k", "v", "EX", "10", "GET"], [b"k"]),
    (["DEL", "a", "b", "c"], [b"a", b"b", b"c"]),
    (["EXISTS", "a", "a"], [b"a", b"a"]),
    (["MGET", "a"], [b"a"]),
    (["MGET", "a", "b", "c"], [b"a", b"b", b"c"]),
    (["MSET", "a", "1", "b", "2"], [b"a", b"b"]),
    (["MSET", "a", "1", "b"], [b"a", b"b"]),      # key extraction does not check pairs
    (["INCR", "n"], [b"n"]),
    (["INCRBY", "n", "5"], [b"n"]),
    (["TYPE", "t"], [b"t"]),
])
def test_command_getkeys(c, args, keys):
    assert c.cmd("COMMAND", "GETKEYS", *args) == keys


@pytest.mark.parametrize("args, error", [
    (["ECHO", "x"], "ERR The command has no key arguments"),
    (["SELECT", "1"], "ERR The command has no key arguments"),
    (["PING", "x"], "ERR The command has no key arguments"),
    (["CONFIG", "GET", "x"], "ERR The command has no key arguments"),
    (["nosuch", "a"], "ERR Invalid command specified"),
    (["config|get", "x"], "ERR Invalid command specified"),
    (["GET", "a", "b"], "ERR Invalid number of arguments specified for command"),
    (["SET", "a"], "ERR Invalid number of arguments specified for command"),
    (["MSET", "a"], "ERR Invalid number of arguments specified for command"),
    (["GET"], "ERR wrong number of arguments for 'command|getkeys' command"),
    ([], "ERR wrong number of arguments for 'command|getkeys' command"),
])
def test_command_getkeys_errors(c, args, error):
    v = c.cmd("COMMAND", "GETKEYS", *args)
    assert isinstance(v, RespError) and str(v) == error


@pytest.mark.parametrize("args, expected", [
    (["SET", "a", "b"], [[b"a", [b"OW", b"update"]]]),
    (["SET", "a", "b", "GET"], [[b"a", [b"RW", b"access", b"update"]]]),
    (["GET", "a"], [[b"a", [b"RO", b"access"]]]),
    (["MSET", "a", "1", "b", "2"], [[b"a", [b"OW", b"update"]], [b"b", [b"OW", b"update"]]]),
    (["DEL", "a"], [[b"a", [b"RM", b"delete"]]]),
])
def test_command_getkeysandflags(c, args, expected):
    assert c.cmd("COMMAND", "GETKEYSANDFLAGS", *args) == expected


# --------------------------------------------------------------------------
# COMMAND DOCS
# --------------------------------------------------------------------------

def docs_map(reply):
    """RESP2 COMMAND DOCS reply -> {name: {field: value}}."""
    out = {}
    for name, fields in zip(reply[0::2], reply[1::2]):
        out[name] = dict(zip(fields[0::2], fields[1::2]))
    return out


def test_command_docs_get(c):
    docs = docs_map(c.cmd("COMMAND", "DOCS", "get"))
    assert list(docs) == [b"get"]
    d = docs[b"get"]
    assert d[b"summary"] == b"Get the value of a key"
    assert d[b"since"] == b"1.0.0"
    assert d[b"group"] == b"string"
    assert d[b"complexity"] == b"O(1)"
    assert d[b"arguments"] == [[b"name", b"key", b"type", b"key", b"key_spec_index", 0]]


@pytest.mark.parametrize("name, summary, group", [
    ("set", b"Set the string value of a key", b"string"),
    ("del", b"Delete a key", b"generic"),
    ("incr", b"Increment the integer value of a key by one", b"string"),
    ("mget", b"Get the values of all the given keys", b"string"),
    ("ping", b"Ping the server", b"connection"),
    ("echo", b"Echo the given string", b"connection"),
    ("select", b"Change the selected database for the current connection", b"connection"),
])
def test_command_docs_summaries(c, name, summary, group):
    docs = docs_map(c.cmd("COMMAND", "DOCS", name))
    d = docs[name.encode()]
    assert d[b"summary"] == summary
    assert d[b"group"] == group
    assert isinstance(d[b"since"], bytes)


def test_command_docs_several_and_unknown(c):
    docs = docs_map(c.cmd("COMMAND", "DOCS", "get", "nosuch", "SET"))
    assert set(docs) == {b"get", b"set"}
    assert c.cmd("COMMAND", "DOCS", "nosuch") == []


def test_command_docs_resp3_is_map(c):
    c.hello(3)
    v = c.cmd("COMMAND", "DOCS", "get")
    assert isinstance(v, RespMap)
    assert isinstance(v[b"get"], RespMap)
    assert v[b"get"][b"summary"] == b"Get the value of a key"


# --------------------------------------------------------------------------
# errors
# --------------------------------------------------------------------------

def test_command_unknown_subcommand(c):
    assert c.cmd_raw("COMMAND", "FOO") == \
        b"-ERR unknown subcommand 'FOO'. Try COMMAND HELP.\r\n"


def test_command_count_arity(c):
    assert c.cmd_raw("COMMAND", "COUNT", "x") == \
        b"-ERR wrong number of arguments for 'command|count' command\r\n"
