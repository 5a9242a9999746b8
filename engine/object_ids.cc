// Block-reserving object-id allocation; see object_ids.h.
#include "engine/object_ids.h"

#include <algorithm>

namespace strata::engine {

void ObjectIdAllocator::Init(uint64_t persisted_mark, PersistFn persist) {
  std::lock_guard lock(mu_);
  next_ = std::max<uint64_t>(persisted_mark, 1);
  mark_ = next_;
  persist_ = std::move(persist);
}

StatusOr<uint64_t> ObjectIdAllocator::Next() {
  std::lock_guard lock(mu_);
  if (next_ >= mark_) {
    uint64_t new_mark = next_ + kBlock;
    RETURN_IF_ERROR(persist_(new_mark));
    mark_ = new_mark;
  }
  return next_++;
}

}  // namespace strata::engine
