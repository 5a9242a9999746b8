// Unit tests of the scripting layer without a server: reply <-> Lua
// conversion (RESP2 and RESP3), number arguments, shebang parsing, SHA-1,
// and the interpreter's sandbox and redis.call path with a fake host.
#include "scripting/lua_convert.h"

#include <gtest/gtest.h>
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include <string>
#include <vector>

#include "scripting/lua_interp.h"
#include "scripting/sha1.h"
#include "scripting/shebang.h"
#include "server/reply_builder.h"

namespace strata::scripting {
namespace {

class LuaTest : public ::testing::Test {
 protected:
  LuaTest() : L_(luaL_newstate()) { luaL_openlibs(L_); }
  ~LuaTest() override { lua_close(L_); }

  // Reply bytes -> Lua -> reply bytes, in `resp` (script and client alike).
  std::string RoundTrip(std::string_view wire, int resp = 2) {
    EXPECT_EQ(PushReply(L_, wire), wire.size()) << wire;
    return ToReply(resp, resp);
  }
  std::string ToReply(int script_resp, int client_resp) {
    std::string out;
    server::ReplyBuilder rb(&out);
    rb.set_protocol(client_resp);
    PopToReply(L_, script_resp, &rb);
    EXPECT_EQ(lua_gettop(L_), 0);
    return out;
  }
  // Evaluates a Lua expression and converts it.
  std::string Eval(const std::string& expr, int script_resp = 2, int client_resp = 2) {
    EXPECT_EQ(luaL_dostring(L_, ("return " + expr).c_str()), LUA_OK) << lua_tostring(L_, -1);
    return ToReply(script_resp, client_resp);
  }

  lua_State* L_;
};

TEST_F(LuaTest, Resp2RepliesBecomeLuaValuesAndBack) {
  EXPECT_EQ(RoundTrip(":42\r\n"), ":42\r\n");
  EXPECT_EQ(RoundTrip(":-9223372036854775808\r\n"), ":-9223372036854775808\r\n");
  EXPECT_EQ(RoundTrip("$3\r\nabc\r\n"), "$3\r\nabc\r\n");
  EXPECT_EQ(RoundTrip("$4\r\na\r\nb\r\n"), "$4\r\na\r\nb\r\n");  // binary-safe
  EXPECT_EQ(RoundTrip("+OK\r\n"), "+OK\r\n");
  EXPECT_EQ(RoundTrip("-ERR bad\r\n"), "-ERR bad\r\n");
  EXPECT_EQ(RoundTrip("*2\r\n:1\r\n*1\r\n$1\r\nx\r\n"), "*2\r\n:1\r\n*1\r\n$1\r\nx\r\n");
  EXPECT_EQ(RoundTrip("*0\r\n"), "*0\r\n");
  // Nil bulk and nil array become false, which replies as a nil bulk.
  EXPECT_EQ(RoundTrip("$-1\r\n"), "$-1\r\n");
  EXPECT_EQ(RoundTrip("*-1\r\n"), "$-1\r\n");
}

TEST_F(LuaTest, Resp2TypesSeenByLua) {
  ASSERT_EQ(PushReply(L_, ":5\r\n"), 4u);
  EXPECT_TRUE(lua_isinteger(L_, -1));
  ASSERT_GT(PushReply(L_, "$-1\r\n"), 0u);
  EXPECT_TRUE(lua_isboolean(L_, -1));
  EXPECT_FALSE(lua_toboolean(L_, -1));
  ASSERT_GT(PushReply(L_, "+PONG\r\n"), 0u);
  lua_getfield(L_, -1, "ok");
  EXPECT_STREQ(lua_tostring(L_, -1), "PONG");
  lua_settop(L_, 0);
}

TEST_F(LuaTest, Resp3RepliesBecomeTaggedTables) {
  EXPECT_EQ(RoundTrip("%1\r\n$1\r\nk\r\n:1\r\n", 3), "%1\r\n$1\r\nk\r\n:1\r\n");
  EXPECT_EQ(RoundTrip("~1\r\n$1\r\nm\r\n", 3), "~1\r\n$1\r\nm\r\n");
  EXPECT_EQ(RoundTrip(",1.5\r\n", 3), ",1.5\r\n");
  EXPECT_EQ(RoundTrip(",inf\r\n", 3), ",inf\r\n");
  EXPECT_EQ(RoundTrip("#t\r\n", 3), "#t\r\n");
  EXPECT_EQ(RoundTrip("#f\r\n", 3), "#f\r\n");
  EXPECT_EQ(RoundTrip("_\r\n", 3), "_\r\n");
  EXPECT_EQ(RoundTrip("(12345678901234567890\r\n", 3), "(12345678901234567890\r\n");
  EXPECT_EQ(RoundTrip("=7\r\ntxt:abc\r\n", 3), "=7\r\ntxt:abc\r\n");
  EXPECT_EQ(RoundTrip("!5\r\nERR x\r\n", 3), "-ERR x\r\n");
  // Attributes are skipped.
  EXPECT_EQ(RoundTrip("|1\r\n+a\r\n+b\r\n:7\r\n", 3), ":7\r\n");
  // A RESP2 client gets RESP2 forms of what the script returns.
  ASSERT_GT(PushReply(L_, "%1\r\n$1\r\nk\r\n:1\r\n"), 0u);
  EXPECT_EQ(ToReply(3, 2), "*2\r\n$1\r\nk\r\n:1\r\n");
  ASSERT_GT(PushReply(L_, "#t\r\n"), 0u);
  EXPECT_EQ(ToReply(3, 2), ":1\r\n");
}

TEST_F(LuaTest, MalformedRepliesPushNothing) {
  for (std::string_view bad : {"", ":x\r\n", "$5\r\nab\r\n", "*2\r\n:1\r\n", "?\r\n", ":1"}) {
    EXPECT_EQ(PushReply(L_, bad), 0u) << bad;
  }
}

TEST_F(LuaTest, LuaValuesAsReplies) {
  EXPECT_EQ(Eval("3.99"), ":3\r\n");
  EXPECT_EQ(Eval("-3.99"), ":-3\r\n");
  EXPECT_EQ(Eval("1e20"), ":-9223372036854775808\r\n");
  EXPECT_EQ(Eval("0/0"), ":-9223372036854775808\r\n");
  EXPECT_EQ(Eval("math.maxinteger"), ":9223372036854775807\r\n");
  EXPECT_EQ(Eval("nil"), "$-1\r\n");
  EXPECT_EQ(Eval("nil", 2, 3), "_\r\n");
  EXPECT_EQ(Eval("true"), ":1\r\n");
  EXPECT_EQ(Eval("false"), "$-1\r\n");
  EXPECT_EQ(Eval("true", 3, 3), "#t\r\n");
  EXPECT_EQ(Eval("false", 3, 2), ":0\r\n");
  EXPECT_EQ(Eval("{1, 2, nil, 3}"), "*2\r\n:1\r\n:2\r\n");
  EXPECT_EQ(Eval("{ok = 'a\\r\\nb'}"), "+a  b\r\n");
  EXPECT_EQ(Eval("{err = 'CODE x'}"), "-CODE x\r\n");
  EXPECT_EQ(Eval("{err = 5, 7}"), "*1\r\n:7\r\n");  // a non-string err is no error
  EXPECT_EQ(Eval("{double = 2.5}", 2, 3), ",2.5\r\n");
  EXPECT_EQ(Eval("{double = 2.5}"), "$3\r\n2.5\r\n");
  EXPECT_EQ(Eval("{big_number = '1\\n2'}", 2, 3), "(1 2\r\n");
  EXPECT_EQ(Eval("{set = {}}", 2, 3), "~0\r\n");
  EXPECT_EQ(Eval("{verbatim_string = {format = 'mkd', string = '#'}}", 2, 3), "=5\r\nmkd:#\r\n");
  EXPECT_EQ(Eval("function() end"), "$-1\r\n");
}

TEST_F(LuaTest, SelfReferencingTableEndsInStackLimitError) {
  ASSERT_EQ(luaL_dostring(L_, "local t = {}; t[1] = t; return t"), LUA_OK);
  std::string out = ToReply(2, 2);
  EXPECT_TRUE(out.starts_with("*1\r\n*1\r\n"));
  EXPECT_TRUE(out.ends_with("-ERR reached lua stack limit\r\n"));
}

TEST_F(LuaTest, NumberArgumentsAsRedisFormatsThem) {
  auto arg = [&](const char* expr) {
    EXPECT_EQ(luaL_dostring(L_, (std::string("return ") + expr).c_str()), LUA_OK);
    std::string s = NumberArgument(L_, -1);
    lua_settop(L_, 0);
    return s;
  };
  EXPECT_EQ(arg("5"), "5");
  EXPECT_EQ(arg("5.0"), "5");
  EXPECT_EQ(arg("10/2"), "5");
  EXPECT_EQ(arg("-7"), "-7");
  EXPECT_EQ(arg("1.5"), "1.5");
  EXPECT_EQ(arg("0.1"), "0.10000000000000001");
  EXPECT_EQ(arg("1e20"), "1e+20");
  EXPECT_EQ(arg("math.mininteger"), "-9223372036854775808");
}

TEST(Shebang, FlagsAndErrors) {
  auto flags = ParseShebang("return 1");
  ASSERT_TRUE(flags.ok());
  EXPECT_FALSE(flags->shebang);
  flags = ParseShebang("#!lua flags=no-writes,allow-oom\nreturn 1");
  ASSERT_TRUE(flags.ok());
  EXPECT_TRUE(flags->shebang && flags->no_writes && flags->allow_oom && !flags->allow_stale);
  EXPECT_EQ(ParseShebang("#!lua").status().message(), "ERR Invalid script shebang");
  EXPECT_EQ(ParseShebang("#!js\n").status().message(),
            "ERR Unexpected engine in script shebang: #!js");
  EXPECT_EQ(ParseShebang("#!lua foo\n").status().message(), "ERR Unknown lua shebang option: foo");
  EXPECT_EQ(ParseShebang("#!lua flags=x\n").status().message(),
            "ERR Unexpected flag in script shebang: x");
}

TEST(Sha1, KnownDigests) {
  EXPECT_EQ(Sha1Hex(""), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  EXPECT_EQ(Sha1Hex("abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
}

// A host answering every command with a canned reply, recording argv.
class FakeHost : public ScriptHost {
 public:
  bool Call(std::span<const std::string_view> argv, int resp, std::string* reply) override {
    calls.emplace_back(argv.begin(), argv.end());
    last_resp = resp;
    if (abort_on_call) {
      aborted_ = true;
      return false;
    }
    reply->append(canned);
    return true;
  }
  bool aborted() const override { return aborted_; }
  bool Interrupt() override {
    ++polls;
    killed_ = kill_on_poll;
    return killed_;
  }
  bool killed() const override { return killed_; }

  std::vector<std::vector<std::string>> calls;
  int polls = 0;
  bool kill_on_poll = false;
  bool killed_ = false;
  std::string canned = "+OK\r\n";
  int last_resp = 0;
  bool abort_on_call = false;
  bool aborted_ = false;
};

std::string RunScript(Interpreter& interp, const std::string& body, FakeHost& host,
                      std::vector<std::string_view> keys = {},
                      std::vector<std::string_view> args = {}) {
  std::string sha = Sha1Hex(body);
  Status st = interp.Load(sha, body);
  if (!st.ok()) return st.message();
  std::string out;
  server::ReplyBuilder rb(&out);
  interp.Run(sha, keys, args, host, &rb);
  return out;
}

TEST(Interpreter, CallPassesArgumentsAndConvertsReplies) {
  Interpreter interp;
  FakeHost host;
  host.canned = ":41\r\n";
  EXPECT_EQ(
      RunScript(interp, "return redis.call('incr', KEYS[1], 2.0, ARGV[1]) + 1", host, {"k"}, {"a"}),
      ":42\r\n");
  ASSERT_EQ(host.calls.size(), 1u);
  EXPECT_EQ(host.calls[0], (std::vector<std::string>{"incr", "k", "2", "a"}));
  EXPECT_EQ(host.last_resp, 2);
  RunScript(interp, "redis.setresp(3); return redis.call('x')", host);
  EXPECT_EQ(host.last_resp, 3);
}

TEST(Interpreter, ErrorsCarryScriptAndLine) {
  Interpreter interp;
  FakeHost host;
  host.canned = "-WRONGTYPE no\r\n";
  std::string body = "\nreturn redis.call('get', 'k')";
  EXPECT_EQ(RunScript(interp, body, host),
            "-WRONGTYPE no script: " + Sha1Hex(body) + ", on @user_script:2.\r\n");
  EXPECT_EQ(RunScript(interp, "return redis.pcall('get', 'k')", host), "-WRONGTYPE no\r\n");
  body = "error('x')";
  EXPECT_EQ(RunScript(interp, body, host),
            "-ERR user_script:1: x script: " + Sha1Hex(body) + ", on @user_script:1.\r\n");
  EXPECT_EQ(RunScript(interp, "return (", host).substr(0, 53),
            "ERR Error compiling script (new function): user_scrip");
}

TEST(Interpreter, AbortIsNotCaughtByPcallAndRepliesNothing) {
  Interpreter interp;
  FakeHost host;
  host.abort_on_call = true;
  EXPECT_EQ(RunScript(interp,
                      "local ok = pcall(redis.call, 'get', 'k'); "
                      "local ok2 = pcall(function() return redis.pcall('get', 'k') end); return 1",
                      host),
            "");
  EXPECT_EQ(host.calls.size(), 1u);
}

TEST(Interpreter, KillFromTheHookIsNotCaughtByPcall) {
  Interpreter interp;
  FakeHost host;
  host.kill_on_poll = true;
  std::string body = "while true do pcall(function() while true do end end) end";
  EXPECT_EQ(RunScript(interp, body, host),
            "-ERR Script killed by user with SCRIPT KILL... script: " + Sha1Hex(body) +
                ", on @user_script:1.\r\n");
  EXPECT_EQ(host.polls, 1);
  // The interpreter is usable afterwards, without the hook's verdict.
  FakeHost next;
  EXPECT_EQ(RunScript(interp, "local n = 0; for i = 1, 300000 do n = n + 1 end; return n", next),
            ":300000\r\n");
  EXPECT_GE(next.polls, 1);
}

TEST(Interpreter, SandboxIsReadOnly) {
  Interpreter interp;
  FakeHost host;
  std::string body = "x = 1";
  EXPECT_EQ(RunScript(interp, body, host),
            "-ERR user_script:1: Attempt to modify a readonly table script: " + Sha1Hex(body) +
                ", on @user_script:1.\r\n");
  body = "return nope";
  EXPECT_EQ(RunScript(interp, body, host),
            "-ERR user_script:1: Script attempted to access nonexistent global variable 'nope' "
            "script: " +
                Sha1Hex(body) + ", on @user_script:1.\r\n");
  EXPECT_EQ(RunScript(interp, "return rawget(_G, 'os') == nil and rawget(_G, 'io') == nil", host),
            ":1\r\n");
  EXPECT_EQ(RunScript(interp, "return load(string.dump(function() end))", host), "$-1\r\n");
}

}  // namespace
}  // namespace strata::scripting
