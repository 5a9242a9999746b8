"""Lua scripting: EVAL/EVALSHA/EVAL_RO/EVALSHA_RO, SCRIPT LOAD/EXISTS/FLUSH/KILL,
NOSCRIPT, shebang flags, the redis.* API, conversions both ways in RESP2 and
RESP3, error formats of redis.call / redis.pcall / error(), the sandbox, and
atomicity under concurrent clients (declared and undeclared keys), with a
rate limiter, a lock with safe release and a queue-move script."""

import hashlib
import threading

import pytest

from resp3 import RespError


@pytest.fixture
def srv(flushed_server):
    return flushed_server


def sha1(body):
    return hashlib.sha1(body.encode()).hexdigest()


def script_err(body, text, line=1):
    """The error reply Redis 7.0 gives for an error leaving script `body`."""
    return f"{text} script: {sha1(body)}, on @user_script:{line}."


def ev(c, body, *keys_and_args, numkeys=0):
    return c.cmd("EVAL", body, numkeys, *keys_and_args)


def assert_err(v, text):
    assert isinstance(v, RespError), f"expected error {text!r}, got {v!r}"
    assert str(v) == text


# ---- basics ---------------------------------------------------------------

def test_eval_keys_argv_and_numkeys(srv):
    c = srv.resp()
    assert ev(c, "return {KEYS[1], KEYS[2], ARGV[1], #KEYS, #ARGV}", "k1", "k2", "a1",
              numkeys=2) == [b"k1", b"k2", b"a1", 2, 1]
    assert ev(c, "return #KEYS + #ARGV") == 0
    assert_err(c.cmd("EVAL", "return 1", -1), "ERR Number of keys can't be negative")
    assert_err(c.cmd("EVAL", "return 1", 2, "a"),
               "ERR Number of keys can't be greater than number of args")
    assert_err(c.cmd("EVAL", "return 1", "x"), "ERR value is not an integer or out of range")
    assert_err(c.cmd("EVAL", "return 1"), "ERR wrong number of arguments for 'eval' command")
    # numkeys is checked before the body is even compiled.
    assert_err(c.cmd("EVAL", "x x", -1), "ERR Number of keys can't be negative")
    v = c.cmd("EVAL", "x x", 0)
    assert str(v).startswith("ERR Error compiling script (new function): user_script:1: ")


def test_redis_call_reads_and_writes(srv):
    c = srv.resp()
    assert ev(c, "redis.call('SET', KEYS[1], ARGV[1]); return redis.call('GET', KEYS[1])",
              "k", "v", numkeys=1) == b"v"
    assert c.cmd("GET", "k") == b"v"
    assert ev(c, "return redis.call('incrby', KEYS[1], 5) + 1", "n", numkeys=1) == 6
    assert ev(c, "return redis.call('rpush', 'l', 'a', 'b', 'c')") == 3
    assert ev(c, "return redis.call('lrange', 'l', 0, -1)") == [b"a", b"b", b"c"]


# ---- Lua -> reply ----------------------------------------------------------

LUA_TO_REPLY = [
    ("return 1", b":1\r\n"),
    ("return 3.99", b":3\r\n"),
    ("return -3.7", b":-3\r\n"),
    ("return 1e20", b":-9223372036854775808\r\n"),
    ("return 'x'", b"$1\r\nx\r\n"),
    ("return nil", b"$-1\r\n"),
    ("return true", b":1\r\n"),
    ("return false", b"$-1\r\n"),
    ("return {1, 'a', {2, 3}}", b"*3\r\n:1\r\n$1\r\na\r\n*2\r\n:2\r\n:3\r\n"),
    ("return {1, 2, nil, 4}", b"*2\r\n:1\r\n:2\r\n"),
    ("return {}", b"*0\r\n"),
    ("return {ok='fine'}", b"+fine\r\n"),
    ("return {ok='a\\r\\nb'}", b"+a  b\r\n"),
    ("return redis.status_reply('FINE')", b"+FINE\r\n"),
    ("return {err='My error'}", b"-My error\r\n"),
    ("return redis.error_reply('My err')", b"-My err\r\n"),
    ("return redis.error_reply('-FOO bar')", b"-FOO bar\r\n"),
    ("return redis.error_reply('x')", b"-ERR x\r\n"),
    ("return redis.error_reply('-x\\r\\n')", b"-ERR x\r\n"),
    ("return redis.error_reply('')", b"-ERR \r\n"),
    ("return {'a', err='x'}", b"-x\r\n"),
    ("return {err=5}", b"*0\r\n"),
    ("return {double=1.5}", b"$3\r\n1.5\r\n"),
    ("return {map={a=1}}", b"*2\r\n$1\r\na\r\n:1\r\n"),
    ("return {set={a=true}}", b"*1\r\n$1\r\na\r\n"),
    ("return {big_number='123'}", b"$3\r\n123\r\n"),
    ("return {true, false, 'x'}", b"*3\r\n:1\r\n$-1\r\n$1\r\nx\r\n"),
    ("return redis.status_reply(5)", b"-ERR wrong number or type of arguments\r\n"),
]


@pytest.mark.parametrize("body,wire", LUA_TO_REPLY)
def test_lua_to_reply_resp2(srv, body, wire):
    assert srv.resp().cmd_raw("EVAL", body, 0) == wire


LUA_TO_REPLY_RESP3 = [
    ("return nil", 2, b"_\r\n"),
    ("return false", 2, b"_\r\n"),
    ("return true", 2, b":1\r\n"),
    ("return true", 3, b"#t\r\n"),
    ("return false", 3, b"#f\r\n"),
    ("return {double=1.5}", 3, b",1.5\r\n"),
    ("return {double=3}", 3, b",3\r\n"),
    ("return {map={a=1}}", 3, b"%1\r\n$1\r\na\r\n:1\r\n"),
    ("return {set={a=true}}", 3, b"~1\r\n$1\r\na\r\n"),
    ("return {big_number='123'}", 3, b"(123\r\n"),
    ("return {verbatim_string={format='txt', string='hi'}}", 3, b"=6\r\ntxt:hi\r\n"),
]


@pytest.mark.parametrize("body,resp,wire", LUA_TO_REPLY_RESP3)
def test_lua_to_reply_resp3(srv, body, resp, wire):
    c = srv.resp(3)
    assert c.cmd_raw("EVAL", f"redis.setresp({resp}); {body}", 0) == wire


def test_self_referencing_table_reply(srv):
    # Deeper than resp3.py parses recursively: read the bytes as they come.
    from resp3 import encode_command
    s = srv.raw_socket()
    s.sendall(encode_command("EVAL", "local t = {}; t[1] = t; return t", 0))
    wire = b""
    while not wire.endswith(b"-ERR reached lua stack limit\r\n"):
        chunk = s.recv(65536)
        assert chunk, wire[-200:]
        wire += chunk
    assert wire.startswith(b"*1\r\n*1\r\n")
    assert set(wire[:-len(b"-ERR reached lua stack limit\r\n")].split(b"\r\n")) == {b"*1", b""}


# ---- reply -> Lua ----------------------------------------------------------

def test_reply_to_lua_resp2(srv):
    c = srv.resp()
    c.check("SET", "s", "v")
    c.check("RPUSH", "l", "a", "b")
    body = """
      local function d(v)
        if type(v) == 'table' then
          local out = {}
          for k, x in pairs(v) do out[#out + 1] = tostring(k) .. '=' .. d(x) end
          table.sort(out)
          return '{' .. table.concat(out, ',') .. '}'
        end
        return type(v) .. ':' .. tostring(v)
      end
      return {
        d(redis.call('incr', 'n')), d(redis.call('get', 's')), d(redis.call('get', 'nope')),
        d(redis.call('lrange', 'l', 0, -1)), d(redis.call('set', 'x', 'y')),
        d(redis.pcall('incr', 's')), d(redis.call('lpop', 'nope', 2)),
        d(redis.call('hgetall', 'nope')), d(redis.call('ping'))}
    """
    assert ev(c, body) == [
        b"number:1", b"string:v", b"boolean:false", b"{1=string:a,2=string:b}", b"{ok=string:OK}",
        b"{err=string:ERR value is not an integer or out of range,ignore_error_stats_update=boolean:true}",
        b"boolean:false", b"{}",
        b"{ok=string:PONG}"]


def test_reply_to_lua_resp3(srv):
    c = srv.resp()
    c.check("HSET", "h", "f", "v")
    c.check("SADD", "set", "m")
    c.check("ZADD", "z", "1.5", "a")
    body = """
      redis.setresp(3)
      local m = redis.call('hgetall', 'h')
      local s = redis.call('smembers', 'set')
      local d = redis.call('zscore', 'z', 'a')
      local n = redis.call('get', 'nope')
      local b = redis.call('exists', 'h')
      return {m.map.f, tostring(s.set.m), tostring(d.double), type(n), type(b),
              tostring(redis.call('set', 'k', 'v').ok)}
    """
    assert ev(c, body) == [b"v", b"true", b"1.5", b"nil", b"number", b"OK"]


def test_resp3_map_reply_reaches_resp3_client_as_map(srv):
    c = srv.resp(3)
    c.check("HSET", "h", "f", "v")
    assert c.cmd_raw("EVAL", "redis.setresp(3); return redis.call('hgetall', 'h')", 0) == \
        b"%1\r\n$1\r\nf\r\n$1\r\nv\r\n"
    # Under setresp(2) the command answered RESP2: a flat array.
    assert c.cmd_raw("EVAL", "return redis.call('hgetall', 'h')", 0) == \
        b"*2\r\n$1\r\nf\r\n$1\r\nv\r\n"


def test_number_arguments(srv):
    c = srv.resp()
    for lua, stored in [("5.0", b"5"), ("1.5", b"1.5"), ("0.1", b"0.10000000000000001"),
                        ("1e20", b"1e+20"), ("2^53", b"9007199254740992"), ("-0.0", b"-0"),
                        ("1/0", b"inf"), ("10/2", b"5"), ("7", b"7")]:
        assert ev(c, f"redis.call('set', 'f', {lua}); return redis.call('get', 'f')") == stored
    assert ev(c, "redis.call('set', 'f', 1); return redis.call('incrbyfloat', 'f', 2.5)") == b"3.5"


# ---- errors ----------------------------------------------------------------

def test_call_errors_leave_the_script_with_position(srv):
    c = srv.resp()
    c.check("SET", "s", "x")
    cases = [
        ("return redis.call('nosuch')", "ERR Unknown Redis command called from script"),
        ("return redis.call('get')", "ERR Wrong number of args calling Redis command from script"),
        ("return redis.call('incr', 's')", "ERR value is not an integer or out of range"),
        ("return redis.call('lpush', 's', 'a')",
         "WRONGTYPE Operation against a key holding the wrong kind of value"),
        ("return redis.call('multi')", "ERR This Redis command is not allowed from script"),
        ("return redis.call('eval', 'return 1', 0)",
         "ERR This Redis command is not allowed from script"),
        ("return redis.call()", "ERR Please specify at least one argument for this redis lib call"),
        ("return redis.call('set', 'a', {})",
         "ERR Lua redis lib command arguments must be strings or integers"),
        ("return redis.call('set', 'a', true)",
         "ERR Lua redis lib command arguments must be strings or integers"),
        ("error('boom')", "ERR user_script:1: boom"),
        ("error({err='X y'})", "X y"),
        ("error(redis.error_reply('MY bad'))", "MY bad"),
        ("local x; return x + 1", None),
        ("return redis.log(99, 'x')", "ERR Invalid debug level."),
        ("return redis.log(redis.LOG_WARNING)", "ERR redis.log() requires two arguments or more."),
        ("return redis.setresp(4)", "ERR RESP version must be 2 or 3."),
    ]
    for body, text in cases:
        v = c.cmd("EVAL", body, 0)
        assert isinstance(v, RespError), body
        if text is None:  # Lua's own message differs between 5.1 and 5.4
            assert str(v).startswith("ERR user_script:1: attempt to perform arithmetic")
            assert str(v).endswith(f" script: {sha1(body)}, on @user_script:1.")
        else:
            assert str(v) == script_err(body, text), body
    body = "\nlocal a = 1\nreturn redis.call('incr', 's')"
    assert_err(c.cmd("EVAL", body, 0),
               script_err(body, "ERR value is not an integer or out of range", line=3))


def test_pcall_returns_error_tables(srv):
    c = srv.resp()
    c.check("SET", "s", "x")
    assert_err(ev(c, "return redis.pcall('incr', 's')"),
               "ERR value is not an integer or out of range")
    assert_err(ev(c, "return redis.pcall('nosuch')"), "ERR Unknown Redis command called from script")
    assert_err(ev(c, "return redis.pcall({})"),
               "ERR Lua redis lib command arguments must be strings or integers")
    assert ev(c, "local r = redis.pcall('incr', 's'); return {type(r), r.err}") == \
        [b"table", b"ERR value is not an integer or out of range"]
    # Lua's pcall around redis.call / error(table) yields the err string.
    assert ev(c, "local ok, e = pcall(redis.call, 'incr', 's'); return {tostring(ok), type(e), e}") \
        == [b"false", b"string", b"ERR value is not an integer or out of range"]
    assert ev(c, "local ok, e = pcall(function() error({err='a'}) end); return {type(e), e}") == \
        [b"string", b"a"]
    assert ev(c, "local ok, e = pcall(function() error('x') end); return e") == b"user_script:1: x"
    assert ev(c, "local ok, e = xpcall(redis.call, function(m) return type(m) end, 'incr', 's');"
                 " return e") == b"table"
    # The script goes on after a failed pcall.
    assert ev(c, "redis.pcall('incr', 's'); return redis.call('get', 's')") == b"x"


def test_redis_api_helpers(srv):
    c = srv.resp()
    assert ev(c, "return redis.sha1hex('')") == b"da39a3ee5e6b4b0d3255bfef95601890afd80709"
    assert ev(c, "return redis.sha1hex('abc')") == sha1("abc").encode()
    assert ev(c, "return {redis.REPL_ALL, redis.REPL_AOF, redis.REPL_SLAVE, redis.REPL_REPLICA,"
                 " redis.REPL_NONE, redis.LOG_DEBUG, redis.LOG_VERBOSE, redis.LOG_NOTICE,"
                 " redis.LOG_WARNING}") == [3, 1, 2, 2, 0, 0, 1, 2, 3]
    assert ev(c, "return redis.REDIS_VERSION") == b"7.0.15"
    assert ev(c, "return redis.REDIS_VERSION_NUM") == 0x07000F
    assert ev(c, "return redis.set_repl(redis.REPL_ALL)") is None
    assert ev(c, "return redis.replicate_commands()") == 1
    assert ev(c, "return redis.breakpoint()") is None
    assert ev(c, "return redis.debug('x')") is None
    assert ev(c, "redis.log(redis.LOG_WARNING, 'hello from', 'lua'); return 1") == 1


# ---- sandbox ---------------------------------------------------------------

def test_sandbox_globals(srv):
    c = srv.resp()
    for body, text in [
        ("x = 1", "ERR user_script:1: Attempt to modify a readonly table"),
        ("return y", "ERR user_script:1: Script attempted to access nonexistent global variable 'y'"),
        ("string.x = 1", "ERR user_script:1: Attempt to modify a readonly table"),
        ("redis.x = 1", "ERR user_script:1: Attempt to modify a readonly table"),
        ("_G.x = 1", "ERR user_script:1: Attempt to modify a readonly table"),
        ("redis = nil", "ERR user_script:1: Attempt to modify a readonly table"),
    ]:
        assert_err(c.cmd("EVAL", body, 0), script_err(body, text))
    for name in ["os", "io", "loadfile", "dofile", "require", "print", "debug", "package"]:
        body = f"return type(rawget(_G, '{name}'))"
        assert ev(c, body) == b"nil", name
    for name in ["string", "table", "math", "coroutine", "redis"]:
        assert ev(c, f"return type({name})") == b"table", name
    for name in ["load", "pcall", "xpcall", "rawset", "select", "tonumber", "collectgarbage"]:
        assert ev(c, f"return type({name})") == b"function", name
    assert ev(c, "local t = {}; for k in pairs(string) do t[#t + 1] = k end; return #t > 5") == 1
    assert ev(c, "local x = 5; return x") == 5
    assert ev(c, "return string.rep('a', 3)") == b"aaa"


# ---- script cache ------------------------------------------------------------

def test_script_load_exists_flush_evalsha(srv):
    c = srv.resp()
    body = "return {KEYS[1], ARGV[1]}"
    sha = sha1(body)
    assert c.cmd("SCRIPT", "LOAD", body) == sha.encode()
    assert c.cmd("SCRIPT", "EXISTS", sha, sha.upper(), "0" * 40, "x") == [1, 1, 0, 0]
    assert c.cmd("EVALSHA", sha, 1, "k", "a") == [b"k", b"a"]
    assert c.cmd("EVALSHA", sha.upper(), 1, "k", "a") == [b"k", b"a"]
    assert c.cmd("EVALSHA_RO", sha, 1, "k", "a") == [b"k", b"a"]
    assert c.cmd("SCRIPT", "FLUSH") == b"OK"
    assert c.cmd("SCRIPT", "EXISTS", sha) == [0]
    nos = "NOSCRIPT No matching script. Please use EVAL."
    assert_err(c.cmd("EVALSHA", sha, 0), nos)
    assert_err(c.cmd("EVALSHA", "abc", -1), nos)
    # EVAL caches the script.
    assert ev(c, body, "k", "a", numkeys=1) == [b"k", b"a"]
    assert c.cmd("SCRIPT", "EXISTS", sha) == [1]
    assert c.cmd("SCRIPT", "FLUSH", "ASYNC") == b"OK"
    assert c.cmd("SCRIPT", "FLUSH", "sync") == b"OK"
    assert_err(c.cmd("SCRIPT", "FLUSH", "x"), "ERR SCRIPT FLUSH only support SYNC|ASYNC option")
    assert_err(c.cmd("SCRIPT", "FLUSH", "a", "b"), "ERR SCRIPT FLUSH only support SYNC|ASYNC option")
    assert str(c.cmd("SCRIPT", "LOAD", "x x")).startswith(
        "ERR Error compiling script (new function): user_script:1: ")
    assert_err(c.cmd("SCRIPT", "KILL"), "NOTBUSY No scripts in execution right now.")
    assert_err(c.cmd("SCRIPT", "FOO"), "ERR unknown subcommand 'FOO'. Try SCRIPT HELP.")
    assert_err(c.cmd("SCRIPT", "EXISTS"), "ERR wrong number of arguments for 'script|exists' command")
    assert c.cmd("SCRIPT", "HELP")[0].startswith(b"SCRIPT <subcommand>")


def test_script_cache_is_shared_by_connections(srv):
    a, b = srv.resp(), srv.resp()
    sha = a.cmd("SCRIPT", "LOAD", "return 'shared'").decode()
    assert b.cmd("EVALSHA", sha, 0) == b"shared"


# ---- read-only scripts and shebang ------------------------------------------

def test_eval_ro_and_no_writes(srv):
    c = srv.resp()
    c.check("SET", "k", "v")
    body = "return redis.call('set', KEYS[1], 'x')"
    ro = "ERR Write commands are not allowed from read-only scripts."
    assert_err(c.cmd("EVAL_RO", body, 1, "k"), script_err(body, ro))
    assert c.cmd("EVAL_RO", "return redis.call('get', KEYS[1])", 1, "k") == b"v"
    sha = c.cmd("SCRIPT", "LOAD", body).decode()
    assert_err(c.cmd("EVALSHA_RO", sha, 1, "k"), script_err(body, ro))
    assert_err(c.cmd("EVAL_RO", "return redis.pcall('set', KEYS[1], 'x')", 1, "k"), ro)
    body = "#!lua flags=no-writes\nreturn redis.call('set', 'a', 'b')"
    assert_err(c.cmd("EVAL", body, 0), script_err(body, ro, line=2))
    assert c.cmd("GET", "k") == b"v"


def test_shebang(srv):
    c = srv.resp()
    assert ev(c, "#!lua\nreturn 1") == 1
    assert ev(c, "#!lua flags=\nreturn 1") == 1
    assert ev(c, "#!lua flags=no-writes,allow-oom,allow-stale,no-cluster,allow-cross-slot-keys\n"
                 "return 1") == 1
    assert_err(ev(c, "#!lua flags=bogus\nreturn 1"), "ERR Unexpected flag in script shebang: bogus")
    assert_err(ev(c, "#!python\nreturn 1"), "ERR Unexpected engine in script shebang: #!python")
    assert_err(ev(c, "#!lua x=y\nreturn 1"), "ERR Unknown lua shebang option: x=y")
    assert_err(ev(c, "#!lua"), "ERR Invalid script shebang")
    assert_err(c.cmd("SCRIPT", "LOAD", "#!lua flags=bogus\nreturn 1"),
               "ERR Unexpected flag in script shebang: bogus")
    body = "#!lua\nerror('x')"
    assert_err(c.cmd("EVAL", body, 0), script_err(body, "ERR user_script:2: x", line=2))


def test_select_inside_script_does_not_move_the_caller(srv):
    c = srv.resp()
    assert ev(c, "redis.call('select', 1); redis.call('set', 'a', 'db1'); "
                 "return redis.call('get', 'a')") == b"db1"
    assert c.cmd("GET", "a") is None
    c.check("SELECT", 1)
    assert c.cmd("GET", "a") == b"db1"


def test_script_writes_invalidate_watch(srv):
    c, other = srv.resp(), srv.resp()
    c.check("SET", "w", "1")
    assert c.cmd("WATCH", "w") == b"OK"
    assert other.cmd("EVAL", "return redis.call('incr', KEYS[1])", 1, "w") == 2
    assert c.cmd("MULTI") == b"OK"
    assert c.cmd("INCR", "w") == b"QUEUED"
    assert c.cmd("EXEC") is None
    # ... also when the key was not declared (the exclusive path).
    assert c.cmd("WATCH", "w") == b"OK"
    assert other.cmd("EVAL", "return redis.call('incr', 'w')", 0) == 3
    assert c.cmd("MULTI") == b"OK"
    assert c.cmd("INCR", "w") == b"QUEUED"
    assert c.cmd("EXEC") is None


def test_eval_inside_multi(srv):
    c = srv.resp()
    assert c.cmd("MULTI") == b"OK"
    assert c.cmd("EVAL", "return redis.call('incr', KEYS[1])", 1, "m") == b"QUEUED"
    assert c.cmd("EVAL", "return redis.call('incr', 'undeclared')", 0) == b"QUEUED"
    assert c.cmd("INCR", "m") == b"QUEUED"
    assert c.cmd("EXEC") == [1, 1, 2]


# ---- atomicity and real-world scripts -----------------------------------------

INCR_TWICE = "redis.call('incr', KEYS[1]); redis.call('incr', KEYS[1]); return 1"
INCR_TWICE_UNDECLARED = "redis.call('incr', ARGV[1]); redis.call('incr', ARGV[1]); return 1"


@pytest.mark.parametrize("body,declared", [(INCR_TWICE, True), (INCR_TWICE_UNDECLARED, False)])
def test_scripts_are_atomic_for_other_clients(srv, body, declared):
    stop = threading.Event()
    odd = []

    def reader():
        c = srv.resp()
        while not stop.is_set():
            v = c.cmd("GET", "ctr")
            if v is not None and int(v) % 2 == 1:
                odd.append(int(v))

    def writer():
        c = srv.resp()
        for _ in range(150):
            if declared:
                assert c.cmd("EVAL", body, 1, "ctr") == 1
            else:
                assert c.cmd("EVAL", body, 0, "ctr") == 1

    r = threading.Thread(target=reader)
    r.start()
    writers = [threading.Thread(target=writer) for _ in range(8)]
    for w in writers:
        w.start()
    for w in writers:
        w.join()
    stop.set()
    r.join()
    assert odd == []
    assert srv.resp().cmd("GET", "ctr") == b"2400"


RATE_LIMIT = """
local current = redis.call('incr', KEYS[1])
if current == 1 then redis.call('pexpire', KEYS[1], ARGV[2]) end
if current > tonumber(ARGV[1]) then return 0 end
return 1
"""


def test_rate_limiter(srv):
    c = srv.resp()
    sha = c.cmd("SCRIPT", "LOAD", RATE_LIMIT).decode()
    allowed = [c.cmd("EVALSHA", sha, 1, "rl:user", 3, 100000) for _ in range(5)]
    assert allowed == [1, 1, 1, 0, 0]
    assert 0 < c.cmd("PTTL", "rl:user") <= 100000


LOCK_RELEASE = """
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('del', KEYS[1])
end
return 0
"""


def test_lock_with_safe_release(srv):
    c = srv.resp()
    assert c.cmd("SET", "lock", "token-a", "NX", "PX", 30000) == b"OK"
    assert c.cmd("SET", "lock", "token-b", "NX", "PX", 30000) is None
    assert ev(c, LOCK_RELEASE, "lock", "token-b", numkeys=1) == 0
    assert c.cmd("GET", "lock") == b"token-a"
    assert ev(c, LOCK_RELEASE, "lock", "token-a", numkeys=1) == 1
    assert c.cmd("EXISTS", "lock") == 0


QUEUE_MOVE = """
local job = redis.call('rpop', KEYS[1])
if not job then return false end
redis.call('lpush', KEYS[2], job)
redis.call('hset', KEYS[3], job, ARGV[1])
redis.call('incr', ARGV[2])
return job
"""


def test_queue_move_script(srv):
    c = srv.resp()
    c.check("LPUSH", "q:wait", "j1", "j2", "j3")
    taken = [ev(c, QUEUE_MOVE, "q:wait", "q:active", "q:owner", "worker-1", "q:moved",
                numkeys=3) for _ in range(4)]
    assert taken == [b"j1", b"j2", b"j3", None]
    assert c.cmd("LRANGE", "q:active", 0, -1) == [b"j3", b"j2", b"j1"]
    assert c.cmd("HGET", "q:owner", "j2") == b"worker-1"
    assert c.cmd("GET", "q:moved") == b"3"
    assert c.cmd("LLEN", "q:wait") == 0


def test_concurrent_queue_moves_lose_nothing(srv):
    c = srv.resp()
    c.check("RPUSH", "w", *[f"j{i}" for i in range(400)])
    sha = c.cmd("SCRIPT", "LOAD", QUEUE_MOVE).decode()
    got = []
    lock = threading.Lock()

    def worker(n):
        conn = srv.resp()
        while True:
            job = conn.cmd("EVALSHA", sha, 3, "w", "a", "o", f"worker-{n}", "moved")
            if job is None:
                return
            with lock:
                got.append(job)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(got) == sorted(f"j{i}".encode() for i in range(400))
    assert c.cmd("LLEN", "a") == 400
    assert c.cmd("GET", "moved") == b"400"


# ---- long scripts: the inline budget, BUSY, SCRIPT KILL ------------------------

def test_long_script_reruns_without_repeating_effects(srv):
    # Runs long enough to leave the I/O thread and re-run on the blocking
    # pool (Strata); its write must happen once.
    c = srv.resp()
    body = ("redis.call('incr', KEYS[1]); local n = 0; for i = 1, 3000000 do n = n + i end;"
            " return {n, redis.call('get', KEYS[1])}")
    assert ev(c, body, "once", numkeys=1) == [4500001500000, b"1"]
    assert ev(c, body, "once", numkeys=1) == [4500001500000, b"2"]


def run_in_thread(srv, *args):
    out = {}

    def go():
        try:
            out["reply"] = srv.resp().cmd(*args)
        except Exception as e:  # the server was killed under it
            out["reply"] = e

    t = threading.Thread(target=go)
    t.start()
    return t, out


def wait_busy(srv):
    """The BUSY reply a new connection gets once the script is busy. (On
    Strata a command already waiting for a lock the script holds waits for
    the script instead, so each probe uses a fresh connection.)"""
    import socket
    for _ in range(100):
        c = srv.resp(timeout=0.3)
        try:
            v = c.cmd("GET", "probe")
        except (socket.timeout, TimeoutError):
            continue
        if isinstance(v, RespError):
            return v
        threading.Event().wait(0.02)
    raise AssertionError("the script never became busy")


BUSY = "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE."


@pytest.mark.server_args("--busy-reply-threshold", "200")
def test_busy_script_and_script_kill(server):
    c = server.resp()
    assert_err(c.cmd("SCRIPT", "KILL"), "NOTBUSY No scripts in execution right now.")
    body = "local i = 0; while true do i = i + 1 end"
    t, out = run_in_thread(server, "EVAL", body, 0)
    assert_err(wait_busy(server), BUSY)
    assert c.cmd("SCRIPT", "KILL") == b"OK"
    t.join(10)
    assert not t.is_alive()
    assert_err(out["reply"], script_err(body, "ERR Script killed by user with SCRIPT KILL..."))
    assert c.cmd("PING") == b"PONG"
    assert c.cmd("CONFIG", "GET", "busy-reply-threshold") == [b"busy-reply-threshold", b"200"]
    assert c.cmd("CONFIG", "GET", "lua-time-limit") == [b"lua-time-limit", b"200"]
    # pcall does not stop a kill.
    body = "while true do pcall(function() local i = 0; while true do i = i + 1 end end) end"
    t, out = run_in_thread(server, "EVAL", body, 0)
    wait_busy(server)
    assert c.cmd("SCRIPT", "KILL") == b"OK"
    t.join(10)
    assert str(out["reply"]).startswith("ERR Script killed by user with SCRIPT KILL...")


@pytest.mark.server_args("--busy-reply-threshold", "200")
def test_script_that_wrote_is_unkillable(server):
    c = server.resp()
    body = "redis.call('set', 'w', '1'); while true do end"
    t, out = run_in_thread(server, "EVAL", body, 0)
    assert_err(wait_busy(server), BUSY)
    assert_err(c.cmd("SCRIPT", "KILL"),
               "UNKILLABLE Sorry the script already executed write commands against the dataset. "
               "You can either wait the script termination or kill the server in a hard way using "
               "the SHUTDOWN NOSAVE command.")
    server.kill9()
    t.join(10)


@pytest.mark.strata_only
@pytest.mark.server_args("--busy-reply-threshold", "200")
def test_killing_a_declared_keys_script_drops_its_writes(server):
    # Strata stages a declared-keys script's writes in one batch, so unlike
    # Redis it can still kill it after a write: nothing of it is applied.
    c = server.resp()
    c.check("SET", "k", "before")
    body = "redis.call('set', KEYS[1], 'during'); while true do end"
    t, out = run_in_thread(server, "EVAL", body, 1, "k")
    assert_err(wait_busy(server), BUSY)
    assert c.cmd("SCRIPT", "KILL") == b"OK"
    t.join(10)
    assert str(out["reply"]).startswith("ERR Script killed by user with SCRIPT KILL...")
    assert c.cmd("GET", "k") == b"before"
