// MEMORY USAGE key [SAMPLES count]: the estimated bytes the key takes in RAM
// (the hot tier's charge when it is cached, else an estimate from its
// metadata; engine/access_ops.h says how). The rest of MEMORY (STATS,
// DOCTOR, MALLOC-STATS, HELP) lives with the server commands.
#include "engine/access_ops.h"
#include "server/arg_parser.h"
#include "server/command_context.h"
#include "server/command_table.h"
#include "server/commands/families.h"
#include "server/errors.h"

namespace strata::server {

namespace {

// Redis's argument rules: SAMPLES takes a non-negative integer (0: all),
// anything else is a syntax error; the options are checked before the key.
// Counts come from metadata, so the sample size does not change the figure.
void MemoryUsage(CommandContext& ctx) {
  ArgParser args(ctx.argv, 3);
  while (!args.Done()) {
    if (args.EatFlag("SAMPLES") && !args.Done()) {
      if (args.NextInt64() < 0) args.Fail(errors::kSyntax);
    } else {
      args.Fail(errors::kSyntax);
    }
    if (args.failed()) return ctx.ReplyError(args.error());
  }
  ctx.NoKeyspaceEvents();  // Redis reads the dict directly: no "keymiss"
  auto usage = engine::InspectKey(ctx.engine(), ctx.op, ctx.argv[2]);
  if (usage.status().IsNotFound()) return ctx.reply->Null();
  if (!usage.ok()) return ctx.ReplyStatus(usage.status());
  ctx.reply->Integer(static_cast<int64_t>(usage->memory));
}

}  // namespace

void RegisterMemoryUsageCommand(CommandTable& table) {
  table.Register("memory|usage", MemoryUsage);
}

}  // namespace strata::server
