// Hash commands: HSET, HMSET, HSETNX, HGET, HMGET, HGETALL, HKEYS, HVALS,
// HDEL, HEXISTS, HLEN, HSTRLEN, HINCRBY, HINCRBYFLOAT, HRANDFIELD and HSCAN.
// Parsing and replies only; storage is engine/hash_ops.h. Errors are checked
// in Redis 7.0's order (e.g. HINCRBY's increment before the key's type).
#include <climits>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "engine/hash_ops.h"
#include "server/arg_parser.h"
#include "server/command_context.h"
#include "server/command_table.h"
#include "server/commands/families.h"
#include "server/commands/subkey_scan.h"

namespace strata::server {

namespace {

// HSET / HMSET: the number of fields created, or false after an error reply.
bool SetPairs(CommandContext& ctx, std::string_view name, int64_t* created) {
  if (ctx.argv.size() % 2 == 1) {
    ctx.ReplyError(errors::WrongArity(name));
    return false;
  }
  std::vector<std::pair<std::string_view, std::string_view>> pairs;
  pairs.reserve(ctx.argv.size() / 2 - 1);
  for (size_t i = 2; i + 1 < ctx.argv.size(); i += 2)
    pairs.emplace_back(ctx.argv[i], ctx.argv[i + 1]);
  auto n = engine::HashSet(ctx.engine(), ctx.op, ctx.argv[1], pairs);
  if (!n.ok()) {
    ctx.ReplyStatus(n.status());
    return false;
  }
  ctx.Notify(engine::kNotifyHash, "hset", ctx.argv[1]);
  *created = *n;
  return true;
}

void HSet(CommandContext& ctx) {
  int64_t created;
  if (SetPairs(ctx, "hset", &created)) ctx.reply->Integer(created);
}

void HMSet(CommandContext& ctx) {
  int64_t created;
  if (SetPairs(ctx, "hmset", &created)) ctx.reply->Ok();
}

void HSetNx(CommandContext& ctx) {
  auto set = engine::HashSetIfAbsent(ctx.engine(), ctx.op, ctx.argv[1], ctx.argv[2], ctx.argv[3]);
  if (!set.ok()) return ctx.ReplyStatus(set.status());
  if (*set) ctx.Notify(engine::kNotifyHash, "hset", ctx.argv[1]);
  ctx.reply->Integer(*set ? 1 : 0);
}

void HGet(CommandContext& ctx) {
  auto value = engine::HashGet(ctx.engine(), ctx.op, ctx.argv[1], ctx.argv[2]);
  if (value.status().IsNotFound()) return ctx.reply->Null();
  if (!value.ok()) return ctx.ReplyStatus(value.status());
  ctx.reply->Bulk(*value);
}

void HMGet(CommandContext& ctx) {
  auto values = engine::HashMultiGet(ctx.engine(), ctx.op, ctx.argv[1], ctx.argv.subspan(2));
  if (!values.ok()) return ctx.ReplyStatus(values.status());
  ctx.reply->ArrayHeader(static_cast<int64_t>(values->size()));
  for (const auto& v : *values) {
    if (v) {
      ctx.reply->Bulk(*v);
    } else {
      ctx.reply->Null();
    }
  }
}

// HGETALL (a map), HKEYS, HVALS.
enum class Part { kBoth, kFields, kValues };
void ReplyAll(CommandContext& ctx, Part part) {
  auto all = engine::HashGetAll(ctx.engine(), ctx.op, ctx.argv[1]);
  if (!all.ok()) return ctx.ReplyStatus(all.status());
  auto n = static_cast<int64_t>(all->size());
  if (part == Part::kBoth) {
    ctx.reply->MapHeader(n);
  } else {
    ctx.reply->ArrayHeader(n);
  }
  for (const auto& [field, value] : *all) {
    if (part != Part::kValues) ctx.reply->Bulk(field);
    if (part != Part::kFields) ctx.reply->Bulk(value);
  }
}

void HGetAll(CommandContext& ctx) {
  ReplyAll(ctx, Part::kBoth);
}
void HKeys(CommandContext& ctx) {
  ReplyAll(ctx, Part::kFields);
}
void HVals(CommandContext& ctx) {
  ReplyAll(ctx, Part::kValues);
}

void HDel(CommandContext& ctx) {
  auto n = engine::HashDelete(ctx.engine(), ctx.op, ctx.argv[1], ctx.argv.subspan(2));
  if (!n.ok()) return ctx.ReplyStatus(n.status());
  if (*n > 0) ctx.Notify(engine::kNotifyHash, "hdel", ctx.argv[1]);
  ctx.reply->Integer(*n);
}

void HExists(CommandContext& ctx) {
  auto exists = engine::HashExists(ctx.engine(), ctx.op, ctx.argv[1], ctx.argv[2]);
  if (!exists.ok()) return ctx.ReplyStatus(exists.status());
  ctx.reply->Integer(*exists ? 1 : 0);
}

void HLen(CommandContext& ctx) {
  auto n = engine::HashLength(ctx.engine(), ctx.op, ctx.argv[1]);
  if (!n.ok()) return ctx.ReplyStatus(n.status());
  ctx.reply->Integer(static_cast<int64_t>(*n));
}

void HStrLen(CommandContext& ctx) {
  auto n = engine::HashValueLength(ctx.engine(), ctx.op, ctx.argv[1], ctx.argv[2]);
  if (!n.ok()) return ctx.ReplyStatus(n.status());
  ctx.reply->Integer(static_cast<int64_t>(*n));
}

void HIncrBy(CommandContext& ctx) {
  int64_t delta;
  if (!ParseInt64(ctx.argv[3], &delta)) return ctx.ReplyError(errors::kNotInteger);
  auto value = engine::HashIncrBy(ctx.engine(), ctx.op, ctx.argv[1], ctx.argv[2], delta);
  if (value.status().code() == StatusCode::kNotInteger) {
    return ctx.ReplyError(errors::kHashNotInteger);
  }
  if (!value.ok()) return ctx.ReplyStatus(value.status());
  ctx.Notify(engine::kNotifyHash, "hincrby", ctx.argv[1]);
  ctx.reply->Integer(*value);
}

void HIncrByFloat(CommandContext& ctx) {
  long double delta;
  if (!ParseLongDouble(ctx.argv[3], &delta)) return ctx.ReplyError(errors::kNotFloat);
  if (std::isinf(delta)) return ctx.ReplyError(errors::kNanOrInfinityValue);
  auto value = engine::HashIncrByFloat(ctx.engine(), ctx.op, ctx.argv[1], ctx.argv[2], delta);
  switch (value.status().code()) {
    case StatusCode::kNotFloat:
      return ctx.ReplyError(errors::kHashNotFloat);
    case StatusCode::kOverflow:
      return ctx.ReplyError(errors::kNanOrInfinity);
    default:
      break;
  }
  if (!value.ok()) return ctx.ReplyStatus(value.status());
  ctx.Notify(engine::kNotifyHash, "hincrbyfloat", ctx.argv[1]);
  ctx.reply->Bulk(*value);
}

// HRANDFIELD key [count [WITHVALUES]].
void HRandField(CommandContext& ctx) {
  if (ctx.argv.size() == 2) {
    auto picks = engine::HashRandomFields(ctx.engine(), ctx.op, ctx.argv[1], 1, true);
    if (!picks.ok()) return ctx.ReplyStatus(picks.status());
    if (!*picks || (*picks)->empty()) return ctx.reply->Null();
    return ctx.reply->Bulk((*picks)->front().first);
  }
  int64_t count;
  if (!ParseInt64(ctx.argv[2], &count)) return ctx.ReplyError(errors::kNotInteger);
  if (count == LLONG_MIN) return ctx.ReplyError(errors::kNotLongRange);
  bool with_values = ctx.argv.size() == 4;
  if (ctx.argv.size() > 4 || (with_values && !EqualsIgnoreCase(ctx.argv[3], "WITHVALUES"))) {
    return ctx.ReplyError(errors::kSyntax);
  }
  if (with_values && (count < -(LLONG_MAX / 2) || count > LLONG_MAX / 2)) {
    return ctx.ReplyError(errors::kValueOutOfRange);
  }
  bool distinct = count >= 0;
  uint64_t n = distinct ? static_cast<uint64_t>(count) : static_cast<uint64_t>(-count);
  auto picks = engine::HashRandomFields(ctx.engine(), ctx.op, ctx.argv[1], n, distinct);
  if (!picks.ok()) return ctx.ReplyStatus(picks.status());
  if (!*picks) return ctx.reply->ArrayHeader(0);
  const auto& entries = **picks;
  bool pairs = with_values && ctx.reply->protocol() >= 3;
  ctx.reply->ArrayHeader(static_cast<int64_t>(entries.size() * (with_values && !pairs ? 2 : 1)));
  for (const auto& [field, value] : entries) {
    if (pairs) ctx.reply->ArrayHeader(2);
    ctx.reply->Bulk(field);
    if (with_values) ctx.reply->Bulk(value);
  }
}

void HScan(CommandContext& ctx) {
  SubkeyScanRequest req;
  if (!ParseSubkeyScan(ctx, &req)) return;
  if (!req.options_error.empty()) {
    // The key's checks come first: a missing key is an empty scan.
    auto n = engine::HashLength(ctx.engine(), ctx.op, ctx.argv[1]);
    if (!n.ok()) return ctx.ReplyStatus(n.status());
    if (*n != 0) return ctx.ReplyError(req.options_error);
    return ReplySubkeyScan(ctx, req, {}, {}, true, true);
  }
  auto page = engine::HashScan(ctx.engine(), ctx.op, ctx.argv[1], req.start,
                               static_cast<uint64_t>(req.count));
  if (!page.ok()) return ctx.ReplyStatus(page.status());
  ReplySubkeyScan(ctx, req, page->entries, page->next, page->done, true);
}

}  // namespace

void RegisterHashCommands(CommandTable& table) {
  table.Register("hset", HSet);
  table.Register("hmset", HMSet);
  table.Register("hsetnx", HSetNx);
  table.Register("hget", HGet);
  table.Register("hmget", HMGet);
  table.Register("hgetall", HGetAll);
  table.Register("hkeys", HKeys);
  table.Register("hvals", HVals);
  table.Register("hdel", HDel);
  table.Register("hexists", HExists);
  table.Register("hlen", HLen);
  table.Register("hstrlen", HStrLen);
  table.Register("hincrby", HIncrBy);
  table.Register("hincrbyfloat", HIncrByFloat);
  table.Register("hrandfield", HRandField);
  table.Register("hscan", HScan);
}

}  // namespace strata::server
