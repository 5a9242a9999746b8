// The SCAN cursor table; see scan_cursors.h.
#include "server/scan_cursors.h"

#include <random>

#include "engine/scan_ops.h"

namespace strata::server {

namespace {
constexpr uint64_t kIdLimit = uint64_t{1} << (64 - ScanCursors::kSlotBits);
constexpr uint64_t kSlotMask = (uint64_t{1} << ScanCursors::kSlotBits) - 1;
}  // namespace

ScanCursors::ScanCursors() {
  std::random_device rd;
  next_id_ = ((uint64_t{rd()} << 32 | rd()) % (kIdLimit - 1)) + 1;
}

uint64_t ScanCursors::Save(std::string_view position) {
  uint64_t slot = engine::PositionSlot(position);
  std::lock_guard lock(mu_);
  uint64_t id = next_id_;
  next_id_ = next_id_ + 1 == kIdLimit ? 1 : next_id_ + 1;
  std::string& saved = positions_[id];  // a reused id (after 2^50 cursors) replaces its entry
  bytes_ -= saved.size();
  saved.assign(position);
  bytes_ += saved.size();
  order_.push_back(id);
  EvictLocked();
  return id << kSlotBits | slot;
}

std::string ScanCursors::Resolve(uint64_t cursor) const {
  if (cursor == 0) return {};
  auto slot = static_cast<uint16_t>(cursor & kSlotMask);
  {
    std::lock_guard lock(mu_);
    auto it = positions_.find(cursor >> kSlotBits);
    if (it != positions_.end() && engine::PositionSlot(it->second) == slot) return it->second;
  }
  return engine::SlotStartPosition(slot);
}

size_t ScanCursors::size() const {
  std::lock_guard lock(mu_);
  return positions_.size();
}

void ScanCursors::EvictLocked() {
  while (!order_.empty() && (order_.size() > kMaxEntries || bytes_ > kMaxBytes)) {
    auto it = positions_.find(order_.front());
    if (it != positions_.end()) {
      bytes_ -= it->second.size();
      positions_.erase(it);
    }
    order_.pop_front();
  }
}

}  // namespace strata::server
