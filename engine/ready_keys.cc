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
  if (interest_.contains(k)) QueueLocked(std::move(k));
}

void ReadyKeys::SignalDatabase(int db) {
  if (interested_.load(std::memory_order_relaxed) == 0) return;
  std::lock_guard lock(mu_);
  for (const auto& [key, waiters] : interest_) {
    if (key.db == db) QueueLocked(key);
  }
}

void ReadyKeys::QueueLocked(Key key) {
  if (queued_.contains(key)) return;
  queued_.insert(key);
  ready_.push_back(std::move(key));
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
