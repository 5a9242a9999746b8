// Redis's maxmemory-policy for Strata's key-deleting eviction, and the
// choice of which sampled key to delete (Redis's evictionPoolPopulate).
//
// Each sampled key gets a score, higher meaning "delete first", as Redis's
// `idle` in evict.c:
//   *-lru:    milliseconds since the last access;
//   *-lfu:    255 - the LFU counter decayed to now (engine/lfu.h);
//   volatile-ttl: UINT64_MAX - the expiry time (sooner expiry first);
//   *-random: no pool; the first sampled key is deleted.
// Keys not in RAM have no access bookkeeping (engine/access_ops.h): they
// count as idle forever (LRU: UINT64_MAX) and freq 0 (LFU: 255), so keys
// never used since start go first, as the tier already judged them cold.
// The pool keeps the kEvictionPoolSize best candidates across samplings, so
// a few samples per round still converge on the globally idlest keys.
//
// Pure code: no I/O, no locks; the caller owns a pool per thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/lfu.h"

namespace strata::engine {

enum class EvictionPolicy : unsigned char {
  kVolatileLru,
  kVolatileLfu,
  kVolatileRandom,
  kVolatileTtl,
  kAllKeysLru,
  kAllKeysLfu,
  kAllKeysRandom,
  kNoEviction,
};

// Redis's names, in Redis's order (its error message lists them so).
inline constexpr std::string_view kEvictionPolicyNames[] = {
    "volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl",
    "allkeys-lru",  "allkeys-lfu",  "allkeys-random",  "noeviction",
};

std::optional<EvictionPolicy> ParseEvictionPolicy(std::string_view name);  // case-insensitive
std::string_view EvictionPolicyName(EvictionPolicy p);

inline bool IsLfu(EvictionPolicy p) {
  return p == EvictionPolicy::kVolatileLfu || p == EvictionPolicy::kAllKeysLfu;
}
inline bool IsVolatile(EvictionPolicy p) {
  return p <= EvictionPolicy::kVolatileTtl;
}
inline bool IsRandom(EvictionPolicy p) {
  return p == EvictionPolicy::kVolatileRandom || p == EvictionPolicy::kAllKeysRandom;
}

// What eviction knows of one sampled key.
struct EvictionSample {
  std::string meta_key;
  bool in_ram = false;
  uint64_t last_access_ms = 0;  // in_ram only
  uint8_t lfu_counter = 0;      // in_ram only, as of last_access_ms
  uint64_t expire_ms = 0;       // 0: no TTL
};

// The sample's score under `policy` at `now_ms` (higher: delete first).
// REQUIRES: policy is an LRU, LFU or TTL policy.
uint64_t EvictionScore(EvictionPolicy policy, const EvictionSample& s, uint64_t now_ms,
                       const LfuParams& lfu);

inline constexpr size_t kEvictionPoolSize = 16;  // Redis's EVPOOL_SIZE

// The best candidates seen so far, by score.
class EvictionPool {
 public:
  // Keeps (key, score) if the pool has room or it beats the worst kept;
  // a key already in the pool has its score updated.
  void Offer(std::string meta_key, uint64_t score);
  // Removes and returns the best candidate, or nullopt when empty.
  std::optional<std::string> PopBest();
  size_t size() const { return entries_.size(); }
  void Clear() { entries_.clear(); }

 private:
  struct Candidate {
    uint64_t score;
    std::string meta_key;
  };
  std::vector<Candidate> entries_;  // ascending score: best at the back
};

}  // namespace strata::engine
