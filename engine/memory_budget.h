// MemoryBudget: how `maxmemory`, the process's whole memory budget, is split
// between the parts that hold memory (DESIGN.md, Hot tier).
//
//   maxmemory = RocksDB block cache (memtables are charged to it through a
//               WriteBufferManager, so they live inside it)
//             + hot tier (decoded objects, engine/hot_tier.h)
//             + reserve (client buffers, the command table, Asio, everything
//               else a running server allocates)
//
// DECISIONS.
// - `maxmemory 0` (Redis's "no limit") means "half of physical RAM" here: a
//   disk-backed server must bound its caches somehow, and half leaves room
//   for the page cache that RocksDB reads through. A set maxmemory is
//   honoured as the whole budget.
// - Unset (0) parts are derived: block cache 25% of the budget (at least
//   16 MiB), memtables at most half of the block cache, reserve 10% (at least
//   32 MiB), the hot tier the rest (at least 1 MiB). An explicit
//   `rocksdb-block-cache-size` or `hot-tier-size` wins over the derivation.
// - Losing data because RAM is full is never the default: when the tier is
//   full, objects leave RAM only; their data stays on disk.
#pragma once

#include <cstdint>

namespace strata::engine {

struct MemoryBudget {
  uint64_t total = 0;        // the effective maxmemory
  uint64_t block_cache = 0;  // RocksDB block cache, memtables included
  uint64_t memtables = 0;    // WriteBufferManager limit (inside block_cache)
  uint64_t hot_tier = 0;     // HotTier capacity
  uint64_t reserve = 0;      // everything else
};

// Splits the budget. Arguments of 0 mean "derive it"; `physical_ram` is the
// machine's RAM in bytes (PhysicalRamBytes()).
MemoryBudget PlanMemory(uint64_t maxmemory, uint64_t block_cache, uint64_t hot_tier,
                        uint64_t physical_ram);

uint64_t PhysicalRamBytes();

}  // namespace strata::engine
