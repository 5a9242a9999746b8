// WatchTable: modification versions of the keys some client WATCHes.
//
// WATCH MECHANISM. A client's WATCH registers (db, key) here and samples the
// key's version; EXEC compares the sample with the current version while it
// holds the key's lock, and aborts when they differ. A version changes when
//   - KeyAccess::Commit writes a batch that touched the key (any command of
//     any client, the expiry cycle's deletions, MULTI/EXEC itself);
//   - FLUSHDB / FLUSHALL / SWAPDB remove or replace it (keyspace_ops.cc
//     touches the watched keys that exist in an affected database, as
//     Redis's touchAllWatchedKeysInDb does).
// Only watched keys have an entry, so a write pays one relaxed atomic load
// when nobody watches anything. Versions come from one global counter and
// never repeat, so an entry dropped and re-created cannot match an old
// sample. A write touches the version after its batch is on disk and before
// it releases the key lock: a WATCH that samples in between sees the new
// value and a later bump (a harmless, spurious abort), never the reverse.
//
// Thread-safety: all methods are safe from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace strata::engine {

class WatchTable {
 public:
  // Registers one watcher of (db, key); returns the key's version now.
  uint64_t Add(int db, std::string_view key);
  // Drops one watcher registered by Add.
  void Remove(int db, std::string_view key);
  // Current version of a watched key (0 when nobody watches it).
  uint64_t Version(int db, std::string_view key) const;
  // A write to (db, key) reached disk.
  void Touch(int db, std::string_view key) {
    if (watched_.load(std::memory_order_acquire) != 0) TouchSlow(db, key);
  }
  // Touches every watched key of `db` for which `exists(key)` holds.
  void TouchIf(int db, const std::function<bool(std::string_view key)>& exists);
  bool empty() const { return watched_.load(std::memory_order_acquire) == 0; }

 private:
  struct Entry {
    uint64_t watchers = 0;
    uint64_t version = 0;
  };
  static std::string KeyOf(int db, std::string_view key);
  void TouchSlow(int db, std::string_view key);

  mutable std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;  // GUARDED_BY(mu_); "<db>:<key>"
  uint64_t next_version_ = 1;                       // GUARDED_BY(mu_)
  std::atomic<size_t> watched_{0};                  // entries_.size()
};

}  // namespace strata::engine
