// RENAME, MOVE and COPY over KeyAccess; see key_move_ops.h.
#include "engine/key_move_ops.h"

#include <rocksdb/db.h>

#include "engine/engine.h"
#include "engine/engine_impl.h"
#include "engine/key_access.h"

namespace strata::engine {

using codec::MetaValue;

namespace {

// Finds (db, key), treating absence as a value: nullptr.
StatusOr<const MetaValue*> FindOrNull(KeyAccess& access, int db, std::string_view key) {
  auto found = access.Find(db, key);
  if (found.status().IsNotFound()) return static_cast<const MetaValue*>(nullptr);
  return found;
}

// Stages a copy of every sub-key of object `from` under object `to`, over all
// sub-key families (a collection uses one or two of them; the others hold
// nothing under its id and cost one prefix-bloom probe each).
Status CopySubkeys(EngineImpl& e, const OpContext& ctx, uint64_t from, uint64_t to,
                   rocksdb::WriteBatch* batch) {
  const std::string prefix = codec::EncodeObjectId(from);
  const std::string target = codec::EncodeObjectId(to);
  const std::string upper = codec::EncodeObjectId(from + 1);  // ids never reach UINT64_MAX
  rocksdb::Slice upper_slice(upper);
  rocksdb::ReadOptions ro;
  ro.iterate_upper_bound = &upper_slice;
  ro.prefix_same_as_start = true;
  if (!ctx.may_block) ro.read_tier = rocksdb::kBlockCacheTier;
  std::string key;
  for (int cf = static_cast<int>(Cf::kHashFields); cf <= static_cast<int>(Cf::kChunks); ++cf) {
    rocksdb::ColumnFamilyHandle* handle = e.cf(static_cast<Cf>(cf));
    std::unique_ptr<rocksdb::Iterator> it(e.db->NewIterator(ro, handle));
    for (it->Seek(prefix); it->Valid(); it->Next()) {
      key.assign(target);
      key.append(it->key().data() + prefix.size(), it->key().size() - prefix.size());
      RETURN_IF_ERROR(FromRocksDb(batch->Put(handle, key, it->value())));
    }
    RETURN_IF_ERROR(FromRocksDb(it->status()));
  }
  return Status::Ok();
}

}  // namespace

StatusOr<bool> RenameKey(Engine& engine, OpContext& ctx, std::string_view from, std::string_view to,
                         bool only_if_absent) {
  KeyAccess access(engine, ctx, KeyAccess::Intent::kWrite);
  std::string_view keys[] = {from, to};
  RETURN_IF_ERROR(access.Lock(keys));
  ASSIGN_OR_RETURN(const MetaValue* source, FindOrNull(access, ctx.db, from));
  if (source == nullptr) {
    RETURN_IF_ERROR(access.Commit());  // may carry a lazy-expiry delete
    return Status::NotFound();
  }
  if (from == to) return !only_if_absent;
  MetaValue moved = *source;
  ASSIGN_OR_RETURN(const MetaValue* target, FindOrNull(access, ctx.db, to));
  if (target != nullptr && only_if_absent) {
    RETURN_IF_ERROR(access.Commit());
    return false;
  }
  // Delete before Put: the Put re-points the collection's objects record.
  // An existing target is deleted first, as Redis's dbDelete + dbAdd (so the
  // target is a new key: keyspace event "new").
  access.Delete(from);
  if (target != nullptr) access.Delete(to);
  access.Put(to, std::move(moved));
  RETURN_IF_ERROR(access.Commit());
  return true;
}

StatusOr<bool> MoveKey(Engine& engine, OpContext& ctx, std::string_view key, int to_db) {
  KeyAccess access(engine, ctx, KeyAccess::Intent::kWrite);
  KeyAccess::DbKey keys[] = {{ctx.db, key}, {to_db, key}};
  RETURN_IF_ERROR(access.Lock(keys));
  ASSIGN_OR_RETURN(const MetaValue* source, FindOrNull(access, ctx.db, key));
  bool moved = false;
  if (source != nullptr) {
    MetaValue value = *source;
    ASSIGN_OR_RETURN(const MetaValue* target, FindOrNull(access, to_db, key));
    if (target == nullptr) {
      access.Delete(ctx.db, key);
      access.Put(to_db, key, std::move(value));
      moved = true;
    }
  }
  RETURN_IF_ERROR(access.Commit());
  return moved;
}

StatusOr<bool> CopyKey(Engine& engine, OpContext& ctx, std::string_view from, std::string_view to,
                       int to_db, bool replace) {
  KeyAccess access(engine, ctx, KeyAccess::Intent::kWrite);
  KeyAccess::DbKey keys[] = {{ctx.db, from}, {to_db, to}};
  RETURN_IF_ERROR(access.Lock(keys));
  ASSIGN_OR_RETURN(const MetaValue* source, FindOrNull(access, ctx.db, from));
  bool copied = false;
  if (source != nullptr) {
    MetaValue copy = *source;
    ASSIGN_OR_RETURN(const MetaValue* target, FindOrNull(access, to_db, to));
    if (target == nullptr || replace) {
      if (copy.has_object()) {  // a collection or a chunked string
        ASSIGN_OR_RETURN(copy.object_id, access.NewObjectId());
        RETURN_IF_ERROR(
            CopySubkeys(engine.impl(), ctx, source->object_id, copy.object_id, &access.batch()));
      }
      if (target != nullptr) access.Delete(to_db, to);  // as Redis: a new key ("new")
      access.Put(to_db, to, std::move(copy));
      copied = true;
    }
  }
  RETURN_IF_ERROR(access.Commit());
  return copied;
}

}  // namespace strata::engine
