// ClientPause: CLIENT PAUSE / UNPAUSE state. While a pause is on, a client's
// command that it covers (every command for ALL; writes and may-replicate
// commands such as PUBLISH and EVAL for WRITE) waits, unanswered, until the
// pause ends; the connection parks on a timer (never the I/O thread) and is
// woken early by CLIENT UNPAUSE. As Redis 7.0: a second pause keeps the more
// restrictive type and the later end time.
//
// Thread-safety: all methods are safe from any thread. Blocks() runs for
// every command, so it reads two atomics and takes no lock; Pause/Unpause
// serialise on a mutex.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>

namespace strata::server {

struct CommandEntry;

enum class PauseType : int { kOff = 0, kWrite = 1, kAll = 2 };

class ClientPause {
 public:
  void Pause(PauseType type, uint64_t end_ms, uint64_t now_ms);
  void Unpause();
  // If `cmd` must wait at `now_ms`, returns true and the pause's end time.
  bool Blocks(const CommandEntry& cmd, uint64_t now_ms, uint64_t* end_ms) const;

 private:
  std::mutex mu_;  // serialises writers
  std::atomic<PauseType> type_{PauseType::kOff};
  std::atomic<uint64_t> end_ms_{0};
};

}  // namespace strata::server
