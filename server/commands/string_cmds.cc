// String commands: GET, SET, SETNX, SETEX, PSETEX, GETSET, GETEX, GETDEL,
// the INCR family, INCRBYFLOAT, MGET, MSET, MSETNX, APPEND, STRLEN,
// GETRANGE, SUBSTR, SETRANGE and LCS. Parsing and replies only; storage is
// engine/string_ops.h (and the pure LCS algorithm engine/lcs.h).
#include <algorithm>
#include <climits>
#include <optional>
#include <string>
#include <vector>

#include "engine/lcs.h"
#include "engine/string_ops.h"
#include "server/arg_parser.h"
#include "server/command_context.h"
#include "server/command_table.h"
#include "server/commands/families.h"
#include "server/server.h"

namespace strata::server {

namespace {

void Get(CommandContext& ctx) {
  auto value = engine::GetString(ctx.engine(), ctx.op, ctx.argv[1]);
  if (value.status().IsNotFound()) return ctx.reply->Null();
  if (!value.ok()) return ctx.ReplyStatus(value.status());
  ctx.reply->Bulk(*value);
}

// The options of SET and GETEX, parsed as Redis's
// parseExtendedStringArgumentsOrReply: a repeated option is allowed, a
// conflicting one (or one the command does not take) is a syntax error.
struct ExtendedArgs {
  enum class Unit { kNone, kSeconds, kMillis, kUnixSeconds, kUnixMillis };
  engine::SetOptions::Condition condition = engine::SetOptions::Condition::kAlways;
  bool get = false;
  bool keep_ttl = false;
  bool persist = false;
  Unit unit = Unit::kNone;
  std::string_view expire_arg;
};

bool ParseExtendedArgs(CommandContext& ctx, bool for_getex, ExtendedArgs* out) {
  using Cond = engine::SetOptions::Condition;
  using Unit = ExtendedArgs::Unit;
  ArgParser args(ctx.argv, for_getex ? 2 : 3);
  auto unit_of = [](std::string_view w) {
    return EqualsIgnoreCase(w, "EX")     ? Unit::kSeconds
           : EqualsIgnoreCase(w, "PX")   ? Unit::kMillis
           : EqualsIgnoreCase(w, "EXAT") ? Unit::kUnixSeconds
           : EqualsIgnoreCase(w, "PXAT") ? Unit::kUnixMillis
                                         : Unit::kNone;
  };
  while (!args.Done()) {
    Unit u = unit_of(args.Peek());
    if (!for_getex && out->condition != Cond::kIfPresent && args.EatFlag("NX")) {
      out->condition = Cond::kIfAbsent;
    } else if (!for_getex && out->condition != Cond::kIfAbsent && args.EatFlag("XX")) {
      out->condition = Cond::kIfPresent;
    } else if (!for_getex && args.EatFlag("GET")) {
      out->get = true;
    } else if (!for_getex && out->unit == Unit::kNone && args.EatFlag("KEEPTTL")) {
      out->keep_ttl = true;
    } else if (for_getex && out->unit == Unit::kNone && args.EatFlag("PERSIST")) {
      out->persist = true;
    } else if (u != Unit::kNone && (out->unit == Unit::kNone || out->unit == u) && !out->keep_ttl &&
               !out->persist && args.remaining() >= 2) {
      args.Next();
      out->unit = u;
      out->expire_arg = args.Next();
    } else {
      ctx.ReplyError(errors::kSyntax);
      return false;
    }
  }
  return true;
}

// getExpireMillisecondsOrReply: the absolute expiry in ms of a parsed
// option, or the error text to reply.
std::optional<std::string> ExpireAtMs(const CommandContext& ctx, ExtendedArgs::Unit unit,
                                      std::string_view arg, std::string_view command,
                                      uint64_t* out) {
  using Unit = ExtendedArgs::Unit;
  int64_t v;
  if (!ParseInt64(arg, &v)) return std::string(errors::kNotInteger);
  bool seconds = unit == Unit::kSeconds || unit == Unit::kUnixSeconds;
  if (v <= 0 || (seconds && v > LLONG_MAX / 1000)) return errors::InvalidExpireTime(command);
  if (seconds) v *= 1000;
  if (unit == Unit::kSeconds || unit == Unit::kMillis) {
    if (v > LLONG_MAX - static_cast<int64_t>(ctx.op.now_ms)) {
      return errors::InvalidExpireTime(command);
    }
    v += static_cast<int64_t>(ctx.op.now_ms);
  }
  *out = static_cast<uint64_t>(v);
  return std::nullopt;
}

void ReplySet(CommandContext& ctx, std::string_view key, std::string_view value,
              const engine::SetOptions& opts) {
  auto result = engine::SetString(ctx.engine(), ctx.op, key, value, opts);
  if (!result.ok()) return ctx.ReplyStatus(result.status());
  if (result->written) {
    ctx.Notify(engine::kNotifyString, "set", key);
    if (opts.expire_at_ms != 0) ctx.Notify(engine::kNotifyGeneric, "expire", key);
  }
  if (opts.get_old) {
    if (result->old_value) return ctx.reply->Bulk(*result->old_value);
    return ctx.reply->Null();
  }
  if (!result->written) return ctx.reply->Null();
  ctx.reply->Ok();
}

void Set(CommandContext& ctx) {
  ExtendedArgs ext;
  if (!ParseExtendedArgs(ctx, false, &ext)) return;
  engine::SetOptions opts;
  opts.condition = ext.condition;
  opts.get_old = ext.get;
  opts.keep_ttl = ext.keep_ttl;
  if (ext.unit != ExtendedArgs::Unit::kNone) {
    auto error = ExpireAtMs(ctx, ext.unit, ext.expire_arg, "set", &opts.expire_at_ms);
    if (error) return ctx.ReplyError(*error);
  }
  ReplySet(ctx, ctx.argv[1], ctx.argv[2], opts);
}

// SETEX / PSETEX key ttl value.
void ReplySetWithTtl(CommandContext& ctx, ExtendedArgs::Unit unit, std::string_view name) {
  engine::SetOptions opts;
  auto error = ExpireAtMs(ctx, unit, ctx.argv[2], name, &opts.expire_at_ms);
  if (error) return ctx.ReplyError(*error);
  ReplySet(ctx, ctx.argv[1], ctx.argv[3], opts);
}

void SetEx(CommandContext& ctx) {
  ReplySetWithTtl(ctx, ExtendedArgs::Unit::kSeconds, "setex");
}
void PSetEx(CommandContext& ctx) {
  ReplySetWithTtl(ctx, ExtendedArgs::Unit::kMillis, "psetex");
}

void SetNx(CommandContext& ctx) {
  engine::SetOptions opts;
  opts.condition = engine::SetOptions::Condition::kIfAbsent;
  auto result = engine::SetString(ctx.engine(), ctx.op, ctx.argv[1], ctx.argv[2], opts);
  if (!result.ok()) return ctx.ReplyStatus(result.status());
  if (result->written) ctx.Notify(engine::kNotifyString, "set", ctx.argv[1]);
  ctx.reply->Integer(result->written ? 1 : 0);
}

void GetSet(CommandContext& ctx) {
  engine::SetOptions opts;
  opts.get_old = true;
  ReplySet(ctx, ctx.argv[1], ctx.argv[2], opts);
}

void ReplyGetAndUpdate(CommandContext& ctx, engine::GetUpdate update) {
  using Action = engine::GetUpdate::Action;
  bool persisted = false;
  update.persisted = &persisted;
  auto value = engine::GetAndUpdate(ctx.engine(), ctx.op, ctx.argv[1], update);
  if (value.status().IsNotFound()) return ctx.reply->Null();
  if (!value.ok()) return ctx.ReplyStatus(value.status());
  bool deleted = update.action == Action::kDelete ||
                 (update.action == Action::kExpireAt && update.expire_at_ms <= ctx.op.now_ms);
  if (deleted) {
    ctx.Notify(engine::kNotifyGeneric, "del", ctx.argv[1]);
  } else if (update.action == Action::kExpireAt) {
    ctx.Notify(engine::kNotifyGeneric, "expire", ctx.argv[1]);
  } else if (persisted) {
    ctx.Notify(engine::kNotifyGeneric, "persist", ctx.argv[1]);
  }
  ctx.reply->Bulk(*value);
}

void GetEx(CommandContext& ctx) {
  using Action = engine::GetUpdate::Action;
  ExtendedArgs ext;
  if (!ParseExtendedArgs(ctx, true, &ext)) return;
  engine::GetUpdate update;
  if (ext.persist) update.action = Action::kPersist;
  if (ext.unit != ExtendedArgs::Unit::kNone) {
    update.action = Action::kExpireAt;
    auto error = ExpireAtMs(ctx, ext.unit, ext.expire_arg, "getex", &update.expire_at_ms);
    if (error) {
      // As Redis: a missing key (nil) or a wrong type wins over a bad expiry.
      auto value = engine::StringLength(ctx.engine(), ctx.op, ctx.argv[1]);
      if (value.status().IsNotFound()) return ctx.reply->Null();
      if (!value.ok()) return ctx.ReplyStatus(value.status());
      return ctx.ReplyError(*error);
    }
  }
  ReplyGetAndUpdate(ctx, update);
}

void GetDel(CommandContext& ctx) {
  engine::GetUpdate update;
  update.action = engine::GetUpdate::Action::kDelete;
  ReplyGetAndUpdate(ctx, update);
}

void ReplyIncr(CommandContext& ctx, int64_t delta) {
  auto value = engine::IncrBy(ctx.engine(), ctx.op, ctx.argv[1], delta);
  if (!value.ok()) return ctx.ReplyStatus(value.status());
  ctx.Notify(engine::kNotifyString, "incrby", ctx.argv[1]);
  ctx.reply->Integer(*value);
}

void Incr(CommandContext& ctx) {
  ReplyIncr(ctx, 1);
}
void Decr(CommandContext& ctx) {
  ReplyIncr(ctx, -1);
}

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

// MSET / MSETNX: false after replying an arity error.
bool ParsePairs(CommandContext& ctx, std::string_view name,
                std::vector<std::pair<std::string_view, std::string_view>>* pairs) {
  if (ctx.argv.size() % 2 == 0) {
    ctx.ReplyError(errors::WrongArity(name));
    return false;
  }
  pairs->reserve(ctx.argv.size() / 2);
  for (size_t i = 1; i + 1 < ctx.argv.size(); i += 2) {
    pairs->emplace_back(ctx.argv[i], ctx.argv[i + 1]);
  }
  return true;
}

void MSet(CommandContext& ctx) {
  std::vector<std::pair<std::string_view, std::string_view>> pairs;
  if (!ParsePairs(ctx, "mset", &pairs)) return;
  auto s = engine::MultiSet(ctx.engine(), ctx.op, pairs);
  if (!s.ok()) return ctx.ReplyStatus(s.status());
  for (const auto& [key, value] : pairs) ctx.Notify(engine::kNotifyString, "set", key);
  ctx.reply->Ok();
}

void MSetNx(CommandContext& ctx) {
  std::vector<std::pair<std::string_view, std::string_view>> pairs;
  if (!ParsePairs(ctx, "msetnx", &pairs)) return;
  auto written = engine::MultiSet(ctx.engine(), ctx.op, pairs, /*only_if_none_exist=*/true);
  if (!written.ok()) return ctx.ReplyStatus(written.status());
  if (*written) {
    for (const auto& [key, value] : pairs) ctx.Notify(engine::kNotifyString, "set", key);
  }
  ctx.reply->Integer(*written ? 1 : 0);
}

void IncrByFloat(CommandContext& ctx) {
  auto value = engine::IncrByFloat(ctx.engine(), ctx.op, ctx.argv[1], ctx.argv[2]);
  if (value.status().code() == StatusCode::kOverflow) return ctx.ReplyError(errors::kNanOrInfinity);
  if (!value.ok()) return ctx.ReplyStatus(value.status());
  ctx.Notify(engine::kNotifyString, "incrbyfloat", ctx.argv[1]);
  ctx.reply->Bulk(*value);
}

uint64_t MaxBulkLen(const CommandContext& ctx) {
  return static_cast<uint64_t>(ctx.server->config().proto_max_bulk_len);
}

void ReplyLength(CommandContext& ctx, const StatusOr<uint64_t>& length) {
  if (length.status().code() == StatusCode::kOutOfRange) {
    return ctx.ReplyError(errors::kStringTooLong);
  }
  if (!length.ok()) return ctx.ReplyStatus(length.status());
  ctx.reply->Integer(static_cast<int64_t>(*length));
}

void Append(CommandContext& ctx) {
  auto length = engine::Append(ctx.engine(), ctx.op, ctx.argv[1], ctx.argv[2], MaxBulkLen(ctx));
  if (length.ok()) ctx.Notify(engine::kNotifyString, "append", ctx.argv[1]);
  ReplyLength(ctx, length);
}

void StrLen(CommandContext& ctx) {
  auto length = engine::StringLength(ctx.engine(), ctx.op, ctx.argv[1]);
  if (length.status().IsNotFound()) return ctx.reply->Integer(0);
  ReplyLength(ctx, length);
}

// GETRANGE and SUBSTR.
void GetRange(CommandContext& ctx) {
  ArgParser args(ctx.argv, 2);
  int64_t start = args.NextInt64();
  int64_t end = args.NextInt64();
  if (args.failed()) return ctx.ReplyError(args.error());
  auto value = engine::GetRange(ctx.engine(), ctx.op, ctx.argv[1], start, end);
  if (!value.ok()) return ctx.ReplyStatus(value.status());
  ctx.reply->Bulk(*value);
}

void SetRange(CommandContext& ctx) {
  int64_t offset;
  if (!ParseInt64(ctx.argv[2], &offset)) return ctx.ReplyError(errors::kNotInteger);
  if (offset < 0) return ctx.ReplyError(errors::kOffsetOutOfRange);
  auto length = engine::SetRange(ctx.engine(), ctx.op, ctx.argv[1], static_cast<uint64_t>(offset),
                                 ctx.argv[3], MaxBulkLen(ctx));
  // As Redis: an empty value changes nothing and raises nothing.
  if (length.ok() && !ctx.argv[3].empty())
    ctx.Notify(engine::kNotifyString, "setrange", ctx.argv[1]);
  ReplyLength(ctx, length);
}

void Lcs(CommandContext& ctx) {
  // Options are checked after the keys' types, as Redis does.
  bool want_len = false, want_idx = false, with_match_len = false;
  int64_t min_match_len = 0;
  ArgParser args(ctx.argv, 3);
  while (!args.Done() && !args.failed()) {
    if (args.EatFlag("IDX")) {
      want_idx = true;
    } else if (args.EatFlag("LEN")) {
      want_len = true;
    } else if (args.EatFlag("WITHMATCHLEN")) {
      with_match_len = true;
    } else if (args.remaining() >= 2 && args.EatFlag("MINMATCHLEN")) {
      min_match_len = std::max<int64_t>(args.NextInt64(), 0);
    } else {
      args.Fail(errors::kSyntax);
    }
  }
  auto values = engine::GetTwoStrings(ctx.engine(), ctx.op, ctx.argv[1], ctx.argv[2]);
  if (values.status().code() == StatusCode::kWrongType)
    return ctx.ReplyError(errors::kLcsNotStrings);
  if (!values.ok()) return ctx.ReplyStatus(values.status());
  if (args.failed()) return ctx.ReplyError(args.error());
  if (want_idx && want_len) return ctx.ReplyError(errors::kLcsLenAndIdx);
  const auto& [a, b] = *values;
  if (a.size() >= UINT32_MAX - 1 || b.size() >= UINT32_MAX - 1) {
    return ctx.ReplyError(errors::kLcsTooLong);
  }
  if (engine::LcsTableBytes(a.size(), b.size()) > MaxBulkLen(ctx)) {
    return ctx.ReplyError(errors::kLcsTooMuchMemory);
  }
  engine::LcsResult lcs = engine::ComputeLcs(a, b, !want_len, want_idx, min_match_len);
  if (want_len) return ctx.reply->Integer(lcs.length);
  if (!want_idx) return ctx.reply->Bulk(lcs.sequence);
  ctx.reply->MapHeader(2);
  ctx.reply->Bulk("matches");
  ctx.reply->ArrayHeader(static_cast<int64_t>(lcs.matches.size()));
  for (const auto& m : lcs.matches) {
    ctx.reply->ArrayHeader(with_match_len ? 3 : 2);
    ctx.reply->ArrayHeader(2);
    ctx.reply->Integer(m.a_start);
    ctx.reply->Integer(m.a_end);
    ctx.reply->ArrayHeader(2);
    ctx.reply->Integer(m.b_start);
    ctx.reply->Integer(m.b_end);
    if (with_match_len) ctx.reply->Integer(m.length);
  }
  ctx.reply->Bulk("len");
  ctx.reply->Integer(lcs.length);
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
  table.Register("msetnx", MSetNx);
  table.Register("setnx", SetNx);
  table.Register("setex", SetEx);
  table.Register("psetex", PSetEx);
  table.Register("getset", GetSet);
  table.Register("getex", GetEx);
  table.Register("getdel", GetDel);
  table.Register("incrbyfloat", IncrByFloat);
  table.Register("append", Append);
  table.Register("strlen", StrLen);
  table.Register("getrange", GetRange);
  table.Register("substr", GetRange);
  table.Register("setrange", SetRange);
  table.Register("lcs", Lcs);
}

}  // namespace strata::server
