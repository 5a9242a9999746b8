// ReadyKeys: the engine's signal that a key some client blocks on was written
// (BLPOP and the other blocking commands; server/blocking.h owns the waiters).
//
// A blocked client declares interest in (db, key) here; KeyAccess::Commit
// calls Signal for every key its batch touched that exists afterwards, as
// Redis's dbAdd calls signalKeyAsReady. Signal queues the key (once, in
// signal order) only when someone is interested, so a write pays one relaxed
// atomic load when nobody blocks. Whoever finishes a command then Takes the
// queue and serves the waiters (server/blocking.h), so a push from any client,
// from EXEC's one batch, or from a script wakes them the same way.
//
// No lost wake-up: Signal runs under the key's lock, after the batch is
// visible. A client registers its interest before it re-checks its keys under
// their locks; so either that re-check sees the write, or the write's Signal
// (ordered after the re-check by the key lock) sees the interest.
//
// Keys are logical (database number, name). SWAPDB changes what every key of
// its two databases names, so it signals all the keys waited on in them
// (SignalDatabase), as Redis 7.0's scanDatabaseForReadyKeys does.
//
// Thread-safety: all methods are safe from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace strata::engine {

class ReadyKeys {
 public:
  struct Key {
    int db = 0;
    std::string key;
    bool operator==(const Key&) const = default;
  };

  // One more client waits on (db, key) / one fewer.
  void AddInterest(int db, std::string_view key);
  void RemoveInterest(int db, std::string_view key);

  // (db, key) exists after a committed write (KeyAccess::Commit).
  void Signal(int db, std::string_view key) {
    if (interested_.load(std::memory_order_relaxed) != 0) SignalSlow(db, key);
  }
  // Every key of `db` someone waits on (SWAPDB, under the exclusive database
  // gate). Redis signals only those that exist; the waiters' retry checks
  // that under the key's lock, so an absent key costs one retry that keeps
  // its waiters blocked.
  void SignalDatabase(int db);
  // Whether Take would return something (a hint: one relaxed load).
  bool pending() const { return pending_.load(std::memory_order_relaxed) != 0; }
  // The keys signaled since the last Take, in signal order, each once.
  std::vector<Key> Take();

 private:
  struct KeyHash {
    size_t operator()(const Key& k) const {
      return std::hash<std::string_view>()(k.key) * 31 + static_cast<size_t>(k.db);
    }
  };
  void SignalSlow(int db, std::string_view key);
  void QueueLocked(Key key);  // REQUIRES: mu_ held, an interest in `key`

  std::mutex mu_;
  std::unordered_map<Key, uint64_t, KeyHash> interest_;  // GUARDED_BY(mu_): waiters per key
  std::vector<Key> ready_;                               // GUARDED_BY(mu_)
  std::unordered_set<Key, KeyHash> queued_;              // GUARDED_BY(mu_): the keys in ready_
  std::atomic<size_t> interested_{0};                    // interest_.size()
  std::atomic<size_t> pending_{0};                       // ready_.size()
};

}  // namespace strata::engine
