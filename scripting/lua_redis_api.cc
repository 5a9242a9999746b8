// The `redis` table scripts see: call, pcall, error_reply, status_reply,
// sha1hex, log, setresp, set_repl, replicate_commands, breakpoint, debug,
// and the REPL_*, LOG_* and REDIS_VERSION* constants — each as Redis 7.0.15
// behaves, error texts included.
#include <lauxlib.h>
#include <lua.h>

#include <string>
#include <vector>

#include "common/log.h"
#include "scripting/lua_convert.h"
#include "scripting/lua_interp.h"
#include "scripting/sha1.h"
#include "server/version.h"

namespace strata::scripting {

namespace {

[[noreturn]] void RaiseErrorTable(lua_State* L, std::string_view msg) {
  PushErrorTable(L, msg);
  lua_error(L);
  __builtin_unreachable();
}

// redis.call (raise = true) and redis.pcall.
int CallCommand(lua_State* L, bool raise) {
  RunState* run = CurrentRun(L);
  int argc = lua_gettop(L);
  if (argc == 0) {
    PushErrorTable(L, "Please specify at least one argument for this redis lib call");
    if (raise) lua_error(L);
    return 1;
  }
  std::vector<std::string> args;
  args.reserve(static_cast<size_t>(argc));
  for (int i = 1; i <= argc; ++i) {
    int type = lua_type(L, i);
    if (type == LUA_TNUMBER) {
      args.push_back(NumberArgument(L, i));
    } else if (type == LUA_TSTRING) {
      size_t len = 0;
      const char* s = lua_tolstring(L, i, &len);
      args.emplace_back(s, len);
    } else {
      PushErrorTable(L, "Lua redis lib command arguments must be strings or integers");
      if (raise) lua_error(L);
      return 1;
    }
  }
  if (run == nullptr || run->host == nullptr) {
    RaiseErrorTable(L, "redis.call is only available while a script runs");
  }
  if (run->host->aborted() || run->host->killed()) RaiseStop(L);
  std::vector<std::string_view> argv(args.begin(), args.end());
  std::string reply;
  if (!run->host->Call(argv, run->resp, &reply)) RaiseStop(L);
  if (PushReply(L, reply) == 0) RaiseErrorTable(L, "Invalid reply from command");
  if (reply.starts_with("-")) {
    // The command's error was counted in the error stats when it was
    // replied; Redis marks the table so the script's reply is not counted again.
    lua_pushboolean(L, 1);
    lua_setfield(L, -2, "ignore_error_stats_update");
    if (raise) lua_error(L);
  }
  return 1;
}

int Call(lua_State* L) {
  return CallCommand(L, true);
}
int PCall(lua_State* L) {
  return CallCommand(L, false);
}

int ErrorReply(lua_State* L) {
  if (lua_gettop(L) != 1 || lua_type(L, -1) != LUA_TSTRING) {
    PushErrorTable(L, "wrong number or type of arguments");
    return 1;
  }
  size_t len = 0;
  const char* s = lua_tolstring(L, 1, &len);
  std::string msg;
  if (len == 0 || s[0] != '-') msg.push_back('-');  // always "-CODE text" form
  msg.append(s, len);
  PushErrorTable(L, msg);
  return 1;
}

int StatusReply(lua_State* L) {
  if (lua_gettop(L) != 1 || lua_type(L, -1) != LUA_TSTRING) {
    PushErrorTable(L, "wrong number or type of arguments");
    return 1;
  }
  lua_createtable(L, 0, 1);
  lua_pushvalue(L, 1);
  lua_setfield(L, -2, "ok");
  return 1;
}

int Sha1hex(lua_State* L) {
  if (lua_gettop(L) != 1) return luaL_error(L, "wrong number of arguments");
  size_t len = 0;
  const char* s = lua_tolstring(L, 1, &len);
  std::string hex = Sha1Hex(std::string_view(s != nullptr ? s : "", s != nullptr ? len : 0));
  lua_pushlstring(L, hex.data(), hex.size());
  return 1;
}

int Log(lua_State* L) {
  int argc = lua_gettop(L);
  if (argc < 2) RaiseErrorTable(L, "redis.log() requires two arguments or more.");
  if (!lua_isnumber(L, 1)) RaiseErrorTable(L, "First argument must be a number (log level).");
  lua_Integer level = lua_tointeger(L, 1);
  if (level < 0 || level > 3) RaiseErrorTable(L, "Invalid debug level.");
  std::string message;
  for (int i = 2; i <= argc; ++i) {
    size_t len = 0;
    const char* s = lua_tolstring(L, i, &len);
    if (s == nullptr) continue;
    if (!message.empty()) message += ' ';
    message.append(s, len);
  }
  log::Write(static_cast<log::Level>(level), message);
  return 0;
}

int SetResp(lua_State* L) {
  if (lua_gettop(L) != 1) RaiseErrorTable(L, "redis.setresp() requires one argument.");
  lua_Integer resp = lua_tointeger(L, 1);
  if (resp != 2 && resp != 3) RaiseErrorTable(L, "RESP version must be 2 or 3.");
  if (RunState* run = CurrentRun(L)) run->resp = static_cast<int>(resp);
  return 0;
}

// Replication flags are accepted and checked; Strata replicates the WAL,
// which holds exactly the script's effects whatever they say.
int SetRepl(lua_State* L) {
  if (lua_gettop(L) != 1) RaiseErrorTable(L, "redis.set_repl() requires one argument.");
  lua_Integer flags = lua_tointeger(L, 1);
  if (flags < 0 || flags > 3) {
    RaiseErrorTable(
        L, "Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.");
  }
  return 0;
}

int ReplicateCommands(lua_State* L) {
  lua_pushboolean(L, 1);  // effects replication is the only mode (Redis 7)
  return 1;
}

int Breakpoint(lua_State* L) {
  lua_pushboolean(L, 0);  // no debugging session (SCRIPT DEBUG is not served)
  return 1;
}

int Debug(lua_State* /*L*/) {
  return 0;
}

void SetInteger(lua_State* L, const char* name, lua_Integer v) {
  lua_pushinteger(L, v);
  lua_setfield(L, -2, name);
}

}  // namespace

void OpenRedisApi(lua_State* L) {
  const luaL_Reg functions[] = {{"call", Call},
                                {"pcall", PCall},
                                {"error_reply", ErrorReply},
                                {"status_reply", StatusReply},
                                {"sha1hex", Sha1hex},
                                {"log", Log},
                                {"setresp", SetResp},
                                {"set_repl", SetRepl},
                                {"replicate_commands", ReplicateCommands},
                                {"breakpoint", Breakpoint},
                                {"debug", Debug},
                                {nullptr, nullptr}};
  luaL_newlib(L, functions);
  SetInteger(L, "LOG_DEBUG", 0);
  SetInteger(L, "LOG_VERBOSE", 1);
  SetInteger(L, "LOG_NOTICE", 2);
  SetInteger(L, "LOG_WARNING", 3);
  SetInteger(L, "REPL_NONE", 0);
  SetInteger(L, "REPL_AOF", 1);
  SetInteger(L, "REPL_SLAVE", 2);
  SetInteger(L, "REPL_REPLICA", 2);
  SetInteger(L, "REPL_ALL", 3);
  lua_pushstring(L, server::kRedisVersion);
  lua_setfield(L, -2, "REDIS_VERSION");
  int major = 0, minor = 0, patch = 0;
  std::sscanf(server::kRedisVersion, "%d.%d.%d", &major, &minor, &patch);
  SetInteger(L, "REDIS_VERSION_NUM", (major << 16) | (minor << 8) | patch);
  lua_setglobal(L, "redis");
}

}  // namespace strata::scripting
