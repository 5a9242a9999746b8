// Server commands: TIME, LASTSAVE, SHUTDOWN.
#include <sys/time.h>

#include "common/log.h"
#include "server/arg_parser.h"
#include "server/client_state.h"
#include "server/command_context.h"
#include "server/command_table.h"
#include "server/commands/families.h"
#include "server/server.h"

namespace strata::server {

namespace {

void Time(CommandContext& ctx) {
  timeval tv;
  gettimeofday(&tv, nullptr);
  ctx.reply->ArrayHeader(2);
  ctx.reply->Bulk(FormatInt64(tv.tv_sec));
  ctx.reply->Bulk(FormatInt64(tv.tv_usec));
}

// Strata takes no RDB snapshots: every write is durable in the WAL from the
// moment it is acknowledged, so the last "save" is the moment the data
// directory was opened, as Redis reports its start time before a first save.
void LastSave(CommandContext& ctx) {
  ctx.reply->Integer(static_cast<int64_t>(ctx.server->start_time_ms() / 1000));
}

// SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT]. The WAL already holds every
// acknowledged write, so SAVE and NOSAVE both close the data directory
// cleanly (flushing the WAL); NOW and FORCE are accepted (there are no
// replicas to wait for and no save that could fail). No shutdown is ever
// pending, so ABORT always fails, as in Redis without one in progress.
void Shutdown(CommandContext& ctx) {
  bool save = false, nosave = false, abort = false;
  ArgParser args(ctx.argv, 1);
  while (!args.Done()) {
    if (args.EatFlag("nosave"))
      nosave = true;
    else if (args.EatFlag("save"))
      save = true;
    else if (args.EatFlag("now") || args.EatFlag("force"))
      continue;
    else if (args.EatFlag("abort"))
      abort = true;
    else
      return ctx.ReplyError(errors::kSyntax);
  }
  if ((save && nosave) || (abort && ctx.argv.size() != 2)) {
    return ctx.ReplyError(errors::kSyntax);
  }
  if (abort) return ctx.ReplyError("ERR No shutdown in progress.");
  LOG_WARNING("User requested shutdown...");
  ctx.client->close_after_reply = true;
  ctx.server->RequestShutdown();
}

}  // namespace

void RegisterServerCommands(CommandTable& table) {
  table.Register("time", Time);
  table.Register("lastsave", LastSave);
  table.Register("shutdown", Shutdown);
}

}  // namespace strata::server
