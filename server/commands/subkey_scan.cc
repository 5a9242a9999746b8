// HSCAN/SSCAN cursor, options and reply; see subkey_scan.h.
#include "server/commands/subkey_scan.h"

#include "common/numbers.h"
#include "common/text.h"
#include "server/arg_parser.h"
#include "server/server.h"
#include "server/subkey_cursors.h"

namespace strata::server {

bool ParseSubkeyScan(CommandContext& ctx, SubkeyScanRequest* req) {
  uint64_t cursor;
  if (!ParseScanCursor(ctx.argv[2], &cursor)) {
    ctx.ReplyError(errors::kInvalidCursor);
    return false;
  }
  req->start = ResolveSubkeyCursor(ctx.server->scan_cursors(), cursor);
  ArgParser args(ctx.argv, 3);
  while (!args.Done() && !args.failed()) {
    if (args.remaining() >= 2 && args.EatFlag("COUNT")) {
      req->count = args.NextInt64();
      if (!args.failed() && req->count < 1) args.Fail(errors::kSyntax);
    } else if (args.remaining() >= 2 && args.EatFlag("MATCH")) {
      std::string_view pattern = args.Next();
      req->pattern = pattern == "*" ? std::nullopt : std::optional(pattern);
    } else {
      args.Fail(errors::kSyntax);
    }
  }
  if (args.failed()) req->options_error.assign(args.error());
  return true;
}

void ReplySubkeyScan(CommandContext& ctx, const SubkeyScanRequest& req,
                     const std::vector<std::pair<std::string, std::string>>& entries,
                     std::string_view next, bool done, bool with_values) {
  std::vector<const std::pair<std::string, std::string>*> kept;
  kept.reserve(entries.size());
  for (const auto& e : entries) {
    if (!req.pattern || GlobMatch(*req.pattern, e.first)) kept.push_back(&e);
  }
  uint64_t cursor = done ? 0 : SaveSubkeyCursor(ctx.server->scan_cursors(), next);
  ctx.reply->ArrayHeader(2);
  ctx.reply->Bulk(std::to_string(cursor));
  ctx.reply->ArrayHeader(static_cast<int64_t>(kept.size() * (with_values ? 2 : 1)));
  for (const auto* e : kept) {
    ctx.reply->Bulk(e->first);
    if (with_values) ctx.reply->Bulk(e->second);
  }
}

}  // namespace strata::server
