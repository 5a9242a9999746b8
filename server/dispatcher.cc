// Command lookup, arity checks and handler invocation; see dispatcher.h.
#include "server/dispatcher.h"

#include "engine/engine.h"
#include "server/client_state.h"
#include "server/errors.h"
#include "server/server.h"

namespace strata::server {

engine::Engine& CommandContext::engine() const { return server->engine(); }
int CommandContext::db() const { return client->db; }

void CommandContext::ReplyStatus(const Status& s) {
  if (s.IsWouldBlock()) {
    retry_blocking = true;
    return;
  }
  reply->Error(errors::FromStatus(s));
}

void Dispatch(CommandContext& ctx) {
  const CommandTable& table = ctx.server->commands();
  const CommandEntry* cmd = table.Find(ctx.argv[0]);
  if (cmd == nullptr) {
    ctx.reply->Error(errors::UnknownCommand(ctx.argv));
    return;
  }
  if (!cmd->subcommands.empty() && ctx.argv.size() >= 2) {
    const CommandEntry* sub = table.FindSubcommand(*cmd, ctx.argv[1]);
    if (sub == nullptr && cmd->handler == nullptr) {
      ctx.reply->Error(errors::UnknownSubcommand(cmd->name(), ctx.argv[1]));
      return;
    }
    if (sub != nullptr) cmd = sub;
  }
  if (!cmd->ArityOk(ctx.argv.size()) || cmd->handler == nullptr) {
    ctx.reply->Error(errors::WrongArity(cmd->name()));
    return;
  }
  ctx.command = cmd;
  size_t mark = ctx.reply->Mark();
  cmd->handler(ctx);
  if (ctx.retry_blocking) {
    ctx.reply->Truncate(mark);
    return;
  }
  ctx.server->stats().total_commands.fetch_add(1, std::memory_order_relaxed);
}

}  // namespace strata::server
