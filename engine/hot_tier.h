// HotTier: the in-memory tier of decoded objects in front of RocksDB.
//
// WHAT IT HOLDS. One HotObject per user key that is in RAM: the key's decoded
// metadata record — for a string, the value itself; for a collection, its
// metadata (the collections issue adds the decoded members, see HotObject).
// Entries are keyed by the MetaKey (physical db, slot, user key), so SWAPDB
// needs nothing here and FLUSHDB drops one database's prefix.
//
// COHERENCE (the invariant every type relies on). The tier is touched only by
// KeyAccess (engine/key_access.h), always under the key's stripe lock:
//   - Find consults the tier first; on a miss it reads RocksDB and admits
//     what it read (what is on disk, under the lock, is what is cached);
//   - Commit, only after the WriteBatch is written, installs the new object
//     of every key it changed and erases every key it deleted.
// Every reader and writer of a key holds its stripe lock, so a cached object
// never disagrees with RocksDB. Eviction (demotion) only drops the in-memory
// copy: the data stays on disk, and the next Find reads it back. Operations
// that bypass KeyAccess on whole ranges (FLUSHDB, FLUSHALL) call DropDatabase
// or Clear under the exclusive database gate.
//
// POLICY: S3-FIFO (Yang et al., "FIFO queues are all you need for cache
// eviction", SOSP 2023), per shard:
//   - small: a FIFO holding ~10% of the bytes, where every new object enters;
//   - main:  a FIFO holding the rest, with a 2-bit access counter per object;
//            an object at the tail with a non-zero counter is re-inserted at
//            the head with the counter decremented (CLOCK-like), else demoted;
//   - ghost: hashes of objects recently pushed out of small without a second
//            access; an object admitted again while its hash is in ghost goes
//            straight to main.
// An object reaches main only when it is used again while in small (or soon
// after leaving it), so a scan over cold keys flows through small and out
// without evicting the hot set — the property a plain LRU lacks. Objects
// larger than a quarter of a shard's budget are not admitted (they would
// flush the shard); they are served from RocksDB and its block cache.
//
// ACCESS BOOKKEEPING (OBJECT FREQ / IDLETIME, key-deleting eviction). Every
// cached key keeps the wall-clock time of its last access (Redis's LRU clock,
// in milliseconds) and Redis's 8-bit logarithmic LFU counter (engine/lfu.h),
// both tracked whatever maxmemory-policy is, so switching policy needs no
// adjustment period. A key enters RAM with the counter at kLfuInitValue, as a
// new object does in Redis. An access is a Lookup hit; a Find that admits a
// key from disk counts as one; Commit's replacement of a key's object after
// the same command's Find does not count again (Redis's lookupKeyWrite counts
// once per command). A key not in RAM has no bookkeeping: the tier's memory
// is bounded by what it caches, not by the dataset. Such a key is reported
// as last used when the tier started, with a counter of 0: it was not used
// recently enough to stay in RAM (engine/access_ops.h).
// Under a NoTouchScope (Redis's LOOKUP_NOTOUCH: OBJECT, EXISTS, TYPE,
// MEMORY USAGE, the evictor) a Lookup counts nothing and a miss admits
// nothing; a replacement or erasure still happens, so coherence is kept.
//
// BUDGET. Capacity is in bytes of estimated footprint (key, value, entry and
// allocator overhead); the process-wide figure that INFO reports comes from
// jemalloc, and the engine sizes the tier as maxmemory minus the RocksDB block
// cache and a reserve for clients (engine/options.h).
//
// Thread-safety: all methods are safe from any thread; each shard has its own
// mutex, held only for map and queue updates (never across I/O).
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "codec/layout.h"
#include "engine/lfu.h"

namespace strata::engine {

// The sub-key families a collection's members can live in, as indexes of
// ObjectBody::families (the engine maps them to column families).
enum class SubFamily : unsigned char {
  kHashFields = 0,
  kSetMembers,
  kListElements,
  kZsetMembers,
  kZsetScores,
  kStreamEntries,
};
inline constexpr size_t kSubFamilies = 6;

// A whole collection in RAM: every sub-key of the object (without its 8-byte
// object-id prefix) and its value, per family, in RocksDB's byte order — so
// iterating the body and iterating RocksDB give the same sequence, and a
// command cannot tell which one served it. Held only for collections small
// enough to load at once (KeyAccess decides); larger ones are read from
// RocksDB and its block cache. REQUIRES for every access: the key's lock.
//
// A body may hold only some of its families, each of them complete: a
// sorted set too large to hold whole keeps its score order alone, which
// range reads and geo searches walk (a churned score order in RocksDB is
// mostly tombstones); its members are read from RocksDB.
class ObjectBody {
 public:
  using Map = std::map<std::string, std::string, std::less<>>;

  Map& family(SubFamily f) { return families_[static_cast<size_t>(f)]; }
  const Map& family(SubFamily f) const { return families_[static_cast<size_t>(f)]; }
  bool holds(SubFamily f) const { return (held_ >> static_cast<size_t>(f)) & 1u; }
  bool whole() const { return held_ == kAllFamilies; }
  // Keeps family `f` alone, dropping the others.
  void HoldOnly(SubFamily f);
  // Applies one committed write (ignored for a family not held); `value`
  // null means a deletion.
  void Apply(SubFamily f, std::string_view subkey, const std::string* value);
  uint64_t elements() const { return elements_; }
  uint64_t bytes() const { return bytes_; }  // estimated footprint

 private:
  static uint64_t NodeBytes(const std::string& k, const std::string& v);
  static constexpr uint8_t kAllFamilies = (1u << kSubFamilies) - 1;
  std::array<Map, kSubFamilies> families_;
  uint8_t held_ = kAllFamilies;  // bit i: families_[i] is held
  uint64_t elements_ = 0;
  uint64_t bytes_ = 0;
};

// Derived state a type keeps in RAM beside one collection object (the
// order-statistics index of a big sorted set, engine/zset_rank_index.h):
// built by a command from what is committed, held by the object's HotObject
// (and charged with it), dropped with it (demotion, deletion, a new object
// id). KeyAccess keeps it in step: after the batch is written, Commit reports
// each committed change of a sub-key of family() as +1 (PutSub) or -1
// (DeleteSub). CONTRACT for the type that attaches one: each PutSub of that
// family adds a sub-key absent until then and each DeleteSub removes a
// present one (so the reports are exact counts). REQUIRES: the key's lock.
class ObjectIndex {
 public:
  virtual ~ObjectIndex() = default;
  virtual SubFamily family() const = 0;
  virtual void Apply(std::string_view subkey, int delta) = 0;
  virtual uint64_t bytes() const = 0;  // estimated footprint
};

// What the tier holds for one key. The metadata is never changed once
// installed: a write builds a new HotObject and Commit swaps it in, so a
// pointer to it stays valid for the command holding it. The body of a
// collection is shared between the old and new HotObject; KeyAccess attaches,
// changes (after the batch is written) and drops it in place, always under
// the key's lock (copying a body per write would make every write O(size)).
struct HotObject {
  codec::MetaValue meta;
  mutable std::shared_ptr<ObjectBody> body;    // the whole collection, or null
  mutable std::shared_ptr<ObjectIndex> index;  // as the body: shared, or null
};

struct HotTierStats {
  uint64_t capacity_bytes = 0;
  uint64_t used_bytes = 0;  // estimated footprint of the objects held
  uint64_t objects = 0;
  uint64_t small_objects = 0;  // objects in the small (probation) queue
  uint64_t main_objects = 0;   // objects in the main (protected) queue
  uint64_t hits = 0;
  uint64_t misses = 0;
  uint64_t admissions = 0;  // objects newly taken into RAM
  uint64_t demotions = 0;   // objects dropped from RAM by the policy
  uint64_t rejections = 0;  // objects too large to admit
};

// Access bookkeeping of one cached key, for OBJECT FREQ / IDLETIME.
struct HotAccessInfo {
  uint64_t last_access_ms = 0;
  uint8_t frequency = 0;    // 0..3, the S3-FIFO counter
  uint8_t lfu_counter = 0;  // Redis's LFU counter as of last_access_ms (not decayed)
  uint64_t charge = 0;      // the object's estimated footprint in the tier
};

class HotTier {
 public:
  explicit HotTier(uint64_t capacity_bytes);
  ~HotTier();
  HotTier(const HotTier&) = delete;
  HotTier& operator=(const HotTier&) = delete;

  // The cached object of `meta_key`, or null. A hit counts as an access.
  std::shared_ptr<const HotObject> Lookup(std::string_view meta_key, uint64_t now_ms);
  // As Lookup, without counting an access or a miss (OBJECT, MEMORY USAGE).
  bool Peek(std::string_view meta_key, HotAccessInfo* info) const;

  // Sets a cached key's access bookkeeping, as Redis's objectSetLRUOrLFU
  // (RESTORE ... IDLETIME / FREQ): last access time and, if given, the LFU
  // counter. No-op when the key is not held.
  void SetAccess(std::string_view meta_key, uint64_t last_access_ms, int lfu_counter);

  // Installs `obj` as the object of `meta_key` (replacing any), admitting it
  // per the policy. REQUIRES: the key's stripe lock; `obj` is what RocksDB
  // now holds for the key.
  void Insert(std::string_view meta_key, std::shared_ptr<const HotObject> obj, uint64_t now_ms);
  // Drops the key from RAM. REQUIRES: the key's stripe lock.
  void Erase(std::string_view meta_key);

  // Drops every object whose MetaKey starts with `prefix` (FLUSHDB) / all.
  // REQUIRES: the exclusive database gate.
  void DropPrefix(std::string_view prefix);
  void Clear();

  // Whether an object charged `charge` bytes is small enough to be admitted
  // (see POLICY: not more than a quarter of a shard's budget).
  bool Admits(uint64_t charge) const;
  // Changes the budget (CONFIG SET maxmemory); demotes at once if over.
  void SetCapacity(uint64_t capacity_bytes);
  HotTierStats Stats() const;

  // Estimated footprint of one cached object under `meta_key`.
  static uint64_t Charge(std::string_view meta_key, const HotObject& obj);

  // lfu-log-factor and lfu-decay-time (CONFIG may change them at any time).
  void SetLfuParams(LfuParams p);
  LfuParams lfu_params() const;
  // Wall-clock time the tier was created (the "last access" of keys not in RAM).
  uint64_t created_ms() const { return created_ms_; }

  // While one lives on a thread, the tier's reads on that thread are not
  // accesses (Redis's LOOKUP_NOTOUCH): a hit changes no bookkeeping or
  // counter, a miss is not counted and admits nothing. Nests.
  class NoTouchScope {
   public:
    NoTouchScope();
    ~NoTouchScope();
    NoTouchScope(const NoTouchScope&) = delete;
    NoTouchScope& operator=(const NoTouchScope&) = delete;
  };

 private:
  struct Shard;
  Shard& ShardFor(uint64_t hash) const;

  std::vector<std::unique_ptr<Shard>> shards_;
  std::atomic<int> lfu_log_factor_{10};
  std::atomic<int> lfu_decay_time_{1};
  uint64_t created_ms_ = 0;
};

}  // namespace strata::engine
