// KeyObserver: how the layer above the engine learns which keys changed.
//
// KeyAccess::Commit calls KeyChanged for every key its batch wrote (set,
// modified, deleted, expired, evicted) once the batch is in RocksDB, still
// under the key's lock, on whatever thread committed (an I/O thread, a
// blocking worker, the expiry or eviction thread). A transaction's keys are
// reported when the transaction commits. The server uses it for client-side
// caching invalidation (server/tracking.h). Implementations must be quick,
// thread-safe and must not call back into the engine (they hold no engine
// lock, but the committing thread holds key locks).
#pragma once

#include <cstdint>
#include <string_view>

namespace strata::engine {

class KeyObserver {
 public:
  virtual ~KeyObserver() = default;
  // `client_id`: OpContext::client_id of the command that wrote (0: the
  // server itself, e.g. active expiry or eviction).
  virtual void KeyChanged(int db, std::string_view key, uint64_t client_id) = 0;
};

}  // namespace strata::engine
