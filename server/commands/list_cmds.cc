// List commands: LPUSH, RPUSH, LPUSHX, RPUSHX, LPOP, RPOP, LLEN, LINDEX,
// LRANGE, LSET, LTRIM, LINSERT, LREM, LPOS, LMOVE, RPOPLPUSH and LMPOP.
// Parsing and replies only, in Redis 7.0's order of checks (e.g. LPOP's
// count before the key's type, LSET's key before its index); storage is
// engine/list_ops.h. The blocking forms (BLPOP, BLMOVE, BLMPOP) are not
// here: they will wrap the same engine calls.
#include <optional>
#include <string>
#include <vector>

#include "engine/list_ops.h"
#include "server/arg_parser.h"
#include "server/command_context.h"
#include "server/command_table.h"
#include "server/commands/families.h"
#include "server/server.h"

namespace strata::server {

namespace {

using engine::ListEnd;

// "LEFT" / "RIGHT" (case-insensitive).
std::optional<ListEnd> ParseEnd(std::string_view word) {
  if (EqualsIgnoreCase(word, "LEFT")) return ListEnd::kLeft;
  if (EqualsIgnoreCase(word, "RIGHT")) return ListEnd::kRight;
  return std::nullopt;
}

void ReplyElements(CommandContext& ctx, const std::vector<std::string>& elements) {
  ctx.reply->ArrayHeader(static_cast<int64_t>(elements.size()));
  for (const std::string& e : elements) ctx.reply->Bulk(e);
}

// The event a push or pop at `end` raises.
std::string_view PushEvent(ListEnd end) {
  return end == ListEnd::kLeft ? "lpush" : "rpush";
}
std::string_view PopEvent(ListEnd end) {
  return end == ListEnd::kLeft ? "lpop" : "rpop";
}

void ReplyPush(CommandContext& ctx, ListEnd end, bool only_if_exists) {
  auto length =
      engine::ListPush(ctx.engine(), ctx.op, ctx.argv[1], end, ctx.argv.subspan(2), only_if_exists);
  if (!length.ok()) return ctx.ReplyStatus(length.status());
  if (*length > 0) ctx.Notify(engine::kNotifyList, PushEvent(end), ctx.argv[1]);
  ctx.reply->Integer(static_cast<int64_t>(*length));
}

void LPush(CommandContext& ctx) {
  ReplyPush(ctx, ListEnd::kLeft, false);
}
void RPush(CommandContext& ctx) {
  ReplyPush(ctx, ListEnd::kRight, false);
}
void LPushX(CommandContext& ctx) {
  ReplyPush(ctx, ListEnd::kLeft, true);
}
void RPushX(CommandContext& ctx) {
  ReplyPush(ctx, ListEnd::kRight, true);
}

// LPOP/RPOP key [count]: a bulk (or null) without count; an array with it
// (a null array for a missing key, an empty one for count 0).
void ReplyPop(CommandContext& ctx, ListEnd end) {
  if (ctx.argv.size() > 3) return ctx.ReplyError(errors::WrongArity(ctx.command->name()));
  bool has_count = ctx.argv.size() == 3;
  int64_t count = 1;
  if (has_count && (!ParseInt64(ctx.argv[2], &count) || count < 0)) {
    return ctx.ReplyError(errors::kMustBePositive);
  }
  auto popped = engine::ListPop(ctx.engine(), ctx.op, ctx.argv[1], end, uint64_t(count));
  if (popped.status().IsNotFound()) return has_count ? ctx.reply->NullArray() : ctx.reply->Null();
  if (!popped.ok()) return ctx.ReplyStatus(popped.status());
  if (!popped->empty()) ctx.Notify(engine::kNotifyList, PopEvent(end), ctx.argv[1]);
  if (has_count) return ReplyElements(ctx, *popped);
  ctx.reply->Bulk(popped->front());
}

void LPop(CommandContext& ctx) {
  ReplyPop(ctx, ListEnd::kLeft);
}
void RPop(CommandContext& ctx) {
  ReplyPop(ctx, ListEnd::kRight);
}

void LLen(CommandContext& ctx) {
  auto length = engine::ListLength(ctx.engine(), ctx.op, ctx.argv[1]);
  if (!length.ok()) return ctx.ReplyStatus(length.status());
  ctx.reply->Integer(static_cast<int64_t>(*length));
}

// LINDEX and LSET look the key up (and check its type) before parsing the index.
// The reply to a bad index: the key's absence or type first, as Redis checks.
void ReplyBadIndex(CommandContext& ctx, std::string_view absent_error) {
  auto length = engine::ListLength(ctx.engine(), ctx.op, ctx.argv[1]);
  if (!length.ok()) return ctx.ReplyStatus(length.status());
  if (*length > 0) return ctx.ReplyError(errors::kNotInteger);
  if (absent_error.empty()) return ctx.reply->Null();
  ctx.ReplyError(absent_error);
}

void LIndex(CommandContext& ctx) {
  int64_t index = 0;
  if (!ParseInt64(ctx.argv[2], &index)) return ReplyBadIndex(ctx, {});
  auto value = engine::ListIndex(ctx.engine(), ctx.op, ctx.argv[1], index);
  if (value.status().IsNotFound()) return ctx.reply->Null();
  if (!value.ok()) return ctx.ReplyStatus(value.status());
  ctx.reply->Bulk(*value);
}

void LSet(CommandContext& ctx) {
  int64_t index = 0;
  if (!ParseInt64(ctx.argv[2], &index)) return ReplyBadIndex(ctx, errors::kNoSuchKey);
  Status s = engine::ListSet(ctx.engine(), ctx.op, ctx.argv[1], index, ctx.argv[3]);
  if (s.IsNotFound()) return ctx.ReplyError(errors::kNoSuchKey);
  if (!s.ok()) return ctx.ReplyStatus(s);
  ctx.Notify(engine::kNotifyList, "lset", ctx.argv[1]);
  ctx.reply->Ok();
}

void LRange(CommandContext& ctx) {
  ArgParser args(ctx.argv, 2);
  int64_t start = args.NextInt64();
  int64_t stop = args.NextInt64();
  if (args.failed()) return ctx.ReplyError(args.error());
  auto elements = engine::ListRange(ctx.engine(), ctx.op, ctx.argv[1], start, stop);
  if (!elements.ok()) return ctx.ReplyStatus(elements.status());
  ReplyElements(ctx, *elements);
}

void LTrim(CommandContext& ctx) {
  ArgParser args(ctx.argv, 2);
  int64_t start = args.NextInt64();
  int64_t stop = args.NextInt64();
  if (args.failed()) return ctx.ReplyError(args.error());
  auto existed = engine::ListTrim(ctx.engine(), ctx.op, ctx.argv[1], start, stop);
  if (!existed.ok()) return ctx.ReplyStatus(existed.status());
  if (*existed) ctx.Notify(engine::kNotifyList, "ltrim", ctx.argv[1]);
  ctx.reply->Ok();
}

void LInsert(CommandContext& ctx) {
  bool after;
  if (EqualsIgnoreCase(ctx.argv[2], "AFTER")) {
    after = true;
  } else if (EqualsIgnoreCase(ctx.argv[2], "BEFORE")) {
    after = false;
  } else {
    return ctx.ReplyError(errors::kSyntax);
  }
  auto length =
      engine::ListInsert(ctx.engine(), ctx.op, ctx.argv[1], after, ctx.argv[3], ctx.argv[4]);
  if (!length.ok()) return ctx.ReplyStatus(length.status());
  if (*length > 0) ctx.Notify(engine::kNotifyList, "linsert", ctx.argv[1]);
  ctx.reply->Integer(*length);
}

void LRem(CommandContext& ctx) {
  ArgParser args(ctx.argv, 2);
  int64_t count = args.NextInt64();
  if (args.failed()) return ctx.ReplyError(args.error());
  auto removed = engine::ListRemove(ctx.engine(), ctx.op, ctx.argv[1], count, ctx.argv[3]);
  if (!removed.ok()) return ctx.ReplyStatus(removed.status());
  if (*removed > 0) ctx.Notify(engine::kNotifyList, "lrem", ctx.argv[1]);
  ctx.reply->Integer(static_cast<int64_t>(*removed));
}

// LPOS key element [RANK rank] [COUNT num] [MAXLEN len]: options may repeat
// (the last wins); all are checked before the key.
void LPos(CommandContext& ctx) {
  engine::ListPosOptions options;
  bool has_count = false;
  ArgParser args(ctx.argv, 3);
  auto non_negative = [&](std::string_view error) {
    int64_t v = args.NextInt64(error);
    if (!args.failed() && v < 0) args.Fail(error);
    return v;
  };
  while (!args.Done() && !args.failed()) {
    bool has_value = args.remaining() >= 2;
    if (has_value && args.EatFlag("RANK")) {
      options.rank = args.NextInt64();
      if (!args.failed() && options.rank == 0) args.Fail(errors::kLposRankZero);
    } else if (has_value && args.EatFlag("COUNT")) {
      options.count = non_negative(errors::kLposCountNegative);
      has_count = true;
    } else if (has_value && args.EatFlag("MAXLEN")) {
      options.maxlen = non_negative(errors::kLposMaxlenNegative);
    } else {
      args.Fail(errors::kSyntax);
    }
  }
  if (args.failed()) return ctx.ReplyError(args.error());
  if (!has_count) {
    options.count = 1;
  } else if (options.rank == INT64_MIN) {
    // Redis 7.0 computes matches - rank + 1 >= count with rank INT64_MIN,
    // which overflows and never holds: COUNT does not limit the reply.
    options.count = 0;
  }
  auto positions = engine::ListPositions(ctx.engine(), ctx.op, ctx.argv[1], ctx.argv[2], options);
  if (!positions.ok()) return ctx.ReplyStatus(positions.status());
  if (!has_count) {
    if (positions->empty()) return ctx.reply->Null();
    return ctx.reply->Integer(static_cast<int64_t>(positions->front()));
  }
  ctx.reply->ArrayHeader(static_cast<int64_t>(positions->size()));
  for (uint64_t p : *positions) ctx.reply->Integer(static_cast<int64_t>(p));
}

void ReplyMove(CommandContext& ctx, ListEnd from, ListEnd to) {
  auto element = engine::ListMove(ctx.engine(), ctx.op, ctx.argv[1], ctx.argv[2], from, to);
  if (element.status().IsNotFound()) return ctx.reply->Null();
  if (!element.ok()) return ctx.ReplyStatus(element.status());
  // As Redis's lmoveGenericCommand: the push, then the pop (then "del").
  ctx.Notify(engine::kNotifyList, PushEvent(to), ctx.argv[2]);
  ctx.Notify(engine::kNotifyList, PopEvent(from), ctx.argv[1]);
  ctx.reply->Bulk(*element);
}

void LMove(CommandContext& ctx) {
  auto from = ParseEnd(ctx.argv[3]);
  auto to = ParseEnd(ctx.argv[4]);
  if (!from || !to) return ctx.ReplyError(errors::kSyntax);
  ReplyMove(ctx, *from, *to);
}

void RPopLPush(CommandContext& ctx) {
  ReplyMove(ctx, ListEnd::kRight, ListEnd::kLeft);
}

// LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count].
void LMPop(CommandContext& ctx) {
  int64_t numkeys = 0;
  if (!ParseInt64(ctx.argv[1], &numkeys) || numkeys <= 0) {
    return ctx.ReplyError(errors::kNumkeysNotPositive);
  }
  if (numkeys > static_cast<int64_t>(ctx.argv.size()) - 3) {
    return ctx.ReplyError(errors::kSyntax);
  }
  auto keys = ctx.argv.subspan(2, static_cast<size_t>(numkeys));
  auto end = ParseEnd(ctx.argv[2 + numkeys]);
  if (!end) return ctx.ReplyError(errors::kSyntax);
  ArgParser args(ctx.argv, 3 + static_cast<size_t>(numkeys));
  int64_t count = 1;
  if (args.remaining() >= 2 && args.EatFlag("COUNT")) {
    count = args.NextInt64(errors::kCountNotPositive);
    if (!args.failed() && count <= 0) args.Fail(errors::kCountNotPositive);
  }
  if (!args.failed() && !args.Done()) args.Fail(errors::kSyntax);
  if (args.failed()) return ctx.ReplyError(args.error());
  auto popped = engine::ListMultiPop(ctx.engine(), ctx.op, keys, *end, uint64_t(count));
  if (popped.status().IsNotFound()) return ctx.reply->NullArray();
  if (!popped.ok()) return ctx.ReplyStatus(popped.status());
  ctx.Notify(engine::kNotifyList, PopEvent(*end), keys[popped->first]);
  ctx.reply->ArrayHeader(2);
  ctx.reply->Bulk(keys[popped->first]);
  ReplyElements(ctx, popped->second);
}

}  // namespace

void RegisterListCommands(CommandTable& table) {
  table.Register("lpush", LPush);
  table.Register("rpush", RPush);
  table.Register("lpushx", LPushX);
  table.Register("rpushx", RPushX);
  table.Register("lpop", LPop);
  table.Register("rpop", RPop);
  table.Register("llen", LLen);
  table.Register("lindex", LIndex);
  table.Register("lset", LSet);
  table.Register("lrange", LRange);
  table.Register("ltrim", LTrim);
  table.Register("linsert", LInsert);
  table.Register("lrem", LRem);
  table.Register("lpos", LPos);
  table.Register("lmove", LMove);
  table.Register("rpoplpush", RPopLPush);
  table.Register("lmpop", LMPop);
}

}  // namespace strata::server
