// The object-id garbage-collecting compaction filter; see gc_filter.h.
#include "engine/gc_filter.h"

#include <rocksdb/db.h>

#include "codec/layout.h"
#include "engine/engine_impl.h"

namespace strata::engine {

bool ObjectIsDead(EngineImpl& engine, uint64_t id) {
  rocksdb::DB* db = engine.db.get();
  if (db == nullptr) return false;
  const rocksdb::Snapshot* snap = db->GetSnapshot();
  rocksdb::ReadOptions ro;
  ro.snapshot = snap;
  bool dead = false;
  std::string owner;
  std::string id_key = codec::EncodeObjectId(id);
  rocksdb::Status s = db->Get(ro, engine.cf(Cf::kObjects), id_key, &owner);
  if (s.IsNotFound()) {
    dead = true;
  } else if (s.ok()) {
    std::string meta;
    s = db->Get(ro, engine.cf(Cf::kKeys), owner, &meta);
    if (s.IsNotFound()) {
      dead = true;
    } else if (s.ok()) {
      auto decoded = codec::DecodeMetaValue(meta);
      dead = decoded.ok() && (!decoded->has_object() || decoded->object_id != id);
    }
  }
  db->ReleaseSnapshot(snap);
  return dead;
}

namespace {

class GcFilter : public rocksdb::CompactionFilter {
 public:
  GcFilter(EngineImpl* engine, GcFilterFactory::Target target)
      : engine_(engine), target_(target) {}

  Decision FilterV2(int /*level*/, const rocksdb::Slice& key, ValueType value_type,
                    const rocksdb::Slice& /*existing_value*/, std::string* /*new_value*/,
                    std::string* /*skip_until*/) const override {
    if (engine_ == nullptr) return Decision::kKeep;
    if (value_type != ValueType::kValue && value_type != ValueType::kMergeOperand) {
      return Decision::kKeep;
    }
    uint64_t id;
    if (!codec::DecodeObjectIdPrefix(std::string_view(key.data(), key.size()), &id)) {
      return Decision::kKeep;
    }
    if (id != last_id_) {
      last_id_ = id;
      last_dead_ = ObjectIsDead(*engine_, id);
    }
    return last_dead_ ? Decision::kRemove : Decision::kKeep;
  }

  const char* Name() const override {
    return target_ == GcFilterFactory::Target::kObjects ? "strata.GcFilter.objects"
                                                        : "strata.GcFilter.subkeys";
  }

 private:
  EngineImpl* engine_;
  GcFilterFactory::Target target_;
  // One compaction runs its filter on one thread, in key order.
  mutable uint64_t last_id_ = 0;
  mutable bool last_dead_ = false;
};

}  // namespace

std::unique_ptr<rocksdb::CompactionFilter> GcFilterFactory::CreateCompactionFilter(
    const rocksdb::CompactionFilter::Context& /*context*/) {
  return std::make_unique<GcFilter>(engine_.load(std::memory_order_acquire), target_);
}

}  // namespace strata::engine
