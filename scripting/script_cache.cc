// The server-wide script cache; see script_cache.h.
#include "scripting/script_cache.h"

#include "common/text.h"

namespace strata::scripting {

ScriptCache& ScriptCache::Instance() {
  static ScriptCache cache;
  return cache;
}

void ScriptCache::Add(const std::string& sha, std::string_view body) {
  std::lock_guard lock(mu_);
  auto& slot = bodies_[sha];
  if (slot == nullptr) slot = std::make_shared<const std::string>(body);
}

std::shared_ptr<const std::string> ScriptCache::Find(std::string_view sha) const {
  if (sha.size() != 40) return nullptr;
  std::string key = ToLower(sha);
  std::lock_guard lock(mu_);
  auto it = bodies_.find(key);
  return it == bodies_.end() ? nullptr : it->second;
}

void ScriptCache::MarkUndeclaredKeys(const std::string& sha) {
  std::lock_guard lock(mu_);
  undeclared_[sha] = true;
}

bool ScriptCache::TouchesUndeclaredKeys(const std::string& sha) const {
  std::lock_guard lock(mu_);
  return undeclared_.contains(sha);
}

void ScriptCache::Flush() {
  std::lock_guard lock(mu_);
  bodies_.clear();
  undeclared_.clear();
  generation_.fetch_add(1, std::memory_order_release);
}

size_t ScriptCache::size() const {
  std::lock_guard lock(mu_);
  return bodies_.size();
}

}  // namespace strata::scripting
