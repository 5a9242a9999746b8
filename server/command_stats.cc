// Command and error counters; see command_stats.h.
#include "server/command_stats.h"

#include <algorithm>
#include <bit>

#include "server/command_table.h"

namespace strata::server {

void LatencyHistogram::Record(uint64_t ns) {
  int b = ns < 1024 ? 0 : std::bit_width(ns) - 10;
  if (b >= kBuckets) b = kBuckets - 1;
  buckets_[b].fetch_add(1, std::memory_order_relaxed);
}

uint64_t LatencyHistogram::count() const {
  uint64_t n = 0;
  for (const auto& b : buckets_) n += b.load(std::memory_order_relaxed);
  return n;
}

double LatencyHistogram::PercentileUsec(double p) const {
  uint64_t total = count();
  if (total == 0) return 0;
  uint64_t want = static_cast<uint64_t>(p / 100.0 * static_cast<double>(total) + 0.5);
  if (want == 0) want = 1;
  uint64_t seen = 0;
  for (int i = 0; i < kBuckets; ++i) {
    seen += buckets_[i].load(std::memory_order_relaxed);
    if (seen >= want) return static_cast<double>(UpperNs(i)) / 1000.0;
  }
  return static_cast<double>(UpperNs(kBuckets - 1)) / 1000.0;
}

std::vector<std::pair<uint64_t, uint64_t>> LatencyHistogram::Cumulative() const {
  std::vector<std::pair<uint64_t, uint64_t>> out;
  uint64_t seen = 0;
  for (int i = 0; i < kBuckets; ++i) {
    uint64_t n = buckets_[i].load(std::memory_order_relaxed);
    if (n == 0) continue;
    seen += n;
    out.emplace_back(UpperNs(i) / 1000, seen);
  }
  return out;
}

void LatencyHistogram::Reset() {
  for (auto& b : buckets_) b.store(0, std::memory_order_relaxed);
}

CommandStats::CommandStats(const CommandTable& table) {
  auto add = [this](const CommandEntry* e) {
    auto counters = std::make_unique<CommandCounters>();
    by_name_[e->name()] = counters.get();
    by_entry_[e] = std::move(counters);
  };
  for (const CommandEntry* e : table.commands()) {
    add(e);
    for (const CommandEntry* sub : e->subcommands) add(sub);
  }
}

void CommandStats::RecordCall(const CommandEntry& cmd, uint64_t duration_ns, bool failed,
                              bool histogram) {
  auto it = by_entry_.find(&cmd);
  if (it == by_entry_.end()) return;
  CommandCounters& c = *it->second;
  c.calls.fetch_add(1, std::memory_order_relaxed);
  c.usec.fetch_add(duration_ns / 1000, std::memory_order_relaxed);
  if (failed) c.failed_calls.fetch_add(1, std::memory_order_relaxed);
  if (histogram) c.latency.Record(duration_ns);
}

void CommandStats::RecordRejected(const CommandEntry& cmd) {
  auto it = by_entry_.find(&cmd);
  if (it != by_entry_.end()) it->second->rejected_calls.fetch_add(1, std::memory_order_relaxed);
}

void CommandStats::RecordError(std::string_view code) {
  total_errors_.fetch_add(1, std::memory_order_relaxed);
  std::lock_guard lock(errors_mu_);
  auto it = errors_.find(std::string(code));
  if (it != errors_.end()) {
    ++it->second;
  } else if (errors_.size() < kMaxErrorCodes) {
    errors_.emplace(code, 1);
  }
}

std::vector<std::pair<std::string, const CommandCounters*>> CommandStats::Used() const {
  std::vector<std::pair<std::string, const CommandCounters*>> out;
  for (const auto& [name, c] : by_name_) {
    if (c->calls.load(std::memory_order_relaxed) != 0 ||
        c->rejected_calls.load(std::memory_order_relaxed) != 0) {
      out.emplace_back(std::string(name), c);
    }
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  return out;
}

const CommandCounters* CommandStats::Find(std::string_view full_name) const {
  auto it = by_name_.find(full_name);
  return it == by_name_.end() ? nullptr : it->second;
}

std::map<std::string, uint64_t> CommandStats::Errors() const {
  std::lock_guard lock(errors_mu_);
  return errors_;
}

void CommandStats::Reset() {
  for (auto& [e, c] : by_entry_) {
    c->calls = 0;
    c->usec = 0;
    c->rejected_calls = 0;
    c->failed_calls = 0;
    c->latency.Reset();
  }
  total_errors_ = 0;
  std::lock_guard lock(errors_mu_);
  errors_.clear();
}

}  // namespace strata::server
