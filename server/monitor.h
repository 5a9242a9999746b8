// MonitorFeed: the clients in MONITOR mode and the lines they are sent.
//
// WHAT IS FED, AND WHEN (Redis 7.0.15's rules, checked against redis-server):
// a command is fed after it ran (so SELECT shows the database it selected),
// with the client's address and database: "+<sec>.<usec> [<db> <addr>]
// "<arg>" ...". Not fed: commands refused before they ran (unknown, arity,
// NOAUTH, ...), commands queued by MULTI (they are fed when EXEC runs them,
// before EXEC's own line), admin commands (CONFIG, DEBUG, CLIENT LIST, ...).
// Commands flagged skip_monitor (EVAL, EVALSHA, FCALL and their _RO forms)
// are fed before they run instead, so their line precedes the lines of the
// commands the script calls ("[<db> lua]"). Passwords are "(redacted)" as in
// the slow log.
//
// ALL OR NOTHING. An inline attempt that turns into a blocking re-run must
// feed nothing, or EXEC's commands would be fed twice. So Dispatch collects
// the lines of one top-level command (EXEC's included) in a pending buffer
// and hands them over only when the command completes (FeedPending).
//
// A monitor's lines travel like pub/sub messages (Subscriber::Deliver), so
// each monitor receives them in feed order and a slow monitor is bounded by
// its client-output-buffer-limit.
//
// Thread-safety: all methods are safe from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>

namespace strata::server {

class Subscriber;

class MonitorFeed {
 public:
  void Add(uint64_t client_id, std::weak_ptr<Subscriber> monitor);
  void Remove(uint64_t client_id);
  // One relaxed load: whether any client monitors (the fast path of Dispatch).
  bool active() const { return count_.load(std::memory_order_relaxed) != 0; }
  // Sends `lines` (one or more complete "+...\r\n" lines) to every monitor.
  void Feed(std::string lines);

 private:
  std::mutex mu_;
  std::map<uint64_t, std::weak_ptr<Subscriber>> monitors_;  // GUARDED_BY(mu_)
  std::atomic<size_t> count_{0};
};

// Appends one monitor line for `argv` to `out`: `origin` is the client's
// "ip:port" or "lua"; `now_us` the wall clock in microseconds. Arguments are
// quoted and escaped as Redis's sdscatrepr does.
void AppendMonitorLine(std::string* out, uint64_t now_us, int db, std::string_view origin,
                       std::span<const std::string_view> argv);

}  // namespace strata::server
