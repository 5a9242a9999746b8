// Sorted-set operations against a model (a std::set of (score, member)):
// random ZADD/ZREM/ZPOP and every kind of range read over a hot tier small
// enough that zsets move between RAM and disk, with sets larger than a
// listpack (skiplist encoding, -0 kept) and after a restart.
#include "engine/zset_ops.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <limits>
#include <map>
#include <random>
#include <set>

#include "engine/engine.h"
#include "tests/unit/engine/engine_fixture.h"

namespace strata::engine {
namespace {

using Model = std::map<std::string, double>;  // member -> score

// prefix + decimal n (appending, which keeps GCC 12's -Wrestrict quiet).
std::string Name(std::string_view prefix, uint64_t n) {
  std::string s(prefix);
  s.append(std::to_string(n));
  return s;
}

class ZsetOpsTest : public EngineFixture {
 protected:
  ZsetOpsTest() {
    options_.databases = 1;
    options_.hot_tier_bytes = 256 << 10;
  }
  // The model in (score, member) order; -0 sorts as 0.
  static std::vector<ZEntry> Ordered(const Model& m) {
    std::vector<ZEntry> out;
    for (const auto& [member, score] : m) out.push_back(ZEntry{member, score});
    std::sort(out.begin(), out.end(), [](const ZEntry& a, const ZEntry& b) {
      return a.score < b.score || (a.score == b.score && a.member < b.member);
    });
    return out;
  }
  std::vector<ZEntry> Range(const std::string& key, const ZRangeSpec& spec) {
    OpContext op = Op();
    auto r = ZRange(*engine_, op, key, spec);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : std::vector<ZEntry>{};
  }
};

TEST_F(ZsetOpsTest, RandomWorkloadMatchesAModel) {
  std::mt19937 rng(5);
  std::map<std::string, Model> model;
  const double kScores[] = {0,
                            1,
                            -1,
                            2.5,
                            1e10,
                            -std::numeric_limits<double>::infinity(),
                            3.0,
                            0.25,
                            7.0,
                            2.0,
                            std::numeric_limits<double>::infinity()};
  auto check = [&](const std::string& key) {
    const Model& m = model[key];
    std::vector<ZEntry> want = Ordered(m);
    ZRangeSpec all;
    ASSERT_EQ(Range(key, all), want) << key;
    if (want.empty()) return;
    // A rank range from either end, and reversed.
    int64_t n = static_cast<int64_t>(want.size());
    int64_t a = static_cast<int64_t>(rng() % want.size());
    int64_t b = a + static_cast<int64_t>(rng() % 5);
    ZRangeSpec ranks;
    ranks.start = a;
    ranks.stop = b;
    std::vector<ZEntry> slice(want.begin() + a, want.begin() + std::min(b, n - 1) + 1);
    ASSERT_EQ(Range(key, ranks), slice);
    ranks.reverse = true;
    std::vector<ZEntry> rev(want.rbegin() + a, want.rbegin() + std::min(b, n - 1) + 1);
    ASSERT_EQ(Range(key, ranks), rev);
    // A score range with LIMIT.
    ZRangeSpec scores;
    scores.by = ZRangeSpec::By::kScore;
    scores.score = {-1, 3, rng() % 2 == 0, rng() % 2 == 0};
    scores.offset = rng() % 3;
    scores.limit = static_cast<int64_t>(rng() % 6) - 1;
    std::vector<ZEntry> in;
    for (const ZEntry& e : want) {
      bool lo = scores.score.minex ? e.score > -1 : e.score >= -1;
      bool hi = scores.score.maxex ? e.score < 3 : e.score <= 3;
      if (lo && hi) in.push_back(e);
    }
    std::vector<ZEntry> limited;
    for (size_t i = static_cast<size_t>(scores.offset); i < in.size(); ++i) {
      if (scores.limit >= 0 && limited.size() == static_cast<size_t>(scores.limit)) break;
      limited.push_back(in[i]);
    }
    ASSERT_EQ(Range(key, scores), limited);
    // A member's rank from both ends.
    size_t r = rng() % want.size();
    OpContext op = Op();
    auto rank = ZRank(*engine_, op, key, want[r].member, false);
    ASSERT_TRUE(rank.ok() && rank->has_value());
    ASSERT_EQ((*rank)->rank, static_cast<int64_t>(r));
    rank = ZRank(*engine_, op, key, want[r].member, true);
    ASSERT_EQ((*rank)->rank, n - 1 - static_cast<int64_t>(r));
  };
  for (int step = 0; step < 3000; ++step) {
    std::string key = Name("z", rng() % 6);
    Model& m = model[key];
    int members = key == "z0" ? 400 : 40;  // z0 grows past a listpack
    OpContext op = Op();
    int what = static_cast<int>(rng() % 10);
    if (what < 6) {
      std::vector<std::string> names;
      std::vector<ZAddPair> pairs;
      for (int i = 0; i < 1 + static_cast<int>(rng() % 8); ++i) {
        names.push_back(Name("m", rng() % members));
      }
      for (const std::string& name : names) {
        pairs.push_back(ZAddPair{kScores[rng() % std::size(kScores)], name});
      }
      ASSERT_TRUE(ZAdd(*engine_, op, key, ZAddOptions{}, pairs).ok());
      for (const ZAddPair& p : pairs) {
        auto it = m.find(std::string(p.member));
        if (it == m.end() || it->second != p.score) m[std::string(p.member)] = p.score;
      }
    } else if (what < 8) {
      std::string name = Name("m", rng() % members);
      std::string_view names[] = {name};
      auto removed = ZRem(*engine_, op, key, names);
      ASSERT_TRUE(removed.ok());
      ASSERT_EQ(*removed, m.erase(name));
    } else if (what == 8) {
      bool max = rng() % 2 == 0;
      uint64_t count = rng() % 3;
      auto popped = ZPop(*engine_, op, key, max, count);
      ASSERT_TRUE(popped.ok());
      std::vector<ZEntry> want = Ordered(m);
      if (max) std::reverse(want.begin(), want.end());
      want.resize(std::min<size_t>(want.size(), count));
      ASSERT_EQ(*popped, want);
      for (const ZEntry& e : want) m.erase(e.member);
    } else {
      check(key);
    }
  }
  Reopen();
  for (auto& [key, m] : model) {
    check(key);
    OpContext op = Op();
    auto card = ZCard(*engine_, op, key);
    ASSERT_TRUE(card.ok());
    ASSERT_EQ(*card, m.size());
  }
}

TEST_F(ZsetOpsTest, LexRangesSeekWhenScoresAreEqual) {
  std::vector<std::string> names;
  std::vector<ZAddPair> pairs;
  for (int i = 0; i < 500; ++i) names.push_back(Name("k", 1000 + i));
  for (const auto& n : names) pairs.push_back(ZAddPair{0, n});
  OpContext op = Op();
  ASSERT_TRUE(ZAdd(*engine_, op, "l", ZAddOptions{}, pairs).ok());
  ZRangeSpec spec;
  spec.by = ZRangeSpec::By::kLex;
  spec.lex.min = {ZLexBound::Kind::kValue, "k1200", true};
  spec.lex.max = {ZLexBound::Kind::kValue, "k1203", false};
  std::vector<ZEntry> got = Range("l", spec);
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].member, "k1201");
  EXPECT_EQ(got[2].member, "k1203");
  spec.reverse = true;
  got = Range("l", spec);
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].member, "k1203");
  auto n = ZCount(*engine_, op, "l", spec);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 3u);
}

TEST_F(ZsetOpsTest, NegativeZeroKeepsItsSignOnlyInBigZsets) {
  OpContext op = Op();
  ZAddPair small[] = {{-0.0, "b"}, {0.0, "a"}};
  ASSERT_TRUE(ZAdd(*engine_, op, "s", ZAddOptions{}, small).ok());
  std::string_view b[] = {"b"};
  auto score = ZScores(*engine_, op, "s", b);
  ASSERT_TRUE(score.ok());
  EXPECT_FALSE(std::signbit(*(*score)[0]));
  std::vector<std::string> names;
  std::vector<ZAddPair> many;
  for (int i = 0; i < 200; ++i) names.push_back(Name("m", i));
  for (const auto& n : names) many.push_back(ZAddPair{1, n});
  many.push_back(ZAddPair{-0.0, "b"});
  many.push_back(ZAddPair{0.0, "a"});
  ASSERT_TRUE(ZAdd(*engine_, op, "big", ZAddOptions{}, many).ok());
  score = ZScores(*engine_, op, "big", b);
  EXPECT_TRUE(std::signbit(*(*score)[0]));
  ZRangeSpec first;
  first.stop = 1;
  std::vector<ZEntry> got = Range("big", first);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].member, "a");
  EXPECT_EQ(got[1].member, "b");
  EXPECT_TRUE(std::signbit(got[1].score));
}

}  // namespace
}  // namespace strata::engine
