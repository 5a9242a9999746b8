// KeyAccess's sub-key calls (GetSub, PutSub, DeleteSub, ScanSub) and the hot
// tier's collection bodies; see key_access.h and hot_tier.h.
//
// WHEN A COLLECTION IS HELD WHOLE. A body is loaded (every sub-key of the
// object, one prefix scan per family) when a command touches the sub-keys of
// a collection of at most kLoadBodyElements elements whose metadata was
// already in RAM — i.e. on its second use, so a scan over cold collections
// does not read each one whole — or of at most kTinyElements elements, where
// loading costs no more than a seek. A new collection (PutNew) starts with an
// empty, complete body. A body that outgrows kMaxBodyElements or
// kMaxBodyBytes is dropped: the key stays cached as metadata and its
// sub-keys are read from RocksDB and its block cache (large collections are
// never held whole, so one huge sorted set cannot flood the tier).
//
// A SORTED SET'S SCORE ORDER is held alone (ObjectBody::HoldOnly) up to
// kMaxScoreBodyElements / kMaxScoreBodyBytes: a whole zset body that
// outgrows its limits keeps its scores family, and a scan of the scores of
// a bigger zset whose metadata was in RAM loads them. Range reads and geo
// searches of a zset whose members keep moving (GEOADD of tracked
// positions) would otherwise walk the score order in the memtable, where
// every move leaves a deleted score key behind; the member lookups of ZADD
// and ZSCORE stay point reads of RocksDB.
//
// READS see three layers, newest first: this access's staged writes for the
// object (StagedObject), then the body if there is one, else RocksDB.
#include <rocksdb/db.h>

#include <algorithm>
#include <span>
#include <type_traits>

#include "engine/engine_impl.h"
#include "engine/key_access.h"
#include "engine/key_access_slot.h"

namespace strata::engine {

namespace {

constexpr uint64_t kTinyElements = 16;
constexpr uint64_t kLoadBodyElements = 1024;
constexpr uint64_t kMaxBodyElements = 4096;
constexpr uint64_t kMaxBodyBytes = 1 << 20;
constexpr uint64_t kMaxScoreBodyElements = 1 << 16;
constexpr uint64_t kMaxScoreBodyBytes = 16 << 20;

std::span<const SubFamily> FamiliesOf(codec::ValueType t) {
  static constexpr SubFamily kHash[] = {SubFamily::kHashFields};
  static constexpr SubFamily kSet[] = {SubFamily::kSetMembers};
  static constexpr SubFamily kList[] = {SubFamily::kListElements};
  static constexpr SubFamily kZset[] = {SubFamily::kZsetMembers, SubFamily::kZsetScores};
  static constexpr SubFamily kStream[] = {SubFamily::kStreamEntries};
  switch (t) {
    case codec::ValueType::kHash:
      return kHash;
    case codec::ValueType::kSet:
      return kSet;
    case codec::ValueType::kList:
      return kList;
    case codec::ValueType::kZset:
      return kZset;
    case codec::ValueType::kStream:
      return kStream;
    case codec::ValueType::kString:
      break;
  }
  return {};
}

// One ordered source of (subkey, value) for ScanSub's merge.
class Source {
 public:
  virtual ~Source() = default;
  virtual bool Valid() const = 0;
  virtual std::string_view key() const = 0;
  // Null for a staged deletion.
  virtual const std::string* value_or_null() = 0;
  virtual std::string_view value() = 0;
  virtual void Next() = 0;
};

// A std::map (a body family, or staged writes) walked forward or backward.
template <typename Map>
class MapSource : public Source {
 public:
  MapSource(const Map& m, std::string_view start, bool reverse) : m_(m), reverse_(reverse) {
    if (!reverse) {
      fwd_ = m.lower_bound(start);
    } else {
      // Points at the last element <= start (or the last of all).
      rev_ = typename Map::const_reverse_iterator(start.empty() ? m.end() : m.upper_bound(start));
    }
  }
  bool Valid() const override { return reverse_ ? rev_ != m_.rend() : fwd_ != m_.end(); }
  std::string_view key() const override { return Entry().first; }
  const std::string* value_or_null() override {
    const auto& v = Entry().second;
    if constexpr (std::is_same_v<typename Map::mapped_type, std::string>) {
      return &v;
    } else {
      return v.has_value() ? &*v : nullptr;
    }
  }
  std::string_view value() override { return *value_or_null(); }
  void Next() override {
    if (reverse_) {
      ++rev_;
    } else {
      ++fwd_;
    }
  }

 private:
  const typename Map::value_type& Entry() const { return reverse_ ? *rev_ : *fwd_; }
  const Map& m_;
  bool reverse_;
  typename Map::const_iterator fwd_;
  typename Map::const_reverse_iterator rev_;
};

// The sub-keys of one object in RocksDB, forward or backward.
class RocksSource : public Source {
 public:
  RocksSource(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* cf, rocksdb::ReadOptions ro,
              uint64_t object_id, std::string_view start, bool reverse)
      : lower_(codec::EncodeObjectId(object_id)),
        upper_(codec::EncodeObjectId(object_id + 1)),
        lower_slice_(lower_),
        upper_slice_(upper_),
        reverse_(reverse) {
    ro.iterate_lower_bound = &lower_slice_;
    ro.iterate_upper_bound = &upper_slice_;
    ro.total_order_seek = true;  // SeekToLast within the bounds needs it
    it_.reset(db->NewIterator(ro, cf));
    if (!reverse) {
      it_->Seek(lower_ + std::string(start));
    } else if (start.empty()) {
      it_->SeekToLast();
    } else {
      it_->SeekForPrev(lower_ + std::string(start));
    }
  }
  bool Valid() const override { return it_->Valid(); }
  std::string_view key() const override { return it_->key().ToStringView().substr(8); }
  const std::string* value_or_null() override {
    scratch_.assign(it_->value().data(), it_->value().size());
    return &scratch_;
  }
  std::string_view value() override { return it_->value().ToStringView(); }
  void Next() override { reverse_ ? it_->Prev() : it_->Next(); }
  Status status() const { return FromRocksDb(it_->status()); }

 private:
  std::string lower_, upper_;
  rocksdb::Slice lower_slice_, upper_slice_;
  bool reverse_;
  std::unique_ptr<rocksdb::Iterator> it_;
  std::string scratch_;
};

// Visits `base` overlaid with `staged` (staged wins on equal keys; staged
// deletions hide). Returns false when the visitor stopped.
bool Merge(Source& base, Source* staged, bool reverse, const KeyAccess::SubVisitor& visit) {
  while (true) {
    bool bv = base.Valid();
    bool sv = staged != nullptr && staged->Valid();
    if (!bv && !sv) return true;
    int cmp;
    if (!bv) {
      cmp = 1;
    } else if (!sv) {
      cmp = -1;
    } else {
      cmp = base.key().compare(staged->key());
      if (reverse) cmp = -cmp;
    }
    if (cmp < 0) {
      if (!visit(base.key(), base.value())) return false;
      base.Next();
      continue;
    }
    if (const std::string* v = staged->value_or_null()) {
      if (!visit(staged->key(), *v)) return false;
    }
    if (cmp == 0) base.Next();
    staged->Next();
  }
}

}  // namespace

KeyAccess::Slot* KeyAccess::LiveSlot(std::string_view key) {
  Slot* slot = SlotFor(ctx_.db, key);
  return slot->live_now ? slot : nullptr;
}

Status KeyAccess::LoadBody(Slot& slot, std::optional<SubFamily> scan) {
  if (slot.body() != nullptr || slot.stored == nullptr) return Status::Ok();
  const codec::MetaValue& meta = slot.current();
  // The body mirrors what is on disk: only for the object that is stored.
  if (!meta.is_collection() || slot.stored->meta.object_id != meta.object_id) return Status::Ok();
  uint64_t count = slot.stored->meta.count;
  auto body = std::make_shared<ObjectBody>();
  std::span<const SubFamily> families = FamiliesOf(meta.type);
  if (count > kLoadBodyElements || (!slot.from_tier && count > kTinyElements)) {
    bool scores_alone =
        scan == SubFamily::kZsetScores && slot.from_tier && count <= kMaxScoreBodyElements;
    if (!scores_alone) return Status::Ok();
    static constexpr SubFamily kScores[] = {SubFamily::kZsetScores};
    body->HoldOnly(SubFamily::kZsetScores);
    families = kScores;
  }
  for (SubFamily f : families) {
    RocksSource src(e_.db.get(), e_.cf(CfOf(f)), SubkeyReadOptions(), meta.object_id, {}, false);
    for (; src.Valid(); src.Next()) {
      std::string value(src.value());
      body->Apply(f, src.key(), &value);
    }
    RETURN_IF_ERROR(src.status());
  }
  slot.stored->body = body;
  e_.tier->Insert(slot.meta_key, slot.stored, ctx_.now_ms);  // charged with its body
  if (slot.staged != nullptr) slot.staged->body = std::move(body);
  return Status::Ok();
}

KeyAccess::StagedObject* KeyAccess::StagedFor(uint64_t object_id) const {
  auto it = staged_objects_.find(object_id);
  return it != staged_objects_.end() ? it->second.get() : nullptr;
}

KeyAccess::StagedObject& KeyAccess::StageFor(uint64_t object_id) {
  std::unique_ptr<StagedObject>& so = staged_objects_[object_id];
  if (so == nullptr) so = std::make_unique<StagedObject>();
  return *so;
}

bool KeyAccess::ApplyStaged(Slot& slot) {
  auto it = staged_objects_.find(slot.current().object_id);
  if (it == staged_objects_.end()) return false;
  std::unique_ptr<StagedObject> staged = std::move(it->second);
  staged_objects_.erase(it);
  bool changed = false;
  // The index mirrors what is committed; null when the object was replaced.
  if (ObjectIndex* index = slot.index(); index != nullptr && !staged->index_changes.empty()) {
    for (const auto& [subkey, delta] : staged->index_changes) index->Apply(subkey, delta);
    changed = true;
  }
  ObjectBody* body = slot.body();
  if (body == nullptr) return changed;
  for (size_t f = 0; f < kSubFamilies; ++f) {
    for (const auto& [subkey, value] : staged->families[f]) {
      body->Apply(static_cast<SubFamily>(f), subkey, value ? &*value : nullptr);
    }
  }
  bool whole = body->whole();
  if (whole && (body->elements() > kMaxBodyElements || body->bytes() > kMaxBodyBytes) &&
      slot.current().type == codec::ValueType::kZset) {
    body->HoldOnly(SubFamily::kZsetScores);
    whole = false;
  }
  if (whole ? body->elements() > kMaxBodyElements || body->bytes() > kMaxBodyBytes
            : body->elements() > kMaxScoreBodyElements || body->bytes() > kMaxScoreBodyBytes) {
    if (slot.staged != nullptr) slot.staged->body.reset();
    if (slot.stored != nullptr) slot.stored->body.reset();
  }
  return true;
}

std::shared_ptr<ObjectIndex> KeyAccess::Index(std::string_view key) {
  if (txn_ != nullptr) return txn_->Index(key);
  Slot* slot = LiveSlot(key);
  if (slot == nullptr || StagedFor(slot->current().object_id) != nullptr) return nullptr;
  const HotObject* obj = slot->staged ? slot->staged.get() : slot->stored.get();
  return obj != nullptr ? obj->index : nullptr;
}

bool KeyAccess::HasStagedSubkeys(std::string_view key) {
  if (txn_ != nullptr) return txn_->HasStagedSubkeys(key);
  Slot* slot = LiveSlot(key);
  return slot != nullptr && StagedFor(slot->current().object_id) != nullptr;
}

bool KeyAccess::SetIndex(std::string_view key, std::shared_ptr<ObjectIndex> index) {
  if (txn_ != nullptr) return txn_->SetIndex(key, std::move(index));
  Slot* slot = LiveSlot(key);
  if (slot == nullptr || StagedFor(slot->current().object_id) != nullptr ||
      slot->stored == nullptr || slot->stored->meta.object_id != slot->current().object_id) {
    return false;
  }
  slot->stored->index = index;
  if (slot->staged != nullptr) slot->staged->index = std::move(index);
  e_.tier->Insert(slot->meta_key, slot->stored, ctx_.now_ms);  // charged with its index
  HotAccessInfo info;
  return e_.tier->Peek(slot->meta_key, &info);
}

bool KeyAccess::TierAdmits(uint64_t bytes) const {
  return e_.tier->Admits(bytes);
}

Status KeyAccess::GetSub(std::string_view key, SubFamily f, std::string_view subkey,
                         std::string* value) {
  if (txn_ != nullptr) return txn_->GetSub(key, f, subkey, value);  // see key_access.h
  Slot* slot = LiveSlot(key);
  if (slot == nullptr) return Status::NotFound();
  if (StagedObject* so = StagedFor(slot->current().object_id)) {
    const StagedObject::Writes& w = so->writes(f);
    auto it = w.find(subkey);
    if (it != w.end()) {
      if (!it->second.has_value()) return Status::NotFound();
      *value = *it->second;
      return Status::Ok();
    }
  }
  RETURN_IF_ERROR(LoadBody(*slot));
  if (const ObjectBody* body = slot->body(); body != nullptr && body->holds(f)) {
    const auto& m = body->family(f);
    auto it = m.find(subkey);
    if (it == m.end()) return Status::NotFound();
    *value = it->second;
    return Status::Ok();
  }
  std::string full = codec::EncodeObjectId(slot->current().object_id);
  full.append(subkey);
  return FromRocksDb(e_.db->Get(SubkeyReadOptions(), e_.cf(CfOf(f)), full, value));
}

void KeyAccess::PutSub(std::string_view key, SubFamily f, std::string_view subkey,
                       std::string_view value) {
  if (txn_ != nullptr) return txn_->PutSub(key, f, subkey, value);
  Slot* slot = LiveSlot(key);
  if (slot == nullptr) return;
  std::string full = codec::EncodeObjectId(slot->current().object_id);
  full.append(subkey);
  (void)batch_.Put(e_.cf(CfOf(f)), full, rocksdb::Slice(value.data(), value.size()));
  StagedObject& so = StageFor(slot->current().object_id);
  so.writes(f).insert_or_assign(std::string(subkey), std::string(value));
  if (ObjectIndex* index = slot->index(); index != nullptr && index->family() == f) {
    so.index_changes.emplace_back(subkey, 1);
  }
}

void KeyAccess::DeleteSub(std::string_view key, SubFamily f, std::string_view subkey) {
  if (txn_ != nullptr) return txn_->DeleteSub(key, f, subkey);
  Slot* slot = LiveSlot(key);
  if (slot == nullptr) return;
  std::string full = codec::EncodeObjectId(slot->current().object_id);
  full.append(subkey);
  (void)batch_.Delete(e_.cf(CfOf(f)), full);
  StagedObject& so = StageFor(slot->current().object_id);
  so.writes(f).insert_or_assign(std::string(subkey), std::nullopt);
  if (ObjectIndex* index = slot->index(); index != nullptr && index->family() == f) {
    so.index_changes.emplace_back(subkey, -1);
  }
}

Status KeyAccess::ScanSub(std::string_view key, SubFamily f, std::string_view start, bool reverse,
                          const SubVisitor& visit) {
  if (txn_ != nullptr) return txn_->ScanSub(key, f, start, reverse, visit);
  Slot* slot = LiveSlot(key);
  if (slot == nullptr) return Status::Ok();
  RETURN_IF_ERROR(LoadBody(*slot, f));
  std::unique_ptr<MapSource<StagedObject::Writes>> staged;
  if (StagedObject* so = StagedFor(slot->current().object_id)) {
    staged = std::make_unique<MapSource<StagedObject::Writes>>(so->writes(f), start, reverse);
  }
  if (const ObjectBody* body = slot->body(); body != nullptr && body->holds(f)) {
    MapSource<ObjectBody::Map> base(body->family(f), start, reverse);
    Merge(base, staged.get(), reverse, visit);
    return Status::Ok();
  }
  RocksSource base(e_.db.get(), e_.cf(CfOf(f)), SubkeyReadOptions(), slot->current().object_id,
                   start, reverse);
  Merge(base, staged.get(), reverse, visit);
  return base.status();
}

}  // namespace strata::engine
