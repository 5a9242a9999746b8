// SLOWLOG: GET, LEN, RESET, HELP over the server's SlowLog (server/slowlog.h).
#include <fmt/format.h>

#include "common/numbers.h"
#include "server/command_context.h"
#include "server/command_table.h"
#include "server/commands/families.h"
#include "server/server.h"

namespace strata::server {

namespace {

constexpr std::string_view kHelp[] = {
    "SLOWLOG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "GET [<count>]",
    "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
    "    Entries are made of:",
    "    id, timestamp, time in microseconds, arguments array, client IP and port,",
    "    client name",
    "LEN",
    "    Return the length of the slowlog.",
    "RESET",
    "    Reset the slowlog.",
    "HELP",
    "    Prints this help.",
};

void Get(CommandContext& ctx) {
  int64_t count = 10;
  if (ctx.argv.size() == 3) {
    if (!ParseInt64(ctx.argv[2], &count) || count < -1) {
      return ctx.ReplyError("ERR count should be greater than or equal to -1");
    }
  } else if (ctx.argv.size() > 3) {
    return ctx.ReplyError(fmt::format(
        "ERR unknown subcommand or wrong number of arguments for '{}'. Try SLOWLOG HELP.",
        ctx.argv[1]));
  }
  std::vector<SlowLogEntry> entries = ctx.server->slowlog().Get(count);
  ReplyBuilder& r = *ctx.reply;
  r.ArrayHeader(static_cast<int64_t>(entries.size()));
  for (const SlowLogEntry& e : entries) {
    r.ArrayHeader(6);
    r.Integer(static_cast<int64_t>(e.id));
    r.Integer(e.time_sec);
    r.Integer(static_cast<int64_t>(e.duration_us));
    r.ArrayHeader(static_cast<int64_t>(e.argv.size()));
    for (const auto& a : e.argv) r.Bulk(a);
    r.Bulk(e.client_addr);
    r.Bulk(e.client_name);
  }
}

void Len(CommandContext& ctx) {
  ctx.reply->Integer(static_cast<int64_t>(ctx.server->slowlog().Len()));
}

void Reset(CommandContext& ctx) {
  ctx.server->slowlog().Reset();
  ctx.reply->Ok();
}

void Help(CommandContext& ctx) {
  ctx.reply->ArrayHeader(static_cast<int64_t>(std::size(kHelp)));
  for (std::string_view line : kHelp) ctx.reply->SimpleString(line);
}

}  // namespace

void RegisterSlowlogCommands(CommandTable& table) {
  table.Register("slowlog|get", Get);
  table.Register("slowlog|len", Len);
  table.Register("slowlog|reset", Reset);
  table.Register("slowlog|help", Help);
}

}  // namespace strata::server
