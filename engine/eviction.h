// Evictor: Redis's key-deleting eviction (maxmemory-policy allkeys-lru, ...)
// for users who run Strata as a bounded cache. Under `noeviction`, the
// default, it never deletes anything: RAM is bounded by the hot tier, which
// only demotes objects to disk (engine/hot_tier.h).
//
// DATASET SIZE. Redis deletes keys while used_memory exceeds maxmemory. A
// disk-backed store's process memory says nothing about its dataset, and
// RocksDB's own size figures (SST bytes, estimate-live-data-size) move only
// after flushes and compactions: an evictor driven by them keeps deleting
// long after enough was deleted. Strata's dataset size is the estimated
// in-memory size of the whole dataset — what MEMORY USAGE reports, summed
// over all keys: the exact live key count (kept by KeyAccess, updated at
// once by every delete) times the mean MEMORY USAGE of keys sampled at random
// positions of the keyspace (engine/access_ops.h), smoothed over ticks. The
// limit is `maxmemory-dataset` if set, else `maxmemory`; with neither, there
// is no limit and nothing is deleted (as Redis with maxmemory 0).
//
// CANDIDATES, as Redis's evict.c: each round samples `maxmemory-samples`
// keys of every non-empty database (allkeys-*: a run of keys from a random
// point of the "keys" family; volatile-*: a run of entries from a random
// point of the expiry index, whose keys all have a TTL; volatile-ttl: from
// its head, the soonest-expiring keys), scores them (engine/eviction_policy.h)
// into a pool of 16, and deletes the pool's best key that still exists and
// still qualifies. *-random deletes the first sampled key.
//
// DELETION is an ordinary logged delete through KeyAccess (Find, Delete,
// Commit), as the active expiry cycle does, so the WAL, replicas and keyspace
// events see it; the evictor's reads do not count as accesses.
//
// CYCLE. A background thread ticks every 100 ms: it refreshes the estimate
// and, when over the limit, deletes keys until the estimate is back under it,
// at most kMaxKeysPerTick keys and kTickTimeLimitMs per tick; when the
// budget runs out with the dataset still over, the next tick starts at once.
// Writes are never refused (Redis's noeviction OOM error has no equivalent:
// the data goes to disk); under a deleting policy the dataset may pass its
// limit briefly, between ticks.
//
// Thread-safety: Configure, stats and Start/Stop from any thread; RunTick
// from one thread at a time (the cycle's, or a test's while it is stopped).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <random>
#include <string_view>
#include <thread>

#include "common/status.h"
#include "engine/eviction_policy.h"
#include "engine/lfu.h"

namespace strata::engine {

class Engine;

struct EvictionSettings {
  EvictionPolicy policy = EvictionPolicy::kNoEviction;
  int samples = 5;             // maxmemory-samples
  LfuParams lfu;               // lfu-log-factor, lfu-decay-time
  uint64_t dataset_limit = 0;  // bytes; 0: no limit
};

// Called with (logical db, key) for every key evicted, after its deletion
// is committed (keyspace events hook in here).
using EvictedKeyFn = std::function<void(int db, std::string_view key)>;

class Evictor {
 public:
  static constexpr int kPeriodMs = 100;
  static constexpr int kTickTimeLimitMs = 25;
  static constexpr size_t kMaxKeysPerTick = 1000;
  static constexpr size_t kEstimateSamples = 32;  // keys sampled per tick for the mean

  Evictor(Engine& engine, EvictedKeyFn on_evicted);
  ~Evictor();  // stops the thread
  Evictor(const Evictor&) = delete;
  Evictor& operator=(const Evictor&) = delete;

  // Takes new settings (start-up, CONFIG SET); also gives the hot tier its
  // LFU parameters, which OBJECT FREQ uses whatever the policy.
  void Configure(const EvictionSettings& settings);
  EvictionSettings settings() const;

  void Start();
  void Stop();
  // One tick on the caller's thread; returns the number of keys evicted.
  StatusOr<uint64_t> RunTick();

  uint64_t evicted_keys() const { return evicted_keys_.load(std::memory_order_relaxed); }
  // The last dataset size estimate, in bytes (0 before the first tick).
  uint64_t dataset_bytes() const { return dataset_bytes_.load(std::memory_order_relaxed); }

 private:
  void Loop();
  // A logical database picked in proportion to its keys, or -1 if all are empty.
  int PickDatabase();
  // Samples keys to update the mean key size; returns the dataset estimate.
  StatusOr<uint64_t> RefreshEstimate();
  // Picks and deletes one key; false when no candidate could be deleted.
  StatusOr<bool> EvictOne(const EvictionSettings& s);

  Engine& engine_;
  EvictedKeyFn on_evicted_;
  mutable std::mutex settings_mu_;
  EvictionSettings settings_;
  std::atomic<uint64_t> evicted_keys_{0};
  std::atomic<uint64_t> dataset_bytes_{0};
  double mean_key_bytes_ = 0;  // smoothed; touched by the ticking thread only
  EvictionPool pool_;          // likewise
  std::mt19937_64 rng_{std::random_device{}()};

  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::atomic<bool> behind_{false};  // the last tick ran out of budget while over
  std::thread thread_;
};

}  // namespace strata::engine
