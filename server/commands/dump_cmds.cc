// DUMP, RESTORE and RESTORE-ASKING. Parsing, Redis 7.0.15's checks in its
// order, and replies; the payload format is codec/rdb_value.h, storage is
// engine/dump_ops.h.
#include "codec/rdb_value.h"
#include "common/numbers.h"
#include "engine/dump_ops.h"
#include "engine/engine.h"
#include "engine/key_events.h"
#include "server/arg_parser.h"
#include "server/command_context.h"
#include "server/command_table.h"
#include "server/commands/families.h"
#include "server/errors.h"
#include "server/server.h"

namespace strata::server {

namespace {

void Dump(CommandContext& ctx) {
  auto payload = engine::DumpKey(ctx.engine(), ctx.op, ctx.argv[1]);
  if (payload.status().IsNotFound()) return ctx.reply->Null();
  if (!payload.ok()) return ctx.ReplyStatus(payload.status());
  ctx.reply->Bulk(*payload);
}

// RESTORE key ttl payload [REPLACE] [ABSTTL] [IDLETIME s] [FREQ f], checked
// as restoreCommand does: options, then the key (BUSYKEY), then the TTL,
// then the payload.
void Restore(CommandContext& ctx) {
  engine::RestoreRequest req;
  bool absttl = false;
  int64_t idle_s = -1, freq = -1;
  ArgParser args(ctx.argv, 4);
  while (!args.Done()) {
    const bool has_value = args.remaining() >= 2;
    if (args.EatFlag("REPLACE")) {
      req.replace = true;
    } else if (args.EatFlag("ABSTTL")) {
      absttl = true;
    } else if (has_value && freq == -1 && args.EatFlag("IDLETIME")) {
      idle_s = args.NextInt64();
      if (args.failed()) return ctx.ReplyError(args.error());
      if (idle_s < 0) return ctx.ReplyError(errors::kRestoreIdleTime);
    } else if (has_value && idle_s == -1 && args.EatFlag("FREQ")) {
      freq = args.NextInt64();
      if (args.failed()) return ctx.ReplyError(args.error());
      if (freq < 0 || freq > 255) return ctx.ReplyError(errors::kRestoreFreq);
    } else {
      return ctx.ReplyError(errors::kSyntax);
    }
  }
  std::string_view key = ctx.argv[1];
  if (!req.replace) {
    auto exists = engine::CountExisting(ctx.engine(), ctx.op, ctx.argv.subspan(1, 1));
    if (!exists.ok()) return ctx.ReplyStatus(exists.status());
    if (*exists > 0) return ctx.ReplyError(errors::kBusyKey);
  }
  int64_t ttl = 0;
  if (!ParseInt64(ctx.argv[2], &ttl)) return ctx.ReplyError(errors::kNotInteger);
  if (ttl < 0) return ctx.ReplyError(errors::kRestoreTtl);
  auto value = codec::rdb::DecodeDump(ctx.argv[3]);
  if (!value.ok()) return ctx.ReplyStatus(value.status());
  if (ttl != 0 && !absttl) {
    // Redis adds mstime() without a check: an overflow wraps to a time in
    // the past, so the key is not created. Keep that outcome.
    int64_t at;
    ttl = __builtin_add_overflow(ttl, static_cast<int64_t>(ctx.op.now_ms), &at) ? 1 : at;
  }
  req.expire_ms = static_cast<uint64_t>(ttl);
  req.idle_ms = idle_s >= 0 ? static_cast<uint64_t>(idle_s) * 1000 : 0;
  req.set_idle = idle_s >= 0;
  req.lfu_freq = freq >= 0 ? static_cast<int>(freq) : -1;
  auto outcome = engine::RestoreKey(ctx.engine(), ctx.op, key, *value, req);
  if (!outcome.ok()) return ctx.ReplyStatus(outcome.status());
  switch (*outcome) {
    case engine::RestoreOutcome::kBusyKey:  // created since the check above
      return ctx.ReplyError(errors::kBusyKey);
    case engine::RestoreOutcome::kExpiredDeleted:
      ctx.Notify(engine::kNotifyGeneric, "del", key);
      break;
    case engine::RestoreOutcome::kExpired:
      break;
    case engine::RestoreOutcome::kRestored:
      ctx.Notify(engine::kNotifyGeneric, "restore", key);
      break;
  }
  ctx.reply->Ok();
}

}  // namespace

void RegisterDumpCommands(CommandTable& table) {
  table.Register("dump", Dump);
  table.Register("restore", Restore);
  table.Register("restore-asking", Restore);
}

}  // namespace strata::server
