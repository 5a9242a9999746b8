// Pub/sub commands: SUBSCRIBE, UNSUBSCRIBE, PSUBSCRIBE, PUNSUBSCRIBE,
// SSUBSCRIBE, SUNSUBSCRIBE, PUBLISH, SPUBLISH, PUBSUB CHANNELS / NUMSUB /
// NUMPAT / SHARDCHANNELS / SHARDNUMSUB / HELP. The registry and message delivery
// are server/pubsub.h; the subscribed-state restrictions are checked in
// Dispatch, PING's subscribed reply in connection_cmds.cc.
#include <fmt/format.h>

#include <iterator>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "server/client_state.h"
#include "server/command_context.h"
#include "server/command_table.h"
#include "server/commands/families.h"
#include "server/pubsub.h"
#include "server/server.h"

namespace strata::server {

namespace {

using Kind = PubSub::Kind;
using Names = std::set<std::string, std::less<>>;

Names& NamesOf(ClientState& c, Kind kind) {
  switch (kind) {
    case Kind::kChannel:
      return c.channels;
    case Kind::kPattern:
      return c.patterns;
    case Kind::kShard:
      break;
  }
  return c.shard_channels;
}

// The count Redis reports after each (un)subscription: channels plus
// patterns, or shard channels alone.
int64_t CountFor(const ClientState& c, Kind kind) {
  if (kind == Kind::kShard) return static_cast<int64_t>(c.shard_channels.size());
  return static_cast<int64_t>(c.channels.size() + c.patterns.size());
}

void SubscribeTo(CommandContext& ctx, Kind kind, std::string_view reply_kind) {
  ClientState& c = *ctx.client;
  Names& names = NamesOf(c, kind);
  for (std::string_view name : ctx.argv.subspan(1)) {
    if (names.emplace(name).second) {
      ctx.server->pubsub().Subscribe(kind, name, c.id, c.subscriber);
    }
    AppendSubscriptionReply(ctx.reply->buffer(), ctx.reply->protocol(), reply_kind, name,
                            CountFor(c, kind));
  }
}

void UnsubscribeFrom(CommandContext& ctx, Kind kind, std::string_view reply_kind) {
  ClientState& c = *ctx.client;
  Names& names = NamesOf(c, kind);
  std::vector<std::string> targets;
  if (ctx.argv.size() > 1) {
    targets.assign(ctx.argv.begin() + 1, ctx.argv.end());
  } else {
    targets.assign(names.begin(), names.end());
  }
  if (targets.empty()) {
    // Nothing to leave: one reply with a null name.
    return AppendSubscriptionReply(ctx.reply->buffer(), ctx.reply->protocol(), reply_kind,
                                   std::nullopt, CountFor(c, kind));
  }
  for (const std::string& name : targets) {
    if (auto it = names.find(name); it != names.end()) {
      names.erase(it);
      ctx.server->pubsub().Unsubscribe(kind, name, c.id);
    }
    AppendSubscriptionReply(ctx.reply->buffer(), ctx.reply->protocol(), reply_kind, name,
                            CountFor(c, kind));
  }
}

void Subscribe(CommandContext& ctx) {
  SubscribeTo(ctx, Kind::kChannel, "subscribe");
}
void PSubscribe(CommandContext& ctx) {
  SubscribeTo(ctx, Kind::kPattern, "psubscribe");
}
void SSubscribe(CommandContext& ctx) {
  SubscribeTo(ctx, Kind::kShard, "ssubscribe");
}
void Unsubscribe(CommandContext& ctx) {
  UnsubscribeFrom(ctx, Kind::kChannel, "unsubscribe");
}
void PUnsubscribe(CommandContext& ctx) {
  UnsubscribeFrom(ctx, Kind::kPattern, "punsubscribe");
}
void SUnsubscribe(CommandContext& ctx) {
  UnsubscribeFrom(ctx, Kind::kShard, "sunsubscribe");
}

void Publish(CommandContext& ctx) {
  ctx.reply->Integer(ctx.server->pubsub().Publish(ctx.argv[1], ctx.argv[2]));
}

void SPublish(CommandContext& ctx) {
  ctx.reply->Integer(ctx.server->pubsub().ShardPublish(ctx.argv[1], ctx.argv[2]));
}

constexpr std::string_view kHelp[] = {
    "PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "CHANNELS [<pattern>]",
    "    Return the currently active channels matching a <pattern> (default: '*').",
    "NUMPAT",
    "    Return number of subscriptions to patterns.",
    "NUMSUB [<channel> ...]",
    "    Return the number of subscribers for the specified channels, excluding",
    "    pattern subscriptions(default: no channels).",
    "SHARDCHANNELS [<pattern>]",
    "    Return the currently active shard level channels matching a <pattern> (default: '*').",
    "SHARDNUMSUB [<shardchannel> ...]",
    "    Return the number of subscribers for the specified shard level channel(s)",
    "HELP",
    "    Prints this help.",
};

void ReplyChannels(CommandContext& ctx, Kind kind) {
  if (ctx.argv.size() > 3) {
    return ctx.ReplyError(fmt::format(
        "ERR unknown subcommand or wrong number of arguments for '{}'. Try PUBSUB HELP.",
        ctx.argv[1]));
  }
  std::optional<std::string_view> pattern;
  if (ctx.argv.size() > 2) pattern = ctx.argv[2];
  auto names = ctx.server->pubsub().Channels(kind, pattern);
  ctx.reply->ArrayHeader(static_cast<int64_t>(names.size()));
  for (const auto& n : names) ctx.reply->Bulk(n);
}

void ReplyNumSub(CommandContext& ctx, Kind kind) {
  auto channels = ctx.argv.subspan(2);
  ctx.reply->ArrayHeader(static_cast<int64_t>(channels.size() * 2));
  for (std::string_view ch : channels) {
    ctx.reply->Bulk(ch);
    ctx.reply->Integer(ctx.server->pubsub().NumSubscribers(kind, ch));
  }
}

void PubsubChannels(CommandContext& ctx) {
  ReplyChannels(ctx, Kind::kChannel);
}
void PubsubShardChannels(CommandContext& ctx) {
  ReplyChannels(ctx, Kind::kShard);
}
void PubsubNumSub(CommandContext& ctx) {
  ReplyNumSub(ctx, Kind::kChannel);
}
void PubsubShardNumSub(CommandContext& ctx) {
  ReplyNumSub(ctx, Kind::kShard);
}
void PubsubHelp(CommandContext& ctx) {
  ctx.reply->ArrayHeader(static_cast<int64_t>(std::size(kHelp)));
  for (std::string_view line : kHelp) ctx.reply->SimpleString(line);
}
void PubsubNumPat(CommandContext& ctx) {
  ctx.reply->Integer(ctx.server->pubsub().Count(Kind::kPattern));
}

}  // namespace

void RegisterPubsubCommands(CommandTable& table) {
  table.Register("subscribe", Subscribe);
  table.Register("psubscribe", PSubscribe);
  table.Register("ssubscribe", SSubscribe);
  table.Register("unsubscribe", Unsubscribe);
  table.Register("punsubscribe", PUnsubscribe);
  table.Register("sunsubscribe", SUnsubscribe);
  table.Register("publish", Publish);
  table.Register("spublish", SPublish);
  table.Register("pubsub|channels", PubsubChannels);
  table.Register("pubsub|shardchannels", PubsubShardChannels);
  table.Register("pubsub|numsub", PubsubNumSub);
  table.Register("pubsub|shardnumsub", PubsubShardNumSub);
  table.Register("pubsub|numpat", PubsubNumPat);
  table.Register("pubsub|help", PubsubHelp);
}

}  // namespace strata::server
