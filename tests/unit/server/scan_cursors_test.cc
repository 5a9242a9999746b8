// The SCAN cursor table: cursors name saved positions, carry the position's
// slot in their low bits, and fall back to the slot's start when the entry is
// gone or does not match.
#include "server/scan_cursors.h"

#include <gtest/gtest.h>

#include <string>

#include "engine/scan_ops.h"

namespace strata::server {
namespace {

std::string Position(uint16_t slot, std::string_view key) {
  return engine::SlotStartPosition(slot) + std::string(key) + '\0';
}

TEST(ScanCursors, SavedPositionsResolve) {
  ScanCursors cursors;
  std::string p = Position(1234, "user:1");
  uint64_t c = cursors.Save(p);
  EXPECT_NE(c, 0u);
  EXPECT_EQ(c & 16383, 1234u);
  EXPECT_EQ(cursors.Resolve(c), p);
  EXPECT_EQ(cursors.Resolve(c), p);  // a cursor may be used again
  uint64_t c2 = cursors.Save(p);
  EXPECT_NE(c2, c);
  EXPECT_EQ(cursors.Resolve(0), "");
}

TEST(ScanCursors, UnknownOrMismatchedCursorFallsBackToSlotStart) {
  ScanCursors cursors;
  uint64_t c = cursors.Save(Position(7, "k"));
  EXPECT_EQ(cursors.Resolve(c ^ 1), engine::SlotStartPosition(6));      // same id, other slot
  EXPECT_EQ(cursors.Resolve(16383), engine::SlotStartPosition(16383));  // id 0: never saved
  EXPECT_EQ(cursors.Resolve(UINT64_MAX), engine::SlotStartPosition(16383));
}

TEST(ScanCursors, OldestEntriesAreEvicted) {
  ScanCursors cursors;
  uint64_t first = cursors.Save(Position(5, "first"));
  for (size_t i = 0; i < ScanCursors::kMaxEntries; ++i) cursors.Save(Position(9, "x"));
  EXPECT_EQ(cursors.size(), ScanCursors::kMaxEntries);
  EXPECT_EQ(cursors.Resolve(first), engine::SlotStartPosition(5));
}

TEST(ScanCursors, BoundedByBytes) {
  ScanCursors cursors;
  std::string big = Position(3, std::string(1 << 20, 'k'));
  for (int i = 0; i < 64; ++i) cursors.Save(big);
  EXPECT_LE(cursors.size() * big.size(), ScanCursors::kMaxBytes);
  EXPECT_GE(cursors.size(), 16u);
}

}  // namespace
}  // namespace strata::server
