// WalSyncer: makes the RocksDB WAL durable according to appendfsync, with
// group commit.
//
// Writes are issued with sync=false into RocksDB's WAL buffer
// (manual_wal_flush). FlushUpTo(seq) hands the buffer to the OS with one
// write(2); connections call it before sending the replies of the writes up
// to seq, so a process crash loses nothing acknowledged in any mode, and a
// pipeline of writes costs one system call, not one per command. Durability
// against power loss comes from this one thread flushing and syncing:
//   - always:   connections holding replies register (seq, callback); the
//               thread syncs as soon as anyone waits and releases every
//               waiter whose seq is covered — one fsync serves every write
//               that arrived meanwhile;
//   - everysec: the thread syncs once a second when anything was written;
//   - no:       the thread only flushes the buffer to the OS once a second
//               (so writes nobody waits on do not sit in it).
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

#include "common/status.h"
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

  // Writes the WAL buffer to the OS if it may hold records up to `seq`.
  Status FlushUpTo(uint64_t seq);
  bool IsFlushed(uint64_t seq) const { return flushed_seq_.load(std::memory_order_acquire) >= seq; }

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
  std::atomic<uint64_t> flushed_seq_{0};  // every record up to it reached the OS
  std::atomic<uint64_t> syncs_{0};
  std::thread thread_;
};

}  // namespace strata::engine
