// String commands (first set): GET, SET, INCR, DECR, INCRBY, DECRBY, MGET, MSET.
// Parsing and replies only; storage is engine/string_ops.h.
#include <climits>
#include <vector>

#include "engine/string_ops.h"
#include "server/arg_parser.h"
#include "server/command_context.h"
#include "server/command_table.h"
#include "server/commands/families.h"

namespace strata::server {

namespace {

void Get(CommandContext& ctx) {
  auto value = engine::GetString(ctx.engine(), ctx.op, ctx.argv[1]);
  if (value.status().IsNotFound()) return ctx.reply->Null();
  if (!value.ok()) return ctx.ReplyStatus(value.status());
  ctx.reply->Bulk(*value);
}

// Parses SET's options (argv[3..]) as Redis's parseExtendedStringArgumentsOrReply.
bool ParseSetOptions(CommandContext& ctx, engine::SetOptions* opts) {
  using Cond = engine::SetOptions::Condition;
  ArgParser args(ctx.argv, 3);
  enum class Unit { kNone, kSeconds, kMillis, kUnixSeconds, kUnixMillis } unit = Unit::kNone;
  std::string_view expire_arg;
  // As Redis: a repeated option is allowed, a conflicting one is a syntax error.
  auto unit_of = [](std::string_view w) {
    return EqualsIgnoreCase(w, "EX")     ? Unit::kSeconds
           : EqualsIgnoreCase(w, "PX")   ? Unit::kMillis
           : EqualsIgnoreCase(w, "EXAT") ? Unit::kUnixSeconds
           : EqualsIgnoreCase(w, "PXAT") ? Unit::kUnixMillis
                                         : Unit::kNone;
  };
  while (!args.Done()) {
    Unit u = unit_of(args.Peek());
    if (opts->condition != Cond::kIfPresent && args.EatFlag("NX")) {
      opts->condition = Cond::kIfAbsent;
    } else if (opts->condition != Cond::kIfAbsent && args.EatFlag("XX")) {
      opts->condition = Cond::kIfPresent;
    } else if (args.EatFlag("GET")) {
      opts->get_old = true;
    } else if (unit == Unit::kNone && args.EatFlag("KEEPTTL")) {
      opts->keep_ttl = true;
    } else if (u != Unit::kNone && (unit == Unit::kNone || unit == u) && !opts->keep_ttl &&
               args.remaining() >= 2) {
      args.Next();
      unit = u;
      expire_arg = args.Next();
    } else {
      ctx.ReplyError(errors::kSyntax);
      return false;
    }
  }
  if (unit == Unit::kNone) return true;
  int64_t v;
  if (!ParseInt64(expire_arg, &v)) {
    ctx.ReplyError(errors::kNotInteger);
    return false;
  }
  bool seconds = unit == Unit::kSeconds || unit == Unit::kUnixSeconds;
  if (v <= 0 || (seconds && v > LLONG_MAX / 1000)) {
    ctx.ReplyError(errors::InvalidExpireTime("set"));
    return false;
  }
  if (seconds) v *= 1000;
  if (unit == Unit::kSeconds || unit == Unit::kMillis) {
    if (v > LLONG_MAX - static_cast<int64_t>(ctx.op.now_ms)) {
      ctx.ReplyError(errors::InvalidExpireTime("set"));
      return false;
    }
    v += static_cast<int64_t>(ctx.op.now_ms);
  }
  opts->expire_at_ms = static_cast<uint64_t>(v);
  return true;
}

void Set(CommandContext& ctx) {
  engine::SetOptions opts;
  if (!ParseSetOptions(ctx, &opts)) return;
  auto result = engine::SetString(ctx.engine(), ctx.op, ctx.argv[1], ctx.argv[2], opts);
  if (!result.ok()) return ctx.ReplyStatus(result.status());
  if (opts.get_old) {
    if (result->old_value) return ctx.reply->Bulk(*result->old_value);
    return ctx.reply->Null();
  }
  if (!result->written) return ctx.reply->Null();
  ctx.reply->Ok();
}

void ReplyIncr(CommandContext& ctx, int64_t delta) {
  auto value = engine::IncrBy(ctx.engine(), ctx.op, ctx.argv[1], delta);
  if (!value.ok()) return ctx.ReplyStatus(value.status());
  ctx.reply->Integer(*value);
}

void Incr(CommandContext& ctx) { ReplyIncr(ctx, 1); }
void Decr(CommandContext& ctx) { ReplyIncr(ctx, -1); }

void IncrBy(CommandContext& ctx) {
  int64_t delta;
  if (!ParseInt64(ctx.argv[2], &delta)) return ctx.ReplyError(errors::kNotInteger);
  ReplyIncr(ctx, delta);
}

void DecrBy(CommandContext& ctx) {
  int64_t delta;
  if (!ParseInt64(ctx.argv[2], &delta)) return ctx.ReplyError(errors::kNotInteger);
  if (delta == LLONG_MIN) return ctx.ReplyError("ERR decrement would overflow");
  ReplyIncr(ctx, -delta);
}

void MGet(CommandContext& ctx) {
  auto values = engine::MultiGet(ctx.engine(), ctx.op, ctx.argv.subspan(1));
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

void MSet(CommandContext& ctx) {
  if (ctx.argv.size() % 2 == 0) return ctx.ReplyError(errors::WrongArity("mset"));
  std::vector<std::pair<std::string_view, std::string_view>> pairs;
  pairs.reserve(ctx.argv.size() / 2);
  for (size_t i = 1; i + 1 < ctx.argv.size(); i += 2) pairs.emplace_back(ctx.argv[i], ctx.argv[i + 1]);
  Status s = engine::MultiSet(ctx.engine(), ctx.op, pairs);
  if (!s.ok()) return ctx.ReplyStatus(s);
  ctx.reply->Ok();
}

}  // namespace

void RegisterStringCommands(CommandTable& table) {
  table.Register("get", Get);
  table.Register("set", Set);
  table.Register("incr", Incr);
  table.Register("decr", Decr);
  table.Register("incrby", IncrBy);
  table.Register("decrby", DecrBy);
  table.Register("mget", MGet);
  table.Register("mset", MSet);
}

}  // namespace strata::server
