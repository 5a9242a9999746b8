// Micro-benchmark of the hot tier's lookup: every command's first step.
// Random hits over a tier holding Arg(0) keys shaped like MetaKeys of
// redis-benchmark's key names, so the cost is dominated by the cache misses
// of the index slot, the entry and the key, which is what a layout change of
// the tier's entries must move.
#include <benchmark/benchmark.h>

#include <memory>
#include <random>
#include <string>
#include <vector>

#include "codec/layout.h"
#include "engine/hot_tier.h"

namespace strata::engine {
namespace {

std::vector<std::string> MetaKeys(size_t n) {
  std::vector<std::string> keys;
  keys.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    std::string user = "key:" + std::string(12 - std::to_string(i).size(), '0') + std::to_string(i);
    keys.push_back(codec::EncodeMetaKey(0, user));
  }
  return keys;
}

void BM_HotTierLookupHit(benchmark::State& state) {
  const size_t n = static_cast<size_t>(state.range(0));
  std::vector<std::string> keys = MetaKeys(n);
  HotTier tier(uint64_t{8} << 30);
  for (const std::string& k : keys) {
    auto obj = std::make_shared<HotObject>();
    obj->meta.value.assign(100, 'v');
    tier.Insert(k, std::move(obj), 1);
  }
  std::mt19937_64 rng(42);
  std::vector<uint32_t> order(1 << 20);
  for (uint32_t& i : order) i = static_cast<uint32_t>(rng() % n);
  size_t next = 0;
  for (auto _ : state) {
    auto obj = tier.Lookup(keys[order[next++ & (order.size() - 1)]], 2);
    benchmark::DoNotOptimize(obj.get());
  }
}
BENCHMARK(BM_HotTierLookupHit)->Arg(1000)->Arg(100000)->Arg(1000000);

}  // namespace
}  // namespace strata::engine
