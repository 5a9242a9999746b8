// Argument parsing and reply shapes shared by the sorted-set command files
// (zset_cmds.cc, zset_range_cmds.cc, zset_combine_cmds.cc), with Redis
// 7.0's exact rules.
#pragma once

#include <span>
#include <string_view>

#include "engine/zset_ops.h"
#include "server/command_context.h"

namespace strata::server {

// zslParseRange: "(" for exclusive, then C strtod over the text up to its
// first NUL (leading spaces and "" accepted, NaN rejected).
bool ParseScoreRange(std::string_view min, std::string_view max, engine::ZScoreRange* out);
// zslParseLexRange: "-", "+", "(value" or "[value".
bool ParseLexRange(std::string_view min, std::string_view max, engine::ZLexRange* out);

// Entries as ZRANGE replies them: members, or with scores a flat array in
// RESP2 and an array of [member, score] pairs in RESP3.
void ReplyEntries(CommandContext& ctx, std::span<const engine::ZEntry> entries, bool with_scores);
// Entries as [member, score] pairs in both protocols (ZMPOP, RESP3 ZPOP with a count).
void ReplyPairs(CommandContext& ctx, std::span<const engine::ZEntry> entries);

}  // namespace strata::server
