// The adaptive active expiry cycle; see active_expiry.h.
#include "ttl/active_expiry.h"

#include <chrono>

#include "common/log.h"
#include "engine/op_context.h"

namespace strata::ttl {

ActiveExpiry::ActiveExpiry(engine::Engine& engine, engine::ExpiredKeyFn on_expired)
    : engine_(engine), on_expired_(std::move(on_expired)) {}

ActiveExpiry::~ActiveExpiry() {
  Stop();
}

void ActiveExpiry::Start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable()) return;
  stop_ = false;
  thread_ = std::thread([this] { Loop(); });
}

void ActiveExpiry::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void ActiveExpiry::RunCycle() {
  using Clock = std::chrono::steady_clock;
  auto start = Clock::now();
  auto limit = start + std::chrono::milliseconds(kCycleTimeLimitMs);
  bool more = true;
  // A cycle that caught up starts the next from the head of the index.
  if (!behind_) resume_.clear();
  while (more) {
    auto step = engine::DeleteDueKeys(engine_, engine::NowMs(), kStepBudget, on_expired_, &resume_);
    if (!step.ok()) {
      LOG_WARNING("active expiry: {}", step.status().ToString());
      more = false;
      break;
    }
    stats_.expired_keys.fetch_add(step->expired, std::memory_order_relaxed);
    stats_.stale_entries.fetch_add(step->stale, std::memory_order_relaxed);
    more = step->more;
    if (more && Clock::now() >= limit) {
      stats_.time_cap_reached.fetch_add(1, std::memory_order_relaxed);
      break;
    }
  }
  behind_ = more;
  auto spent = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
  stats_.cycle_cpu_ms.fetch_add(static_cast<uint64_t>(spent.count()), std::memory_order_relaxed);
}

void ActiveExpiry::Loop() {
  std::unique_lock lock(mu_);
  while (!stop_) {
    if (!behind_) {
      cv_.wait_for(lock, std::chrono::milliseconds(kPeriodMs), [this] { return stop_; });
      if (stop_) break;
    }
    if (!enabled_) {
      behind_ = false;
      continue;
    }
    lock.unlock();
    RunCycle();
    lock.lock();
  }
}

}  // namespace strata::ttl
