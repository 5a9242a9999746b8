// OpContext: what every engine operation is told about the command it serves.
#pragma once

#include <cstdint>

#include "engine/key_events.h"

namespace strata::engine {

class KeyAccess;

struct OpContext {
  int db = 0;              // logical database (SELECT n)
  uint64_t client_id = 0;  // the client whose command this is (0: the server itself)
  bool may_block = false;  // false: try-lock keys and read only memory, else kWouldBlock
  uint64_t now_ms = 0;     // the command's clock, for expiry (one value per command)
  uint64_t write_seq = 0;  // out: highest WAL sequence number written (0: none)
  // MULTI/EXEC (engine/transaction.h): the transaction-wide access every
  // KeyAccess of this command delegates to, or null.
  KeyAccess* txn = nullptr;
  // The caller holds the database gate exclusively (a transaction with
  // keyless keyspace commands): operations do not take it themselves.
  bool gate_exclusive = false;
  // Keyspace events (engine/key_events.h): where the command's events go, or
  // null when notifications are off. KeyAccess appends "new" when it creates
  // a key, "expired" when a writer deletes an expired key it found, and
  // "keymiss" when a reader finds no key; handlers append the rest.
  KeyEventLog* key_events = nullptr;
};

// Milliseconds since the Unix epoch (wall clock, as Redis's expiry uses).
uint64_t NowMs();

}  // namespace strata::engine
