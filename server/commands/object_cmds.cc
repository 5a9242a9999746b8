// OBJECT ENCODING, REFCOUNT, FREQ, IDLETIME and HELP. The storage side is
// engine/keyspace_ops.h DescribeObject, and for FREQ and IDLETIME the hot
// tier's access bookkeeping through engine/access_ops.h InspectKey (which
// also decides what a key not in RAM reports). None of them counts as an
// access to the key, as in Redis (LOOKUP_NOTOUCH).
#include "engine/access_ops.h"
#include "engine/engine.h"
#include "engine/eviction.h"
#include "engine/keyspace_ops.h"
#include "server/command_context.h"
#include "server/command_table.h"
#include "server/commands/keyspace_cmds.h"
#include "server/errors.h"
#include "server/server.h"

namespace strata::server {

namespace {

// Redis's objectCommandLookupOrReply: a missing key replies a null.
void ReplyObject(CommandContext& ctx, bool refcount) {
  engine::HotTier::NoTouchScope no_touch;
  ctx.NoKeyspaceEvents();
  auto info = engine::DescribeObject(ctx.engine(), ctx.op, ctx.argv[2]);
  if (info.status().IsNotFound()) return ctx.reply->Null();
  if (!info.ok()) return ctx.ReplyStatus(info.status());
  if (refcount) return ctx.reply->Integer(info->refcount);
  ctx.reply->Bulk(info->encoding);
}

void Encoding(CommandContext& ctx) {
  ReplyObject(ctx, false);
}
void RefCount(CommandContext& ctx) {
  ReplyObject(ctx, true);
}

// Redis looks the key up first: a missing key is a null under any policy.
void Freq(CommandContext& ctx) {
  ctx.NoKeyspaceEvents();
  auto usage = engine::InspectKey(ctx.engine(), ctx.op, ctx.argv[2]);
  if (usage.status().IsNotFound()) return ctx.reply->Null();
  if (!usage.ok()) return ctx.ReplyStatus(usage.status());
  if (!engine::IsLfu(ctx.server->evictor().settings().policy)) {
    return ctx.ReplyError(errors::kFreqNeedsLfu);
  }
  ctx.reply->Integer(usage->lfu_freq);
}

// Seconds, rounded down, as Redis's estimateObjectIdleTime()/1000.
void IdleTime(CommandContext& ctx) {
  ctx.NoKeyspaceEvents();
  auto usage = engine::InspectKey(ctx.engine(), ctx.op, ctx.argv[2]);
  if (usage.status().IsNotFound()) return ctx.reply->Null();
  if (!usage.ok()) return ctx.ReplyStatus(usage.status());
  if (engine::IsLfu(ctx.server->evictor().settings().policy)) {
    return ctx.ReplyError(errors::kIdleTimeUnderLfu);
  }
  ctx.reply->Integer(static_cast<int64_t>(usage->idle_ms / 1000));
}

// Redis 7.0's text, every line a status reply, as addReplyHelp sends it.
void Help(CommandContext& ctx) {
  static constexpr std::string_view kLines[] = {
      "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "ENCODING <key>",
      "    Return the kind of internal representation used in order to store the value",
      "    associated with a <key>.",
      "FREQ <key>",
      "    Return the access frequency index of the <key>. The returned integer is",
      "    proportional to the logarithm of the recent access frequency of the key.",
      "IDLETIME <key>",
      "    Return the idle time of the <key>, that is the approximated number of",
      "    seconds elapsed since the last access to the key.",
      "REFCOUNT <key>",
      "    Return the number of references of the value associated with the specified",
      "    <key>.",
      "HELP",
      "    Prints this help.",
  };
  ctx.reply->ArrayHeader(static_cast<int64_t>(std::size(kLines)));
  for (auto line : kLines) ctx.reply->SimpleString(line);
}

}  // namespace

void RegisterObjectCommands(CommandTable& table) {
  table.Register("object|encoding", Encoding);
  table.Register("object|refcount", RefCount);
  table.Register("object|freq", Freq);
  table.Register("object|idletime", IdleTime);
  table.Register("object|help", Help);
}

}  // namespace strata::server
