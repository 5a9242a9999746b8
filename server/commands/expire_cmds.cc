// Expiry commands: EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT, TTL, PTTL,
// EXPIRETIME, PEXPIRETIME, PERSIST. Storage is engine/expire_ops.h.
#include <climits>

#include "engine/expire_ops.h"
#include "server/arg_parser.h"
#include "server/command_context.h"
#include "server/command_table.h"
#include "server/commands/families.h"

namespace strata::server {

namespace {

enum class Unit { kSeconds, kMillis };

// Redis's parseExtendedExpireArgumentsOrReply.
bool ParseExpireFlags(CommandContext& ctx, engine::ExpireCondition* c) {
  for (size_t i = 3; i < ctx.argv.size(); ++i) {
    std::string_view f = ctx.argv[i];
    if (EqualsIgnoreCase(f, "NX"))
      c->nx = true;
    else if (EqualsIgnoreCase(f, "XX"))
      c->xx = true;
    else if (EqualsIgnoreCase(f, "GT"))
      c->gt = true;
    else if (EqualsIgnoreCase(f, "LT"))
      c->lt = true;
    else {
      ctx.ReplyError("ERR Unsupported option " + std::string(f));
      return false;
    }
  }
  if (c->nx && (c->xx || c->gt || c->lt)) {
    ctx.ReplyError("ERR NX and XX, GT or LT options at the same time are not compatible");
    return false;
  }
  if (c->gt && c->lt) {
    ctx.ReplyError("ERR GT and LT options at the same time are not compatible");
    return false;
  }
  return true;
}

// EXPIRE-family: `relative` adds the command's clock to the given time.
void ExpireGeneric(CommandContext& ctx, Unit unit, bool relative) {
  engine::ExpireCondition cond;
  if (!ParseExpireFlags(ctx, &cond)) return;
  int64_t when;
  if (!ParseInt64(ctx.argv[2], &when)) return ctx.ReplyError(errors::kNotInteger);
  std::string name = ToLower(ctx.command->name());
  if (unit == Unit::kSeconds) {
    if (when > LLONG_MAX / 1000 || when < LLONG_MIN / 1000) {
      return ctx.ReplyError(errors::InvalidExpireTime(name));
    }
    when *= 1000;
  }
  int64_t base = relative ? static_cast<int64_t>(ctx.op.now_ms) : 0;
  if (when > LLONG_MAX - base) return ctx.ReplyError(errors::InvalidExpireTime(name));
  when += base;
  auto set = engine::SetExpire(ctx.engine(), ctx.op, ctx.argv[1], when, cond);
  if (!set.ok()) return ctx.ReplyStatus(set.status());
  if (*set) {  // a time already past deleted the key
    ctx.Notify(engine::kNotifyGeneric,
               when <= static_cast<int64_t>(ctx.op.now_ms) ? "del" : "expire", ctx.argv[1]);
  }
  ctx.reply->Integer(*set ? 1 : 0);
}

void Expire(CommandContext& ctx) {
  ExpireGeneric(ctx, Unit::kSeconds, true);
}
void PExpire(CommandContext& ctx) {
  ExpireGeneric(ctx, Unit::kMillis, true);
}
void ExpireAt(CommandContext& ctx) {
  ExpireGeneric(ctx, Unit::kSeconds, false);
}
void PExpireAt(CommandContext& ctx) {
  ExpireGeneric(ctx, Unit::kMillis, false);
}

// Redis's ttlGenericCommand: seconds are rounded to the nearest.
void TtlGeneric(CommandContext& ctx, Unit unit, bool absolute) {
  auto at = engine::GetExpire(ctx.engine(), ctx.op, ctx.argv[1]);
  if (!at.ok()) return ctx.ReplyStatus(at.status());
  if (*at < 0) return ctx.reply->Integer(*at);
  int64_t ttl = absolute ? *at : *at - static_cast<int64_t>(ctx.op.now_ms);
  if (ttl < 0) ttl = 0;
  ctx.reply->Integer(unit == Unit::kMillis ? ttl : (ttl + 500) / 1000);
}

void Ttl(CommandContext& ctx) {
  TtlGeneric(ctx, Unit::kSeconds, false);
}
void PTtl(CommandContext& ctx) {
  TtlGeneric(ctx, Unit::kMillis, false);
}
void ExpireTime(CommandContext& ctx) {
  TtlGeneric(ctx, Unit::kSeconds, true);
}
void PExpireTime(CommandContext& ctx) {
  TtlGeneric(ctx, Unit::kMillis, true);
}

void Persist(CommandContext& ctx) {
  auto had = engine::Persist(ctx.engine(), ctx.op, ctx.argv[1]);
  if (!had.ok()) return ctx.ReplyStatus(had.status());
  if (*had) ctx.Notify(engine::kNotifyGeneric, "persist", ctx.argv[1]);
  ctx.reply->Integer(*had ? 1 : 0);
}

}  // namespace

void RegisterExpireCommands(CommandTable& table) {
  table.Register("expire", Expire);
  table.Register("pexpire", PExpire);
  table.Register("expireat", ExpireAt);
  table.Register("pexpireat", PExpireAt);
  table.Register("ttl", Ttl);
  table.Register("pttl", PTtl);
  table.Register("expiretime", ExpireTime);
  table.Register("pexpiretime", PExpireTime);
  table.Register("persist", Persist);
}

}  // namespace strata::server
