// Sorted-set commands on members: ZADD, ZINCRBY, ZREM, ZCARD, ZSCORE,
// ZMSCORE, ZRANK, ZREVRANK, ZPOPMIN, ZPOPMAX, ZMPOP, ZRANDMEMBER, ZSCAN.
// Parsing and replies only; storage is engine/zset_ops.h. The range commands
// are zset_range_cmds.cc, the set operations zset_combine_cmds.cc.
#include <string>
#include <vector>

#include "common/numbers.h"
#include "engine/zset_ops.h"
#include "server/arg_parser.h"
#include "server/command_context.h"
#include "server/command_table.h"
#include "server/commands/families.h"
#include "server/commands/zset_args.h"
#include "server/scan_cursors.h"
#include "server/server.h"

namespace strata::server {

namespace {

// zaddGenericCommand: options, then score-member pairs; every score is
// parsed before the key is touched. ZINCRBY is ZADD INCR with arity 4.
void ZAddGeneric(CommandContext& ctx, bool incr) {
  engine::ZAddOptions o;
  o.incr = incr;
  bool ch = false;
  size_t i = 2;
  for (; i < ctx.argv.size(); ++i) {
    std::string_view opt = ctx.argv[i];
    if (EqualsIgnoreCase(opt, "nx")) {
      o.nx = true;
    } else if (EqualsIgnoreCase(opt, "xx")) {
      o.xx = true;
    } else if (EqualsIgnoreCase(opt, "ch")) {
      ch = true;
    } else if (EqualsIgnoreCase(opt, "incr")) {
      o.incr = true;
    } else if (EqualsIgnoreCase(opt, "gt")) {
      o.gt = true;
    } else if (EqualsIgnoreCase(opt, "lt")) {
      o.lt = true;
    } else {
      break;
    }
  }
  size_t args = ctx.argv.size() - i;
  if (args == 0 || args % 2 != 0) return ctx.ReplyError(errors::kSyntax);
  if (o.nx && o.xx) return ctx.ReplyError(errors::kZaddXxNx);
  if ((o.gt && o.nx) || (o.lt && o.nx) || (o.gt && o.lt))
    return ctx.ReplyError(errors::kZaddGtLtNx);
  if (o.incr && args > 2) return ctx.ReplyError(errors::kZaddIncrPair);
  std::vector<engine::ZAddPair> pairs;
  pairs.reserve(args / 2);
  for (; i < ctx.argv.size(); i += 2) {
    double score;
    if (!ParseDouble(ctx.argv[i], &score)) return ctx.ReplyError(errors::kNotFloat);
    pairs.push_back({score, ctx.argv[i + 1]});
  }
  auto result = engine::ZAdd(ctx.engine(), ctx.op, ctx.argv[1], o, pairs);
  if (!result.ok()) return ctx.ReplyStatus(result.status());
  if (result->added + result->updated > 0) {
    ctx.Notify(engine::kNotifyZset, o.incr ? "zincr" : "zadd", ctx.argv[1]);
  }
  if (o.incr) {
    if (result->processed == 0) return ctx.reply->Null();
    return ctx.reply->Double(result->score);
  }
  ctx.reply->Integer(static_cast<int64_t>(result->added + (ch ? result->updated : 0)));
}

void ZAdd(CommandContext& ctx) {
  ZAddGeneric(ctx, false);
}
void ZIncrBy(CommandContext& ctx) {
  ZAddGeneric(ctx, true);
}

void ZRem(CommandContext& ctx) {
  auto removed = engine::ZRem(ctx.engine(), ctx.op, ctx.argv[1], ctx.argv.subspan(2));
  if (!removed.ok()) return ctx.ReplyStatus(removed.status());
  if (*removed > 0) ctx.Notify(engine::kNotifyZset, "zrem", ctx.argv[1]);
  ctx.reply->Integer(static_cast<int64_t>(*removed));
}

void ZCard(CommandContext& ctx) {
  auto n = engine::ZCard(ctx.engine(), ctx.op, ctx.argv[1]);
  if (!n.ok()) return ctx.ReplyStatus(n.status());
  ctx.reply->Integer(static_cast<int64_t>(*n));
}

void ReplyScoreOrNull(CommandContext& ctx, const std::optional<double>& score) {
  if (score) return ctx.reply->Double(*score);
  ctx.reply->Null();
}

void ZScore(CommandContext& ctx) {
  auto scores = engine::ZScores(ctx.engine(), ctx.op, ctx.argv[1], ctx.argv.subspan(2, 1));
  if (!scores.ok()) return ctx.ReplyStatus(scores.status());
  ReplyScoreOrNull(ctx, (*scores)[0]);
}

void ZMScore(CommandContext& ctx) {
  auto scores = engine::ZScores(ctx.engine(), ctx.op, ctx.argv[1], ctx.argv.subspan(2));
  if (!scores.ok()) return ctx.ReplyStatus(scores.status());
  ctx.reply->ArrayHeader(static_cast<int64_t>(scores->size()));
  for (const auto& s : *scores) ReplyScoreOrNull(ctx, s);
}

// ZRANK / ZREVRANK key member [WITHSCORE] (WITHSCORE is Redis 7.2's; the
// table entry's arity is widened for it, see RegisterZsetCommands).
void ZRankGeneric(CommandContext& ctx, bool reverse) {
  if (ctx.argv.size() > 4)
    return ctx.ReplyError(errors::WrongArity(reverse ? "zrevrank" : "zrank"));
  bool with_score = ctx.argv.size() == 4;
  if (with_score && !EqualsIgnoreCase(ctx.argv[3], "withscore")) {
    return ctx.ReplyError(errors::kSyntax);
  }
  auto rank = engine::ZRank(ctx.engine(), ctx.op, ctx.argv[1], ctx.argv[2], reverse);
  if (!rank.ok()) return ctx.ReplyStatus(rank.status());
  if (!rank->has_value()) return with_score ? ctx.reply->NullArray() : ctx.reply->Null();
  if (!with_score) return ctx.reply->Integer((*rank)->rank);
  ctx.reply->ArrayHeader(2);
  ctx.reply->Integer((*rank)->rank);
  ctx.reply->Double((*rank)->score);
}

void ZRank(CommandContext& ctx) {
  ZRankGeneric(ctx, false);
}
void ZRevRank(CommandContext& ctx) {
  ZRankGeneric(ctx, true);
}

// ZPOPMIN / ZPOPMAX key [count]: with a count, RESP3 gets [member, score]
// pairs; without one, a flat [member, score].
void ZPopGeneric(CommandContext& ctx, bool max) {
  if (ctx.argv.size() > 3) return ctx.ReplyError(errors::kSyntax);
  bool has_count = ctx.argv.size() == 3;
  int64_t count = 1;
  if (has_count && (!ParseInt64(ctx.argv[2], &count) || count < 0)) {
    return ctx.ReplyError(errors::kMustBePositive);
  }
  auto popped = engine::ZPop(ctx.engine(), ctx.op, ctx.argv[1], max, static_cast<uint64_t>(count));
  if (!popped.ok()) return ctx.ReplyStatus(popped.status());
  if (!popped->empty()) ctx.Notify(engine::kNotifyZset, max ? "zpopmax" : "zpopmin", ctx.argv[1]);
  if (has_count && ctx.reply->protocol() > 2) return ReplyPairs(ctx, *popped);
  ctx.reply->ArrayHeader(static_cast<int64_t>(popped->size() * 2));
  for (const engine::ZEntry& e : *popped) {
    ctx.reply->Bulk(e.member);
    ctx.reply->Double(e.score);
  }
}

void ZPopMin(CommandContext& ctx) {
  ZPopGeneric(ctx, false);
}
void ZPopMax(CommandContext& ctx) {
  ZPopGeneric(ctx, true);
}

// ZMPOP numkeys key [key ...] MIN|MAX [COUNT count].
void ZMPop(CommandContext& ctx) {
  int64_t numkeys;
  if (!ParseInt64(ctx.argv[1], &numkeys) || numkeys < 1) {
    return ctx.ReplyError(errors::kNumkeysNotPositive);
  }
  if (static_cast<uint64_t>(numkeys) >= ctx.argv.size() - 2) return ctx.ReplyError(errors::kSyntax);
  size_t where = 2 + static_cast<size_t>(numkeys);
  bool max = EqualsIgnoreCase(ctx.argv[where], "max");
  if (!max && !EqualsIgnoreCase(ctx.argv[where], "min")) return ctx.ReplyError(errors::kSyntax);
  int64_t count = -1;
  for (size_t j = where + 1; j < ctx.argv.size(); ++j) {
    if (count == -1 && EqualsIgnoreCase(ctx.argv[j], "count") && j + 1 < ctx.argv.size()) {
      ++j;
      if (!ParseInt64(ctx.argv[j], &count) || count < 1) {
        return ctx.ReplyError(errors::kCountNotPositive);
      }
    } else {
      return ctx.ReplyError(errors::kSyntax);
    }
  }
  if (count == -1) count = 1;
  auto popped = engine::ZMPop(ctx.engine(), ctx.op, ctx.argv.subspan(2, where - 2), max,
                              static_cast<uint64_t>(count));
  if (!popped.ok()) return ctx.ReplyStatus(popped.status());
  if (!popped->has_value()) return ctx.reply->NullArray();
  ctx.Notify(engine::kNotifyZset, max ? "zpopmax" : "zpopmin", (*popped)->key);
  ctx.reply->ArrayHeader(2);
  ctx.reply->Bulk((*popped)->key);
  ReplyPairs(ctx, (*popped)->entries);
}

// ZRANDMEMBER key [count [WITHSCORES]].
constexpr int64_t kMaxRandomReply = int64_t{1} << 26;

void ZRandMember(CommandContext& ctx) {
  if (ctx.argv.size() == 2) {
    auto one = engine::ZRandMember(ctx.engine(), ctx.op, ctx.argv[1], 1);
    if (!one.ok()) return ctx.ReplyStatus(one.status());
    if (one->empty()) return ctx.reply->Null();
    return ctx.reply->Bulk((*one)[0].member);
  }
  int64_t count;
  if (!ParseInt64(ctx.argv[2], &count)) return ctx.ReplyError(errors::kNotInteger);
  if (count == INT64_MIN) return ctx.ReplyError(errors::kNotLongRange);
  if (ctx.argv.size() > 4 ||
      (ctx.argv.size() == 4 && !EqualsIgnoreCase(ctx.argv[3], "withscores"))) {
    return ctx.ReplyError(errors::kSyntax);
  }
  // Redis: a WITHSCORES reply of 2 * |count| must not overflow.
  if (ctx.argv.size() == 4 && (count < -INT64_MAX / 2 || count > INT64_MAX / 2)) {
    return ctx.ReplyError(errors::kValueOutOfRange);
  }
  // Strata's own bound: the reply is built in memory (Redis streams it).
  if (count < -kMaxRandomReply) return ctx.ReplyError(errors::kValueOutOfRange);
  auto entries = engine::ZRandMember(ctx.engine(), ctx.op, ctx.argv[1], count);
  if (!entries.ok()) return ctx.ReplyStatus(entries.status());
  ReplyEntries(ctx, *entries, ctx.argv.size() == 4);
}

// ZSCAN key cursor [MATCH pattern] [COUNT count]. The cursor is a
// ScanCursors id standing for the next member (a position prefixed with
// slot 0, so an evicted or made-up cursor restarts the scan, never skips).
void ZScan(CommandContext& ctx) {
  uint64_t cursor;
  if (!ParseScanCursor(ctx.argv[2], &cursor)) return ctx.ReplyError(errors::kInvalidCursor);
  ArgParser args(ctx.argv, 3);
  int64_t count = 10;
  std::optional<std::string_view> pattern;
  while (!args.Done() && !args.failed()) {
    if (args.remaining() >= 2 && args.EatFlag("COUNT")) {
      count = args.NextInt64();
      if (!args.failed() && count < 1) args.Fail(errors::kSyntax);
    } else if (args.remaining() >= 2 && args.EatFlag("MATCH")) {
      std::string_view p = args.Next();
      if (p != "*") pattern = p;
    } else {
      args.Fail(errors::kSyntax);
    }
  }
  // As Redis: the key and its type are checked before the options.
  auto size = engine::ZCard(ctx.engine(), ctx.op, ctx.argv[1]);
  if (!size.ok()) return ctx.ReplyStatus(size.status());
  if (*size > 0 && args.failed()) return ctx.ReplyError(args.error());
  ScanCursors& cursors = ctx.server->scan_cursors();
  std::string position = cursors.Resolve(cursor);
  std::string_view member = position.size() >= 2 ? std::string_view(position).substr(2) : "";
  auto page =
      engine::ZScan(ctx.engine(), ctx.op, ctx.argv[1], member, static_cast<size_t>(count), pattern);
  if (!page.ok()) return ctx.ReplyStatus(page.status());
  uint64_t next = page->done ? 0 : cursors.Save(std::string(2, '\0') + page->next);
  ctx.reply->ArrayHeader(2);
  ctx.reply->Bulk(std::to_string(next));
  ctx.reply->ArrayHeader(static_cast<int64_t>(page->entries.size() * 2));
  for (const engine::ZEntry& e : page->entries) {
    ctx.reply->Bulk(e.member);
    ctx.reply->Bulk(FormatDouble(e.score));
  }
}

}  // namespace

void RegisterZsetCommands(CommandTable& table) {
  table.Register("zadd", ZAdd);
  table.Register("zincrby", ZIncrBy);
  table.Register("zrem", ZRem);
  table.Register("zcard", ZCard);
  table.Register("zscore", ZScore);
  table.Register("zmscore", ZMScore);
  // Redis 7.2's WITHSCORE: one more optional argument than 7.0's arity 3.
  table.Register("zrank", ZRank, /*arity=*/-3);
  table.Register("zrevrank", ZRevRank, /*arity=*/-3);
  table.Register("zpopmin", ZPopMin);
  table.Register("zpopmax", ZPopMax);
  table.Register("zmpop", ZMPop);
  table.Register("zrandmember", ZRandMember);
  table.Register("zscan", ZScan);
  RegisterZsetRangeCommands(table);
  RegisterZsetCombineCommands(table);
}

}  // namespace strata::server
