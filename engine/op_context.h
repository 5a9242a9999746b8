// OpContext: what every engine operation is told about the command it serves.
#pragma once

#include <cstdint>

namespace strata::engine {

struct OpContext {
  int db = 0;              // logical database (SELECT n)
  bool may_block = false;  // false: try-lock keys and read only memory, else kWouldBlock
  uint64_t now_ms = 0;     // the command's clock, for expiry (one value per command)
  uint64_t write_seq = 0;  // out: highest WAL sequence number written (0: none)
};

// Milliseconds since the Unix epoch (wall clock, as Redis's expiry uses).
uint64_t NowMs();

}  // namespace strata::engine
