// List element sub-keys: round trip, and byte order equals index order
// (what LRANGE's ScanSub relies on), across the 2^63 starting point.
#include "codec/list_index.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

namespace strata::codec {
namespace {

TEST(ListIndexTest, RoundTrip) {
  for (uint64_t v : {uint64_t{0}, uint64_t{1}, kListInitialIndex - 1, kListInitialIndex,
                     kListInitialIndex + 1, UINT64_MAX}) {
    uint64_t got = 0;
    ASSERT_TRUE(DecodeListIndex(EncodeListIndex(v), &got));
    EXPECT_EQ(got, v);
  }
  uint64_t got;
  EXPECT_FALSE(DecodeListIndex("short", &got));
}

TEST(ListIndexTest, ByteOrderIsIndexOrder) {
  std::vector<uint64_t> indexes;
  for (uint64_t d = 0; d < 300; ++d) {
    indexes.push_back(kListInitialIndex - 1 - d * 257);
    indexes.push_back(kListInitialIndex + d * 255);
  }
  indexes.push_back(0);
  indexes.push_back(UINT64_MAX);
  std::vector<std::string> keys;
  for (uint64_t i : indexes) keys.push_back(EncodeListIndex(i));
  std::sort(indexes.begin(), indexes.end());
  std::sort(keys.begin(), keys.end());  // bytewise, as RocksDB and ObjectBody order them
  for (size_t i = 0; i < keys.size(); ++i) EXPECT_EQ(keys[i], EncodeListIndex(indexes[i]));
}

}  // namespace
}  // namespace strata::codec
