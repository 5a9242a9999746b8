// List operations on a real engine: the dense-index invariant (every index
// in [head, tail) holds an element, none outside does) after every kind of
// write, LINSERT/LREM renumbering the shorter side, and a randomized
// workload over a tiny hot tier (lists moving between RAM bodies and
// RocksDB) checked against a std::vector model, also after a restart.
#include "engine/list_ops.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <random>

#include "codec/list_index.h"
#include "engine/engine.h"
#include "engine/key_access.h"
#include "tests/unit/engine/engine_fixture.h"

namespace strata::engine {
namespace {

using List = std::vector<std::string>;

class ListOpsTest : public EngineFixture {
 protected:
  ListOpsTest() { options_.databases = 1; }
  void Push(const std::string& key, ListEnd end, const List& values) {
    std::vector<std::string_view> views(values.begin(), values.end());
    OpContext op = Op();
    ASSERT_TRUE(ListPush(*engine_, op, key, end, views, false).ok());
  }
  // [head, tail) of the list's metadata; {0, 0} when absent.
  std::pair<uint64_t, uint64_t> Bounds(const std::string& key) {
    OpContext op = Op();
    KeyAccess a(*engine_, op, KeyAccess::Intent::kRead);
    EXPECT_TRUE(a.Lock(key).ok());
    auto found = a.Find(key);
    if (!found.ok()) return {0, 0};
    return {(*found)->list_head, (*found)->list_tail};
  }
  // The elements by a raw scan of every sub-key, checking the indexes are
  // exactly [head, tail) and the count matches.
  List Dense(const std::string& key) {
    OpContext op = Op();
    KeyAccess a(*engine_, op, KeyAccess::Intent::kRead);
    EXPECT_TRUE(a.Lock(key).ok());
    auto found = a.Find(key);
    if (!found.ok()) return {};
    const codec::MetaValue& m = **found;
    EXPECT_EQ(m.list_tail - m.list_head, m.count) << key;
    List out;
    uint64_t expect = m.list_head;
    EXPECT_TRUE(a.ScanSub(key, SubFamily::kListElements, "", false, [&](auto k, auto v) {
                   uint64_t index = 0;
                   EXPECT_TRUE(codec::DecodeListIndex(k, &index));
                   EXPECT_EQ(index, expect++) << key << ": a hole or a stray element";
                   out.emplace_back(v);
                   return true;
                 }).ok());
    EXPECT_EQ(expect, m.list_tail) << key;
    return out;
  }
  List Range(const std::string& key) {
    OpContext op = Op();
    auto r = ListRange(*engine_, op, key, 0, -1);
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : List{};
  }
};

// "prefix" + n, built by appending (GCC 12 warns falsely on string operator+).
std::string Name(char prefix, uint64_t n) {
  std::string s(1, prefix);
  s.append(std::to_string(n));
  return s;
}

List Numbers(int n) {
  List out;
  for (int i = 0; i < n; ++i) out.push_back(Name('e', i));
  return out;
}

TEST_F(ListOpsTest, NewListsStartInTheMiddle) {
  Push("l", ListEnd::kRight, {"a", "b"});
  Push("l", ListEnd::kLeft, {"z"});
  auto [head, tail] = Bounds("l");
  EXPECT_EQ(head, codec::kListInitialIndex - 1);
  EXPECT_EQ(tail, codec::kListInitialIndex + 2);
  EXPECT_EQ(Dense("l"), (List{"z", "a", "b"}));
}

TEST_F(ListOpsTest, InsertAndRemoveShiftTheShorterSide) {
  Push("l", ListEnd::kRight, Numbers(50));
  auto [head, tail] = Bounds("l");
  OpContext op = Op();
  // Near the head: the head moves, the tail stays.
  ASSERT_EQ(*ListInsert(*engine_, op, "l", true, "e2", "x"), 51);
  EXPECT_EQ(Bounds("l"), std::make_pair(head - 1, tail));
  ASSERT_EQ(*ListRemove(*engine_, op, "l", 1, "e1"), 1u);
  EXPECT_EQ(Bounds("l"), std::make_pair(head, tail));
  // Near the tail: the tail moves, the head stays.
  ASSERT_EQ(*ListInsert(*engine_, op, "l", false, "e47", "y"), 51);
  EXPECT_EQ(Bounds("l"), std::make_pair(head, tail + 1));
  ASSERT_EQ(*ListRemove(*engine_, op, "l", -1, "e48"), 1u);
  EXPECT_EQ(Bounds("l"), std::make_pair(head, tail));
  List want = Numbers(50);
  want.erase(want.begin() + 1);
  want.insert(want.begin() + 2, "x");
  want.erase(want.begin() + 48);
  want.insert(want.begin() + 47, "y");
  EXPECT_EQ(Dense("l"), want);
  // Several removals spread out: the side with fewer kept elements moves.
  ASSERT_EQ(*ListRemove(*engine_, op, "l", 0, "x"), 1u);
  Push("l", ListEnd::kLeft, {"r", "k", "r"});
  ASSERT_EQ(*ListRemove(*engine_, op, "l", 0, "r"), 2u);
  want.erase(want.begin() + 2);
  want.insert(want.begin(), "k");
  EXPECT_EQ(Dense("l"), want);
}

TEST_F(ListOpsTest, TrimAndPopsKeepIndexesDense) {
  Push("l", ListEnd::kRight, Numbers(20));
  OpContext op = Op();
  ASSERT_TRUE(ListTrim(*engine_, op, "l", 3, -5).ok());
  auto popped = ListPop(*engine_, op, "l", ListEnd::kRight, 2);
  ASSERT_TRUE(popped.ok());
  EXPECT_EQ(*popped, (List{"e15", "e14"}));
  List want = Numbers(14);
  want.erase(want.begin(), want.begin() + 3);
  EXPECT_EQ(Dense("l"), want);
  ASSERT_TRUE(ListPop(*engine_, op, "l", ListEnd::kLeft, 100).ok());
  EXPECT_EQ(Bounds("l"), std::make_pair(uint64_t{0}, uint64_t{0}));  // deleted
  EXPECT_TRUE(ListPop(*engine_, op, "l", ListEnd::kLeft, 1).status().IsNotFound());
}

// Random operations over several lists with a tier so small that lists keep
// leaving RAM; long lists (beyond the hot tier's body limit) are read from
// RocksDB. Checked against a model after every write, and after a restart.
TEST_F(ListOpsTest, RandomWorkloadMatchesAModel) {
  ReopenWithTier(256 << 10);
  std::mt19937 rng(5);
  std::map<std::string, List> model;
  auto pick = [&](uint64_t n) { return static_cast<int64_t>(rng() % n); };
  for (int step = 0; step < 3000; ++step) {
    std::string key = Name('l', rng() % 6);
    List& m = model[key];
    std::string v = Name('v', rng() % 8);
    OpContext op = Op();
    switch (rng() % 7) {
      case 0: {
        List vals(1 + rng() % (key == "l0" ? 150 : 4));
        for (std::string& e : vals) e = Name('v', rng() % 8);
        Push(key, ListEnd::kRight, vals);
        m.insert(m.end(), vals.begin(), vals.end());
        break;
      }
      case 1:
        Push(key, ListEnd::kLeft, {v});
        m.insert(m.begin(), v);
        break;
      case 2: {
        if (m.empty()) break;
        std::string pivot = m[pick(m.size())];
        bool after = rng() % 2;
        ASSERT_EQ(*ListInsert(*engine_, op, key, after, pivot, v),
                  static_cast<int64_t>(m.size() + 1));
        auto at = std::find(m.begin(), m.end(), pivot) + (after ? 1 : 0);
        m.insert(at, v);
        break;
      }
      case 3: {
        int64_t count = pick(5) - 2;
        auto removed = ListRemove(*engine_, op, key, count, v);
        ASSERT_TRUE(removed.ok());
        uint64_t n = 0;
        if (count >= 0) {
          for (auto it = m.begin(); it != m.end() && (count == 0 || int64_t(n) < count);) {
            if (*it == v) {
              it = m.erase(it);
              ++n;
            } else {
              ++it;
            }
          }
        } else {
          for (int64_t i = int64_t(m.size()) - 1; i >= 0 && int64_t(n) < -count; --i) {
            if (m[i] == v) {
              m.erase(m.begin() + i);
              ++n;
            }
          }
        }
        ASSERT_EQ(*removed, n);
        break;
      }
      case 4: {
        auto popped = ListPop(*engine_, op, key, ListEnd::kLeft, 1 + rng() % 3);
        if (m.empty()) {
          ASSERT_TRUE(popped.status().IsNotFound());
          break;
        }
        ASSERT_TRUE(popped.ok());
        ASSERT_EQ(*popped, List(m.begin(), m.begin() + popped->size()));
        m.erase(m.begin(), m.begin() + popped->size());
        break;
      }
      case 5: {
        std::string dst = Name('l', rng() % 6);
        auto moved = ListMove(*engine_, op, key, dst, ListEnd::kRight, ListEnd::kLeft);
        if (m.empty()) {
          ASSERT_TRUE(moved.status().IsNotFound());
          break;
        }
        ASSERT_EQ(*moved, m.back());
        m.pop_back();
        model[dst].insert(model[dst].begin(), *moved);
        break;
      }
      default: {
        if (m.empty()) break;
        int64_t i = pick(m.size());
        ASSERT_TRUE(ListSet(*engine_, op, key, i, v).ok());
        m[i] = v;
        break;
      }
    }
    if (key != "l0" || step % 50 == 0) {
      ASSERT_EQ(Dense(key), model[key]) << key << " at step " << step;
    }
  }
  EXPECT_GT(model["l0"].size(), 1100u) << "l0 was meant to outgrow the tier's bodies";
  for (const auto& [key, m] : model) ASSERT_EQ(Range(key), m) << key;
  ReopenWithTier(256 << 10);
  for (const auto& [key, m] : model) {
    ASSERT_EQ(Range(key), m) << key;
    ASSERT_EQ(Dense(key), m) << key;
  }
}

}  // namespace
}  // namespace strata::engine
