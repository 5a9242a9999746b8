// Keyspace commands (first set): DEL, EXISTS, TYPE, DBSIZE, FLUSHDB, FLUSHALL.
#include "codec/layout.h"
#include "engine/engine.h"
#include "engine/keyspace_ops.h"
#include "server/arg_parser.h"
#include "server/command_context.h"
#include "server/command_table.h"
#include "server/commands/families.h"

namespace strata::server {

namespace {

void Del(CommandContext& ctx) {
  auto n = engine::DeleteKeys(ctx.engine(), ctx.op, ctx.argv.subspan(1));
  if (!n.ok()) return ctx.ReplyStatus(n.status());
  ctx.reply->Integer(*n);
}

void Exists(CommandContext& ctx) {
  auto n = engine::CountExisting(ctx.engine(), ctx.op, ctx.argv.subspan(1));
  if (!n.ok()) return ctx.ReplyStatus(n.status());
  ctx.reply->Integer(*n);
}

void Type(CommandContext& ctx) {
  auto t = engine::KeyType(ctx.engine(), ctx.op, ctx.argv[1]);
  if (!t.ok()) return ctx.ReplyStatus(t.status());
  ctx.reply->SimpleString(t->has_value() ? codec::TypeName(**t) : "none");
}

void DbSize(CommandContext& ctx) { ctx.reply->Integer(ctx.engine().KeyCount(ctx.db())); }

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
  ctx.reply->Ok();
}

void FlushAll(CommandContext& ctx) {
  if (!ParseFlushMode(ctx)) return;
  Status s = engine::FlushAllDatabases(ctx.engine(), ctx.op);
  if (!s.ok()) return ctx.ReplyStatus(s);
  ctx.reply->Ok();
}

}  // namespace

void RegisterKeyspaceCommands(CommandTable& table) {
  table.Register("del", Del);
  table.Register("exists", Exists);
  table.Register("type", Type);
  table.Register("dbsize", DbSize);
  table.Register("flushdb", FlushDb);
  table.Register("flushall", FlushAll);
}

}  // namespace strata::server
