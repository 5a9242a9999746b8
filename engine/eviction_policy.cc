// Eviction policies and the candidate pool; see eviction_policy.h.
#include "engine/eviction_policy.h"

#include <algorithm>
#include <limits>

#include "common/text.h"

namespace strata::engine {

std::optional<EvictionPolicy> ParseEvictionPolicy(std::string_view name) {
  for (size_t i = 0; i < std::size(kEvictionPolicyNames); ++i) {
    if (EqualsIgnoreCase(name, kEvictionPolicyNames[i])) return static_cast<EvictionPolicy>(i);
  }
  return std::nullopt;
}

std::string_view EvictionPolicyName(EvictionPolicy p) {
  return kEvictionPolicyNames[static_cast<size_t>(p)];
}

uint64_t EvictionScore(EvictionPolicy policy, const EvictionSample& s, uint64_t now_ms,
                       const LfuParams& lfu) {
  constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();
  if (policy == EvictionPolicy::kVolatileTtl) return kMax - s.expire_ms;
  if (IsLfu(policy)) {
    uint8_t freq = s.in_ram ? LfuDecayed(s.lfu_counter, s.last_access_ms, now_ms, lfu) : 0;
    return 255 - freq;
  }
  if (!s.in_ram) return kMax;
  return now_ms > s.last_access_ms ? now_ms - s.last_access_ms : 0;
}

void EvictionPool::Offer(std::string meta_key, uint64_t score) {
  auto same = std::find_if(entries_.begin(), entries_.end(),
                           [&](const Candidate& c) { return c.meta_key == meta_key; });
  if (same != entries_.end()) entries_.erase(same);
  if (entries_.size() == kEvictionPoolSize) {
    if (score <= entries_.front().score) return;
    entries_.erase(entries_.begin());
  }
  auto pos = std::upper_bound(entries_.begin(), entries_.end(), score,
                              [](uint64_t sc, const Candidate& c) { return sc < c.score; });
  entries_.insert(pos, Candidate{score, std::move(meta_key)});
}

std::optional<std::string> EvictionPool::PopBest() {
  if (entries_.empty()) return std::nullopt;
  std::string key = std::move(entries_.back().meta_key);
  entries_.pop_back();
  return key;
}

}  // namespace strata::engine
