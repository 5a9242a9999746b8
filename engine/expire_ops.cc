// Expiry operations and the due-key scan; see expire_ops.h.
#include "engine/expire_ops.h"

#include <rocksdb/db.h>

#include <algorithm>

#include "engine/engine.h"
#include "engine/engine_impl.h"
#include "engine/key_access.h"

namespace strata::engine {

using codec::MetaValue;

StatusOr<bool> SetExpire(Engine& engine, OpContext& ctx, std::string_view key, int64_t at_ms,
                         ExpireCondition condition) {
  KeyAccess access(engine, ctx, KeyAccess::Intent::kWrite);
  RETURN_IF_ERROR(access.Lock(key));
  auto found = access.Find(key);
  if (found.status().IsNotFound()) {
    RETURN_IF_ERROR(access.Commit());  // may carry a lazy-expiry delete
    return false;
  }
  if (!found.ok()) return found.status();
  const MetaValue& meta = **found;
  // A key without a TTL has an infinite one: GT never beats it, LT always does.
  bool has_ttl = meta.expire_ms != 0;
  auto current = static_cast<int64_t>(meta.expire_ms);
  bool allowed = true;
  if (condition.nx) allowed = allowed && !has_ttl;
  if (condition.xx) allowed = allowed && has_ttl;
  if (condition.gt) allowed = allowed && has_ttl && at_ms > current;
  if (condition.lt) allowed = allowed && (!has_ttl || at_ms < current);
  if (!allowed) return false;
  if (at_ms <= static_cast<int64_t>(ctx.now_ms)) {
    access.Delete(key);
  } else {
    MetaValue updated = meta;
    updated.expire_ms = static_cast<uint64_t>(at_ms);
    access.Put(key, std::move(updated));
  }
  RETURN_IF_ERROR(access.Commit());
  return true;
}

StatusOr<int64_t> GetExpire(Engine& engine, OpContext& ctx, std::string_view key) {
  KeyAccess access(engine, ctx, KeyAccess::Intent::kRead);
  RETURN_IF_ERROR(access.Lock(key));
  auto found = access.Find(key);
  if (found.status().IsNotFound()) return int64_t{-2};
  if (!found.ok()) return found.status();
  uint64_t at = (*found)->expire_ms;
  return at == 0 ? int64_t{-1} : static_cast<int64_t>(at);
}

StatusOr<bool> ExpireIfDue(Engine& engine, OpContext& ctx, int db, std::string_view key) {
  OpContext op = ctx;
  op.db = db;
  op.key_events = nullptr;  // the caller raises the event
  KeyAccess access(engine, op, KeyAccess::Intent::kWrite);
  RETURN_IF_ERROR(access.Lock(key));
  ASSIGN_OR_RETURN(KeyAccess::FindOutcome outcome, access.FindForExpiry(key));
  RETURN_IF_ERROR(access.Commit());
  ctx.write_seq = std::max(ctx.write_seq, op.write_seq);
  return outcome.expired_now;
}

StatusOr<bool> Persist(Engine& engine, OpContext& ctx, std::string_view key) {
  KeyAccess access(engine, ctx, KeyAccess::Intent::kWrite);
  RETURN_IF_ERROR(access.Lock(key));
  auto found = access.Find(key);
  if (!found.ok() && !found.status().IsNotFound()) return found.status();
  bool had = found.ok() && (*found)->expire_ms != 0;
  if (had) {
    MetaValue updated = **found;
    updated.expire_ms = 0;
    access.Put(key, std::move(updated));
  }
  RETURN_IF_ERROR(access.Commit());
  return had;
}

namespace {

// The logical database currently mapped to `physical`, or -1.
int LogicalDbOf(EngineImpl& e, uint32_t physical) {
  for (size_t i = 0; i < e.db_map.size(); ++i) {
    if (e.db_map[i] == physical) return static_cast<int>(i);
  }
  return -1;
}

// Handles one due index entry: deletes the key if it really expired, or the
// entry itself if it no longer matches the key. Returns true when a key expired.
StatusOr<bool> ExpireEntry(Engine& engine, uint64_t now_ms, uint64_t index_ms,
                           std::string_view index_key, std::string_view meta_key) {
  EngineImpl& e = engine.impl();
  ASSIGN_OR_RETURN(codec::DecodedMetaKey mk, codec::DecodeMetaKey(meta_key));
  int db;
  {
    std::shared_lock gate(e.locks.gate());
    db = LogicalDbOf(e, mk.physical_db);
  }
  OpContext ctx;
  ctx.may_block = true;
  ctx.now_ms = now_ms;
  ctx.db = db < 0 ? 0 : db;
  KeyAccess access(engine, ctx, KeyAccess::Intent::kWrite);
  RETURN_IF_ERROR(access.Lock(mk.key));
  if (db < 0) {
    // No logical database maps to the entry's physical one: the entry is stale.
    (void)access.batch().Delete(e.cf(Cf::kExpiry), index_key);
    RETURN_IF_ERROR(access.Commit());
    return false;
  }
  // SWAPDB moved the database between the two reads of the map: the entry may
  // be valid; leave it for the next cycle.
  if (access.physical_db() != mk.physical_db) return false;
  ASSIGN_OR_RETURN(KeyAccess::FindOutcome outcome, access.FindForExpiry(mk.key));
  bool expired = outcome.expired_now;
  if (!expired && outcome.stored_expire_ms != index_ms) {
    (void)access.batch().Delete(e.cf(Cf::kExpiry), index_key);
  }
  RETURN_IF_ERROR(access.Commit());
  return expired;
}

}  // namespace

StatusOr<ExpireStep> DeleteDueKeys(Engine& engine, uint64_t now_ms, size_t budget,
                                   const ExpiredKeyFn& on_expired, std::string* resume) {
  EngineImpl& e = engine.impl();
  ExpireStep step;
  std::string upper = codec::EncodeExpiryKey(now_ms + 1, "");
  rocksdb::Slice upper_slice(upper);
  rocksdb::ReadOptions ro;
  ro.iterate_upper_bound = &upper_slice;
  std::unique_ptr<rocksdb::Iterator> it(e.db->NewIterator(ro, e.cf(Cf::kExpiry)));
  if (resume->empty()) {
    it->SeekToFirst();
  } else {
    it->Seek(*resume);
  }
  for (; it->Valid(); it->Next()) {
    if (step.scanned == budget) {
      step.more = true;
      break;
    }
    ++step.scanned;
    std::string index_key = it->key().ToString();
    // The next step starts just after this entry.
    *resume = index_key;
    resume->push_back('\0');
    if (index_key.size() < 8) continue;
    uint64_t at = codec::GetFixed64BE(index_key.data());
    std::string_view meta_key = std::string_view(index_key).substr(8);
    auto expired = ExpireEntry(engine, now_ms, at, index_key, meta_key);
    if (!expired.ok()) return expired.status();
    if (*expired) {
      ++step.expired;
      if (on_expired) {
        auto mk = codec::DecodeMetaKey(meta_key);
        std::shared_lock gate(e.locks.gate());
        int db = LogicalDbOf(e, mk->physical_db);
        if (db >= 0) on_expired(db, mk->key);
      }
    } else {
      ++step.stale;
    }
  }
  RETURN_IF_ERROR(FromRocksDb(it->status()));
  return step;
}

}  // namespace strata::engine
