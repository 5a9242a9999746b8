// Stream commands: XADD, XLEN, XRANGE, XREVRANGE, XDEL, XTRIM, XSETID, XREAD
// and XINFO STREAM. Parsing and replies only; storage is engine/stream_ops.h.
// Arguments are checked in Redis 7.0.15's order (t_stream.c), e.g. XADD's
// options and ID before the key's type, XDEL's key before its IDs.
#include <optional>
#include <string>
#include <vector>

#include "codec/stream_codec.h"
#include "engine/stream_ops.h"
#include "server/arg_parser.h"
#include "server/command_context.h"
#include "server/command_table.h"
#include "server/commands/families.h"
#include "server/commands/stream_replies.h"

namespace strata::server {

namespace {

using codec::StreamId;
using engine::StreamTrim;

// Parses an ID argument; on failure records Redis's error in `args`.
StreamId ParseId(ArgParser& args, std::string_view text, codec::StreamIdParse how,
                 bool* seq_given = nullptr) {
  codec::ParsedStreamId parsed;
  if (!codec::ParseStreamId(text, how, &parsed)) {
    args.Fail(errors::kStreamInvalidId);
    return {};
  }
  if (seq_given != nullptr) *seq_given = parsed.seq_given;
  return parsed.id;
}

constexpr codec::StreamIdParse kStrict{.strict = true};

// The options XADD and XTRIM share (Redis's streamParseAddOrTrimArgsOrReply).
// For XADD it stops at the ID ("*" or explicit, stored in `add`) and returns
// its position; for XTRIM it reads to the end. 0 after an error reply.
size_t ParseAddOrTrim(CommandContext& ctx, bool xadd, engine::StreamAddArgs* add) {
  ArgParser args(ctx.argv, 2);
  StreamTrim& trim = add->trim;
  bool limit_given = false;
  int64_t limit = 0;
  size_t i = 2;
  for (; i < ctx.argv.size() && !args.failed(); ++i) {
    std::string_view opt = ctx.argv[i];
    size_t more = ctx.argv.size() - 1 - i;
    bool maxlen = EqualsIgnoreCase(opt, "MAXLEN"), minid = EqualsIgnoreCase(opt, "MINID");
    if (xadd && opt == "*") break;
    if ((maxlen || minid) && more > 0) {
      if (trim.strategy != StreamTrim::Strategy::kNone) {
        args.Fail(errors::kStreamMaxlenAndMinid);
        break;
      }
      std::string_view next = ctx.argv[i + 1];
      trim.approx = false;
      if (more >= 2 && (next == "~" || next == "=")) {
        trim.approx = next == "~";
        ++i;
      }
      std::string_view value = ctx.argv[++i];
      if (maxlen) {
        int64_t n = 0;
        if (!ParseInt64(value, &n)) {
          args.Fail(errors::kNotInteger);
        } else if (n < 0) {
          args.Fail(errors::kStreamMaxlenNegative);
        }
        trim.maxlen = static_cast<uint64_t>(n);
        trim.strategy = StreamTrim::Strategy::kMaxLen;
      } else {
        trim.minid = ParseId(args, value, kStrict);
        trim.strategy = StreamTrim::Strategy::kMinId;
      }
    } else if (EqualsIgnoreCase(opt, "LIMIT") && more > 0) {
      if (!ParseInt64(ctx.argv[++i], &limit)) {
        args.Fail(errors::kNotInteger);
      } else if (limit < 0) {
        args.Fail(errors::kStreamLimitNegative);
      }
      limit_given = true;
    } else if (xadd && EqualsIgnoreCase(opt, "NOMKSTREAM")) {
      add->nomkstream = true;
    } else if (xadd) {
      add->id = ParseId(args, opt, {.strict = true, .allow_auto_seq = true}, &add->seq_given);
      add->id_given = true;
      break;
    } else {
      args.Fail(errors::kSyntax);
    }
  }
  bool has_strategy = trim.strategy != StreamTrim::Strategy::kNone;
  if (!args.failed() && limit != 0 && !has_strategy) args.Fail(errors::kStreamLimitWithoutTrim);
  if (!args.failed() && !xadd && !has_strategy) args.Fail(errors::kStreamXtrimNoStrategy);
  if (!args.failed() && limit_given && !trim.approx) args.Fail(errors::kStreamLimitWithoutApprox);
  if (args.failed()) {
    ctx.ReplyError(args.error());
    return 0;
  }
  // Without LIMIT, "~" trims at most 100 nodes' worth (Redis's default).
  trim.limit = limit_given   ? static_cast<uint64_t>(limit)
               : trim.approx ? 100 * engine::kStreamNodeMaxEntries
                             : 0;
  return i;
}

void XAdd(CommandContext& ctx) {
  engine::StreamAddArgs add;
  size_t id_pos = ParseAddOrTrim(ctx, true, &add);
  if (id_pos == 0) return;
  size_t fields = ctx.argv.size() - (id_pos + 1);
  if (id_pos >= ctx.argv.size() || fields < 2 || fields % 2 == 1) {
    return ctx.ReplyError(errors::WrongArity("xadd"));
  }
  if (add.id_given && add.seq_given && add.id.is_zero()) {
    return ctx.ReplyError(errors::kStreamIdZero);
  }
  auto result =
      engine::StreamAdd(ctx.engine(), ctx.op, ctx.argv[1], add, ctx.argv.subspan(id_pos + 1));
  if (!result.ok()) return ctx.ReplyStatus(result.status());
  switch (result->outcome) {
    case engine::StreamAddOutcome::kAdded:
      // As Redis's xaddCommand: "xadd", then "xtrim" when the trim removed any.
      ctx.Notify(engine::kNotifyStream, "xadd", ctx.argv[1]);
      if (result->trimmed > 0) ctx.Notify(engine::kNotifyStream, "xtrim", ctx.argv[1]);
      return ctx.reply->Bulk(codec::FormatStreamId(result->id));
    case engine::StreamAddOutcome::kNoStream:
      return ctx.reply->Null();
    case engine::StreamAddOutcome::kExhausted:
      return ctx.ReplyError(errors::kStreamExhausted);
    case engine::StreamAddOutcome::kIdTooSmall:
      return ctx.ReplyError(errors::kStreamIdTooSmall);
  }
}

void XLen(CommandContext& ctx) {
  auto n = engine::StreamLength(ctx.engine(), ctx.op, ctx.argv[1]);
  if (!n.ok()) return ctx.ReplyStatus(n.status());
  ctx.reply->Integer(static_cast<int64_t>(*n));
}

// XRANGE key start end [COUNT n] / XREVRANGE key end start [COUNT n].
void RangeCommand(CommandContext& ctx, bool reverse) {
  ArgParser args(ctx.argv, 2);
  std::string_view start_arg = ctx.argv[reverse ? 3 : 2], end_arg = ctx.argv[reverse ? 2 : 3];
  // A "(" prefix makes a bound exclusive (then "-" and "+" are invalid).
  auto bound = [&](std::string_view text, uint64_t missing_seq, bool* exclusive) {
    *exclusive = text.size() > 1 && text[0] == '(';
    if (*exclusive) {
      return ParseId(args, text.substr(1), {.strict = true, .missing_seq = missing_seq});
    }
    return ParseId(args, text, {.missing_seq = missing_seq});
  };
  bool start_ex, end_ex;
  StreamId start = bound(start_arg, 0, &start_ex);
  if (!args.failed() && start_ex && !codec::IncrStreamId(&start))
    args.Fail(errors::kStreamBadStart);
  StreamId end = args.failed() ? StreamId{} : bound(end_arg, UINT64_MAX, &end_ex);
  if (!args.failed() && end_ex && !codec::DecrStreamId(&end)) args.Fail(errors::kStreamBadEnd);
  int64_t count = -1;
  ArgParser opts(ctx.argv, 4);
  while (!args.failed() && !opts.Done()) {
    if (opts.remaining() >= 2 && opts.EatFlag("COUNT")) {
      count = std::max<int64_t>(opts.NextInt64(), 0);  // negative counts as 0
      if (opts.failed()) args.Fail(opts.error());
    } else {
      args.Fail(errors::kSyntax);
    }
  }
  if (args.failed()) return ctx.ReplyError(args.error());
  // COUNT 0 (or negative) on an existing stream is a null array (Redis's
  // quirk); a missing key is an empty array before COUNT is looked at.
  uint64_t limit = count < 0 ? 0 : count == 0 ? 1 : static_cast<uint64_t>(count);
  auto entries = engine::StreamRange(ctx.engine(), ctx.op, ctx.argv[1], start, end, limit, reverse);
  if (!entries.ok()) return ctx.ReplyStatus(entries.status());
  if (!entries->has_value()) return ctx.reply->ArrayHeader(0);
  if (count == 0) return ctx.reply->NullArray();
  ReplyEntries(ctx, **entries);
}

void XRange(CommandContext& ctx) {
  RangeCommand(ctx, false);
}
void XRevRange(CommandContext& ctx) {
  RangeCommand(ctx, true);
}

// XDEL key id [id ...]: a missing key is 0 before the IDs are parsed.
void XDel(CommandContext& ctx) {
  ArgParser args(ctx.argv, 2);
  std::vector<StreamId> ids;
  for (size_t i = 2; i < ctx.argv.size() && !args.failed(); ++i) {
    ids.push_back(ParseId(args, ctx.argv[i], kStrict));
  }
  if (args.failed()) {
    auto exists = engine::StreamExists(ctx.engine(), ctx.op, ctx.argv[1]);
    if (!exists.ok()) return ctx.ReplyStatus(exists.status());
    if (!*exists) return ctx.reply->Integer(0);
    return ctx.ReplyError(args.error());
  }
  auto deleted = engine::StreamDelete(ctx.engine(), ctx.op, ctx.argv[1], ids);
  if (!deleted.ok()) return ctx.ReplyStatus(deleted.status());
  if (*deleted > 0) ctx.Notify(engine::kNotifyStream, "xdel", ctx.argv[1]);
  ctx.reply->Integer(static_cast<int64_t>(*deleted));
}

void XTrim(CommandContext& ctx) {
  engine::StreamAddArgs parsed;
  if (ParseAddOrTrim(ctx, false, &parsed) == 0) return;
  auto deleted = engine::StreamTrimKey(ctx.engine(), ctx.op, ctx.argv[1], parsed.trim);
  if (!deleted.ok()) return ctx.ReplyStatus(deleted.status());
  if (*deleted > 0) ctx.Notify(engine::kNotifyStream, "xtrim", ctx.argv[1]);
  ctx.reply->Integer(static_cast<int64_t>(*deleted));
}

// XSETID key id [ENTRIESADDED n] [MAXDELETEDID id]: arguments before the key.
void XSetId(CommandContext& ctx) {
  ArgParser args(ctx.argv, 3);
  StreamId id = ParseId(args, ctx.argv[2], kStrict);
  std::optional<uint64_t> entries_added;
  std::optional<StreamId> max_deleted;
  while (!args.failed() && !args.Done()) {
    bool more = args.remaining() > 1;
    if (more && args.EatFlag("ENTRIESADDED")) {
      int64_t n = args.NextInt64();
      if (!args.failed() && n < 0) args.Fail(errors::kStreamEntriesAddedNegative);
      entries_added = static_cast<uint64_t>(n);
    } else if (more && args.EatFlag("MAXDELETEDID")) {
      max_deleted = ParseId(args, args.Next(), kStrict);
      if (!args.failed() && id < *max_deleted) args.Fail(errors::kStreamSetIdBelowArgMaxDeleted);
    } else {
      args.Fail(errors::kSyntax);
    }
  }
  if (args.failed()) return ctx.ReplyError(args.error());
  auto outcome =
      engine::StreamSetId(ctx.engine(), ctx.op, ctx.argv[1], id, entries_added, max_deleted);
  if (!outcome.ok()) return ctx.ReplyStatus(outcome.status());
  switch (*outcome) {
    case engine::StreamSetIdOutcome::kSet:
      ctx.Notify(engine::kNotifyStream, "xsetid", ctx.argv[1]);
      return ctx.reply->Ok();
    case engine::StreamSetIdOutcome::kNoKey:
      return ctx.ReplyError(errors::kNoSuchKey);
    case engine::StreamSetIdOutcome::kBelowTop:
      return ctx.ReplyError(errors::kStreamSetIdBelowTop);
    case engine::StreamSetIdOutcome::kEntriesAddedTooSmall:
      return ctx.ReplyError(errors::kStreamSetIdEntriesAdded);
  }
}

}  // namespace

void RegisterStreamCommands(CommandTable& table) {
  table.Register("xdel", XDel);
  table.Register("xtrim", XTrim);
  table.Register("xsetid", XSetId);
  table.Register("xadd", XAdd);
  table.Register("xlen", XLen);
  table.Register("xrange", XRange);
  table.Register("xrevrange", XRevRange);
}

}  // namespace strata::server
