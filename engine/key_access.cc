// KeyAccess: locking, metadata reads and the per-command batch; see key_access.h.
#include "engine/key_access.h"

#include <rocksdb/db.h>

#include <algorithm>
#include <chrono>

#include "engine/engine.h"
#include "engine/engine_impl.h"
#include "engine/hot_tier.h"
#include "engine/key_access_slot.h"
#include "engine/key_observer.h"
#include "engine/watch_table.h"

namespace strata::engine {

uint64_t NowMs() {
  using namespace std::chrono;
  return static_cast<uint64_t>(
      duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count());
}

Status FromRocksDb(const rocksdb::Status& s) {
  if (s.ok()) return Status::Ok();
  if (s.IsNotFound()) return Status::NotFound();
  if (s.IsIncomplete()) return Status::WouldBlock();
  if (s.IsCorruption()) return Status::Corruption(s.ToString());
  return Status::IOError(s.ToString());
}

KeyAccess::KeyAccess(Engine& engine, OpContext& ctx, Intent intent)
    : engine_(engine), e_(engine.impl()), ctx_(ctx), intent_(intent), txn_(ctx.txn) {}

KeyAccess::~KeyAccess() {
  if (!stripes_.empty()) e_.locks.Unlock(stripes_);
  if (gate_held_) e_.locks.gate().unlock_shared();
}

Status KeyAccess::Lock(std::span<const std::string_view> keys) {
  if (txn_ != nullptr) {
    std::vector<uint32_t> wanted;
    for (auto k : keys) {
      wanted.push_back(static_cast<uint32_t>(KeyLocks::StripeOf(txn_->PhysicalOf(ctx_.db), k)));
    }
    return txn_->CheckLocked(wanted);
  }
  RETURN_IF_ERROR(EnterGate());
  stripes_.reserve(keys.size());
  for (auto k : keys) {
    stripes_.push_back(static_cast<uint32_t>(KeyLocks::StripeOf(physical_db_, k)));
  }
  return LockStripes();
}

Status KeyAccess::Lock(std::span<const DbKey> keys) {
  if (txn_ != nullptr) {
    std::vector<uint32_t> wanted;
    for (const DbKey& k : keys) {
      wanted.push_back(static_cast<uint32_t>(KeyLocks::StripeOf(txn_->PhysicalOf(k.db), k.key)));
    }
    return txn_->CheckLocked(wanted);
  }
  RETURN_IF_ERROR(EnterGate());
  stripes_.reserve(keys.size());
  for (const DbKey& k : keys) {
    stripes_.push_back(static_cast<uint32_t>(KeyLocks::StripeOf(PhysicalOf(k.db), k.key)));
  }
  return LockStripes();
}

Status KeyAccess::CheckLocked(std::span<const uint32_t> stripes) const {
  for (uint32_t s : stripes) {
    if (!std::binary_search(stripes_.begin(), stripes_.end(), s)) {
      return Status::Internal("key outside the transaction's declared keys");
    }
  }
  return Status::Ok();
}

Status KeyAccess::EnterGate() {
  auto& gate = e_.locks.gate();
  if (ctx_.gate_exclusive) {
    // The caller holds the gate exclusively (engine/transaction.h).
  } else if (ctx_.may_block) {
    gate.lock_shared();
  } else if (!gate.try_lock_shared()) {
    return Status::WouldBlock();
  }
  gate_held_ = !ctx_.gate_exclusive;
  // The map is read under the gate: SWAPDB changes it only while holding it exclusive.
  physical_db_ = DeltaFor(ctx_.db).physical;
  return Status::Ok();
}

// Locks stripes_ in ascending order (one global order: no deadlock).
Status KeyAccess::LockStripes() {
  std::sort(stripes_.begin(), stripes_.end());
  stripes_.erase(std::unique(stripes_.begin(), stripes_.end()), stripes_.end());
  if (!e_.locks.Lock(stripes_, !ctx_.may_block)) {
    stripes_.clear();
    return Status::WouldBlock();
  }
  return Status::Ok();
}

KeyAccess::DbDelta& KeyAccess::DeltaFor(int db) {
  for (auto& d : deltas_) {
    if (d.db == db) return d;
  }
  deltas_.push_back(DbDelta{db, e_.db_map[db]});
  return deltas_.back();
}

KeyAccess::Slot* KeyAccess::SlotFor(int db, std::string_view key) {
  for (auto& s : slots_) {
    if (s->db == db && s->key == key) return s.get();
  }
  auto slot = std::make_unique<Slot>();
  slot->db = db;
  slot->key.assign(key);
  codec::AppendMetaKey(&slot->meta_key, PhysicalOf(db), key);
  slots_.push_back(std::move(slot));
  return slots_.back().get();
}

StatusOr<const codec::MetaValue*> KeyAccess::Find(int db, std::string_view key) {
  if (txn_ != nullptr) return txn_->Find(db, key);
  Slot* slot = SlotFor(db, key);
  if (slot->state == Slot::State::kUnread) RETURN_IF_ERROR(Load(*slot));
  if (!slot->live_now) return Status::NotFound();
  return &slot->current();
}

// Reads a key's metadata through the hot tier, admitting what RocksDB
// returns (under the key lock, so it is exactly what is on disk).
Status KeyAccess::Load(Slot& slot) {
  slot.stored = e_.tier->Lookup(slot.meta_key, ctx_.now_ms);
  if (slot.stored == nullptr) {
    rocksdb::ReadOptions ro;
    if (!ctx_.may_block) ro.read_tier = rocksdb::kBlockCacheTier;
    rocksdb::PinnableSlice value;
    rocksdb::Status s = e_.db->Get(ro, e_.cf(Cf::kKeys), slot.meta_key, &value);
    if (s.IsNotFound()) {
      slot.state = Slot::State::kAbsent;
      if (intent_ == Intent::kRead) Raise(kNotifyKeyMiss, "keymiss", slot);
      return Status::Ok();
    }
    RETURN_IF_ERROR(FromRocksDb(s));
    auto obj = std::make_shared<HotObject>();
    ASSIGN_OR_RETURN(obj->meta, codec::DecodeMetaValue(value.ToStringView()));
    slot.stored = std::move(obj);
    e_.tier->Insert(slot.meta_key, slot.stored, ctx_.now_ms);
  } else {
    slot.from_tier = true;
  }
  const codec::MetaValue& meta = slot.stored->meta;
  bool expired = meta.expire_ms != 0 && meta.expire_ms <= ctx_.now_ms;
  slot.state = expired ? Slot::State::kExpired : Slot::State::kLive;
  if (!expired) {
    slot.live_now = true;
  } else if (intent_ == Intent::kWrite) {
    StageDelete(slot);  // lazy expiry: a writer removes what it finds expired
    slot.expired_by_read = true;
    Raise(kNotifyExpired, "expired", slot);
  } else {
    // A reader leaves the key; the dispatcher deletes it after the command
    // and confirms the event (engine/key_events.h).
    if (ctx_.key_events != nullptr) {
      KeyEvent e{kNotifyExpired, "expired", slot.db, slot.key};
      e.unconfirmed = true;
      ctx_.key_events->Add(std::move(e));
    }
    Raise(kNotifyKeyMiss, "keymiss", slot);
  }
  return Status::Ok();
}

StatusOr<KeyAccess::FindOutcome> KeyAccess::FindForExpiry(std::string_view key) {
  if (txn_ != nullptr) return txn_->FindForExpiry(key);
  auto found = Find(key);
  if (!found.ok() && !found.status().IsNotFound()) return found.status();
  Slot* slot = SlotFor(ctx_.db, key);
  FindOutcome out;
  out.expired_now = slot->expired_by_read;
  out.stored_expire_ms = slot->stored != nullptr ? slot->stored->meta.expire_ms : 0;
  return out;
}

void KeyAccess::StageDelete(Slot& slot) {
  const codec::MetaValue& old = slot.live_now ? slot.current() : slot.stored->meta;
  if (old.has_object()) {
    (void)batch_.Delete(e_.cf(Cf::kObjects), codec::EncodeObjectId(old.object_id));
  }
  if (old.expire_ms != 0) {
    (void)batch_.Delete(e_.cf(Cf::kExpiry), codec::EncodeExpiryKey(old.expire_ms, slot.meta_key));
  }
  DbDelta& delta = DeltaFor(slot.db);
  delta.keys -= 1;
  if (old.expire_ms != 0) delta.expires -= 1;
  slot.live_now = false;
  slot.staged.reset();
  slot.touched = true;
  slot.state = Slot::State::kAbsent;
}

void KeyAccess::PutNew(int db, std::string_view key, codec::MetaValue value) {
  if (txn_ != nullptr) return txn_->PutNew(db, key, std::move(value));
  bool bodied = value.is_collection();
  Put(db, key, std::move(value));
  // A new object has no sub-keys yet: its empty body is complete.
  if (bodied) SlotFor(db, key)->staged->body = std::make_shared<ObjectBody>();
}

void KeyAccess::Put(int db, std::string_view key, codec::MetaValue value) {
  if (txn_ != nullptr) return txn_->Put(db, key, std::move(value));
  Slot* slot = SlotFor(db, key);
  bool existed = slot->live_now;
  // The same object keeps its body (sub-key writes reach it at Commit).
  std::shared_ptr<ObjectBody> body;
  std::shared_ptr<ObjectIndex> index;
  if (existed && value.has_object() && slot->current().object_id == value.object_id) {
    const HotObject* obj = slot->staged ? slot->staged.get() : slot->stored.get();
    body = obj->body;
    index = obj->index;
  }
  const codec::MetaValue* old = existed ? &slot->current() : nullptr;
  if (old != nullptr && old->has_object() &&
      (!value.has_object() || value.object_id != old->object_id)) {
    (void)batch_.Delete(e_.cf(Cf::kObjects), codec::EncodeObjectId(old->object_id));
  }
  if (value.has_object() &&
      (old == nullptr || !old->has_object() || old->object_id != value.object_id)) {
    (void)batch_.Put(e_.cf(Cf::kObjects), codec::EncodeObjectId(value.object_id), slot->meta_key);
  }
  if (old != nullptr && old->expire_ms != 0 && old->expire_ms != value.expire_ms) {
    (void)batch_.Delete(e_.cf(Cf::kExpiry), codec::EncodeExpiryKey(old->expire_ms, slot->meta_key));
  }
  if (value.expire_ms != 0 && (old == nullptr || old->expire_ms != value.expire_ms)) {
    (void)batch_.Put(e_.cf(Cf::kExpiry), codec::EncodeExpiryKey(value.expire_ms, slot->meta_key),
                     rocksdb::Slice());
  }
  DbDelta& delta = DeltaFor(db);
  if (!existed) {
    delta.keys += 1;
    Raise(kNotifyNew, "new", *slot);
  }
  delta.expires += (value.expire_ms != 0) - (old != nullptr && old->expire_ms != 0);
  auto staged = std::make_shared<HotObject>();
  staged->meta = std::move(value);
  staged->body = std::move(body);
  staged->index = std::move(index);
  slot->staged = std::move(staged);
  slot->live_now = true;
  slot->touched = true;
  slot->state = Slot::State::kLive;
}

void KeyAccess::Delete(int db, std::string_view key) {
  if (txn_ != nullptr) return txn_->Delete(db, key);
  Slot* slot = SlotFor(db, key);
  if (slot->live_now) StageDelete(*slot);
}

void KeyAccess::Raise(uint32_t type, std::string_view event, const Slot& slot) {
  if (ctx_.key_events != nullptr) ctx_.key_events->Add({type, event, slot.db, slot.key});
}

void KeyAccess::DeleteEmpty(std::string_view key) {
  if (txn_ != nullptr) return txn_->DeleteEmpty(key);
  Slot* slot = SlotFor(ctx_.db, key);
  if (!slot->live_now) return;
  StageDelete(*slot);
  if (ctx_.key_events != nullptr) {
    ctx_.key_events->Add({kNotifyGeneric, "del", slot->db, slot->key, /*held=*/true});
  }
}

rocksdb::ReadOptions KeyAccess::SubkeyReadOptions() const {
  rocksdb::ReadOptions ro;
  if (!ctx_.may_block) ro.read_tier = rocksdb::kBlockCacheTier;
  return ro;
}

StatusOr<uint64_t> KeyAccess::NewObjectId() {
  return e_.object_ids.Next();
}

Status KeyAccess::Commit() {
  committed_ = true;
  if (txn_ != nullptr) return Status::Ok();  // the transaction commits once
  // A key's metadata record is written once, as it stands at the end: a
  // transaction or script that writes a key ten times puts one record in the
  // memtable, not ten (an insert is a skip-list walk; see engine.cc).
  for (const auto& slot : slots_) {
    if (!slot->touched) continue;
    if (slot->live_now) {
      (void)batch_.Put(e_.cf(Cf::kKeys), slot->meta_key, codec::EncodeMetaValue(slot->current()));
    } else {
      (void)batch_.Delete(e_.cf(Cf::kKeys), slot->meta_key);
    }
  }
  if (batch_.Count() == 0) return Status::Ok();
  auto merge = [&](const std::string& record, const int64_t& delta) {
    if (delta == 0) return;
    (void)batch_.Merge(e_.cf(Cf::kDefault), record,
                       rocksdb::Slice(reinterpret_cast<const char*>(&delta), sizeof(delta)));
  };
  for (const DbDelta& d : deltas_) {
    merge(DbSizeRecordKey(d.physical), d.keys);
    merge(DbExpiresRecordKey(d.physical), d.expires);
  }
  rocksdb::WriteOptions wo;
  wo.sync = false;
  wo.no_slowdown = !ctx_.may_block;
  RETURN_IF_ERROR(FromRocksDb(e_.db->Write(wo, &batch_)));
  e_.bytes_written.fetch_add(batch_.GetDataSize(), std::memory_order_relaxed);
  for (const DbDelta& d : deltas_) {
    if (d.keys != 0) e_.key_counts[d.db].fetch_add(d.keys, std::memory_order_relaxed);
    if (d.expires != 0) e_.expire_counts[d.db].fetch_add(d.expires, std::memory_order_relaxed);
  }
  ctx_.write_seq = std::max(ctx_.write_seq, e_.db->GetLatestSequenceNumber());
  // Disk now holds the batch: bring the tier in step, still under the locks.
  for (auto& slot : slots_) {
    if (slot->touched) {
      e_.watches.Touch(slot->db, slot->key);
      if (e_.key_observer != nullptr)
        e_.key_observer->KeyChanged(slot->db, slot->key, ctx_.client_id);
      if (slot->live_now) e_.ready.Signal(slot->db, slot->key);  // wakes BLPOP & co.
    }
    if (!slot->touched && !(slot->live_now && StagedFor(slot->current().object_id))) continue;
    if (!slot->live_now) {
      e_.tier->Erase(slot->meta_key);
      continue;
    }
    // What was staged for an object no longer under any key (deleted or
    // replaced) is never applied: its sub-keys are garbage for the filter.
    bool body_changed = ApplyStaged(*slot);
    if (slot->staged != nullptr) {
      e_.tier->Insert(slot->meta_key, slot->staged, ctx_.now_ms);
    } else if (body_changed) {
      e_.tier->Insert(slot->meta_key, slot->stored, ctx_.now_ms);  // charge changed
    }
  }
  return Status::Ok();
}

}  // namespace strata::engine
