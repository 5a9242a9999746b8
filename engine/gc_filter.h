// GcFilterFactory: the compaction filter that reclaims the sub-keys of
// deleted or overwritten collections and the chunks of chunked strings
// (codec/layout.h, decisions 2 and 5: anything whose metadata has_object()).
//
// Installed on every sub-key family and on "objects". For an entry with
// object id N it asks, on one consistent snapshot: does objects[N] exist, and
// does the metadata of the key it names still carry id N? If either answer is
// a proven "no" the entry is dropped; on any doubt (read error, no database
// yet, shutting down) it is kept. Since ids never repeat, "dead" is final and
// is cached per compaction; sub-keys of one id are adjacent, so the check runs
// about once per object per compaction.
//
// The filter never touches "keys" or "expiry": expiry is a logged deletion by
// the active expiry cycle, never a silent compaction drop.
#pragma once

#include <rocksdb/compaction_filter.h>

#include <atomic>

namespace strata::engine {

struct EngineImpl;

class GcFilterFactory : public rocksdb::CompactionFilterFactory {
 public:
  // Column family the filter runs on: sub-keys or the objects family itself.
  enum class Target { kSubkeys, kObjects };
  explicit GcFilterFactory(Target target) : target_(target) {}

  // Set once the database is open; cleared before it closes.
  void SetEngine(EngineImpl* engine) { engine_.store(engine, std::memory_order_release); }

  std::unique_ptr<rocksdb::CompactionFilter> CreateCompactionFilter(
      const rocksdb::CompactionFilter::Context& context) override;
  const char* Name() const override { return "strata.GcFilterFactory"; }

 private:
  Target target_;
  std::atomic<EngineImpl*> engine_{nullptr};
};

// True when object `id` is provably dead (for tests and tools).
bool ObjectIsDead(EngineImpl& engine, uint64_t id);

}  // namespace strata::engine
