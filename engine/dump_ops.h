// DUMP, RESTORE, DEBUG OBJECT's and DEBUG DIGEST's storage side: a whole key of any type
// read into the RDB value model (codec/rdb_value.h) and one written back as
// a new key, through KeyAccess only (sub-keys via its ScanSub/PutSub, as
// every type operation; collection_ops.h ReadAll is the one whole-object read).
//
// A restored collection gets a fresh object id; its encoding flag
// (MetaValue::big_encoding) is decided as Redis 7.0's loader converts a
// loaded value, with the limits the type operations apply (hash_ops.h,
// set_ops.h, zset_object.h): see BigEncoding in dump_ops.cc. A stream
// carries its metadata (last/first/max-deleted IDs, entries added) and its
// consumer groups with their PELs and consumers.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "codec/rdb_value.h"
#include "common/status.h"
#include "engine/keyspace_ops.h"
#include "engine/op_context.h"

namespace strata::engine {

class Engine;

// DUMP's payload of `key`; kNotFound when it does not exist.
StatusOr<std::string> DumpKey(Engine& engine, OpContext& ctx, std::string_view key);

// What DEBUG OBJECT reports: the OBJECT ENCODING/REFCOUNT view, the length
// of the value's RDB serialisation (rdbSavedObjectLen: the body, without the
// type byte, compressed as RDB saves it) and, for lists, the quicklist shape.
struct SerializedInfo {
  ObjectInfo object;
  uint64_t serialized_length = 0;
  codec::rdb::EncodeInfo list;
};
StatusOr<SerializedInfo> DescribeSerialized(Engine& engine, OpContext& ctx, std::string_view key);

// A key's whole value and its expiry (0: none), as DEBUG DIGEST-VALUE reads
// it; kNotFound when the key does not exist.
struct KeyValue {
  codec::rdb::RdbValue value;
  uint64_t expire_ms = 0;
};
StatusOr<KeyValue> ReadKeyValue(Engine& engine, OpContext& ctx, std::string_view key);

struct RestoreRequest {
  uint64_t expire_ms = 0;  // absolute; 0: no expiry
  bool replace = false;
  // IDLETIME / FREQ: the restored key's access bookkeeping in the hot tier
  // (engine/access_ops.h), when the tier holds it after the write.
  bool set_idle = false;
  uint64_t idle_ms = 0;
  int lfu_freq = -1;  // 0..255, -1: not given
};
enum class RestoreOutcome : unsigned char {
  kRestored,        // the key now holds the value
  kBusyKey,         // the key exists and !replace: nothing changed
  kExpiredDeleted,  // already expired: the replaced key was deleted ("del")
  kExpired,         // already expired, nothing existed: nothing changed
};
// RESTORE of a decoded value (codec::rdb::DecodeDump). Expiry is checked against ctx.now_ms.
StatusOr<RestoreOutcome> RestoreKey(Engine& engine, OpContext& ctx, std::string_view key,
                                    const codec::rdb::RdbValue& value, const RestoreRequest& req);

}  // namespace strata::engine
