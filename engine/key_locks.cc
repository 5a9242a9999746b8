// Striped key locks; see key_locks.h for the ordering rule.
#include "engine/key_locks.h"

#include <functional>

namespace strata::engine {

size_t KeyLocks::StripeOf(uint32_t physical_db, std::string_view key) {
  size_t h = std::hash<std::string_view>{}(key);
  h ^= physical_db * 0x9e3779b97f4a7c15ULL;
  return h % kStripes;
}

bool KeyLocks::Lock(std::span<const uint32_t> stripes, bool try_only) {
  for (size_t i = 0; i < stripes.size(); ++i) {
    auto& m = stripes_[stripes[i]];
    if (!try_only) {
      m.lock();
    } else if (!m.try_lock()) {
      Unlock(stripes.first(i));
      return false;
    }
  }
  return true;
}

void KeyLocks::Unlock(std::span<const uint32_t> stripes) {
  for (auto it = stripes.rbegin(); it != stripes.rend(); ++it) stripes_[*it].unlock();
}

}  // namespace strata::engine
