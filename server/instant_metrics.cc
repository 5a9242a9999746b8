// Instantaneous rates for INFO; see instant_metrics.h.
#include "server/instant_metrics.h"

namespace strata::server {

void InstantMetrics::Sample(InstantMetric metric, uint64_t reading, uint64_t now_ms) {
  std::lock_guard lock(mu_);
  Series& s = series_[static_cast<int>(metric)];
  uint64_t elapsed = now_ms > s.last_ms ? now_ms - s.last_ms : 0;
  uint64_t delta = reading >= s.last_reading ? reading - s.last_reading : 0;  // RESETSTAT
  s.rates[s.next] = s.last_ms != 0 && elapsed > 0 ? delta * 1000 / elapsed : 0;
  s.next = (s.next + 1) % kSamples;
  s.last_ms = now_ms;
  s.last_reading = reading;
}

uint64_t InstantMetrics::Rate(InstantMetric metric) const {
  std::lock_guard lock(mu_);
  const Series& s = series_[static_cast<int>(metric)];
  uint64_t sum = 0;
  for (uint64_t r : s.rates) sum += r;
  return sum / kSamples;
}

}  // namespace strata::server
