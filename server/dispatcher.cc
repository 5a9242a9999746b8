// Command lookup, arity and auth checks, handler invocation, and the
// per-command bookkeeping (command and error stats, slow log, latency
// monitor); see dispatcher.h.
#include "server/dispatcher.h"

#include <chrono>

#include "common/text.h"
#include "engine/engine.h"
#include "scripting/busy_scripts.h"
#include "server/client_state.h"
#include "server/commands/multi_cmds.h"
#include "server/errors.h"
#include "server/monitor.h"
#include "server/pubsub.h"
#include "server/server.h"

namespace strata::server {

engine::Engine& CommandContext::engine() const {
  return server->engine();
}
int CommandContext::db() const {
  return client->db;
}

void CommandContext::ReplyStatus(const Status& s) {
  if (s.IsWouldBlock()) {
    retry_blocking = true;
    return;
  }
  reply->Error(errors::FromStatus(s));
}

const CommandEntry* LookupCommand(const CommandTable& table,
                                  std::span<const std::string_view> argv) {
  const CommandEntry* cmd = table.Find(argv[0]);
  if (cmd == nullptr || cmd->subcommands.empty() || argv.size() < 2) return cmd;
  const CommandEntry* sub = table.FindSubcommand(*cmd, argv[1]);
  return sub != nullptr ? sub : cmd;
}

namespace {

// Error replies of a command that was refused before it ran.
void Reject(CommandContext& ctx, const CommandEntry* cmd, std::string_view error) {
  FlagTransaction(*ctx.client);  // inside MULTI, EXEC will abort
  ctx.reply->Error(error);
  ctx.server->command_stats().RecordError(ctx.reply->last_error_code());
  if (cmd != nullptr) ctx.server->command_stats().RecordRejected(*cmd);
}

// argv as the slow log keeps it: passwords replaced by "(redacted)", as
// Redis's redactClientCommandArgument does for AUTH, HELLO ... AUTH and
// CONFIG SET of a password.
std::vector<std::string_view> Redacted(const CommandEntry& cmd,
                                       std::span<const std::string_view> argv) {
  std::vector<std::string_view> out(argv.begin(), argv.end());
  constexpr std::string_view kRedacted = "(redacted)";
  std::string_view name = cmd.name();
  if (name == "auth") {
    for (size_t i = 1; i < out.size(); ++i) out[i] = kRedacted;
  } else if (name == "hello") {
    for (size_t i = 2; i + 2 < out.size(); ++i) {
      if (EqualsIgnoreCase(out[i], "auth")) out[i + 1] = out[i + 2] = kRedacted;
    }
  } else if (name == "config|set") {
    for (size_t i = 2; i + 1 < out.size(); i += 2) {
      if (EqualsIgnoreCase(out[i], "requirepass")) out[i + 1] = kRedacted;
    }
  }
  return out;
}

// Adds the command's MONITOR line to the pending ones (see server/monitor.h).
void FeedMonitors(CommandContext& ctx, const CommandEntry& cmd) {
  if (cmd.has(kCmdAdmin)) return;
  auto now = std::chrono::system_clock::now().time_since_epoch();
  auto us = std::chrono::duration_cast<std::chrono::microseconds>(now).count();
  std::string_view origin = ctx.script_caller ? std::string_view("lua") : ctx.client->addr;
  AppendMonitorLine(ctx.monitor_lines, static_cast<uint64_t>(us), ctx.client->db, origin,
                    Redacted(cmd, ctx.argv));
}

// After a command of a client with CLIENT TRACKING on: remembers the keys a
// read-only command read (default mode, as OPTIN/OPTOUT and CLIENT CACHING
// allow), then spends the CLIENT CACHING choice, which lasts one command (a
// whole transaction, and survives other CLIENT subcommands) as in Redis.
void TrackKeys(CommandContext& ctx, const CommandEntry& cmd) {
  ClientState::Tracking& t = ctx.client->tracking;
  if (!t.bcast && cmd.has(kCmdReadonly) && !(t.optin && !t.caching) && !(t.optout && t.caching)) {
    std::vector<int> positions;
    if (ExtractKeyPositions(cmd, ctx.argv, &positions) && !positions.empty()) {
      std::vector<std::string_view> keys;
      keys.reserve(positions.size());
      for (int pos : positions) keys.push_back(ctx.argv[pos]);
      Tracking& tracking = ctx.server->tracking();
      tracking.set_max_keys(static_cast<uint64_t>(ctx.server->config().tracking_table_max_keys));
      tracking.RememberKeys(ctx.client->id, keys);
    }
  }
  bool client_cmd = (cmd.parent != nullptr ? cmd.parent : &cmd)->name() == "client";
  if (!ctx.in_exec && !ctx.client->multi.active && !client_cmd) t.caching = false;
}

// After a command ran: command stats, slow log, latency monitor.
void Account(CommandContext& ctx, const CommandEntry& cmd, uint64_t ns, uint64_t errors_before) {
  Server& server = *ctx.server;
  uint64_t new_errors = ctx.reply->errors() - errors_before;
  if (new_errors != 0) server.command_stats().RecordError(ctx.reply->last_error_code());
  const ConfigValues& config = server.config();
  server.command_stats().RecordCall(cmd, ns, new_errors != 0, config.latency_tracking);
  uint64_t us = ns / 1000;
  if (config.slowlog_log_slower_than >= 0 && !cmd.has(kCmdSkipSlowlog) &&
      us >= static_cast<uint64_t>(config.slowlog_log_slower_than)) {
    server.slowlog().Add(Redacted(cmd, ctx.argv), us, static_cast<int64_t>(engine::NowMs() / 1000),
                         ctx.client->addr, ctx.client->name,
                         static_cast<size_t>(config.slowlog_max_len));
  }
  uint64_t ms = us / 1000;
  if (config.latency_monitor_threshold > 0 &&
      ms >= static_cast<uint64_t>(config.latency_monitor_threshold)) {
    server.latency().Add(cmd.has(kCmdFast) ? "fast-command" : "command", ms,
                         static_cast<int64_t>(engine::NowMs() / 1000));
  }
}

}  // namespace

void Dispatch(CommandContext& ctx) {
  const CommandEntry* cmd =
      ctx.command != nullptr ? ctx.command : LookupCommand(ctx.server->commands(), ctx.argv);
  if (cmd == nullptr) return Reject(ctx, nullptr, errors::UnknownCommand(ctx.argv));
  if (cmd->handler == nullptr && !cmd->subcommands.empty() && ctx.argv.size() >= 2) {
    return Reject(ctx, nullptr, errors::UnknownSubcommand(cmd->name(), ctx.argv[1]));
  }
  if (!cmd->ArityOk(ctx.argv.size()) || cmd->handler == nullptr) {
    return Reject(ctx, cmd, errors::WrongArity(cmd->name()));
  }
  if (!ctx.client->authenticated && !cmd->has(kCmdNoAuth) &&
      !ctx.server->config().requirepass.empty()) {
    return Reject(ctx, cmd, errors::kNoAuth);
  }
  if (ctx.client->monitor &&
      cmd->has(static_cast<CommandFlag>(kCmdReadonly | kCmdWrite | kCmdMayReplicate))) {
    return Reject(ctx, cmd, errors::kReplicaKeyspace);
  }
  if (!ctx.in_exec && !AllowedWhenSubscribed(*ctx.client, *cmd)) {
    return Reject(ctx, cmd, errors::NotAllowedWhenSubscribed(cmd->name()));
  }
  if (!ctx.in_exec && !cmd->has(kCmdAllowBusy) && scripting::AnyScriptBusy()) {
    return Reject(ctx, cmd, errors::kBusyScript);
  }
  if (QueueForExec(ctx, *cmd)) return;
  ctx.command = cmd;
  ctx.client->last_cmd = cmd->name();
  // EXEC's commands keep EXEC's log (their op is a copy of EXEC's).
  KeyspaceEvents& events = ctx.server->keyspace_events();
  if (!ctx.in_exec) ctx.op.key_events = events.enabled() ? &ctx.events : nullptr;
  size_t first_event = ctx.op.key_events != nullptr ? ctx.op.key_events->events.size() : 0;
  size_t mark = ctx.reply->Mark();
  uint64_t errors_before = ctx.reply->errors();
  // MONITOR lines of this command and of those it runs (EXEC's queue, a
  // script's calls) wait in `pending` until the command completes.
  std::string pending;
  bool feed_top = ctx.monitor_lines == nullptr && ctx.server->monitors().active();
  if (feed_top) ctx.monitor_lines = &pending;
  if (ctx.monitor_lines != nullptr && cmd->has(kCmdSkipMonitor)) FeedMonitors(ctx, *cmd);
  auto start = std::chrono::steady_clock::now();
  cmd->handler(ctx);
  if (ctx.retry_blocking) {
    ctx.reply->Truncate(mark);
    if (feed_top) ctx.monitor_lines = nullptr;
    ctx.events.clear();  // the re-run raises them again
    return;
  }
  if (ctx.op.key_events != nullptr && ctx.op.key_events->unconfirmed > 0) {
    ConfirmReadExpiries(ctx.engine(), ctx.op, *ctx.op.key_events);
  }
  if (ctx.op.key_events != nullptr) {
    // Events still held (no event of the handler's for their key) stay where
    // they are; the next command of an EXEC must not move them.
    auto& log = *ctx.op.key_events;
    for (size_t i = first_event; i < log.events.size(); ++i) log.events[i].held = false;
    log.held = 0;
  }
  if (!ctx.in_exec && !ctx.events.empty()) events.Flush(ctx.events);
  if (ctx.monitor_lines != nullptr && !cmd->has(kCmdSkipMonitor)) FeedMonitors(ctx, *cmd);
  if (feed_top) {
    ctx.monitor_lines = nullptr;
    if (!pending.empty()) ctx.server->monitors().Feed(std::move(pending));
  }
  if (ctx.client->tracking.on) TrackKeys(ctx, *cmd);
  auto ns =
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start)
          .count();
  Account(ctx, *cmd, static_cast<uint64_t>(ns), errors_before);
  ctx.server->stats().total_commands.fetch_add(1, std::memory_order_relaxed);
}

}  // namespace strata::server
