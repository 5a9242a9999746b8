// Blocked clients: the wait/wake mechanism of BLPOP, BRPOP, BLMOVE,
// BRPOPLPUSH, BLMPOP, BZPOPMIN, BZPOPMAX, BZMPOP — and of any later command
// that waits for keys to be written (XREAD/XREADGROUP BLOCK).
//
// HOW A COMMAND BLOCKS. A handler that finds nothing to serve, and may block
// (MayBlock: not inside EXEC, later not inside a script), sets ctx.block to
// the keys to wait on and its timeout, and replies nothing. The connection
// then parks the client: it registers a Waiter here (FIFO per (db, key), in
// the order clients blocked), stops processing its input (pipelined commands
// wait, as in Redis) and holds no thread; an Asio timer on its own executor
// enforces the timeout.
//
// HOW IT WAKES. KeyAccess::Commit signals every written key that exists
// afterwards and that some waiter declared (engine/ready_keys.h). Whoever
// ran the writing command — any client's command, EXEC's one batch, later a
// script — calls ServeReadyKeys right after it, before its reply leaves, as
// Redis's handleClientsBlockedOnKeys runs after each command. For each ready
// key, in signal order, the waiters are tried in FIFO order: the blocked
// command RE-RUNS (BlockedTarget::RetryBlocked) on the serving thread with
// ctx.wake_key set to the ready key, and either replies (served: the waiter
// leaves every key's list and the reply goes to its connection), or asks to
// stay blocked (the key is empty, or of another type: Redis 7.0 keeps such
// waiters blocked). A waiter that reports the key absent ends the pass (no
// one after it can be served). A served BLMOVE's push signals its destination,
// which the same ServeReadyKeys call then serves.
//
// So a new blocking command only has to (1) set ctx.block when it would wait
// and (2) when ctx.wake_key is set, try to serve from that key alone (Redis
// 7.0 serves a client blocked on several keys from the key that became
// ready) and set ctx.block again when it cannot.
//
// THREADS. The parked client's own thread does nothing with it until it is
// woken, so the serving thread may run the command against its ClientState:
// the registry lets one thread at a time retry a waiter (kRetrying), and
// hands the result to the client's thread (BlockedTarget::WakeBlocked). One
// thread at a time serves a key: another thread that finds the key ready
// meanwhile marks it for another pass, so waiters are served in FIFO order.
// A retry that would block inline (kWouldBlock) re-signals its key and the
// serving pass continues on the blocking pool. A timeout, CLIENT UNBLOCK or
// disconnect that arrives during a retry is applied when the retry ends
// unserved (if the retry served the client, it keeps its reply).
//
// KNOWN DIFFERENCE from Redis's single thread: between a push's commit and
// the serving pass that follows it, another client's non-blocking pop running
// concurrently on another thread may take the element first.
//
// Thread-safety: all methods are safe from any thread.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/ready_keys.h"
#include "server/command_context.h"

namespace strata::engine {
class Engine;
}

namespace strata::server {

class Server;
class ClientState;
struct CommandEntry;

// How a blocked command's re-run for a ready key ended.
enum class RetryOutcome : unsigned char {
  kServed,         // it replied: the client leaves the registry
  kKeep,           // nothing for it: stays blocked
  kKeepKeyAbsent,  // stays blocked, and the key does not exist: the pass ends
  kWouldBlock,     // needs the blocking pool (inline only)
};

// Why a client leaves without being served.
enum class UnblockReason : unsigned char {
  kTimeout,       // its timeout, or CLIENT UNBLOCK ... TIMEOUT: a null array
  kError,         // CLIENT UNBLOCK ... ERROR: -UNBLOCKED
  kDisconnected,  // its connection closed: no reply
};

// The parked client, as the registry sees it (Connection implements it).
class BlockedTarget {
 public:
  virtual ~BlockedTarget() = default;
  // Re-runs the blocked command for `key` on the calling thread (see THREADS).
  virtual RetryOutcome RetryBlocked(std::string_view key, bool may_block) = 0;
  // The client left the registry: served (its reply was kept by
  // RetryBlocked) or not (`reason`). Resumes it on its own thread.
  virtual void WakeBlocked(bool served, UnblockReason reason) = 0;
};

class BlockedClients {
 public:
  struct Waiter;

  explicit BlockedClients(engine::ReadyKeys& ready) : ready_(ready) {}

  // Parks client `client_id` on `keys` of `db` (duplicates are ignored).
  // The caller then calls ServeReadyKeys: the keys are signaled once, so a
  // write that landed before the registration is not missed.
  std::shared_ptr<Waiter> Block(uint64_t client_id, int db, std::span<const std::string> keys,
                                bool has_timeout, std::weak_ptr<BlockedTarget> target);
  // Takes the waiter out and wakes it for `reason` (at once, or when a
  // running retry ends unserved). False if it had already left.
  bool Unblock(const std::shared_ptr<Waiter>& waiter, UnblockReason reason);
  // CLIENT UNBLOCK: as Unblock, by client id; false if that client is not blocked.
  bool UnblockClient(uint64_t client_id, UnblockReason reason);

  // Serves the waiters of every key signaled so far. Returns true when a
  // retry needs the blocking pool (its key was signaled again).
  bool ServeReady(bool may_block);

  size_t blocked() const;       // INFO blocked_clients
  size_t with_timeout() const;  // INFO clients_in_timeout_table

 private:
  struct KeyWaiters {
    std::vector<std::shared_ptr<Waiter>> waiters;  // in blocking order
    bool serving = false;                          // a thread runs ServeKey on it
    bool again = false;                            // signaled while serving
  };
  struct KeyHash {
    size_t operator()(const engine::ReadyKeys::Key& k) const {
      return std::hash<std::string_view>()(k.key) * 31 + static_cast<size_t>(k.db);
    }
  };
  // Serves one key; false when a retry needs the blocking pool.
  bool ServeKey(const engine::ReadyKeys::Key& key, bool may_block);
  void RemoveLocked(Waiter& waiter);

  engine::ReadyKeys& ready_;
  mutable std::mutex mu_;
  std::unordered_map<engine::ReadyKeys::Key, KeyWaiters, KeyHash> keys_;  // GUARDED_BY(mu_)
  std::unordered_map<uint64_t, std::shared_ptr<Waiter>> clients_;         // GUARDED_BY(mu_)
  uint64_t next_seq_ = 1;                                                 // GUARDED_BY(mu_)
  size_t with_timeout_ = 0;                                               // GUARDED_BY(mu_)
};

// After a command: serves the clients blocked on keys it wrote (see HOW IT
// WAKES); continues on the blocking pool if a retry must wait. Costs one
// relaxed atomic load when nothing is ready.
void ServeReadyKeys(Server& server, bool may_block);

// Re-runs the blocked command `argv` of `client` for the ready `key`; a reply
// is appended to *out (with the client's protocol) only when served, and
// *write_seq is raised to the WAL sequence it wrote.
RetryOutcome RetryBlockedCommand(Server& server, ClientState& client, const CommandEntry& cmd,
                                 std::span<const std::string> argv, std::string_view key,
                                 bool may_block, std::string* out, uint64_t* write_seq);

// Whether the command may block the client: not inside EXEC (nor, later, a
// script), where a blocking command acts as its non-blocking form.
inline bool MayBlock(const CommandContext& ctx) {
  return !ctx.in_exec;
}

// A blocking command's timeout argument, as Redis 7.0's
// getTimeoutFromObjectOrReply in seconds: a long double, times 1000, rounded
// up to milliseconds; 0 = forever. Replies the error and returns false when
// it is not a number or negative (an overflow reads as negative, as in Redis).
bool ParseBlockTimeout(CommandContext& ctx, std::string_view arg, uint64_t* timeout_ms);

}  // namespace strata::server
