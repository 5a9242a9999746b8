// Versions of watched keys; see watch_table.h.
#include "engine/watch_table.h"

namespace strata::engine {

std::string WatchTable::KeyOf(int db, std::string_view key) {
  std::string k = std::to_string(db);
  k.push_back(':');
  k.append(key);
  return k;
}

uint64_t WatchTable::Add(int db, std::string_view key) {
  std::lock_guard lock(mu_);
  auto [it, inserted] = entries_.try_emplace(KeyOf(db, key));
  if (inserted) it->second.version = next_version_++;
  ++it->second.watchers;
  watched_.store(entries_.size(), std::memory_order_release);
  return it->second.version;
}

void WatchTable::Remove(int db, std::string_view key) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(KeyOf(db, key));
  if (it == entries_.end()) return;
  if (--it->second.watchers == 0) entries_.erase(it);
  watched_.store(entries_.size(), std::memory_order_release);
}

uint64_t WatchTable::Version(int db, std::string_view key) const {
  std::lock_guard lock(mu_);
  auto it = entries_.find(KeyOf(db, key));
  return it == entries_.end() ? 0 : it->second.version;
}

void WatchTable::TouchSlow(int db, std::string_view key) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(KeyOf(db, key));
  if (it != entries_.end()) it->second.version = next_version_++;
}

void WatchTable::TouchIf(int db, const std::function<bool(std::string_view key)>& exists) {
  if (empty()) return;
  std::string prefix = std::to_string(db) + ":";
  std::lock_guard lock(mu_);
  for (auto& [k, entry] : entries_) {
    if (k.compare(0, prefix.size(), prefix) != 0) continue;
    if (exists(std::string_view(k).substr(prefix.size()))) entry.version = next_version_++;
  }
}

}  // namespace strata::engine
