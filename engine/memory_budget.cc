// The split of maxmemory between block cache, hot tier and reserve; see
// memory_budget.h for the decisions.
#include "engine/memory_budget.h"

#include <unistd.h>

#include <algorithm>

namespace strata::engine {

namespace {
constexpr uint64_t kMiB = 1ull << 20;
}

MemoryBudget PlanMemory(uint64_t maxmemory, uint64_t block_cache, uint64_t hot_tier,
                        uint64_t physical_ram) {
  MemoryBudget b;
  b.total = maxmemory != 0 ? maxmemory : std::max<uint64_t>(physical_ram / 2, 64 * kMiB);
  b.reserve = std::max<uint64_t>(b.total / 10, 32 * kMiB);
  b.block_cache = block_cache != 0 ? block_cache : std::max<uint64_t>(b.total / 4, 16 * kMiB);
  b.memtables = b.block_cache / 2;
  uint64_t used = b.reserve + b.block_cache;
  b.hot_tier =
      hot_tier != 0 ? hot_tier : std::max<uint64_t>(b.total > used ? b.total - used : 0, kMiB);
  return b;
}

uint64_t PhysicalRamBytes() {
  long pages = sysconf(_SC_PHYS_PAGES);
  long page = sysconf(_SC_PAGE_SIZE);
  if (pages <= 0 || page <= 0) return 1024 * kMiB;
  return static_cast<uint64_t>(pages) * static_cast<uint64_t>(page);
}

}  // namespace strata::engine
