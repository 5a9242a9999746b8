// Interpreter: one Lua 5.4 state set up as Redis 7.0's scripting sandbox,
// one per thread that runs scripts (I/O threads and blocking-pool threads;
// a Lua state is not thread-safe, and a thread runs one script at a time).
//
// THE SANDBOX (as Redis 7.0.15 presents it):
//   - libraries: base, table, string, math, coroutine, and what
//     OpenRedisLibraries adds (cjson, cmsgpack, struct, bit, 5.1 shims);
//     no os, io, debug, package/require, dofile, loadfile, print; `load`
//     accepts text chunks only (no bytecode).
//   - globals are read-only: a script's _ENV is an empty proxy whose
//     __newindex raises "Attempt to modify a readonly table" and whose reads
//     fall through to the real globals, which raise "Script attempted to
//     access nonexistent global variable 'x'" for a missing name. Every
//     library table is wrapped the same way (string.x = 1 is refused too).
//   - pcall returns the `err` string of an error table (redis.call's
//     errors, error(redis.error_reply(..))), as Redis's pcall does;
//     an aborted run (see ScriptHost) cannot be caught by pcall/xpcall.
//   - errors that leave the script become "<err> script: <sha>, on
//     @user_script:<line>." replies; a non-table error gets "ERR ".
//
// Compiled scripts live in the registry by SHA-1. The state is rebuilt when
// the script cache's generation moves on (SCRIPT FLUSH).
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/status.h"
#include "scripting/function_registry.h"

struct lua_State;

namespace strata::server {
class ReplyBuilder;
}

namespace strata::scripting {

// What runs the commands a script calls (scripting/script_runner.h).
class ScriptHost {
 public:
  virtual ~ScriptHost() = default;
  // Runs argv for redis.call / redis.pcall and appends its reply in
  // protocol `resp` to *reply — an error reply when the command fails or is
  // refused. Returns false when the run must stop at once and be discarded
  // (it is then re-run from scratch in another way): the script cannot
  // catch this.
  virtual bool Call(std::span<const std::string_view> argv, int resp, std::string* reply) = 0;
  virtual bool aborted() const = 0;
  // Polled from the Lua count hook (every kHookInstructions): true when the
  // run must stop now — aborted() or killed() then says how.
  virtual bool Interrupt() = 0;
  // SCRIPT KILL stopped the run: it ends with Redis's "Script killed" error,
  // which pcall cannot catch either.
  virtual bool killed() const = 0;
};

// How often (in Lua VM instructions) a running script polls its host.
inline constexpr int kHookInstructions = 100000;

class Interpreter {
 public:
  // This thread's interpreter, built on first use or after SCRIPT FLUSH.
  static Interpreter& ForThisThread();

  Interpreter();
  ~Interpreter();
  Interpreter(const Interpreter&) = delete;
  Interpreter& operator=(const Interpreter&) = delete;

  // Compiles `body` as the script `sha` unless already compiled. Fails with
  // "ERR Error compiling script (new function): ..." (a client error).
  Status Load(const std::string& sha, std::string_view body);
  // Runs the compiled script `sha` with KEYS and ARGV; writes its reply (or
  // its error) to `out`, unless host.aborted() (then nothing is written).
  // REQUIRES: Load(sha) succeeded on this interpreter.
  void Run(const std::string& sha, std::span<const std::string_view> keys,
           std::span<const std::string_view> args, ScriptHost& host, server::ReplyBuilder* out);

  // Function libraries (scripting/lua_functions.cc).
  //
  // FUNCTION LOAD: compiles `lib.code` and runs it in the load-time sandbox
  // (globals: only `redis` with register_function, log, LOG_* and
  // REDIS_VERSION*; 500 ms at most), as Redis's luaEngineCreate. Returns the
  // functions it registered; they are then callable here as lib.id. Errors:
  // "ERR Error compiling function: ...", "ERR Error registering functions:
  // ...", "ERR No functions registered". `quiet`: redis.log does nothing
  // (a recompile of an installed library on another thread).
  StatusOr<std::vector<FunctionInfo>> LoadLibrary(const Library& lib, bool quiet = false);
  // Loads `lib` unless this interpreter has compiled it (same id).
  Status EnsureLibrary(const Library& lib);
  // FCALL: calls function `fn` of `lib` (EnsureLibrary succeeded) with the
  // keys and args tables as its two arguments; replies as Run does, errors
  // naming the function.
  void RunFunction(const Library& lib, const std::string& fn,
                   std::span<const std::string_view> keys, std::span<const std::string_view> args,
                   ScriptHost& host, server::ReplyBuilder* out);

  lua_State* state() { return L_; }

 private:
  // Calls the function below its n arguments on the stack (under the error
  // handler at index 1) and replies; `name` names the script in errors.
  void CallAndReply(int nargs, const std::string& name, ScriptHost& host,
                    server::ReplyBuilder* out);

  lua_State* L_;
  uint64_t generation_ = 0;
  std::unordered_map<std::string, uint64_t> libraries_;  // name -> id compiled here
};

// Registers the `redis` table (scripting/lua_redis_api.cc) in L's globals.
void OpenRedisApi(lua_State* L);

// The run in progress on L (set by Interpreter::Run), for the redis.* API.
struct RunState {
  ScriptHost* host = nullptr;
  int resp = 2;  // redis.setresp
};
RunState* CurrentRun(lua_State* L);
// Raises the error that ends a stopped run: Redis's "Script killed by user
// with SCRIPT KILL..." when killed, else an abort nobody replies.
[[noreturn]] void RaiseStop(lua_State* L);

// Pushes Redis's error table {err = "CODE text"} for `msg`, either "-CODE
// text" or a bare text that gets the code ERR (luaPushErrorBuff).
void PushErrorTable(lua_State* L, std::string_view msg);

}  // namespace strata::scripting
