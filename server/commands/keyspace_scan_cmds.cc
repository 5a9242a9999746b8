// SCAN, KEYS and RANDOMKEY: parsing and replies. Iteration is
// engine/scan_ops.h; SCAN's decimal cursors are server/scan_cursors.h.
#include <optional>
#include <string>

#include "common/numbers.h"
#include "engine/scan_ops.h"
#include "server/arg_parser.h"
#include "server/command_context.h"
#include "server/command_table.h"
#include "server/commands/keyspace_cmds.h"
#include "server/server.h"

namespace strata::server {

namespace {

// SCAN's TYPE argument: Redis compares it case-insensitively with the names
// TYPE reports; a name no type has matches no key.
void SetTypeFilter(std::string_view name, engine::KeyFilter* filter) {
  filter->type.reset();
  filter->match_nothing = true;
  for (unsigned char t = 0; t <= codec::kMaxValueType; ++t) {
    auto type = static_cast<codec::ValueType>(t);
    if (EqualsIgnoreCase(name, codec::TypeName(type))) {
      filter->type = type;
      filter->match_nothing = false;
    }
  }
}

// A MATCH or KEYS pattern; "*" needs no matching at all.
std::optional<std::string_view> PatternFilter(std::string_view pattern) {
  if (pattern == "*") return std::nullopt;
  return pattern;
}

// SCAN cursor [MATCH pattern] [COUNT count] [TYPE type], as Redis's
// scanGenericCommand parses it (the cursor first, then options in order).
void Scan(CommandContext& ctx) {
  uint64_t cursor;
  if (!ParseScanCursor(ctx.argv[1], &cursor)) return ctx.ReplyError(errors::kInvalidCursor);
  ArgParser args(ctx.argv, 2);
  int64_t count = 10;
  engine::KeyFilter filter;
  while (!args.Done() && !args.failed()) {
    if (args.remaining() >= 2 && args.EatFlag("COUNT")) {
      count = args.NextInt64();
      if (!args.failed() && count < 1) args.Fail(errors::kSyntax);
    } else if (args.remaining() >= 2 && args.EatFlag("MATCH")) {
      filter.pattern = PatternFilter(args.Next());
    } else if (args.remaining() >= 2 && args.EatFlag("TYPE")) {
      SetTypeFilter(args.Next(), &filter);
    } else {
      args.Fail(errors::kSyntax);
    }
  }
  if (args.failed()) return ctx.ReplyError(args.error());
  ScanCursors& cursors = ctx.server->scan_cursors();
  std::string position = cursors.Resolve(cursor);
  auto page = engine::ScanKeys(ctx.engine(), ctx.op, position, static_cast<size_t>(count), filter);
  if (!page.ok()) return ctx.ReplyStatus(page.status());
  uint64_t next = page->done ? 0 : cursors.Save(page->next);
  ctx.reply->ArrayHeader(2);
  ctx.reply->Bulk(std::to_string(next));
  ctx.reply->ArrayHeader(static_cast<int64_t>(page->keys.size()));
  for (const auto& key : page->keys) ctx.reply->Bulk(key);
}

void Keys(CommandContext& ctx) {
  engine::KeyFilter filter;
  filter.pattern = PatternFilter(ctx.argv[1]);
  auto keys = engine::ListKeys(ctx.engine(), ctx.op, filter);
  if (!keys.ok()) return ctx.ReplyStatus(keys.status());
  ctx.reply->ArrayHeader(static_cast<int64_t>(keys->size()));
  for (const auto& key : *keys) ctx.reply->Bulk(key);
}

void RandomKey(CommandContext& ctx) {
  auto key = engine::RandomKey(ctx.engine(), ctx.op);
  if (!key.ok()) return ctx.ReplyStatus(key.status());
  if (!key->has_value()) return ctx.reply->Null();
  ctx.reply->Bulk(**key);
}

}  // namespace

void RegisterScanCommands(CommandTable& table) {
  table.Register("scan", Scan);
  table.Register("keys", Keys);
  table.Register("randomkey", RandomKey);
}

}  // namespace strata::server
