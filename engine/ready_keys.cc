// Keys that blocked clients wait on, and those written since; see ready_keys.h.
#include "engine/ready_keys.h"

namespace strata::engine {

void ReadyKeys::AddInterest(int db, std::string_view key) {
  std::lock_guard lock(mu_);
  ++interest_[Key{db, std::string(key)}];
  interested_.store(interest_.size(), std::memory_order_relaxed);
}

void ReadyKeys::RemoveInterest(int db, std::string_view key) {
  std::lock_guard lock(mu_);
  auto it = interest_.find(Key{db, std::string(key)});
  if (it == interest_.end()) return;
  if (--it->second == 0) interest_.erase(it);
  interested_.store(interest_.size(), std::memory_order_relaxed);
}

void ReadyKeys::SignalSlow(int db, std::string_view key) {
  Key k{db, std::string(key)};
  std::lock_guard lock(mu_);
  if (!interest_.contains(k) || queued_.contains(k)) return;
  queued_.insert(k);
  ready_.push_back(std::move(k));
  pending_.store(ready_.size(), std::memory_order_relaxed);
}

std::vector<ReadyKeys::Key> ReadyKeys::Take() {
  std::vector<Key> out;
  std::lock_guard lock(mu_);
  out.swap(ready_);
  queued_.clear();
  pending_.store(0, std::memory_order_relaxed);
  return out;
}

}  // namespace strata::engine
