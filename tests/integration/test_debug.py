"""DEBUG PROTOCOL, ERROR, LOG, CHANGE-REPL-ID, DIGEST, DIGEST-VALUE, RELOAD
and HELP (DEBUG OBJECT, SLEEP and SET-ACTIVE-EXPIRE are in test_admin.py).
Expected bytes are redis-server 7.0.15's, checked exactly on the wire in
RESP2 and RESP3; digests also against a redis-server started beside Strata."""

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
        ("DIGEST", ["    Output a hex signature representing the current DB content."]),
        ("DIGEST-VALUE <key> [<key> ...]",
         ["    Output a hex signature of the values of all the specified keys."]),
        ("RELOAD [option ...]",
         ["    Save the RDB on disk and reload it back to memory. Valid <option> values:",
          "    * MERGE: conflicting keys will be loaded from RDB."]),
        ("OBJECT <key>", ["    Show low level info about `key` and associated value."]),
        ("PROTOCOL <type>", ["    Reply with a test value of the specified type. <type> can be: "
                             "string,",
                             "    integer, double, bignum, null, array, set, map, attrib, push, "
                             "verbatim,",
                             "    true, false."]),
    ]:
        i = lines.index(sub)
        assert lines[i + 1:i + 1 + len(text)] == text, sub


# ---- DIGEST and DIGEST-VALUE ----------------------------------------------

SMALL = [
    ["SET", "s", "hello"], ["SET", "n", "12345"], ["RPUSH", "l", "a", "b", "3"],
    ["SADD", "st", "x", "y", "1", "2"], ["ZADD", "z", "1.5", "a", "2", "b", "-0", "c", "3e300", "d"],
    ["HSET", "h", "f", "v", "g", "1"], ["XADD", "x", "1-1", "a", "b", "c", "d"],
    ["XADD", "x", "2-5", "e", "f"], ["SETEX", "e", "100", "v"],
]
# redis-server 7.0.15's digests of SMALL (db 0) plus SET k v in db 3.
SMALL_DIGEST = b"998a3ac9fd445ee337e4463195aa9aca1f432b06"
SMALL_VALUES = {
    "s": b"36b23a1456b2dce2c3ed252c456761301dba8060",
    "n": b"e1cf90774e995ae03de66e8109dc5cb9d9c2dc83",
    "l": b"09eb1fc9381ee92790d59930ab462945f8cd948b",
    "st": b"d9a5e496512416d64a1c5e6d33afd9f2f9c366c5",
    "z": b"c440803590535ee47a09ec2bf3828fd44aa55943",
    "h": b"6679ee22f89ed8001eeb5309d0900265ea56c03a",
    "x": b"316ac7c9fda8148893d87bf4dca38a0967365955",
    "e": b"311b17018163335616e089f6b951c82c477335ac",
    "nokey": b"0" * 40,
}


def test_digest_recorded(dbg_server):
    r = dbg_server.client()
    r.flushall()
    assert r.execute_command("DEBUG", "DIGEST") == b"0" * 40
    for cmd in SMALL:
        r.execute_command(*cmd)
    r.execute_command("SELECT", "3")
    r.set("k", "v")
    r.execute_command("SELECT", "0")
    assert r.execute_command("DEBUG", "DIGEST") == SMALL_DIGEST
    keys = list(SMALL_VALUES)
    assert r.execute_command("DEBUG", "DIGEST-VALUE", *keys) == [SMALL_VALUES[k] for k in keys]
    assert r.execute_command("DEBUG", "DIGEST-VALUE") == []
    # The same data in another database gives another digest; removing the
    # TTL changes it too.
    r.persist("e")
    assert r.execute_command("DEBUG", "DIGEST") != SMALL_DIGEST
    r.expire("e", 500)
    assert r.execute_command("DEBUG", "DIGEST") == SMALL_DIGEST
    r.flushall()


def build_big_dataset(r):
    """Every type in both encodings, TTLs, three databases."""
    for db in (0, 1, 9):
        r.execute_command("SELECT", db)
        p = r.pipeline(transaction=False)
        p.set(f"str{db}", "x" * 100)
        p.set("int", -987654321)
        p.set("ttl", "v", ex=1000)
        p.rpush("biglist", *[f"e{i}" for i in range(300)])
        p.rpush("smalllist", "1", "2", "-3")
        p.sadd("intset", *range(50))
        p.sadd("bigset", *[f"m{i}" for i in range(200)])
        p.zadd("smallz", {"a": 1, "b": 2.5, "c": -1e-5, "12": 7})
        p.zadd("bigz", {f"m{i}": i / 7 for i in range(200)})
        p.execute_command("ZADD", "bigz", "-0", "negzero", "inf", "top")
        p.hset("smallh", mapping={"a": "1", "b": "2"})
        p.hset("bigh", mapping={f"f{i}": f"v{i}" * 10 for i in range(200)})
        p.pexpire("bigh", 900000)
        for i in range(5):
            p.xadd("stream", {"f": i, "g": "x" * i}, id=f"{i + 1}-{i}")
        p.xadd("stream", {"other": "fields"}, id="100-0")
        p.execute()
    r.execute_command("SELECT", 0)


@pytest.mark.strata_only
def test_digest_matches_redis(dbg_server, redis_beside):
    s, r = dbg_server.client(), redis_beside.client()
    s.flushall()
    for c in (s, r):
        build_big_dataset(c)
    assert s.execute_command("DEBUG", "DIGEST") == r.execute_command("DEBUG", "DIGEST")
    keys = ["str0", "int", "ttl", "biglist", "smalllist", "intset", "bigset", "smallz", "bigz",
            "smallh", "bigh", "stream", "missing"]
    for db in (0, 1, 9):
        s.execute_command("SELECT", db)
        r.execute_command("SELECT", db)
        assert (s.execute_command("DEBUG", "DIGEST-VALUE", *keys)
                == r.execute_command("DEBUG", "DIGEST-VALUE", *keys)), db
    # A change anywhere shows.
    s.lset("biglist", 5, "changed")
    assert s.execute_command("DEBUG", "DIGEST") != r.execute_command("DEBUG", "DIGEST")
    s.flushall()


# ---- RELOAD ----------------------------------------------------------------

def test_reload(dbg_server):
    r = dbg_server.client()
    r.flushall()
    for cmd in SMALL:
        r.execute_command(*cmd)
    before = r.execute_command("DEBUG", "DIGEST")
    assert r.execute_command("DEBUG", "RELOAD") == b"OK"
    assert r.execute_command("DEBUG", "DIGEST") == before
    assert r.get("s") == b"hello" and r.lrange("l", 0, -1) == [b"a", b"b", b"3"]
    assert 0 < r.ttl("e") <= 100
    assert r.execute_command("DEBUG", "RELOAD", "noflush", "MERGE") == b"OK"
    assert r.execute_command("DEBUG", "DIGEST") == before
    with pytest.raises(Exception) as e:
        r.execute_command("DEBUG", "RELOAD", "fast")
    assert str(e.value) == "DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options."
    r.flushall()


@pytest.mark.strata_only
def test_reload_reads_come_from_disk(dbg_server):
    r = dbg_server.client()
    r.flushall()
    r.set("a", "1")
    r.hset("h", mapping={"f": "v"})
    r.get("a")
    r.hgetall("h")
    assert r.info("all")["hot_tier_objects"] > 0
    assert r.execute_command("DEBUG", "RELOAD") == b"OK"
    info = r.info("all")
    assert info["hot_tier_objects"] == 0
    assert "DB reloaded by DEBUG RELOAD" in dbg_server.log_text()
    misses = info["hot_tier_misses"]
    assert r.get("a") == b"1" and r.hgetall("h") == {b"f": b"v"}
    assert r.info("all")["hot_tier_misses"] > misses
    r.flushall()
