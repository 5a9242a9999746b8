// The per-thread Lua interpreter and its sandbox; see lua_interp.h.
#include "scripting/lua_interp.h"

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include <algorithm>
#include <chrono>
#include <string>

#include "common/text.h"
#include "scripting/lua_convert.h"
#include "scripting/lua_libs.h"
#include "scripting/script_cache.h"
#include "server/reply_builder.h"

namespace strata::scripting {

namespace {

constexpr const char* kScriptsKey = "strata.scripts";  // registry: sha -> function
constexpr const char* kGlobalsKey = "strata.globals";  // registry: the real globals

RunState*& RunSlot(lua_State* L) {
  return *static_cast<RunState**>(lua_getextraspace(L));
}

// Raises "<where>message" at the Lua function that called this C function
// (a metamethod: the script line doing the access).
[[noreturn]] void RaiseAtCaller(lua_State* L, const char* message) {
  luaL_where(L, 1);
  lua_pushstring(L, message);
  lua_concat(L, 2);
  lua_error(L);
  __builtin_unreachable();
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

constexpr const char* kLibrariesKey = "strata.libraries";  // registry: lib -> {fn -> callback}
constexpr const char* kFunctionEnvKey = "strata.fenv";     // registry: libraries' _ENV
constexpr const char* kLoadApiKey = "strata.loadapi";      // registry: globals while loading
constexpr const char* kLoadingKey = "strata.loading";      // registry: callbacks being loaded
constexpr int64_t kLoadTimeoutMs = 500;                    // Redis's LOAD_TIMEOUT_MS

// The library being loaded on this thread (register_function adds to it).
struct LoadContext {
  std::vector<FunctionInfo> functions;
  int callbacks = 0;  // LoadLibrary's stack index of the table fn name -> callback
  std::chrono::steady_clock::time_point start;
  // A lazy recompile on another thread (EnsureLibrary): redis.log stays
  // quiet, so a library's load-time lines appear once per FUNCTION LOAD.
  bool quiet = false;
};
thread_local LoadContext* current_load = nullptr;

// redis.log while loading: the run-time redis.log (upvalue 1) unless quiet.
int LoadLog(lua_State* L) {
  if (current_load != nullptr && current_load->quiet) return 0;
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, 0);
  return 0;
}

[[noreturn]] void RaiseLoadError(lua_State* L, const char* message) {
  PushErrorTable(L, message);
  lua_error(L);
  __builtin_unreachable();
}

bool ReadFlags(lua_State* L, int table, ScriptFlags* flags) {
  for (lua_Integer j = 1;; ++j) {
    int type = lua_geti(L, table, j);
    if (type == LUA_TNIL) {
      lua_pop(L, 1);
      return true;
    }
    if (lua_isstring(L, -1) == 0) return false;
    std::string_view flag = lua_tostring(L, -1);
    lua_pop(L, 1);
    if (EqualsIgnoreCase(flag, "no-writes")) {
      flags->no_writes = true;
    } else if (EqualsIgnoreCase(flag, "allow-oom")) {
      flags->allow_oom = true;
    } else if (EqualsIgnoreCase(flag, "allow-stale")) {
      flags->allow_stale = true;
    } else if (EqualsIgnoreCase(flag, "no-cluster")) {
      flags->no_cluster = true;
    } else if (EqualsIgnoreCase(flag, "allow-cross-slot-keys")) {
      flags->allow_cross_slot_keys = true;
    } else {
      return false;
    }
  }
}

// redis.register_function(name, callback) or redis.register_function{
// function_name=, callback=, flags=, description=}, as Redis 7.0's
// luaRegisterFunction, error texts included.
int RegisterFunction(lua_State* L) {
  LoadContext* load = current_load;
  if (load == nullptr) {
    RaiseLoadError(L, "redis.register_function can only be called on FUNCTION LOAD command");
  }
  int argc = lua_gettop(L);
  if (argc < 1 || argc > 2)
    RaiseLoadError(L, "wrong number of arguments to redis.register_function");
  FunctionInfo info;
  int callback = 0;
  if (argc == 2) {
    if (lua_isstring(L, 1) == 0) {
      RaiseLoadError(L, "first argument to redis.register_function must be a string");
    }
    info.name = lua_tostring(L, 1);
    if (!lua_isfunction(L, 2)) {
      RaiseLoadError(L, "second argument to redis.register_function must be a function");
    }
    callback = 2;
  } else {
    if (!lua_istable(L, 1)) {
      RaiseLoadError(L,
                     "calling redis.register_function with a single argument is only applicable "
                     "to Lua table (representing named arguments).");
    }
    bool have_name = false;
    lua_settop(L, 1);
    lua_pushnil(L);  // slot 2: the callback, once seen
    lua_pushnil(L);
    while (lua_next(L, 1) != 0) {
      if (lua_type(L, -2) != LUA_TSTRING && lua_type(L, -2) != LUA_TNUMBER) {
        RaiseLoadError(L, "named argument key given to redis.register_function is not a string");
      }
      lua_pushvalue(L, -2);
      std::string key = lua_tostring(L, -1);
      lua_pop(L, 1);
      if (EqualsIgnoreCase(key, "function_name")) {
        if (lua_isstring(L, -1) == 0) {
          RaiseLoadError(
              L, "function_name argument given to redis.register_function must be a string");
        }
        info.name = lua_tostring(L, -1);
        have_name = true;
      } else if (EqualsIgnoreCase(key, "description")) {
        if (lua_isstring(L, -1) == 0) {
          RaiseLoadError(L,
                         "description argument given to redis.register_function must be a string");
        }
        info.description = lua_tostring(L, -1);
      } else if (EqualsIgnoreCase(key, "callback")) {
        if (!lua_isfunction(L, -1)) {
          RaiseLoadError(L,
                         "callback argument given to redis.register_function must be a function");
        }
        lua_pushvalue(L, -1);
        lua_replace(L, 2);  // slot 2 (nil until now) holds the callback
        callback = 2;
      } else if (EqualsIgnoreCase(key, "flags")) {
        if (!lua_istable(L, -1)) {
          RaiseLoadError(L,
                         "flags argument to redis.register_function must be a table representing "
                         "function flags");
        }
        if (!ReadFlags(L, lua_gettop(L), &info.flags)) RaiseLoadError(L, "unknown flag given");
      } else {
        RaiseLoadError(L, "unknown argument given to redis.register_function");
      }
      lua_pop(L, 1);
    }
    if (!have_name) RaiseLoadError(L, "redis.register_function must get a function name argument");
    if (callback == 0) RaiseLoadError(L, "redis.register_function must get a callback argument");
  }
  if (!ValidFunctionName(info.name)) {
    // (sic: Redis 7.0.15 words a bad function name as a library name)
    RaiseLoadError(L,
                   "Library names can only contain letters, numbers, or underscores(_) and must "
                   "be at least one character long");
  }
  for (const FunctionInfo& f : load->functions) {
    if (f.name == info.name) RaiseLoadError(L, "Function already exists in the library");
  }
  lua_getfield(L, LUA_REGISTRYINDEX, kLoadingKey);
  lua_pushvalue(L, callback);
  lua_setfield(L, -2, info.name.c_str());
  lua_pop(L, 1);
  load->functions.push_back(std::move(info));
  return 0;
}

// The load hook: a library's code may run 500 ms at most.
void LoadHook(lua_State* L, lua_Debug* /*ar*/) {
  LoadContext* load = current_load;
  if (load == nullptr) return;
  auto elapsed = std::chrono::steady_clock::now() - load->start;
  if (elapsed >= std::chrono::milliseconds(kLoadTimeoutMs))
    RaiseLoadError(L, "FUNCTION LOAD timeout");
}

// A table whose reads of missing names raise MissingGlobal, behind a
// read-only proxy; the proxy is left on the stack. `real` is popped.
void ProtectTable(lua_State* L) {
  lua_createtable(L, 0, 1);
  lua_pushcfunction(L, MissingGlobal);
  lua_setfield(L, -2, "__index");
  lua_setmetatable(L, -2);
  MakeReadonlyProxy(L);
}

// The libraries' environment: an empty table whose reads go to the load
// API while a library loads and to the real globals otherwise (switched
// by SetFunctionEnvIndex), and which refuses writes. Library closures keep
// it as their _ENV.
void SetupFunctionEnv(lua_State* L) {
  // The load API: globals = {redis = {register_function, log, LOG_*, REDIS_VERSION*}}.
  lua_newtable(L);  // load globals
  lua_newtable(L);  // its redis table
  lua_pushcfunction(L, RegisterFunction);
  lua_setfield(L, -2, "register_function");
  lua_getglobal(L, "redis");
  lua_getfield(L, -1, "log");
  lua_pushcclosure(L, LoadLog, 1);
  lua_setfield(L, -3, "log");
  for (const char* name : {"LOG_DEBUG", "LOG_VERBOSE", "LOG_NOTICE", "LOG_WARNING", "REDIS_VERSION",
                           "REDIS_VERSION_NUM"}) {
    lua_getfield(L, -1, name);
    lua_setfield(L, -3, name);
  }
  lua_pop(L, 1);
  ProtectTable(L);
  lua_setfield(L, -2, "redis");
  lua_createtable(L, 0, 1);
  lua_pushcfunction(L, MissingGlobal);
  lua_setfield(L, -2, "__index");
  lua_setmetatable(L, -2);
  lua_setfield(L, LUA_REGISTRYINDEX, kLoadApiKey);

  lua_newtable(L);  // the env
  lua_createtable(L, 0, 2);
  lua_getfield(L, LUA_REGISTRYINDEX, kGlobalsKey);
  lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, ReadonlyError);
  lua_setfield(L, -2, "__newindex");
  lua_setmetatable(L, -2);
  lua_setfield(L, LUA_REGISTRYINDEX, kFunctionEnvKey);
  lua_newtable(L);
  lua_setfield(L, LUA_REGISTRYINDEX, kLibrariesKey);
}

// Points the libraries' environment at the registry table `key`.
void SetFunctionEnvIndex(lua_State* L, const char* key) {
  lua_getfield(L, LUA_REGISTRYINDEX, kFunctionEnvKey);
  lua_getmetatable(L, -1);
  lua_getfield(L, LUA_REGISTRYINDEX, key);
  lua_setfield(L, -2, "__index");
  lua_pop(L, 2);
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

StatusOr<std::vector<FunctionInfo>> Interpreter::LoadLibrary(const Library& lib, bool quiet) {
  std::string_view code = lib.code;
  // The metadata line becomes an empty line, so line numbers stay the file's.
  std::string chunk;
  size_t eol = code.find('\n');
  chunk.assign(eol == std::string_view::npos ? std::string_view() : code.substr(eol));
  lua_settop(L_, 0);
  if (luaL_loadbufferx(L_, chunk.data(), chunk.size(), "@user_function", "t") != LUA_OK) {
    std::string error = "ERR Error compiling function: ";
    error += lua_tostring(L_, -1);
    lua_settop(L_, 0);
    return Status::ClientError(std::move(error));
  }
  lua_getfield(L_, LUA_REGISTRYINDEX, kFunctionEnvKey);
  if (lua_setupvalue(L_, -2, 1) == nullptr) lua_pop(L_, 1);  // the chunk's _ENV
  LoadContext load;
  load.quiet = quiet;
  lua_newtable(L_);
  load.callbacks = lua_gettop(L_);
  lua_pushvalue(L_, load.callbacks);
  lua_setfield(L_, LUA_REGISTRYINDEX, kLoadingKey);
  load.start = std::chrono::steady_clock::now();
  lua_pushcfunction(L_, ErrorHandler);
  lua_pushvalue(L_, 1);  // handler, chunk
  current_load = &load;
  SetFunctionEnvIndex(L_, kLoadApiKey);
  lua_sethook(L_, LoadHook, LUA_MASKCOUNT, kHookInstructions);
  int status = lua_pcall(L_, 0, 0, load.callbacks + 1);
  lua_sethook(L_, nullptr, 0, 0);
  SetFunctionEnvIndex(L_, kGlobalsKey);
  current_load = nullptr;
  lua_pushnil(L_);
  lua_setfield(L_, LUA_REGISTRYINDEX, kLoadingKey);
  if (status != LUA_OK) {
    std::string error = "ERR Error registering functions: ";
    if (lua_istable(L_, -1)) lua_getfield(L_, -1, "err");
    size_t len = 0;
    if (const char* s = lua_tolstring(L_, -1, &len)) error.append(s, len);
    lua_settop(L_, 0);
    return Status::ClientError(std::move(error));
  }
  if (load.functions.empty()) {
    lua_settop(L_, 0);
    return Status::ClientError("ERR No functions registered");
  }
  lua_getfield(L_, LUA_REGISTRYINDEX, kLibrariesKey);
  lua_pushvalue(L_, load.callbacks);
  lua_setfield(L_, -2, lib.name.c_str());
  lua_settop(L_, 0);
  libraries_[lib.name] = lib.id;
  return std::move(load.functions);
}

Status Interpreter::EnsureLibrary(const Library& lib) {
  auto it = libraries_.find(lib.name);
  if (it != libraries_.end() && it->second == lib.id) return Status::Ok();
  auto loaded = LoadLibrary(lib, /*quiet=*/true);
  return loaded.ok() ? Status::Ok() : loaded.status();
}

void Interpreter::RunFunction(const Library& lib, const std::string& fn,
                              std::span<const std::string_view> keys,
                              std::span<const std::string_view> args, ScriptHost& host,
                              server::ReplyBuilder* out) {
  RunState run;
  run.host = &host;
  RunSlot(L_) = &run;
  // Functions see no KEYS/ARGV globals (an EVAL may have left them).
  lua_getfield(L_, LUA_REGISTRYINDEX, kGlobalsKey);
  for (const char* name : {"KEYS", "ARGV"}) {
    lua_pushnil(L_);
    lua_setfield(L_, -2, name);
  }
  lua_pop(L_, 1);
  lua_settop(L_, 0);
  lua_pushcfunction(L_, ErrorHandler);
  lua_getfield(L_, LUA_REGISTRYINDEX, kLibrariesKey);
  if (lua_getfield(L_, -1, lib.name.c_str()) != LUA_TTABLE ||
      lua_getfield(L_, -1, fn.c_str()) != LUA_TFUNCTION) {
    lua_settop(L_, 0);
    RunSlot(L_) = nullptr;
    return out->Error("ERR Function not found");
  }
  lua_replace(L_, 2);
  lua_settop(L_, 2);
  for (auto values : {keys, args}) {
    lua_createtable(L_, static_cast<int>(values.size()), 0);
    for (size_t i = 0; i < values.size(); ++i) {
      lua_pushlstring(L_, values[i].data(), values[i].size());
      lua_rawseti(L_, -2, static_cast<lua_Integer>(i + 1));
    }
  }
  CallAndReply(2, fn, host, out);
  RunSlot(L_) = nullptr;
}

}  // namespace strata::scripting
