// Dispatch: runs one command — table lookup, arity, the handler.
//
// CONCURRENCY MODEL (decided in the skeleton):
// Commands run where their connection lives, on its I/O thread, in
// ExecMode::kInline: key locks are only try-locked and storage reads are
// served only from memory (memtables, block cache, and later the hot tier);
// writes go out with RocksDB's no_slowdown. If any of these would wait, the
// engine returns kWouldBlock before the command has any effect, and the
// connection hands the command to the blocking worker pool, where it re-runs
// in ExecMode::kBlocking and may wait on locks and disk. The connection
// processes nothing else until that command has replied, so a client's
// commands still run and reply in order. Thus an I/O thread never sits on a
// lock or a disk read while other clients' hits wait behind it; the cost is a
// thread hop only for the commands that really need to wait.
// (The alternative, C++20 coroutines with asynchronous key locks, would also
// need an asynchronous RocksDB read path, which RocksDB does not offer for
// point lookups; a pool is what it would end up using anyway.)
#pragma once

#include <span>
#include <string_view>

#include "server/command_context.h"

namespace strata::server {

class CommandTable;
struct CommandEntry;

// The entry argv names: a subcommand ("config|get") when argv[1] names a
// served one, else the top-level command; nullptr when not served.
const CommandEntry* LookupCommand(const CommandTable& table,
                                  std::span<const std::string_view> argv);

// Runs argv as a command. Replies through ctx.reply, or sets
// ctx.retry_blocking (nothing replied) when it must re-run in kBlocking.
// ctx.command may be preset to LookupCommand's answer for ctx.argv.
// Checks arity and auth (NOAUTH under requirepass), and records the command
// in the command/error stats, the slow log and the latency monitor.
void Dispatch(CommandContext& ctx);

// The keyspace-event bracket of a command run (server/keyspace_events.h),
// for Dispatch and for what runs a handler without it (a blocked client's
// command when served, RetryBlockedCommand). BeginKeyEvents points
// ctx.op.key_events at ctx.events when notifications are on (a command of
// an EXEC or a script keeps its parent's log) and returns where this
// command's events start; EndKeyEvents, after a run that completed (not one
// that asked to re-run or to block: drop ctx.events instead), confirms lazy
// read expiries, places held events, and publishes the log unless in_exec.
size_t BeginKeyEvents(CommandContext& ctx);
void EndKeyEvents(CommandContext& ctx, size_t first_event);

}  // namespace strata::server
