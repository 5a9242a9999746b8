// Iteration over a database's keys: SCAN, KEYS and RANDOMKEY.
//
// A logical database's keys are one contiguous, ordered range of the "keys"
// family: u32(physical db) u16(slot) key (codec/layout.h). Iteration reads it
// with a RocksDB iterator, not through KeyAccess: the hot tier is
// write-through, so disk holds every committed key, and an iteration takes no
// key locks (it holds the database gate shared, so FLUSHDB and SWAPDB wait
// for it). Keys whose TTL has passed are skipped, never returned.
//
// SCAN POSITIONS. A position is an inclusive lower bound within the
// database: u16(slot) followed by key bytes ("" is the start). A page examines
// up to `count` records from the position and returns, as its next position,
// the immediate successor of the last one examined (its slot and key plus a
// NUL byte), or done at the end of the database. Because positions only grow
// and every page starts where the previous one stopped, a full scan returns
// every key present for the whole scan, whatever is written meanwhile, and
// terminates; a key added or deleted during it may or may not appear. Mapping
// positions to the decimal cursors clients see is the server's business
// (server/scan_cursors.h).
//
// Inline (ctx.may_block false) an iteration reads only cached blocks and
// returns kWouldBlock, with no side effect, when it would touch the disk.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "codec/layout.h"
#include "common/status.h"
#include "engine/op_context.h"

namespace strata::engine {

class Engine;

// Which keys an iteration returns (SCAN's MATCH and TYPE, KEYS's pattern).
struct KeyFilter {
  std::optional<std::string_view> pattern;  // Redis glob; nullopt: every key
  std::optional<codec::ValueType> type;     // nullopt: every type
  bool match_nothing = false;               // SCAN TYPE with a name no type has
};

struct ScanPage {
  std::vector<std::string> keys;
  std::string next;   // position to resume at (empty when done)
  bool done = false;  // the end of the database was reached
};

// The position at the first key of `slot`.
std::string SlotStartPosition(uint16_t slot);
// The slot a position lies in (0 for the start position "").
uint16_t PositionSlot(std::string_view position);

// One SCAN page of the context's database: examines up to `count` records
// (count >= 1) from `position`.
StatusOr<ScanPage> ScanKeys(Engine& engine, OpContext& ctx, std::string_view position, size_t count,
                            const KeyFilter& filter);

// KEYS: every live key of the context's database that the filter accepts.
StatusOr<std::vector<std::string>> ListKeys(Engine& engine, OpContext& ctx,
                                            const KeyFilter& filter);

// RANDOMKEY: a live key from a random position in the database, or nullopt
// when the database has none.
StatusOr<std::optional<std::string>> RandomKey(Engine& engine, OpContext& ctx);

}  // namespace strata::engine
