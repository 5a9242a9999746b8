// Keyspace operations of the engine: DEL, EXISTS, TYPE, FLUSHDB, FLUSHALL.
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

// Deletes the live keys among `keys`; returns how many were deleted. O(1) per
// key whatever its size: sub-keys are reclaimed by the GC compaction filter.
StatusOr<int64_t> DeleteKeys(Engine& engine, OpContext& ctx, std::span<const std::string_view> keys);

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

}  // namespace strata::engine
