// String operations of the engine: the storage side of GET, SET, GETEX,
// GETDEL, the INCR family, INCRBYFLOAT, MGET, MSET, MSETNX, APPEND, STRLEN,
// GETRANGE, SETRANGE and LCS's reads. Each call is one command: it locks its
// keys, reads through KeyAccess, and commits one batch. Values may be inline
// or chunked (engine/chunked_string.h); callers never see the difference.
// No RESP here: results are values and Statuses (kWrongType, kNotInteger,
// kNotFloat, kOverflow, kOutOfRange, kWouldBlock, ...).
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

// GETEX / GETDEL: the value (kNotFound, kWrongType), then what happens to the key.
struct GetUpdate {
  enum class Action : unsigned char { kKeep, kExpireAt, kPersist, kDelete };
  Action action = Action::kKeep;
  uint64_t expire_at_ms = 0;  // kExpireAt; at or before the command's clock deletes the key
  bool* persisted = nullptr;  // out (kPersist), if set: whether a TTL was removed
};
StatusOr<std::string> GetAndUpdate(Engine& engine, OpContext& ctx, std::string_view key,
                                   const GetUpdate& update);

// INCRBY: the new value. A missing key counts as 0; the key's TTL is kept.
StatusOr<int64_t> IncrBy(Engine& engine, OpContext& ctx, std::string_view key, int64_t delta);

// INCRBYFLOAT: the new value as Redis formats it. `increment` is parsed after
// the type check (as Redis orders its errors): kNotFloat for a bad stored
// value or increment, kOverflow when the result is NaN or infinite.
StatusOr<std::string> IncrByFloat(Engine& engine, OpContext& ctx, std::string_view key,
                                  std::string_view increment);

// MGET: one entry per key; nullopt where absent or not a string.
StatusOr<std::vector<std::optional<std::string>>> MultiGet(Engine& engine, OpContext& ctx,
                                                           std::span<const std::string_view> keys);

// MSET (and MSETNX with only_if_none_exist): sets every pair atomically
// (later pairs win for repeated keys); clears TTLs. Returns false when
// MSETNX found a key and wrote nothing.
StatusOr<bool> MultiSet(Engine& engine, OpContext& ctx,
                        std::span<const std::pair<std::string_view, std::string_view>> pairs,
                        bool only_if_none_exist = false);

// STRLEN: the length in bytes (kNotFound, kWrongType). Never reads chunks.
StatusOr<uint64_t> StringLength(Engine& engine, OpContext& ctx, std::string_view key);

// APPEND: the new length. kOutOfRange when it would pass `max_length`
// (proto-max-bulk-len). Touches only the last chunk(s) of a chunked string.
StatusOr<uint64_t> Append(Engine& engine, OpContext& ctx, std::string_view key,
                          std::string_view value, uint64_t max_length);

// GETRANGE: bytes start..end (inclusive, negative from the end); "" for a
// missing key (kWrongType otherwise). Reads only the chunks of the range.
StatusOr<std::string> GetRange(Engine& engine, OpContext& ctx, std::string_view key, int64_t start,
                               int64_t end);

// SETRANGE: the new length. An empty `value` changes nothing (and creates no
// key); kOutOfRange when offset + size would pass `max_length`.
StatusOr<uint64_t> SetRange(Engine& engine, OpContext& ctx, std::string_view key, uint64_t offset,
                            std::string_view value, uint64_t max_length);

// LCS's input: both strings ("" for a missing key); kWrongType if either
// key holds another type.
StatusOr<std::pair<std::string, std::string>> GetTwoStrings(Engine& engine, OpContext& ctx,
                                                            std::string_view key1,
                                                            std::string_view key2);

}  // namespace strata::engine
