// CommandContext: what a command handler sees — its arguments, the reply
// builder, the client's state, the server — and how it reports failure.
//
// Execution model (decided in the skeleton; see server/README-concurrency in
// server/dispatcher.h): a command first runs inline on its connection's I/O
// thread in ExecMode::kInline, where the engine only try-locks keys and only
// reads what is in memory. If anything would block, the engine returns
// kWouldBlock before any side effect; the handler passes that status to
// ReplyStatus(), which marks the command for a re-run in ExecMode::kBlocking
// on the worker pool. The dispatcher then discards whatever the handler had
// appended to the reply and re-runs it there. Handlers therefore must not
// reply before their last engine call can no longer return kWouldBlock, and
// must not keep state across runs.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "engine/op_context.h"
#include "server/keyspace_events.h"
#include "server/reply_builder.h"

namespace strata::engine {
class Engine;
}

namespace strata::server {

class Server;
class ClientState;
struct CommandEntry;

enum class ExecMode : unsigned char { kInline, kBlocking };

// What a blocking command (BLPOP, ...) that found nothing asks for; see
// server/blocking.h.
struct BlockRequest {
  std::vector<std::string> keys;  // to wait on, in the command's order
  uint64_t timeout_ms = 0;        // 0: forever
  bool key_absent = false;        // on a re-run: wake_key does not exist (serves nobody)
  // The command its wake-ups re-run, when not the blocking one as sent
  // (XREAD BLOCK: "$" replaced by the ID it stood for when the client blocked).
  std::vector<std::string> argv;
};

struct CommandContext {
  std::span<const std::string_view> argv;
  const CommandEntry* command = nullptr;  // set by Dispatch (or preset: see dispatcher.h)
  ReplyBuilder* reply = nullptr;
  ClientState* client = nullptr;
  Server* server = nullptr;
  ExecMode mode = ExecMode::kInline;

  // A command EXEC runs from its queue: Dispatch neither queues it nor
  // applies the subscribed-state restrictions again.
  bool in_exec = false;
  // A command a script runs (redis.call): MONITOR shows it as "lua".
  bool script_caller = false;
  // Where Dispatch collects MONITOR lines until the top-level command
  // completes (server/monitor.h); commands run by a command (EXEC's queue,
  // a script's calls) get their caller's. nullptr when nobody monitors.
  std::string* monitor_lines = nullptr;
  // Set by ReplyStatus(kWouldBlock): re-run on the blocking pool.
  bool retry_blocking = false;
  // What engine operations are told about this command: database, whether
  // they may block, the command's clock; op.write_seq comes back as the
  // highest WAL sequence number written, and the connection holds the reply
  // until it is synced under appendfsync always.
  engine::OpContext op;
  // BLOCKING COMMANDS (server/blocking.h). A handler that finds nothing to
  // serve and may wait sets `block` and replies nothing; the connection
  // parks the client. When one of its keys is written the command re-runs
  // with `wake_key` set to that key (on the writer's thread) and either
  // replies, or sets `block` again to stay blocked.
  std::optional<BlockRequest> block;
  std::optional<std::string_view> wake_key;
  // This command's keyspace events; op.key_events points here while
  // notifications are on (server/keyspace_events.h).
  engine::KeyEventLog events;

  engine::Engine& engine() const;
  int db() const;

  // Replies with the Redis error for `s` (server/errors.h); for kWouldBlock
  // marks the command for a blocking re-run and replies nothing.
  void ReplyStatus(const Status& s);
  // "ERR syntax error", arity errors, etc.: see server/errors.h.
  void ReplyError(std::string_view text) { reply->Error(text); }

  // Raises the keyspace event `event` (a string literal, Redis's name) of
  // class `type` (engine::kNotify*) for `key` in the command's database, or
  // in `db` (MOVE, COPY ... DB). Call it where Redis calls
  // notifyKeyspaceEvent, once the engine call succeeded; it is delivered
  // when the command is done. A null check when notifications are off.
  void Notify(uint32_t type, std::string_view event, std::string_view key) {
    if (op.key_events != nullptr) AppendKeyEvent(*op.key_events, type, event, key, op.db);
  }
  void Notify(uint32_t type, std::string_view event, std::string_view key, int db) {
    if (op.key_events != nullptr) AppendKeyEvent(*op.key_events, type, event, key, db);
  }
  // For the lookups Redis makes with LOOKUP_NONOTIFY (OBJECT, MEMORY USAGE):
  // the command's engine calls raise no "keymiss" (nor any other event).
  void NoKeyspaceEvents() { op.key_events = nullptr; }
};

}  // namespace strata::server
