// XREAD / XREADGROUP option parsing; see stream_read_args.h.
#include "server/commands/stream_read_args.h"

#include <algorithm>

#include "common/text.h"
#include "server/arg_parser.h"
#include "server/errors.h"

namespace strata::server {

std::string ParseStreamReadArgs(std::span<const std::string_view> argv, bool group,
                                StreamReadArgs* out) {
  ArgParser args(argv, 1);
  bool have_group = false;
  while (!args.failed() && !args.Done()) {
    bool more = args.remaining() > 1;
    if (more && args.EatFlag("BLOCK")) {
      out->timeout_ms = args.NextInt64(errors::kTimeoutNotInteger);
      if (!args.failed() && out->timeout_ms < 0) args.Fail(errors::kTimeoutNegative);
      out->block = true;
    } else if (more && args.EatFlag("COUNT")) {
      out->count = std::max<int64_t>(args.NextInt64(), 0);  // negative counts as 0
    } else if (more && args.EatFlag("STREAMS")) {
      out->streams_at = argv.size() - args.remaining();
      if (args.remaining() % 2 != 0) args.Fail(errors::kXreadUnbalanced);
      break;
    } else if (group && args.remaining() > 2 && args.EatFlag("GROUP")) {
      out->group = args.Next();
      out->consumer = args.Next();
      have_group = true;
    } else if (group && args.EatFlag("NOACK")) {
      out->noack = true;
    } else if (args.remaining() > 2 && EqualsIgnoreCase(args.Peek(), "GROUP")) {
      args.Fail(errors::kXreadGroupOption);
    } else if (EqualsIgnoreCase(args.Peek(), "NOACK")) {
      args.Fail(errors::kXreadNoackOption);
    } else {
      args.Fail(errors::kSyntax);
    }
  }
  if (!args.failed() && out->streams_at == 0) args.Fail(errors::kSyntax);
  if (!args.failed() && group && !have_group) args.Fail(errors::kXreadgroupMissingGroup);
  return std::string(args.error());
}

}  // namespace strata::server
