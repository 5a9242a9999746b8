// Transactions: MULTI, EXEC, DISCARD, WATCH, UNWATCH.
//
// Queued commands are kept as argv copies in ClientState::multi and run by
// EXEC. How EXEC is atomic and written as one batch, and how WATCH notices
// writes, is the engine's part: engine/transaction.h, engine/watch_table.h.
// EXEC here:
//   1. classifies the queue: a command with keys is covered by key locks; a
//      keyless keyspace command (FLUSHDB, SWAPDB, KEYS, SCAN, DBSIZE,
//      RANDOMKEY; SELECT, MOVE and COPY, whose other database is not in the
//      key specs; SORT, whose BY/GET patterns name keys) makes the
//      transaction take the database gate exclusively;
//   2. locks (the keys of every queued command plus the watched keys, or the
//      gate) and checks the watches: a changed key replies a null array;
//   3. runs the commands through Dispatch (runtime errors do not stop the
//      rest) and commits once.
// Inline, any kWouldBlock drops the whole attempt (nothing is written before
// the one commit) and EXEC re-runs on the blocking pool. A transaction that
// may have effects outside the engine (a command without keys: PUBLISH,
// CONFIG SET, ...), or that needs the exclusive gate, goes to the pool at
// once, so a retry never repeats an effect.
#include "server/commands/multi_cmds.h"

#include <optional>
#include <string>
#include <vector>

#include "common/text.h"
#include "engine/engine.h"
#include "engine/transaction.h"
#include "server/client_registry.h"
#include "server/client_state.h"
#include "server/command_context.h"
#include "server/command_table.h"
#include "server/commands/families.h"
#include "server/dispatcher.h"
#include "server/errors.h"
#include "server/server.h"

namespace strata::server {

namespace {

bool RunsInsideMulti(const CommandEntry& cmd) {
  std::string_view n = cmd.name();
  return n == "exec" || n == "discard" || n == "multi" || n == "watch" || n == "quit" ||
         n == "reset";
}

// Commands that reach keys their key specs do not name, or the whole keyspace.
bool NeedsExclusiveGate(const CommandEntry& cmd) {
  std::string_view n = cmd.parent != nullptr ? cmd.parent->name() : cmd.name();
  if (n == "select" || n == "move" || n == "copy") return true;
  if (n == "sort" || n == "sort_ro") return true;  // BY/GET read keys named by the elements
  // A script may touch keys it did not declare (scripting/script_runner.h).
  if (n == "eval" || n == "evalsha" || n == "eval_ro" || n == "evalsha_ro") return true;
  if (n == "fcall" || n == "fcall_ro") return true;
  return !CommandHasKeys(cmd) && (cmd.has(kCmdWrite) || cmd.has(kCmdReadonly));
}

void UnwatchAll(Server& server, ClientState& client) {
  for (const auto& w : client.watched) engine::Unwatch(server.engine(), w);
  client.watched.clear();
}

void Multi(CommandContext& ctx) {
  if (ctx.client->multi.active) return ctx.ReplyError(errors::kMultiNested);
  ctx.client->multi.active = true;
  ctx.reply->Ok();
}

void Discard(CommandContext& ctx) {
  if (!ctx.client->multi.active) return ctx.ReplyError(errors::kDiscardWithoutMulti);
  DiscardTransaction(*ctx.server, *ctx.client);
  ctx.reply->Ok();
}

void Watch(CommandContext& ctx) {
  ClientState& c = *ctx.client;
  if (c.multi.active) return ctx.ReplyError(errors::kWatchInsideMulti);
  for (std::string_view key : ctx.argv.subspan(1)) {
    bool already = false;  // also makes a re-run after kWouldBlock idempotent
    for (const auto& w : c.watched) already = already || (w.db == c.db && w.key == key);
    if (already) continue;
    auto watched = engine::WatchKey(ctx.engine(), ctx.op, key);
    if (!watched.ok()) return ctx.ReplyStatus(watched.status());
    c.watched.push_back(std::move(*watched));
  }
  ctx.reply->Ok();
}

void Unwatch(CommandContext& ctx) {
  UnwatchAll(*ctx.server, *ctx.client);
  ctx.reply->Ok();
}

struct Queued {
  std::vector<std::string_view> argv;
  const CommandEntry* cmd;
};

// Runs the queue; false when it must re-run on the blocking pool (the
// reply is then truncated by the caller and nothing was written).
bool RunQueued(CommandContext& ctx, std::vector<Queued>& queue, engine::Transaction* txn) {
  ctx.reply->ArrayHeader(static_cast<int64_t>(queue.size()));
  for (Queued& q : queue) {
    CommandContext sub;
    sub.argv = q.argv;
    sub.command = q.cmd;
    sub.reply = ctx.reply;
    sub.client = ctx.client;
    sub.server = ctx.server;
    sub.mode = ctx.mode;
    sub.in_exec = true;
    sub.monitor_lines = ctx.monitor_lines;
    sub.op = ctx.op;
    sub.op.db = ctx.client->db;  // SELECT inside the transaction moves the rest
    sub.op.write_seq = 0;
    if (txn != nullptr) txn->Attach(sub.op);
    Dispatch(sub);
    if (sub.retry_blocking) return false;
    ctx.op.write_seq = std::max(ctx.op.write_seq, sub.op.write_seq);
  }
  return true;
}

void Exec(CommandContext& ctx) {
  ClientState& c = *ctx.client;
  if (!c.multi.active) return ctx.ReplyError(errors::kExecWithoutMulti);
  if (c.multi.aborted) {
    DiscardTransaction(*ctx.server, c);
    return ctx.ReplyError(errors::kExecAbort);
  }
  std::vector<Queued> queue;
  queue.reserve(c.multi.queued.size());
  bool exclusive = false;
  bool only_keyed = true;
  std::vector<engine::Transaction::Key> keys;
  std::vector<int> positions;
  for (const auto& argv : c.multi.queued) {
    Queued q{std::vector<std::string_view>(argv.begin(), argv.end()), nullptr};
    q.cmd = LookupCommand(ctx.server->commands(), q.argv);
    exclusive = exclusive || NeedsExclusiveGate(*q.cmd);
    only_keyed = only_keyed && CommandHasKeys(*q.cmd);
    positions.clear();
    if (ExtractKeyPositions(*q.cmd, q.argv, &positions)) {
      for (int pos : positions) keys.push_back({c.db, q.argv[pos]});
    }
    queue.push_back(std::move(q));
  }
  for (const auto& w : c.watched) keys.push_back({w.db, w.key});
  if (ctx.mode == ExecMode::kInline && (exclusive || !only_keyed)) {
    return ctx.ReplyStatus(Status::WouldBlock());
  }

  size_t mark = ctx.reply->Mark();
  std::optional<engine::ExclusiveGate> gate;
  std::optional<engine::Transaction> txn;
  if (exclusive) {
    gate.emplace(ctx.engine());
    if (Status st = gate->Acquire(ctx.op); !st.ok()) return ctx.ReplyStatus(st);
  }
  // Under the exclusive gate the watches are checked by a transaction of
  // their own, ended before the commands run (they take their own locks).
  std::optional<engine::Transaction> check;
  engine::Transaction* t =
      exclusive ? &check.emplace(ctx.engine(), ctx.op) : &txn.emplace(ctx.engine(), ctx.op);
  std::vector<engine::Transaction::Key> watched_keys;
  for (const auto& w : c.watched) watched_keys.push_back({w.db, w.key});
  if (Status st = t->Lock(exclusive ? watched_keys : keys); !st.ok()) return ctx.ReplyStatus(st);
  auto hold = t->WatchesHold(c.watched);
  if (!hold.ok()) return ctx.ReplyStatus(hold.status());
  if (!*hold) {
    DiscardTransaction(*ctx.server, c);
    return ctx.reply->NullArray();
  }
  if (check) {
    auto seq = check->Commit();  // lazily expired watched keys it deleted
    if (!seq.ok()) return ctx.ReplyStatus(seq.status());
    check.reset();
  }
  // The client leaves MULTI for the run (its commands must not queue again);
  // a retry finds the queue as it was.
  c.multi.active = false;
  bool done = RunQueued(ctx, queue, txn ? &*txn : nullptr);
  if (done && txn) {
    auto seq = txn->Commit();
    if (!seq.ok()) {
      ctx.reply->Truncate(mark);
      if (!seq.status().IsWouldBlock()) {
        DiscardTransaction(*ctx.server, c);
        return ctx.ReplyStatus(seq.status());
      }
      done = false;
    } else {
      ctx.op.write_seq = std::max(ctx.op.write_seq, *seq);
    }
  }
  if (!done) {
    c.multi.active = true;
    ctx.reply->Truncate(mark);
    return ctx.ReplyStatus(Status::WouldBlock());
  }
  DiscardTransaction(*ctx.server, c);
}

}  // namespace

bool QueueForExec(CommandContext& ctx, const CommandEntry& cmd) {
  ClientState& c = *ctx.client;
  if (!c.multi.active || ctx.in_exec || RunsInsideMulti(cmd)) return false;
  if (cmd.has(kCmdNoMulti)) {
    FlagTransaction(c);
    ctx.reply->Error(errors::kNotAllowedInMulti);
    return true;
  }
  c.multi.queued.emplace_back(ctx.argv.begin(), ctx.argv.end());
  c.multi.queued_mem += ArgvLenSum(ctx.argv) + ctx.argv.size() * sizeof(void*);
  ctx.reply->SimpleString("QUEUED");
  return true;
}

void FlagTransaction(ClientState& client) {
  if (client.multi.active) client.multi.aborted = true;
}

void DiscardTransaction(Server& server, ClientState& client) {
  client.multi = ClientState::Multi{};
  UnwatchAll(server, client);
}

void RegisterMultiCommands(CommandTable& table) {
  table.Register("multi", Multi);
  table.Register("exec", Exec);
  table.Register("discard", Discard);
  table.Register("watch", Watch);
  table.Register("unwatch", Unwatch);
}

}  // namespace strata::server
