// String operations of the engine: the storage side of GET, SET, INCRBY,
// MGET and MSET. Each call is one command: it locks its keys, reads through
// KeyAccess, and commits one batch. No RESP here: results are values and
// Statuses (kWrongType, kNotInteger, kOverflow, kWouldBlock, ...).
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

// kNotFound when the key is absent; kWrongType when it is not a string.
StatusOr<std::string> GetString(Engine& engine, OpContext& ctx, std::string_view key);

struct SetOptions {
  enum class Condition : unsigned char { kAlways, kIfAbsent /*NX*/, kIfPresent /*XX*/ };
  Condition condition = Condition::kAlways;
  uint64_t expire_at_ms = 0;  // absolute; 0: no expiry (unless keep_ttl)
  bool keep_ttl = false;
  bool get_old = false;  // SET ... GET: report the old value (kWrongType if not a string)
};

struct SetResult {
  bool written = false;
  std::optional<std::string> old_value;  // with get_old
};

StatusOr<SetResult> SetString(Engine& engine, OpContext& ctx, std::string_view key,
                              std::string_view value, const SetOptions& options);

// INCRBY: the new value. A missing key counts as 0; the key's TTL is kept.
StatusOr<int64_t> IncrBy(Engine& engine, OpContext& ctx, std::string_view key, int64_t delta);

// MGET: one entry per key; nullopt where absent or not a string.
StatusOr<std::vector<std::optional<std::string>>> MultiGet(Engine& engine, OpContext& ctx,
                                                           std::span<const std::string_view> keys);

// MSET: sets every pair atomically (later pairs win for repeated keys); clears TTLs.
Status MultiSet(Engine& engine, OpContext& ctx,
                std::span<const std::pair<std::string_view, std::string_view>> pairs);

}  // namespace strata::engine
