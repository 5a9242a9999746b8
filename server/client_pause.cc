// CLIENT PAUSE state; see client_pause.h.
#include "server/client_pause.h"

#include <algorithm>

#include "server/command_table.h"

namespace strata::server {

void ClientPause::Pause(PauseType type, uint64_t end_ms, uint64_t now_ms) {
  std::lock_guard lock(mu_);
  PauseType old_type = type_.load();
  uint64_t old_end = end_ms_.load();
  if (old_end <= now_ms) {  // the previous pause is over
    old_type = PauseType::kOff;
    old_end = 0;
  }
  // The end time first, so a reader that sees the new type sees a live pause.
  end_ms_.store(std::max(end_ms, old_end));
  type_.store(std::max(type, old_type));
}

void ClientPause::Unpause() {
  std::lock_guard lock(mu_);
  type_.store(PauseType::kOff);
  end_ms_.store(0);
}

bool ClientPause::Blocks(const CommandEntry& cmd, uint64_t now_ms, uint64_t* end_ms) const {
  PauseType type = type_.load(std::memory_order_acquire);
  if (type == PauseType::kOff) return false;
  uint64_t end = end_ms_.load(std::memory_order_acquire);
  if (now_ms >= end) return false;
  bool covered = type == PauseType::kAll || cmd.has(kCmdWrite) || cmd.has(kCmdMayReplicate);
  if (covered) *end_ms = end;
  return covered;
}

}  // namespace strata::server
