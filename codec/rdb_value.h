// One value in Redis's RDB object serialisation: what DUMP writes, RESTORE
// reads, DEBUG OBJECT measures (serializedlength) and strata-rdb will walk.
// Pure functions, no I/O; the engine (engine/dump_ops.h) turns stored keys
// into RdbValue and back.
//
// WRITING is what Redis 7.0.15 writes (RDB version 10), given the encoding
// Redis would hold (RdbValue::big_encoding, the engine's MetaValue flag):
//   string  0   integer-encoded / LZF / plain (codec/rdb_primitives.h)
//   list    18  quicklist 2: nodes of listpacks, split as Redis splits an
//               RPUSH-built list (list-max-listpack-size -2: a node takes an
//               element while its bytes + element + 8 <= 8192)
//   set     11  intset (small) | 2 hashtable: length, members
//   zset    17  listpack member,score... ascending (small; scores as d2string)
//           5   skiplist: length, then member + binary double, highest first
//   hash    16  listpack field,value... (small) | 4 hashtable: length, pairs
//   stream  19  listpacks 2 (codec/rdb_stream.h)
// Listpack and intset blobs are strings, so LZF applies to them as well.
// Byte-identical with redis-server when Redis holds the same element order:
// strings, intsets, sorted sets, RPUSH-built lists. Hashes come out in field
// byte order (Redis keeps a listpack hash in insertion order) and hashtable
// sets and hashes in byte order (Redis: dict order): the same value, other bytes.
//
// READING accepts every object encoding Redis 2.x-7.0 writes: besides the
// above, list 1 (linked list) / 10 (ziplist) / 14 (quicklist of ziplists),
// zset 3 (text doubles) / 12 (ziplist), hash 9 (zipmap) / 13 (ziplist).
// Streams 15 and 19 are read (codec/rdb_stream.h); modules (6, 7) are refused. Every container is
// fully validated (codec/rdb_blobs.h); duplicates, NaN scores, odd pair counts and empty
// collections are refused, as Redis's sanitising loader refuses them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "codec/layout.h"
#include "codec/rdb_primitives.h"
#include "codec/rdb_stream.h"
#include "common/status.h"

namespace strata::codec::rdb {

// RDB object type bytes (rdb.h).
enum ObjectType : uint8_t {
  kTypeString = 0,
  kTypeList = 1,
  kTypeSet = 2,
  kTypeZset = 3,
  kTypeHash = 4,
  kTypeZset2 = 5,
  kTypeModule = 6,
  kTypeModule2 = 7,
  kTypeHashZipmap = 9,
  kTypeListZiplist = 10,
  kTypeSetIntset = 11,
  kTypeZsetZiplist = 12,
  kTypeHashZiplist = 13,
  kTypeListQuicklist = 14,
  kTypeStreamListpacks = 15,
  kTypeHashListpack = 16,
  kTypeZsetListpack = 17,
  kTypeListQuicklist2 = 18,
  kTypeStreamListpacks2 = 19,
};

struct RdbValue {
  ValueType type = ValueType::kString;
  // Sets, hashes, zsets: Redis holds the hashtable/skiplist encoding. On
  // read: whether the payload used it (the engine decides anew by content).
  bool big_encoding = false;
  std::string string{};                                      // string
  std::vector<std::string> elements{};                       // list (in order), set members
  std::vector<std::pair<std::string, std::string>> pairs{};  // hash fields and values
  std::vector<std::pair<std::string, double>> scored{};      // zset, ascending (score, member)
  RdbStream stream{};                                        // stream
};

// What DEBUG OBJECT reports about a list's quicklist.
struct EncodeInfo {
  uint64_t list_nodes = 0;
  uint64_t elements = 0;
  uint64_t list_bytes = 0;  // sum of the nodes' listpack sizes
};

// The object type byte followed by the body (rdbSaveObjectType +
// rdbSaveObject).
StatusOr<std::string> EncodeObject(const RdbValue& v, bool compress, EncodeInfo* info = nullptr);
// DUMP's payload: EncodeObject with compression, then the footer.
StatusOr<std::string> EncodeDump(const RdbValue& v);

// The body of one object of RDB type `type` at the reader's position.
// kCorruption on malformed input.
StatusOr<RdbValue> DecodeObject(uint8_t type, Reader& r);
// RESTORE's payload: the footer is checked ("ERR DUMP payload version or
// checksum are wrong"), then one object; anything malformed is
// "ERR Bad data format" (a client error with that text). Bytes after the
// object are ignored, as Redis ignores them.
StatusOr<RdbValue> DecodeDump(std::string_view payload);

// Redis's d2string: how a listpack zset stores a score.
std::string D2String(double v);

}  // namespace strata::codec::rdb
