// The pure part of collection sampling: RandomSubkeyBetween stays within
// [first, last] for any pair of byte strings, and reaches across the range.
#include "engine/collection_ops.h"

#include <gtest/gtest.h>

#include <random>
#include <set>
#include <string>

namespace strata::engine {
namespace {

std::string RandomBytes(std::mt19937_64& rng, size_t max_len, unsigned char lo, unsigned char hi) {
  std::string s(rng() % (max_len + 1), '\0');
  for (char& c : s) c = static_cast<char>(lo + rng() % (hi - lo + 1));
  return s;
}

TEST(RandomSubkeyBetween, StaysWithinTheBounds) {
  std::mt19937_64 rng(5);
  for (int i = 0; i < 20000; ++i) {
    // Narrow alphabets make shared prefixes and prefix relations common.
    std::string a = RandomBytes(rng, 6, 0, 3), b = RandomBytes(rng, 6, 0, 3);
    if (i % 3 == 0) {
      a = RandomBytes(rng, 6, 0, 255);
      b = RandomBytes(rng, 6, 0, 255);
    }
    if (b < a) std::swap(a, b);
    std::string s = RandomSubkeyBetween(a, b, rng);
    ASSERT_LE(a, s) << i;
    ASSERT_LE(s, b) << i;
  }
}

TEST(RandomSubkeyBetween, EqualBoundsAndPrefixes) {
  std::mt19937_64 rng(1);
  EXPECT_EQ(RandomSubkeyBetween("same", "same", rng), "same");
  EXPECT_EQ(RandomSubkeyBetween("", "", rng), "");
  for (int i = 0; i < 1000; ++i) {
    std::string s = RandomSubkeyBetween("ab", "abz", rng);
    EXPECT_GE(s, "ab");
    EXPECT_LE(s, "abz");
  }
}

TEST(RandomSubkeyBetween, SpreadsOverTheRange) {
  std::mt19937_64 rng(2);
  std::set<char> first_bytes;
  for (int i = 0; i < 2000; ++i) {
    std::string s = RandomSubkeyBetween("member:0", "member:9", rng);
    ASSERT_GT(s.size(), 7u);
    first_bytes.insert(s[7]);
  }
  EXPECT_EQ(first_bytes.size(), 10u) << "every digit after the common prefix is reached";
}

// Zero-padded numeric members (redis-benchmark's "element:000000012345")
// must get picks spread over the whole range, not piled on the first
// element of each leading digit.
TEST(RandomSubkeyBetween, NumericMembersAreSpreadEvenly) {
  std::mt19937_64 rng(3);
  std::string first = "element:000000000000", last = "element:000000049999";
  int buckets[10] = {};
  for (int i = 0; i < 10000; ++i) {
    std::string s = RandomSubkeyBetween(first, last, rng);
    ASSERT_EQ(s.size(), first.size());
    long v = std::stol(s.substr(8));
    ASSERT_LE(v, 49999);
    ++buckets[v / 5000];
  }
  for (int b : buckets) EXPECT_GT(b, 700) << "each tenth of the range gets about 1000 picks";
}

}  // namespace
}  // namespace strata::engine
