// Micro-benchmarks of the layout codec: metadata keys and values are encoded
// and decoded on every command.
#include <benchmark/benchmark.h>

#include "codec/layout.h"

namespace strata::codec {
namespace {

void BM_EncodeMetaKey(benchmark::State& state) {
  std::string key = "user:1000:session";
  for (auto _ : state) benchmark::DoNotOptimize(EncodeMetaKey(3, key));
}
BENCHMARK(BM_EncodeMetaKey);

void BM_KeySlot(benchmark::State& state) {
  std::string key(static_cast<size_t>(state.range(0)), 'k');
  for (auto _ : state) benchmark::DoNotOptimize(KeySlot(key));
  state.SetBytesProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_KeySlot)->Arg(16)->Arg(256);

void BM_StringMetaRoundTrip(benchmark::State& state) {
  MetaValue v;
  v.value.assign(static_cast<size_t>(state.range(0)), 'v');
  v.expire_ms = 1700000000000ULL;
  for (auto _ : state) {
    auto decoded = DecodeMetaValue(EncodeMetaValue(v));
    benchmark::DoNotOptimize(decoded);
  }
}
BENCHMARK(BM_StringMetaRoundTrip)->Arg(100)->Arg(4096);

void BM_CollectionMetaDecode(benchmark::State& state) {
  MetaValue v;
  v.type = ValueType::kList;
  v.object_id = 123456;
  v.count = 1000;
  std::string bytes = EncodeMetaValue(v);
  for (auto _ : state) benchmark::DoNotOptimize(DecodeMetaValue(bytes));
}
BENCHMARK(BM_CollectionMetaDecode);

}  // namespace
}  // namespace strata::codec
