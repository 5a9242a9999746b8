// SlowLog: the last `slowlog-max-len` commands that ran for at least
// `slowlog-log-slower-than` microseconds, newest first, as SLOWLOG GET shows
// them. Arguments are trimmed as Redis trims them (32 arguments, the last
// one "... (N more arguments)"; 128 bytes per argument, then
// "... (N more bytes)"), so an entry's size is bounded.
//
// Thread-safety: all methods are safe from any thread (one mutex, taken only
// for commands that are slow enough to be logged, and by SLOWLOG itself).
#pragma once

#include <cstdint>
#include <deque>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace strata::server {

struct SlowLogEntry {
  uint64_t id = 0;
  int64_t time_sec = 0;  // unix time the command ran
  uint64_t duration_us = 0;
  std::vector<std::string> argv;
  std::string client_addr;
  std::string client_name;
};

class SlowLog {
 public:
  static constexpr size_t kMaxArgs = 32;
  static constexpr size_t kMaxArgLen = 128;

  // Adds an entry and trims the log to `max_len` entries.
  void Add(std::span<const std::string_view> argv, uint64_t duration_us, int64_t now_sec,
           std::string_view addr, std::string_view name, size_t max_len);
  // The newest `count` entries (all for count < 0), newest first.
  std::vector<SlowLogEntry> Get(int64_t count) const;
  size_t Len() const;
  void Reset();

 private:
  mutable std::mutex mu_;
  std::deque<SlowLogEntry> entries_;  // newest at the front; GUARDED_BY(mu_)
  uint64_t next_id_ = 0;              // GUARDED_BY(mu_); never reset, as Redis
};

}  // namespace strata::server
