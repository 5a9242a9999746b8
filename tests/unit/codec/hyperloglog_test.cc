// The HyperLogLog codec against values recorded from redis-server 7.0.15:
// register placement of an element, the exact bytes PFADD and PFMERGE
// leave, the estimates for sets of 1..100000 elements, sparse -> dense
// promotion, and corrupt sparse values.
#include "codec/hyperloglog.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "tests/unit/common/hex_bytes.h"

namespace strata::codec::hll {
namespace {
using strata::testing_hex::FromHex;
using strata::testing_hex::ToHex;

constexpr uint64_t kDefaultMax = 3000;

// PFADD of a new key: an empty HLL, the elements, and a stale cache.
std::string PfAdd(const std::vector<std::string>& elements, uint64_t max = kDefaultMax) {
  std::string hll = NewSparse();
  InvalidateCache(&hll);
  for (const auto& e : elements) EXPECT_NE(Add(&hll, e, max), Update::kCorrupt);
  return hll;
}

std::vector<std::string> Elements(int from, int to) {
  std::vector<std::string> out;
  for (int i = from; i < to; ++i) out.push_back("elem:" + std::to_string(i));
  return out;
}

TEST(HyperLogLogTest, DenseRegistersKeepTheirNeighbours) {
  std::vector<uint8_t> regs(kRegisterBytes, 0);
  std::vector<uint8_t> model(kRegisters);
  std::mt19937 rng(42);
  for (int round = 0; round < 20; ++round) {
    for (uint32_t i = 0; i < kRegisters; ++i) {
      model[i] = static_cast<uint8_t>(rng() & kRegisterMax);
      SetDenseRegister(regs.data(), i, model[i]);
    }
    for (uint32_t i = 0; i < kRegisters; ++i) {
      ASSERT_EQ(GetDenseRegister(regs.data(), i), model[i]) << i;
    }
  }
}

TEST(HyperLogLogTest, ElementGoesToRedisRegister) {
  // PFADD k foo; PFDEBUG GETREG k: register 7348 holds 5.
  Pattern p = PatternOf("foo");
  EXPECT_EQ(p.index, 7348u);
  EXPECT_EQ(p.count, 5);
}

TEST(HyperLogLogTest, NewValueIsAllXzero) {
  EXPECT_EQ(ToHex(NewSparse()),
            "48594c4c010000000000000000000000"
            "7fff");
  std::string empty = PfAdd({});
  EXPECT_EQ(ToHex(empty),
            "48594c4c010000000000000000000080"
            "7fff");
  EXPECT_FALSE(CachedCardinality(empty).has_value());
  EXPECT_EQ(Count(empty), 0u);
}

TEST(HyperLogLogTest, SparseBytesMatchRedis) {
  std::string abc = PfAdd({"a", "b", "c"});
  EXPECT_EQ(ToHex(abc), "48594c4c01000000000000000000008060f38050b1844bfb80425a");
  EXPECT_EQ(Count(abc), 3u);
  SetCachedCardinality(&abc, 3);
  EXPECT_EQ(ToHex(abc), "48594c4c01000000030000000000000060f38050b1844bfb80425a");
  EXPECT_EQ(CachedCardinality(abc), 3u);

  std::string ten = PfAdd(Elements(0, 10));
  EXPECT_EQ(ToHex(ten),
            "48594c4c01000000000000000000008044bc8408844edc84477d8c4522884e228045658040a58c470c"
            "80420e804266");
  EXPECT_EQ(DecodeSparse(ten),
            "Z:1213 v:2,1 z:9 v:2,1 Z:3805 v:2,1 Z:1918 v:4,1 Z:1315 v:3,1 Z:3619 v:1,1 Z:1382 "
            "v:1,1 Z:166 v:4,1 Z:1805 v:1,1 Z:527 v:1,1 Z:615");

  // Empty, short, 8-byte-aligned and long elements, and zero bytes.
  std::string bin =
      PfAdd({std::string(), std::string("\x00\xff", 2), std::string(7, 'x'), std::string(8, 'y'),
             std::string(9, 'z'), "hello world, a longer element!"});
  EXPECT_EQ(ToHex(bin), "48594c4c0100000000000000000000804ed680408880415f84466e844ae79041df805c02");
}

TEST(HyperLogLogTest, EstimatesMatchRedis) {
  struct Case {
    int n;
    uint64_t count;
    Encoding encoding;
    size_t size;
  };
  const Case cases[] = {
      {1, 1, Encoding::kSparse, 21},         {10, 10, Encoding::kSparse, 47},
      {100, 100, Encoding::kSparse, 277},    {1000, 1005, Encoding::kSparse, 1913},
      {5000, 4973, Encoding::kDense, 12304}, {100000, 99904, Encoding::kDense, 12304}};
  for (const Case& c : cases) {
    std::string hll = PfAdd(Elements(0, c.n));
    EXPECT_EQ(EncodingOf(hll), c.encoding) << c.n;
    EXPECT_EQ(hll.size(), c.size) << c.n;
    EXPECT_EQ(Count(hll), c.count) << c.n;
    ASSERT_TRUE(IsHll(hll));
    // The same registers give the same estimate in every representation.
    RegisterArray regs{};
    ASSERT_TRUE(MergeInto(hll, &regs));
    EXPECT_EQ(CountRegisters(regs), c.count) << c.n;
    std::string dense = hll;
    ASSERT_TRUE(SparseToDense(&dense));
    EXPECT_EQ(Count(dense), c.count) << c.n;
  }
}

TEST(HyperLogLogTest, MergeMatchesPfmerge) {
  RegisterArray max{};
  ASSERT_TRUE(MergeInto(PfAdd(Elements(0, 30)), &max));
  ASSERT_TRUE(MergeInto(PfAdd(Elements(20, 50)), &max));
  EXPECT_EQ(CountRegisters(max), 50u);
  // PFMERGE md m1 m2 into a new key: the registers set one by one, in order.
  std::string merged = NewSparse();
  for (uint32_t i = 0; i < kRegisters; ++i) {
    if (max[i] != 0) {
      ASSERT_NE(SetRegister(&merged, i, max[i], kDefaultMax), Update::kCorrupt);
    }
  }
  InvalidateCache(&merged);
  EXPECT_EQ(ToHex(merged),
            "48594c4c0100000000000000000000804476844044840884405980426184415c8041bf8042f78042e0"
            "8840aa8409944243842884424a8040af8844808c41f7844272803c80338017842988413b80406c8040"
            "a7a0405f8440578041b48440948c42588042ac8040a884431680418f8442bd8040598440ba800e8040"
            "958c404f8841988440a784407c804389802084404d80088441018840c2803d804266");
}

TEST(HyperLogLogTest, PromotesToDense) {
  // A value above 32 cannot be sparse.
  std::string hll = PfAdd({});
  EXPECT_EQ(SetRegister(&hll, 5, 33, kDefaultMax), Update::kUpdated);
  EXPECT_EQ(EncodingOf(hll), Encoding::kDense);
  EXPECT_EQ(hll.size(), kDenseSize);
  EXPECT_EQ(GetDenseRegister(reinterpret_cast<const uint8_t*>(hll.data()) + kHeaderSize, 5), 33);
  EXPECT_EQ(SetRegister(&hll, 5, 20, kDefaultMax), Update::kUnchanged);

  // Growing past sparse_max_bytes; the estimate does not change with it.
  std::string small = PfAdd(Elements(0, 100), 200);
  std::string big = PfAdd(Elements(0, 100));
  EXPECT_EQ(EncodingOf(small), Encoding::kDense);
  EXPECT_EQ(EncodingOf(big), Encoding::kSparse);
  EXPECT_EQ(Count(small), Count(big));
  EXPECT_EQ(Add(&big, "elem:0", kDefaultMax), Update::kUnchanged);
}

TEST(HyperLogLogTest, RejectsWhatRedisRejects) {
  EXPECT_FALSE(IsHll(""));
  EXPECT_FALSE(IsHll("HYLL"));
  EXPECT_FALSE(IsHll(std::string("HYLX\x01") + std::string(13, '\0')));
  EXPECT_FALSE(IsHll(std::string("HYLL\x02") + std::string(13, '\0')));
  EXPECT_FALSE(IsHll(std::string("HYLL\x00", 5) + std::string(13, '\0')));  // dense, short
  EXPECT_TRUE(IsHll(std::string("HYLL\x01") + std::string(11, '\0')));      // sparse, no runs

  // Runs not adding up to 16384 registers.
  std::string corrupt = FromHex(
      "48594c4c010000000000000000000080"
      "7ffe");
  EXPECT_FALSE(Count(corrupt).has_value());
  RegisterArray regs{};
  EXPECT_FALSE(MergeInto(corrupt, &regs));
  std::string copy = corrupt;
  EXPECT_FALSE(SparseToDense(&copy));
  EXPECT_EQ(SetRegister(&copy, 16383, 1, kDefaultMax), Update::kCorrupt);
  std::string empty = FromHex("48594c4c010000000000000000000080");
  EXPECT_EQ(SetRegister(&empty, 0, 1, kDefaultMax), Update::kCorrupt);
}

}  // namespace
}  // namespace strata::codec::hll
