// RunScript: runs one EVAL-family script (or FCALL function) atomically and as one RocksDB batch
// when it can.
//
// ATOMICITY DESIGN. A script's commands go through the server's dispatcher
// like a client's (same arity, type and error replies), with a host
// (CommandCaller) that refuses what Redis refuses from scripts (unknown
// commands, wrong arity, `noscript` commands, writes from read-only
// scripts). Two ways to run, as EXEC has (engine/transaction.h):
//
//   1. DECLARED KEYS. The KEYS are locked up front as one engine
//      Transaction; every command the script calls delegates to its shared
//      KeyAccess, so reads see the script's own writes and everything is
//      committed once, as one WriteBatch, at the end (also when the script
//      raised an error after writing: Redis does not roll back either). The
//      run is tried inline first; a command that would block (lock taken,
//      data on disk) aborts the run and it re-runs on the blocking pool.
//   2. EXCLUSIVE. A command whose keys are not all among KEYS, a keyless
//      keyspace command (SCAN, DBSIZE, FLUSHDB...), SELECT/MOVE/COPY, or a
//      keyless command with effects outside the keyspace (PUBLISH, CONFIG
//      SET...) aborts run 1 before it executes: the staged batch is dropped
//      (nothing was committed, no reply sent, the script's Lua side effects
//      are confined to its interpreter), and the script re-runs from scratch
//      on the blocking pool under the database gate held exclusively, where
//      no other command runs. There each command commits its own batch
//      (a crash in the middle of such a script may keep its first writes).
//      The script's SHA is remembered so later runs start here.
//
// LONG SCRIPTS. Lua polls its host every kHookInstructions instructions. A
// run still going after 10 ms of CPU time on an I/O thread (whose other connections wait
// for it) is aborted like a blocked one and re-runs on the blocking pool; the
// script is remembered as long-running and later runs go there at once. A
// run past busy-reply-threshold registers as busy (scripting/busy_scripts.h):
// other clients get BUSY, and SCRIPT KILL stops it — always on way 1, whose
// batch is dropped unwritten, and on way 2 until its first write.
//
// An aborted run cannot be caught by the script (pcall re-raises), and the
// only effects that can leave the process before the commit are redis.log
// lines, which a re-run may repeat.
//
// Scripts inside MULTI/EXEC: EXEC runs them under the exclusive gate
// (server/commands/multi_cmds.cc), so they take way 2 directly.
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace strata::server {
struct CommandContext;
}

namespace strata::scripting {

struct Library;
struct FunctionInfo;

struct ScriptRequest {
  std::string sha;
  std::string_view body;
  std::span<const std::string_view> keys;
  std::span<const std::string_view> args;
  bool read_only = false;  // EVAL_RO / EVALSHA_RO, or shebang flags=no-writes
  // FCALL / FCALL_RO: the function to call instead of the script `sha`
  // (`sha` then only keys what runs of it taught, ScriptCache::Traits).
  const Library* library = nullptr;
  const FunctionInfo* function = nullptr;
};

// Compiles (if needed) and runs the script, replying on ctx.
void RunScript(server::CommandContext& ctx, const ScriptRequest& req);

}  // namespace strata::scripting
