// Keyspace operations of the engine: DEL, EXISTS, TYPE, FLUSHDB, FLUSHALL,
// SWAPDB and OBJECT ENCODING/REFCOUNT. (RENAME, MOVE, COPY: key_move_ops.h;
// SCAN, KEYS, RANDOMKEY: scan_ops.h.)
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "codec/layout.h"
#include "common/status.h"
#include "engine/op_context.h"

namespace strata::engine {

class Engine;

// Deletes the live keys among `keys`; returns how many were deleted (and,
// if `deleted` is set, appends them to it). O(1) per key whatever its size:
// sub-keys are reclaimed by the GC compaction filter.
StatusOr<int64_t> DeleteKeys(Engine& engine, OpContext& ctx, std::span<const std::string_view> keys,
                             std::vector<std::string_view>* deleted = nullptr);

// Counts the live keys among `keys`, a repeated key counted each time.
StatusOr<int64_t> CountExisting(Engine& engine, OpContext& ctx,
                                std::span<const std::string_view> keys);

// The key's type, or nullopt when it does not exist.
StatusOr<std::optional<codec::ValueType>> KeyType(Engine& engine, OpContext& ctx,
                                                  std::string_view key);

// Removes every key of the context's database (FLUSHDB) or of all (FLUSHALL):
// a range deletion under the exclusive database gate.
Status FlushDatabase(Engine& engine, OpContext& ctx);
Status FlushAllDatabases(Engine& engine, OpContext& ctx);
// DEBUG RELOAD: under the exclusive gate, syncs the WAL, flushes every
// memtable to SST files and empties the hot tier, so that the next reads of
// every key come from RocksDB's files. Blocking only (kWouldBlock inline).
Status ReloadFromDisk(Engine& engine, OpContext& ctx);

// SWAPDB: swaps two logical databases in O(1) by swapping their entries in
// the persistent logical->physical map (codec/layout.h, decision 3), with
// their key and TTL counts, under the exclusive database gate. No key,
// objects or expiry record moves: they are addressed by physical id. The keys
// blocked clients wait on in either database are signaled (ready_keys.h).
// REQUIRES: both are valid logical databases (equal ones are a no-op).
Status SwapDatabases(Engine& engine, OpContext& ctx, int a, int b);

// What OBJECT ENCODING and OBJECT REFCOUNT report for a key.
struct ObjectInfo {
  std::string_view encoding;  // Redis 7.0's name: "int", "embstr", "raw", ...
  int64_t refcount = 1;       // INT_MAX for Redis's shared integers 0..9999
};
// kNotFound when the key does not exist; kNotSupported for types whose
// encoding their own module decides (hash, set, zset; not stored yet).
StatusOr<ObjectInfo> DescribeObject(Engine& engine, OpContext& ctx, std::string_view key);
// The same, for a decoded value (pure; used by tests).
StatusOr<ObjectInfo> DescribeValue(const codec::MetaValue& value);

}  // namespace strata::engine
