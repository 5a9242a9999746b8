// ClientState: what the server knows about one connected client — identity,
// selected database, protocol version, name — independent of the socket.
// Owned by its Connection; touched only by the thread running that
// connection's current command.
#pragma once

#include <cstdint>
#include <string>

namespace strata::server {

class ClientState {
 public:
  uint64_t id = 0;
  int db = 0;
  int protocol = 2;  // RESP2 or RESP3 (HELLO 3)
  std::string name;
  std::string addr;   // "ip:port" of the peer
  std::string laddr;  // "ip:port" of our end
  uint64_t created_ms = 0;
  bool close_after_reply = false;  // QUIT, protocol errors
};

}  // namespace strata::server
