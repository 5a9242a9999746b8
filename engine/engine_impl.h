// EngineImpl: the engine's RocksDB state, shared by the engine's own .cc
// files. Never included outside engine/ (it pulls in RocksDB headers).
#pragma once

#include <rocksdb/cache.h>
#include <rocksdb/db.h>
#include <rocksdb/write_buffer_manager.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <vector>

#include "engine/gc_filter.h"
#include "engine/hot_tier.h"
#include "engine/key_locks.h"
#include "engine/memory_budget.h"
#include "engine/object_ids.h"
#include "engine/options.h"
#include "engine/ready_keys.h"
#include "engine/wal_syncer.h"
#include "engine/watch_table.h"

namespace strata::engine {

// Column families, in the order they are opened (names in codec/layout.h).
enum class Cf : int {
  kDefault = 0,
  kKeys,
  kObjects,
  kHashFields,
  kSetMembers,
  kListElements,
  kZsetMembers,
  kZsetScores,
  kStreamEntries,
  kChunks,
  kExpiry,
  kCount,
};

// The column family of a sub-key family of the hot tier's bodies (same order).
inline Cf CfOf(SubFamily f) {
  static_assert(static_cast<int>(Cf::kStreamEntries) - static_cast<int>(Cf::kHashFields) ==
                static_cast<int>(SubFamily::kStreamEntries));
  return static_cast<Cf>(static_cast<int>(Cf::kHashFields) + static_cast<int>(f));
}

class KeyObserver;

struct EngineImpl {
  EngineOptions options;
  int lock_fd = -1;  // flock'ed data-directory lock file
  std::unique_ptr<rocksdb::DB> db;
  std::vector<rocksdb::ColumnFamilyHandle*> cfs;  // indexed by Cf
  KeyLocks locks;
  ObjectIdAllocator object_ids;
  std::unique_ptr<WalSyncer> syncer;
  mutable std::mutex budget_mu;  // guards `budget` (ResizeMemory vs Stats)
  MemoryBudget budget;
  std::shared_ptr<rocksdb::Cache> block_cache;
  std::shared_ptr<rocksdb::WriteBufferManager> write_buffers;
  // Decoded objects in RAM; touched only through KeyAccess (engine/hot_tier.h).
  std::unique_ptr<HotTier> tier;

  // Logical database -> physical id (codec/layout.h, decision 3). Changed
  // only under the exclusive database gate.
  std::vector<uint32_t> db_map;
  // Live keys per logical database; moves with its database on SWAPDB.
  std::unique_ptr<std::atomic<int64_t>[]> key_counts;
  // Keys with a TTL per logical database (INFO keyspace "expires").
  std::unique_ptr<std::atomic<int64_t>[]> expire_counts;

  std::atomic<uint64_t> inline_retries{0};
  // Bytes of the write batches commands committed (what their writes cost
  // in WAL and memtable); INFO rocksdb's rocksdb_bytes_written.
  std::atomic<uint64_t> bytes_written{0};
  // The GC filters point back at this engine; detached before the database closes.
  std::vector<std::shared_ptr<GcFilterFactory>> gc_factories;
  // Versions of WATCHed keys (engine/watch_table.h).
  WatchTable watches;
  // Told of every committed key change (engine/key_observer.h); set once
  // before the server serves, may be null.
  KeyObserver* key_observer = nullptr;
  // Keys blocked clients wait on, and those written since (engine/ready_keys.h).
  ReadyKeys ready;

  rocksdb::ColumnFamilyHandle* cf(Cf c) const { return cfs[static_cast<int>(c)]; }
};

// Writes a batch of server records (layout version, database map, object id
// mark) and makes it durable at once: write, then flush and sync the WAL
// (the database runs with manual_wal_flush; sync=true is not used with it).
Status WriteDurably(EngineImpl& e, rocksdb::WriteBatch* batch);

// The "db-map" record key of a logical database (value: u32 physical id).
std::string DbMapRecordKey(uint32_t logical_db);
// The "db-size" record key of a physical database (codec/layout.h grammar).
std::string DbSizeRecordKey(uint32_t physical_db);
// The "db-expires" record key: count of keys with a TTL in a physical database.
std::string DbExpiresRecordKey(uint32_t physical_db);

}  // namespace strata::engine
