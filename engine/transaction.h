// Transaction: the engine side of MULTI/EXEC and WATCH.
//
// ONE ACCESS, ONE BATCH. EXEC runs its queued commands through one
// transaction-wide KeyAccess: Transaction locks every key of every queued
// command (and every watched key) up front, in the one ascending stripe
// order, and points the commands' OpContext at its access (OpContext::txn).
// Each engine operation still builds its own KeyAccess, which then delegates
// to the shared one (engine/key_access.h): Lock only checks that the keys are
// among those locked, reads see what earlier commands of the transaction
// staged, writes go to the one WriteBatch, and Commit does nothing. EXEC
// commits once at the end, so after a crash all of the transaction is on disk
// or none of it. If a command returns kWouldBlock while EXEC runs inline,
// the Transaction is dropped unwritten and EXEC re-runs on the blocking pool.
//
// KEYLESS KEYSPACE COMMANDS (FLUSHDB, FLUSHALL, SWAPDB, KEYS, SCAN, DBSIZE,
// RANDOMKEY, and SELECT/MOVE/COPY, whose other database is not in the key
// specs) cannot be covered by key locks. A transaction holding one runs
// instead under the database gate held exclusively (ExclusiveGate), on the
// blocking pool: no other command runs meanwhile, so EXEC is atomic, and
// each command writes its own batch (such a transaction is not one batch on
// disk: a crash in its middle may keep its first commands).
//
// WATCH: see engine/watch_table.h for how versions are kept.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "common/status.h"
#include "engine/op_context.h"

namespace strata::engine {

class Engine;

// One WATCHed key as sampled by WatchKey.
struct WatchedKey {
  int db = 0;
  std::string key;
  uint64_t version = 0;
  bool expired = false;  // stored, but past its expiry, at WATCH time
};

// Registers a watch of `key` in ctx.db and samples it. Pair with Unwatch.
StatusOr<WatchedKey> WatchKey(Engine& engine, OpContext& ctx, std::string_view key);
void Unwatch(Engine& engine, const WatchedKey& watched);

class Transaction {
 public:
  // `ctx`: the EXEC's context (database, clock, may_block); copied.
  Transaction(Engine& engine, const OpContext& ctx);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  // A key of a logical database (watched keys may be of another database).
  struct Key {
    int db;
    std::string_view key;
  };
  // Locks the keys (any order, duplicates allowed; once, first).
  Status Lock(std::span<const Key> keys);
  // Whether no watched key changed since WATCH, nor expired since (as
  // Redis 7.0's isWatchedKeyExpired). REQUIRES: the watched keys are locked.
  StatusOr<bool> WatchesHold(std::span<const WatchedKey> watched);
  // Makes operations run with `op` use the transaction's access.
  void Attach(OpContext& op);
  // Writes the one batch; returns the WAL sequence written (0: nothing).
  StatusOr<uint64_t> Commit();

 private:
  Engine& engine_;
  OpContext ctx_;
  std::unique_ptr<KeyAccess> access_;
};

// The database gate held exclusively for a transaction with keyless
// keyspace commands; operations run with ctx.gate_exclusive do not take it.
class ExclusiveGate {
 public:
  explicit ExclusiveGate(Engine& engine) : engine_(engine) {}
  ~ExclusiveGate();
  ExclusiveGate(const ExclusiveGate&) = delete;
  ExclusiveGate& operator=(const ExclusiveGate&) = delete;
  // Takes the gate (waits when may_block, else kWouldBlock) and marks ctx
  // (ctx.gate_exclusive) until the gate is released.
  Status Acquire(OpContext& ctx);

 private:
  Engine& engine_;
  OpContext* marked_ = nullptr;  // the context Acquire marked, while held
};

}  // namespace strata::engine
