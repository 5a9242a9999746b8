// InstantMetrics: the "instantaneous" rates of INFO stats
// (instantaneous_ops_per_sec, instantaneous_input_kbps, ...), as Redis
// computes them: the server cron samples each counter every 100 ms, turns
// the difference into a per-second rate, and INFO reports the mean of the
// last 16 rates (about the last 1.6 seconds).
//
// Thread-safety: Sample() from the cron; Rate() from any thread.
#pragma once

#include <array>
#include <cstdint>
#include <mutex>

namespace strata::server {

enum class InstantMetric : int { kCommands = 0, kNetInput = 1, kNetOutput = 2, kCount = 3 };

class InstantMetrics {
 public:
  static constexpr int kSamples = 16;

  // Records `reading`, the counter's current total, at `now_ms`.
  void Sample(InstantMetric metric, uint64_t reading, uint64_t now_ms);
  // The mean per-second rate over the last kSamples samples.
  uint64_t Rate(InstantMetric metric) const;

 private:
  struct Series {
    std::array<uint64_t, kSamples> rates{};
    int next = 0;
    uint64_t last_ms = 0;
    uint64_t last_reading = 0;
  };
  mutable std::mutex mu_;
  std::array<Series, static_cast<int>(InstantMetric::kCount)> series_;  // GUARDED_BY(mu_)
};

}  // namespace strata::server
