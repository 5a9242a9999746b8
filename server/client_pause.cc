// CLIENT PAUSE state; see client_pause.h.
#include "server/client_pause.h"

#include "server/command_table.h"

namespace strata::server {

void ClientPause::Pause(PauseType type, uint64_t end_ms, uint64_t now_ms) {
  std::lock_guard lock(mu_);
  if (end_ms_ <= now_ms) {  // the previous pause is over
    type_ = PauseType::kOff;
    end_ms_ = 0;
  }
  if (type > type_) type_ = type;
  if (end_ms > end_ms_) end_ms_ = end_ms;
}

void ClientPause::Unpause() {
  std::lock_guard lock(mu_);
  type_ = PauseType::kOff;
  end_ms_ = 0;
}

bool ClientPause::Blocks(const CommandEntry& cmd, uint64_t now_ms, uint64_t* end_ms) const {
  std::lock_guard lock(mu_);
  if (type_ == PauseType::kOff || now_ms >= end_ms_) return false;
  bool covered = type_ == PauseType::kAll || cmd.has(kCmdWrite) || cmd.has(kCmdMayReplicate);
  if (covered) *end_ms = end_ms_;
  return covered;
}

}  // namespace strata::server
