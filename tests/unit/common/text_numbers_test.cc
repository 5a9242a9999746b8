// Redis-exact integer parsing, argument splitting and glob matching.
#include <gtest/gtest.h>

#include "common/numbers.h"
#include "common/text.h"

namespace strata {
namespace {

TEST(ParseInt64, AcceptsWhatRedisAccepts) {
  int64_t v;
  ASSERT_TRUE(ParseInt64("0", &v));
  EXPECT_EQ(v, 0);
  ASSERT_TRUE(ParseInt64("-1", &v));
  EXPECT_EQ(v, -1);
  ASSERT_TRUE(ParseInt64("9223372036854775807", &v));
  EXPECT_EQ(v, INT64_MAX);
  ASSERT_TRUE(ParseInt64("-9223372036854775808", &v));
  EXPECT_EQ(v, INT64_MIN);
}

TEST(ParseInt64, RejectsWhatRedisRejects) {
  int64_t v;
  for (const char* bad : {"", "-", "+1", " 1", "1 ", "01", "-0", "00", "1a", "0x10",
                          "9223372036854775808", "-9223372036854775809", "1.0", "1e3"}) {
    EXPECT_FALSE(ParseInt64(bad, &v)) << bad;
  }
}

TEST(FormatInt64, Extremes) {
  EXPECT_EQ(FormatInt64(INT64_MIN), "-9223372036854775808");
  EXPECT_EQ(FormatInt64(0), "0");
}

TEST(LongDouble, ParsesAsRedisString2ld) {
  long double v = 0;
  EXPECT_TRUE(ParseLongDouble("10.5", &v));
  EXPECT_EQ(v, 10.5L);
  EXPECT_TRUE(ParseLongDouble("1e400", &v));  // fits a long double
  EXPECT_TRUE(ParseLongDouble("inf", &v));    // Redis lets it through; the sum is refused
  EXPECT_TRUE(ParseLongDouble("0x10", &v));
  EXPECT_EQ(v, 16.0L);
  EXPECT_TRUE(ParseLongDouble(std::string_view("3\0junk", 6), &v));  // stops at NUL, as C
  EXPECT_EQ(v, 3.0L);
  EXPECT_FALSE(ParseLongDouble("", &v));
  EXPECT_FALSE(ParseLongDouble(" 1", &v));
  EXPECT_FALSE(ParseLongDouble("1 ", &v));
  EXPECT_FALSE(ParseLongDouble("abc", &v));
  EXPECT_FALSE(ParseLongDouble("nan", &v));
  EXPECT_FALSE(ParseLongDouble("1e99999", &v));
  EXPECT_FALSE(ParseLongDouble(std::string(5120, '1'), &v));
}

TEST(LongDouble, FormatsAsRedisHumanMode) {
  EXPECT_EQ(FormatLongDouble(10.5L), "10.5");
  EXPECT_EQ(FormatLongDouble(3.0L), "3");
  EXPECT_EQ(FormatLongDouble(0.1L), "0.1");
  EXPECT_EQ(FormatLongDouble(-0.0L), "0");
  EXPECT_EQ(FormatLongDouble(5.0e3L), "5000");
  EXPECT_EQ(FormatLongDouble(-1.5L), "-1.5");
  EXPECT_EQ(FormatLongDouble(1e20L), "100000000000000000000");
}

TEST(SplitArgs, QuotingAndEscapes) {
  std::vector<std::string> out;
  ASSERT_TRUE(SplitArgs(R"(set "a b" 'c d' "\x41\n" 'it\'s')", &out));
  ASSERT_EQ(out.size(), 5u);
  EXPECT_EQ(out[1], "a b");
  EXPECT_EQ(out[2], "c d");
  EXPECT_EQ(out[3], "A\n");
  EXPECT_EQ(out[4], "it's");
  ASSERT_TRUE(SplitArgs("   ", &out));
  EXPECT_TRUE(out.empty());
  EXPECT_FALSE(SplitArgs(R"(set "abc)", &out));
  EXPECT_FALSE(SplitArgs(R"(set "abc"def)", &out));
  EXPECT_FALSE(SplitArgs("set 'abc", &out));
}

TEST(GlobMatch, RedisRules) {
  EXPECT_FALSE(GlobMatch("*", ""));  // as Redis's stringmatchlen (KEYS special-cases "*")
  EXPECT_TRUE(GlobMatch("h?llo", "hello"));
  EXPECT_TRUE(GlobMatch("h*llo", "heeeello"));
  EXPECT_TRUE(GlobMatch("h[ae]llo", "hallo"));
  EXPECT_FALSE(GlobMatch("h[ae]llo", "hillo"));
  EXPECT_TRUE(GlobMatch("h[^e]llo", "hallo"));
  EXPECT_FALSE(GlobMatch("h[^e]llo", "hello"));
  EXPECT_TRUE(GlobMatch("h[a-b]llo", "hbllo"));
  EXPECT_TRUE(GlobMatch("h\\*llo", "h*llo"));
  EXPECT_FALSE(GlobMatch("h\\*llo", "hello"));
  EXPECT_TRUE(GlobMatch("MAX*", "maxmemory", true));
  EXPECT_FALSE(GlobMatch("MAX*", "maxmemory", false));
  EXPECT_FALSE(GlobMatch("a*b", "acd"));
}

}  // namespace
}  // namespace strata
