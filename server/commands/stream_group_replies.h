// Reply shapes of consumer groups shared by XINFO GROUPS / CONSUMERS (in
// stream_group_cmds.cc) and XINFO STREAM FULL (stream_read_cmds.cc): maps
// in RESP3, flat field/value arrays in RESP2, as Redis 7.0.15 sends them.
#pragma once

#include "engine/stream_group_ops.h"
#include "server/command_context.h"

namespace strata::server {

// A group's lag (or null) and entries-read (or null when invalid).
void ReplyGroupCounters(CommandContext& ctx, const engine::GroupsInfo& info,
                        const codec::StreamGroup& g);

// XINFO STREAM FULL's "groups" value.
void ReplyGroupsFull(CommandContext& ctx, const engine::GroupsInfo& info);

}  // namespace strata::server
