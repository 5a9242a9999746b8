// Keyspace operations; see keyspace_ops.h.
#include "engine/keyspace_ops.h"

#include <rocksdb/db.h>

#include <algorithm>
#include <climits>

#include "common/numbers.h"
#include "engine/engine.h"
#include "engine/engine_impl.h"
#include "engine/key_access.h"

namespace strata::engine {

StatusOr<int64_t> DeleteKeys(Engine& engine, OpContext& ctx, std::span<const std::string_view> keys,
                             std::vector<std::string_view>* deleted_keys) {
  KeyAccess access(engine, ctx, KeyAccess::Intent::kWrite);
  RETURN_IF_ERROR(access.Lock(keys));
  int64_t deleted = 0;
  for (auto key : keys) {
    auto found = access.Find(key);
    if (found.ok()) {
      access.Delete(key);
      ++deleted;
      if (deleted_keys != nullptr) deleted_keys->push_back(key);
    } else if (!found.status().IsNotFound()) {
      return found.status();
    }
  }
  RETURN_IF_ERROR(access.Commit());
  return deleted;
}

StatusOr<int64_t> CountExisting(Engine& engine, OpContext& ctx,
                                std::span<const std::string_view> keys) {
  KeyAccess access(engine, ctx, KeyAccess::Intent::kRead);
  RETURN_IF_ERROR(access.Lock(keys));
  int64_t n = 0;
  for (auto key : keys) {
    auto found = access.Find(key);
    if (found.ok()) {
      ++n;
    } else if (!found.status().IsNotFound()) {
      return found.status();
    }
  }
  return n;
}

StatusOr<std::optional<codec::ValueType>> KeyType(Engine& engine, OpContext& ctx,
                                                  std::string_view key) {
  KeyAccess access(engine, ctx, KeyAccess::Intent::kRead);
  RETURN_IF_ERROR(access.Lock(key));
  auto found = access.Find(key);
  if (found.status().IsNotFound()) return std::optional<codec::ValueType>();
  if (!found.ok()) return found.status();
  return std::optional<codec::ValueType>((*found)->type);
}

namespace {

// Stages the removal of one logical database's keys into `batch`.
Status StageFlush(EngineImpl& e, int logical_db, rocksdb::WriteBatch* batch) {
  uint32_t phys = e.db_map[logical_db];
  RETURN_IF_ERROR(FromRocksDb(
      batch->DeleteRange(e.cf(Cf::kKeys), codec::DbRangeBegin(phys), codec::DbRangeEnd(phys))));
  // A Put replaces every earlier merge operand of the counter.
  int64_t zero = 0;
  rocksdb::Slice zero_value(reinterpret_cast<const char*>(&zero), sizeof(zero));
  RETURN_IF_ERROR(FromRocksDb(batch->Put(e.cf(Cf::kDefault), DbSizeRecordKey(phys), zero_value)));
  return FromRocksDb(batch->Put(e.cf(Cf::kDefault), DbExpiresRecordKey(phys), zero_value));
}

// Takes the database gate exclusively into `held`, unless the caller (a
// transaction, engine/transaction.h) already holds it.
Status LockGateExclusive(EngineImpl& e, const OpContext& ctx,
                         std::unique_lock<std::shared_mutex>* held) {
  if (ctx.gate_exclusive) return Status::Ok();
  auto& gate = e.locks.gate();
  if (ctx.may_block) {
    gate.lock();
  } else if (!gate.try_lock()) {
    return Status::WouldBlock();
  }
  *held = std::unique_lock(gate, std::adopt_lock);
  return Status::Ok();
}

// Whether `key` has a metadata record in a physical database (live or
// expired but not yet deleted, as Redis's dictFind sees it).
bool StoredIn(EngineImpl& e, uint32_t physical, std::string_view key) {
  std::string meta_key;
  codec::AppendMetaKey(&meta_key, physical, key);
  std::string value;
  return e.db->Get(rocksdb::ReadOptions(), e.cf(Cf::kKeys), meta_key, &value).ok();
}

// Invalidates the WATCHes of keys of `db` that exist in `physical` or in
// `other` (UINT32_MAX: none), as Redis's touchAllWatchedKeysInDb. Runs under
// the exclusive gate, before the change, so no WATCH races with it.
void TouchWatched(EngineImpl& e, int db, uint32_t physical, uint32_t other) {
  e.watches.TouchIf(db, [&](std::string_view key) {
    return StoredIn(e, physical, key) || (other != UINT32_MAX && StoredIn(e, other, key));
  });
}

// Flushes the databases in [first, last] under the exclusive gate. Objects
// and expiry records of the flushed keys are left to the GC filter and the
// expiry cycle, which both verify against the (now absent) metadata.
Status Flush(Engine& engine, OpContext& ctx, int first, int last) {
  EngineImpl& e = engine.impl();
  std::unique_lock<std::shared_mutex> held;
  RETURN_IF_ERROR(LockGateExclusive(e, ctx, &held));
  rocksdb::WriteBatch batch;
  for (int db = first; db <= last; ++db) RETURN_IF_ERROR(StageFlush(e, db, &batch));
  for (int db = first; db <= last; ++db) TouchWatched(e, db, e.db_map[db], UINT32_MAX);
  rocksdb::WriteOptions wo;
  wo.no_slowdown = !ctx.may_block;
  RETURN_IF_ERROR(FromRocksDb(e.db->Write(wo, &batch)));
  for (int db = first; db <= last; ++db) {
    e.tier->DropPrefix(codec::DbRangeBegin(e.db_map[db]));
    e.key_counts[db].store(0, std::memory_order_relaxed);
    e.expire_counts[db].store(0, std::memory_order_relaxed);
  }
  ctx.write_seq = std::max(ctx.write_seq, e.db->GetLatestSequenceNumber());
  return Status::Ok();
}

}  // namespace

Status FlushDatabase(Engine& engine, OpContext& ctx) {
  return Flush(engine, ctx, ctx.db, ctx.db);
}

Status FlushAllDatabases(Engine& engine, OpContext& ctx) {
  return Flush(engine, ctx, 0, engine.databases() - 1);
}

Status ReloadFromDisk(Engine& engine, OpContext& ctx) {
  if (!ctx.may_block) return Status::WouldBlock();
  EngineImpl& e = engine.impl();
  std::unique_lock<std::shared_mutex> held;
  RETURN_IF_ERROR(LockGateExclusive(e, ctx, &held));
  RETURN_IF_ERROR(FromRocksDb(e.db->FlushWAL(/*sync=*/true)));
  rocksdb::FlushOptions options;
  options.wait = true;
  RETURN_IF_ERROR(FromRocksDb(e.db->Flush(options, e.cfs)));
  // The tier is write-through (disk holds every committed key): dropping it loses nothing.
  e.tier->Clear();
  return Status::Ok();
}

Status SwapDatabases(Engine& engine, OpContext& ctx, int a, int b) {
  if (a == b) return Status::Ok();
  EngineImpl& e = engine.impl();
  std::unique_lock<std::shared_mutex> held;
  RETURN_IF_ERROR(LockGateExclusive(e, ctx, &held));
  TouchWatched(e, a, e.db_map[a], e.db_map[b]);
  TouchWatched(e, b, e.db_map[b], e.db_map[a]);
  rocksdb::WriteBatch batch;
  for (auto [logical, physical] : {std::pair{a, e.db_map[b]}, std::pair{b, e.db_map[a]}}) {
    std::string v;
    codec::PutFixed32BE(&v, physical);
    RETURN_IF_ERROR(FromRocksDb(
        batch.Put(e.cf(Cf::kDefault), DbMapRecordKey(static_cast<uint32_t>(logical)), v)));
  }
  rocksdb::WriteOptions wo;
  wo.no_slowdown = !ctx.may_block;
  RETURN_IF_ERROR(FromRocksDb(e.db->Write(wo, &batch)));
  std::swap(e.db_map[a], e.db_map[b]);
  for (auto* counts : {e.key_counts.get(), e.expire_counts.get()}) {
    int64_t na = counts[a].load(std::memory_order_relaxed);
    counts[a].store(counts[b].load(std::memory_order_relaxed), std::memory_order_relaxed);
    counts[b].store(na, std::memory_order_relaxed);
  }
  ctx.write_seq = std::max(ctx.write_seq, e.db->GetLatestSequenceNumber());
  // Clients blocked on keys of either database may find them filled now.
  e.ready.SignalDatabase(a);
  e.ready.SignalDatabase(b);
  return Status::Ok();
}

StatusOr<ObjectInfo> DescribeValue(const codec::MetaValue& v) {
  // Redis: OBJ_ENCODING_EMBSTR_SIZE_LIMIT, OBJ_SHARED_INTEGERS, OBJ_SHARED_REFCOUNT.
  constexpr size_t kEmbstrLimit = 44;
  constexpr int64_t kSharedIntegers = 10000;
  using codec::StringRepr;
  using codec::ValueType;
  ObjectInfo info;
  switch (v.type) {
    case ValueType::kString: {
      int64_t n;
      if (v.chunked) {
        info.encoding = "raw";  // longer than any embstr or int
      } else if (v.repr == StringRepr::kTryInt && v.value.size() <= 20 && ParseInt64(v.value, &n)) {
        info.encoding = "int";
        if (n >= 0 && n < kSharedIntegers) info.refcount = INT_MAX;
      } else if (v.repr != StringRepr::kRaw && v.value.size() <= kEmbstrLimit) {
        info.encoding = "embstr";
      } else {
        info.encoding = "raw";
      }
      return info;
    }
    case ValueType::kList:
      info.encoding = "quicklist";  // Redis 7.0 keeps every list in a quicklist
      return info;
    case ValueType::kStream:
      info.encoding = "stream";
      return info;
    case ValueType::kZset:
      info.encoding = v.big_encoding ? "skiplist" : "listpack";
      return info;
    case ValueType::kHash:
      info.encoding = v.big_encoding ? "hashtable" : "listpack";
      return info;
    case ValueType::kSet:
      info.encoding = v.big_encoding ? "hashtable" : "intset";
      return info;
  }
  return Status(StatusCode::kNotSupported, "encoding of this type is decided by its module");
}

StatusOr<ObjectInfo> DescribeObject(Engine& engine, OpContext& ctx, std::string_view key) {
  KeyAccess access(engine, ctx, KeyAccess::Intent::kRead);
  RETURN_IF_ERROR(access.Lock(key));
  ASSIGN_OR_RETURN(const codec::MetaValue* meta, access.Find(key));
  return DescribeValue(*meta);
}

}  // namespace strata::engine
