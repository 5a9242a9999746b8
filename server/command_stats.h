// CommandStats: what INFO commandstats, errorstats and latencystats and
// LATENCY HISTOGRAM report — per command: calls, total time, rejected calls
// (arity, auth, ...) and failed calls (the handler replied an error), plus a
// latency histogram; per error code ("ERR", "WRONGTYPE"): error replies.
//
// Recorded at the one dispatch point (server/dispatcher.cc). The per-command
// blocks are created for every served command and subcommand when the table
// is built, so recording is a lookup in a read-only map plus relaxed atomic
// adds. Thread-safety: all methods are safe from any thread.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace strata::server {

class CommandTable;
struct CommandEntry;

// Latencies in power-of-two nanosecond buckets, as Redis's HDR histogram is
// iterated for LATENCY HISTOGRAM: bucket 0 holds [0, 1024) ns, bucket i
// holds [1024 * 2^(i-1), 1024 * 2^i) ns. Percentiles are reported as the
// upper bound of their bucket (within a factor of two; Redis's HDR histogram
// keeps two significant digits).
class LatencyHistogram {
 public:
  static constexpr int kBuckets = 40;
  void Record(uint64_t ns);
  uint64_t count() const;
  // Upper bound, in microseconds, of the bucket holding the p-th percentile.
  double PercentileUsec(double p) const;
  // (bucket upper bound in usec, cumulative count) for each bucket where the
  // cumulative count grows: LATENCY HISTOGRAM's histogram_usec.
  std::vector<std::pair<uint64_t, uint64_t>> Cumulative() const;
  void Reset();

 private:
  static uint64_t UpperNs(int bucket) { return (uint64_t{1024} << bucket) - 1; }
  std::array<std::atomic<uint64_t>, kBuckets> buckets_{};
};

struct CommandCounters {
  std::atomic<uint64_t> calls{0};
  std::atomic<uint64_t> usec{0};
  std::atomic<uint64_t> rejected_calls{0};
  std::atomic<uint64_t> failed_calls{0};
  LatencyHistogram latency;
};

class CommandStats {
 public:
  explicit CommandStats(const CommandTable& table);

  // `histogram`: whether the latency histogram takes the sample too
  // (`latency-tracking`).
  void RecordCall(const CommandEntry& cmd, uint64_t duration_ns, bool failed, bool histogram);
  void RecordRejected(const CommandEntry& cmd);
  // One error reply with code `code` (the text's first word).
  void RecordError(std::string_view code);

  // Commands with at least one call or rejection, by full name ("client|list").
  std::vector<std::pair<std::string, const CommandCounters*>> Used() const;
  // Counters of one served command; nullptr for an unknown name.
  const CommandCounters* Find(std::string_view full_name) const;
  std::map<std::string, uint64_t> Errors() const;
  uint64_t total_error_replies() const { return total_errors_.load(std::memory_order_relaxed); }
  // CONFIG RESETSTAT.
  void Reset();

 private:
  // Redis stops tracking new error codes after this many (ERRORSTATS_LIMIT).
  static constexpr size_t kMaxErrorCodes = 128;
  std::unordered_map<const CommandEntry*, std::unique_ptr<CommandCounters>> by_entry_;
  std::unordered_map<std::string_view, const CommandCounters*> by_name_;
  std::atomic<uint64_t> total_errors_{0};
  mutable std::mutex errors_mu_;
  std::map<std::string, uint64_t> errors_;  // GUARDED_BY(errors_mu_)
};

}  // namespace strata::server
