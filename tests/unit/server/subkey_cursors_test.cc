// Sub-key scan cursors: buckets follow byte order and a bucket's start is at
// or below each of its sub-keys (so a fallback never skips), and cursors
// round-trip through the shared ScanCursors table.
#include "server/subkey_cursors.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "server/scan_cursors.h"

namespace strata::server {
namespace {

TEST(SubkeyCursors, BucketsFollowByteOrderAndStartsAreLowerBounds) {
  std::mt19937_64 rng(9);
  for (int i = 0; i < 50000; ++i) {
    std::string a(rng() % 4, '\0'), b(rng() % 4, '\0');
    for (char& c : a) c = static_cast<char>(rng() % 3 == 0 ? 0 : rng());
    for (char& c : b) c = static_cast<char>(rng() % 3 == 0 ? 0 : rng());
    if (b < a) std::swap(a, b);
    ASSERT_LE(SubkeyBucket(a), SubkeyBucket(b));
    ASSERT_LE(BucketStart(SubkeyBucket(a)), a);
    ASSERT_LT(SubkeyBucket(a), 1 << ScanCursors::kSlotBits);
  }
  EXPECT_EQ(BucketStart(0), "");
  EXPECT_EQ(BucketStart(SubkeyBucket("a")), "a");
  EXPECT_EQ(SubkeyBucket("\xff\xff"), (1 << ScanCursors::kSlotBits) - 1);
}

TEST(SubkeyCursors, RoundTripAndFallback) {
  ScanCursors cursors;
  EXPECT_EQ(ResolveSubkeyCursor(cursors, 0), "");
  std::string next("field:42\0x", 10);
  uint64_t c = SaveSubkeyCursor(cursors, next);
  EXPECT_NE(c, 0u);
  EXPECT_EQ(ResolveSubkeyCursor(cursors, c), next);
  // An unknown cursor resumes at the start of its bucket: not past `next`.
  uint64_t forged = (c ^ (uint64_t{12345} << ScanCursors::kSlotBits));
  std::string start = ResolveSubkeyCursor(cursors, forged);
  EXPECT_LE(start, next);
  EXPECT_EQ(SubkeyBucket(start), SubkeyBucket(next));
}

}  // namespace
}  // namespace strata::server
