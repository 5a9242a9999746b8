// The server-wide script cache; see script_cache.h.
#include "scripting/script_cache.h"

#include "common/text.h"

namespace strata::scripting {

ScriptCache& ScriptCache::Instance() {
  static ScriptCache cache;
  return cache;
}

void ScriptCache::Add(const std::string& sha, std::string_view body) {
  {
    std::shared_lock lock(mu_);
    if (bodies_.contains(sha)) return;
  }
  std::unique_lock lock(mu_);
  auto& slot = bodies_[sha];
  if (slot == nullptr) slot = std::make_shared<const std::string>(body);
}

std::shared_ptr<const std::string> ScriptCache::Find(std::string_view sha) const {
  if (sha.size() != 40) return nullptr;
  std::string key = ToLower(sha);
  std::shared_lock lock(mu_);
  auto it = bodies_.find(key);
  return it == bodies_.end() ? nullptr : it->second;
}

void ScriptCache::MarkTrait(const std::string& sha, Trait trait) {
  std::unique_lock lock(mu_);
  traits_[sha] |= trait;
}

unsigned ScriptCache::Traits(const std::string& sha) const {
  std::shared_lock lock(mu_);
  auto it = traits_.find(sha);
  return it == traits_.end() ? 0 : it->second;
}

void ScriptCache::Flush() {
  std::unique_lock lock(mu_);
  bodies_.clear();
  traits_.clear();
  generation_.fetch_add(1, std::memory_order_release);
}

size_t ScriptCache::size() const {
  std::shared_lock lock(mu_);
  return bodies_.size();
}

}  // namespace strata::scripting
