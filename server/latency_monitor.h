// LatencyMonitor: Redis's latency monitor (LATENCY LATEST/HISTORY/RESET/
// DOCTOR). Each named event ("command", "fast-command", ...) keeps its last
// 160 samples, one per second (the worst of that second), plus its all-time
// maximum. Events are recorded only when `latency-monitor-threshold` is
// non-zero and the latency reaches it.
//
// Thread-safety: all methods are safe from any thread.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace strata::server {

struct LatencySample {
  int64_t time_sec = 0;
  uint64_t latency_ms = 0;
};

struct LatencyEvent {
  std::vector<LatencySample> samples;  // oldest first, at most kMaxSamples
  uint64_t max_ms = 0;
};

class LatencyMonitor {
 public:
  static constexpr size_t kMaxSamples = 160;  // LATENCY_TS_LEN

  void Add(std::string_view event, uint64_t latency_ms, int64_t now_sec);
  // Every event with at least one sample, by name.
  std::map<std::string, LatencyEvent> Events() const;
  // Resets the named events (all when `events` is empty); returns how many
  // events were reset.
  size_t Reset(const std::vector<std::string>& events);

 private:
  mutable std::mutex mu_;
  std::map<std::string, LatencyEvent> events_;  // GUARDED_BY(mu_)
};

}  // namespace strata::server
