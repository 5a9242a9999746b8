// Stream operations of the engine: the storage side of XADD, XLEN, XRANGE,
// XREVRANGE, XDEL, XTRIM, XSETID, XREAD and XINFO STREAM. A stream is a
// collection (codec/layout.h): metadata with the length, the last generated,
// first and largest deleted IDs, entries-added and the group count; entries
// in "stream_entries" keyed u64(ms) u64(seq) under its object id, read and
// written only through KeyAccess. XLEN reads only metadata; a range is one
// ScanSub seek plus the entries returned; XADD without trimming writes one
// sub-key and the metadata. Unlike the other collections, an emptied stream
// keeps its key (and its last ID), as Redis's does.
//
// APPROXIMATE TRIMMING ("~"). Redis trims only whole radix-tree nodes, each a
// listpack of up to stream-node-max-entries (100) entries. Strata has no
// nodes; it models them as consecutive blocks of kStreamNodeMaxEntries live
// entries from the head (the last block may be shorter) and removes whole
// blocks with Redis's rules (MAXLEN: while the rest still holds `maxlen`;
// MINID: while the block's last ID is below `minid`; LIMIT caps the entries
// removed). That is Redis's result when nodes are full (entries small
// enough for 100 to fit stream-node-max-bytes, no XDEL holes); otherwise
// both keep at least what was asked, but the counts can differ.
//
// No RESP here: results, Statuses (kWrongType) and the outcome enums below,
// which the handlers turn into Redis's error texts.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "codec/layout.h"
#include "codec/stream_codec.h"
#include "common/status.h"
#include "engine/op_context.h"

namespace strata::engine {

class Engine;

using codec::StreamId;

inline constexpr uint64_t kStreamNodeMaxEntries = 100;  // Redis's stream-node-max-entries

struct StreamEntry {
  StreamId id;
  codec::StreamFields fields;
};
using StreamEntries = std::vector<StreamEntry>;

struct StreamTrim {
  enum class Strategy : unsigned char { kNone, kMaxLen, kMinId };
  Strategy strategy = Strategy::kNone;
  bool approx = false;
  uint64_t maxlen = 0;
  StreamId minid;
  uint64_t limit = 0;  // entries removed at most (approximate only); 0: no limit
};

struct StreamAddArgs {
  bool nomkstream = false;
  bool id_given = false;  // false: "*"
  bool seq_given = true;  // false: "<ms>-*"
  StreamId id;
  StreamTrim trim;
};
enum class StreamAddOutcome : unsigned char {
  kAdded,
  kNoStream,    // NOMKSTREAM and no key: nothing done
  kExhausted,   // the last ID is the largest possible
  kIdTooSmall,  // the ID is not above the last ID
};
struct StreamAddResult {
  StreamAddOutcome outcome = StreamAddOutcome::kAdded;
  StreamId id;
  uint64_t trimmed = 0;  // entries the trim options removed (kAdded only)
};
// XADD: appends `field_values` (field, value, ...) and trims.
StatusOr<StreamAddResult> StreamAdd(Engine& engine, OpContext& ctx, std::string_view key,
                                    const StreamAddArgs& args,
                                    std::span<const std::string_view> field_values);

// Whether `key` holds a stream (kWrongType when it holds something else).
StatusOr<bool> StreamExists(Engine& engine, OpContext& ctx, std::string_view key);

// XLEN (0 for a missing key).
StatusOr<uint64_t> StreamLength(Engine& engine, OpContext& ctx, std::string_view key);

// XRANGE/XREVRANGE: entries with start <= id <= end, in ascending order (or
// descending with `reverse`), at most `count` (0: all). nullopt for a
// missing key.
StatusOr<std::optional<StreamEntries>> StreamRange(Engine& engine, OpContext& ctx,
                                                   std::string_view key, StreamId start,
                                                   StreamId end, uint64_t count, bool reverse);

// XDEL: how many of `ids` existed and were removed (0 for a missing key).
StatusOr<uint64_t> StreamDelete(Engine& engine, OpContext& ctx, std::string_view key,
                                std::span<const StreamId> ids);

// XTRIM: entries removed (0 for a missing key).
StatusOr<uint64_t> StreamTrimKey(Engine& engine, OpContext& ctx, std::string_view key,
                                 const StreamTrim& trim);

enum class StreamSetIdOutcome : unsigned char {
  kSet,
  kNoKey,
  kBelowTop,              // id < the last entry's ID
  kEntriesAddedTooSmall,  // entries_added < length
};
// XSETID (the argument checks that need no key are the handler's). As in
// Redis 7.0.15, an empty stream accepts any ID, even one below its last or
// largest deleted ID.
StatusOr<StreamSetIdOutcome> StreamSetId(Engine& engine, OpContext& ctx, std::string_view key,
                                         StreamId id, std::optional<uint64_t> entries_added,
                                         std::optional<StreamId> max_deleted);

// XINFO STREAM: the metadata and the first and last entries (XINFO STREAM
// FULL is StreamGroupsInfo's, which reads the entries and the groups under
// one lock). kNotFound for a missing key.
struct StreamInfo {
  codec::MetaValue meta;
  std::optional<StreamEntry> first, last;
};
StatusOr<StreamInfo> StreamGetInfo(Engine& engine, OpContext& ctx, std::string_view key);

// XREAD. One stream to read: entries after `after`, or, with `last` ("$"),
// after the stream's last generated ID at the time of the call.
struct StreamReadFrom {
  std::string_view key;
  bool last = false;
  StreamId after;
};
struct StreamReadResult {
  // Streams that had entries, in argument order: index into the request and
  // the entries. Empty: no data for any key (what a BLOCK read waits on).
  std::vector<std::pair<size_t, StreamEntries>> streams;
  // The "after" each stream resolved to ("$" read at call time), for a
  // blocking wrapper that waits and reads again.
  std::vector<StreamId> resolved;
};
// kWrongType when a key holds another type.
StatusOr<StreamReadResult> StreamRead(Engine& engine, OpContext& ctx,
                                      std::span<const StreamReadFrom> from, uint64_t count);

// kWrongType when one of `keys` holds another type (XREAD checks the keys
// before an invalid ID, in argument order).
Status StreamCheckTypes(Engine& engine, OpContext& ctx, std::span<const std::string_view> keys);

}  // namespace strata::engine
