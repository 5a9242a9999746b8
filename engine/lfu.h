// Redis's LFU counter (evict.c), kept per cached key by the hot tier for
// OBJECT FREQ and the allkeys-lfu / volatile-lfu eviction policies.
//
// The counter is 8 bits and logarithmic: a new object starts at
// kLfuInitValue (5) so that it is not evicted before it had a chance to be
// used; each access increments it with probability
//     1 / ((counter - kLfuInitValue) * lfu-log-factor + 1)
// (always below the initial value), so with the default factor 10 it takes
// about a million accesses to reach 255. It decays by one for every
// `lfu-decay-time` minutes since the key was last accessed (0: never), the
// minutes counted on the wall clock as Redis's LFUGetTimeInMinutes does.
// An access first applies the decay, then the increment (Redis's updateLFU);
// OBJECT FREQ reports the decayed value without changing it.
//
// Pure functions; the randomness is passed in so that tests are exact.
#pragma once

#include <cstdint>

namespace strata::engine {

inline constexpr uint8_t kLfuInitValue = 5;  // Redis's LFU_INIT_VAL

struct LfuParams {
  int log_factor = 10;  // lfu-log-factor
  int decay_time = 1;   // lfu-decay-time, minutes per decrement (0: no decay)
};

// The counter after the decay due at `now_ms` for a key last accessed at
// `last_access_ms` (Redis's LFUDecrAndReturn).
inline uint8_t LfuDecayed(uint8_t counter, uint64_t last_access_ms, uint64_t now_ms,
                          const LfuParams& p) {
  if (p.decay_time <= 0 || now_ms <= last_access_ms) return counter;
  uint64_t minutes = now_ms / 60000 - last_access_ms / 60000;
  uint64_t periods = minutes / static_cast<uint64_t>(p.decay_time);
  return periods >= counter ? 0 : static_cast<uint8_t>(counter - periods);
}

// One logarithmic increment (Redis's LFULogIncr); `r` is uniform in [0, 1).
inline uint8_t LfuLogIncr(uint8_t counter, int log_factor, double r) {
  if (counter == 255) return 255;
  double base = counter > kLfuInitValue ? counter - kLfuInitValue : 0;
  double p = 1.0 / (base * log_factor + 1);
  return r < p ? static_cast<uint8_t>(counter + 1) : counter;
}

// An access at `now_ms`: decay, then increment (Redis's updateLFU).
inline uint8_t LfuOnAccess(uint8_t counter, uint64_t last_access_ms, uint64_t now_ms,
                           const LfuParams& p, double r) {
  return LfuLogIncr(LfuDecayed(counter, last_access_ms, now_ms, p), p.log_factor, r);
}

}  // namespace strata::engine
