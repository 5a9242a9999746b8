// Consumer groups of streams, the storage side of XGROUP and XINFO GROUPS /
// CONSUMERS / STREAM FULL's groups. Records (codec/stream_group_codec.h)
// live in the stream's own sub-keys after its entries and are read and
// written only through KeyAccess; the stream metadata's group count is kept
// in step. Counts (pending per group and per consumer, consumers per group)
// are in the records, so no reply that reports a count scans.
//
// CHECK ORDER. Redis reports some argument errors only after it looked the
// key and group up (an invalid ID after NOGROUP, a wrong argument count
// after "requires the key to exist"). A handler that found such an error
// passes `proceed = false`: the call does the lookups, reports their
// outcome, and changes nothing (kChecked) when they pass.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "codec/stream_group_codec.h"
#include "common/status.h"
#include "engine/op_context.h"
#include "engine/stream_ops.h"

namespace strata::engine {

enum class GroupOutcome : unsigned char {
  kDone,
  kChecked,    // proceed == false and the lookups passed
  kNoKey,      // "The XGROUP subcommand requires the key to exist..." / "no such key"
  kNoGroup,    // NOGROUP
  kBusyGroup,  // BUSYGROUP (CREATE of an existing group)
};

// An ID argument that may be "$" (the stream's last ID when the call runs).
struct GroupIdArg {
  bool last = false;
  StreamId id;
};

// XGROUP CREATE (with MKSTREAM: creates an empty stream when the key is absent).
StatusOr<GroupOutcome> StreamGroupCreate(Engine& engine, OpContext& ctx, std::string_view key,
                                         std::string_view group, GroupIdArg id, bool mkstream,
                                         int64_t entries_read, bool proceed);
// XGROUP SETID.
StatusOr<GroupOutcome> StreamGroupSetId(Engine& engine, OpContext& ctx, std::string_view key,
                                        std::string_view group, GroupIdArg id, int64_t entries_read,
                                        bool proceed);
// XGROUP DESTROY: kDone (destroyed), kNoGroup (none such) or kNoKey.
StatusOr<GroupOutcome> StreamGroupDestroy(Engine& engine, OpContext& ctx, std::string_view key,
                                          std::string_view group);

struct ConsumerResult {
  GroupOutcome outcome = GroupOutcome::kDone;
  uint64_t value = 0;    // CREATECONSUMER: 1 created / 0 existed; DELCONSUMER: its pending count
  bool changed = false;  // the consumer was created / deleted
};
StatusOr<ConsumerResult> StreamCreateConsumer(Engine& engine, OpContext& ctx, std::string_view key,
                                              std::string_view group, std::string_view consumer);
// Deletes the consumer and its pending entries.
StatusOr<ConsumerResult> StreamDeleteConsumer(Engine& engine, OpContext& ctx, std::string_view key,
                                              std::string_view group, std::string_view consumer);

struct GroupPendingEntry {
  StreamId id;
  codec::StreamPending pending;
};
struct ConsumerInfo {
  std::string name;
  codec::StreamConsumer consumer;
  std::vector<GroupPendingEntry> pel;  // XINFO STREAM FULL only (consumer left empty)
};
struct GroupInfo {
  std::string name;
  codec::StreamGroup group;
  std::vector<GroupPendingEntry> pel;   // XINFO STREAM FULL only
  std::vector<ConsumerInfo> consumers;  // XINFO STREAM FULL only
};
struct GroupsInfo {
  codec::MetaValue meta;  // for the lag
  std::vector<GroupInfo> groups;
  StreamEntries entries;  // XINFO STREAM FULL only
};

// XINFO GROUPS (full == false) or XINFO STREAM FULL: every group in name
// order, and with `full` the stream's first entries, each group's PEL and
// consumers, each list cut at `count` (0: all), all read under one lock so
// they agree. kNotFound for a missing key.
StatusOr<GroupsInfo> StreamGroupsInfo(Engine& engine, OpContext& ctx, std::string_view key,
                                      bool full, uint64_t count);

struct ConsumersInfo {
  GroupOutcome outcome = GroupOutcome::kDone;  // or kNoKey / kNoGroup
  std::vector<ConsumerInfo> consumers;
};
// XINFO CONSUMERS.
StatusOr<ConsumersInfo> StreamConsumersInfo(Engine& engine, OpContext& ctx, std::string_view key,
                                            std::string_view group);

}  // namespace strata::engine

namespace strata::engine {

// XREADGROUP. One stream to read: new entries (">") or the consumer's
// pending history after `after`. `bad_id`: the handler found this key's ID
// invalid; Redis reports it after this key's type and group checks (and
// those of the keys before it), so the read stops there.
struct GroupReadFrom {
  std::string_view key;
  bool new_entries = false;
  StreamId after;
  bool bad_id = false;
};
struct GroupReadArgs {
  std::string_view group;
  std::string_view consumer;
  uint64_t count = 0;  // 0: all
  bool noack = false;
};
// An entry served; `deleted`: a pending ID whose entry is gone (history only).
struct GroupEntry {
  StreamEntry entry;
  bool deleted = false;
};
struct GroupReadResult {
  std::optional<size_t> no_group;  // the first key without the group (or absent)
  std::optional<size_t> bad_id;    // the first key whose ID is invalid
  // Streams served, in argument order (a history read is served even when
  // empty); empty when nothing was (what a BLOCK read waits on).
  std::vector<std::pair<size_t, std::vector<GroupEntry>>> streams;
  // The keys (indexes) whose group gained the consumer, in argument order.
  std::vector<size_t> consumer_created;
};
// kWrongType when a key holds another type.
StatusOr<GroupReadResult> StreamGroupRead(Engine& engine, OpContext& ctx,
                                          std::span<const GroupReadFrom> from,
                                          const GroupReadArgs& args);

// XACK: how many of `ids` were pending and are acknowledged; `found` false
// when the key or group is absent (Redis replies 0 before parsing the IDs).
struct AckResult {
  bool found = false;
  uint64_t acked = 0;
};
StatusOr<AckResult> StreamAck(Engine& engine, OpContext& ctx, std::string_view key,
                              std::string_view group, std::span<const StreamId> ids);

// XPENDING. Summary (`range` empty): count, first and last IDs, and the
// consumers with pending entries; or the entries with start <= id <= end,
// idle at least `min_idle` ms, at most `count`, of one consumer if given.
struct PendingRange {
  StreamId start, end;
  uint64_t count = 0;
  int64_t min_idle = 0;
  std::optional<std::string_view> consumer;
};
struct PendingResult {
  bool no_group = false;  // the key or the group is absent
  uint64_t total = 0;
  StreamId first, last;
  std::vector<std::pair<std::string, uint64_t>> consumers;
  std::vector<GroupPendingEntry> entries;
};
StatusOr<PendingResult> StreamPendingInfo(Engine& engine, OpContext& ctx, std::string_view key,
                                          std::string_view group,
                                          const std::optional<PendingRange>& range);

// XCLAIM. `proceed` as in the check order above: the handler found an
// argument error that Redis reports after the key and group lookups.
struct ClaimArgs {
  std::string_view group;
  std::string_view consumer;
  int64_t min_idle = 0;
  uint64_t delivery_ms = 0;  // the delivery time to record (IDLE/TIME resolved)
  int64_t retry_count = -1;  // -1: not given
  bool force = false;
  bool justid = false;
  StreamId last_id;  // LASTID (0-0: not given)
};
struct ClaimResult {
  bool no_group = false;          // the key or the group is absent
  StreamEntries claimed;          // JUSTID: the fields are left empty
  bool consumer_created = false;  // created on the first entry claimed
};
StatusOr<ClaimResult> StreamClaim(Engine& engine, OpContext& ctx, std::string_view key,
                                  const ClaimArgs& args, std::span<const StreamId> ids,
                                  bool proceed);

// XAUTOCLAIM: scans the group PEL from `start` (at most count * 10 entries),
// claiming entries idle at least min_idle and dropping the IDs whose entries
// are gone, until `count` entries were claimed or dropped.
struct AutoClaimArgs {
  std::string_view group;
  std::string_view consumer;
  int64_t min_idle = 0;
  StreamId start;
  uint64_t count = 100;
  bool justid = false;
};
struct AutoClaimResult {
  bool no_group = false;
  StreamId cursor;  // the next PEL ID to scan from; 0-0 at the end
  StreamEntries claimed;
  std::vector<StreamId> deleted;
  bool consumer_created = false;  // created on the first entry claimed
};
StatusOr<AutoClaimResult> StreamAutoClaim(Engine& engine, OpContext& ctx, std::string_view key,
                                          const AutoClaimArgs& args);

}  // namespace strata::engine
