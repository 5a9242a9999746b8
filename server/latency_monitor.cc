// The latency monitor's event series; see latency_monitor.h.
#include "server/latency_monitor.h"

namespace strata::server {

void LatencyMonitor::Add(std::string_view event, uint64_t latency_ms, int64_t now_sec) {
  std::lock_guard lock(mu_);
  LatencyEvent& e = events_[std::string(event)];
  if (latency_ms > e.max_ms) e.max_ms = latency_ms;
  if (!e.samples.empty() && e.samples.back().time_sec == now_sec) {
    if (latency_ms > e.samples.back().latency_ms) e.samples.back().latency_ms = latency_ms;
    return;
  }
  if (e.samples.size() == kMaxSamples) e.samples.erase(e.samples.begin());
  e.samples.push_back({now_sec, latency_ms});
}

std::map<std::string, LatencyEvent> LatencyMonitor::Events() const {
  std::lock_guard lock(mu_);
  return events_;
}

size_t LatencyMonitor::Reset(const std::vector<std::string>& events) {
  std::lock_guard lock(mu_);
  if (events.empty()) {
    size_t n = events_.size();
    events_.clear();
    return n;
  }
  size_t n = 0;
  for (const auto& name : events) n += events_.erase(name);
  return n;
}

}  // namespace strata::server
