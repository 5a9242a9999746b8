// Engine: the storage of Strata — RocksDB with one column family per kind of
// record (codec/layout.h), the data-directory lock, the logical-to-physical
// database map, live key counts, object-id allocation and the WAL syncer.
//
// Type operations (engine/string_ops.h, engine/keyspace_ops.h, ...) read and
// write keys only through engine/key_access.h, the one access layer that owns
// locking, batching, expiry checks and (with the hot tier) caching. Nothing
// outside engine/ sees RocksDB: this header is free of RocksDB includes.
//
// Thread-safety: all public methods are safe to call from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "common/status.h"
#include "engine/hot_tier.h"
#include "engine/memory_budget.h"
#include "engine/options.h"

namespace strata::engine {

class KeyLocks;
class ReadyKeys;
class WalSyncer;
struct EngineImpl;
class KeyObserver;

struct EngineStats {
  uint64_t wal_syncs = 0;          // SyncWAL calls completed
  uint64_t latest_seq = 0;         // last sequence number written
  uint64_t synced_seq = 0;         // last sequence number known synced
  uint64_t inline_retries = 0;     // commands re-run on the blocking pool
  uint64_t bytes_written = 0;      // bytes of write batches committed by commands
  uint64_t sst_bytes = 0;          // total size of SST files
  uint64_t memtable_bytes = 0;     // size of all memtables
  uint64_t estimated_keys = 0;     // RocksDB's estimate over the keys family
  uint64_t block_cache_usage = 0;  // bytes in the block cache, memtables included
  MemoryBudget budget;             // how maxmemory is split
  HotTierStats hot;                // the hot tier's counters
};

class Engine {
 public:
  // Opens (creating if needed) the data directory. Fails with kBusy when
  // another process holds the directory, kNotSupported for an unknown layout.
  static StatusOr<std::unique_ptr<Engine>> Open(const EngineOptions& options);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  const EngineOptions& options() const;
  int databases() const;
  // Live key count of a logical database (keys whose TTL has passed are
  // counted until expiry deletes them, as in Redis).
  int64_t KeyCount(int logical_db) const;
  // Keys with a TTL in a logical database (INFO keyspace "expires").
  int64_t ExpiresCount(int logical_db) const;

  // Calls `done` (from the syncer thread, or at once) when every write up to
  // `seq` is durable under appendfsync always; used to hold replies.
  void WhenSynced(uint64_t seq, std::function<void()> done);
  bool IsSynced(uint64_t seq) const;

  // Hands the WAL records of every write up to `seq` to the OS (one write(2)
  // for all of them). Call before acknowledging those writes: the database
  // buffers WAL records until then (manual_wal_flush; engine/wal_syncer.h).
  Status FlushWal(uint64_t seq);
  // Whether FlushWal(seq) would have nothing to do.
  bool IsWalFlushed(uint64_t seq) const;
  // The sequence number of the last write applied (visible to reads).
  uint64_t LatestSequence() const;

  // CONFIG SET maxmemory: re-plans the budget (engine/memory_budget.h) with
  // the start-up settings for the parts and resizes the block cache, the
  // memtable limit and the hot tier at once (shrinking demotes objects).
  void ResizeMemory(uint64_t maxmemory);

  EngineStats Stats() const;
  void CountInlineRetry();
  // Who is told of committed key changes (engine/key_observer.h). Set once,
  // before any command runs; `observer` must outlive the engine's use.
  void SetKeyObserver(KeyObserver* observer);
  // One line for the start-up log: the RocksDB version and main options.
  std::string Describe() const;

  // Engine-internal state (RocksDB handles); only engine/*.cc include its definition.
  EngineImpl& impl() { return *impl_; }
  KeyLocks& locks();
  // The wake-up signal of blocked clients (engine/ready_keys.h).
  ReadyKeys& ready_keys();

 private:
  explicit Engine(std::unique_ptr<EngineImpl> impl);
  std::unique_ptr<EngineImpl> impl_;
};

}  // namespace strata::engine
