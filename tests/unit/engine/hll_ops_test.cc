// HyperLogLog engine operations on a real RocksDB: values written as Redis's
// HYLL strings and read back after a restart, the cached count written by
// PFCOUNT, TTLs kept, and the errors (not an HLL, corrupt, wrong type).
#include "engine/hll_ops.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "codec/hyperloglog.h"
#include "engine/expire_ops.h"
#include "engine/list_ops.h"
#include "engine/string_ops.h"
#include "tests/unit/engine/engine_fixture.h"

namespace strata::engine {
namespace {

namespace hll = codec::hll;

constexpr uint64_t kMax = 3000;

class HllOpsTest : public EngineFixture {
 protected:
  // PFADD "elem:from".."elem:to-1" in one command.
  bool Add(std::string_view key, int from, int to, uint64_t max = kMax) {
    std::vector<std::string> owned;
    for (int i = from; i < to; ++i) owned.push_back("elem:" + std::to_string(i));
    std::vector<std::string_view> elements(owned.begin(), owned.end());
    OpContext op = Op();
    auto r = PfAdd(*engine_, op, key, elements, max);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() && *r;
  }
  StatusOr<uint64_t> Count(std::vector<std::string_view> keys) {
    OpContext op = Op();
    return PfCount(*engine_, op, keys);
  }
  std::string Get(std::string_view key) {
    OpContext op = Op();
    auto v = GetString(*engine_, op, key);
    EXPECT_TRUE(v.ok()) << v.status().ToString();
    return v.ok() ? *v : std::string();
  }
  void Set(std::string_view key, std::string_view value) {
    OpContext op = Op();
    ASSERT_TRUE(SetString(*engine_, op, key, value, {}).ok());
  }
};

TEST_F(HllOpsTest, CountIsCachedInTheValueAndSurvivesRestart) {
  EXPECT_TRUE(Add("h", 0, 1000));
  EXPECT_FALSE(Add("h", 0, 10));  // nothing new
  std::string added = Get("h");
  EXPECT_FALSE(hll::CachedCardinality(added).has_value());
  EXPECT_EQ(*Count({"h"}), 1005u);  // redis-server's count for these elements
  std::string counted = Get("h");
  EXPECT_EQ(hll::CachedCardinality(counted), 1005u);
  EXPECT_EQ(counted.substr(hll::kHeaderSize), added.substr(hll::kHeaderSize));
  Reopen();
  EXPECT_EQ(Get("h"), counted);
  EXPECT_EQ(*Count({"h"}), 1005u);
  EXPECT_EQ(*Count({"h", "h", "missing"}), 1005u);
  EXPECT_EQ(*Count({"missing"}), 0u);
}

TEST_F(HllOpsTest, MergeUnionsAndKeepsTtl) {
  EXPECT_TRUE(Add("a", 0, 30));
  EXPECT_TRUE(Add("b", 20, 50));
  OpContext op = Op();
  uint64_t at = op.now_ms + 100000;
  ASSERT_TRUE(*SetExpire(*engine_, op, "a", static_cast<int64_t>(at), ExpireCondition{}));
  std::string_view sources[] = {"b", "missing"};
  ASSERT_TRUE(PfMerge(*engine_, op, "a", sources, kMax).ok());
  EXPECT_EQ(*Count({"a"}), 50u);
  EXPECT_EQ(*GetExpire(*engine_, op, "a"), static_cast<int64_t>(at));
  EXPECT_TRUE(Add("a", 1000, 1001));
  EXPECT_EQ(*GetExpire(*engine_, op, "a"), static_cast<int64_t>(at));
}

TEST_F(HllOpsTest, PromotesAtSparseMaxBytes) {
  EXPECT_TRUE(Add("h", 0, 100, 200));
  EXPECT_EQ(Get("h").size(), hll::kDenseSize);
  OpContext op = Op();
  auto dbg = PfDebugRead(*engine_, op, "h", true);
  ASSERT_TRUE(dbg.ok());
  EXPECT_FALSE(dbg->converted);

  EXPECT_TRUE(Add("s", 0, 10));
  dbg = PfDebugRead(*engine_, op, "s", true);
  ASSERT_TRUE(dbg.ok());
  EXPECT_TRUE(dbg->converted);
  EXPECT_EQ(Get("s"), dbg->hll);  // the conversion is stored
  EXPECT_TRUE(PfDebugRead(*engine_, op, "missing", false).status().IsNotFound());
}

TEST_F(HllOpsTest, DenseUpdatesInPlaceGiveTheCodecsBytes) {
  // The first command promotes and stores the value chunked; the later ones
  // edit only the registers' bytes. The result is what the codec computes,
  // including the cached count PFCOUNT left in between (a later change only
  // sets the stale bit, as Redis does).
  std::string expected = hll::NewSparse();
  hll::InvalidateCache(&expected);
  auto add_expected = [&](int from, int to) {
    for (int i = from; i < to; ++i) (void)hll::Add(&expected, "elem:" + std::to_string(i), kMax);
  };
  add_expected(0, 3000);
  EXPECT_TRUE(Add("h", 0, 3000));
  EXPECT_EQ(Get("h"), expected);
  EXPECT_EQ(*Count({"h"}), *hll::Count(expected));
  hll::SetCachedCardinality(&expected, *hll::Count(expected));
  EXPECT_EQ(Get("h"), expected);
  add_expected(3000, 5000);
  hll::InvalidateCache(&expected);
  EXPECT_TRUE(Add("h", 3000, 5000));
  EXPECT_EQ(Get("h"), expected);
  EXPECT_FALSE(Add("h", 0, 5000));
  EXPECT_EQ(*Count({"h"}), 4973u);  // redis-server's count
  Reopen();
  EXPECT_EQ(*Count({"h"}), 4973u);
  EXPECT_TRUE(Add("h", 5000, 5100));
  EXPECT_FALSE(hll::CachedCardinality(Get("h")).has_value());
}

TEST_F(HllOpsTest, Errors) {
  Set("str", "not an hll");
  OpContext op = Op();
  std::string_view one[] = {"x"};
  auto added = PfAdd(*engine_, op, "str", one, kMax);
  EXPECT_EQ(added.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(added.status().message(), kNotHllError);
  EXPECT_EQ(Count({"str"}).status().message(), kNotHllError);

  ASSERT_TRUE(ListPush(*engine_, op, "list", ListEnd::kLeft, one, false).ok());
  EXPECT_EQ(PfAdd(*engine_, op, "list", one, kMax).status().code(), StatusCode::kWrongType);
  EXPECT_EQ(Count({"list"}).status().code(), StatusCode::kWrongType);

  // Runs covering 16383 registers: counted nowhere, merged nowhere.
  std::string corrupt = hll::NewSparse();
  corrupt.back() = static_cast<char>(0xfe);
  Set("bad", corrupt);
  EXPECT_EQ(*Count({"bad"}), 0u);  // a valid cache answers without reading the runs
  hll::InvalidateCache(&corrupt);
  Set("bad", corrupt);
  EXPECT_EQ(Count({"bad"}).status().message(), kCorruptHllError);
  EXPECT_EQ(Count({"bad", "str"}).status().message(), kCorruptHllError);
  std::string_view sources[] = {"bad"};
  EXPECT_EQ(PfMerge(*engine_, op, "dest", sources, kMax).message(), kCorruptHllError);
  EXPECT_TRUE(GetString(*engine_, op, "dest").status().IsNotFound());
}

}  // namespace
}  // namespace strata::engine
