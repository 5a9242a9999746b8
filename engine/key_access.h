// KeyAccess: the one way engine operations read and write user keys.
//
// One KeyAccess serves one command (or, later, one MULTI/EXEC or script):
//   1. Lock(keys)  takes the database gate shared and the keys' stripe locks
//                  (try-only when the command runs inline: kWouldBlock);
//   2. Find(key)   reads a key's metadata once per command; an expired key
//                  reads as absent (and a write access deletes it);
//   3. Put/Delete  stage metadata changes, keeping every derived record in
//                  step in the same batch: the objects record of anything that
//                  has_object() (a collection or a chunked string),
//                  the expiry index, the database's key count;
//   4. Commit()    writes the one WriteBatch (no_slowdown when inline, so a
//                  write stall turns into kWouldBlock before anything is
//                  applied) and reports the WAL sequence number.
// Type operations add their sub-key writes to batch(). Locks are released
// when the KeyAccess is destroyed, after Commit.
//
// The hot tier (engine/hot_tier.h) lives here and only here: Find consults
// it and admits what it reads from RocksDB; Commit, once the batch is
// written, installs every changed key's new object and erases deleted keys,
// all under the same key locks, so the tier and disk never disagree.
//
// Engine-internal: includes RocksDB headers; never include it outside engine/.
#pragma once

#include <rocksdb/options.h>
#include <rocksdb/write_batch.h>

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "codec/layout.h"
#include "common/status.h"
#include "engine/op_context.h"

namespace strata::engine {

class Engine;
struct EngineImpl;

class KeyAccess {
 public:
  enum class Intent : unsigned char { kRead, kWrite };

  KeyAccess(Engine& engine, OpContext& ctx, Intent intent);
  ~KeyAccess();
  KeyAccess(const KeyAccess&) = delete;
  KeyAccess& operator=(const KeyAccess&) = delete;

  // Locks the keys (any order, duplicates allowed). Call once, first.
  Status Lock(std::span<const std::string_view> keys);
  Status Lock(std::string_view key) { return Lock(std::span<const std::string_view>(&key, 1)); }

  // The key's live metadata, or kNotFound (absent or expired), kWouldBlock
  // (inline and not in memory), kCorruption. The pointer stays valid until
  // the next Put/Delete of the same key.
  StatusOr<const codec::MetaValue*> Find(std::string_view key);

  // For the expiry cycle: reads the key like Find (staging its deletion if it
  // expired) and reports what was stored.
  struct FindOutcome {
    bool expired_now = false;       // the key was due and its deletion is staged
    uint64_t stored_expire_ms = 0;  // expiry on disk (0: none, or no key)
  };
  StatusOr<FindOutcome> FindForExpiry(std::string_view key);

  // Stages a new value for a key that was Find()-ed by this access.
  void Put(std::string_view key, codec::MetaValue value);
  // Stages deletion of a key that was Find()-ed and is live.
  void Delete(std::string_view key);

  // A fresh object id for a new collection or chunked string.
  StatusOr<uint64_t> NewObjectId();
  rocksdb::WriteBatch& batch() { return batch_; }
  // For type operations' sub-key reads: the engine's handles, and read
  // options that stay in memory when the command runs inline (a read that
  // would touch disk then fails with Incomplete, i.e. kWouldBlock).
  EngineImpl& impl() { return e_; }
  rocksdb::ReadOptions SubkeyReadOptions() const;
  uint32_t physical_db() const { return physical_db_; }

  // Writes the staged batch, if any.
  Status Commit();

 private:
  struct Slot;
  Slot* SlotFor(std::string_view key);
  Status Load(Slot& slot);
  void StageDelete(Slot& slot);

  Engine& engine_;
  EngineImpl& e_;
  OpContext& ctx_;
  Intent intent_;
  uint32_t physical_db_;
  bool gate_held_ = false;
  std::vector<uint32_t> stripes_;
  std::vector<std::unique_ptr<Slot>> slots_;
  rocksdb::WriteBatch batch_;
  int64_t key_delta_ = 0;      // change in the database's key count
  int64_t expires_delta_ = 0;  // change in its count of keys with a TTL
  bool committed_ = false;
};

// Converts a RocksDB status at the engine boundary (Incomplete -> kWouldBlock).
Status FromRocksDb(const rocksdb::Status& s);

}  // namespace strata::engine
