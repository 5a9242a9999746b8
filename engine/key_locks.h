// KeyLocks: striped per-key mutual exclusion, plus the database gate.
//
// Commands from different clients run in parallel; two commands touching the
// same key are serialised by the key's stripe lock. A command that touches
// several keys takes their stripes in ascending stripe order (deduplicated),
// so no two commands can deadlock. In non-blocking (inline) execution the
// locks are only try-locked: a command that finds a stripe taken gives up
// with kWouldBlock and is re-run on the worker pool, where it waits.
//
// The database gate is a reader/writer lock every command holds shared;
// whole-keyspace operations (FLUSHDB, FLUSHALL, SWAPDB) hold it exclusive.
//
// Thread-safety: all methods are safe to call from any thread.
#pragma once

#include <array>
#include <cstdint>
#include <mutex>
#include <shared_mutex>
#include <span>
#include <string_view>
#include <vector>

namespace strata::engine {

class KeyLocks {
 public:
  static constexpr size_t kStripes = 4096;

  static size_t StripeOf(uint32_t physical_db, std::string_view key);

  // Locks the given stripes (sorted, unique). Returns false, holding nothing,
  // when `try_only` and one of them is taken.
  bool Lock(std::span<const uint32_t> stripes, bool try_only);
  void Unlock(std::span<const uint32_t> stripes);

  std::shared_mutex& gate() { return gate_; }

 private:
  std::array<std::mutex, kStripes> stripes_;
  std::shared_mutex gate_;
};

}  // namespace strata::engine
