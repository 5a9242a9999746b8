// Streams in Redis 7.0's RDB object encoding (RDB_TYPE_STREAM_LISTPACKS_2,
// 19; type 15 of Redis 5/6 is read too). Pure functions, no I/O; part of the
// value serialisation of codec/rdb_value.h.
//
// GRAMMAR (rdb.c rdbSaveObject, t_stream.c streamAppendItem):
//   stream  := length(nodes) { string(u128be master ID) string(listpack) }*
//              length(entries) length(last ms) length(last seq)
//              [19: length(first ms) length(first seq) length(max-deleted ms)
//                   length(max-deleted seq) length(entries added)]
//              length(groups) group*
//   group   := string(name) length(last-delivered ms) length(seq)
//              [19: length(entries read)] length(pel) pending* length(consumers) consumer*
//   pending := u128be(ID) u64le(delivery time ms) length(delivery count)
//   consumer:= string(name) u64le(seen time ms) length(pel) u128be(ID)*
//   listpack node := master entry, then entries:
//     master := count deleted num-fields field* 0
//     entry  := flags ms-diff seq-diff [num-fields] {[field] value}* lp-count
//               flags: 1 deleted, 2 same fields as the master (fields omitted)
// Entries are written as XADD appends them: a node takes an entry while
// its bytes + the entry's field and value bytes < 4096 and it holds fewer
// than 100 entries (stream-node-max-bytes / -entries defaults); the master
// fields are those of the node's first entry. A stream that never had XDEL
// or trimming inside a node therefore dumps byte-identical to Redis's.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "codec/layout.h"
#include "codec/rdb_primitives.h"
#include "codec/stream_codec.h"
#include "common/status.h"

namespace strata::codec::rdb {

struct RdbStreamEntry {
  StreamId id;
  StreamFields fields{};
};
struct RdbStreamPending {
  StreamId id;
  uint64_t delivery_ms = 0;
  uint64_t delivery_count = 0;
  std::string consumer{};
};
struct RdbStreamConsumer {
  std::string name;
  uint64_t seen_ms = 0;
};
struct RdbStreamGroup {
  std::string name;
  StreamId last_id;
  int64_t entries_read = -1;
  std::vector<RdbStreamPending> pel{};         // ascending IDs, each owned by a consumer
  std::vector<RdbStreamConsumer> consumers{};  // by name
};
struct RdbStream {
  std::vector<RdbStreamEntry> entries{};  // ascending IDs
  StreamMeta meta{};                      // last/first/max-deleted IDs, entries added
  std::vector<RdbStreamGroup> groups{};   // by name
};

// Appends the body of a type-19 object.
void EncodeStream(const RdbStream& s, bool compress, std::string* out);
// Reads the body of a type 15 or 19 object; false on malformed input.
bool DecodeStream(Reader& r, bool v2, RdbStream* s);

}  // namespace strata::codec::rdb
