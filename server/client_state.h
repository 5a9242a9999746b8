// ClientState: what the server knows about one connected client — identity,
// selected database, protocol version, name, authentication, reply mode —
// independent of the socket. Owned by its Connection; touched only by the
// thread running that connection's current command. Other threads see a
// published copy (ClientInfo, server/client_registry.h).
#pragma once

#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "engine/transaction.h"

namespace strata::server {

class Subscriber;

class ClientState {
 public:
  uint64_t id = 0;
  int db = 0;
  int protocol = 2;  // RESP2 or RESP3 (HELLO 3)
  std::string name;
  std::string addr;   // "ip:port" of the peer
  std::string laddr;  // "ip:port" of our end
  uint64_t created_ms = 0;
  bool close_after_reply = false;  // QUIT, protocol errors, CLIENT KILL of itself
  bool authenticated = false;      // AUTH passed, or no requirepass
  bool no_evict = false;           // CLIENT NO-EVICT
  bool reply_off = false;          // CLIENT REPLY OFF: replies are dropped
  bool reply_skip_next = false;    // CLIENT REPLY SKIP: the next command's reply is dropped
  bool monitor = false;            // MONITOR: fed every command (server/monitor.h)
  std::string_view last_cmd;       // full name of the last command run ("client|list")
  uint64_t last_interaction_ms = 0;

  // MULTI/EXEC (server/commands/multi_cmds.cc).
  struct Multi {
    bool active = false;   // between MULTI and EXEC/DISCARD
    bool aborted = false;  // a command was refused while queuing: EXEC replies EXECABORT
    std::vector<std::vector<std::string>> queued;
    // CLIENT LIST multi-mem, as Redis 7.0 counts it (mstate.argv_len_sums):
    // per queued command, its argument bytes and one pointer per argument.
    uint64_t queued_mem = 0;
  };
  Multi multi;
  std::vector<engine::WatchedKey> watched;  // WATCH, until EXEC/DISCARD/UNWATCH

  // CLIENT TRACKING (server/tracking.h keeps the keys and prefixes).
  struct Tracking {
    bool on = false;
    bool bcast = false;
    bool optin = false;
    bool optout = false;
    bool noloop = false;
    bool caching = false;   // CLIENT CACHING YES/NO given for the next command
    uint64_t redirect = 0;  // 0: none
  };
  Tracking tracking;

  // Pub/sub subscriptions (server/pubsub.h keeps the server-wide registry).
  std::weak_ptr<Subscriber> subscriber;  // this client's connection, for PUBLISH
  std::set<std::string, std::less<>> channels;
  std::set<std::string, std::less<>> patterns;
  std::set<std::string, std::less<>> shard_channels;
  size_t subscriptions() const { return channels.size() + patterns.size() + shard_channels.size(); }
};

// Whether `name` may be a client name (CLIENT SETNAME, HELLO SETNAME): printable
// ASCII without spaces.
inline bool ValidClientName(std::string_view name) {
  for (unsigned char c : name) {
    if (c < '!' || c > '~') return false;
  }
  return true;
}

}  // namespace strata::server
