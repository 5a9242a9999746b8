// DEBUG: OBJECT, SLEEP, SET-ACTIVE-EXPIRE and HELP; every other DEBUG subcommand
// gets Redis's unknown-subcommand error. Allowed only as
// `enable-debug-command` says (no, yes, local), as in Redis 7.0.
#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <thread>

#include "common/text.h"
#include "engine/access_ops.h"
#include "engine/dump_ops.h"
#include "engine/engine.h"
#include "engine/eviction.h"
#include "server/client_state.h"
#include "server/command_context.h"
#include "server/command_table.h"
#include "server/commands/families.h"
#include "server/errors.h"
#include "server/server.h"
#include "ttl/active_expiry.h"

namespace strata::server {

namespace {

constexpr std::string_view kHelp[] = {
    "DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "OBJECT <key>",
    "    Show low level info about `key` and associated value.",
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

// DEBUG OBJECT key, as Redis 7.0's line. There is no object address to
// show: "Value at" prints a pseudo-address derived from the key. `lru` is Redis's 24-bit LRU
// clock at the last access (seconds), or under an LFU policy its LFU field
// (minutes << 8 | counter); serializedlength is the RDB body's length.
void DebugObject(CommandContext& ctx) {
  std::string_view key = ctx.argv[2];
  engine::HotTier::NoTouchScope no_touch;
  ctx.NoKeyspaceEvents();
  auto info = engine::DescribeSerialized(ctx.engine(), ctx.op, key);
  if (info.status().IsNotFound()) return ctx.ReplyError(errors::kNoSuchKey);
  if (!info.ok()) return ctx.ReplyStatus(info.status());
  auto usage = engine::InspectKey(ctx.engine(), ctx.op, key);
  if (!usage.ok()) return ctx.ReplyStatus(usage.status());
  const uint64_t now = ctx.op.now_ms;
  const uint64_t last_access = now > usage->idle_ms ? now - usage->idle_ms : 0;
  uint64_t lru = (last_access / 1000) & 0xFFFFFF;
  if (engine::IsLfu(ctx.server->evictor().settings().policy)) {
    lru = ((last_access / 60000) & 0xFFFF) << 8 | usage->lfu_freq;
  }
  std::string line = fmt::format(
      "Value at:0x{:x} refcount:{} encoding:{} serializedlength:{} lru:{} lru_seconds_idle:{}",
      0x7f0000000000 | (std::hash<std::string_view>()(key) & 0xffffffff0), info->object.refcount,
      info->object.encoding, info->serialized_length, lru, usage->idle_ms / 1000);
  if (info->object.encoding == "quicklist") {
    const auto& ql = info->list;
    const double avg = ql.list_nodes == 0 ? 0 : static_cast<double>(ql.elements) / ql.list_nodes;
    line += fmt::format(
        " ql_nodes:{} ql_avg_node:{:.2f} ql_listpack_max:-2 ql_compressed:0 "
        "ql_uncompressed_size:{}",
        ql.list_nodes, avg, ql.list_bytes);
  }
  ctx.reply->SimpleString(line);
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
  } else if (EqualsIgnoreCase(sub, "object") && ctx.argv.size() == 3) {
    DebugObject(ctx);
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
