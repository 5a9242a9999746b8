// The score encoding: byte order of encoded scores is numeric order (with
// -0 and 0 equal in keys), infinities at the ends, exact round trips.
#include "codec/zset_score.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <vector>

namespace strata::codec {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

TEST(ZsetScoreTest, RoundTripsExactly) {
  std::vector<double> values = {0.0,   -0.0,    1.0,      -1.0,
                                1.1,   -1e-320, 4.9e-324, 1.7976931348623157e308,
                                -kInf, kInf,    3.14159,  -2.5e-300};
  for (double v : values) {
    double back;
    ASSERT_TRUE(DecodeScoreValue(EncodeScoreValue(v), &back));
    EXPECT_EQ(std::bit_cast<uint64_t>(back), std::bit_cast<uint64_t>(v)) << v;
  }
  EXPECT_TRUE(std::signbit(SortableToScore(ScoreToSortable(-0.0))));
  double s;
  EXPECT_FALSE(DecodeScoreValue("1234567", &s));
}

TEST(ZsetScoreTest, ByteOrderIsNumericOrder) {
  std::mt19937_64 rng(7);
  std::vector<double> values = {-kInf,
                                kInf,
                                0.0,
                                -0.0,
                                -1e-320,
                                1e-320,
                                std::numeric_limits<double>::lowest(),
                                std::numeric_limits<double>::max()};
  for (int i = 0; i < 2000; ++i) {
    double v = std::bit_cast<double>(rng());
    if (!std::isnan(v)) values.push_back(v);
  }
  for (double a : values) {
    for (int j = 0; j < 20; ++j) {
      double b = values[rng() % values.size()];
      std::string ka = EncodeScorePrefix(a), kb = EncodeScorePrefix(b);
      EXPECT_EQ(a < b, ka < kb) << a << " " << b;
      EXPECT_EQ(a == b, ka == kb) << a << " " << b;  // -0 == 0 in keys
    }
  }
  EXPECT_LT(EncodeScorePrefix(-kInf), EncodeScorePrefix(std::numeric_limits<double>::lowest()));
  EXPECT_GT(EncodeScorePrefix(kInf), EncodeScorePrefix(std::numeric_limits<double>::max()));
}

TEST(ZsetScoreTest, ScoreKeysOrderByScoreThenMember) {
  EXPECT_LT(EncodeScoreKey(1, "b"), EncodeScoreKey(2, "a"));
  EXPECT_LT(EncodeScoreKey(1, "a"), EncodeScoreKey(1, "b"));
  EXPECT_LT(EncodeScoreKey(-0.0, "a"), EncodeScoreKey(0.0, "b"));
  EXPECT_EQ(EncodeScoreKey(-0.0, "a"), EncodeScoreKey(0.0, "a"));
  double s;
  std::string_view m;
  std::string k = EncodeScoreKey(-2.5, std::string("x\0y", 3));
  ASSERT_TRUE(DecodeScoreKey(k, &s, &m));
  EXPECT_EQ(s, -2.5);
  EXPECT_EQ(m, std::string_view("x\0y", 3));
  EXPECT_FALSE(DecodeScoreKey("short", &s, &m));
}

}  // namespace
}  // namespace strata::codec
