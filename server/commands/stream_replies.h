// Reply shapes shared by the stream command files: an entry is a two-element
// array [id, [field, value, ...]] in RESP2 and RESP3 alike; a multi-stream
// read (XREAD, XREADGROUP) is an array of [key, entries] pairs in RESP2 and
// a map key -> entries in RESP3.
#pragma once

#include <span>
#include <utility>
#include <vector>

#include "codec/stream_codec.h"
#include "engine/stream_ops.h"
#include "server/command_context.h"

namespace strata::server {

inline void ReplyEntry(CommandContext& ctx, const engine::StreamEntry& e) {
  ctx.reply->ArrayHeader(2);
  ctx.reply->Bulk(codec::FormatStreamId(e.id));
  ctx.reply->ArrayHeader(static_cast<int64_t>(e.fields.size() * 2));
  for (const auto& [field, value] : e.fields) {
    ctx.reply->Bulk(field);
    ctx.reply->Bulk(value);
  }
}

inline void ReplyEntries(CommandContext& ctx, const engine::StreamEntries& entries) {
  ctx.reply->ArrayHeader(static_cast<int64_t>(entries.size()));
  for (const auto& e : entries) ReplyEntry(ctx, e);
}

inline void ReplyStreams(CommandContext& ctx, std::span<const engine::StreamReadFrom> from,
                         const std::vector<std::pair<size_t, engine::StreamEntries>>& streams) {
  bool resp3 = ctx.reply->protocol() == 3;
  if (resp3) {
    ctx.reply->MapHeader(static_cast<int64_t>(streams.size()));
  } else {
    ctx.reply->ArrayHeader(static_cast<int64_t>(streams.size()));
  }
  for (const auto& [index, entries] : streams) {
    if (!resp3) ctx.reply->ArrayHeader(2);
    ctx.reply->Bulk(from[index].key);
    ReplyEntries(ctx, entries);
  }
}

}  // namespace strata::server
