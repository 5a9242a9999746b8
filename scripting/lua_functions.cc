// Function libraries in the interpreter: FUNCTION LOAD's load-time sandbox
// and redis.register_function, the libraries' environment, and FCALL's call
// of a registered function (see lua_interp.h, Redis's function_lua.c).
//
// A library's chunk gets as _ENV one table (the "function env") whose reads
// go to the load API while it loads and to the real globals afterwards, and
// which refuses writes. Its closures keep that _ENV, so at run time they see
// the same sandbox as EVAL scripts (without KEYS/ARGV), while at load time
// only `redis` with register_function, log, LOG_* and REDIS_VERSION* exists.
#include <lauxlib.h>
#include <lua.h>

#include <chrono>
#include <string>
#include <vector>

#include "common/text.h"
#include "scripting/lua_interp.h"
#include "scripting/lua_interp_internal.h"
#include "server/reply_builder.h"

namespace strata::scripting {

namespace {

using namespace sandbox;  // NOLINT: the shared sandbox pieces

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

// Points the libraries' environment at the registry table `key`.
void SetFunctionEnvIndex(lua_State* L, const char* key) {
  lua_getfield(L, LUA_REGISTRYINDEX, kFunctionEnvKey);
  lua_getmetatable(L, -1);
  lua_getfield(L, LUA_REGISTRYINDEX, key);
  lua_setfield(L, -2, "__index");
  lua_pop(L, 2);
}

}  // namespace

namespace sandbox {

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

}  // namespace sandbox

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
