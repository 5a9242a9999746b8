// ClientRegistry: every connected client, by id, for the commands that act on
// other clients (CLIENT LIST/KILL/UNPAUSE) and for the idle-timeout sweep.
//
// A connection lives on one I/O thread and owns its ClientState; other
// threads never touch that state. Instead each connection publishes a copy
// of what CLIENT LIST shows (ClientInfo) after every command, and other
// threads read that copy through its ClientHandle. Acting on another client
// (Kill, Wake) posts work to the client's own thread.
//
// Thread-safety: all methods are safe from any thread.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace strata::server {

class ClientState;

// Redis's argv_len_sum: the bytes of a command's arguments (CLIENT LIST's
// argv-mem for the running or blocked command; multi-mem adds up those of
// the queued commands).
template <typename Argv>
uint64_t ArgvLenSum(const Argv& argv) {
  uint64_t n = 0;
  for (const auto& arg : argv) n += arg.size();
  return n;
}

// One client as CLIENT LIST shows it.
struct ClientInfo {
  uint64_t id = 0;
  std::string addr;
  std::string laddr;
  int fd = -1;
  std::string name;
  uint64_t created_ms = 0;
  uint64_t last_interaction_ms = 0;
  int db = 0;
  int resp = 2;
  std::string user = "default";
  std::string_view cmd;  // last command's full name ("client|list"); static storage
  // argv_mem: the arguments of the command running (seen by the client
  // itself) or blocked in; 0 between commands, as in Redis.
  uint64_t qbuf = 0, qbuf_free = 0, argv_mem = 0, rbs = 0, obl = 0, omem = 0;
  bool blocked = false;  // waiting on a pause
  bool close_after_reply = false;
  bool no_evict = false;
  bool monitor = false;
  bool tracking = false, tracking_bcast = false, tracking_broken = false;
  int64_t redir = -1;  // CLIENT TRACKING REDIRECT id, 0 without, -1 when not tracking
  bool writing = false;
  int64_t sub = 0, psub = 0, ssub = 0;  // subscriptions
  int64_t multi = -1;                   // commands queued since MULTI, -1 outside MULTI
  uint64_t multi_mem = 0;               // their memory, as Redis counts it

  // Copies everything a ClientState knows (all but buffers, fd, blocked,
  // events); cheap when little changed, as it runs after every command.
  void CopyFrom(const ClientState& state);
  // The CLIENT LIST / CLIENT INFO line, without the trailing newline.
  std::string Format(uint64_t now_ms) const;
};

class ClientHandle {
 public:
  virtual ~ClientHandle() = default;
  virtual uint64_t id() const = 0;
  // The last published ClientInfo.
  virtual ClientInfo Info() const = 0;
  // Closes the connection, from its own thread (replies already queued may be lost).
  virtual void Kill() = 0;
  // Lets a client that waits on a pause re-check it (CLIENT UNPAUSE).
  virtual void Wake() = 0;
};

class ClientRegistry {
 public:
  void Add(uint64_t id, std::weak_ptr<ClientHandle> client);
  // Idempotent.
  void Remove(uint64_t id);
  // Live clients in id (creation) order.
  std::vector<std::shared_ptr<ClientHandle>> All() const;
  std::shared_ptr<ClientHandle> Find(uint64_t id) const;
  size_t size() const;

 private:
  mutable std::mutex mu_;
  std::map<uint64_t, std::weak_ptr<ClientHandle>> clients_;  // GUARDED_BY(mu_)
};

}  // namespace strata::server
