// The pure helpers of sort_ops: how a BY/GET pattern names a key or hash
// field for an element (Redis's lookupKeyByPattern), how a sort value is
// parsed (strtod with SORT's checks), and the LIMIT window.
#include "engine/sort_ops.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <utility>

namespace strata::engine {
namespace {

using Kind = PatternTarget::Kind;

TEST(SortOps, PatternSelfAndNone) {
  EXPECT_EQ(ResolvePattern("#", "e").kind, Kind::kSelf);
  EXPECT_EQ(ResolvePattern(std::string("#\0x", 3), "e").kind, Kind::kSelf) << "a C string";
  EXPECT_EQ(ResolvePattern("nosort", "e").kind, Kind::kNone);
  EXPECT_EQ(ResolvePattern("", "e").kind, Kind::kNone);
  EXPECT_EQ(ResolvePattern("##", "e").kind, Kind::kNone);
  EXPECT_EQ(ResolvePattern(std::string("a\0*", 3), "e").kind, Kind::kNone)
      << "'*' after a NUL byte is not seen";
}

TEST(SortOps, PatternKeys) {
  PatternTarget t = ResolvePattern("w_*", "7");
  EXPECT_EQ(t.kind, Kind::kKey);
  EXPECT_EQ(t.key, "w_7");
  EXPECT_EQ(ResolvePattern("pre*post", "x").key,
            "prex"
            "post");
  EXPECT_EQ(ResolvePattern("**", "x").key, "x*") << "only the first '*' is replaced";
  EXPECT_EQ(ResolvePattern("*", "").key, "");
  EXPECT_EQ(ResolvePattern("h*->", "1").key, "h1->") << "an empty field is no field";
  EXPECT_EQ(ResolvePattern("a->b*", "1").key, "a->b1") << "'->' before '*' is literal";
  std::string binary("k*\0z", 4);
  EXPECT_EQ(ResolvePattern(binary, "1").key, std::string("k1\0z", 4));
}

TEST(SortOps, PatternHashFields) {
  PatternTarget t = ResolvePattern("user_*->age", "3");
  EXPECT_EQ(t.kind, Kind::kHashField);
  EXPECT_EQ(t.key, "user_3");
  EXPECT_EQ(t.field, "age");
  t = ResolvePattern("f*x->a->b", "1");
  EXPECT_EQ(t.key, "f1x");
  EXPECT_EQ(t.field, "a->b") << "the field runs from the first '->' after '*'";
  t = ResolvePattern(std::string("h*->f\0g", 7), "1");
  EXPECT_EQ(t.field, std::string("f\0g", 3)) << "the field keeps the pattern's whole length";
}

TEST(SortOps, ScoresParseAsStrtod) {
  double d = -1;
  EXPECT_TRUE(ParseSortScore("", &d));
  EXPECT_EQ(d, 0);
  EXPECT_TRUE(ParseSortScore(" 2", &d));
  EXPECT_EQ(d, 2);
  EXPECT_TRUE(ParseSortScore("0x10", &d));
  EXPECT_EQ(d, 16);
  EXPECT_TRUE(ParseSortScore("-inf", &d));
  EXPECT_TRUE(ParseSortScore("1e3", &d));
  EXPECT_EQ(d, 1000);
  EXPECT_TRUE(ParseSortScore(std::string("5\0junk", 6), &d)) << "strtod stops at NUL";
  EXPECT_EQ(d, 5);
  for (const char* bad : {"abc", "1 ", "1x", "nan", "1e400", "1e-400", "--1"}) {
    EXPECT_FALSE(ParseSortScore(bad, &d)) << bad;
  }
}

TEST(SortOps, LimitWindow) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  using W = std::pair<int64_t, int64_t>;
  auto w = [](int64_t off, int64_t cnt, int64_t size) {
    int64_t s, e;
    SortWindow(off, cnt, size, &s, &e);
    return W(s, e);
  };
  EXPECT_EQ(w(0, -1, 5), W(0, 4));
  EXPECT_EQ(w(-3, 2, 5), W(0, 1));
  EXPECT_EQ(w(1, 2, 5), W(1, 2));
  EXPECT_EQ(w(3, 10, 5), W(3, 4));
  EXPECT_EQ(w(5, 1, 5), W(4, 3)) << "past the end: empty";
  EXPECT_EQ(w(0, 0, 5), W(0, -1));
  EXPECT_EQ(w(0, 10, 0), W(-1, -2));
  EXPECT_EQ(w(2, kMax, 5), W(2, 4)) << "saturates";
  EXPECT_EQ(w(kMax, kMax, 5), W(4, 3));
}

}  // namespace
}  // namespace strata::engine
