// Sorted-set range commands: ZRANGE (BYSCORE/BYLEX/REV/LIMIT/WITHSCORES),
// ZRANGESTORE, ZRANGEBYSCORE, ZREVRANGEBYSCORE, ZRANGEBYLEX,
// ZREVRANGEBYLEX, ZREVRANGE, ZCOUNT, ZLEXCOUNT, ZREMRANGEBYRANK,
// ZREMRANGEBYSCORE, ZREMRANGEBYLEX. Parsing and replies; storage is
// engine/zset_ops.h.
#include "common/numbers.h"
#include "common/text.h"
#include "engine/zset_ops.h"
#include "server/command_context.h"
#include "server/command_table.h"
#include "server/commands/families.h"
#include "server/commands/zset_args.h"
#include "server/errors.h"

namespace strata::server {

namespace {

using By = engine::ZRangeSpec::By;

enum class Dir { kAuto, kForward, kReverse };

// Parses the two range arguments at argv[min_index], argv[min_index + 1]
// for spec->by (swapped by the caller for reverse score/lex ranges).
bool ParseRange(CommandContext& ctx, std::string_view min, std::string_view max,
                engine::ZRangeSpec* spec) {
  switch (spec->by) {
    case By::kRank:
      if (!ParseInt64(min, &spec->start) || !ParseInt64(max, &spec->stop)) {
        ctx.ReplyError(errors::kNotInteger);
        return false;
      }
      return true;
    case By::kScore:
      if (!ParseScoreRange(min, max, &spec->score)) {
        ctx.ReplyError(errors::kZsetMinMaxNotFloat);
        return false;
      }
      return true;
    case By::kLex:
      if (!ParseLexRange(min, max, &spec->lex)) {
        ctx.ReplyError(errors::kZsetMinMaxNotLex);
        return false;
      }
      return true;
  }
  return false;
}

// zrangeGenericCommand: <src> <min> <max> at argv[first], then options.
// `by` kRank with `auto_by` lets BYSCORE/BYLEX choose; kAuto direction lets REV.
void ZRangeGeneric(CommandContext& ctx, size_t first, bool store, bool auto_by, By by, Dir dir) {
  engine::ZRangeSpec spec;
  bool with_scores = false;
  bool has_limit = false;
  for (size_t j = first + 3; j < ctx.argv.size(); ++j) {
    std::string_view opt = ctx.argv[j];
    size_t left = ctx.argv.size() - j - 1;
    if (!store && EqualsIgnoreCase(opt, "withscores")) {
      with_scores = true;
    } else if (EqualsIgnoreCase(opt, "limit") && left >= 2) {
      if (!ParseInt64(ctx.argv[j + 1], &spec.offset) || !ParseInt64(ctx.argv[j + 2], &spec.limit)) {
        return ctx.ReplyError(errors::kNotInteger);
      }
      has_limit = spec.limit != -1;
      j += 2;
    } else if (dir == Dir::kAuto && EqualsIgnoreCase(opt, "rev")) {
      dir = Dir::kReverse;
    } else if (auto_by && EqualsIgnoreCase(opt, "bylex")) {
      by = By::kLex;
      auto_by = false;
    } else if (auto_by && EqualsIgnoreCase(opt, "byscore")) {
      by = By::kScore;
      auto_by = false;
    } else {
      return ctx.ReplyError(errors::kSyntax);
    }
  }
  spec.by = by;
  spec.reverse = dir == Dir::kReverse;
  if (has_limit && by == By::kRank) return ctx.ReplyError(errors::kZrangeLimit);
  if (with_scores && by == By::kLex) return ctx.ReplyError(errors::kZrangeLexScores);
  std::string_view min = ctx.argv[first + 1], max = ctx.argv[first + 2];
  if (spec.reverse && by != By::kRank) std::swap(min, max);  // given as max, min
  if (!ParseRange(ctx, min, max, &spec)) return;
  if (store) {
    auto n = engine::ZRangeStore(ctx.engine(), ctx.op, ctx.argv[1], ctx.argv[2], spec);
    if (!n.ok()) return ctx.ReplyStatus(n.status());
    if (*n > 0) ctx.Notify(engine::kNotifyZset, "zrangestore", ctx.argv[1]);  // else "del"
    return ctx.reply->Integer(static_cast<int64_t>(*n));
  }
  auto entries = engine::ZRange(ctx.engine(), ctx.op, ctx.argv[first], spec);
  if (!entries.ok()) return ctx.ReplyStatus(entries.status());
  ReplyEntries(ctx, *entries, with_scores);
}

void ZRange(CommandContext& ctx) {
  ZRangeGeneric(ctx, 1, false, true, By::kRank, Dir::kAuto);
}
void ZRangeStore(CommandContext& ctx) {
  ZRangeGeneric(ctx, 2, true, true, By::kRank, Dir::kAuto);
}
void ZRevRange(CommandContext& ctx) {
  ZRangeGeneric(ctx, 1, false, false, By::kRank, Dir::kReverse);
}
void ZRangeByScore(CommandContext& ctx) {
  ZRangeGeneric(ctx, 1, false, false, By::kScore, Dir::kForward);
}
void ZRevRangeByScore(CommandContext& ctx) {
  ZRangeGeneric(ctx, 1, false, false, By::kScore, Dir::kReverse);
}
void ZRangeByLex(CommandContext& ctx) {
  ZRangeGeneric(ctx, 1, false, false, By::kLex, Dir::kForward);
}
void ZRevRangeByLex(CommandContext& ctx) {
  ZRangeGeneric(ctx, 1, false, false, By::kLex, Dir::kReverse);
}

// ZCOUNT / ZLEXCOUNT key min max.
void ZCountGeneric(CommandContext& ctx, By by) {
  engine::ZRangeSpec spec;
  spec.by = by;
  if (!ParseRange(ctx, ctx.argv[2], ctx.argv[3], &spec)) return;
  auto n = engine::ZCount(ctx.engine(), ctx.op, ctx.argv[1], spec);
  if (!n.ok()) return ctx.ReplyStatus(n.status());
  ctx.reply->Integer(static_cast<int64_t>(*n));
}

void ZCount(CommandContext& ctx) {
  ZCountGeneric(ctx, By::kScore);
}
void ZLexCount(CommandContext& ctx) {
  ZCountGeneric(ctx, By::kLex);
}

// ZREMRANGEBYRANK / BYSCORE / BYLEX key min max.
void ZRemRangeGeneric(CommandContext& ctx, By by) {
  engine::ZRangeSpec spec;
  spec.by = by;
  if (!ParseRange(ctx, ctx.argv[2], ctx.argv[3], &spec)) return;
  auto n = engine::ZRemRange(ctx.engine(), ctx.op, ctx.argv[1], spec);
  if (!n.ok()) return ctx.ReplyStatus(n.status());
  if (*n > 0) {
    ctx.Notify(engine::kNotifyZset,
               by == By::kRank    ? "zremrangebyrank"
               : by == By::kScore ? "zremrangebyscore"
                                  : "zremrangebylex",
               ctx.argv[1]);
  }
  ctx.reply->Integer(static_cast<int64_t>(*n));
}

void ZRemRangeByRank(CommandContext& ctx) {
  ZRemRangeGeneric(ctx, By::kRank);
}
void ZRemRangeByScore(CommandContext& ctx) {
  ZRemRangeGeneric(ctx, By::kScore);
}
void ZRemRangeByLex(CommandContext& ctx) {
  ZRemRangeGeneric(ctx, By::kLex);
}

}  // namespace

void RegisterZsetRangeCommands(CommandTable& table) {
  table.Register("zrange", ZRange);
  table.Register("zrangestore", ZRangeStore);
  table.Register("zrevrange", ZRevRange);
  table.Register("zrangebyscore", ZRangeByScore);
  table.Register("zrevrangebyscore", ZRevRangeByScore);
  table.Register("zrangebylex", ZRangeByLex);
  table.Register("zrevrangebylex", ZRevRangeByLex);
  table.Register("zcount", ZCount);
  table.Register("zlexcount", ZLexCount);
  table.Register("zremrangebyrank", ZRemRangeByRank);
  table.Register("zremrangebyscore", ZRemRangeByScore);
  table.Register("zremrangebylex", ZRemRangeByLex);
}

}  // namespace strata::server
