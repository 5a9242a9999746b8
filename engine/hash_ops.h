// Hash operations of the engine: the storage side of HSET, HSETNX, HGET,
// HMGET, HGETALL/HKEYS/HVALS, HDEL, HEXISTS, HLEN, HSTRLEN, HINCRBY,
// HINCRBYFLOAT, HRANDFIELD and HSCAN. A hash is a collection (codec/layout.h):
// metadata with the field count, fields in "hash_fields" (field -> value)
// under its object id, read and written only through KeyAccess. Point
// operations are one GetSub; HLEN reads only metadata.
//
// ENCODING. meta.big_encoding is set exactly when Redis 7.0.15 would convert
// the hash from listpack to hashtable, which it never undoes: when a field or
// value longer than kHashMaxListpackValue bytes is written (HSET/HMSET check
// every argument, even of fields that exist; HSETNX, HINCRBY and HINCRBYFLOAT
// the pair they write), or the hash grows past kHashMaxListpackEntries fields.
// OBJECT ENCODING reports it (engine/keyspace_ops.cc).
//
// No RESP here: results and Statuses. kWrongType for another type;
// HashIncrBy/HashIncrByFloat return kNotInteger/kNotFloat when the STORED
// value is not a number (the handler parsed the increment), kOverflow when
// the result does not fit (or is NaN/infinite).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "engine/op_context.h"

namespace strata::engine {

class Engine;

// Redis 7.0.15's compiled-in defaults of hash-max-listpack-entries / -value
// (config.c: 512 and 64; the sample redis.conf lowers entries to 128, but a
// server started without it, as the differential tests do, uses 512).
inline constexpr uint64_t kHashMaxListpackEntries = 512;
inline constexpr uint64_t kHashMaxListpackValue = 64;

using FieldValues = std::vector<std::pair<std::string, std::string>>;
using FieldValueViews = std::span<const std::pair<std::string_view, std::string_view>>;

// HSET/HMSET: the number of fields created (later pairs win for a repeated field).
StatusOr<int64_t> HashSet(Engine& engine, OpContext& ctx, std::string_view key,
                          FieldValueViews pairs);
// HSETNX: whether the field was created.
StatusOr<bool> HashSetIfAbsent(Engine& engine, OpContext& ctx, std::string_view key,
                               std::string_view field, std::string_view value);
// HGET: kNotFound when the key or the field is absent.
StatusOr<std::string> HashGet(Engine& engine, OpContext& ctx, std::string_view key,
                              std::string_view field);
// HMGET: one entry per field (all nullopt for a missing key).
StatusOr<std::vector<std::optional<std::string>>> HashMultiGet(
    Engine& engine, OpContext& ctx, std::string_view key, std::span<const std::string_view> fields);
// HGETALL/HKEYS/HVALS: every field and value in field order (empty for a missing key).
StatusOr<FieldValues> HashGetAll(Engine& engine, OpContext& ctx, std::string_view key);
// HDEL: the number of fields removed; the key goes when its last field does.
StatusOr<int64_t> HashDelete(Engine& engine, OpContext& ctx, std::string_view key,
                             std::span<const std::string_view> fields);
// HEXISTS.
StatusOr<bool> HashExists(Engine& engine, OpContext& ctx, std::string_view key,
                          std::string_view field);
// HLEN: the field count from metadata (0 for a missing key).
StatusOr<uint64_t> HashLength(Engine& engine, OpContext& ctx, std::string_view key);
// HSTRLEN: the value's length (0 for a missing key or field).
StatusOr<uint64_t> HashValueLength(Engine& engine, OpContext& ctx, std::string_view key,
                                   std::string_view field);
// HINCRBY: the new value (a missing field counts as 0).
StatusOr<int64_t> HashIncrBy(Engine& engine, OpContext& ctx, std::string_view key,
                             std::string_view field, int64_t delta);
// HINCRBYFLOAT: the new value, formatted as Redis does (ld2string, human mode).
StatusOr<std::string> HashIncrByFloat(Engine& engine, OpContext& ctx, std::string_view key,
                                      std::string_view field, long double delta);
// HRANDFIELD: nullopt for a missing key; else random fields with values
// (engine/collection_ops.h): `distinct` gives min(count, size) different
// fields, otherwise exactly `count` picks with repetition.
StatusOr<std::optional<FieldValues>> HashRandomFields(Engine& engine, OpContext& ctx,
                                                      std::string_view key, uint64_t count,
                                                      bool distinct);
// HSCAN: a page from field `start` ("" = the first); see ScanPage.
struct HashScanPage {
  FieldValues entries;
  std::string next;  // resume at this field, unless done
  bool done = true;
};
StatusOr<HashScanPage> HashScan(Engine& engine, OpContext& ctx, std::string_view key,
                                std::string_view start, uint64_t count);

}  // namespace strata::engine
