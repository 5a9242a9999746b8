// What the engine knows about a key's use and size, without it counting as
// a use: OBJECT FREQ, OBJECT IDLETIME and MEMORY USAGE, and the estimate of
// one key's in-memory size that the key-deleting evictor sums into the
// dataset size (engine/eviction.h).
//
// KEYS IN RAM report the hot tier's own bookkeeping (engine/hot_tier.h):
// idle time since the last access, Redis's LFU counter decayed to now, and
// the tier's charge for the object. KEYS NOT IN RAM have no bookkeeping (the
// tier's memory is bounded by what it caches, not by the dataset), so:
//   - IDLETIME is the time since the hot tier started (the server started):
//     the key was not used since, or not recently enough to stay in RAM;
//   - FREQ is 0, a fully decayed counter: the key is cold;
//   - MEMORY USAGE is the estimate below of what it would cost in RAM.
// Eviction scores keys the same way, so a key never read since start is the
// first candidate under every LRU/LFU policy (it counts as idle forever).
//
// MEMORY ESTIMATE of a key from its metadata alone (no sub-key is read): the
// tier's per-object charge (entry, decoded metadata, key) plus the value
// bytes for a string (inline or chunked), or `count` elements of
// kElementBytes each for a collection (a Redis listpack or hashtable entry
// with a short member is 20..60 bytes). For a cached key the tier's charge
// is used when it is larger (a decoded collection body). SAMPLES is accepted
// and validated by MEMORY USAGE but not needed: counts are exact.
#pragma once

#include <cstdint>
#include <string_view>

#include "codec/layout.h"
#include "common/status.h"
#include "engine/op_context.h"

namespace strata::engine {

class Engine;

inline constexpr uint64_t kElementBytes = 48;

// Estimated bytes the key would take in RAM (pure; see above).
uint64_t EstimateKeyMemory(std::string_view meta_key, const codec::MetaValue& meta);

struct KeyUsage {
  bool in_ram = false;   // the hot tier holds the key
  uint64_t idle_ms = 0;  // since the last access (see above for keys not in RAM)
  uint8_t lfu_freq = 0;  // Redis's LFU counter, decayed to now
  uint64_t memory = 0;   // MEMORY USAGE's figure
};

// The key's usage, read without counting as an access (Redis's
// LOOKUP_NOTOUCH). kNotFound when the key does not exist.
StatusOr<KeyUsage> InspectKey(Engine& engine, OpContext& ctx, std::string_view key);

}  // namespace strata::engine
