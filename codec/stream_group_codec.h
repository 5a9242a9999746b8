// Consumer groups of a stream as Strata stores them: the sub-keys of the
// group records, the pending-entries list (PEL) and the consumers, and the
// lag / entries-read arithmetic of Redis 7.0.15. Pure functions, no I/O.
//
// WHERE THEY LIVE. In the stream's own "stream_entries" family, after every
// entry: each group sub-key starts with kStreamGroupPrefix, sixteen 0xff
// bytes, i.e. the entry key of ID 18446744073709551615-18446744073709551615
// followed by more bytes, so it sorts after every 16-byte entry key, range
// reads of entries stop at the first sub-key that is not 16 bytes long, and
// DEL/COPY/RENAME/GC of a stream cover its groups with no new column family.
// After the prefix a tag byte selects the record (G = u32(len) group name):
//   'g' name            -> group: u64(last-delivered ms) u64(seq)
//                          u64(entries-read, two's complement; -1 invalid)
//                          u64(pending count) u64(consumer count)
//   'c' G consumer      -> consumer: u64(seen-time ms) u64(pending count)
//   'p' G u64 ms u64 seq -> PEL entry: u64(delivery ms) u64(delivery count)
//                          consumer name
//   'i' G u32(len) consumer u64 ms u64 seq -> "" (a consumer's pending IDs)
// Groups ('g') and each group's consumers ('c') sort by name, as Redis's
// radix trees list them; PEL ranges are seeks by ID. Counts live in the
// group and consumer records, so XPENDING's summary and XINFO never scan.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "codec/layout.h"
#include "codec/stream_codec.h"

namespace strata::codec {

inline constexpr size_t kStreamGroupPrefixSize = 16;
inline constexpr int64_t kEntriesReadInvalid = -1;  // Redis's SCG_INVALID_ENTRIES_READ

// The first sub-key past every stream entry (where the group records start).
std::string StreamGroupPrefix();
// True for a stream sub-key that is a group record, not an entry.
inline bool IsStreamGroupSubkey(std::string_view subkey) {
  return subkey.size() > kStreamGroupPrefixSize;
}

struct StreamGroup {
  StreamId last_id;
  int64_t entries_read = kEntriesReadInvalid;
  uint64_t pending = 0;
  uint64_t consumers = 0;
};
struct StreamConsumer {
  uint64_t seen_ms = 0;
  uint64_t pending = 0;
};
struct StreamPending {
  uint64_t delivery_ms = 0;
  uint64_t delivery_count = 0;
  std::string consumer;
};

// Sub-keys. The *Start keys begin a scan of all records of one kind.
std::string StreamGroupKey(std::string_view group);
std::string StreamGroupsStart();
std::string StreamConsumerKey(std::string_view group, std::string_view consumer);
std::string StreamConsumersStart(std::string_view group);
std::string StreamPelKey(std::string_view group, StreamId id);
std::string StreamPelStart(std::string_view group);
std::string StreamConsumerPelKey(std::string_view group, std::string_view consumer, StreamId id);
std::string StreamConsumerPelStart(std::string_view group, std::string_view consumer);

// The part after `start` (a *Start key) of a sub-key found by scanning from
// it: the group name, consumer name, or the 16-byte ID; false when the
// sub-key is past that kind of record.
bool StreamGroupNameOf(std::string_view subkey, std::string_view* group);
bool StreamSuffixOf(std::string_view subkey, std::string_view start, std::string_view* rest);
// A 16-byte ID suffix (PEL keys).
bool StreamIdSuffixOf(std::string_view subkey, std::string_view start, StreamId* id);

std::string EncodeStreamGroup(const StreamGroup& g);
bool DecodeStreamGroup(std::string_view v, StreamGroup* g);
std::string EncodeStreamConsumer(const StreamConsumer& c);
bool DecodeStreamConsumer(std::string_view v, StreamConsumer* c);
std::string EncodeStreamPending(const StreamPending& p);
bool DecodeStreamPending(std::string_view v, StreamPending* p);

// Redis 7.0.15's streamEstimateDistanceFromFirstEverEntry: the entries-read
// counter of `id` in a stream of `length` entries, or kEntriesReadInvalid.
int64_t StreamEstimateEntriesRead(const StreamMeta& m, uint64_t length, StreamId id);
// streamRangeHasTombstones(s, start, NULL).
bool StreamHasTombstonesFrom(const StreamMeta& m, uint64_t length, StreamId start);
// The lag XINFO reports for a group (streamReplyWithCGLag); nullopt: null.
std::optional<int64_t> StreamGroupLag(const StreamMeta& m, uint64_t length, const StreamGroup& g);

}  // namespace strata::codec
