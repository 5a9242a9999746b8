// EngineOptions: how the storage engine is opened. Filled by the server from
// its configuration (server/config.h); plain data.
#pragma once

#include <cstdint>
#include <string>

namespace strata::engine {

// appendfsync, with Redis's meaning for the WAL (DESIGN.md, Durability).
enum class FsyncPolicy : unsigned char {
  kAlways,    // a write's reply leaves only after its WAL record is synced
  kEverySec,  // the WAL is synced at least once a second (default)
  kNo,        // syncing is left to the OS
};

struct EngineOptions {
  std::string dir;     // data directory (created if missing)
  int databases = 16;  // logical databases (SELECT 0..n-1)
  FsyncPolicy fsync = FsyncPolicy::kEverySec;
  // The memory budget (engine/memory_budget.h); 0 means "derive it".
  uint64_t maxmemory = 0;
  uint64_t block_cache_bytes = 0;
  uint64_t hot_tier_bytes = 0;
  // Bytes of memtables a column family flushes together as one L0 file.
  uint64_t write_buffer_bytes = 16ull << 20;
  int background_jobs = 2;
  // O_DIRECT for SST reads, flushes and compactions: the block cache is
  // then the only cache of disk data, so the OS page cache cannot hide the
  // disk (benchmarks of larger-than-RAM datasets) nor double-cache blocks.
  bool use_direct_reads = false;
};

}  // namespace strata::engine
