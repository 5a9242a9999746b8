// The slow log ring; see slowlog.h.
#include "server/slowlog.h"

#include <fmt/format.h>

namespace strata::server {

void SlowLog::Add(std::span<const std::string_view> argv, uint64_t duration_us, int64_t now_sec,
                  std::string_view addr, std::string_view name, size_t max_len) {
  SlowLogEntry e;
  e.time_sec = now_sec;
  e.duration_us = duration_us;
  e.client_addr = addr;
  e.client_name = name;
  size_t n = std::min(argv.size(), kMaxArgs);
  for (size_t i = 0; i < n; ++i) {
    if (n != argv.size() && i == n - 1) {
      e.argv.push_back(fmt::format("... ({} more arguments)", argv.size() - n + 1));
    } else if (argv[i].size() > kMaxArgLen) {
      e.argv.push_back(fmt::format("{}... ({} more bytes)", argv[i].substr(0, kMaxArgLen),
                                   argv[i].size() - kMaxArgLen));
    } else {
      e.argv.emplace_back(argv[i]);
    }
  }
  std::lock_guard lock(mu_);
  e.id = next_id_++;
  entries_.push_front(std::move(e));
  while (entries_.size() > max_len) entries_.pop_back();
}

std::vector<SlowLogEntry> SlowLog::Get(int64_t count) const {
  std::lock_guard lock(mu_);
  size_t n = count < 0 ? entries_.size() : std::min(entries_.size(), static_cast<size_t>(count));
  return std::vector<SlowLogEntry>(entries_.begin(), entries_.begin() + static_cast<long>(n));
}

size_t SlowLog::Len() const {
  std::lock_guard lock(mu_);
  return entries_.size();
}

void SlowLog::Reset() {
  std::lock_guard lock(mu_);
  entries_.clear();
}

}  // namespace strata::server
