// The pure helpers of set_ops: which members an intset may hold (Redis's
// string2ll) and the intset's numeric order.
#include "engine/set_ops.h"

#include <gtest/gtest.h>

namespace strata::engine {
namespace {

TEST(SetOps, IntsetMembersAreCanonicalInt64s) {
  for (const char* m : {"0", "-1", "42", "9223372036854775807", "-9223372036854775808"}) {
    EXPECT_TRUE(IsIntsetMember(m)) << m;
  }
  for (const char* m : {"", "-0", "007", "+1", " 1", "1 ", "1.0", "9223372036854775808", "a"}) {
    EXPECT_FALSE(IsIntsetMember(m)) << m;
  }
}

TEST(SetOps, CanonicalOrderSortsSmallIntegerSetsNumerically) {
  Members m = {"10", "-5", "2", "-10"};
  CanonicalOrder(&m);
  EXPECT_EQ(m, (Members{"-10", "-5", "2", "10"}));
  Members mixed = {"b", "10", "2"};
  CanonicalOrder(&mixed);
  EXPECT_EQ(mixed, (Members{"b", "10", "2"})) << "not all integers: left as is";
  Members many;
  for (int i = 600; i > 0; --i) many.push_back(std::to_string(i));
  Members copy = many;
  CanonicalOrder(&many);
  EXPECT_EQ(many, copy) << "past set-max-intset-entries Redis holds a hashtable";
}

}  // namespace
}  // namespace strata::engine
