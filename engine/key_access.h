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
//                  the expiry index, the database's key count; the metadata
//                  record itself is added by Commit, once per key, as the key
//                  stands at the end of the command or transaction;
//   4. Commit()    writes the one WriteBatch (no_slowdown when inline, so a
//                  write stall turns into kWouldBlock before anything is
//                  applied) and reports the WAL sequence number.
// Type operations add their sub-key writes to batch(). Locks are released
// when the KeyAccess is destroyed, after Commit.
//
// TWO DATABASES (MOVE, COPY ... DB n): every key is addressed as (logical
// db, key); the plain overloads use the command's database (ctx.db). Lock
// takes all stripes of all (db, key) pairs in one ascending, deduplicated
// order, so a cross-database command cannot deadlock with any other; key and
// TTL counts are kept per database and merged at Commit. The physical ids of
// the databases are read once, in Lock, under the shared database gate, which
// SWAPDB needs exclusive: a command never sees the map change under it.
//
// MOVING A COLLECTION (RENAME, MOVE): Delete(source) then Put(target, value
// with the same object id) in that order: Delete removes objects[id], the
// later Put writes it again pointing at the target, and the batch applies
// them in order, so the id stays live and its sub-keys stay where they are.
//
// The hot tier (engine/hot_tier.h) lives here and only here: Find consults
// it and admits what it reads from RocksDB; Commit, once the batch is
// written, installs every changed key's new object and erases deleted keys,
// all under the same key locks, so the tier and disk never disagree.
//
// TRANSACTIONS (engine/transaction.h): when ctx.txn names a transaction-wide
// access, this access delegates to it: Lock only checks that the keys are
// among the transaction's locked stripes, Find/Put/Delete/sub-key calls and
// batch() go to the shared access, and Commit does nothing (EXEC commits the
// shared access once). Operations need no change to run inside EXEC.
//
// Engine-internal: includes RocksDB headers; never include it outside engine/.
#pragma once

#include <rocksdb/options.h>
#include <rocksdb/write_batch.h>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "codec/layout.h"
#include "common/status.h"
#include "engine/hot_tier.h"
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

  // A key of a given logical database.
  struct DbKey {
    int db;
    std::string_view key;
  };

  // Locks the keys (any order, duplicates allowed). Call once, first.
  Status Lock(std::span<const std::string_view> keys);
  Status Lock(std::string_view key) { return Lock(std::span<const std::string_view>(&key, 1)); }
  // Locks keys of possibly different logical databases (MOVE, COPY ... DB).
  Status Lock(std::span<const DbKey> keys);

  // The key's live metadata, or kNotFound (absent or expired), kWouldBlock
  // (inline and not in memory), kCorruption. The pointer stays valid until
  // the next Put/Delete of the same key.
  StatusOr<const codec::MetaValue*> Find(std::string_view key) { return Find(ctx_.db, key); }
  // REQUIRES: (db, key) was locked by this access.
  StatusOr<const codec::MetaValue*> Find(int db, std::string_view key);

  // For the expiry cycle: reads the key like Find (staging its deletion if it
  // expired) and reports what was stored.
  struct FindOutcome {
    bool expired_now = false;       // the key was due and its deletion is staged
    uint64_t stored_expire_ms = 0;  // expiry on disk (0: none, or no key)
  };
  StatusOr<FindOutcome> FindForExpiry(std::string_view key);

  // Stages a new value for a key that was Find()-ed by this access.
  void Put(std::string_view key, codec::MetaValue value) { Put(ctx_.db, key, std::move(value)); }
  void Put(int db, std::string_view key, codec::MetaValue value);
  // Stages deletion of a key that was Find()-ed and is live.
  void Delete(std::string_view key) { Delete(ctx_.db, key); }
  void Delete(int db, std::string_view key);
  // Deletes a live key the command left empty (an emptied collection, a
  // store command's empty result) and raises keyspace event "del", held to
  // follow the command's own event for the key (KeyEvent::held), as Redis
  // raises it. No-op if the key is not live.
  void DeleteEmpty(std::string_view key);

  // Stages a brand-new collection under a fresh object id: as Put, and the
  // hot tier may hold its (empty, hence complete) body from the start.
  void PutNew(std::string_view key, codec::MetaValue value) {
    PutNew(ctx_.db, key, std::move(value));
  }
  void PutNew(int db, std::string_view key, codec::MetaValue value);

  // ---- Sub-keys of a collection (engine/key_access_subkeys.cc) ----
  // A collection's fields, members and elements live under its object id in
  // the sub-key families. Type operations read and write them only through
  // these calls: that is what lets the hot tier hold a small collection whole
  // (ObjectBody) and keep it coherent — writes go into the batch and reach
  // the body in RAM after Commit, under the key's lock. Reads see the
  // writes this access staged before them. Sub-keys are given without the
  // object-id prefix; values and results are valid until the next call.
  // REQUIRES: `key` is live for this access (Find()-ed, Put() or PutNew()).
  // Reads may return kWouldBlock (inline, data not in memory).
  Status GetSub(std::string_view key, SubFamily f, std::string_view subkey, std::string* value);
  void PutSub(std::string_view key, SubFamily f, std::string_view subkey, std::string_view value);
  void DeleteSub(std::string_view key, SubFamily f, std::string_view subkey);
  // Visits sub-keys in byte order starting at `start` (inclusive; "" = the
  // first), or with `reverse` in descending order starting at `start`
  // (inclusive; "" = the last), until `visit` returns false.
  using SubVisitor = std::function<bool(std::string_view subkey, std::string_view value)>;
  Status ScanSub(std::string_view key, SubFamily f, std::string_view start, bool reverse,
                 const SubVisitor& visit);

  // The index held in RAM with `key`'s object (hot_tier.h, ObjectIndex), or
  // null — also while this access has staged sub-key writes for the key, as
  // an index mirrors only what is committed.
  std::shared_ptr<ObjectIndex> Index(std::string_view key);
  // Whether this access staged sub-key writes for `key`.
  bool HasStagedSubkeys(std::string_view key);
  // Attaches `index`, built from what is committed, to `key`'s object in RAM
  // (no-op while sub-key writes are staged for it) and re-charges the object
  // in the tier; call again after the index grew. Returns whether the tier
  // holds the object (else the index lives only as long as this access).
  bool SetIndex(std::string_view key, std::shared_ptr<ObjectIndex> index);
  // Whether the tier would hold an object (with its index) of `bytes`.
  bool TierAdmits(uint64_t bytes) const;
  // False when the command runs inline: long scans should return kWouldBlock.
  bool may_block() const { return txn_ != nullptr ? txn_->may_block() : ctx_.may_block; }

  // A fresh object id for a new collection or chunked string.
  StatusOr<uint64_t> NewObjectId();
  rocksdb::WriteBatch& batch() { return txn_ != nullptr ? txn_->batch_ : batch_; }
  // For type operations' sub-key reads: the engine's handles, and read
  // options that stay in memory when the command runs inline (a read that
  // would touch disk then fails with Incomplete, i.e. kWouldBlock).
  EngineImpl& impl() { return e_; }
  rocksdb::ReadOptions SubkeyReadOptions() const;
  // Physical id of the command's database (valid after Lock).
  uint32_t physical_db() const { return txn_ != nullptr ? txn_->physical_db_ : physical_db_; }

  // Writes the staged batch, if any.
  Status Commit();

 private:
  struct Slot;
  // Per-database changes of the key and TTL counts, merged at Commit.
  struct DbDelta {
    int db;
    uint32_t physical;
    int64_t keys = 0;
    int64_t expires = 0;
  };
  Status EnterGate();
  // Transactions: whether every stripe of `stripes` is held by this access.
  Status CheckLocked(std::span<const uint32_t> stripes) const;
  Status LockStripes();
  Slot* SlotFor(int db, std::string_view key);
  Slot* LiveSlot(std::string_view key);
  Status Load(Slot& slot);
  // `scan`: the family a ScanSub is about to walk (a big zset's score order
  // may be loaded alone), or nullopt.
  Status LoadBody(Slot& slot, std::optional<SubFamily> scan = std::nullopt);
  struct StagedObject;
  // The sub-key writes staged for `object_id`, or null.
  StagedObject* StagedFor(uint64_t object_id) const;
  StagedObject& StageFor(uint64_t object_id);
  // After the batch is written: applies what was staged for the slot's
  // current object to its body and index in RAM; returns whether either
  // changed.
  bool ApplyStaged(Slot& slot);
  DbDelta& DeltaFor(int db);
  uint32_t PhysicalOf(int db) { return DeltaFor(db).physical; }
  void StageDelete(Slot& slot);
  // Appends a keyspace event for the slot's key to ctx.key_events, if any.
  void Raise(uint32_t type, std::string_view event, const Slot& slot);

  Engine& engine_;
  EngineImpl& e_;
  OpContext& ctx_;
  Intent intent_;
  uint32_t physical_db_;
  bool gate_held_ = false;
  std::vector<uint32_t> stripes_;
  std::vector<std::unique_ptr<Slot>> slots_;
  std::map<uint64_t, std::unique_ptr<StagedObject>> staged_objects_;
  rocksdb::WriteBatch batch_;
  std::vector<DbDelta> deltas_;  // one per database locked (one or two)
  bool committed_ = false;
  KeyAccess* txn_;  // the transaction's access this one delegates to, or null
};

// Converts a RocksDB status at the engine boundary (Incomplete -> kWouldBlock).
Status FromRocksDb(const rocksdb::Status& s);

}  // namespace strata::engine
