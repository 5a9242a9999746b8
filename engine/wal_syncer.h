// WalSyncer: makes the RocksDB WAL durable according to appendfsync, with
// group commit.
//
// Writes are issued with sync=false (the WAL record reaches the OS before the
// write returns, so a process crash loses nothing in any mode). Durability
// against power loss comes from this one thread calling SyncWAL:
//   - always:   connections holding replies register (seq, callback); the
//               thread syncs as soon as anyone waits and releases every
//               waiter whose seq is covered — one fsync serves every write
//               that arrived meanwhile;
//   - everysec: the thread syncs once a second when anything was written;
//   - no:       the thread does nothing.
// The sync counter feeds INFO persistence (wal_syncs).
//
// Thread-safety: all methods are safe from any thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <thread>

#include "engine/options.h"

namespace rocksdb {
class DB;
}

namespace strata::engine {

class WalSyncer {
 public:
  WalSyncer(rocksdb::DB* db, FsyncPolicy policy);
  ~WalSyncer();  // syncs once more, then stops the thread
  WalSyncer(const WalSyncer&) = delete;
  WalSyncer& operator=(const WalSyncer&) = delete;

  // `done` runs (on the syncer thread, or at once on this one) after every
  // write up to `seq` is synced.
  void WhenSynced(uint64_t seq, std::function<void()> done);
  bool IsSynced(uint64_t seq) const { return synced_seq_.load(std::memory_order_acquire) >= seq; }

  uint64_t syncs() const { return syncs_.load(std::memory_order_relaxed); }
  uint64_t synced_seq() const { return synced_seq_.load(std::memory_order_relaxed); }

 private:
  void Run();
  bool SyncOnce();  // false when SyncWAL failed

  rocksdb::DB* db_;
  FsyncPolicy policy_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::multimap<uint64_t, std::function<void()>> waiters_;
  bool stop_ = false;
  std::atomic<uint64_t> synced_seq_{0};
  std::atomic<uint64_t> syncs_{0};
  std::thread thread_;
};

}  // namespace strata::engine
