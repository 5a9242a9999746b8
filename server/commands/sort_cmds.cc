// SORT and SORT_RO: parsing and replies only; what is sorted, how, and how
// the keys named by BY/GET patterns are read is engine/sort_ops.h.
//
// Options are read left to right as Redis's sortCommandGeneric does: ASC,
// DESC, ALPHA, LIMIT offset count (both integers, else "value is not an
// integer"), BY pattern and STORE key (the last of each wins, but any BY
// without '*' means no sorting), GET pattern (any number); SORT_RO knows no
// STORE, so it is a syntax error there. Option errors come before the key's
// type is checked. Cluster-mode and ACL
// restrictions on BY/GET are not applied (Strata has neither yet).
#include <optional>
#include <string>
#include <vector>

#include "engine/sort_ops.h"
#include "server/arg_parser.h"
#include "server/command_context.h"
#include "server/command_table.h"
#include "server/commands/families.h"

namespace strata::server {

namespace {

constexpr std::string_view kNotDouble = "ERR One or more scores can't be converted into double";

void SortGeneric(CommandContext& ctx, bool readonly) {
  engine::SortRequest req;
  req.key = ctx.argv[1];
  ArgParser args(ctx.argv, 2);
  while (!args.Done() && !args.failed()) {
    size_t left = args.remaining() - 1;  // arguments after the option word
    if (args.EatFlag("ASC")) {
      req.desc = false;
    } else if (args.EatFlag("DESC")) {
      req.desc = true;
    } else if (args.EatFlag("ALPHA")) {
      req.alpha = true;
    } else if (left >= 2 && args.EatFlag("LIMIT")) {
      req.limit_offset = args.NextInt64();
      req.limit_count = args.NextInt64();
    } else if (!readonly && left >= 1 && args.EatFlag("STORE")) {
      req.store = args.Next();
    } else if (left >= 1 && args.EatFlag("BY")) {
      req.by = args.Next();
      req.nosort = req.nosort || req.by->find('*') == std::string_view::npos;
    } else if (left >= 1 && args.EatFlag("GET")) {
      req.gets.push_back(args.Next());
    } else {
      args.Fail(errors::kSyntax);
    }
  }
  if (args.failed()) return ctx.ReplyError(args.error());

  auto result = engine::Sort(ctx.engine(), ctx.op, req);
  if (!result.ok()) {
    if (result.status().code() == StatusCode::kNotFloat) return ctx.ReplyError(kNotDouble);
    return ctx.ReplyStatus(result.status());
  }
  if (req.store) {
    // An empty result deletes the destination: the engine raises that "del".
    if (result->stored > 0) ctx.Notify(engine::kNotifyList, "sortstore", *req.store);
    return ctx.reply->Integer(static_cast<int64_t>(result->stored));
  }
  ctx.reply->ArrayHeader(static_cast<int64_t>(result->values.size()));
  for (const auto& v : result->values) {
    if (v) {
      ctx.reply->Bulk(*v);
    } else {
      ctx.reply->Null();
    }
  }
}

void Sort(CommandContext& ctx) {
  SortGeneric(ctx, false);
}

void SortRo(CommandContext& ctx) {
  SortGeneric(ctx, true);
}

}  // namespace

void RegisterSortCommands(CommandTable& table) {
  table.Register("sort", Sort);
  table.Register("sort_ro", SortRo);
}

}  // namespace strata::server
