// HyperLogLog operations of the engine: the storage side of PFADD, PFCOUNT,
// PFMERGE and PFDEBUG. An HLL is an ordinary string key whose bytes are
// Redis's HYLL representation (codec/hyperloglog.h), so GET, SET, DUMP and
// RESTORE carry it unchanged. Each call is one command over KeyAccess: read
// the value, change it with the codec, write it back in one batch.
//
// Values are written back as codec::StringRepr::kRaw, as Redis holds an HLL
// it created or modified (dbUnshareStringValue); PFCOUNT and PFDEBUG, which
// unshare the value even when they change nothing, rewrite a value stored
// with another repr so OBJECT ENCODING says "raw" afterwards, as in Redis.
// TTLs are kept.
//
// Errors: kWrongType for a key of another type; kInvalidArgument carrying
// kNotHllError for a string that is not an HLL and kCorruptHllError for an
// HLL whose sparse runs do not cover 16384 registers (Redis's texts);
// kWouldBlock (inline, not in memory) before any side effect.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "common/status.h"
#include "engine/op_context.h"

namespace strata::engine {

class Engine;

inline constexpr std::string_view kNotHllError =
    "WRONGTYPE Key is not a valid HyperLogLog string value.";
inline constexpr std::string_view kCorruptHllError = "INVALIDOBJ Corrupted HLL object detected";

// PFADD: true when a register changed or the key was created. As Redis, a
// corrupt value fails the command but keeps the updates of the elements
// before the one that found the corruption.
StatusOr<bool> PfAdd(Engine& engine, OpContext& ctx, std::string_view key,
                     std::span<const std::string_view> elements, uint64_t sparse_max_bytes);

// PFCOUNT of one key: the cached cardinality, or the estimate, which is then
// cached in the value (a write). 0 for a missing key. Several keys: the
// estimate of their union, read-only; missing keys count as empty.
StatusOr<uint64_t> PfCount(Engine& engine, OpContext& ctx, std::span<const std::string_view> keys);

// PFMERGE: `dest` becomes the union of itself and `sources` (created when
// missing; dense when any input is dense).
Status PfMerge(Engine& engine, OpContext& ctx, std::string_view dest,
               std::span<const std::string_view> sources, uint64_t sparse_max_bytes);

// PFDEBUG's view of a key: its value after the optional conversion to dense
// (GETREG, TODENSE), and whether that conversion happened. kNotFound for a
// missing key.
struct PfDebugValue {
  std::string hll;
  bool converted = false;
};
StatusOr<PfDebugValue> PfDebugRead(Engine& engine, OpContext& ctx, std::string_view key,
                                   bool to_dense);

}  // namespace strata::engine
