// ZsetRankIndex against a model (a std::set of keys): random insertions and
// removals, with blocks split as queries split them and merged as they
// empty; then the zset operations that use it (ZRANK, rank ranges, ZCOUNT,
// LIMIT offsets) on a big zset under interleaved writes, inline and across
// eviction, against a model of the zset.
#include "engine/zset_rank_index.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <iterator>
#include <map>
#include <random>
#include <set>

#include "engine/engine.h"
#include "engine/zset_ops.h"
#include "tests/unit/engine/engine_fixture.h"

namespace strata::engine {
namespace {

std::string KeyOf(uint64_t n) {
  char buf[16];
  std::snprintf(buf, sizeof(buf), "k%09llu", static_cast<unsigned long long>(n));
  return buf;
}

// prefix + decimal n (appending, which keeps GCC 12's -Wrestrict quiet).
std::string Name(std::string_view prefix, uint64_t n) {
  std::string s(prefix);
  s.append(std::to_string(n));
  return s;
}

// The block structure holds the model's keys: counts match the keys between
// fences, and ranks agree for keys in and out of the set.
void ExpectMatches(const ZsetRankIndex& index, const std::set<std::string>& model,
                   std::mt19937& rng) {
  ASSERT_EQ(index.size(), model.size());
  ASSERT_TRUE(index.consistent());
  EXPECT_EQ(index.fence(0), "");
  for (size_t b = 0; b < index.blocks(); ++b) {
    auto from = model.lower_bound(std::string(index.fence(b)));
    auto to =
        b + 1 < index.blocks() ? model.lower_bound(std::string(index.fence(b + 1))) : model.end();
    ASSERT_EQ(index.count(b), static_cast<uint64_t>(std::distance(from, to))) << "block " << b;
    if (b > 0) {
      ASSERT_LT(index.fence(b - 1), index.fence(b));
    }
  }
  for (int i = 0; i < 20; ++i) {
    std::string key = KeyOf(rng() % 100000);
    auto rank = static_cast<uint64_t>(std::distance(model.begin(), model.lower_bound(key)));
    size_t b = index.BlockOf(key);
    auto in_block = static_cast<uint64_t>(
        std::distance(model.lower_bound(std::string(index.fence(b))), model.lower_bound(key)));
    ASSERT_EQ(index.CountBefore(b) + in_block, rank) << key;
    if (!model.empty()) {
      uint64_t r = rng() % model.size();
      auto [block, first] = index.BlockAtRank(r);
      ASSERT_EQ(first, index.CountBefore(block));
      ASSERT_LE(first, r);
      ASSERT_LT(r, first + index.count(block));
    }
  }
}

// What Zset does to a block grown past kSplitAt: re-cut it from its keys.
void SplitLikeAQuery(ZsetRankIndex& index, const std::set<std::string>& model, size_t b) {
  std::string fence(index.fence(b));
  auto to =
      b + 1 < index.blocks() ? model.lower_bound(std::string(index.fence(b + 1))) : model.end();
  ZsetRankIndex::Builder builder;
  for (auto it = model.lower_bound(fence); it != to; ++it) builder.Add(*it);
  auto parts = builder.Finish();
  parts[0].first = fence;
  index.Split(b, std::move(parts));
}

TEST(ZsetRankIndexTest, RandomChangesKeepCountsExact) {
  std::mt19937 rng(11);
  std::set<std::string> model;
  ZsetRankIndex::Builder builder;
  for (uint64_t i = 0; i < 20000; i += 2) {
    model.insert(KeyOf(i * 5));
    builder.Add(KeyOf(i * 5));
  }
  ZsetRankIndex index(builder.Finish());
  EXPECT_EQ(index.blocks(), (model.size() + ZsetRankIndex::kBlock - 1) / ZsetRankIndex::kBlock);
  ExpectMatches(index, model, rng);
  size_t most_blocks = 0;
  bool split = false;
  // Phases: mixed changes, insertions packed at the top (one block grows),
  // then removals of most of the set (blocks empty and merge).
  for (int phase = 0; phase < 3; ++phase) {
    for (int step = 0; step < (phase < 2 ? 20000 : 200000); ++step) {
      std::string key;
      bool insert;
      if (phase == 0) {
        key = KeyOf(rng() % 100000);
        insert = rng() % 2 == 0;
      } else if (phase == 1) {
        key = KeyOf(100000 + static_cast<uint64_t>(step));
        insert = true;
      } else {
        if (model.size() < 500) break;
        auto it = model.lower_bound(KeyOf(rng() % 130000));
        if (it == model.end()) it = model.begin();
        key = *it;
        insert = false;
      }
      bool present = model.count(key) > 0;
      if (insert == present) continue;  // the contract: only real changes
      if (insert) {
        model.insert(key);
        index.Apply(key, 1);
      } else {
        model.erase(key);
        index.Apply(key, -1);
      }
      size_t b = index.BlockOf(key);
      if (index.count(b) > ZsetRankIndex::kSplitAt) {
        SplitLikeAQuery(index, model, b);
        split = true;
      }
      most_blocks = std::max(most_blocks, index.blocks());
      if (step % 500 == 0) ExpectMatches(index, model, rng);
    }
    ExpectMatches(index, model, rng);
  }
  EXPECT_TRUE(split);
  // Nearly empty now: the blocks were merged, not left as thousands of shells.
  EXPECT_LT(model.size(), 1000u);
  EXPECT_LE(index.blocks(), 16u + 4 * model.size() / ZsetRankIndex::kBlock);
  EXPECT_GT(most_blocks, 100u);
}

TEST(ZsetRankIndexTest, RemovalOfAnUncountedKeyMarksItInconsistent) {
  ZsetRankIndex::Builder builder;
  builder.Add("a");
  ZsetRankIndex index(builder.Finish());
  index.Apply("a", -1);
  EXPECT_TRUE(index.consistent());
  index.Apply("b", -1);
  EXPECT_FALSE(index.consistent());
}

// ---- the zset operations over the index ----

class ZsetRankTest : public EngineFixture {
 protected:
  ZsetRankTest() { options_.databases = 1; }

  using Model = std::map<std::string, double>;
  std::vector<ZEntry> Ordered() const {
    std::vector<ZEntry> out;
    for (const auto& [m, s] : model_) out.push_back(ZEntry{m, s});
    std::sort(out.begin(), out.end(), [](const ZEntry& a, const ZEntry& b) {
      return a.score < b.score || (a.score == b.score && a.member < b.member);
    });
    return out;
  }
  void Add(double score, const std::string& member) {
    OpContext op = Op();
    ZAddPair pair{score, member};
    ASSERT_TRUE(ZAdd(*engine_, op, "z", {}, std::span(&pair, 1)).ok());
    model_[member] = score;
  }
  void Rem(const std::string& member) {
    OpContext op = Op();
    std::string_view m = member;
    ASSERT_TRUE(ZRem(*engine_, op, "z", std::span(&m, 1)).ok());
    model_.erase(member);
  }
  // Checks ranks, rank ranges, counts and offsets at a few random places.
  void Check(std::mt19937& rng) {
    std::vector<ZEntry> order = Ordered();
    ASSERT_FALSE(order.empty());
    for (int i = 0; i < 5; ++i) {
      size_t r = rng() % order.size();
      OpContext op = Op();
      auto rank = ZRank(*engine_, op, "z", order[r].member, false);
      ASSERT_TRUE(rank.ok() && rank->has_value());
      ASSERT_EQ((*rank)->rank, static_cast<int64_t>(r)) << order[r].member;
      auto rev = ZRank(*engine_, op, "z", order[r].member, true);
      ASSERT_EQ((*rev)->rank, static_cast<int64_t>(order.size() - 1 - r));

      ZRangeSpec spec;
      spec.start = static_cast<int64_t>(r);
      spec.stop = spec.start + 4;
      auto range = ZRange(*engine_, op, "z", spec);
      ASSERT_TRUE(range.ok());
      std::vector<ZEntry> want(
          order.begin() + static_cast<ptrdiff_t>(r),
          order.begin() + static_cast<ptrdiff_t>(std::min(r + 5, order.size())));
      ASSERT_EQ(*range, want);

      double lo = order[rng() % order.size()].score, hi = order[rng() % order.size()].score;
      if (lo > hi) std::swap(lo, hi);
      ZRangeSpec by_score;
      by_score.by = ZRangeSpec::By::kScore;
      by_score.score = ZScoreRange{lo, hi, i % 2 == 1, i % 3 == 1};
      auto in_range = [&](const ZEntry& e) {
        return (by_score.score.minex ? e.score > lo : e.score >= lo) &&
               (by_score.score.maxex ? e.score < hi : e.score <= hi);
      };
      auto n = ZCount(*engine_, op, "z", by_score);
      ASSERT_TRUE(n.ok());
      ASSERT_EQ(*n, static_cast<uint64_t>(std::count_if(order.begin(), order.end(), in_range)));
      std::vector<ZEntry> matching;
      std::copy_if(order.begin(), order.end(), std::back_inserter(matching), in_range);
      for (bool reverse : {false, true}) {
        by_score.reverse = reverse;
        by_score.offset = static_cast<int64_t>(rng() % (matching.size() + 3));
        by_score.limit = 7;
        std::vector<ZEntry> expect = matching;
        if (reverse) std::reverse(expect.begin(), expect.end());
        auto off = static_cast<size_t>(by_score.offset);
        expect.erase(expect.begin(),
                     expect.begin() + static_cast<ptrdiff_t>(std::min(off, expect.size())));
        if (expect.size() > 7) expect.resize(7);
        auto got = ZRange(*engine_, op, "z", by_score);
        ASSERT_TRUE(got.ok());
        ASSERT_EQ(*got, expect) << "offset " << by_score.offset << " reverse " << reverse;
      }
    }
  }
  Model model_;
};

TEST_F(ZsetRankTest, RanksStayRightUnderInterleavedWrites) {
  std::mt19937 rng(3);
  {
    OpContext op = Op();
    std::vector<std::string> names;
    std::vector<ZAddPair> pairs;
    for (int i = 0; i < 6000; ++i) names.push_back(Name("m", i));
    for (int i = 0; i < 6000; ++i) {
      double score = static_cast<double>(rng() % 3000);  // ties: member order decides
      pairs.push_back(ZAddPair{score, names[static_cast<size_t>(i)]});
      model_[names[static_cast<size_t>(i)]] = score;
    }
    ASSERT_TRUE(ZAdd(*engine_, op, "z", {}, pairs).ok());
  }
  // The first rank query inline cannot read 6000 keys: it asks to block.
  {
    OpContext op = Op();
    op.may_block = false;
    auto r = ZRank(*engine_, op, "z", "m1", false);
    ASSERT_EQ(r.status().code(), StatusCode::kWouldBlock);
  }
  Check(rng);
  // Now it is in RAM: inline queries are answered.
  {
    OpContext op = Op();
    op.may_block = false;
    auto r = ZRank(*engine_, op, "z", "m1", false);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
  }
  for (int round = 0; round < 40; ++round) {
    for (int i = 0; i < 50; ++i) {
      switch (rng() % 4) {
        case 0:  // a new member or a moved one
        case 1:
          Add(static_cast<double>(rng() % 3000), Name("m", rng() % 9000));
          break;
        case 2:  // packed at the top: one block grows until a query splits it
          Add(5000 + round * 50 + i, Name("top", round * 50 + i));
          break;
        default:
          if (!model_.empty()) {
            auto it = model_.lower_bound(Name("m", rng() % 9000));
            if (it == model_.end()) it = model_.begin();
            Rem(it->first);
          }
      }
    }
    Check(rng);
    if (round == 20) {  // rank-range removals also keep it in step
      OpContext op = Op();
      ZRangeSpec spec;
      spec.start = 100;
      spec.stop = 399;
      std::vector<ZEntry> order = Ordered();
      auto removed = ZRemRange(*engine_, op, "z", spec);
      ASSERT_TRUE(removed.ok());
      ASSERT_EQ(*removed, 300u);
      for (size_t r = 100; r < 400; ++r) model_.erase(order[r].member);
      Check(rng);
    }
  }
  // Evicted and read back from disk: a new index, the same answers.
  ReopenWithTier(0);
  Check(rng);
  // A tier too small to keep the index: no index, a walk, the same answers.
  ReopenWithTier(256 << 10);
  EXPECT_FALSE(impl().tier->Admits(ZsetRankIndex::EstimateBytes(model_.size())));
  Check(rng);
}

}  // namespace
}  // namespace strata::engine
