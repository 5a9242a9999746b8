// ScanCursors: the decimal cursors SCAN hands to clients, mapped to engine
// scan positions (engine/scan_ops.h).
//
// A position (slot + key bytes) does not fit a 64-bit cursor, so the server
// keeps a bounded table, cursor id -> position, and a cursor is
//
//     cursor = id << 14 | slot        (slot: the position's cluster slot)
//
// Resolve() returns the saved position when the table still holds the id
// with that slot; otherwise (the entry was evicted, the server restarted, or
// the client made the cursor up) it falls back to the first key of the slot
// in the low bits. The fallback may return keys of that slot a second time —
// which SCAN allows — but never skips one: a full scan still returns every
// key present throughout. Positions only move forward, so a scan terminates;
// with the fallback it can only stall on one slot if its entry is evicted
// before every next call, which takes more than kMaxEntries other cursors
// being issued between two calls of one client.
//
// Ids start at a random value and increase, so a cursor from before a restart
// is very unlikely to name a live entry; when it does, the slot check rejects
// most mismatches. Cursor 0 is the start (and, in replies, the end).
// Eviction is oldest-first, bounded by entries and by bytes.
//
// Thread-safety: all methods are safe from any thread.
#pragma once

#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace strata::server {

class ScanCursors {
 public:
  static constexpr size_t kMaxEntries = 1 << 16;
  static constexpr size_t kMaxBytes = 32 << 20;
  static constexpr int kSlotBits = 14;

  ScanCursors();
  ScanCursors(const ScanCursors&) = delete;
  ScanCursors& operator=(const ScanCursors&) = delete;

  // A new non-zero cursor standing for `position` (not the start position).
  uint64_t Save(std::string_view position);
  // The position `cursor` stands for ("" for cursor 0).
  std::string Resolve(uint64_t cursor) const;

  size_t size() const;

 private:
  void EvictLocked();

  mutable std::mutex mu_;
  uint64_t next_id_;
  std::unordered_map<uint64_t, std::string> positions_;
  std::deque<uint64_t> order_;  // ids, oldest first
  size_t bytes_ = 0;
};

}  // namespace strata::server
