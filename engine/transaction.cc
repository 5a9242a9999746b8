// MULTI/EXEC's shared access and WATCH sampling; see transaction.h.
#include "engine/transaction.h"

#include "engine/engine.h"
#include "engine/engine_impl.h"
#include "engine/key_access.h"

namespace strata::engine {

StatusOr<WatchedKey> WatchKey(Engine& engine, OpContext& ctx, std::string_view key) {
  OpContext quiet = ctx;
  quiet.key_events = nullptr;  // WATCH is not a lookup: no "keymiss", as in Redis
  KeyAccess access(engine, quiet, KeyAccess::Intent::kRead);
  RETURN_IF_ERROR(access.Lock(key));
  auto outcome = access.FindForExpiry(key);
  if (!outcome.ok()) return outcome.status();
  WatchedKey w;
  w.db = ctx.db;
  w.key.assign(key);
  w.expired = outcome->stored_expire_ms != 0 && outcome->stored_expire_ms <= ctx.now_ms;
  // Registered under the key's lock: no write of it is half-way through.
  w.version = engine.impl().watches.Add(ctx.db, key);
  return w;
}

void Unwatch(Engine& engine, const WatchedKey& watched) {
  engine.impl().watches.Remove(watched.db, watched.key);
}

Transaction::Transaction(Engine& engine, const OpContext& ctx)
    : engine_(engine),
      ctx_(ctx),
      access_(std::make_unique<KeyAccess>(engine, ctx_, KeyAccess::Intent::kWrite)) {
  ctx_.txn = nullptr;
  ctx_.write_seq = 0;
}

Transaction::~Transaction() = default;

Status Transaction::Lock(std::span<const Key> keys) {
  std::vector<KeyAccess::DbKey> db_keys;
  db_keys.reserve(keys.size());
  for (const Key& k : keys) db_keys.push_back({k.db, k.key});
  return access_->Lock(std::span<const KeyAccess::DbKey>(db_keys));
}

StatusOr<bool> Transaction::WatchesHold(std::span<const WatchedKey> watched) {
  WatchTable& table = engine_.impl().watches;
  for (const WatchedKey& w : watched) {
    if (table.Version(w.db, w.key) != w.version) return false;
    if (w.expired) continue;
    // A key that was live at WATCH and has expired since, unnoticed (Redis
    // 7.0: "EXEC fail on lazy expired WATCHed key").
    int db = ctx_.db;
    ctx_.db = w.db;
    auto outcome = access_->FindForExpiry(w.key);
    ctx_.db = db;
    if (!outcome.ok()) return outcome.status();
    if (outcome->expired_now) return false;
  }
  return true;
}

void Transaction::Attach(OpContext& op) {
  op.txn = access_.get();
}

StatusOr<uint64_t> Transaction::Commit() {
  RETURN_IF_ERROR(access_->Commit());
  return ctx_.write_seq;
}

ExclusiveGate::~ExclusiveGate() {
  if (marked_ == nullptr) return;
  marked_->gate_exclusive = false;
  engine_.locks().gate().unlock();
}

Status ExclusiveGate::Acquire(OpContext& ctx) {
  auto& gate = engine_.locks().gate();
  if (ctx.may_block) {
    gate.lock();
  } else if (!gate.try_lock()) {
    return Status::WouldBlock();
  }
  marked_ = &ctx;
  ctx.gate_exclusive = true;
  return Status::Ok();
}

}  // namespace strata::engine
