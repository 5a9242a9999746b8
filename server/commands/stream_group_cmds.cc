// Consumer-group administration and introspection: XGROUP (CREATE, SETID,
// DESTROY, CREATECONSUMER, DELCONSUMER, HELP) and XINFO GROUPS, CONSUMERS,
// HELP. Parsing and replies only; storage is engine/stream_group_ops.h.
//
// ERROR ORDER follows Redis 7.0.15's xgroupCommand: CREATE/SETID options
// (from the 6th argument) are parsed first, then the key's type, the key's
// existence (unless CREATE ... MKSTREAM), the group (SETID, CREATECONSUMER,
// DELCONSUMER), then the argument count of CREATE/SETID and the ID.
#include <string>
#include <vector>

#include "common/numbers.h"
#include "common/text.h"
#include "engine/stream_group_ops.h"
#include "server/command_context.h"
#include "server/command_table.h"
#include "server/commands/families.h"
#include "server/commands/stream_group_replies.h"
#include "server/errors.h"

namespace strata::server {

using codec::StreamId;
using engine::GroupOutcome;

void ReplyGroupCounters(CommandContext& ctx, const engine::GroupsInfo& info,
                        const codec::StreamGroup& g) {
  ctx.reply->Bulk("entries-read");
  if (g.entries_read == codec::kEntriesReadInvalid) {
    ctx.reply->Null();
  } else {
    ctx.reply->Integer(g.entries_read);
  }
  ctx.reply->Bulk("lag");
  auto lag = codec::StreamGroupLag(info.meta.stream, info.meta.count, g);
  if (lag) {
    ctx.reply->Integer(*lag);
  } else {
    ctx.reply->Null();
  }
}

void ReplyGroupsFull(CommandContext& ctx, const engine::GroupsInfo& info) {
  ctx.reply->ArrayHeader(static_cast<int64_t>(info.groups.size()));
  for (const auto& g : info.groups) {
    ctx.reply->MapHeader(7);
    ctx.reply->Bulk("name");
    ctx.reply->Bulk(g.name);
    ctx.reply->Bulk("last-delivered-id");
    ctx.reply->Bulk(codec::FormatStreamId(g.group.last_id));
    ReplyGroupCounters(ctx, info, g.group);
    ctx.reply->Bulk("pel-count");
    ctx.reply->Integer(static_cast<int64_t>(g.group.pending));
    ctx.reply->Bulk("pending");
    ctx.reply->ArrayHeader(static_cast<int64_t>(g.pel.size()));
    for (const auto& e : g.pel) {
      ctx.reply->ArrayHeader(4);
      ctx.reply->Bulk(codec::FormatStreamId(e.id));
      ctx.reply->Bulk(e.pending.consumer);
      ctx.reply->Integer(static_cast<int64_t>(e.pending.delivery_ms));
      ctx.reply->Integer(static_cast<int64_t>(e.pending.delivery_count));
    }
    ctx.reply->Bulk("consumers");
    ctx.reply->ArrayHeader(static_cast<int64_t>(g.consumers.size()));
    for (const auto& c : g.consumers) {
      ctx.reply->MapHeader(4);
      ctx.reply->Bulk("name");
      ctx.reply->Bulk(c.name);
      ctx.reply->Bulk("seen-time");
      ctx.reply->Integer(static_cast<int64_t>(c.consumer.seen_ms));
      ctx.reply->Bulk("pel-count");
      ctx.reply->Integer(static_cast<int64_t>(c.consumer.pending));
      ctx.reply->Bulk("pending");
      ctx.reply->ArrayHeader(static_cast<int64_t>(c.pel.size()));
      for (const auto& e : c.pel) {
        ctx.reply->ArrayHeader(3);
        ctx.reply->Bulk(codec::FormatStreamId(e.id));
        ctx.reply->Integer(static_cast<int64_t>(e.pending.delivery_ms));
        ctx.reply->Integer(static_cast<int64_t>(e.pending.delivery_count));
      }
    }
  }
}

namespace {

void ReplyHelp(CommandContext& ctx, std::span<const std::string_view> lines) {
  ctx.reply->ArrayHeader(static_cast<int64_t>(lines.size()));
  for (auto line : lines) ctx.reply->SimpleString(line);
}

// Replies the error of a lookup outcome; false when there is none.
bool ReplyOutcomeError(CommandContext& ctx, GroupOutcome outcome, std::string_view key,
                       std::string_view group) {
  switch (outcome) {
    case GroupOutcome::kNoKey:
      ctx.ReplyError(errors::kXgroupNoKey);
      return true;
    case GroupOutcome::kNoGroup:
      ctx.ReplyError(errors::NoGroup(key, group));
      return true;
    case GroupOutcome::kBusyGroup:
      ctx.ReplyError(errors::kBusyGroup);
      return true;
    default:
      return false;
  }
}

// The options of CREATE (MKSTREAM, ENTRIESREAD) or SETID (ENTRIESREAD) from
// the 6th argument, as Redis parses them before looking the key up.
struct GroupOptions {
  bool mkstream = false;
  int64_t entries_read = codec::kEntriesReadInvalid;
  std::string error;
};
GroupOptions ParseGroupOptions(CommandContext& ctx, bool create) {
  GroupOptions o;
  for (size_t i = 5; i < ctx.argv.size();) {
    if (create && EqualsIgnoreCase(ctx.argv[i], "MKSTREAM")) {
      o.mkstream = true;
      ++i;
    } else if (EqualsIgnoreCase(ctx.argv[i], "ENTRIESREAD") && i + 1 < ctx.argv.size()) {
      if (!ParseInt64(ctx.argv[i + 1], &o.entries_read)) {
        o.error = errors::kNotInteger;
        return o;
      }
      if (o.entries_read < 0 && o.entries_read != codec::kEntriesReadInvalid) {
        o.error = errors::kEntriesReadRange;
        return o;
      }
      i += 2;
    } else {
      o.error = errors::SubcommandSyntax("XGROUP", ctx.argv[1]);
      return o;
    }
  }
  return o;
}

// XGROUP CREATE key group id|$ [MKSTREAM] [ENTRIESREAD n] and
// XGROUP SETID key group id|$ [ENTRIESREAD n].
void GroupCreateOrSetId(CommandContext& ctx, bool create) {
  GroupOptions o = ParseGroupOptions(ctx, create);
  if (!o.error.empty()) return ctx.ReplyError(o.error);
  std::string_view key = ctx.argv[2], group = ctx.argv[3];
  // Errors Redis reports only after the key and group lookups.
  std::string late;
  size_t argc = ctx.argv.size();
  bool argc_ok = create ? argc <= 8 : argc == 5 || argc == 7;
  engine::GroupIdArg id;
  if (!argc_ok) {
    late = errors::SubcommandSyntax("XGROUP", ctx.argv[1]);
  } else if (ctx.argv[4] == "$") {
    id.last = true;
  } else {
    codec::ParsedStreamId parsed;
    // CREATE takes a strict ID; SETID also accepts "-" and "+".
    if (!codec::ParseStreamId(ctx.argv[4], {.strict = create}, &parsed)) {
      late = errors::kStreamInvalidId;
    }
    id.id = parsed.id;
  }
  auto outcome = create ? engine::StreamGroupCreate(ctx.engine(), ctx.op, key, group, id,
                                                    o.mkstream, o.entries_read, late.empty())
                        : engine::StreamGroupSetId(ctx.engine(), ctx.op, key, group, id,
                                                   o.entries_read, late.empty());
  if (!outcome.ok()) return ctx.ReplyStatus(outcome.status());
  if (ReplyOutcomeError(ctx, *outcome, key, group)) return;
  if (!late.empty()) return ctx.ReplyError(late);
  ctx.Notify(engine::kNotifyStream, create ? "xgroup-create" : "xgroup-setid", key);
  ctx.reply->Ok();
}

void XGroupCreate(CommandContext& ctx) {
  GroupCreateOrSetId(ctx, true);
}

void XGroupSetId(CommandContext& ctx) {
  GroupCreateOrSetId(ctx, false);
}

void XGroupDestroy(CommandContext& ctx) {
  auto outcome = engine::StreamGroupDestroy(ctx.engine(), ctx.op, ctx.argv[2], ctx.argv[3]);
  if (!outcome.ok()) return ctx.ReplyStatus(outcome.status());
  if (*outcome == GroupOutcome::kNoKey) return ctx.ReplyError(errors::kXgroupNoKey);
  bool destroyed = *outcome == GroupOutcome::kDone;
  if (destroyed) ctx.Notify(engine::kNotifyStream, "xgroup-destroy", ctx.argv[2]);
  ctx.reply->Integer(destroyed ? 1 : 0);
}

void XGroupConsumer(CommandContext& ctx, bool create) {
  std::string_view key = ctx.argv[2], group = ctx.argv[3];
  auto r = create ? engine::StreamCreateConsumer(ctx.engine(), ctx.op, key, group, ctx.argv[4])
                  : engine::StreamDeleteConsumer(ctx.engine(), ctx.op, key, group, ctx.argv[4]);
  if (!r.ok()) return ctx.ReplyStatus(r.status());
  if (ReplyOutcomeError(ctx, r->outcome, key, group)) return;
  if (r->changed) {
    ctx.Notify(engine::kNotifyStream, create ? "xgroup-createconsumer" : "xgroup-delconsumer", key);
  }
  ctx.reply->Integer(static_cast<int64_t>(r->value));
}

void XGroupCreateConsumer(CommandContext& ctx) {
  XGroupConsumer(ctx, true);
}

void XGroupDelConsumer(CommandContext& ctx) {
  XGroupConsumer(ctx, false);
}

void XGroupHelp(CommandContext& ctx) {
  static constexpr std::string_view kLines[] = {
      "XGROUP <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "CREATE <key> <groupname> <id|$> [option]",
      "    Create a new consumer group. Options are:",
      "    * MKSTREAM",
      "      Create the empty stream if it does not exist.",
      "    * ENTRIESREAD entries_read",
      "      Set the group's entries_read counter (internal use).",
      "CREATECONSUMER <key> <groupname> <consumer>",
      "    Create a new consumer in the specified group.",
      "DELCONSUMER <key> <groupname> <consumer>",
      "    Remove the specified consumer.",
      "DESTROY <key> <groupname>",
      "    Remove the specified group.",
      "SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
      "    Set the current group ID and entries_read counter.",
      "HELP",
      "    Prints this help.",
  };
  ReplyHelp(ctx, kLines);
}

// XINFO GROUPS key.
void XInfoGroups(CommandContext& ctx) {
  auto info = engine::StreamGroupsInfo(ctx.engine(), ctx.op, ctx.argv[2], false, 0);
  if (info.status().IsNotFound()) return ctx.ReplyError(errors::kNoSuchKey);
  if (!info.ok()) return ctx.ReplyStatus(info.status());
  ctx.reply->ArrayHeader(static_cast<int64_t>(info->groups.size()));
  for (const auto& g : info->groups) {
    ctx.reply->MapHeader(6);
    ctx.reply->Bulk("name");
    ctx.reply->Bulk(g.name);
    ctx.reply->Bulk("consumers");
    ctx.reply->Integer(static_cast<int64_t>(g.group.consumers));
    ctx.reply->Bulk("pending");
    ctx.reply->Integer(static_cast<int64_t>(g.group.pending));
    ctx.reply->Bulk("last-delivered-id");
    ctx.reply->Bulk(codec::FormatStreamId(g.group.last_id));
    ReplyGroupCounters(ctx, *info, g.group);
  }
}

// XINFO CONSUMERS key group.
void XInfoConsumers(CommandContext& ctx) {
  std::string_view key = ctx.argv[2], group = ctx.argv[3];
  auto info = engine::StreamConsumersInfo(ctx.engine(), ctx.op, key, group);
  if (!info.ok()) return ctx.ReplyStatus(info.status());
  if (info->outcome == GroupOutcome::kNoKey) return ctx.ReplyError(errors::kNoSuchKey);
  if (ReplyOutcomeError(ctx, info->outcome, key, group)) return;
  uint64_t now = engine::NowMs();
  ctx.reply->ArrayHeader(static_cast<int64_t>(info->consumers.size()));
  for (const auto& c : info->consumers) {
    ctx.reply->MapHeader(3);
    ctx.reply->Bulk("name");
    ctx.reply->Bulk(c.name);
    ctx.reply->Bulk("pending");
    ctx.reply->Integer(static_cast<int64_t>(c.consumer.pending));
    ctx.reply->Bulk("idle");
    ctx.reply->Integer(now > c.consumer.seen_ms ? static_cast<int64_t>(now - c.consumer.seen_ms)
                                                : 0);
  }
}

void XInfoHelp(CommandContext& ctx) {
  static constexpr std::string_view kLines[] = {
      "XINFO <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "CONSUMERS <key> <groupname>",
      "    Show consumers of <groupname>.",
      "GROUPS <key>",
      "    Show the stream consumer groups.",
      "STREAM <key> [FULL [COUNT <count>]",
      "    Show information about the stream.",
      "HELP",
      "    Prints this help.",
  };
  ReplyHelp(ctx, kLines);
}

}  // namespace

void RegisterStreamGroupCommands(CommandTable& table) {
  table.Register("xgroup|create", XGroupCreate);
  table.Register("xgroup|setid", XGroupSetId);
  table.Register("xgroup|destroy", XGroupDestroy);
  table.Register("xgroup|createconsumer", XGroupCreateConsumer);
  table.Register("xgroup|delconsumer", XGroupDelConsumer);
  table.Register("xgroup|help", XGroupHelp);
  table.Register("xinfo|groups", XInfoGroups);
  table.Register("xinfo|consumers", XInfoConsumers);
  table.Register("xinfo|help", XInfoHelp);
}

}  // namespace strata::server
