"""Redis functions: FUNCTION LOAD [REPLACE] / DELETE / FLUSH / LIST / DUMP /
RESTORE / STATS / KILL / HELP, FCALL and FCALL_RO; `#!lua name=` metadata,
redis.register_function (positional and named, flags, description), the
load-time sandbox, Redis 7.0.15's error texts, RESP3 reply types, and (Strata
only) libraries surviving a restart."""

import threading
import time

import pytest

from resp3 import RespError, RespMap, RespSet

pytestmark = pytest.mark.needs("fcall", "function|load")

LIB = """#!lua name=mylib
redis.register_function('getk', function(keys, args) return redis.call('GET', keys[1]) end)
redis.register_function{function_name='setk', callback=function(keys, args)
  return redis.call('SET', keys[1], args[1]) end, description='sets a key'}
redis.register_function{function_name='ro', callback=function(keys, args)
  return redis.call('GET', keys[1]) end, flags={'no-writes', 'allow-oom'}}
"""


@pytest.fixture
def srv(flushed_server):
    c = flushed_server.resp()
    c.check("FUNCTION", "FLUSH")
    c.close()
    return flushed_server


def assert_err(v, text):
    assert isinstance(v, RespError), f"expected error {text!r}, got {v!r}"
    assert str(v) == text


def lib(name, body):
    return f"#!lua name={name}\n{body}"


def one(name, fn="f", ret="1"):
    return lib(name, f"redis.register_function('{fn}', function(keys, args) return {ret} end)")


# ---- LOAD and FCALL -----------------------------------------------------------

def test_load_and_fcall(srv):
    c = srv.resp()
    assert c.cmd("FUNCTION", "LOAD", LIB) == b"mylib"
    assert c.cmd("FCALL", "setk", 1, "k", "v") == b"OK"
    assert c.cmd("FCALL", "getk", 1, "k") == b"v"
    assert c.cmd("FCALL", "ro", 1, "k") == b"v"
    assert c.cmd("FCALL_RO", "ro", 1, "k") == b"v"
    assert c.cmd("FCALL", "getk", 1, "missing") is None
    assert_err(c.cmd("FCALL_RO", "setk", 1, "k", "v"),
               "ERR Can not execute a script with write flag using *_ro command.")
    assert_err(c.cmd("FCALL", "nosuch", 0), "ERR Function not found")
    assert_err(c.cmd("FCALL", "getk", "x"), "ERR Bad number of keys provided")
    assert_err(c.cmd("FCALL", "getk", -1), "ERR Number of keys can't be negative")
    assert_err(c.cmd("FCALL", "getk", 2, "a"),
               "ERR Number of keys can't be greater than number of args")
    assert_err(c.cmd("FCALL", "getk"), "ERR wrong number of arguments for 'fcall' command")


def test_keys_and_args_are_arguments_not_globals(srv):
    c = srv.resp()
    c.check("FUNCTION", "LOAD", lib("t", """
redis.register_function('f', function(keys, args) return {keys[1], args[1], #keys, #args} end)
redis.register_function('g', function(keys, args) return KEYS end)"""))
    assert c.cmd("FCALL", "f", 1, "k", "a", "b") == [b"k", b"a", 1, 2]
    c.cmd("EVAL", "return 1", 1, "x")  # leaves nothing behind for functions
    assert_err(c.cmd("FCALL", "g", 1, "k"),
               "ERR user_function:4: Script attempted to access nonexistent global variable "
               "'KEYS' script: g, on @user_function:4.")


def test_runtime_errors(srv):
    c = srv.resp()
    c.check("FUNCTION", "LOAD", lib("t", """
redis.register_function('boom', function() error('boom') end)
redis.register_function('bad', function() return redis.call('nosuch') end)
redis.register_function('glob', function() x = 1 end)
redis.register_function('reply', function() return redis.error_reply('MY err') end)"""))
    assert_err(c.cmd("FCALL", "boom", 0), "ERR user_function:3: boom script: boom, on @user_function:3.")
    assert_err(c.cmd("FCALL", "bad", 0),
               "ERR Unknown Redis command called from script script: bad, on @user_function:4.")
    assert_err(c.cmd("FCALL", "glob", 0),
               "ERR user_function:5: Attempt to modify a readonly table script: glob, on "
               "@user_function:5.")
    assert_err(c.cmd("FCALL", "reply", 0), "MY err")


def test_no_writes_flag_refuses_writes(srv):
    c = srv.resp()
    c.check("FUNCTION", "LOAD", lib("t", """
redis.register_function{function_name='w', callback=function(keys)
  return redis.call('SET', keys[1], 'v') end, flags={'no-writes'}}"""))
    assert_err(c.cmd("FCALL", "w", 1, "k"),
               "ERR Write commands are not allowed from read-only scripts. script: w, on "
               "@user_function:4.")
    assert c.cmd("EXISTS", "k") == 0


def test_load_replace_and_collisions(srv):
    c = srv.resp()
    assert c.cmd("FUNCTION", "LOAD", one("a", "f", "1")) == b"a"
    assert_err(c.cmd("FUNCTION", "LOAD", one("a", "f", "2")), "ERR Library 'a' already exists")
    assert c.cmd("FUNCTION", "LOAD", "REPLACE", one("a", "f", "2")) == b"a"
    assert c.cmd("FUNCTION", "LOAD", "replace", one("a", "g", "3")) == b"a"
    assert c.cmd("FCALL", "g", 0) == 3
    assert_err(c.cmd("FCALL", "f", 0), "ERR Function not found")
    assert_err(c.cmd("FUNCTION", "LOAD", one("b", "g")), "ERR Function g already exists")
    assert_err(c.cmd("FUNCTION", "LOAD", "REPLACE", one("b", "g")), "ERR Function g already exists")
    assert_err(c.cmd("FUNCTION", "LOAD", "foo", one("b", "g")), "ERR Unknown option given: foo")
    assert_err(c.cmd("FUNCTION", "LOAD", "REPLACE"), "ERR Missing library metadata")
    assert c.cmd("FCALL", "g", 0) == 3


@pytest.mark.parametrize("code,error", [
    ("return 1", "ERR Missing library metadata"),
    ("#!lua name=x", "ERR Invalid library metadata"),
    ("#!lua\nreturn 1", "ERR Library name was not given"),
    ("#!lua name=a name=b\nreturn 1",
     "ERR Invalid metadata value, name argument was given multiple times"),
    ("#!lua name=a foo=b\nreturn 1", "ERR Invalid metadata value given: foo=b"),
    ("#!python name=a\nreturn 1", "ERR Engine 'python' not found"),
    ("#!lua name=a-b\nreturn 1",
     "ERR Library names can only contain letters, numbers, or underscores(_) and must be at "
     "least one character long"),
    ("#!lua name=\nreturn 1",
     "ERR Library names can only contain letters, numbers, or underscores(_) and must be at "
     "least one character long"),
    ("#!lua name=a\nreturn 1", "ERR No functions registered"),
])
def test_load_metadata_errors(srv, code, error):
    c = srv.resp()
    assert_err(c.cmd("FUNCTION", "LOAD", code), error)


def test_load_compile_error(srv):
    v = srv.resp().cmd("FUNCTION", "LOAD", "#!lua name=a\nx x")
    assert isinstance(v, RespError)
    # The parser's own words differ between Lua 5.1 and 5.4; the frame does not.
    assert str(v).startswith("ERR Error compiling function: user_function:2: ")


@pytest.mark.parametrize("body,error", [
    # Redis 7.0.15 words a bad function name as a bad library name.
    ("redis.register_function('a b', function() end)",
     "Library names can only contain letters, numbers, or underscores(_) and must be at least "
     "one character long"),
    ("redis.register_function('f', function() end)\nredis.register_function('f', function() end)",
     "Function already exists in the library"),
    ("redis.register_function('f', function() end, 1)",
     "wrong number of arguments to redis.register_function"),
    ("redis.register_function()", "wrong number of arguments to redis.register_function"),
    ("redis.register_function({}, function() end)",
     "first argument to redis.register_function must be a string"),
    ("redis.register_function('f', 1)",
     "second argument to redis.register_function must be a function"),
    ("redis.register_function(1)",
     "calling redis.register_function with a single argument is only applicable to Lua table "
     "(representing named arguments)."),
    ("redis.register_function{callback=function() end}",
     "redis.register_function must get a function name argument"),
    ("redis.register_function{function_name='f'}",
     "redis.register_function must get a callback argument"),
    ("redis.register_function{function_name='f', callback=function() end, flags={'nope'}}",
     "unknown flag given"),
    ("redis.register_function{function_name='f', callback=function() end, flags='no-writes'}",
     "flags argument to redis.register_function must be a table representing function flags"),
    ("redis.register_function{function_name='f', callback=function() end, foo=1}",
     "unknown argument given to redis.register_function"),
    ("redis.register_function{function_name='f', callback=1}",
     "callback argument given to redis.register_function must be a function"),
    ("redis.register_function{function_name={}, callback=function() end}",
     "function_name argument given to redis.register_function must be a string"),
    ("redis.register_function{function_name='f', callback=function() end, description={}}",
     "description argument given to redis.register_function must be a string"),
])
def test_register_function_errors(srv, body, error):
    c = srv.resp()
    assert_err(c.cmd("FUNCTION", "LOAD", lib("t", body)),
               "ERR Error registering functions: ERR " + error)


def test_load_timeout(srv):
    c = srv.resp()
    t0 = time.time()
    assert_err(c.cmd("FUNCTION", "LOAD", lib("t", "while true do end")),
               "ERR Error registering functions: ERR FUNCTION LOAD timeout")
    assert time.time() - t0 < 5
    assert c.cmd("FUNCTION", "LIST") == []


def test_load_time_sandbox(srv):
    c = srv.resp()
    cases = {
        "redis.call('ping')": "Script attempted to access nonexistent global variable 'call'",
        "local s = string.len('x')": "Script attempted to access nonexistent global variable 'string'",
        "local t = tostring(1)": "Script attempted to access nonexistent global variable 'tostring'",
        "local r = redis.setresp": "Script attempted to access nonexistent global variable 'setresp'",
        "x = 1": "Attempt to modify a readonly table",
        "redis.foo = 1": "Attempt to modify a readonly table",
    }
    for code, error in cases.items():
        v = c.cmd("FUNCTION", "LOAD", lib("t", code))
        assert_err(v, f"ERR Error registering functions: ERR user_function:2: {error}")
    # What load time may use: redis.log, LOG_*, REDIS_VERSION*.
    assert c.cmd("FUNCTION", "LOAD", lib("t", """
redis.log(redis.LOG_NOTICE, 'loading ' .. redis.REDIS_VERSION .. ' ' .. redis.REDIS_VERSION_NUM)
redis.register_function('f', function() return string.len('abc') end)""")) == b"t"
    # At run time the full sandbox is there.
    assert c.cmd("FCALL", "f", 0) == 3
    # Calling register_function outside FUNCTION LOAD is refused.
    c.check("FUNCTION", "LOAD", lib("u", """
redis.register_function('g', function() redis.register_function('h', function() end) end)"""))
    assert isinstance(c.cmd("FCALL", "g", 0), RespError)


# ---- LIST, DELETE, FLUSH, STATS --------------------------------------------------

def test_list(srv):
    c = srv.resp()
    c.check("FUNCTION", "LOAD", LIB)
    c.check("FUNCTION", "LOAD", one("other"))
    libs = c.cmd("FUNCTION", "LIST", "LIBRARYNAME", "my*")
    assert len(libs) == 1
    assert libs[0][:5] == [b"library_name", b"mylib", b"engine", b"LUA", b"functions"]
    # Redis lists a library's functions in its dict's order: compare by name.
    functions = {f[1]: f for f in libs[0][5]}
    assert functions == {
        b"getk": [b"name", b"getk", b"description", None, b"flags", []],
        b"setk": [b"name", b"setk", b"description", b"sets a key", b"flags", []],
        b"ro": [b"name", b"ro", b"description", None, b"flags", [b"no-writes", b"allow-oom"]],
    }
    with_code = c.cmd("FUNCTION", "LIST", "WITHCODE", "LIBRARYNAME", "MYLIB")
    assert with_code[0][6:] == [b"library_code", LIB.encode()]
    names = sorted(entry[1] for entry in c.cmd("FUNCTION", "LIST"))
    assert names == [b"mylib", b"other"]
    assert c.cmd("FUNCTION", "LIST", "LIBRARYNAME", "none*") == []
    assert_err(c.cmd("FUNCTION", "LIST", "LIBRARYNAME"), "ERR library name argument was not given")
    assert_err(c.cmd("FUNCTION", "LIST", "foo"), "ERR Unknown argument foo")
    assert_err(c.cmd("FUNCTION", "LIST", "WITHCODE", "WITHCODE"), "ERR Unknown argument WITHCODE")


def test_list_resp3(srv):
    c = srv.resp(protocol=3)
    c.check("FUNCTION", "LOAD", lib("t", """
redis.register_function{function_name='f', callback=function() return 1 end,
  flags={'no-writes', 'no-cluster', 'allow-stale', 'allow-cross-slot-keys'}, description='d'}"""))
    libs = c.cmd("FUNCTION", "LIST")
    assert isinstance(libs[0], RespMap)
    assert libs[0][b"library_name"] == b"t"
    fn = libs[0][b"functions"][0]
    assert isinstance(fn, RespMap)
    assert fn[b"description"] == b"d"
    assert isinstance(fn[b"flags"], RespSet)
    assert fn[b"flags"] == RespSet([b"no-writes", b"allow-stale", b"no-cluster",
                                    b"allow-cross-slot-keys"])
    stats = c.cmd("FUNCTION", "STATS")
    assert isinstance(stats, RespMap)
    assert stats[b"running_script"] is None
    assert stats[b"engines"] == {b"LUA": {b"libraries_count": 1, b"functions_count": 1}}


def test_delete_flush_stats(srv):
    c = srv.resp()
    c.check("FUNCTION", "LOAD", LIB)
    c.check("FUNCTION", "LOAD", one("b", "g"))
    assert c.cmd("FUNCTION", "STATS") == [b"running_script", None, b"engines",
                                          [b"LUA", [b"libraries_count", 2, b"functions_count", 4]]]
    assert c.cmd("FUNCTION", "DELETE", "mylib") == b"OK"
    assert_err(c.cmd("FUNCTION", "DELETE", "mylib"), "ERR Library not found")
    assert_err(c.cmd("FCALL", "getk", 1, "k"), "ERR Function not found")
    assert c.cmd("FCALL", "g", 0) == 1
    assert_err(c.cmd("FUNCTION", "FLUSH", "foo"), "ERR FUNCTION FLUSH only supports SYNC|ASYNC option")
    assert c.cmd("FUNCTION", "FLUSH", "ASYNC") == b"OK"
    assert c.cmd("FUNCTION", "LIST") == []
    assert c.cmd("FUNCTION", "FLUSH", "sync") == b"OK"
    assert c.cmd("FUNCTION", "STATS")[3] == [b"LUA", [b"libraries_count", 0, b"functions_count", 0]]
    assert_err(c.cmd("FUNCTION", "DELETE"),
               "ERR wrong number of arguments for 'function|delete' command")


def test_help_and_unknown_subcommand(srv):
    c = srv.resp()
    lines = c.cmd("FUNCTION", "HELP")
    assert lines[0] == b"FUNCTION <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"
    assert lines[-1] == b"    Prints this help."
    assert len(lines) == 40
    assert_err(c.cmd("FUNCTION", "NOPE"),
               "ERR unknown subcommand 'NOPE'. Try FUNCTION HELP.")


# ---- DUMP and RESTORE ------------------------------------------------------------

def test_dump_restore(srv):
    c = srv.resp()
    c.check("FUNCTION", "LOAD", one("a", "f", "1"))
    payload = c.cmd("FUNCTION", "DUMP")
    code = one("a", "f", "1").encode()
    # Redis's format: opcode 245, RDB string, RDB version 10, CRC64.
    assert payload[:3] == bytes([0xF5, 0x40, len(code)]) and payload[3:3 + len(code)] == code
    assert payload[3 + len(code):5 + len(code)] == b"\x0a\x00"
    assert_err(c.cmd("FUNCTION", "RESTORE", payload), "ERR Library a already exists")
    assert c.cmd("FUNCTION", "RESTORE", payload, "REPLACE") == b"OK"
    c.check("FUNCTION", "LOAD", one("b", "g", "2"))
    assert c.cmd("FUNCTION", "RESTORE", payload, "FLUSH") == b"OK"
    assert sorted(e[1] for e in c.cmd("FUNCTION", "LIST")) == [b"a"]
    c.check("FUNCTION", "FLUSH")
    assert c.cmd("FUNCTION", "RESTORE", payload) == b"OK"
    assert c.cmd("FCALL", "f", 0) == 1
    c.check("FUNCTION", "FLUSH")
    c.check("FUNCTION", "LOAD", one("x", "f", "9"))
    assert_err(c.cmd("FUNCTION", "RESTORE", payload), "ERR Function f already exists")
    assert_err(c.cmd("FUNCTION", "RESTORE", payload, "REPLACE"), "ERR Function f already exists")
    assert c.cmd("FCALL", "f", 0) == 9
    c.check("FUNCTION", "FLUSH")
    # No library: the footer alone (version 10 and the CRC-64 of those two bytes).
    empty = c.cmd("FUNCTION", "DUMP")
    assert empty == b"\x0a\x00]\x9b\\@\x0f\x7f\xa2\xda"
    assert c.cmd("FUNCTION", "RESTORE", empty) == b"OK"
    assert c.cmd("FUNCTION", "LIST") == []


def test_restore_errors(srv):
    c = srv.resp()
    c.check("FUNCTION", "LOAD", one("a"))
    payload = c.cmd("FUNCTION", "DUMP")
    bad = payload[:-1] + bytes([payload[-1] ^ 1])
    assert_err(c.cmd("FUNCTION", "RESTORE", bad), "ERR DUMP payload version or checksum are wrong")
    assert_err(c.cmd("FUNCTION", "RESTORE", "abc"), "ERR DUMP payload version or checksum are wrong")
    assert_err(c.cmd("FUNCTION", "RESTORE", payload, "foo"),
               "ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.")
    assert_err(c.cmd("FUNCTION", "RESTORE", payload, "flush", "x"),
               "ERR unknown subcommand or wrong number of arguments for 'RESTORE'. Try FUNCTION HELP.")


def test_restore_lzf_payload_from_redis(srv):
    """A payload Redis 7.0.15 wrote, with the library code LZF-compressed."""
    c = srv.resp()
    code = lib("big", "redis.register_function('big', function() return '" + "ab" * 200 + "' end)")
    payload = bytes.fromhex(
        "f5c3404d41d71f23216c7561206e616d653d6269670a72656469732e72656769737465725f6675076e"
        "6374696f6e2827201c02272c20e0000f0b292072657475726e20276162e0ff01e07d01052720656e64"
        "290a00cbb6b7892f02b261")
    assert c.cmd("FUNCTION", "RESTORE", payload) == b"OK"
    assert c.cmd("FCALL", "big", 0) == b"ab" * 200
    assert c.cmd("FUNCTION", "LIST", "WITHCODE")[0][7] == code.encode()


# ---- KILL and busy -----------------------------------------------------------

def test_kill(srv):
    c = srv.resp()
    assert_err(c.cmd("FUNCTION", "KILL"), "NOTBUSY No scripts in execution right now.")
    c.check("CONFIG", "SET", "busy-reply-threshold", "100")
    c.check("FUNCTION", "LOAD", lib("t", """
redis.register_function{function_name='spin', callback=function() while true do end end,
  flags={'no-writes'}}"""))
    result = {}
    t = threading.Thread(target=lambda: result.update(r=srv.resp().cmd("FCALL", "spin", 0)))
    t.start()
    try:
        other = srv.resp()
        deadline = time.time() + 5
        while time.time() < deadline:
            stats = other.cmd("FUNCTION", "STATS")
            if stats[1] is not None:
                break
            time.sleep(0.05)
        assert stats[1][:4] == [b"name", b"spin", b"command", [b"FCALL", b"spin", b"0"]]
        assert_err(other.cmd("GET", "k"),
                   "BUSY Redis is busy running a script. You can only call FUNCTION KILL or "
                   "SHUTDOWN NOSAVE.")
        assert_err(other.cmd("SCRIPT", "KILL"),
                   "BUSY Redis is busy running a script. You can only call FUNCTION KILL or "
                   "SHUTDOWN NOSAVE.")
        assert other.cmd("FUNCTION", "KILL") == b"OK"
    finally:
        t.join(10)
        c.cmd("CONFIG", "SET", "busy-reply-threshold", "5000")
    assert str(result["r"]).startswith("ERR Script killed by user with SCRIPT KILL...")


def test_script_kill_does_not_stop_function_and_vice_versa(srv):
    c = srv.resp()
    c.check("CONFIG", "SET", "busy-reply-threshold", "100")
    result = {}
    body = "local i = 0 while true do i = i + 1 end"
    t = threading.Thread(
        target=lambda: result.update(r=srv.resp().cmd("EVAL", "#!lua flags=no-writes\n" + body, 0)))
    t.start()
    try:
        other = srv.resp()
        deadline = time.time() + 5
        v = None
        while time.time() < deadline:
            v = other.cmd("GET", "k")
            if isinstance(v, RespError):
                break
            time.sleep(0.05)
        assert_err(v, "BUSY Redis is busy running a script. You can only call SCRIPT KILL or "
                      "SHUTDOWN NOSAVE.")
        assert_err(other.cmd("FUNCTION", "KILL"),
                   "BUSY Redis is busy running a script. You can only call SCRIPT KILL or "
                   "SHUTDOWN NOSAVE.")
        assert_err(other.cmd("FUNCTION", "STATS"),
                   "BUSY Redis is busy running a script. You can only call SCRIPT KILL or "
                   "SHUTDOWN NOSAVE.")
        assert other.cmd("SCRIPT", "KILL") == b"OK"
    finally:
        t.join(10)
        c.cmd("CONFIG", "SET", "busy-reply-threshold", "5000")
    assert str(result["r"]).startswith("ERR Script killed by user with SCRIPT KILL...")


# ---- interplay -------------------------------------------------------------------

def test_script_flush_keeps_functions(srv):
    c = srv.resp()
    c.check("FUNCTION", "LOAD", LIB)
    c.check("FCALL", "setk", 1, "k", "v")
    assert c.cmd("SCRIPT", "FLUSH") == b"OK"
    assert c.cmd("FCALL", "getk", 1, "k") == b"v"
    assert c.cmd("FLUSHALL") == b"OK"
    assert c.cmd("FCALL", "getk", 1, "k") is None


def test_fcall_in_multi_and_undeclared_keys(srv):
    c = srv.resp()
    c.check("FUNCTION", "LOAD", lib("t", """
redis.register_function('incr2', function(keys)
  redis.call('INCR', keys[1]); return redis.call('INCR', 'undeclared') end)"""))
    assert c.cmd("FCALL", "incr2", 1, "a") == 1
    assert c.cmd("MULTI") == b"OK"
    assert c.cmd("FCALL", "incr2", 1, "a") == b"QUEUED"
    assert c.cmd("FCALL", "nosuch", 0) == b"QUEUED"
    out = c.cmd("EXEC")
    assert out[0] == 2
    assert_err(out[1], "ERR Function not found")
    assert c.cmd("MGET", "a", "undeclared") == [b"2", b"2"]


def test_many_connections_see_replaced_library(srv):
    conns = [srv.resp() for _ in range(6)]
    conns[0].check("FUNCTION", "LOAD", one("v", "ver", "1"))
    assert [c.cmd("FCALL", "ver", 0) for c in conns] == [1] * 6
    conns[0].check("FUNCTION", "LOAD", "REPLACE", one("v", "ver", "2"))
    assert [c.cmd("FCALL", "ver", 0) for c in conns] == [2] * 6


def test_resp3_replies_from_functions(srv):
    c = srv.resp(protocol=3)
    c.check("FUNCTION", "LOAD", lib("t", """
redis.register_function('m', function()
  redis.setresp(3)
  redis.call('HSET', 'h', 'f', 'v')
  return redis.call('HGETALL', 'h') end)
redis.register_function('d', function() return {double=1.5} end)"""))
    assert c.cmd("FCALL", "m", 0) == {b"f": b"v"}
    assert isinstance(c.cmd("FCALL", "m", 0), RespMap)
    assert c.cmd("FCALL", "d", 0) == 1.5
    c2 = srv.resp()
    assert c2.cmd("FCALL", "m", 0) == [b"f", b"v"]
    assert c2.cmd("FCALL", "d", 0) == b"1.5"


# ---- persistence ---------------------------------------------------------------

@pytest.mark.strata_only
def test_libraries_survive_restart(server):
    c = server.resp()
    c.check("FUNCTION", "LOAD", LIB)
    c.check("FUNCTION", "LOAD", one("gone"))
    c.check("FUNCTION", "DELETE", "gone")
    c.check("FCALL", "setk", 1, "k", "v")
    c.close()
    server.restart()
    c = server.resp()
    assert c.cmd("FCALL", "getk", 1, "k") == b"v"
    assert [e[1] for e in c.cmd("FUNCTION", "LIST")] == [b"mylib"]
    c.check("FUNCTION", "FLUSH")
    c.close()
    server.restart()
    assert server.resp().cmd("FUNCTION", "LIST") == []


@pytest.mark.strata_only
def test_loaded_library_survives_kill9(server):
    """FUNCTION LOAD is durable when it replies (the record is in the synced WAL)."""
    c = server.resp()
    c.check("FUNCTION", "LOAD", one("durable", "d", "42"))
    server.kill9()
    server.start()
    assert server.resp().cmd("FCALL", "d", 0) == 42
