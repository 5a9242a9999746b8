// Expiry operations of the engine: setting, reading and removing a key's TTL
// (EXPIRE family, TTL family, PERSIST), and deleting due keys from the expiry
// index for the active expiry cycle (ttl/active_expiry.h).
//
// The expiry index ("expiry" family, key u64(expire ms) MetaKey) is kept in
// step with metadata by KeyAccess in the same batch; it is a hint: the cycle
// verifies every entry against the key's metadata and drops stale entries
// (e.g. left behind by FLUSHDB's range deletion).
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>

#include "common/status.h"
#include "engine/op_context.h"

namespace strata::engine {

class Engine;

// EXPIRE's NX / XX / GT / LT flags; XX may combine with GT or LT, as in Redis.
struct ExpireCondition {
  bool nx = false, xx = false, gt = false, lt = false;
};

// Sets the key's expiry to the absolute time `at_ms` (may be negative) under
// `condition`. Returns whether it was set; a time not after now deletes the
// key, as Redis does, and counts as set. A missing key returns false.
StatusOr<bool> SetExpire(Engine& engine, OpContext& ctx, std::string_view key, int64_t at_ms,
                         ExpireCondition condition);

// The key's absolute expiry in ms: -2 when the key does not exist, -1 when it
// has no expiry.
StatusOr<int64_t> GetExpire(Engine& engine, OpContext& ctx, std::string_view key);

// Deletes `key` of logical database `db` if its TTL has passed (lazy expiry
// for a reader, which does not delete; engine/key_events.h). Returns whether
// this call deleted it.
StatusOr<bool> ExpireIfDue(Engine& engine, OpContext& ctx, int db, std::string_view key);

// Removes the key's expiry; returns whether it had one.
StatusOr<bool> Persist(Engine& engine, OpContext& ctx, std::string_view key);

struct ExpireStep {
  uint64_t expired = 0;  // keys deleted because their TTL passed
  uint64_t stale = 0;    // index entries that no longer matched a key
  uint64_t scanned = 0;  // index entries looked at
  bool more = false;     // due entries remain (the budget ran out)
};

// Called with (logical db, key) for every key the cycle deletes, after the
// deletion is committed (keyspace events hook in here).
using ExpiredKeyFn = std::function<void(int db, std::string_view key)>;

// Deletes up to `budget` keys whose expiry is at or before `now_ms`, each
// through KeyAccess (locked, one logged batch per key), so expired keys leave
// the WAL like any deletion and replicas see them.
//
// `resume` (in/out) is where the previous step stopped in the expiry index:
// the step seeks there instead of to the head, because the head of the index
// is a run of the tombstones that earlier steps left, and skipping them again
// on every step makes a burst of N expiries cost O(N^2). Pass "" to start at
// the head (the cycle does so at the start of each cycle, so entries added
// behind the position are never missed for long).
StatusOr<ExpireStep> DeleteDueKeys(Engine& engine, uint64_t now_ms, size_t budget,
                                   const ExpiredKeyFn& on_expired, std::string* resume);

}  // namespace strata::engine
