// Stream reads without groups and stream introspection: XREAD and XINFO
// STREAM. Parsing and replies only; storage is engine/stream_ops.h.
//
// XREAD BLOCK. The engine reports "no data for any key" as an empty result
// (StreamReadResult::streams) with the IDs each key resolved to ("$" read at
// call time). A BLOCK read that finds nothing blocks through the registry of
// server/blocking.h, on every key, with the command to re-run rewritten so
// each "$" is the ID it stood for. A wake-up (ctx.wake_key) reads that one
// stream and replies with it alone, as Redis 7.0 serves a client blocked on
// several streams from the one that received entries; a key that is absent,
// of another type, or without entries past the ID keeps the client blocked.
// Inside MULTI (or a script) BLOCK is ignored, as in Redis.
#include <algorithm>
#include <string>
#include <vector>

#include "engine/stream_ops.h"
#include "server/arg_parser.h"
#include "server/blocking.h"
#include "server/command_context.h"
#include "server/command_table.h"
#include "server/commands/families.h"
#include "server/commands/stream_group_replies.h"
#include "server/commands/stream_read_args.h"
#include "server/commands/stream_replies.h"

namespace strata::server {

namespace {

using codec::StreamId;

void XRead(CommandContext& ctx) {
  StreamReadArgs opts;
  std::string bad = ParseStreamReadArgs(ctx.argv, false, &opts);
  if (!bad.empty()) return ctx.ReplyError(bad);
  size_t streams_at = opts.streams_at;
  size_t n = (ctx.argv.size() - streams_at) / 2;
  std::vector<engine::StreamReadFrom> from(n);
  for (size_t i = 0; i < n; ++i) {
    from[i].key = ctx.argv[streams_at + i];
    std::string_view id = ctx.argv[streams_at + n + i];
    std::string_view error;
    if (id == "$") {
      from[i].last = true;
    } else if (id == ">") {
      error = errors::kXreadGtId;
    } else {
      codec::ParsedStreamId parsed;
      if (!codec::ParseStreamId(id, {.strict = true}, &parsed)) error = errors::kStreamInvalidId;
      from[i].after = parsed.id;
    }
    if (!error.empty()) {
      // Redis checks each key's type before parsing its ID.
      std::vector<std::string_view> before;
      for (size_t j = 0; j <= i; ++j) before.push_back(from[j].key);
      Status types = engine::StreamCheckTypes(ctx.engine(), ctx.op, before);
      if (!types.ok()) return ctx.ReplyStatus(types);
      return ctx.ReplyError(error);
    }
  }
  if (ctx.wake_key) {
    // A wake-up: only the stream that became ready (its ID was resolved when
    // the client blocked, so the re-run argv holds no "$").
    auto it = std::find_if(from.begin(), from.end(),
                           [&](const engine::StreamReadFrom& f) { return f.key == *ctx.wake_key; });
    std::vector<engine::StreamReadFrom> one(it, it + 1);
    auto read = engine::StreamRead(ctx.engine(), ctx.op, one, static_cast<uint64_t>(opts.count));
    if (!read.ok() && read.status().code() != StatusCode::kWrongType) {
      return ctx.ReplyStatus(read.status());
    }
    if (!read.ok() || read->streams.empty()) {
      bool absent = false;
      if (read.ok()) {
        auto exists = engine::StreamExists(ctx.engine(), ctx.op, *ctx.wake_key);
        if (!exists.ok() && exists.status().IsWouldBlock()) return ctx.ReplyStatus(exists.status());
        absent = exists.ok() && !*exists;
      }
      ctx.block.emplace().key_absent = absent;
      return;
    }
    return ReplyStreams(ctx, one, read->streams);
  }
  auto read = engine::StreamRead(ctx.engine(), ctx.op, from, static_cast<uint64_t>(opts.count));
  if (!read.ok()) return ctx.ReplyStatus(read.status());
  if (read->streams.empty()) {
    if (!opts.block || !MayBlock(ctx)) return ctx.reply->NullArray();
    BlockRequest& request = ctx.block.emplace();
    request.timeout_ms = static_cast<uint64_t>(opts.timeout_ms);
    request.argv.assign(ctx.argv.begin(), ctx.argv.end());
    for (size_t i = 0; i < n; ++i) {
      request.keys.emplace_back(from[i].key);
      request.argv[streams_at + n + i] = codec::FormatStreamId(read->resolved[i]);
    }
    return;
  }
  ReplyStreams(ctx, from, read->streams);
}

// radix-tree-keys / radix-tree-nodes describe Redis's rax of listpack nodes,
// which Strata does not have: reported as the node count the trimming model
// uses (stream_ops.h: blocks of kStreamNodeMaxEntries) and that plus one
// (the rax's root), which is what Redis shows for streams of full nodes up
// to a few hundred entries. `info` for XINFO STREAM, `full` for its FULL form.
void ReplyStreamInfo(CommandContext& ctx, const engine::StreamInfo* info,
                     const engine::GroupsInfo* full) {
  const codec::MetaValue& meta = full != nullptr ? full->meta : info->meta;
  const codec::StreamMeta& m = meta.stream;
  uint64_t keys = (meta.count + engine::kStreamNodeMaxEntries - 1) / engine::kStreamNodeMaxEntries;
  ctx.reply->MapHeader(full != nullptr ? 9 : 10);
  ctx.reply->Bulk("length");
  ctx.reply->Integer(static_cast<int64_t>(meta.count));
  ctx.reply->Bulk("radix-tree-keys");
  ctx.reply->Integer(static_cast<int64_t>(keys));
  ctx.reply->Bulk("radix-tree-nodes");
  ctx.reply->Integer(static_cast<int64_t>(keys + 1));
  ctx.reply->Bulk("last-generated-id");
  ctx.reply->Bulk(codec::FormatStreamId({m.last_ms, m.last_seq}));
  ctx.reply->Bulk("max-deleted-entry-id");
  ctx.reply->Bulk(codec::FormatStreamId({m.max_deleted_ms, m.max_deleted_seq}));
  ctx.reply->Bulk("entries-added");
  ctx.reply->Integer(static_cast<int64_t>(m.entries_added));
  ctx.reply->Bulk("recorded-first-entry-id");
  ctx.reply->Bulk(codec::FormatStreamId({m.first_ms, m.first_seq}));
  if (full != nullptr) {
    ctx.reply->Bulk("entries");
    ReplyEntries(ctx, full->entries);
    ctx.reply->Bulk("groups");
    ReplyGroupsFull(ctx, *full);
    return;
  }
  ctx.reply->Bulk("groups");
  ctx.reply->Integer(static_cast<int64_t>(m.groups));
  for (const auto* edge : {&info->first, &info->last}) {
    ctx.reply->Bulk(edge == &info->first ? "first-entry" : "last-entry");
    if (*edge) {
      ReplyEntry(ctx, **edge);
    } else {
      ctx.reply->Null();
    }
  }
}

// XINFO STREAM key [FULL [COUNT n]]. FULL reads the entries and the groups
// in one engine call, so they describe the same moment.
void XInfoStream(CommandContext& ctx) {
  std::span<const std::string_view> opts = ctx.argv.subspan(3);
  bool full = !opts.empty();
  int64_t count = 10;  // FULL's default, so a huge stream does not stall the server
  auto syntax = [&] { return errors::SubcommandSyntax("XINFO", ctx.argv[1]); };
  std::string error;
  if (full && ((opts.size() != 1 && opts.size() != 3) || !EqualsIgnoreCase(opts[0], "FULL") ||
               (opts.size() == 3 && !EqualsIgnoreCase(opts[1], "COUNT")))) {
    error = syntax();
  } else if (opts.size() == 3) {
    if (!ParseInt64(opts[2], &count)) error = errors::kNotInteger;
    count = std::max<int64_t>(count, 0);  // 0 (or negative): every entry
  }
  // The key is looked up before the options are checked.
  if (!full || !error.empty()) {
    auto info = engine::StreamGetInfo(ctx.engine(), ctx.op, ctx.argv[2]);
    if (info.status().IsNotFound()) return ctx.ReplyError(errors::kNoSuchKey);
    if (!info.ok()) return ctx.ReplyStatus(info.status());
    if (!error.empty()) return ctx.ReplyError(error);
    return ReplyStreamInfo(ctx, &*info, nullptr);
  }
  auto info = engine::StreamGroupsInfo(ctx.engine(), ctx.op, ctx.argv[2], true,
                                       static_cast<uint64_t>(count));
  if (info.status().IsNotFound()) return ctx.ReplyError(errors::kNoSuchKey);
  if (!info.ok()) return ctx.ReplyStatus(info.status());
  ReplyStreamInfo(ctx, nullptr, &*info);
}

}  // namespace

void RegisterStreamReadCommands(CommandTable& table) {
  table.Register("xread", XRead);
  table.Register("xinfo|stream", XInfoStream);
}

}  // namespace strata::server
