// What HSCAN and SSCAN (and later ZSCAN) share: the cursor and options of
// Redis's scanGenericCommand for a key's elements, and the reply. Redis
// checks the cursor first, then the key (a missing key replies an empty
// scan whatever the options; a key of another type is WRONGTYPE), then the
// options — so a handler parses the options up front and reports their
// error only after the key checks.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "server/command_context.h"

namespace strata::server {

struct SubkeyScanRequest {
  std::string start;  // the sub-key to resume at ("" = the first)
  int64_t count = 10;
  std::optional<std::string_view> pattern;  // MATCH; nullopt for "*" or none
  std::string options_error;                // set when the options are invalid
};

// Parses "<cmd> key cursor [MATCH pattern] [COUNT count]". Replies
// "ERR invalid cursor" and returns false for a bad cursor.
bool ParseSubkeyScan(CommandContext& ctx, SubkeyScanRequest* req);

// Replies [cursor, [elements...]]: the entries that match the pattern,
// each as key (and value, with `with_values`); `next` names the sub-key to
// resume at unless `done`.
void ReplySubkeyScan(CommandContext& ctx, const SubkeyScanRequest& req,
                     const std::vector<std::pair<std::string, std::string>>& entries,
                     std::string_view next, bool done, bool with_values);

}  // namespace strata::server
