// Reading through consumer groups: XREADGROUP (COUNT, BLOCK, NOACK, ">" and
// history), XACK, XPENDING (summary and extended form with IDLE and a
// consumer), XCLAIM (IDLE/TIME/RETRYCOUNT/FORCE/JUSTID/LASTID) and
// XAUTOCLAIM. Parsing and replies only; storage is engine/stream_group_ops.h.
//
// XREADGROUP BLOCK waits as XREAD BLOCK does (stream_read_cmds.cc,
// server/blocking.h): when no key has new entries for the group, the client
// blocks on every key and the same command is re-run on a wake-up, reading
// only the stream that became ready (">" is resolved against the group at
// that time); a stream without new entries keeps the client blocked, a
// group destroyed meanwhile ends the wait with Redis's NOGROUP error. A
// history read (an ID other than ">") never blocks.
#include <algorithm>
#include <string>
#include <vector>

#include "common/numbers.h"
#include "common/text.h"
#include "engine/stream_group_ops.h"
#include "server/arg_parser.h"
#include "server/blocking.h"
#include "server/command_context.h"
#include "server/command_table.h"
#include "server/commands/families.h"
#include "server/commands/stream_read_args.h"
#include "server/commands/stream_replies.h"
#include "server/errors.h"

namespace strata::server {

namespace {

using codec::StreamId;

void ReplyGroupStreams(CommandContext& ctx, std::span<const engine::GroupReadFrom> from,
                       const engine::GroupReadResult& read) {
  bool resp3 = ctx.reply->protocol() == 3;
  if (resp3) {
    ctx.reply->MapHeader(static_cast<int64_t>(read.streams.size()));
  } else {
    ctx.reply->ArrayHeader(static_cast<int64_t>(read.streams.size()));
  }
  for (const auto& [index, entries] : read.streams) {
    if (!resp3) ctx.reply->ArrayHeader(2);
    ctx.reply->Bulk(from[index].key);
    ctx.reply->ArrayHeader(static_cast<int64_t>(entries.size()));
    for (const auto& e : entries) {
      ctx.reply->ArrayHeader(2);
      ctx.reply->Bulk(codec::FormatStreamId(e.entry.id));
      if (e.deleted) {
        ctx.reply->NullArray();
        continue;
      }
      ctx.reply->ArrayHeader(static_cast<int64_t>(e.entry.fields.size() * 2));
      for (const auto& [field, value] : e.entry.fields) {
        ctx.reply->Bulk(field);
        ctx.reply->Bulk(value);
      }
    }
  }
}

// XREADGROUP GROUP group consumer [COUNT n] [BLOCK ms] [NOACK] STREAMS key.. id..
void XReadGroup(CommandContext& ctx) {
  StreamReadArgs opts;
  std::string bad = ParseStreamReadArgs(ctx.argv, true, &opts);
  if (!bad.empty()) return ctx.ReplyError(bad);
  size_t streams_at = opts.streams_at;
  engine::GroupReadArgs read_args;
  read_args.group = opts.group;
  read_args.consumer = opts.consumer;
  read_args.noack = opts.noack;
  read_args.count = static_cast<uint64_t>(opts.count);
  size_t n = (ctx.argv.size() - streams_at) / 2;
  std::vector<engine::GroupReadFrom> from(n);
  std::vector<std::string_view> id_errors(n);
  for (size_t i = 0; i < n; ++i) {
    from[i].key = ctx.argv[streams_at + i];
    std::string_view id = ctx.argv[streams_at + n + i];
    codec::ParsedStreamId parsed;
    if (id == ">") {
      from[i].new_entries = true;
    } else if (id == "$") {
      id_errors[i] = errors::kXreadgroupDollar;
    } else if (!codec::ParseStreamId(id, {.strict = true}, &parsed)) {
      id_errors[i] = errors::kStreamInvalidId;
    } else {
      from[i].after = parsed.id;
      // Redis marks ">" as the largest ID: that ID given literally reads new entries too.
      from[i].new_entries = parsed.id == StreamId::Max();
    }
    from[i].bad_id = !id_errors[i].empty();
  }
  std::span<const engine::GroupReadFrom> reading = from;
  if (ctx.wake_key) {
    auto it = std::find_if(from.begin(), from.end(),
                           [&](const engine::GroupReadFrom& f) { return f.key == *ctx.wake_key; });
    reading = std::span<const engine::GroupReadFrom>(&*it, 1);
  }
  auto read = engine::StreamGroupRead(ctx.engine(), ctx.op, reading, read_args);
  if (read.ok()) {
    for (size_t i : read->consumer_created) {
      ctx.Notify(engine::kNotifyStream, "xgroup-createconsumer", reading[i].key);
    }
  }
  if (ctx.wake_key) {
    if (!read.ok() && read.status().code() != StatusCode::kWrongType) {
      return ctx.ReplyStatus(read.status());
    }
    if (read.ok() && read->no_group) return ctx.ReplyError(errors::kXreadgroupGroupGone);
    if (!read.ok() || read->streams.empty()) {
      ctx.block.emplace();
      return;
    }
    return ReplyGroupStreams(ctx, reading, *read);
  }
  if (!read.ok()) return ctx.ReplyStatus(read.status());
  if (read->no_group) {
    return ctx.ReplyError(errors::NoKeyOrGroup(from[*read->no_group].key, read_args.group,
                                               " in XREADGROUP with GROUP option"));
  }
  if (read->bad_id) return ctx.ReplyError(id_errors[*read->bad_id]);
  if (read->streams.empty()) {
    if (!opts.block || !MayBlock(ctx)) return ctx.reply->NullArray();
    BlockRequest& request = ctx.block.emplace();
    request.timeout_ms = static_cast<uint64_t>(opts.timeout_ms);
    request.argv.assign(ctx.argv.begin(), ctx.argv.end());
    for (const auto& f : from) request.keys.emplace_back(f.key);
    return;
  }
  ReplyGroupStreams(ctx, from, *read);
}

// XACK key group id [id ...]. The key's type and the group are checked
// before the IDs (no key or group: 0 whatever the IDs).
void XAck(CommandContext& ctx) {
  std::vector<StreamId> ids;
  bool bad_id = false;
  for (size_t i = 3; i < ctx.argv.size() && !bad_id; ++i) {
    codec::ParsedStreamId parsed;
    bad_id = !codec::ParseStreamId(ctx.argv[i], {.strict = true}, &parsed);
    ids.push_back(parsed.id);
  }
  if (bad_id) ids.clear();
  auto acked = engine::StreamAck(ctx.engine(), ctx.op, ctx.argv[1], ctx.argv[2], ids);
  if (!acked.ok()) return ctx.ReplyStatus(acked.status());
  if (acked->found && bad_id) return ctx.ReplyError(errors::kStreamInvalidId);
  ctx.reply->Integer(static_cast<int64_t>(acked->acked));
}

// A range bound of XPENDING: "-", "+", an ID (a bare ms takes sequence
// `missing_seq`), or "(" and one of those, exclusive.
bool ParsePendingBound(std::string_view text, uint64_t missing_seq, bool start, StreamId* id,
                       std::string_view* error) {
  bool exclusive = text.size() > 1 && text[0] == '(';
  if (exclusive) text.remove_prefix(1);
  codec::ParsedStreamId parsed;
  if (!codec::ParseStreamId(text, {.missing_seq = missing_seq}, &parsed)) {
    *error = errors::kStreamInvalidId;
    return false;
  }
  *id = parsed.id;
  if (exclusive && !(start ? codec::IncrStreamId(id) : codec::DecrStreamId(id))) {
    *error = start ? errors::kStreamBadStart : errors::kStreamBadEnd;
    return false;
  }
  return true;
}

// XPENDING key group [[IDLE min-idle] start end count [consumer]]
void XPending(CommandContext& ctx) {
  size_t argc = ctx.argv.size();
  if (argc != 3 && (argc < 6 || argc > 9)) return ctx.ReplyError(errors::kSyntax);
  std::optional<engine::PendingRange> range;
  if (argc >= 6) {
    engine::PendingRange& r = range.emplace();
    size_t at = 3;
    if (EqualsIgnoreCase(ctx.argv[3], "IDLE")) {
      if (!ParseInt64(ctx.argv[4], &r.min_idle)) return ctx.ReplyError(errors::kNotInteger);
      if (argc < 8) return ctx.ReplyError(errors::kSyntax);
      at += 2;
    }
    int64_t count;
    if (!ParseInt64(ctx.argv[at + 2], &count)) return ctx.ReplyError(errors::kNotInteger);
    r.count = static_cast<uint64_t>(std::max<int64_t>(count, 0));
    std::string_view error;
    if (!ParsePendingBound(ctx.argv[at], 0, true, &r.start, &error) ||
        !ParsePendingBound(ctx.argv[at + 1], UINT64_MAX, false, &r.end, &error)) {
      return ctx.ReplyError(error);
    }
    if (at + 3 < argc) r.consumer = ctx.argv[at + 3];
  }
  std::string_view key = ctx.argv[1], group = ctx.argv[2];
  auto pending = engine::StreamPendingInfo(ctx.engine(), ctx.op, key, group, range);
  if (!pending.ok()) return ctx.ReplyStatus(pending.status());
  if (pending->no_group) return ctx.ReplyError(errors::NoKeyOrGroup(key, group));
  const engine::PendingResult& p = *pending;
  if (!range) {
    ctx.reply->ArrayHeader(4);
    ctx.reply->Integer(static_cast<int64_t>(p.total));
    if (p.total == 0) {
      ctx.reply->Null();
      ctx.reply->Null();
      ctx.reply->NullArray();
      return;
    }
    ctx.reply->Bulk(codec::FormatStreamId(p.first));
    ctx.reply->Bulk(codec::FormatStreamId(p.last));
    ctx.reply->ArrayHeader(static_cast<int64_t>(p.consumers.size()));
    for (const auto& [name, n] : p.consumers) {
      ctx.reply->ArrayHeader(2);
      ctx.reply->Bulk(name);
      ctx.reply->Bulk(std::to_string(n));
    }
    return;
  }
  uint64_t now = engine::NowMs();
  ctx.reply->ArrayHeader(static_cast<int64_t>(p.entries.size()));
  for (const auto& e : p.entries) {
    ctx.reply->ArrayHeader(4);
    ctx.reply->Bulk(codec::FormatStreamId(e.id));
    ctx.reply->Bulk(e.pending.consumer);
    int64_t idle = static_cast<int64_t>(now) - static_cast<int64_t>(e.pending.delivery_ms);
    ctx.reply->Integer(std::max<int64_t>(idle, 0));
    ctx.reply->Integer(static_cast<int64_t>(e.pending.delivery_count));
  }
}

void ReplyClaimed(CommandContext& ctx, const engine::StreamEntries& claimed, bool justid) {
  if (!justid) return ReplyEntries(ctx, claimed);
  ctx.reply->ArrayHeader(static_cast<int64_t>(claimed.size()));
  for (const auto& e : claimed) ctx.reply->Bulk(codec::FormatStreamId(e.id));
}

// XCLAIM key group consumer min-idle-time id [id ...] [IDLE ms] [TIME ms]
//        [RETRYCOUNT n] [FORCE] [JUSTID] [LASTID id]
// The IDs run to the first argument that is not one; every argument error
// is reported after the key and group lookups, as Redis does.
void XClaim(CommandContext& ctx) {
  engine::ClaimArgs args;
  args.group = ctx.argv[2];
  args.consumer = ctx.argv[3];
  std::string error;
  if (!ParseInt64(ctx.argv[4], &args.min_idle)) {
    error = "ERR Invalid min-idle-time argument for XCLAIM";
  }
  args.min_idle = std::max<int64_t>(args.min_idle, 0);
  std::vector<StreamId> ids;
  size_t j = 5;
  for (; j < ctx.argv.size(); ++j) {
    codec::ParsedStreamId parsed;
    if (!codec::ParseStreamId(ctx.argv[j], {.strict = true}, &parsed)) break;
    ids.push_back(parsed.id);
  }
  uint64_t now = engine::NowMs();
  int64_t delivery = -1;
  for (; j < ctx.argv.size() && error.empty(); ++j) {
    std::string_view opt = ctx.argv[j];
    bool more = j + 1 < ctx.argv.size();
    int64_t v = 0;
    auto number = [&](std::string_view what) {
      if (!ParseInt64(ctx.argv[++j], &v)) {
        error = "ERR Invalid " + std::string(what) + " option argument for XCLAIM";
      }
      return error.empty();
    };
    if (EqualsIgnoreCase(opt, "FORCE")) {
      args.force = true;
    } else if (EqualsIgnoreCase(opt, "JUSTID")) {
      args.justid = true;
    } else if (EqualsIgnoreCase(opt, "IDLE") && more) {
      if (number("IDLE")) delivery = static_cast<int64_t>(now) - v;
    } else if (EqualsIgnoreCase(opt, "TIME") && more) {
      if (number("TIME")) delivery = v;
    } else if (EqualsIgnoreCase(opt, "RETRYCOUNT") && more) {
      if (number("RETRYCOUNT")) args.retry_count = v;
    } else if (EqualsIgnoreCase(opt, "LASTID") && more) {
      codec::ParsedStreamId parsed;
      if (!codec::ParseStreamId(ctx.argv[++j], {.strict = true}, &parsed)) {
        error = errors::kStreamInvalidId;
      }
      args.last_id = parsed.id;
    } else {
      error = "ERR Unrecognized XCLAIM option '" + std::string(opt) + "'";
    }
  }
  // A bogus delivery time (negative, in the future) becomes now, as in Redis.
  args.delivery_ms =
      delivery < 0 || delivery > static_cast<int64_t>(now) ? now : static_cast<uint64_t>(delivery);
  std::string_view key = ctx.argv[1];
  auto r = engine::StreamClaim(ctx.engine(), ctx.op, key, args, ids, error.empty());
  if (!r.ok()) return ctx.ReplyStatus(r.status());
  if (r->no_group) return ctx.ReplyError(errors::NoKeyOrGroup(key, args.group));
  if (!error.empty()) return ctx.ReplyError(error);
  if (r->consumer_created) ctx.Notify(engine::kNotifyStream, "xgroup-createconsumer", key);
  ReplyClaimed(ctx, r->claimed, args.justid);
}

// XAUTOCLAIM key group consumer min-idle-time start [COUNT count] [JUSTID]
// Arguments are checked before the key, as Redis does.
void XAutoClaim(CommandContext& ctx) {
  engine::AutoClaimArgs args;
  args.group = ctx.argv[2];
  args.consumer = ctx.argv[3];
  if (!ParseInt64(ctx.argv[4], &args.min_idle)) {
    return ctx.ReplyError("ERR Invalid min-idle-time argument for XAUTOCLAIM");
  }
  args.min_idle = std::max<int64_t>(args.min_idle, 0);
  std::string_view error;
  if (!ParsePendingBound(ctx.argv[5], 0, true, &args.start, &error)) {
    return ctx.ReplyError(error);
  }
  for (size_t j = 6; j < ctx.argv.size(); ++j) {
    if (EqualsIgnoreCase(ctx.argv[j], "COUNT") && j + 1 < ctx.argv.size()) {
      int64_t count;
      // Redis caps COUNT at LONG_MAX / 16 (a reply buffer of IDs).
      if (!ParseInt64(ctx.argv[++j], &count) || count < 1 || count > INT64_MAX / 16) {
        return ctx.ReplyError("ERR COUNT must be > 0");
      }
      args.count = static_cast<uint64_t>(count);
    } else if (EqualsIgnoreCase(ctx.argv[j], "JUSTID")) {
      args.justid = true;
    } else {
      return ctx.ReplyError(errors::kSyntax);
    }
  }
  std::string_view key = ctx.argv[1];
  auto r = engine::StreamAutoClaim(ctx.engine(), ctx.op, key, args);
  if (!r.ok()) return ctx.ReplyStatus(r.status());
  if (r->no_group) return ctx.ReplyError(errors::NoKeyOrGroup(key, args.group));
  if (r->consumer_created) ctx.Notify(engine::kNotifyStream, "xgroup-createconsumer", key);
  ctx.reply->ArrayHeader(3);
  ctx.reply->Bulk(codec::FormatStreamId(r->cursor));
  ReplyClaimed(ctx, r->claimed, args.justid);
  ctx.reply->ArrayHeader(static_cast<int64_t>(r->deleted.size()));
  for (StreamId id : r->deleted) ctx.reply->Bulk(codec::FormatStreamId(id));
}

}  // namespace

void RegisterStreamGroupReadCommands(CommandTable& table) {
  table.Register("xclaim", XClaim);
  table.Register("xautoclaim", XAutoClaim);
  table.Register("xreadgroup", XReadGroup);
  table.Register("xack", XAck);
  table.Register("xpending", XPending);
}

}  // namespace strata::server
