// Set commands: SADD, SREM, SISMEMBER, SMISMEMBER, SMEMBERS, SCARD, SPOP,
// SRANDMEMBER, SMOVE, SINTER, SINTERCARD, SINTERSTORE, SUNION, SUNIONSTORE,
// SDIFF, SDIFFSTORE and SSCAN. Parsing and replies only; storage is
// engine/set_ops.h. Replies that are sets in Redis 7.0's RESP3 (SMEMBERS,
// SINTER/SUNION/SDIFF, SPOP with a count) use the set type; SRANDMEMBER's
// is an array, as in Redis.
#include <climits>
#include <optional>
#include <string>
#include <vector>

#include "engine/set_ops.h"
#include "server/arg_parser.h"
#include "server/command_context.h"
#include "server/command_table.h"
#include "server/commands/families.h"
#include "server/commands/subkey_scan.h"

namespace strata::server {

namespace {

constexpr std::string_view kNumkeys = "ERR numkeys should be greater than 0";
constexpr std::string_view kTooManyKeys = "ERR Number of keys can't be greater than number of args";
constexpr std::string_view kLimitNegative = "ERR LIMIT can't be negative";

void ReplyMembers(CommandContext& ctx, const engine::Members& members, bool as_set) {
  auto n = static_cast<int64_t>(members.size());
  if (as_set) {
    ctx.reply->SetHeader(n);
  } else {
    ctx.reply->ArrayHeader(n);
  }
  for (const auto& m : members) ctx.reply->Bulk(m);
}

// SADD / SREM: the count, raising `event` when it is not 0.
void ReplyCount(CommandContext& ctx, const StatusOr<int64_t>& n, std::string_view event) {
  if (!n.ok()) return ctx.ReplyStatus(n.status());
  if (*n > 0) ctx.Notify(engine::kNotifySet, event, ctx.argv[1]);
  ctx.reply->Integer(*n);
}

void SAdd(CommandContext& ctx) {
  ReplyCount(ctx, engine::SetAdd(ctx.engine(), ctx.op, ctx.argv[1], ctx.argv.subspan(2)), "sadd");
}

void SRem(CommandContext& ctx) {
  ReplyCount(ctx, engine::SetRemove(ctx.engine(), ctx.op, ctx.argv[1], ctx.argv.subspan(2)),
             "srem");
}

void SIsMember(CommandContext& ctx) {
  auto found = engine::SetContains(ctx.engine(), ctx.op, ctx.argv[1], ctx.argv.subspan(2, 1));
  if (!found.ok()) return ctx.ReplyStatus(found.status());
  ctx.reply->Integer(found->front() ? 1 : 0);
}

void SMIsMember(CommandContext& ctx) {
  auto found = engine::SetContains(ctx.engine(), ctx.op, ctx.argv[1], ctx.argv.subspan(2));
  if (!found.ok()) return ctx.ReplyStatus(found.status());
  ctx.reply->ArrayHeader(static_cast<int64_t>(found->size()));
  for (bool f : *found) ctx.reply->Integer(f ? 1 : 0);
}

void SMembers(CommandContext& ctx) {
  auto members = engine::SetMembers(ctx.engine(), ctx.op, ctx.argv[1]);
  if (!members.ok()) return ctx.ReplyStatus(members.status());
  ReplyMembers(ctx, *members, true);
}

void SCard(CommandContext& ctx) {
  auto n = engine::SetCard(ctx.engine(), ctx.op, ctx.argv[1]);
  if (!n.ok()) return ctx.ReplyStatus(n.status());
  ctx.reply->Integer(static_cast<int64_t>(*n));
}

// SPOP key [count].
void SPop(CommandContext& ctx) {
  if (ctx.argv.size() > 3) return ctx.ReplyError(errors::kSyntax);
  bool with_count = ctx.argv.size() == 3;
  int64_t count = 1;
  if (with_count && (!ParseInt64(ctx.argv[2], &count) || count < 0)) {
    return ctx.ReplyError(errors::kMustBePositive);
  }
  auto popped = engine::SetPop(ctx.engine(), ctx.op, ctx.argv[1], static_cast<uint64_t>(count));
  if (!popped.ok()) return ctx.ReplyStatus(popped.status());
  if (*popped && !(*popped)->empty()) ctx.Notify(engine::kNotifySet, "spop", ctx.argv[1]);
  if (with_count) return ReplyMembers(ctx, popped->value_or(engine::Members{}), true);
  if (!*popped || (*popped)->empty()) return ctx.reply->Null();
  ctx.reply->Bulk((*popped)->front());
}

// SRANDMEMBER key [count].
void SRandMember(CommandContext& ctx) {
  if (ctx.argv.size() > 3) return ctx.ReplyError(errors::kSyntax);
  if (ctx.argv.size() == 2) {
    auto picks = engine::SetRandomMembers(ctx.engine(), ctx.op, ctx.argv[1], 1, true);
    if (!picks.ok()) return ctx.ReplyStatus(picks.status());
    if (!*picks || (*picks)->empty()) return ctx.reply->Null();
    return ctx.reply->Bulk((*picks)->front());
  }
  int64_t count;
  if (!ParseInt64(ctx.argv[2], &count)) return ctx.ReplyError(errors::kNotInteger);
  if (count == LLONG_MIN) return ctx.ReplyError(errors::kNotLongRange);
  bool distinct = count >= 0;
  uint64_t n = distinct ? static_cast<uint64_t>(count) : static_cast<uint64_t>(-count);
  auto picks = engine::SetRandomMembers(ctx.engine(), ctx.op, ctx.argv[1], n, distinct);
  if (!picks.ok()) return ctx.ReplyStatus(picks.status());
  ReplyMembers(ctx, picks->value_or(engine::Members{}), false);
}

void SMove(CommandContext& ctx) {
  bool added = false;
  auto moved = engine::SetMove(ctx.engine(), ctx.op, ctx.argv[1], ctx.argv[2], ctx.argv[3], &added);
  if (!moved.ok()) return ctx.ReplyStatus(moved.status());
  if (*moved && ctx.argv[1] != ctx.argv[2]) {
    ctx.Notify(engine::kNotifySet, "srem", ctx.argv[1]);
    if (added) ctx.Notify(engine::kNotifySet, "sadd", ctx.argv[2]);
  }
  ctx.reply->Integer(*moved ? 1 : 0);
}

void ReplyCompute(CommandContext& ctx, engine::SetOp op) {
  auto result = engine::SetCompute(ctx.engine(), ctx.op, op, ctx.argv.subspan(1));
  if (!result.ok()) return ctx.ReplyStatus(result.status());
  ReplyMembers(ctx, *result, true);
}

// An empty result deletes the destination (the engine raises "del").
void ReplyStore(CommandContext& ctx, engine::SetOp op, std::string_view event) {
  auto n = engine::SetStore(ctx.engine(), ctx.op, op, ctx.argv[1], ctx.argv.subspan(2));
  if (!n.ok()) return ctx.ReplyStatus(n.status());
  if (*n > 0) ctx.Notify(engine::kNotifySet, event, ctx.argv[1]);
  ctx.reply->Integer(static_cast<int64_t>(*n));
}

void SInter(CommandContext& ctx) {
  ReplyCompute(ctx, engine::SetOp::kInter);
}
void SUnion(CommandContext& ctx) {
  ReplyCompute(ctx, engine::SetOp::kUnion);
}
void SDiff(CommandContext& ctx) {
  ReplyCompute(ctx, engine::SetOp::kDiff);
}
void SInterStore(CommandContext& ctx) {
  ReplyStore(ctx, engine::SetOp::kInter, "sinterstore");
}
void SUnionStore(CommandContext& ctx) {
  ReplyStore(ctx, engine::SetOp::kUnion, "sunionstore");
}
void SDiffStore(CommandContext& ctx) {
  ReplyStore(ctx, engine::SetOp::kDiff, "sdiffstore");
}

// SINTERCARD numkeys key [key ...] [LIMIT limit].
void SInterCard(CommandContext& ctx) {
  int64_t numkeys;
  if (!ParseInt64(ctx.argv[1], &numkeys) || numkeys < 1) return ctx.ReplyError(kNumkeys);
  if (static_cast<uint64_t>(numkeys) > ctx.argv.size() - 2) return ctx.ReplyError(kTooManyKeys);
  ArgParser args(ctx.argv, 2 + static_cast<size_t>(numkeys));
  int64_t limit = 0;
  while (!args.Done() && !args.failed()) {
    if (args.remaining() >= 2 && args.EatFlag("LIMIT")) {
      limit = args.NextInt64(kLimitNegative);
      if (!args.failed() && limit < 0) args.Fail(kLimitNegative);
    } else {
      args.Fail(errors::kSyntax);
    }
  }
  if (args.failed()) return ctx.ReplyError(args.error());
  auto n =
      engine::SetInterCard(ctx.engine(), ctx.op, ctx.argv.subspan(2, static_cast<size_t>(numkeys)),
                           static_cast<uint64_t>(limit));
  if (!n.ok()) return ctx.ReplyStatus(n.status());
  ctx.reply->Integer(static_cast<int64_t>(*n));
}

void SScan(CommandContext& ctx) {
  SubkeyScanRequest req;
  if (!ParseSubkeyScan(ctx, &req)) return;
  if (!req.options_error.empty()) {
    // The key's checks come first: a missing key is an empty scan.
    auto n = engine::SetCard(ctx.engine(), ctx.op, ctx.argv[1]);
    if (!n.ok()) return ctx.ReplyStatus(n.status());
    if (*n != 0) return ctx.ReplyError(req.options_error);
    return ReplySubkeyScan(ctx, req, {}, {}, true, false);
  }
  auto page = engine::SetScan(ctx.engine(), ctx.op, ctx.argv[1], req.start,
                              static_cast<uint64_t>(req.count));
  if (!page.ok()) return ctx.ReplyStatus(page.status());
  std::vector<std::pair<std::string, std::string>> entries;
  entries.reserve(page->members.size());
  for (auto& m : page->members) entries.emplace_back(std::move(m), std::string());
  ReplySubkeyScan(ctx, req, entries, page->next, page->done, false);
}

}  // namespace

void RegisterSetCommands(CommandTable& table) {
  table.Register("sadd", SAdd);
  table.Register("srem", SRem);
  table.Register("sismember", SIsMember);
  table.Register("smismember", SMIsMember);
  table.Register("smembers", SMembers);
  table.Register("scard", SCard);
  table.Register("spop", SPop);
  table.Register("srandmember", SRandMember);
  table.Register("smove", SMove);
  table.Register("sinter", SInter);
  table.Register("sintercard", SInterCard);
  table.Register("sinterstore", SInterStore);
  table.Register("sunion", SUnion);
  table.Register("sunionstore", SUnionStore);
  table.Register("sdiff", SDiff);
  table.Register("sdiffstore", SDiffStore);
  table.Register("sscan", SScan);
}

}  // namespace strata::server
