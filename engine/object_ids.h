// ObjectIdAllocator: hands out object ids (codec/layout.h, decision 1) that
// never repeat, also across crashes and restarts.
//
// The persistent record "next-object-id" holds a high mark: ids below it may
// have been handed out. The allocator reserves ids in blocks: before handing
// out an id at or past the mark it raises the mark by a block and writes it
// with a synced write, so after any crash the next start begins above every
// id ever used. Ids start at 1 (0 means "no object").
//
// Thread-safety: Next() is safe from any thread.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>

#include "common/status.h"

namespace strata::engine {

class ObjectIdAllocator {
 public:
  static constexpr uint64_t kBlock = 1 << 16;
  // Persists a new high mark durably; called with the allocator's lock held.
  using PersistFn = std::function<Status(uint64_t high_mark)>;

  void Init(uint64_t persisted_mark, PersistFn persist);
  StatusOr<uint64_t> Next();

 private:
  std::mutex mu_;
  uint64_t next_ = 1;
  uint64_t mark_ = 1;
  PersistFn persist_;
};

}  // namespace strata::engine
