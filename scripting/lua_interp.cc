// The per-thread Lua interpreter and its sandbox; see lua_interp.h.
#include "scripting/lua_interp.h"

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include <algorithm>
#include <string>

#include "scripting/lua_convert.h"
#include "scripting/lua_interp_internal.h"
#include "scripting/lua_libs.h"
#include "scripting/script_cache.h"
#include "server/reply_builder.h"

namespace strata::scripting {

namespace sandbox {

namespace {

// Raises "<where>message" at the Lua function that called this C function
// (a metamethod: the script line doing the access).
[[noreturn]] void RaiseAtCaller(lua_State* L, const char* message) {
  luaL_where(L, 1);
  lua_pushstring(L, message);
  lua_concat(L, 2);
  lua_error(L);
  __builtin_unreachable();
}

// __pairs of a read-only proxy: iterates the table it wraps.
int ProxyPairs(lua_State* L) {
  lua_pushcfunction(L, [](lua_State* S) -> int {
    luaL_checktype(S, 1, LUA_TTABLE);
    lua_settop(S, 2);
    return lua_next(S, 1) != 0 ? 2 : (lua_pushnil(S), 1);
  });
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_pushnil(L);
  return 3;
}

int ProxyLen(lua_State* L) {
  lua_pushinteger(L, static_cast<lua_Integer>(lua_rawlen(L, lua_upvalueindex(1))));
  return 1;
}

}  // namespace

RunState*& RunSlot(lua_State* L) {
  return *static_cast<RunState**>(lua_getextraspace(L));
}

int ReadonlyError(lua_State* L) {
  RaiseAtCaller(L, "Attempt to modify a readonly table");
}

int MissingGlobal(lua_State* L) {
  std::string message = "Script attempted to access nonexistent global variable '";
  size_t len = 0;
  const char* name = lua_tolstring(L, 2, &len);
  if (name != nullptr) message.append(name, len);
  message += "'";
  RaiseAtCaller(L, message.c_str());
}

// Replaces the table at the top of the stack by a read-only proxy of it.
void MakeReadonlyProxy(lua_State* L) {
  int real = lua_gettop(L);
  lua_newtable(L);           // proxy
  lua_createtable(L, 0, 4);  // its metatable
  lua_pushvalue(L, real);
  lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, ReadonlyError);
  lua_setfield(L, -2, "__newindex");
  lua_pushvalue(L, real);
  lua_pushcclosure(L, ProxyPairs, 1);
  lua_setfield(L, -2, "__pairs");
  lua_pushvalue(L, real);
  lua_pushcclosure(L, ProxyLen, 1);
  lua_setfield(L, -2, "__len");
  lua_setmetatable(L, -2);
  lua_replace(L, real);
}

// Message handler of a script run: makes the error a table {err=...} and
// records where it was raised (the innermost Lua frame), as Redis's
// __redis__err__handler does.
int ErrorHandler(lua_State* L) {
  lua_Debug ar;
  bool have = lua_getstack(L, 1, &ar) != 0 && lua_getinfo(L, "Sl", &ar) != 0;
  if (have && std::string_view(ar.what) == "C") {
    have = lua_getstack(L, 2, &ar) != 0 && lua_getinfo(L, "Sl", &ar) != 0;
  }
  if (!lua_istable(L, 1)) {
    std::string message = "ERR ";
    size_t len = 0;
    const char* s = luaL_tolstring(L, 1, &len);
    message.append(s, len);
    lua_createtable(L, 0, 3);
    lua_pushlstring(L, message.data(), message.size());
    lua_setfield(L, -2, "err");
    lua_replace(L, 1);
    lua_settop(L, 1);
  }
  if (have) {
    lua_pushstring(L, ar.source);
    lua_setfield(L, 1, "source");
    lua_pushinteger(L, ar.currentline);
    lua_setfield(L, 1, "line");
  }
  return 1;
}

}  // namespace sandbox

namespace {

using namespace sandbox;  // NOLINT: the shared sandbox pieces above

constexpr const char* kScriptsKey = "strata.scripts";  // registry: sha -> function

// Whether the run is being stopped (aborted or killed): pcall and xpcall
// then pass the error on instead of catching it.
bool Stopping(lua_State* L) {
  RunState* run = CurrentRun(L);
  return run != nullptr && run->host != nullptr && (run->host->aborted() || run->host->killed());
}

// The count hook: stops the run when its host says so.
void InterruptHook(lua_State* L, lua_Debug* /*ar*/) {
  RunState* run = CurrentRun(L);
  if (run == nullptr || run->host == nullptr || !run->host->Interrupt()) return;
  RaiseStop(L);
}

// pcall as Redis's: an error table's `err` string is what the caller gets.
int Pcall(lua_State* L) {
  luaL_checkany(L, 1);
  int status = lua_pcall(L, lua_gettop(L) - 1, LUA_MULTRET, 0);
  if (status != LUA_OK) {
    if (Stopping(L)) lua_error(L);
    if (lua_istable(L, -1)) {
      lua_getfield(L, -1, "err");
      if (lua_isstring(L, -1)) {
        lua_remove(L, -2);
      } else {
        lua_pop(L, 1);
      }
    }
    lua_pushboolean(L, 0);
    lua_insert(L, -2);
    return 2;
  }
  lua_pushboolean(L, 1);
  lua_insert(L, 1);
  return lua_gettop(L);
}

int Xpcall(lua_State* L) {
  int n = lua_gettop(L);
  luaL_checktype(L, 2, LUA_TFUNCTION);
  lua_pushvalue(L, 1);  // f, handler, args..., f
  lua_rotate(L, 3, 1);  // f, handler, f, args...
  int status = lua_pcall(L, n - 2, LUA_MULTRET, 2);
  if (status != LUA_OK) {
    if (Stopping(L)) lua_error(L);
    lua_pushboolean(L, 0);
    lua_insert(L, -2);
    return 2;
  }
  lua_pushboolean(L, 1);
  lua_insert(L, 3);
  return lua_gettop(L) - 2;
}

// load(chunk [, chunkname [, mode [, env]]]) restricted to text chunks.
int SafeLoad(lua_State* L) {
  int n = lua_gettop(L);
  int passed = n >= 4 ? 4 : 3;
  lua_settop(L, passed);
  lua_pushstring(L, "t");
  lua_replace(L, 3);
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, passed, LUA_MULTRET);
  return lua_gettop(L);
}

void RemoveGlobal(lua_State* L, const char* name) {
  lua_pushnil(L);
  lua_setglobal(L, name);
}

void OpenLibraries(lua_State* L) {
  const luaL_Reg libs[] = {{LUA_GNAME, luaopen_base},
                           {LUA_TABLIBNAME, luaopen_table},
                           {LUA_STRLIBNAME, luaopen_string},
                           {LUA_MATHLIBNAME, luaopen_math},
                           {LUA_COLIBNAME, luaopen_coroutine}};
  for (const luaL_Reg& lib : libs) {
    luaL_requiref(L, lib.name, lib.func, 1);
    lua_pop(L, 1);
  }
  OpenRedisLibraries(L);
  OpenRedisApi(L);
  for (const char* name : {"dofile", "loadfile", "print", "warn"}) RemoveGlobal(L, name);
  lua_pushcfunction(L, Pcall);
  lua_setglobal(L, "pcall");
  lua_pushcfunction(L, Xpcall);
  lua_setglobal(L, "xpcall");
  lua_getglobal(L, "load");
  lua_pushcclosure(L, SafeLoad, 1);
  lua_setglobal(L, "load");
}

// Locks the globals and every library table (see the header).
void ProtectGlobals(lua_State* L) {
  lua_pushglobaltable(L);
  int g = lua_gettop(L);
  lua_pushnil(L);
  while (lua_next(L, g) != 0) {
    if (lua_istable(L, -1) && !lua_rawequal(L, -1, g)) {
      MakeReadonlyProxy(L);
      lua_pushvalue(L, -2);
      lua_insert(L, -2);
      lua_rawset(L, g);  // replacing an existing key keeps lua_next valid
    } else {
      lua_pop(L, 1);
    }
  }
  lua_createtable(L, 0, 1);
  lua_pushcfunction(L, MissingGlobal);
  lua_setfield(L, -2, "__index");
  lua_setmetatable(L, g);
  // The environment scripts (and chunks they load) see.
  lua_newtable(L);
  int env = lua_gettop(L);
  lua_createtable(L, 0, 2);
  lua_pushvalue(L, g);
  lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, ReadonlyError);
  lua_setfield(L, -2, "__newindex");
  lua_setmetatable(L, env);
  lua_pushvalue(L, env);
  lua_setfield(L, g, "_G");
  lua_pushvalue(L, g);
  lua_setfield(L, LUA_REGISTRYINDEX, kGlobalsKey);
  lua_pushvalue(L, env);
  lua_rawseti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
  lua_settop(L, g - 1);
}

// Sets the real global `name` to an array of `values`.
void SetArrayGlobal(lua_State* L, const char* name, std::span<const std::string_view> values) {
  lua_getfield(L, LUA_REGISTRYINDEX, kGlobalsKey);
  lua_createtable(L, static_cast<int>(values.size()), 0);
  for (size_t i = 0; i < values.size(); ++i) {
    lua_pushlstring(L, values[i].data(), values[i].size());
    lua_rawseti(L, -2, static_cast<lua_Integer>(i + 1));
  }
  lua_setfield(L, -2, name);  // the real globals have no __newindex
  lua_pop(L, 1);
}

}  // namespace

RunState* CurrentRun(lua_State* L) {
  return RunSlot(L);
}

void RaiseStop(lua_State* L) {
  RunState* run = CurrentRun(L);
  if (run != nullptr && run->host != nullptr && run->host->killed()) {
    PushErrorTable(L, "Script killed by user with SCRIPT KILL...");
  } else {
    lua_pushstring(L, "script run aborted");
  }
  lua_error(L);
  __builtin_unreachable();
}

void PushErrorTable(lua_State* L, std::string_view msg) {
  // As luaPushErrorBuff: "-CODE text" keeps its code, "-word" and a message
  // without '-' get "ERR"; a trailing CR/LF is trimmed.
  std::string_view code = "ERR";
  if (msg.starts_with("-")) {
    msg.remove_prefix(1);
    if (size_t space = msg.find(' '); space != std::string_view::npos) {
      code = msg.substr(0, space);
      msg.remove_prefix(space + 1);
    }
  }
  while (!msg.empty() && (msg.back() == '\r' || msg.back() == '\n')) msg.remove_suffix(1);
  std::string err;
  err.reserve(code.size() + 1 + msg.size());
  err.append(code).append(" ").append(msg);
  lua_createtable(L, 0, 1);
  lua_pushlstring(L, err.data(), err.size());
  lua_setfield(L, -2, "err");
}

Interpreter& Interpreter::ForThisThread() {
  thread_local std::unique_ptr<Interpreter> interp;
  uint64_t generation = ScriptCache::Instance().generation();
  if (interp == nullptr || interp->generation_ != generation) {
    interp.reset();
    interp = std::make_unique<Interpreter>();
    interp->generation_ = generation;
  }
  return *interp;
}

Interpreter::Interpreter() : L_(luaL_newstate()) {
  RunSlot(L_) = nullptr;
  OpenLibraries(L_);
  lua_newtable(L_);
  lua_setfield(L_, LUA_REGISTRYINDEX, kScriptsKey);
  ProtectGlobals(L_);
  SetupFunctionEnv(L_);
}

Interpreter::~Interpreter() {
  lua_close(L_);
}

Status Interpreter::Load(const std::string& sha, std::string_view body) {
  lua_getfield(L_, LUA_REGISTRYINDEX, kScriptsKey);
  if (lua_getfield(L_, -1, sha.c_str()) == LUA_TFUNCTION) {
    lua_pop(L_, 2);
    return Status::Ok();
  }
  lua_pop(L_, 1);
  // A shebang line ("#!lua flags=...") was parsed by the caller; Lua 5.4's
  // loader (unlike 5.1's) does not skip it, so it becomes an empty line.
  std::string code;
  if (body.starts_with("#!")) {
    size_t eol = body.find('\n');
    code.assign(eol == std::string_view::npos ? std::string_view() : body.substr(eol));
    body = code;
  }
  if (luaL_loadbufferx(L_, body.data(), body.size(), "@user_script", "t") != LUA_OK) {
    std::string error = "ERR Error compiling script (new function): ";
    error += lua_tostring(L_, -1);
    lua_pop(L_, 2);
    return Status::ClientError(std::move(error));
  }
  lua_setfield(L_, -2, sha.c_str());
  lua_pop(L_, 1);
  return Status::Ok();
}

void Interpreter::Run(const std::string& sha, std::span<const std::string_view> keys,
                      std::span<const std::string_view> args, ScriptHost& host,
                      server::ReplyBuilder* out) {
  RunState run;
  run.host = &host;
  RunSlot(L_) = &run;
  SetArrayGlobal(L_, "KEYS", keys);
  SetArrayGlobal(L_, "ARGV", args);
  lua_pushcfunction(L_, ErrorHandler);
  lua_getfield(L_, LUA_REGISTRYINDEX, kScriptsKey);
  lua_getfield(L_, -1, sha.c_str());
  lua_remove(L_, -2);
  CallAndReply(0, sha, host, out);
  RunSlot(L_) = nullptr;
}

void Interpreter::CallAndReply(int nargs, const std::string& name, ScriptHost& host,
                               server::ReplyBuilder* out) {
  RunState* run = RunSlot(L_);
  lua_sethook(L_, InterruptHook, LUA_MASKCOUNT, kHookInstructions);
  int status = lua_pcall(L_, nargs, 1, 1);
  if (!host.aborted()) {
    if (status == LUA_OK) {
      PopToReply(L_, run->resp, out);
    } else if (lua_istable(L_, -1)) {
      std::string error;
      size_t len = 0;
      lua_getfield(L_, -1, "err");
      if (const char* s = lua_tolstring(L_, -1, &len)) error.assign(s, len);
      lua_getfield(L_, -2, "source");
      lua_getfield(L_, -3, "line");
      if (lua_isstring(L_, -2) && lua_isinteger(L_, -1)) {
        error += " script: " + name + ", on " + lua_tostring(L_, -2) + ":" +
                 std::to_string(lua_tointeger(L_, -1)) + ".";
      }
      out->Error(error);
    } else {
      out->Error(std::string("ERR Error running script ") + name + ", " +
                 (lua_isstring(L_, -1) ? lua_tostring(L_, -1) : "execution failure"));
    }
  }
  lua_settop(L_, 0);
  lua_sethook(L_, nullptr, 0, 0);
}

}  // namespace strata::scripting
