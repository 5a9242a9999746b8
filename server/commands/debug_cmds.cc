// DEBUG: SLEEP, SET-ACTIVE-EXPIRE and HELP; every other DEBUG subcommand
// gets Redis's unknown-subcommand error. Allowed only as
// `enable-debug-command` says (no, yes, local), as in Redis 7.0.
#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <thread>

#include "common/text.h"
#include "server/client_state.h"
#include "server/command_context.h"
#include "server/command_table.h"
#include "server/commands/families.h"
#include "server/server.h"
#include "ttl/active_expiry.h"

namespace strata::server {

namespace {

constexpr std::string_view kHelp[] = {
    "DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "SET-ACTIVE-EXPIRE <0|1>",
    "    Setting it to 0 disables expiring keys in background when they are not",
    "    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the",
    "    default.",
    "SLEEP <seconds>",
    "    Stop the server for <seconds>. Decimals allowed.",
    "HELP",
    "    Prints this help.",
};

bool IsLocal(const ClientState& c) {
  return c.addr.rfind("127.", 0) == 0 || c.addr.rfind("[::1]", 0) == 0;
}

void Debug(CommandContext& ctx) {
  const std::string& mode = ctx.server->config().enable_debug_command;
  if (mode == "no" || (mode == "local" && !IsLocal(*ctx.client))) {
    return ctx.ReplyError(
        "ERR DEBUG command not allowed. If the enable-debug-command option is set to \"local\", "
        "you can run it from a local connection, otherwise you need to set this option in the "
        "configuration file, and then restart the server.");
  }
  std::string_view sub = ctx.argv[1];
  if (EqualsIgnoreCase(sub, "help") && ctx.argv.size() == 2) {
    ctx.reply->ArrayHeader(static_cast<int64_t>(std::size(kHelp)));
    for (std::string_view line : kHelp) ctx.reply->SimpleString(line);
  } else if (EqualsIgnoreCase(sub, "sleep") && ctx.argv.size() == 3) {
    // As Redis: strtod without checks ("x" sleeps 0 s). The connection's I/O
    // thread sleeps, as Redis's one thread does: that is what tests use it for.
    double seconds = std::strtod(std::string(ctx.argv[2]).c_str(), nullptr);
    if (seconds > 0) std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    ctx.reply->Ok();
  } else if (EqualsIgnoreCase(sub, "set-active-expire") && ctx.argv.size() == 3) {
    ctx.server->expiry().SetEnabled(std::atoi(std::string(ctx.argv[2]).c_str()) != 0);
    ctx.reply->Ok();
  } else {
    ctx.ReplyError(fmt::format(
        "ERR unknown subcommand or wrong number of arguments for '{}'. Try DEBUG HELP.", sub));
  }
}

}  // namespace

void RegisterDebugCommands(CommandTable& table) {
  table.Register("debug", Debug);
}

}  // namespace strata::server
