// Keyspace commands: DEL, UNLINK, EXISTS, TOUCH, TYPE, DBSIZE, FLUSHDB,
// FLUSHALL, RENAME, RENAMENX, MOVE, COPY, SWAPDB, WAIT; SCAN/KEYS/RANDOMKEY
// live in keyspace_scan_cmds.cc, OBJECT in object_cmds.cc. Parsing and
// replies only; storage is engine/keyspace_ops.h and engine/key_move_ops.h.
#include "server/commands/keyspace_cmds.h"

#include "codec/layout.h"
#include "engine/engine.h"
#include "engine/key_move_ops.h"
#include "engine/keyspace_ops.h"
#include "server/arg_parser.h"
#include "server/command_context.h"
#include "server/command_table.h"
#include "server/commands/families.h"
#include "server/server.h"

namespace strata::server {

namespace {

void Del(CommandContext& ctx) {
  // UNLINK too: deletion is O(1) per key either way (sub-keys go to the GC filter).
  std::vector<std::string_view> deleted;
  auto n = engine::DeleteKeys(ctx.engine(), ctx.op, ctx.argv.subspan(1), &deleted);
  if (!n.ok()) return ctx.ReplyStatus(n.status());
  for (auto key : deleted) ctx.Notify(engine::kNotifyGeneric, "del", key);
  ctx.reply->Integer(*n);
}

// TOUCH: counts the existing keys, each lookup an access (OBJECT IDLETIME,
// OBJECT FREQ, eviction).
void Touch(CommandContext& ctx) {
  auto n = engine::CountExisting(ctx.engine(), ctx.op, ctx.argv.subspan(1));
  if (!n.ok()) return ctx.ReplyStatus(n.status());
  ctx.reply->Integer(*n);
}

// EXISTS counts the same way without it being an access (Redis: LOOKUP_NOTOUCH).
void Exists(CommandContext& ctx) {
  engine::HotTier::NoTouchScope no_touch;
  Touch(ctx);
}

void Type(CommandContext& ctx) {
  engine::HotTier::NoTouchScope no_touch;  // as Redis: TYPE is not an access
  auto t = engine::KeyType(ctx.engine(), ctx.op, ctx.argv[1]);
  if (!t.ok()) return ctx.ReplyStatus(t.status());
  ctx.reply->SimpleString(t->has_value() ? codec::TypeName(**t) : "none");
}

void DbSize(CommandContext& ctx) {
  ctx.reply->Integer(ctx.engine().KeyCount(ctx.db()));
}

// FLUSHDB / FLUSHALL [ASYNC|SYNC]: both are a range deletion, instant either way.
bool ParseFlushMode(CommandContext& ctx) {
  if (ctx.argv.size() == 1) return true;
  if (ctx.argv.size() == 2 &&
      (EqualsIgnoreCase(ctx.argv[1], "ASYNC") || EqualsIgnoreCase(ctx.argv[1], "SYNC"))) {
    return true;
  }
  ctx.ReplyError(errors::kSyntax);
  return false;
}

void FlushDb(CommandContext& ctx) {
  if (!ParseFlushMode(ctx)) return;
  Status s = engine::FlushDatabase(ctx.engine(), ctx.op);
  if (!s.ok()) return ctx.ReplyStatus(s);
  ctx.server->tracking().Flushed(/*all=*/false);
  ctx.reply->Ok();
}

void FlushAll(CommandContext& ctx) {
  if (!ParseFlushMode(ctx)) return;
  Status s = engine::FlushAllDatabases(ctx.engine(), ctx.op);
  if (!s.ok()) return ctx.ReplyStatus(s);
  ctx.server->tracking().Flushed(/*all=*/true);
  ctx.reply->Ok();
}

// A database index argument as Redis's MOVE and COPY read it: an int32, then
// "DB index is out of range" outside [0, databases).
bool NextDbIndex(CommandContext& ctx, ArgParser& args, int* db) {
  int32_t v = args.NextInt32();
  if (!args.failed() && (v < 0 || v >= ctx.server->config().databases)) {
    args.Fail(errors::kDbIndexOutOfRange);
  }
  if (args.failed()) {
    ctx.ReplyError(args.error());
    return false;
  }
  *db = v;
  return true;
}

void RenameGeneric(CommandContext& ctx, bool nx) {
  auto renamed = engine::RenameKey(ctx.engine(), ctx.op, ctx.argv[1], ctx.argv[2], nx);
  if (renamed.status().IsNotFound()) return ctx.ReplyError(errors::kNoSuchKey);
  if (!renamed.ok()) return ctx.ReplyStatus(renamed.status());
  if (*renamed && ctx.argv[1] != ctx.argv[2]) {
    ctx.Notify(engine::kNotifyGeneric, "rename_from", ctx.argv[1]);
    ctx.Notify(engine::kNotifyGeneric, "rename_to", ctx.argv[2]);
  }
  if (nx) return ctx.reply->Integer(*renamed ? 1 : 0);
  ctx.reply->Ok();
}

void Rename(CommandContext& ctx) {
  RenameGeneric(ctx, false);
}
void RenameNx(CommandContext& ctx) {
  RenameGeneric(ctx, true);
}

void Move(CommandContext& ctx) {
  ArgParser args(ctx.argv, 2);
  int db;
  if (!NextDbIndex(ctx, args, &db)) return;
  if (db == ctx.db()) return ctx.ReplyError(errors::kSameObject);
  auto moved = engine::MoveKey(ctx.engine(), ctx.op, ctx.argv[1], db);
  if (!moved.ok()) return ctx.ReplyStatus(moved.status());
  if (*moved) {
    ctx.Notify(engine::kNotifyGeneric, "move_from", ctx.argv[1]);
    ctx.Notify(engine::kNotifyGeneric, "move_to", ctx.argv[1], db);
  }
  ctx.reply->Integer(*moved ? 1 : 0);
}

// COPY source destination [DB destination-db] [REPLACE], checked in Redis's order.
void Copy(CommandContext& ctx) {
  ArgParser args(ctx.argv, 3);
  int db = ctx.db();
  bool replace = false;
  while (!args.Done()) {
    if (args.EatFlag("REPLACE")) {
      replace = true;
    } else if (args.remaining() >= 2 && args.EatFlag("DB")) {
      if (!NextDbIndex(ctx, args, &db)) return;
    } else {
      return ctx.ReplyError(errors::kSyntax);
    }
  }
  if (db == ctx.db() && ctx.argv[1] == ctx.argv[2]) return ctx.ReplyError(errors::kSameObject);
  auto copied = engine::CopyKey(ctx.engine(), ctx.op, ctx.argv[1], ctx.argv[2], db, replace);
  if (!copied.ok()) return ctx.ReplyStatus(copied.status());
  if (*copied) ctx.Notify(engine::kNotifyGeneric, "copy_to", ctx.argv[2], db);
  ctx.reply->Integer(*copied ? 1 : 0);
}

void SwapDb(CommandContext& ctx) {
  ArgParser args(ctx.argv, 1);
  int32_t a = args.NextInt32(errors::kInvalidFirstDb, errors::kInvalidFirstDb);
  int32_t b = args.NextInt32(errors::kInvalidSecondDb, errors::kInvalidSecondDb);
  if (args.failed()) return ctx.ReplyError(args.error());
  int n = ctx.server->config().databases;
  if (a < 0 || a >= n || b < 0 || b >= n) return ctx.ReplyError(errors::kDbIndexOutOfRange);
  Status s = engine::SwapDatabases(ctx.engine(), ctx.op, a, b);
  if (!s.ok()) return ctx.ReplyStatus(s);
  ctx.reply->Ok();
}

// WAIT numreplicas timeout: validated as Redis does. There are no replicas
// yet, so no write is ever acknowledged and the reply is 0 at once. (Redis
// would block for `timeout` when numreplicas > 0; replication revisits this.)
void Wait(CommandContext& ctx) {
  ArgParser args(ctx.argv, 1);
  args.NextInt64();
  int64_t timeout = args.NextInt64(errors::kTimeoutNotInteger);
  if (!args.failed() && timeout < 0) args.Fail(errors::kTimeoutNegative);
  if (args.failed()) return ctx.ReplyError(args.error());
  ctx.reply->Integer(0);
}

}  // namespace

void RegisterKeyspaceCommands(CommandTable& table) {
  table.Register("del", Del);
  table.Register("unlink", Del);
  table.Register("exists", Exists);
  table.Register("touch", Touch);
  table.Register("type", Type);
  table.Register("dbsize", DbSize);
  table.Register("flushdb", FlushDb);
  table.Register("flushall", FlushAll);
  table.Register("rename", Rename);
  table.Register("renamenx", RenameNx);
  table.Register("move", Move);
  table.Register("copy", Copy);
  table.Register("swapdb", SwapDb);
  table.Register("wait", Wait);
  RegisterScanCommands(table);
  RegisterObjectCommands(table);
}

}  // namespace strata::server
