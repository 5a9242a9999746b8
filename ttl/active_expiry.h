// ActiveExpiry: the background cycle that deletes keys whose TTL has passed,
// whether or not anyone reads them, so expired keys disappear on time,
// DBSIZE converges to the live count, and (with keyspace events) `expired`
// events fire.
//
// Like Redis's activeExpireCycle it is adaptive with bounded work: ten times
// a second it deletes due keys in steps of kStepBudget, continuing while due
// keys remain, for at most kCycleTimeLimit (25% of the 100 ms period); when
// the limit stops it with work left, the next cycle starts at once.
// Deletions are ordinary logged writes through the engine (engine/expire_ops.h).
//
// Thread-safety: Start/Stop from the owning thread; stats from any thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

#include "engine/expire_ops.h"

namespace strata::engine {
class Engine;
}

namespace strata::ttl {

struct ExpiryStats {
  std::atomic<uint64_t> expired_keys{0};
  std::atomic<uint64_t> stale_entries{0};
  std::atomic<uint64_t> time_cap_reached{0};
  std::atomic<uint64_t> cycle_cpu_ms{0};
};

class ActiveExpiry {
 public:
  static constexpr size_t kStepBudget = 256;
  static constexpr int kPeriodMs = 100;
  static constexpr int kCycleTimeLimitMs = 25;

  ActiveExpiry(engine::Engine& engine, engine::ExpiredKeyFn on_expired);
  ~ActiveExpiry();  // stops the thread
  ActiveExpiry(const ActiveExpiry&) = delete;
  ActiveExpiry& operator=(const ActiveExpiry&) = delete;

  void Start();
  void Stop();
  // Enables or disables the cycle (DEBUG SET-ACTIVE-EXPIRE).
  void SetEnabled(bool on) { enabled_ = on; }
  // Runs one whole cycle now, on the caller's thread (tests, DEBUG).
  void RunCycle();

  const ExpiryStats& stats() const { return stats_; }

 private:
  void Loop();

  engine::Engine& engine_;
  engine::ExpiredKeyFn on_expired_;
  ExpiryStats stats_;
  std::atomic<bool> enabled_{true};
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::atomic<bool> behind_{false};  // the last cycle hit its time limit with keys still due
  std::string resume_;  // position in the expiry index (DeleteDueKeys); cycle thread only
  std::thread thread_;
};

}  // namespace strata::ttl
